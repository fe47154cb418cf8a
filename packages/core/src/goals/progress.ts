import { addMonths, monthIndex } from "../month";

/**
 * Savings-goal maths: what to save a month, where the recent pace leads, and whether that is in
 * time. Pure and exact: money is integer cents, months are `YYYY-MM`, dates `YYYY-MM-DD`, and
 * `today` is always a parameter. The definitions, with worked examples, are in docs/GOALS.md.
 *
 * Names carry a `goal` prefix because the payoff engine already exports `requiredMonthly`.
 */

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The last month a projection may name: the API's months end with 2999. */
export const LAST_PROJECTED_MONTH = "2999-12";

function checkDate(name: string, value: string): void {
  if (!DATE.test(value)) throw new RangeError(`${name} must be a YYYY-MM-DD date, not "${value}"`);
}

function checkCents(name: string, value: number): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} must be whole cents, not ${value}`);
}

/**
 * ⌈a / b⌉ for whole a ≥ 0 and b > 0. The float quotient is only a first guess: integer products
 * settle it, so the answer is exact for every safe integer and never rests on rounding.
 */
export function ceilDiv(a: number, b: number): number {
  let q = Math.floor(a / b);
  while (q * b > a) q -= 1;
  while ((q + 1) * b <= a) q += 1;
  return q * b === a ? q : q + 1;
}

/**
 * The calendar months still open for saving toward `targetDate`: every month that has at least one
 * day from `today` to `targetDate`, both included. This month always counts while the target is
 * not past (even on its last day), and so does the target's month (even when the target is its
 * 1st). A target today is 1 month; a past target 0. Only the months matter, so month ends and
 * leap days never change the count.
 */
export function goalMonthsLeft(today: string, targetDate: string): number {
  checkDate("today", today);
  checkDate("targetDate", targetDate);
  if (targetDate < today) return 0;
  return monthIndex(targetDate.slice(0, 7)) - monthIndex(today.slice(0, 7)) + 1;
}

export interface GoalAmounts {
  targetAmount: number;
  currentAmount: number;
  targetDate: string;
}

/** What is still to save: never negative (a goal may hold more than its target). */
export function goalRemaining(goal: Pick<GoalAmounts, "targetAmount" | "currentAmount">): number {
  checkCents("targetAmount", goal.targetAmount);
  checkCents("currentAmount", goal.currentAmount);
  return Math.max(0, goal.targetAmount - goal.currentAmount);
}

/**
 * What is left spread evenly over the months left, rounded up to the cent, so that saving this
 * every month reaches the target by the target month. 0 once reached. With the target past (no
 * month left) the whole of what is left is due now.
 */
export function goalRequiredMonthly(goal: GoalAmounts, today: string): number {
  const remaining = goalRemaining(goal);
  if (remaining === 0) return 0;
  return ceilDiv(remaining, Math.max(1, goalMonthsLeft(today, goal.targetDate)));
}

/** Net cents contributed in each month (`YYYY-MM` to cents); months without contributions may be absent. */
export type MonthlyNet = Readonly<Record<string, number>>;

export interface GoalPace {
  /** The months the average is taken over: 1 to 3. */
  months: string[];
  /** Their net contributions, summed. */
  net: number;
  /** net / months.length, rounded down to the cent: for showing; the projection uses the exact ratio. */
  average: number;
}

/**
 * The first month a goal could have received money: the month it was created, or the month of a
 * contribution dated earlier (a backdated one), whichever is first. A month with contributions
 * counts even when they net to zero: the goal was being saved into then.
 */
export function goalStartMonth(createdOn: string, monthlyNet: MonthlyNet): string {
  checkDate("createdOn", createdOn);
  let first = createdOn.slice(0, 7);
  for (const month of Object.keys(monthlyNet)) {
    if (!MONTH.test(month)) throw new RangeError(`monthlyNet has a key that is not a month: "${month}"`);
    if (month < first) first = month;
  }
  return first;
}

/**
 * The recent pace: the average net contribution over the last three complete calendar months (the
 * three before this one), counting only those from the goal's start month on, so a goal two months
 * old is averaged over two months rather than diluted by months it did not exist. This month is
 * left out because it is not over: a saver who puts money in on the 28th would otherwise look
 * slow every month until then. null while the goal has no complete month yet.
 */
export function goalPace(monthlyNet: MonthlyNet, startMonth: string, today: string): GoalPace | null {
  checkDate("today", today);
  const thisMonth = today.slice(0, 7);
  const months = [3, 2, 1].map((back) => addMonths(thisMonth, -back)).filter((m) => m >= startMonth);
  if (months.length === 0) return null;
  let net = 0;
  for (const m of months) {
    const v = monthlyNet[m] ?? 0;
    checkCents(`monthlyNet[${m}]`, v);
    net += v;
  }
  return { months, net, average: Math.floor(net / months.length) };
}

/**
 * The month in which the goal is reached if the recent pace (goalPace) goes on from this month:
 * the n-th month counting this one, n = ⌈remaining / average⌉, computed exactly as
 * ⌈remaining × months / net⌉. null when already reached, when there is no pace yet, when the
 * average is not above zero, or when the month would fall after 2999-12.
 */
export function goalProjectedCompletion(
  goal: Pick<GoalAmounts, "targetAmount" | "currentAmount">,
  pace: GoalPace | null,
  today: string,
): string | null {
  checkDate("today", today);
  const remaining = goalRemaining(goal);
  if (remaining === 0 || !pace || pace.net <= 0) return null;
  const needed = ceilDiv(remaining * pace.months.length, pace.net);
  const thisMonth = today.slice(0, 7);
  if (monthIndex(thisMonth) + needed - 1 > monthIndex(LAST_PROJECTED_MONTH)) return null;
  return addMonths(thisMonth, needed - 1);
}

/**
 * On track: already reached, or the target date not past and the projection in the target's month
 * or before. Since the target's month is a month left (goalMonthsLeft), an average at or above
 * goalRequiredMonthly is always on track. A target earlier this month is past, even though the
 * month-grained projection may name this month.
 */
export function goalOnTrack(goal: GoalAmounts, projectedCompletion: string | null, today: string): boolean {
  checkDate("targetDate", goal.targetDate);
  checkDate("today", today);
  if (goalRemaining(goal) === 0) return true;
  if (goal.targetDate < today) return false;
  return projectedCompletion !== null && projectedCompletion <= goal.targetDate.slice(0, 7);
}

export interface GoalAssessment {
  remaining: number;
  monthsLeft: number;
  requiredMonthly: number;
  pace: GoalPace | null;
  projectedCompletion: string | null;
  onTrack: boolean;
}

/** Everything above for one goal at once. */
export function assessGoal(
  goal: GoalAmounts & { monthlyNet: MonthlyNet; createdOn: string },
  today: string,
): GoalAssessment {
  const pace = goalPace(goal.monthlyNet, goalStartMonth(goal.createdOn, goal.monthlyNet), today);
  const projectedCompletion = goalProjectedCompletion(goal, pace, today);
  return {
    remaining: goalRemaining(goal),
    monthsLeft: goalMonthsLeft(today, goal.targetDate),
    requiredMonthly: goalRequiredMonthly(goal, today),
    pace,
    projectedCompletion,
    onTrack: goalOnTrack(goal, projectedCompletion, today),
  };
}
