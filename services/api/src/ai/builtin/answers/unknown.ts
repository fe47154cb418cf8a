import { money, monthName } from "../format";
import { suggestionsFrom } from "../suggestions";
import { type Answer, type Asked, couldNot } from "./common";

const CAN_DO = [
  "- a payoff plan for your cards (“How do I get out of debt?”, “Avalanche or snowball?”)",
  "- where you are overspending and what to cut (“Where am I overspending?”)",
  "- whether a purchase fits this month (“Can I afford a new phone?”, with its price)",
  "- what a savings goal needs (“How do I reach my emergency fund goal?”)",
  "- what more money for your cards would do (“What if I add … a month to my cards?”)",
  "- a summary of your month (“How am I doing?”)",
  "- your spending by category or shop (“How much did I spend on dining?”, “What did I spend at …?”)",
];

/** A question it does not know: what it can answer, questions from the user's data, and the month in brief. */
export async function* answerUnknown(a: Asked): Answer {
  const lines = ["I did not recognise that question. I can answer, from your own numbers:", ...CAN_DO];
  const ctx = a.context;
  if (!ctx) {
    lines.push(couldNot("read your month", a.contextError ?? "get_user_context gave nothing"));
    return lines;
  }
  const suggestions = suggestionsFrom(ctx).map((s) => `“${s.question}”`);
  lines.push(`You could ask: ${suggestions.join(", ")}.`);
  const c = ctx.currency;
  const parts: string[] = [];
  if (ctx.budget)
    parts.push(
      `${money(ctx.budget.totalExpenses, c)} spent of ${money(ctx.budget.totalBudgeted, c)} budgeted, ${money(ctx.budget.availableForDebtPayoff, c)} left for your cards`,
    );
  else parts.push("no budget planned yet");
  parts.push(ctx.totalOwed > 0 ? `${money(ctx.totalOwed, c)} owed on your cards` : "no card debt");
  if (ctx.goals.length > 0)
    parts.push(`${ctx.goals.length} savings goal${ctx.goals.length === 1 ? "" : "s"}`);
  lines.push(`${monthName(ctx.month)} so far: ${parts.join("; ")}.`);
  return lines;
}
