import { minorUnitDigits } from "@tyche/core";
import { log } from "../../log";
import { type AnyTool, runTool, type ToolContext } from "../tools";
import { money } from "./format";
import type { IntentKind } from "./intents";
import type { UserContext } from "./turn";

export interface Suggestion {
  question: string;
  /** The intent the built-in advisor recognises in it (tested). */
  intent: IntentKind;
}

const MAX_SUGGESTIONS = 5;
const MIN_SUGGESTIONS = 3;

/** Questions that need no data of the user's, for a new user or when the context cannot be read. */
const GENERAL: readonly Suggestion[] = [
  { question: "How am I doing this month?", intent: "summary" },
  { question: "How do I get out of debt?", intent: "payoff" },
  { question: "Where does my money go?", intent: "spending" },
];

/**
 * A figure the user's own data holds that is round (whole tens of the currency): what cutting an
 * overspent category back frees, a discretionary limit, the minimums; any of them if none is round.
 */
function roundFigure(ctx: UserContext): number | null {
  const categories = ctx.budget?.categories ?? [];
  const candidates = [
    ...categories.filter((c) => c.remaining < 0 && c.group !== "debt").map((c) => -c.remaining),
    ...categories.filter((c) => c.group === "discretionary").map((c) => c.limit),
    ctx.totalMinimumDue,
  ].filter((v) => v > 0);
  const ten = 10 * 10 ** minorUnitDigits(ctx.currency);
  return candidates.find((v) => v % ten === 0) ?? candidates[0] ?? null;
}

/** 3 to 5 questions worth asking, from the user's context: each names their own cards, categories and goals. */
export function suggestionsFrom(ctx: UserContext): Suggestion[] {
  const c = ctx.currency;
  const out: Suggestion[] = [];
  const categories = ctx.budget?.categories ?? [];
  const owed = ctx.totalOwed > 0;
  if (owed)
    out.push(
      ctx.cards.filter((x) => x.balance > 0).length > 1
        ? { question: "Avalanche or snowball: which is better for my cards?", intent: "payoff" }
        : { question: "What's the fastest way to pay off my cards?", intent: "payoff" },
    );
  if (categories.some((x) => x.status === "over" && x.group !== "debt"))
    out.push({ question: "Where am I overspending?", intent: "overspending" });
  const goal = ctx.goals.find((g) => g.remaining > 0 && !g.onTrack) ?? ctx.goals.find((g) => g.remaining > 0);
  if (goal)
    out.push({
      question: /\bgoal$/i.test(goal.name)
        ? `How do I reach my ${goal.name}?`
        : `How do I reach my ${goal.name} goal?`,
      intent: "goal",
    });
  const figure = roundFigure(ctx);
  if (owed && figure !== null)
    out.push({ question: `What if I add ${money(figure, c)} a month to my cards?`, intent: "what-if" });
  const room = categories
    .filter((x) => x.group === "discretionary" && x.remaining > 0)
    .sort((a, b) => b.remaining - a.remaining)[0];
  if (room)
    out.push({
      question: `Can I afford to spend ${money(room.remaining, c)} more on ${room.name.toLowerCase()} this month?`,
      intent: "afford",
    });
  const spent = categories.filter((x) => x.spent > 0).sort((a, b) => b.spent - a.spent)[0];
  if (spent)
    out.push({
      question: `How much did I spend on ${spent.name.toLowerCase()} this month?`,
      intent: "spending",
    });
  for (const g of GENERAL) {
    if (out.length >= MIN_SUGGESTIONS) break;
    if (!out.some((s) => s.intent === g.intent)) out.push(g);
  }
  return out.slice(0, MAX_SUGGESTIONS);
}

/**
 * Questions worth asking, for the assistant page before the first question: read from the user's
 * own data through get_user_context (run as the caller, like any tool). Without it, general ones.
 */
export async function suggestQuestions(ctx: ToolContext, tools: readonly AnyTool[]): Promise<string[]> {
  const tool = tools.find((t) => t.name === "get_user_context");
  if (!tool) return GENERAL.map((s) => s.question);
  try {
    const outcome = await runTool(tool, ctx, {});
    // runTool ran get_user_context itself, so its output has that tool's shape.
    if (outcome.ok) return suggestionsFrom(outcome.output as UserContext).map((s) => s.question);
  } catch (err) {
    log().error({ err }, "built-in advisor: suggestions could not read the user's context");
  }
  return GENERAL.map((s) => s.question);
}
