import { dateName, list, money, monthName } from "../format";
import type { Intent } from "../intents";
import type { UserContext } from "../turn";
import { type Answer, type Asked, couldNot } from "./common";
import { outcomeText } from "./payoff";

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
 * A savings goal: where it stands, the pace and what it needs a month (get_user_context), and what
 * setting that aside does to the cards (calculate_payoff with the budget's money for debt less it).
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
  if (intent.monthly !== null && required !== null && goal.remaining > 0)
    lines.push(
      intent.monthly >= required
        ? `That is enough to reach it on time: it needs ${money(required, c)} a month.`
        : `That is not enough to be on time: it needs ${money(required, c)} a month.`,
    );
  if (required === null || required === 0 || goal.remaining === 0 || goal.targetDate < ctx.today)
    return lines;

  if (avail === null) {
    lines.push(
      `There is no budget for ${monthName(ctx.month)}: plan one with a savings category of ${money(required, c)} so the money is set aside before it is spent.`,
    );
    return lines;
  }
  lines.push(
    `Your budget for ${monthName(ctx.month)} leaves ${money(avail, c)} after its categories; setting ${money(required, c)} a month aside for ${goal.name} comes out of that, which is also the money for your cards.`,
  );
  if (ctx.totalOwed > 0 && avail >= required) {
    const out = yield* a.turn.call("calculate_payoff", { monthly: avail - required });
    if (out.ok) {
      const plan = out.output;
      lines.push(
        plan.shortfall
          ? `That would leave ${money(plan.monthlyAmount, c)} for your cards, ${money(plan.shortfall.missing, c)} short of their minimums: pay the minimums first and save what is left.`
          : `Your cards would then get ${money(plan.monthlyAmount, c)} a month: you would be ${outcomeText(plan.chosen, c)}.`,
      );
    } else lines.push(couldNot("work out what it does to your card payments", out.error));
  } else if (ctx.totalOwed > 0)
    lines.push(`That is more than the budget leaves after its categories: the cards' minimums come first.`);
  lines.push(
    `1. Put ${money(required, c)} into ${goal.name} every month until ${dateName(goal.targetDate)}.`,
    `2. Give a savings category a ${money(required, c)} limit in your budget, so the money is set aside before it is spent.`,
  );
  return lines;
}
