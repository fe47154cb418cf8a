import { dateName, list, money, monthName } from "../format";
import type { Intent } from "../intents";
import type { UserContext } from "../turn";
import { type Answer, type Asked, couldNot } from "./common";
import { compareOutcomes, outcomeText } from "./payoff";

type GoalIntent = Extract<Intent, { kind: "goal" }>;
type Goal = UserContext["goals"][number];

/** Where a goal stands, its pace and what it needs a month, in words. */
function goalLines(g: Goal, currency: string, today: string): string[] {
  const m = (v: number) => money(v, currency);
  if (g.remaining === 0) return [`${g.name}: reached, ${m(g.currentAmount)} saved of ${m(g.targetAmount)}.`];
  const lines = [
    `${g.name}: ${m(g.currentAmount)} saved of ${m(g.targetAmount)}, ${m(g.remaining)} to go by ${dateName(g.targetDate)}.`,
  ];
  if (g.targetDate < today) {
    lines.push(
      `Its target date has passed: set a new date on the Goals page, and I can work out what it needs a month.`,
    );
    return lines;
  }
  const pace = g.averageMonthly;
  if (pace !== null && pace > 0 && g.projectedCompletion)
    lines.push(
      g.onTrack
        ? `At your pace of ${m(pace)} a month (the average of the last three months) you reach it in ${monthName(g.projectedCompletion)}: on track.`
        : `At your pace of ${m(pace)} a month (the average of the last three months) you reach it in ${monthName(g.projectedCompletion)}, after the target date.`,
    );
  else if (pace !== null && pace < 0)
    lines.push("Over the last three months more came out of it than went in.");
  else
    lines.push("Nothing has gone into it over the last three months, so there is no pace to project from.");
  if (g.requiredMonthly !== null && !g.onTrack)
    lines.push(
      `To reach it by ${dateName(g.targetDate)}, put in ${m(g.requiredMonthly)} a month from now on.`,
    );
  return lines;
}

/**
 * A savings goal: where it stands, the pace and what it needs a month (get_user_context), then what
 * putting the missing amount in each month does (forecast_savings: when the goal is reached, and
 * the debt-free month with that much less for the cards).
 */
export async function* answerGoal(a: Asked, intent: GoalIntent): Answer {
  const ctx = a.context;
  if (!ctx) return [couldNot("read your goals", a.contextError ?? "get_user_context gave nothing")];
  const c = ctx.currency;
  const goals = ctx.goals;
  const avail = ctx.budget?.availableForDebtPayoff ?? null;
  if (goals.length === 0)
    return [
      `You have no active savings goals${intent.asked ? `, none for “${intent.asked}”` : ""}. Create one on the Goals page with an amount and a date, and I will work out what it needs each month.`,
      ...(avail !== null
        ? [
            `Your budget for ${monthName(ctx.month)} leaves ${money(avail, c)} after its categories to share between your cards and your savings.`,
          ]
        : []),
    ];

  const lines: string[] = [];
  let goal = intent.goal ? goals.find((g) => g.goalId === intent.goal?.goalId) : undefined;
  if (!goal && intent.asked)
    lines.push(`You have no goal for “${intent.asked}”; your goals are ${list(goals.map((g) => g.name))}.`);
  if (!goal && goals.length === 1) goal = goals[0];
  if (!goal) {
    for (const g of goals) lines.push(...goalLines(g, c, ctx.today));
    const behind = goals.filter((g) => !g.onTrack && g.remaining > 0);
    lines.push(
      behind.length === 0
        ? "Every goal is on track."
        : `Off track: ${list(behind.map((g) => g.name))}. Ask about one by name for a plan.`,
    );
    return lines;
  }

  lines.push(...goalLines(goal, c, ctx.today));
  const required = goal.requiredMonthly;
  if (goal.remaining === 0 || goal.targetDate < ctx.today) return lines;
  if (avail === null) {
    if (required)
      lines.push(
        `There is no budget for ${monthName(ctx.month)}: plan one with a savings category of ${money(required, c)} so the money is set aside before it is spent.`,
      );
    return lines;
  }
  // What to put in a month: the user's own figure, else what closes the gap between the pace and
  // what the goal needs (the forecast adds a contribution on top of the pace).
  const pace = goal.averageMonthly ?? 0;
  const contribution =
    intent.monthly ??
    (goal.onTrack || required === null ? 0 : pace > 0 ? Math.max(0, required - pace) : required);
  if (contribution <= 0) return lines;
  if (a.turn.has("forecast_savings")) {
    lines.push(...(yield* withForecast(a, goal, contribution, intent.monthly !== null)));
    return lines;
  }
  lines.push(...(yield* withPayoff(a, goal, contribution, intent.monthly !== null)));
  return lines;
}

/** forecast_savings with the contribution: when the goal is reached, and what it leaves for the cards. */
async function* withForecast(a: Asked, goal: Goal, monthly: number, named: boolean): Answer {
  const ctx = a.context as UserContext;
  const c = ctx.currency;
  const out = yield* a.turn.call("forecast_savings", {
    goalContribution: [{ goalId: goal.goalId, monthly }],
  });
  if (!out.ok) return [couldNot(`forecast ${goal.name} with that contribution`, out.error)];
  const f = out.output;
  const g = f.goals.find((x) => x.goalId === goal.goalId);
  if (!g) return [];
  const lines: string[] = [];
  const pace = g.monthlyPace;
  const onTop =
    pace.before > 0
      ? ` on top of your pace of ${money(pace.before, c)} (${money(pace.after, c)} a month in all)`
      : "";
  const reached = g.projectedCompletion.after
    ? `you reach it in ${monthName(g.projectedCompletion.after)}, ${g.meetsTargetDate.after ? "on time" : "still after the target date"}`
    : "it is still not reached";
  lines.push(`Putting ${money(pace.difference, c)} a month into ${g.name}${onTop}, ${reached}.`);
  if (named && !g.meetsTargetDate.after)
    lines.push(`To be on time it needs ${money(g.requiredMonthly, c)} a month in all.`);
  const toDebt = f.toDebtMonthly;
  if (f.debt.totalOwed > 0) {
    const later =
      toDebt.laterMonths.after === toDebt.thisMonth.after
        ? `${money(toDebt.thisMonth.after, c)} a month`
        : `${money(toDebt.thisMonth.after, c)} this month and ${money(toDebt.laterMonths.after, c)} a month after (keeping to your budget)`;
    lines.push(
      `It comes out of the money for your cards, which would get ${later} instead of ${money(toDebt.thisMonth.before, c)}: you would be ${compareOutcomes(f.debt.before, f.debt.after, c)}.`,
    );
  }
  lines.push(
    `1. Put ${money(pace.difference, c)} into ${g.name} every month until ${dateName(g.targetDate)}.`,
    `2. Give a savings category a ${money(pace.difference, c)} limit in your budget, so the money is set aside before it is spent.`,
  );
  return lines;
}

/** Without forecast_savings: what the money for the cards less the contribution plans. */
async function* withPayoff(a: Asked, goal: Goal, monthly: number, named: boolean): Answer {
  const ctx = a.context as UserContext;
  const c = ctx.currency;
  const avail = ctx.budget?.availableForDebtPayoff ?? 0;
  const required = goal.requiredMonthly;
  const lines: string[] = [];
  if (named && required !== null)
    lines.push(
      monthly >= required
        ? `That is enough to reach it on time: it needs ${money(required, c)} a month.`
        : `That alone is not enough to be on time: it needs ${money(required, c)} a month.`,
    );
  if (ctx.totalOwed > 0 && avail >= monthly) {
    const out = yield* a.turn.call("calculate_payoff", { monthly: avail - monthly });
    if (out.ok) {
      const plan = out.output;
      lines.push(
        plan.shortfall
          ? `Setting it aside would leave ${money(plan.monthlyAmount, c)} for your cards, ${money(plan.shortfall.missing, c)} short of their minimums: pay the minimums first and save what is left.`
          : `Setting it aside leaves your cards ${money(plan.monthlyAmount, c)} a month: you would be ${outcomeText(plan.chosen, c)}.`,
      );
    } else lines.push(couldNot("work out what it does to your card payments", out.error));
  } else if (ctx.totalOwed > 0)
    lines.push(
      `That is more than the ${money(avail, c)} the budget leaves after its categories: the cards' minimums come first.`,
    );
  return lines;
}
