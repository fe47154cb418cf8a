import type {
  AssistantInfo,
  Budget,
  Card,
  Category,
  ChatEvent,
  Conversation,
  ConversationSummary,
} from "@tyche/types";
import type { Locator, Page, Route } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { readSse, type SseEvent, SseParser } from "../web/src/api/sse";
import { builtApp, moneyIn, shareApp, textOf as text } from "./support/api";
import { auditPageAndPhone } from "./support/browser";

/**
 * The assistant page (/assistant). The SSE reader first, on its own; then the page with the chat
 * protocol scripted (what the real advisors cannot be made to do on demand: a model's answer, a
 * failure mid-stream, a refusal, an odd tool output, a stop); then the page against the real API
 * and its built-in advisor, with figures checked against the user's own data.
 */

const shared = shareApp();
let page: Page;
beforeAll(() => {
  page = shared.page;
});

const fmt = (cents: number) => moneyIn(page, cents);
const focusedLabel = () =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.id ? (document.querySelector(`label[for="${el.id}"]`)?.textContent ?? "") : "";
  });

describe("the SSE reader", () => {
  const events = (chunks: string[]) => {
    const parser = new SseParser();
    const out: SseEvent[] = [];
    for (const c of chunks) out.push(...parser.push(c));
    out.push(...parser.end());
    return out;
  };
  const whole = 'event: start\ndata: {"a":1}\n\n: a comment\nevent: text\ndata: one\ndata: two\n\n';

  it("reads events, joins data lines, skips comments, and gives them the same however the stream is cut", () => {
    const expected = [
      { event: "start", data: '{"a":1}' },
      { event: "text", data: "one\ntwo" },
    ];
    expect(events([whole])).toEqual(expected);
    // Every cut of the text into two pieces, and one character at a time.
    for (let i = 1; i < whole.length; i++)
      expect(events([whole.slice(0, i), whole.slice(i)])).toEqual(expected);
    expect(events([...whole])).toEqual(expected);
  });

  it("takes CRLF and CR line ends, a CRLF split between chunks, and drops an event never closed", () => {
    expect(events(["event: a\r", "\ndata: x\r", "\n\r", "\n"])).toEqual([{ event: "a", data: "x" }]);
    expect(events(["data:y\r\rdata: z"])).toEqual([{ event: "message", data: "y" }]);
    // An event without data is no event.
    expect(events(["event: ping\n\n"])).toEqual([]);
  });

  it("decodes UTF-8 split across chunks", async () => {
    const bytes = new TextEncoder().encode('event: text\ndata: {"delta":"€ 5 — ok"}\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]));
        controller.close();
      },
    });
    const out: SseEvent[] = [];
    for await (const e of readSse(stream)) out.push(e);
    expect(out).toEqual([{ event: "text", data: '{"delta":"€ 5 — ok"}' }]);
  });
});

/** The body of a chat answer: each event as the API writes it. */
const sse = (events: readonly ChatEvent[]) =>
  events.map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`).join("");
const CONVERSATION = "01JQ8Z6K3M9V2X4T7R5N0P1C2D";
const TURN = "01JQ8Z6K3M9V2X4T7R5N0P1T01";

const modelInfo: AssistantInfo = {
  advisor: "model",
  model: "anthropic:claude-test",
  tools: [
    { name: "calculate_payoff", description: "Plans", write: false },
    { name: "add_transaction", description: "Records", write: true },
  ],
  suggestions: ["How do I get out of debt?", "Where am I overspending?"],
};

/** A payoff plan's output as calculate_payoff gives it, trimmed to what the card reads and a bit more. */
const payoffOutput = {
  month: "2027-03",
  currency: "USD",
  monthlyAmount: 50_000,
  totalOwed: 300_000,
  minimumsDue: 9_000,
  shortfall: null,
  chosen: {
    strategy: "avalanche",
    end: "debt-free",
    monthsToDebtFree: 7,
    debtFreeMonth: "2027-09",
    totalInterest: 12_345,
    interestSaved: 67_890,
    thisMonth: {
      month: "2027-03",
      payments: [{ cardId: "x", name: "Visa", payment: 41_000, interest: 1, balanceAfter: 2 }],
    },
    balances: [
      { month: "2027-03", total: 260_000 },
      { month: "2027-04", total: 215_000 },
      { month: "2027-05", total: 170_000 },
    ],
  },
  whatIf: null,
};

/** Each tool's output, shaped as services/api/src/ai/tools gives it (trimmed), for its own card. */
const TOOL_OUTPUTS: Record<string, unknown> = {
  get_user_context: {
    month: "2027-03",
    today: "2027-03-10",
    currency: "USD",
    budget: {
      totalIncome: 400_000,
      actualIncome: 0,
      totalBudgeted: 250_000,
      totalExpenses: 85_000,
      unallocated: 150_000,
      availableForDebtPayoff: 150_000,
      paidToDebt: 0,
      categories: [
        {
          categoryId: "a",
          name: "Groceries",
          type: "groceries",
          group: "essentials",
          limit: 60_000,
          spent: 60_000,
          remaining: 0,
          status: "near",
        },
        {
          categoryId: "b",
          name: "Dining",
          type: "dining",
          group: "lifestyle",
          limit: 20_000,
          spent: 25_000,
          remaining: -5_000,
          status: "over",
        },
      ],
    },
    cards: [
      {
        cardId: "c",
        name: "Visa",
        currency: "USD",
        balance: 250_000,
        aprBasisPoints: 2400,
        minimumDue: 7_550,
      },
    ],
    totalOwed: 250_000,
    totalMinimumDue: 7_550,
    goals: [],
    upcomingBills: { from: "2027-03-10", to: "2027-04-09", items: [], totals: {} },
  },
  analyze_budget: {
    month: "2027-03",
    currency: "USD",
    hasBudget: true,
    asOf: "2027-03-10",
    totals: { plannedIncome: 400_000, expenses: 85_000, budgeted: 250_000, availableForDebtPayoff: 150_000 },
    overspent: [{ categoryId: "b", name: "Dining", limit: 20_000, spent: 25_000, overBy: 5_000 }],
    totalOverspent: 5_000,
    nearLimit: [],
    recommendations: [
      { categoryId: "b", name: "Dining", action: "cut", amount: 5_000, rule: "over-budget", reason: "Over" },
    ],
    potentialSavings: 5_000,
    toFree: null,
  },
  spending_by: {
    by: "category",
    from: "2027-03",
    to: "2027-03",
    currency: "USD",
    rows: [
      { key: "a", name: "Groceries", amount: 60_000 },
      { key: "b", name: "Dining", amount: 25_000 },
    ],
    otherRows: 0,
    total: 85_000,
  },
  find_transactions: {
    items: [
      {
        transactionId: "t1",
        date: "2027-03-09",
        amount: 5_000,
        type: "expense",
        merchant: "Trattoria",
        description: null,
        category: "dining",
        accountId: "x",
        pending: false,
      },
      {
        transactionId: "t2",
        date: "2027-03-02",
        amount: 2_500,
        type: "expense",
        merchant: null,
        description: "Coffee",
        category: "dining",
        accountId: "x",
        pending: false,
      },
    ],
    count: 2,
    totals: { expense: 7_500 },
    nextCursor: null,
  },
  forecast_savings: {
    month: "2027-03",
    currency: "USD",
    months: 2,
    change: { categoryLimits: [], incomeChange: 10_000, extraDebtPayment: 0, goalContribution: [] },
    availableForDebtPayoff: {
      thisMonth: { before: 150_000, after: 160_000, difference: 10_000 },
      laterMonths: { before: 150_000, after: 160_000, difference: 10_000 },
    },
    debt: {
      totalOwed: 250_000,
      debtFreeMonth: { before: "2027-08", after: "2027-06", monthsSooner: 2 },
      monthsToDebtFree: { before: 6, after: 4, difference: -2 },
      totalInterest: { before: 9_000, after: 7_000, difference: -2_000 },
    },
    goals: [],
    schedule: [
      { month: "2027-03", owedAtEnd: { before: 105_000, after: 95_000, difference: -10_000 } },
      { month: "2027-04", owedAtEnd: { before: 60_000, after: 40_000, difference: -20_000 } },
    ],
    totals: {},
    assumptions: [],
  },
  optimize_categories: {
    month: "2027-03",
    currency: "USD",
    objective: { kind: "debt" },
    target: { amount: null, source: "none" },
    targetMet: null,
    shortBy: 0,
    categories: [
      {
        categoryId: "b",
        name: "Dining",
        group: "lifestyle",
        from: 40_000,
        to: 30_000,
        change: -10_000,
        spent: 25_000,
        reason: "above your usual spending",
      },
      {
        categoryId: "a",
        name: "Groceries",
        group: "essentials",
        from: 60_000,
        to: 60_000,
        change: 0,
        spent: 60_000,
        reason: "essential",
      },
    ],
    totals: { freed: 10_000, categoriesCut: 1 },
    availableForDebtPayoff: {
      thisMonth: { before: 150_000, after: 160_000, difference: 10_000 },
      laterMonths: { before: 150_000, after: 160_000, difference: 10_000 },
    },
    toGoalMonthly: 0,
    debt: { debtFreeMonth: { before: "2027-08", after: "2027-07", monthsSooner: 1 } },
    goal: null,
  },
  add_transaction: {
    created: {
      transactionId: "t3",
      date: "2027-03-10",
      amount: 1_200,
      type: "expense",
      merchant: "Bakery",
      description: null,
    },
  },
  set_category_limit: {
    month: "2027-03",
    currency: "USD",
    category: { categoryId: "b", name: "Dining", limit: 25_000, spent: 25_000 },
    totalBudgeted: 255_000,
    unallocated: 145_000,
    availableForDebtPayoff: 145_000,
  },
  create_goal: {
    created: {
      goalId: "g",
      name: "Holiday",
      currency: "USD",
      targetAmount: 300_000,
      currentAmount: 0,
      targetDate: "2027-12-31",
      requiredMonthly: 30_000,
    },
  },
};

async function scripted(info: AssistantInfo, chat: (route: Route) => Promise<void>) {
  await page.unrouteAll({ behavior: "wait" });
  await page.route("**/v1/ai/assistant", (r) => r.fulfill({ json: info }));
  await page.route("**/v1/ai/conversations", (r) => r.fulfill({ json: { items: [] } }));
  await page.route("**/v1/ai/chat", chat);
}
const answerWith = (events: readonly ChatEvent[]) => (route: Route) =>
  route.fulfill({ status: 200, contentType: "text/event-stream", body: sse(events) });

async function openAssistant() {
  await page.goto("/assistant");
  await page.getByRole("heading", { name: "Assistant", level: 1 }).waitFor();
}
const lastTurn = () => page.getByTestId("turn").last();

describe("the assistant page's bundle", () => {
  it("is a chunk of its own, and recharts comes only with a chart", async () => {
    const { entryJs, asset, withImports } = await builtApp(shared.server.baseUrl);
    const chunk = /AssistantPage-[\w-]+\.js/.exec(entryJs)?.[0];
    expect(chunk, "the assistant page is a chunk of its own").toBeTruthy();
    expect(await asset(chunk ?? "")).not.toContain("recharts");
    await expect(withImports(chunk ?? "")).resolves.not.toContain("recharts-surface");
  });
});

describe("the assistant page, with the chat protocol scripted", () => {
  it("streams a model's answer as paragraphs and a list, says who answered, and shows its tools as cards", async () => {
    await shared.signUp();
    let asked: unknown;
    await scripted(modelInfo, async (route) => {
      asked = route.request().postDataJSON();
      await answerWith([
        {
          type: "start",
          conversationId: CONVERSATION,
          turnId: TURN,
          advisor: "model",
          model: "anthropic:claude-test",
        },
        { type: "text", delta: "Pay **Visa** first.\n" },
        { type: "tool-call", callId: "c1", tool: "calculate_payoff", input: {} },
        { type: "tool-result", callId: "c1", tool: "calculate_payoff", output: payoffOutput },
        { type: "text", delta: "\n- Cut dining by $50\n- Keep <b>going</b>" },
        {
          type: "tool-result",
          callId: "c2",
          tool: "mystery_tool",
          output: { totalSpent: 1234, currency: "USD", count: 3 },
        },
        // A known tool with an output its card cannot read: the generic card shows it.
        { type: "tool-result", callId: "c3", tool: "spending_by", output: { by: "category", rows: "oops" } },
        { type: "tool-error", callId: "c4", tool: "analyze_budget", error: "No budget for 2027-03" },
        { type: "done", turnId: TURN },
      ])(route);
    });
    await openAssistant();
    const intro = page.getByTestId("advisor-intro");
    await expect.poll(() => text(intro)).toContain("Answers come from anthropic:claude-test.");
    const log = page.getByRole("log", { name: "Questions and answers" });
    await expect.poll(() => log.getAttribute("aria-live")).toBe("polite");
    await auditPageAndPhone(page, "assistant-empty");

    await page.getByRole("button", { name: "How do I get out of debt?" }).click();
    expect(asked).toEqual({ message: "How do I get out of debt?" });
    const turn = lastTurn();
    await expect.poll(() => turn.getAttribute("data-state")).toBe("done");
    await expect
      .poll(() => turn.getByRole("heading", { level: 3 }).textContent())
      .toBe("You asked: How do I get out of debt?");
    await expect
      .poll(() => text(turn.getByTestId("advisor-note")))
      .toBe("Answered by anthropic:claude-test.");
    const words = turn.getByTestId("answer-text");
    await expect.poll(() => words.locator("p strong").textContent()).toBe("Visa");
    await expect
      .poll(() => words.locator("li").allTextContents())
      .toEqual(["Cut dining by $50", "Keep <b>going</b>"]);
    // Markup in an answer is text, never HTML.
    await expect.poll(() => words.locator("b").count()).toBe(0);
    // The address names the conversation the answer started.
    expect(new URL(page.url()).searchParams.get("conversation")).toBe(CONVERSATION);
    // The focus stays in the question box for the next question.
    await expect.poll(() => focusedLabel()).toBe("Your question");

    const plan = turn.getByRole("article", { name: "Payoff plan" });
    await expect
      .poll(() => text(plan.locator(".tool-lead")))
      .toBe(`Avalanche, ${await fmt(50_000)} a month: debt-free in 7 months, by September 2027.`);
    await plan.getByText(`${await fmt(12_345)}`, { exact: true }).waitFor();
    await plan.getByText(`${await fmt(67_890)}`, { exact: true }).waitFor();
    await expect.poll(() => text(plan.locator(".tool-list li"))).toBe(`Visa: ${await fmt(41_000)}`);
    await plan.locator(".recharts-surface").waitFor();
    await plan.getByText("As a table (3 months)").click();
    await expect.poll(() => plan.getByRole("row").nth(2).textContent()).toContain(await fmt(215_000));

    const mystery = turn.getByRole("article", { name: "Mystery tool" });
    await expect.poll(() => text(mystery.locator("dl"))).toContain(`Total spent${await fmt(1234)}`);
    await expect.poll(() => text(mystery.locator("dl"))).toContain("Count3");
    await turn
      .getByRole("article", { name: "Where the money went" })
      .getByText("Everything it returned")
      .waitFor();
    await expect
      .poll(() => text(turn.getByRole("article", { name: "Budget check: not available" })))
      .toContain("No budget for 2027-03");
    await auditPageAndPhone(page, "assistant-model-answer");
  });

  it("continues the conversation, and says a refusal in words with a way to ask again", async () => {
    let asked: unknown;
    await scripted(modelInfo, async (route) => {
      asked = route.request().postDataJSON();
      await route.fulfill({
        status: 503,
        contentType: "application/problem+json",
        json: {
          type: "about:blank",
          title: "The advisor is unavailable",
          status: 503,
          detail: "Try again in a minute.",
        },
      });
    });
    const box = page.getByLabel("Your question");
    await box.fill("And my savings?");
    await box.press("Enter");
    await expect.poll(() => lastTurn().getAttribute("data-state")).toBe("error");
    expect(asked).toEqual({ message: "And my savings?", conversationId: CONVERSATION });
    await expect
      .poll(() => text(lastTurn().getByTestId("turn-error")))
      .toBe("The advisor is unavailable: Try again in a minute.");

    await scripted(
      modelInfo,
      answerWith([
        {
          type: "start",
          conversationId: CONVERSATION,
          turnId: "01JQ8Z6K3M9V2X4T7R5N0P1T02",
          advisor: "model",
        },
        { type: "text", delta: "Your savings are fine." },
        { type: "done", turnId: "01JQ8Z6K3M9V2X4T7R5N0P1T02" },
      ]),
    );
    await lastTurn().getByRole("button", { name: "Ask again" }).click();
    await expect.poll(() => lastTurn().getAttribute("data-state")).toBe("done");
    await expect.poll(() => page.getByTestId("turn").count()).toBe(2);
    await expect.poll(() => text(lastTurn().getByTestId("answer-text"))).toBe("Your savings are fine.");
  });

  it("says an error the stream sent, and an answer cut off before its end", async () => {
    await scripted(
      modelInfo,
      answerWith([
        {
          type: "start",
          conversationId: CONVERSATION,
          turnId: "01JQ8Z6K3M9V2X4T7R5N0P1T03",
          advisor: "model",
        },
        { type: "text", delta: "Let me see" },
        { type: "error", detail: "The model did not answer in time." },
      ]),
    );
    const box = page.getByLabel("Your question");
    await box.fill("Can I afford a car?");
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    await expect.poll(() => lastTurn().getAttribute("data-state")).toBe("error");
    await expect
      .poll(() => text(lastTurn().getByTestId("turn-error")))
      .toBe("The model did not answer in time.");
    // The words that came before the error stay.
    await expect.poll(() => text(lastTurn().getByTestId("answer-text"))).toBe("Let me see");

    await scripted(
      modelInfo,
      answerWith([
        {
          type: "start",
          conversationId: CONVERSATION,
          turnId: "01JQ8Z6K3M9V2X4T7R5N0P1T04",
          advisor: "model",
        },
        { type: "text", delta: "Half an ans" },
      ]),
    );
    await box.fill("And a bike?");
    await box.press("Enter");
    await expect.poll(() => lastTurn().getAttribute("data-state")).toBe("error");
    await expect.poll(() => text(lastTurn().getByTestId("turn-error"))).toContain("The answer was cut off");
  });

  it("stops an answer on request, and an empty question is not sent", async () => {
    let calls = 0;
    await scripted(modelInfo, async (route) => {
      calls += 1;
      // Never answered: the question waits until it is stopped.
      await new Promise(() => undefined);
      await route.abort();
    });
    await page.getByRole("button", { name: "Ask", exact: true }).click();
    await page.getByText("Type a question first, or choose one of the suggestions.").waitFor();
    expect(calls).toBe(0);

    const box = page.getByLabel("Your question");
    await box.fill("What if I add $100 a month?");
    await box.press("Enter");
    await expect.poll(() => text(page.getByTestId("chat-status"))).toBe("Waiting for the answer…");
    await expect.poll(() => page.getByRole("log").getAttribute("aria-busy")).toBe("true");
    // One question at a time: the suggestions wait too.
    await expect
      .poll(() => page.getByRole("button", { name: "Where am I overspending?" }).isDisabled())
      .toBe(true);
    await page.getByRole("button", { name: "Stop" }).click();
    await expect.poll(() => lastTurn().getAttribute("data-state")).toBe("stopped");
    await lastTurn().getByText("You stopped this answer.").waitFor();
    await expect.poll(() => focusedLabel()).toBe("Your question");
    await expect.poll(() => page.getByRole("log").getAttribute("aria-busy")).toBe("false");
    await page.unrouteAll({ behavior: "ignoreErrors" });
  });

  it("draws each tool's own card from the output that tool gives, with its key figures", async () => {
    const results = Object.entries(TOOL_OUTPUTS).map(
      ([tool, output], i): ChatEvent => ({ type: "tool-result", callId: `t${i}`, tool, output }),
    );
    const turnId = "01JQ8Z6K3M9V2X4T7R5N0P1T05";
    await scripted(
      modelInfo,
      answerWith([
        {
          type: "start",
          conversationId: CONVERSATION,
          turnId,
          advisor: "model",
          model: "anthropic:claude-test",
        },
        ...results,
        { type: "text", delta: "Here is everything." },
        { type: "done", turnId },
      ]),
    );
    const box = page.getByLabel("Your question");
    await box.fill("Show me everything");
    await box.press("Enter");
    await expect.poll(() => lastTurn().getAttribute("data-state")).toBe("done");
    const turn = lastTurn();
    const titles = await turn.getByTestId("tool-card").getByRole("heading", { level: 4 }).allTextContents();
    expect(titles).toEqual([
      `Your budget for ${await monthName("2027-03")}`,
      `Where you are overspending in ${await monthName("2027-03")}`,
      `Where the money went: ${await monthName("2027-03")}`,
      "Transactions found: 2",
      "What the change would do",
      `New limits for ${await monthName("2027-03")}`,
      "Transaction recorded",
      `Dining: new limit for ${await monthName("2027-03")}`,
      "Goal created: Holiday",
    ]);
    // None of them fell back to the generic card.
    await expect.poll(() => turn.locator(".tool-generic").count()).toBe(0);
    const card = (tool: string) => turn.locator(`[data-tool="${tool}"]`);
    expect(await factsOf(card("get_user_context"))).toMatchObject({
      "Available for debt payoff": await fmt(150_000),
    });
    expect(await factsOf(card("analyze_budget"))).toMatchObject({ "Over budget in all": await fmt(5_000) });
    expect(await factsOf(card("spending_by"))).toMatchObject({
      "Spent in all": await fmt(85_000),
      "By category": "2 categories",
    });
    expect(await factsOf(card("find_transactions"))).toMatchObject({ Spent: await fmt(7_500) });
    const forecast = await factsOf(card("forecast_savings"));
    expect(forecast["Sooner by"]).toBe("2 months");
    expect(forecast["Available for debt payoff a month"]?.replace(/\s+/g, " ")).toBe(
      `${await fmt(150_000)} → becomes ${await fmt(160_000)}`,
    );
    expect(await factsOf(card("optimize_categories"))).toMatchObject({ "Freed a month": await fmt(10_000) });
    // The arrow is for the eye; a screen reader hears "becomes".
    await expect
      .poll(() => text(card("optimize_categories").locator(".tool-list")).then((t) => t.replace(/\s+/g, " ")))
      .toContain(`Dining: ${await fmt(40_000)} → becomes ${await fmt(30_000)}`);
    expect(await factsOf(card("set_category_limit"))).toMatchObject({ Limit: await fmt(25_000) });
    expect(await factsOf(card("create_goal"))).toMatchObject({ Target: await fmt(300_000) });
    for (const tool of [
      "get_user_context",
      "analyze_budget",
      "spending_by",
      "forecast_savings",
      "optimize_categories",
    ])
      await card(tool).locator(".recharts-surface").waitFor();
    await auditPageAndPhone(page, "assistant-every-card");
    await page.unrouteAll({ behavior: "ignoreErrors" });
  });
});

/** A card's figures, each name with its figure, as the page shows them. */
const factsOf = (card: Locator) =>
  card.evaluate((el) =>
    Object.fromEntries(
      Array.from(el.querySelectorAll("dl > div")).map((d) => [
        d.querySelector("dt")?.textContent ?? "",
        d.querySelector("dd")?.textContent ?? "",
      ]),
    ),
  );
const monthName = (m: string) =>
  page.evaluate(
    (x) =>
      new Intl.DateTimeFormat(navigator.language, { month: "long", year: "numeric", timeZone: "UTC" }).format(
        new Date(`${x}-01T00:00:00Z`),
      ),
    m,
  );

declare global {
  interface Window {
    /** Each chat answer's body as the page read it (see recordChatStreams). */
    chatStreams?: { text: string; done: boolean }[];
  }
}

/**
 * Copies each chat answer's body as the page reads it, untouched (the page still gets it as a
 * stream): what the API sent, to check the page against. Playwright's own response bodies do not
 * outlive the address change the page makes when a conversation starts.
 */
function recordChatStreams() {
  const streams: { text: string; done: boolean }[] = [];
  window.chatStreams = streams;
  const original = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const res = await original(input, init);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!url.endsWith("/v1/ai/chat") || !res.body) return res;
    const [forPage, forTest] = res.body.tee();
    const entry = { text: "", done: false };
    streams.push(entry);
    void (async () => {
      const reader = forTest.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        entry.text += decoder.decode(value, { stream: true });
      }
      entry.done = true;
    })();
    return new Response(forPage, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

/** The chat answer the page received, as the API sent it: its events in order. */
async function answered(ask: () => Promise<void>): Promise<ChatEvent[]> {
  const index = await page.evaluate(() => window.chatStreams?.length ?? 0);
  await ask();
  await expect.poll(() => page.evaluate((i) => window.chatStreams?.[i]?.done ?? false, index)).toBe(true);
  const body = await page.evaluate((i) => window.chatStreams?.[i]?.text ?? "", index);
  await expect.poll(() => lastTurn().getAttribute("data-state")).toBe("done");
  return new SseParser().push(body).map((e) => JSON.parse(e.data) as ChatEvent);
}

/** An answer's text as the page renders it: without list markers or bold marks. */
const plain = (words: string) => words.replace(/\*\*/g, "").replace(/^[ \t]*([-*•]|\d{1,3}[.)])[ \t]+/gm, "");
/** Text without its spaces: the page's paragraphs and items follow each other with none between. */
const flat = (s: string | null) => (s ?? "").replace(/\s+/g, "");

const BUILT_IN_NOTE =
  "Built-in advisor: answers from your numbers with fixed rules; no AI model is configured.";

describe("the assistant page, against the API and its built-in advisor", () => {
  const month = new Date().toISOString().slice(0, 7);
  let budget: Budget;
  let visa: Card;
  let firstQuestion = "";
  let conversationId = "";

  /**
   * Checks every tool card of a turn against what the API says of the user's data, for the tools
   * whose figures the test knows how to find; answers how many such cards it checked.
   */
  async function checkCards(turn: Locator, events: readonly ChatEvent[]): Promise<number> {
    const results = events.filter((e) => e.type === "tool-result");
    // One card per result, in the order the tools answered.
    await expect.poll(() => turn.getByTestId("tool-card").count()).toBe(results.length);
    let checked = 0;
    for (const r of results) {
      const card = turn.locator(`[data-tool="${r.tool}"]`).first();
      const facts = await factsOf(card);
      if (r.tool === "get_user_context") {
        await expect
          .poll(() => card.getByRole("heading", { level: 4 }).textContent())
          .toBe(`Your budget for ${await monthName(month)}`);
        expect(facts).toMatchObject({
          "Income planned": await fmt(budget.totalIncome),
          "Spent so far": await fmt(budget.totalActualExpenses),
          "Available for debt payoff": await fmt(budget.availableForDebtPayoff),
          "Owed on 1 card": await fmt(visa.balance),
        });
        checked += 1;
      } else if (r.tool === "calculate_payoff") {
        const plan = await shared.call<{ monthlyAmount: number; totalOwed: number }>(
          "GET",
          `/v1/debt/compare?month=${month}`,
        );
        expect(facts).toMatchObject({ "Owed now": await fmt(plan.totalOwed) });
        await expect
          .poll(() => text(card.locator(".tool-lead")))
          .toContain(`${await fmt(plan.monthlyAmount)} a month`);
        checked += 1;
      } else if (r.tool === "analyze_budget") {
        expect(facts).toMatchObject({ "Over budget in all": await fmt(5_000) });
        checked += 1;
      }
    }
    return checked;
  }

  it("answers a suggested question without a model: streamed words, the advisor named, the figures as cards", async () => {
    const categories = (await shared.call<{ items: Category[] }>("GET", "/v1/categories")).items;
    const id = (name: string) => {
      const c = categories.find((x) => x.name === name);
      if (!c) throw new Error(`no category ${name}`);
      return c.categoryId;
    };
    await shared.call("POST", "/v1/cards", {
      name: "Visa",
      balance: 250_000,
      aprBasisPoints: 2400,
      creditLimit: 500_000,
      dueDay: 15,
    });
    await shared.call("POST", "/v1/budgets", {
      month,
      totalIncome: 400_000,
      categories: [
        { categoryId: id("Groceries"), limit: 60_000 },
        { categoryId: id("Dining"), limit: 20_000 },
      ],
    });
    const accounts = (
      await shared.call<{ items: { accountId: string; type: string }[] }>("GET", "/v1/accounts")
    ).items;
    const checking = accounts.find((a) => a.type !== "credit-card");
    await shared.call("POST", "/v1/transactions", {
      accountId: checking?.accountId,
      date: new Date().toISOString().slice(0, 10),
      amount: 25_000,
      type: "expense",
      categoryId: id("Dining"),
      merchant: "Trattoria",
    });
    budget = await shared.call<Budget>("GET", `/v1/budgets/${month}`);
    visa = (await shared.call<{ items: Card[] }>("GET", "/v1/cards")).items[0] as Card;

    await page.unrouteAll({ behavior: "wait" });
    // The scripted refusal above was a 503 on purpose; from here on, nothing may go wrong.
    shared.app.problems.length = 0;
    await page.addInitScript(recordChatStreams);
    await openAssistant();
    const info = await shared.call<AssistantInfo>("GET", "/v1/ai/assistant");
    expect(info.advisor).toBe("built-in");
    await expect
      .poll(() => text(page.getByTestId("advisor-intro")))
      .toContain("No AI model is configured, so Tyche's built-in advisor answers.");
    await page.getByTestId("conversations-empty").waitFor();
    firstQuestion = info.suggestions[0] ?? "";
    expect(firstQuestion).not.toBe("");

    const events = await answered(() =>
      page.getByRole("button", { name: firstQuestion, exact: true }).click(),
    );
    expect(events[0]).toMatchObject({ type: "start", advisor: "built-in" });
    expect(events.at(-1)).toMatchObject({ type: "done" });
    conversationId = events[0]?.type === "start" ? events[0].conversationId : "";
    expect(new URL(page.url()).searchParams.get("conversation")).toBe(conversationId);

    const turn = lastTurn();
    await expect.poll(() => text(turn.getByTestId("advisor-note"))).toBe(BUILT_IN_NOTE);
    // The words on the page are the stream's words, as they came.
    const words = events.flatMap((e) => (e.type === "text" ? [e.delta] : [])).join("");
    expect(words.trim()).not.toBe("");
    await expect
      .poll(() => turn.getByTestId("answer-text").textContent().then(flat))
      .toBe(flat(plain(words)));
    expect(await checkCards(turn, events)).toBeGreaterThan(0);
    await page.getByTestId("conversation").first().waitFor();
  });

  it("answers a typed question in the same conversation, with the focus back in the question box", async () => {
    let sent: unknown;
    page.once("request", (r) => {
      if (r.url().endsWith("/v1/ai/chat")) sent = r.postDataJSON();
    });
    const box = page.getByLabel("Your question");
    await box.fill("Where am I overspending?");
    const events = await answered(() => box.press("Enter"));
    expect(sent).toEqual({ message: "Where am I overspending?", conversationId });
    expect(events[0]).toMatchObject({ type: "start", conversationId, advisor: "built-in" });
    await expect.poll(() => page.getByTestId("turn").count()).toBe(2);
    const turn = lastTurn();
    await expect.poll(() => text(turn.getByTestId("advisor-note"))).toBe(BUILT_IN_NOTE);
    const words = events.flatMap((e) => (e.type === "text" ? [e.delta] : [])).join("");
    await expect
      .poll(() => turn.getByTestId("answer-text").textContent().then(flat))
      .toBe(flat(plain(words)));
    expect(await checkCards(turn, events)).toBeGreaterThan(0);
    await expect.poll(() => focusedLabel()).toBe("Your question");
    await expect.poll(() => text(page.getByTestId("chat-status"))).toBe("");

    // The API kept both turns, and the tools' results with them.
    const kept = await shared.call<Conversation>("GET", `/v1/ai/conversations/${conversationId}`);
    expect(kept.turns.map((t) => t.question)).toEqual([firstQuestion, "Where am I overspending?"]);
    expect(kept.turns.every((t) => t.advisor === "built-in" && t.tools.length > 0)).toBe(true);
    await auditPageAndPhone(page, "assistant-built-in");
  });

  it("starts a new conversation, and reopens the first from the list (and after a reload)", async () => {
    await page.getByRole("button", { name: "New conversation" }).click();
    await expect.poll(() => page.getByTestId("turn").count()).toBe(0);
    expect(new URL(page.url()).searchParams.get("conversation")).toBeNull();
    await expect.poll(() => focusedLabel()).toBe("Your question");

    const listed = (await shared.call<{ items: ConversationSummary[] }>("GET", "/v1/ai/conversations")).items;
    expect(listed.map((c) => c.conversationId)).toEqual([conversationId]);
    const link = page.getByTestId("conversation").getByRole("link", { name: firstQuestion });
    await link.click();
    await expect.poll(() => page.getByTestId("turn").count()).toBe(2);
    expect(new URL(page.url()).searchParams.get("conversation")).toBe(conversationId);
    await expect.poll(() => link.getAttribute("aria-current")).toBe("page");
    // The conversation's heading takes the focus: what was opened is read out.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(firstQuestion);
    const kept = await shared.call<Conversation>("GET", `/v1/ai/conversations/${conversationId}`);
    const turns = page.getByTestId("turn");
    for (const [i, t] of kept.turns.entries()) {
      const shown = turns.nth(i);
      await expect
        .poll(() => shown.getByRole("heading", { level: 3 }).textContent())
        .toBe(`You asked: ${t.question}`);
      await expect
        .poll(() => shown.getByTestId("answer-text").textContent().then(flat))
        .toBe(flat(plain(t.answer)));
      await expect.poll(() => text(shown.getByTestId("advisor-note"))).toBe(BUILT_IN_NOTE);
      const events = t.tools.flatMap((u): ChatEvent[] =>
        u.output === undefined
          ? []
          : [{ type: "tool-result", callId: u.callId, tool: u.tool, output: u.output }],
      );
      expect(await checkCards(shown, events)).toBeGreaterThan(0);
    }

    await page.reload();
    await expect.poll(() => page.getByTestId("turn").count()).toBe(2);
    await expect.poll(() => text(page.getByRole("heading", { level: 2 }).first())).toBe(firstQuestion);
  });

  it("deletes a conversation after asking", async () => {
    const item = page.getByTestId("conversation");
    await item.getByRole("button", { name: `Delete “${firstQuestion}”` }).click();
    await item.getByText(`Delete the conversation “${firstQuestion}”? This cannot be undone.`).waitFor();
    await item.getByRole("button", { name: "Delete it" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `The conversation “${firstQuestion}” was deleted.` })
      .waitFor();
    await page.getByTestId("conversations-empty").waitFor();
    await expect.poll(() => page.getByTestId("turn").count()).toBe(0);
    expect(new URL(page.url()).searchParams.get("conversation")).toBeNull();
    expect(
      (await shared.call<{ items: ConversationSummary[] }>("GET", "/v1/ai/conversations")).items,
    ).toEqual([]);
    expect(shared.app.problems).toEqual([]);
  });
});
