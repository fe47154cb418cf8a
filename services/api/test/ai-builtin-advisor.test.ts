import { beforeAll, describe, expect, it } from "vitest";
import type { AdvisorEvent } from "../src/ai/advisor";
import {
  BUILT_IN_HEADER,
  createBuiltInAdvisor,
  recognise,
  suggestionsFrom,
  suggestQuestions,
} from "../src/ai/builtin";
import type { IntentKind } from "../src/ai/builtin/intents";
import type { UserContext } from "../src/ai/builtin/turn";
import { vocabularyOf } from "../src/ai/builtin/vocabulary";
import { ungroundedFigures } from "../src/ai/grounding";
import { type AnyTool, createTools, type ToolContext, toolsFor } from "../src/ai/tools";
import { toolContext } from "../src/ai/tools/tool";
import type { Principal } from "../src/auth/principal";
import { DomainError } from "../src/errors";
import {
  cleo,
  elodie,
  ezra,
  type FixtureUser,
  lee,
  maya,
  noah,
  sam,
  TODAY,
} from "./support/advisor-fixtures";
import { type ToolRunner, toolRunner } from "./support/ai";
import { type Harness, harness } from "./support/harness";

/**
 * The built-in advisor on the fixture users of advisor-fixtures.ts, against DynamoDB Local: each
 * question's intent (seen in the tools it calls) and the figures of its answer, worked out by hand
 * in the fixtures' comments; and for every answer, that each amount and date it writes appears in
 * a tool input or output of that turn.
 */

let h: Harness;
let runner: ToolRunner;
let all: AnyTool[];
const users: Record<string, FixtureUser> = {};
const advisor = createBuiltInAdvisor();

beforeAll(async () => {
  h = harness(undefined, { today: () => TODAY });
  runner = toolRunner(h, TODAY);
  all = createTools(runner.services);
  const made = await Promise.all([maya(h), sam(h), lee(h), noah(h), ezra(h), cleo(h), elodie(h)]);
  for (const [i, name] of ["maya", "sam", "lee", "noah", "ezra", "cleo", "elodie"].entries())
    users[name] = made[i] as FixtureUser;
}, 120_000);

interface ToolUse {
  callId: string;
  tool: string;
  input: unknown;
  output?: unknown;
  error?: string;
}

interface Transcript {
  text: string;
  uses: ToolUse[];
  events: AdvisorEvent[];
}

async function principalOf(who: string | Principal): Promise<Principal> {
  if (typeof who !== "string") return who;
  const user = users[who];
  if (!user) throw new Error(`no fixture ${who}`);
  return h.tokens.verify(user.user.token);
}

async function ask(
  who: string | Principal,
  question: string,
  opts: { today?: string; tools?: AnyTool[]; signal?: AbortSignal } = {},
): Promise<Transcript> {
  const principal = await principalOf(who);
  const ctx: ToolContext = toolContext(principal, opts.today ?? TODAY);
  const events: AdvisorEvent[] = [];
  for await (const e of advisor.answer({
    ctx,
    tools: opts.tools ?? toolsFor(all, principal),
    question,
    history: [],
    ...(opts.signal ? { signal: opts.signal } : {}),
  }))
    events.push(e);
  const uses: ToolUse[] = [];
  let text = "";
  for (const e of events) {
    if (e.type === "text") text += e.delta;
    else if (e.type === "tool-call") uses.push({ callId: e.callId, tool: e.tool, input: e.input });
    else {
      const use = uses.find((u) => u.callId === e.callId);
      if (!use) throw new Error(`${e.type} before its call: ${e.callId}`);
      if (e.type === "tool-result") use.output = e.output;
      else use.error = e.error;
    }
  }
  return { text, uses, events };
}

/** Every tool input and output of the turn: what the answer's figures must come from. */
const toolValues = (t: Transcript) =>
  t.uses.flatMap((u) => [u.input, ...(u.output === undefined ? [] : [u.output])]);

interface Row {
  user: string;
  question: string;
  intent: IntentKind;
  /** The tools called, in order: the intent as the advisor acted on it. */
  tools: string[];
  /** Phrases of the answer with the figures worked out by hand. */
  says: string[];
  today?: string;
}

const CTX = "get_user_context";
const PAYOFF = "calculate_payoff";
const ANALYZE = "analyze_budget";
const FORECAST = "forecast_savings";
const OPTIMIZE = "optimize_categories";

const ROWS: Row[] = [
  // Maya: $880 for one Visa owing $1,000 at 12 %; Dining $120 over; two goals.
  {
    user: "maya",
    question: "How do I get out of debt?",
    intent: "payoff",
    tools: [CTX, PAYOFF],
    says: [
      "leaves $880 a month for your cards, their $50 of minimums included; you owe $1,000",
      "debt-free in February 2030, in 2 months, with $11.30 of interest",
      "1. Pay $880 to Visa (12% APR); it then owes $130.",
    ],
  },
  {
    user: "maya",
    question: "What's the fastest way to pay off my cards?",
    intent: "payoff",
    tools: [CTX, PAYOFF],
    says: ["With one card every strategy pays it the same way.", "Pay $880 to Visa", "February 2030"],
  },
  {
    user: "maya",
    question: "Where am I overspending?",
    intent: "overspending",
    tools: [CTX, ANALYZE],
    says: [
      "over budget in 1 category, by $120 in all",
      "- Dining: $320 spent of its $200 limit, $120 over.",
      "Move $120 of Housing's unused limit to Dining",
      "Your budget leaves $880 for your cards in January 2030.",
    ],
  },
  {
    // The optimiser lowers Entertainment to the $40 it has spent: $940 this month, January $70 left,
    // February $0.70 of interest: $10.70.
    user: "maya",
    question: "what should i cut",
    intent: "overspending",
    tools: [CTX, ANALYZE, OPTIMIZE],
    says: [
      "Dining: $320 spent of its $200 limit",
      "Together these free $120 a month for your cards.",
      "- Entertainment: from $100 to $40, $60 a month less (it has spent $40 so far).",
      "That frees $60 a month: your cards would get $940 this month instead of $880, and you would be debt-free in February 2030 either way, with $10.70 of interest instead of $11.30.",
    ],
  },
  {
    user: "maya",
    question: "How can I free up $200 a month?",
    intent: "overspending",
    tools: [CTX, ANALYZE, OPTIMIZE],
    says: [
      "To free $200 a month: move $120 of Housing's unused limit to Dining",
      "That frees $120, $80 short of it.",
      "For $80 a month more, lower these limits:",
      "- Entertainment: from $100 to $40, $60 a month less",
      "That frees $60 a month, $20 short",
    ],
  },
  {
    // Nothing in Shopping's room (Maya's budget has none): $880 - $400 = $480 left for the Visa.
    user: "maya",
    question: "Can I afford a $400 TV?",
    intent: "afford",
    tools: [CTX, PAYOFF, ANALYZE],
    says: [
      "Yes, but it comes out of the money for your cards: they would get $480 this month instead of $880, still covering the $50 of minimums.",
      "Shopping has no limit in your budget this month",
      "This month you would pay $480 to Visa.",
      "your plan leaves $1,000 of income unallocated",
      "Room left in your discretionary categories: Entertainment $60 (of $100).",
      "To make room for the $400 without paying your cards less",
      "That frees $120, $280 short.",
    ],
  },
  {
    // Entertainment has $60 left: the other $90 comes out of the $880, leaving $790.
    user: "maya",
    question: "is $150 for concert tickets ok this month",
    intent: "afford",
    tools: [CTX, PAYOFF, ANALYZE],
    says: [
      "they would get $790 this month instead of $880",
      "Entertainment's $60 left covers part of it",
      "To make room for the $90 without paying your cards less",
      "That frees $120, enough.",
    ],
  },
  {
    // $835 a month: January $10 interest, $175 left; February $1.75 and $176.75 clear it: $11.75.
    user: "maya",
    question: "can i affrod a $45/month gym membership",
    intent: "afford",
    tools: [CTX, PAYOFF, PAYOFF, ANALYZE],
    says: [
      "Yes, but it slows your debt payoff: as a monthly cost it leaves $835 a month for your cards instead of $880",
      "debt-free in February 2030 either way, with $11.75 of interest instead of $11.30",
      "To make room for the $45 a month",
    ],
  },
  {
    user: "maya",
    question: "Can I spend 50 dollars on entertainment?",
    intent: "afford",
    tools: [CTX],
    says: [
      "Yes. It fits in Entertainment, which has $60 left of its $100 limit this month, so the money for your cards stays $880.",
    ],
  },
  {
    user: "maya",
    question: "Should I buy a sofa for $2,000?",
    intent: "afford",
    tools: [CTX, ANALYZE],
    says: [
      "No, not from this month's budget: it costs more than the $880 your budget leaves after its categories.",
      "That frees $120, $1,880 short.",
    ],
  },
  {
    // $83.34 a month from now: 12 of them reach $1,000 in December. The cards get $796.66 this month
    // ($880 less it) and $916.66 after ($1,000 when every category keeps its limit): January
    // $213.34 left, February $2.13 of interest: $12.13.
    user: "maya",
    question: "How do I reach my emergency fund goal?",
    intent: "goal",
    tools: [CTX, FORECAST],
    says: [
      "Emergency fund: $200 saved of $1,200, $1,000 to go by December 31, 2030.",
      "no pace to project from",
      "put in $83.34 a month from now on",
      "Putting $83.34 a month into Emergency fund, you reach it in December 2030, on time.",
      "which would get $796.66 this month and $916.66 a month after (keeping to your budget) instead of $880: you would be debt-free in February 2030 either way, with $12.13 of interest instead of $11.30.",
      "1. Put $83.34 into Emergency fund every month until December 31, 2030.",
    ],
  },
  {
    // $100 on top of the $100 pace: $200 a month, six months to June. The cards get $780, then
    // $900: January $230 left, February $2.30: $12.30.
    user: "maya",
    question: "When will I hit my vacation savings?",
    intent: "goal",
    tools: [CTX, FORECAST],
    says: [
      "Vacation: $300 saved of $1,500, $1,200 to go by June 30, 2030.",
      "At your pace of $100 a month (the average of the last three months) you reach it in December 2030, after the target date.",
      "To reach it by June 30, 2030, put in $200 a month from now on.",
      "Putting $100 a month into Vacation on top of your pace of $100 ($200 a month in all), you reach it in June 2030, on time.",
      "$780 this month and $900 a month after",
      "$12.30 of interest instead of $11.30",
    ],
  },
  {
    user: "maya",
    question: "am I on track for my goals",
    intent: "goal",
    tools: [CTX],
    says: [
      "Vacation: $300 saved of $1,500",
      "Emergency fund: $200 saved of $1,200",
      "Off track: Vacation and Emergency fund.",
    ],
  },
  {
    // $350 a month in all: ⌈1,200 / 350⌉ = 4 months, April. The cards: $630, then $750; January $380
    // left, February $3.80: $13.80.
    user: "maya",
    question: "What if I put $250 a month into my vacation fund?",
    intent: "goal",
    tools: [CTX, FORECAST],
    says: [
      "Putting $250 a month into Vacation on top of your pace of $100 ($350 a month in all), you reach it in April 2030, on time.",
      "$630 this month and $750 a month after",
      "$13.80 of interest instead of $11.30",
    ],
  },
  {
    user: "maya",
    question: "What if I put $50 a month into my vacation fund?",
    intent: "goal",
    tools: [CTX, FORECAST],
    says: [
      "you reach it in August 2030, still after the target date.",
      "To be on time it needs $200 a month in all.",
    ],
  },
  {
    // $980 a month: January $30 left, February $0.30: $10.30, $1 less.
    user: "maya",
    question: "What if I add $100 a month to my cards?",
    intent: "what-if",
    tools: [CTX, PAYOFF, ANALYZE],
    says: [
      "Adding $100 a month to the $880 your budget leaves for your cards: you would still be debt-free in February 2030, with $10.30 of interest instead of $11.30: $1 saved.",
      "To find $100 a month in your budget: move $120 of Housing's unused limit to Dining",
    ],
  },
  {
    // $930 a month: January $80 left, February $0.80: $10.80, $0.50 less.
    user: "maya",
    question: "If I paid $50 more each month",
    intent: "what-if",
    tools: [CTX, PAYOFF, ANALYZE],
    says: ["$10.80 of interest instead of $11.30: $0.50 saved"],
  },
  {
    // $1,380 in January clears the $1,010: debt-free a month sooner with $10 of interest.
    user: "maya",
    question: "I got a $500 bonus, what if I put it on my cards this month?",
    intent: "what-if",
    tools: [CTX, PAYOFF],
    says: [
      "A one-off $500 on your cards in January 2030: you would be debt-free in January 2030 instead of February 2030, 1 month sooner, with $10 of interest instead of $11.30: $1.30 saved.",
    ],
  },
  {
    user: "maya",
    question: "What if I put my $1,500 tax refund on the Visa in April?",
    intent: "what-if",
    tools: [CTX, PAYOFF],
    says: [
      "A one-off $1,500 on your cards in April 2030 changes nothing: the plan already clears your cards in February 2030, with $11.30 of interest.",
    ],
  },
  {
    user: "maya",
    question: "How am I doing?",
    intent: "summary",
    tools: [CTX, PAYOFF],
    says: [
      "January 2030 so far:",
      "- Income $3,000 planned; $2,000 given to 4 categories; $660 spent.",
      "- Over budget: Dining ($320 of $200).",
      "- Left for your cards after the budget: $880.",
      "- You owe $1,000 on 1 card, with $50 of minimum payments.",
      "- At $880 a month you are debt-free in February 2030, in 2 months, with $11.30 of interest.",
      "Vacation $300 of $1,500 (needs $200 a month); Emergency fund $200 of $1,200 (needs $83.34 a month)",
    ],
  },
  {
    user: "maya",
    question: "Summary of my month",
    intent: "summary",
    tools: [CTX, PAYOFF],
    says: ["$660 spent", "Left for your cards after the budget: $880."],
  },
  {
    user: "maya",
    question: "How much did I spend on dining?",
    intent: "spending",
    tools: [CTX, "spending_by", "find_transactions"],
    says: [
      "You spent $320 on Dining in January 2030, $120 over its $200 limit.",
      "The latest: $120 at Bistro on January 10, 2030; $200 at Bistro on January 8, 2030.",
    ],
  },
  {
    user: "maya",
    question: "how much have i spent on grocereis this month",
    intent: "spending",
    tools: [CTX, "spending_by", "find_transactions"],
    says: [
      "You spent $300 on Groceries in January 2030, within its $500 limit ($200 left).",
      "$300 at FreshMart on January 5, 2030",
    ],
  },
  {
    // Asked on 2030-02-15: last month is January.
    user: "maya",
    question: "What did I spend at Bistro last month?",
    intent: "spending",
    today: "2030-02-15",
    tools: [CTX, "spending_by", "find_transactions"],
    says: ["At Bistro you spent $320 in January 2030, over 2 purchases."],
  },
  {
    user: "maya",
    question: "Where does my money go?",
    intent: "spending",
    tools: [CTX, "spending_by"],
    says: ["In January 2030 you spent $660: Dining $320, Groceries $300, Entertainment $40."],
  },
  {
    user: "maya",
    question: "hello",
    intent: "unknown",
    tools: [CTX],
    says: [
      "I did not recognise that question.",
      "“What if I add $120 a month to my cards?”",
      "“Can I afford to spend $60 more on entertainment this month?”",
      "January 2030 so far: $660 spent of $2,000 budgeted, $880 left for your cards; $1,000 owed on your cards",
    ],
  },
  // Sam: $500 a month for two cards; avalanche $40.86, snowball $46.25, both March 2030.
  {
    user: "sam",
    question: "Avalanche or snowball?",
    intent: "payoff",
    tools: [CTX, PAYOFF],
    says: [
      "avalanche (highest APR first): debt-free in March 2030, in 3 months, with $40.86 of interest",
      "snowball (smallest balance first): debt-free in March 2030, in 3 months, with $46.25 of interest",
      "The best is avalanche (highest APR first): it costs the least interest.",
      "Snowball pays off Store card first, in January 2030",
      "1. Pay $475 to Rewards Visa (24% APR); it then owes $545.",
      "2. Pay $25 to Store card (12% APR), its minimum; it then owes $278.",
    ],
  },
  {
    user: "sam",
    question: "which card should I pay first?",
    intent: "payoff",
    tools: [CTX, PAYOFF],
    says: ["Put everything above the minimums on Rewards Visa first: it has the highest APR."],
  },
  {
    // Snowball's January: the Store card's $303 clears it, the other $197 goes to the Visa ($823 left).
    user: "sam",
    question: "Show me the snowball plan",
    intent: "payoff",
    tools: [CTX, PAYOFF],
    says: [
      "Following snowball (smallest balance first) you are debt-free in March 2030, in 3 months, with $46.25 of interest.",
      "1. Pay $303 to Store card (12% APR); that pays it off.",
      "2. Pay $197 to Rewards Visa (24% APR); it then owes $823.",
    ],
  },
  {
    // $1,000 in January: Visa owes $45, Store $278; February clears both: 20 + 3 + 0.90 + 2.78 = $26.68.
    user: "sam",
    question: "We got a $500 bonus. What if I put it on my cards this month?",
    intent: "what-if",
    tools: [CTX, PAYOFF],
    says: [
      "debt-free in February 2030 instead of March 2030, 1 month sooner, with $26.68 of interest instead of $40.86: $14.18 saved.",
    ],
  },
  {
    user: "sam",
    question: "What if I put $250 a month into my vacation fund?",
    intent: "goal",
    tools: [CTX],
    says: ["You have no active savings goals, none for “vacation”."],
  },
  // Lee: $30 for the cards against an $80 minimum.
  {
    user: "lee",
    question: "How do I get out of debt?",
    intent: "payoff",
    tools: [CTX, PAYOFF, PAYOFF],
    says: [
      "Your budget for January 2030 leaves $30 for your cards, but their minimum payments come to $80: you are $50 short.",
      "bring Dining back to its $100 limit (it has spent $180, $80 over). That frees $80 a month, enough for the minimums.",
      "With those changes $110 a month goes to your cards",
      "Until then, pay at least the minimums: $80 to Mastercard.",
    ],
  },
  {
    user: "lee",
    question: "Where am I overspending?",
    intent: "overspending",
    tools: [CTX, ANALYZE],
    says: [
      "over budget in 2 categories, by $120 in all",
      "- Dining: $180 spent of its $100 limit, $80 over.",
      "- Shopping: $90 spent of its $50 limit, $40 over.",
      "That is below your cards' $80 of minimum payments",
    ],
  },
  {
    user: "lee",
    question: "Can I afford a $400 TV?",
    intent: "afford",
    tools: [CTX, PAYOFF],
    says: [
      "No: this month's budget already falls short of your cards' minimum payments.",
      "you are $50 short",
    ],
  },
  {
    user: "lee",
    question: "Can I spend $50 on groceries?",
    intent: "afford",
    tools: [CTX, PAYOFF],
    says: [
      "It fits within the limit of Groceries, which has $300 left of $300, but this month's budget already falls short of your cards' minimum payments",
      "you are $50 short",
    ],
  },
  {
    user: "lee",
    question: "I got a $500 bonus, what if I put it on my cards this month?",
    intent: "what-if",
    tools: [CTX, PAYOFF],
    says: [
      "A one-off $500 on your cards in January 2030 does not close the monthly gap",
      "bring Dining back to its $100 limit",
    ],
  },
  {
    user: "lee",
    question: "What if I add $20 a month to my cards?",
    intent: "what-if",
    tools: [CTX, PAYOFF, ANALYZE],
    says: [
      "Adding $20 a month to the $30 your budget leaves for your cards is still not enough to cover the minimum payments.",
      "you are $50 short",
    ],
  },
  // Noah: no budget, a $500 Visa.
  {
    user: "noah",
    question: "How do I get out of debt?",
    intent: "payoff",
    tools: [CTX, PAYOFF],
    says: [
      "There is no budget for January 2030, so I do not know how much your income leaves for your cards.",
      "You owe $500 on 1 card, with $25 of minimum payments this month.",
      "Meanwhile pay at least the minimums: $25 to Visa.",
    ],
  },
  {
    user: "noah",
    question: "Can I afford a $400 TV?",
    intent: "afford",
    tools: [CTX],
    says: ["There is no budget for January 2030", "You owe $500 on your cards, with $25 of minimum payments"],
  },
  {
    user: "noah",
    question: "Am I over budget?",
    intent: "overspending",
    tools: [CTX, ANALYZE],
    says: [
      "There is no budget for January 2030, so no category has a limit to be over. You have spent $45 in it so far.",
    ],
  },
  {
    user: "noah",
    question: "How much did I spend eating out?",
    intent: "spending",
    tools: [CTX, "spending_by", "find_transactions"],
    says: ["You spent $45 on Dining in January 2030.", "$45 at Corner Cafe on January 3, 2030"],
  },
  // Ezra: nothing at all.
  {
    user: "ezra",
    question: "How do I get out of debt?",
    intent: "payoff",
    tools: [CTX, PAYOFF],
    says: ["You owe nothing on any credit card in Tyche"],
  },
  {
    user: "ezra",
    question: "give me an overview of my finances",
    intent: "summary",
    tools: [CTX],
    says: ["- No budget is planned for January 2030", "- No card debt."],
  },
  {
    user: "ezra",
    question: "When will I hit my vacation savings?",
    intent: "goal",
    tools: [CTX],
    says: ["You have no active savings goals, none for “vacation”."],
  },
  // Cleo: a card in credit beside a $200 Visa.
  {
    user: "cleo",
    question: "how do i pay down my visa",
    intent: "payoff",
    tools: [CTX, PAYOFF],
    says: [
      "1. Pay $202.50 to Visa (15% APR); that pays it off.",
      "debt-free in January 2030, in 1 month, with $2.50 of interest",
      "Amex ($25 in your favour) is in credit, so there is nothing to pay on it.",
    ],
  },
  // Élodie: in euros.
  {
    user: "elodie",
    question: "How do I get out of debt?",
    intent: "payoff",
    tools: [CTX, PAYOFF],
    says: [
      "leaves EUR 1,200 a month for your cards, their EUR 50 of minimums included; you owe EUR 1,000",
      "1. Pay EUR 1,010 to Visa (12% APR); that pays it off.",
      "with EUR 10 of interest",
    ],
  },
  {
    user: "elodie",
    question: "How do I reach my new bike goal?",
    intent: "goal",
    tools: [CTX, FORECAST],
    says: [
      "New bike: EUR 0 saved of EUR 600",
      "Putting EUR 100 a month into New bike, you reach it in June 2030, on time.",
      "EUR 1,100 a month instead of EUR 1,200: you would be debt-free in January 2030 either way, with the same EUR 10 of interest.",
    ],
  },
];

describe("the built-in advisor answers each phrasing with its intent's tools and the hand-worked figures", () => {
  it("has at least 30 phrasings, across every intent", () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ROWS.map((r) => r.intent)).size).toBe(8);
  });

  it.each(ROWS)("$user: $question", async (row) => {
    const t = await ask(row.user, row.question, row.today ? { today: row.today } : {});
    expect(t.text.startsWith(BUILT_IN_HEADER)).toBe(true);
    expect(t.uses.map((u) => u.tool)).toEqual(row.tools);
    for (const use of t.uses) expect(use.error, `${use.tool}: ${use.error}`).toBeUndefined();
    const context = t.uses[0]?.output as UserContext;
    expect(recognise(row.question, vocabularyOf(context, row.today ?? TODAY)).kind).toBe(row.intent);
    for (const phrase of row.says) expect(t.text).toContain(phrase);
    expect(ungroundedFigures(t.text, toolValues(t))).toEqual([]);
  });
});

describe("the turn's events", () => {
  it("give every call its own id, its result after it, and the text in several deltas", async () => {
    const t = await ask("sam", "How do I get out of debt?");
    const ids = t.uses.map((u) => u.callId);
    expect(new Set(ids).size).toBe(ids.length);
    const again = await ask("sam", "How do I get out of debt?");
    expect(again.uses.map((u) => u.callId).some((id) => ids.includes(id))).toBe(false);
    const order = t.events.map((e) => e.type);
    expect(order[0]).toBe("text");
    expect(order.filter((e) => e === "tool-call")).toHaveLength(
      order.filter((e) => e === "tool-result").length,
    );
    expect(order.filter((e) => e === "text").length).toBeGreaterThan(3);
  });

  it("answer a read-only principal with the read tools alone, and never call a write tool", async () => {
    const session = await principalOf("maya");
    const reader: Principal = { ...session, scope: "read", via: "personal-access-token" };
    const offered = toolsFor(all, reader);
    expect(offered.some((tool) => tool.write)).toBe(false);
    const t = await ask(reader, "How do I get out of debt?");
    expect(t.uses.map((u) => u.tool)).toEqual([CTX, PAYOFF]);
    expect(t.text).toContain("1. Pay $880 to Visa (12% APR); it then owes $130.");
    expect(ungroundedFigures(t.text, toolValues(t))).toEqual([]);
    const writes = new Set(all.filter((tool) => tool.write).map((tool) => tool.name));
    for (const row of ROWS.slice(0, 12)) {
      const answer = await ask(session, row.question);
      expect(answer.uses.filter((u) => writes.has(u.tool))).toEqual([]);
    }
  });

  it("turn a failing tool into an honest sentence, and a missing one too", async () => {
    const failing = all.map((tool) =>
      tool.name === PAYOFF
        ? {
            ...tool,
            run: async () => {
              throw new Error("the engine broke");
            },
          }
        : tool.name === ANALYZE
          ? {
              ...tool,
              run: async () => {
                throw new DomainError("not-found", "No analytics for that month");
              },
            }
          : tool,
    );
    const broken = await ask("maya", "How do I get out of debt?", { tools: failing });
    expect(broken.uses.map((u) => [u.tool, u.error])).toEqual([
      [CTX, undefined],
      [PAYOFF, "calculate_payoff failed unexpectedly"],
    ]);
    expect(broken.text).toContain(
      "I could not work out a payoff plan: calculate_payoff failed unexpectedly.",
    );
    const refused = await ask("maya", "Where am I overspending?", { tools: failing });
    expect(refused.uses[1]).toMatchObject({ tool: ANALYZE, error: expect.stringContaining("No analytics") });
    expect(refused.text).toContain("I could not analyse your budget: No analytics for that month");
    const without = await ask("maya", "How do I get out of debt?", {
      tools: all.filter((t) => t.name !== PAYOFF),
    });
    expect(without.uses.map((u) => u.tool)).toEqual([CTX]);
    expect(without.text).toContain("calculate_payoff is not available to this advisor");
    const blind = await ask("maya", "How am I doing?", { tools: [] });
    expect(blind.uses).toEqual([]);
    expect(blind.text).toContain(
      "I could not read your month: get_user_context is not available to this advisor.",
    );
  });

  it("plan a goal with calculate_payoff when forecast_savings is not offered", async () => {
    const t = await ask("maya", "How do I reach my emergency fund goal?", {
      tools: all.filter((tool) => tool.name !== FORECAST),
    });
    expect(t.uses.map((u) => u.tool)).toEqual([CTX, PAYOFF]);
    // $880 less $83.34 every month: January $213.34 left, February $2.13 of interest.
    expect(t.text).toContain(
      "Setting it aside leaves your cards $796.66 a month: you would be debt-free in February 2030, in 2 months, with $12.13 of interest.",
    );
    expect(ungroundedFigures(t.text, toolValues(t))).toEqual([]);
  });

  it("stop calling tools once the question is cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    const t = await ask("maya", "How do I get out of debt?", { signal: controller.signal });
    expect(t.uses).toEqual([]);
    expect(t.text).toBe(BUILT_IN_HEADER);
  });
});

describe("suggested questions", () => {
  it("are 3 to 5 questions from the user's own data, each recognised as the intent it was written for", async () => {
    for (const name of Object.keys(users)) {
      const principal = await principalOf(name);
      const context = (await runner.ok(principal, CTX)) as UserContext;
      const suggestions = suggestionsFrom(context);
      expect(suggestions.length, name).toBeGreaterThanOrEqual(3);
      expect(suggestions.length, name).toBeLessThanOrEqual(5);
      for (const s of suggestions)
        expect(recognise(s.question, vocabularyOf(context, TODAY)).kind, `${name}: ${s.question}`).toBe(
          s.intent,
        );
      const asked = await suggestQuestions(toolContext(principal, TODAY), toolsFor(all, principal));
      expect(asked).toEqual(suggestions.map((s) => s.question));
    }
  });

  it("name Maya's own card debt, overspending, goal and figures", async () => {
    const context = (await runner.ok(await principalOf("maya"), CTX)) as UserContext;
    expect(suggestionsFrom(context).map((s) => s.question)).toEqual([
      "What's the fastest way to pay off my cards?",
      "Where am I overspending?",
      "How do I reach my Vacation goal?",
      // Dining's $120 overrun: what bringing it back to its limit would free.
      "What if I add $120 a month to my cards?",
      "Can I afford to spend $60 more on entertainment this month?",
    ]);
  });

  it("are general ones without the context tool", async () => {
    const principal = await principalOf("maya");
    expect(await suggestQuestions(toolContext(principal, TODAY), [])).toEqual([
      "How am I doing this month?",
      "How do I get out of debt?",
      "Where does my money go?",
    ]);
  });
});
