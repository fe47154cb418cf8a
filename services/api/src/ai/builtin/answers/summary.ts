import { count, dateName, money, monthName } from "../format";
import type { Intent } from "../intents";
import type { UserContext } from "../turn";
import { type Answer, type Asked, couldNot } from "./common";
import { outcomeText } from "./payoff";

type SummaryIntent = Extract<Intent, { kind: "summary" }>;

/** The month's budget in a few lines: income, limits, spending, what is over, what is left for the cards. */
export function budgetLines(ctx: UserContext): string[] {
  const c = ctx.currency;
  const b = ctx.budget;
  if (!b)
    return [
      `- No budget is planned for ${monthName(ctx.month)}: plan one (income and a limit for each category) to see what it leaves for your cards.`,
    ];
  const received = b.actualIncome > 0 ? `, ${money(b.actualIncome, c)} received` : "";
  const lines = [
    `- Income ${money(b.totalIncome, c)} planned${received}; ${money(b.totalBudgeted, c)} given to ${count(b.categories.length, "category", "categories")}; ${money(b.totalExpenses, c)} spent.`,
  ];
  const over = b.categories.filter((x) => x.spent > x.limit && x.group !== "debt");
  lines.push(
    over.length === 0
      ? "- Every category is within its limit."
      : `- Over budget: ${over.map((x) => `${x.name} (${money(x.spent, c)} of ${money(x.limit, c)})`).join(", ")}.`,
  );
  lines.push(`- Left for your cards after the budget: ${money(b.availableForDebtPayoff, c)}.`);
  return lines;
}

/** A month at a glance: the budget, the cards and their plan, the goals, the bills ahead. */
export async function* answerSummary(a: Asked, intent: SummaryIntent): Answer {
  let ctx = a.context;
  if (intent.month && intent.month !== ctx?.month) {
    const out = yield* a.turn.call("get_user_context", { month: intent.month });
    if (!out.ok) return [couldNot(`read ${monthName(intent.month)}`, out.error)];
    ctx = out.output;
  }
  if (!ctx) return [couldNot("read your month", a.contextError ?? "get_user_context gave nothing")];
  const c = ctx.currency;
  const current = ctx.month === ctx.today.slice(0, 7);
  const lines = [`${monthName(ctx.month)}${current ? " so far" : ""}:`, ...budgetLines(ctx)];

  if (ctx.totalOwed > 0) {
    lines.push(
      `- You owe ${money(ctx.totalOwed, c)} on ${count(ctx.cards.filter((x) => x.balance > 0).length, "card")}, with ${money(ctx.totalMinimumDue, c)} of minimum payments.`,
    );
    if (ctx.budget) {
      const out = yield* a.turn.call("calculate_payoff", { month: ctx.month });
      if (out.ok) {
        const plan = out.output;
        lines.push(
          plan.shortfall
            ? `- That leaves you ${money(plan.shortfall.missing, c)} short of the minimums: ask me how to get out of debt for the cuts that close it.`
            : `- At ${money(plan.monthlyAmount, c)} a month you are ${outcomeText(plan.chosen, c)}.`,
        );
      } else lines.push(`- ${couldNot("plan the payoff", out.error)}`);
    }
  } else lines.push("- No card debt.");

  if (ctx.goals.length > 0)
    lines.push(
      `- Goals: ${ctx.goals
        .map((g) => {
          const state =
            g.remaining === 0
              ? "reached"
              : g.onTrack
                ? "on track"
                : g.requiredMonthly !== null
                  ? `needs ${money(g.requiredMonthly, c)} a month`
                  : "off track";
          return `${g.name} ${money(g.currentAmount, c)} of ${money(g.targetAmount, c)} (${state})`;
        })
        .join("; ")}.`,
    );

  const bills = ctx.upcomingBills.items;
  if (current && bills.length > 0) {
    const shown = bills.slice(0, 3).map((b) => `${b.name} ${money(b.amount, c)} on ${dateName(b.date)}`);
    const more = bills.length > shown.length ? `, and ${bills.length - shown.length} more` : "";
    lines.push(`- Bills in the next 30 days: ${shown.join(", ")}${more}.`);
  }
  return lines;
}
