import { count, money, monthName } from "../format";
import type { Intent } from "../intents";
import type { BudgetAnalysis, Optimisation, UserContext } from "../turn";
import { type Answer, type Asked, couldNot } from "./common";
import { compareOutcomes } from "./payoff";

type OverspendingIntent = Extract<Intent, { kind: "overspending" }>;

/** One recommended change in words, with the amount it frees. */
export function changeText(r: BudgetAnalysis["recommendations"][number], currency: string): string {
  const amount = money(r.amount, currency);
  if (r.action === "reallocate" && r.fromName)
    return `move ${amount} of ${r.fromName}'s unused limit to ${r.name}, so its overspending no longer comes out of the money for your cards`;
  return r.rule === "above-history"
    ? `cut ${r.name}'s limit by ${amount}: it is above what the category has spent in recent months`
    : `cut ${r.name}'s limit by ${amount}`;
}

/** The largest limits of discretionary categories: where a cut hurts least, for when no rule found one. */
export function discretionaryLimits(context: UserContext | null): string | null {
  const categories = (context?.budget?.categories ?? [])
    .filter((c) => c.group === "discretionary" && c.limit > 0)
    .sort((a, b) => b.limit - a.limit)
    .slice(0, 3);
  if (!context || categories.length === 0) return null;
  return `Your largest discretionary limits, where a cut hurts least: ${categories
    .map((c) => `${c.name} ${money(c.limit, context.currency)}`)
    .join(", ")}.`;
}

/** The optimiser's proposal: which limits come down and by how much, and what that does for the cards. */
export function optimisationLines(o: Optimisation): string[] {
  const c = o.currency;
  const cut = o.categories.filter((x) => x.change < 0);
  if (cut.length === 0)
    return [
      "Lowering limits frees nothing more this month: none can go below what its category has spent, its bills, or (for an essential) its recent need.",
    ];
  const lines = [
    o.target.amount !== null
      ? `For ${money(o.target.amount, c)} a month more, lower these limits:`
      : "Limits that can come down:",
    ...cut.map((x) => {
      const why =
        x.threeMonthAverage !== null
          ? `its recent months averaged ${money(x.threeMonthAverage, c)}`
          : `it has spent ${money(x.spent, c)} so far`;
      return `- ${x.name}: from ${money(x.from, c)} to ${money(x.to, c)}, ${money(x.change, c)} a month less (${why}).`;
    }),
  ];
  const enough = o.target.amount === null ? "" : o.targetMet ? ", enough" : `, ${money(o.shortBy, c)} short`;
  const d = o.debt;
  const cards =
    d.totalOwed > 0
      ? `: your cards would get ${money(d.toDebtMonthly.thisMonth.after, c)} this month instead of ${money(d.toDebtMonthly.thisMonth.before, c)}, and you would be ${compareOutcomes(d.before, d.after, c)}`
      : "";
  lines.push(
    `That frees ${money(o.totals.freed, c)} a month${enough}${cards}. Nothing changes until you set the limits on the Budget page.`,
  );
  return lines;
}

export async function* answerOverspending(a: Asked, intent: OverspendingIntent): Answer {
  const out = yield* a.turn.call("analyze_budget", {
    ...(intent.month ? { month: intent.month } : {}),
    ...(intent.free !== null ? { free: intent.free } : {}),
  });
  if (!out.ok) return [couldNot("analyse your budget", out.error)];
  const x = out.output;
  const c = x.currency;
  const month = monthName(x.month);
  const lines: string[] = [];

  if (!x.hasBudget) {
    lines.push(
      `There is no budget for ${month}, so no category has a limit to be over.${x.totals.expenses > 0 ? ` You have spent ${money(x.totals.expenses, c)} in it so far.` : ""}`,
      "Plan the month's budget (income and a limit for each category) and I can show where the money goes over and what to cut.",
    );
    return lines;
  }

  if (x.overspent.length === 0) {
    lines.push(`Nothing is over budget in ${month}: every category is within its limit.`);
  } else {
    lines.push(
      `In ${month} you are over budget in ${count(x.overspent.length, "category", "categories")}, by ${money(x.totalOverspent, c)} in all:`,
      ...x.overspent.map(
        (o) =>
          `- ${o.name}: ${money(o.spent, c)} spent of its ${money(o.limit, c)} limit, ${money(o.overBy, c)} over.`,
      ),
    );
  }
  if (x.nearLimit.length > 0)
    lines.push(
      `Close to their limit: ${x.nearLimit.map((n) => `${n.name} (${money(n.spent, c)} of ${money(n.limit, c)}, ${money(n.left, c)} left)`).join(", ")}.`,
    );

  const optimise = intent.cuts && a.turn.has("optimize_categories");
  if (x.toFree) {
    const f = x.toFree;
    if (f.changes.length === 0)
      lines.push(`No recommended change frees any of the ${money(f.target, c)} a month you asked about.`);
    else
      lines.push(
        `To free ${money(f.target, c)} a month: ${f.changes.map((r) => changeText(r, c)).join("; ")}. ${
          f.enough
            ? `Together that frees ${money(f.freed, c)}: enough.`
            : `That frees ${money(f.freed, c)}, ${money(f.missing, c)} short of it.`
        }`,
      );
    if (!f.enough && optimise) lines.push(...(yield* optimised(a, intent, f.missing)));
    else if (!f.enough) {
      const limits = discretionaryLimits(a.context);
      if (limits) lines.push(limits);
    }
  } else {
    if (x.recommendations.length > 0)
      lines.push(
        "What to change:",
        ...x.recommendations.map((r, i) => `${i + 1}. ${capitalise(changeText(r, c))}.`),
        `Together these free ${money(x.potentialSavings, c)} a month for your cards.`,
      );
    else if (!optimise) lines.push("The analysis recommends no change this month.");
    if (optimise) lines.push(...(yield* optimised(a, intent, null)));
    else if (x.recommendations.length === 0) {
      const limits = discretionaryLimits(a.context);
      if (limits) lines.push(limits);
    }
  }

  lines.push(`Your budget leaves ${money(x.totals.availableForDebtPayoff, c)} for your cards in ${month}.`);
  const ctx = a.context;
  if (ctx?.budget && ctx.month === x.month && ctx.totalMinimumDue > ctx.budget.availableForDebtPayoff)
    lines.push(
      `That is below your cards' ${money(ctx.totalMinimumDue, ctx.currency)} of minimum payments, which is why these cuts matter this month.`,
    );
  return lines;
}

/** optimize_categories for the month: everything the rules allow, or as much as `target` asks. */
async function* optimised(a: Asked, intent: OverspendingIntent, target: number | null): Answer {
  const out = yield* a.turn.call("optimize_categories", {
    ...(intent.month ? { month: intent.month } : {}),
    ...(target !== null ? { target } : {}),
  });
  if (!out.ok) return [couldNot("work out which limits could come down", out.error)];
  return optimisationLines(out.output);
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
