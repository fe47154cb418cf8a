import type { CategoryGroup } from "@tyche/types";
import { availableForDebtPayoff } from "../budget-math";
import {
  assessGoal,
  type GoalPace,
  goalOnTrack,
  goalProjectedCompletion,
  goalRequiredMonthly,
  type MonthlyNet,
} from "../goals/progress";
import { sumCents } from "../money";
import { addMonths, monthIndex } from "../month";
import { DEFAULT_HORIZON_MONTHS, planPayoff } from "../payoff/plan";
import type { PayoffCard, PayoffEnd, PayoffInput, PayoffPlan, PayoffStrategy } from "../payoff/types";
import { checkCents, FieldRangeError } from "./field-error";
import { planPayoffFromFirstMonth } from "./two-phase";

/** The longest forecast horizon, in months (ten years). */
export const MAX_FORECAST_MONTHS = 120;
export const DEFAULT_FORECAST_MONTHS = 24;

/** A figure as it is, as it would be with the change, and the change itself: after − before. */
export interface BeforeAfter {
  before: number;
  after: number;
  difference: number;
}

export const beforeAfter = (before: number, after: number): BeforeAfter => ({
  before,
  after,
  difference: after - before,
});

/** A month of a budget category, in cents: its limit and what was spent in it so far. */
export interface ForecastCategory {
  categoryId: string;
  name: string;
  group: CategoryGroup;
  limit: number;
  spent: number;
}

/** A savings goal as stored: what it needs and its contributions by month (for its pace). */
export interface ForecastGoal {
  goalId: string;
  name: string;
  targetAmount: number;
  currentAmount: number;
  targetDate: string;
  monthlyNet: MonthlyNet;
  /** The day the goal was created (`YYYY-MM-DD`). */
  createdOn: string;
}

/** What the user would change, every month from the forecast's first. */
export interface BudgetChange {
  /** New limits, replacing the month's. */
  categoryLimits?: readonly { categoryId: string; limit: number }[];
  /** Signed cents a month added to the budget's income. */
  incomeChange?: number;
  /** Cents a month paid to the cards on top of availableForDebtPayoff, from outside the budget. */
  extraDebtPayment?: number;
  /** Cents a month put into goals out of the money for debt. */
  goalContribution?: readonly { goalId: string; monthly: number }[];
}

export interface ForecastInput {
  /** The first month forecast (`YYYY-MM`); its spending so far counts. */
  month: string;
  /** `YYYY-MM-DD`: goals' paces and projections run from today's month. */
  today: string;
  /** The month's planned income (the budget's totalIncome). */
  income: number;
  categories: readonly ForecastCategory[];
  cards: readonly PayoffCard[];
  strategy: PayoffStrategy;
  customOrder?: readonly string[];
  /** The goals to project: the tool passes the active ones. */
  goals: readonly ForecastGoal[];
  change: BudgetChange;
  /** Months shown one by one, 1 to 120. */
  months: number;
}

export interface ForecastCategoryResult {
  categoryId: string;
  name: string;
  group: CategoryGroup;
  spent: number;
  limit: BeforeAfter;
  /** max(limit, spent) this month; 0 in the debt group, which is not committed. */
  committedThisMonth: BeforeAfter;
  /** The limit, in each later month (the budget kept); 0 in the debt group. */
  committedLaterMonths: BeforeAfter;
}

export interface DebtOutcome {
  end: PayoffEnd;
  feasible: boolean;
  shortfall: { month: string; missing: number } | null;
  monthsToDebtFree: number | null;
  debtFreeMonth: string | null;
  totalInterest: number;
  totalPaid: number;
  remainingBalance: number;
}

export interface GoalForecast {
  goalId: string;
  name: string;
  targetAmount: number;
  currentAmount: number;
  remaining: number;
  targetDate: string;
  /** What saving evenly until the target date takes a month (docs/GOALS.md). */
  requiredMonthly: number;
  /** False while the goal has no complete month of contributions (its pace counts from 0 then). */
  hasPace: boolean;
  /** The pace a month (rounded down, as the goal shows it) and with the change's contribution. */
  monthlyPace: BeforeAfter;
  projectedCompletion: { before: string | null; after: string | null; monthsSooner: number | null };
  meetsTargetDate: { before: boolean; after: boolean };
}

export interface ForecastMonth {
  month: string;
  availableForDebtPayoff: BeforeAfter;
  /** Put into goals by the change (always 0 before it). */
  toGoals: BeforeAfter;
  /** What the plan pays the cards that month: less than the money for debt once they are cleared. */
  paidToCards: BeforeAfter;
  interest: BeforeAfter;
  /** Owed on the cards at the month's end. */
  owedAtEnd: BeforeAfter;
}

export interface Forecast {
  month: string;
  months: number;
  strategy: PayoffStrategy;
  income: BeforeAfter;
  categories: ForecastCategoryResult[];
  availableForDebtPayoff: { thisMonth: BeforeAfter; laterMonths: BeforeAfter };
  /** Goal contributions a month, all goals together. */
  toGoalsMonthly: BeforeAfter;
  /** What the payoff plan is given: availableForDebtPayoff + extraDebtPayment − goal contributions. */
  toDebtMonthly: { thisMonth: BeforeAfter; laterMonths: BeforeAfter };
  debt: {
    totalOwed: number;
    before: DebtOutcome;
    after: DebtOutcome;
    debtFreeMonth: { before: string | null; after: string | null; monthsSooner: number | null };
    monthsToDebtFree: { before: number | null; after: number | null; difference: number | null };
    totalInterest: BeforeAfter;
  };
  goals: GoalForecast[];
  schedule: ForecastMonth[];
  /** The schedule's months added up. */
  totals: {
    availableForDebtPayoff: BeforeAfter;
    toGoals: BeforeAfter;
    paidToCards: BeforeAfter;
    interest: BeforeAfter;
  };
  assumptions: string[];
}

export const FORECAST_ASSUMPTIONS: readonly string[] = [
  "This month counts what was already spent: each category outside the debt group commits the larger of its limit and its spending (DESIGN.md's availableForDebtPayoff).",
  "Every later month repeats this month's plan with the change applied, and the budget is kept: each category spends exactly its limit.",
  "The income is the budget's planned income, plus incomeChange in every month.",
  "The money for debt each month is availableForDebtPayoff, plus extraDebtPayment (paid from outside the budget), less the goal contributions; the payoff engine pays the cards with it, minimums included.",
  "Card balances are today's, and this month is paid in full as if nothing had been paid yet, as the debt plan does.",
  "A goal's projection keeps its recent pace (the average of its last three complete months) and adds the change's monthly contribution, from today's month on.",
  "The debt-free month and total interest are of the whole plan (up to 50 years); the schedule and its totals cover only the months asked for.",
];

const DEBT: CategoryGroup = "debt";

function validate(input: ForecastInput): void {
  const { months, change } = input;
  if (!Number.isInteger(months) || months < 1 || months > MAX_FORECAST_MONTHS) {
    throw new FieldRangeError(
      "months",
      `must be a whole number from 1 to ${MAX_FORECAST_MONTHS}, not ${months}`,
    );
  }
  checkCents("income", input.income);
  const ids = new Set<string>();
  for (const c of input.categories) {
    if (ids.has(c.categoryId)) throw new FieldRangeError("categories", `lists ${c.categoryId} twice`);
    ids.add(c.categoryId);
    checkCents(`limit of ${c.categoryId}`, c.limit);
    checkCents(`spent of ${c.categoryId}`, c.spent, Number.MIN_SAFE_INTEGER);
  }
  const changed = new Set<string>();
  (change.categoryLimits ?? []).forEach((l, i) => {
    const at = `categoryLimits.${i}`;
    if (!ids.has(l.categoryId))
      throw new FieldRangeError(`${at}.categoryId`, "is not a category of the budget");
    if (changed.has(l.categoryId)) throw new FieldRangeError(`${at}.categoryId`, "appears more than once");
    changed.add(l.categoryId);
    checkCents(`${at}.limit`, l.limit);
  });
  const incomeChange = change.incomeChange ?? 0;
  checkCents("incomeChange", incomeChange, Number.MIN_SAFE_INTEGER);
  if (!Number.isSafeInteger(input.income + incomeChange) || input.income + incomeChange < 0) {
    throw new FieldRangeError("incomeChange", `would take the income of ${input.income} below 0`);
  }
  checkCents("extraDebtPayment", change.extraDebtPayment ?? 0);
  const goals = new Set(input.goals.map((g) => g.goalId));
  const named = new Set<string>();
  (change.goalContribution ?? []).forEach((g, i) => {
    const at = `goalContribution.${i}`;
    if (!goals.has(g.goalId)) throw new FieldRangeError(`${at}.goalId`, "is not one of the goals forecast");
    if (named.has(g.goalId)) throw new FieldRangeError(`${at}.goalId`, "appears more than once");
    named.add(g.goalId);
    checkCents(`${at}.monthly`, g.monthly);
  });
}

/** availableForDebtPayoff of a later month: the budget kept, so every category spends its limit. */
const keptAvailable = (income: number, categories: readonly ForecastCategory[]) =>
  availableForDebtPayoff(
    income,
    categories.map((c) => ({ ...c, spent: c.limit })),
  );

function outcome(p: PayoffPlan): DebtOutcome {
  return {
    end: p.end,
    feasible: p.feasible,
    shortfall: p.shortfall ?? null,
    monthsToDebtFree: p.monthsToDebtFree,
    debtFreeMonth: p.debtFreeMonth,
    totalInterest: p.totalInterest,
    totalPaid: p.totalPaid,
    remainingBalance: p.remainingBalance,
  };
}

const monthsBetween = (earlier: string | null, later: string | null) =>
  earlier === null || later === null ? null : monthIndex(later) - monthIndex(earlier);

/** A month's figures from a plan's schedule; after the plan ends it pays nothing and owes what it owed last. */
function monthFigures(plan: PayoffPlan, startingOwed: number) {
  const byMonth = new Map(
    plan.schedule.map((m) => [
      m.month,
      {
        paid: sumCents(m.cards.map((c) => c.payment)),
        interest: sumCents(m.cards.map((c) => c.interest)),
        owed: sumCents(m.cards.map((c) => c.balance)),
      },
    ]),
  );
  let carry = startingOwed;
  return (month: string) => {
    const m = byMonth.get(month);
    if (m) carry = m.owed;
    return { paid: m?.paid ?? 0, interest: m?.interest ?? 0, owed: carry };
  };
}

/** The pace with `extra` more every month: the net of its months grows by extra × their count. */
function paceWith(pace: GoalPace | null, extra: number, today: string): GoalPace | null {
  if (extra === 0) return pace;
  // Without a complete month yet, the contribution alone is the pace, counted from this month.
  const months = pace?.months ?? [today.slice(0, 7)];
  const net = (pace?.net ?? 0) + extra * months.length;
  return { months, net, average: Math.floor(net / months.length) };
}

function forecastGoal(goal: ForecastGoal, extra: number, today: string): GoalForecast {
  const a = assessGoal(goal, today);
  const pace = paceWith(a.pace, extra, today);
  const after = extra === 0 ? a.projectedCompletion : goalProjectedCompletion(goal, pace, today);
  return {
    goalId: goal.goalId,
    name: goal.name,
    targetAmount: goal.targetAmount,
    currentAmount: goal.currentAmount,
    remaining: a.remaining,
    targetDate: goal.targetDate,
    requiredMonthly: goalRequiredMonthly(goal, today),
    hasPace: a.pace !== null,
    monthlyPace: beforeAfter(a.pace?.average ?? 0, pace?.average ?? 0),
    projectedCompletion: {
      before: a.projectedCompletion,
      after,
      monthsSooner: monthsBetween(after, a.projectedCompletion),
    },
    meetsTargetDate: { before: a.onTrack, after: goalOnTrack(goal, after, today) },
  };
}

/**
 * What a change to the budget does, month by month and in total (docs/AI.md): the money left for
 * the cards (availableForDebtPayoff), the payoff plan with it (debt-free month, interest), and each
 * goal's projected completion, as the budget is and as it would be. Pure and exact: integer cents,
 * every figure given before, after and as their difference.
 */
export function forecastChange(input: ForecastInput): Forecast {
  validate(input);
  const { change, month } = input;
  const newLimit = new Map((change.categoryLimits ?? []).map((l) => [l.categoryId, l.limit]));
  const changed = input.categories.map((c) => ({ ...c, limit: newLimit.get(c.categoryId) ?? c.limit }));
  const incomeAfter = input.income + (change.incomeChange ?? 0);
  const extra = change.extraDebtPayment ?? 0;
  const toGoals = sumCents((change.goalContribution ?? []).map((g) => g.monthly));

  const available = {
    thisMonth: beforeAfter(
      availableForDebtPayoff(input.income, input.categories),
      availableForDebtPayoff(incomeAfter, changed),
    ),
    laterMonths: beforeAfter(
      keptAvailable(input.income, input.categories),
      keptAvailable(incomeAfter, changed),
    ),
  };
  // A category's committed share never falls below its limit, so this month has the least money
  // of all: goal contributions it can pay, every later month can.
  const toDebtAfterThisMonth = available.thisMonth.after + extra - toGoals;
  if (toDebtAfterThisMonth < 0) {
    throw new FieldRangeError(
      "goalContribution",
      `adds up to ${toGoals} a month, more than the ${available.thisMonth.after + extra} there is for debt this month after the change`,
    );
  }
  const toDebt = {
    thisMonth: beforeAfter(available.thisMonth.before, toDebtAfterThisMonth),
    laterMonths: beforeAfter(available.laterMonths.before, available.laterMonths.after + extra - toGoals),
  };

  const payoffInput: PayoffInput = {
    cards: input.cards,
    startMonth: month,
    monthlyAmount: 0,
    strategy: input.strategy,
    ...(input.customOrder ? { customOrder: input.customOrder } : {}),
    horizonMonths: DEFAULT_HORIZON_MONTHS,
  };
  const plan = (amounts: { thisMonth: number; later: number }) =>
    amounts.thisMonth === amounts.later
      ? planPayoff({ ...payoffInput, monthlyAmount: amounts.later })
      : planPayoffFromFirstMonth({ ...payoffInput, monthlyAmount: amounts.later }, amounts.thisMonth);
  const before = plan({ thisMonth: toDebt.thisMonth.before, later: toDebt.laterMonths.before });
  const after = plan({ thisMonth: toDebt.thisMonth.after, later: toDebt.laterMonths.after });
  const bothFree = before.end === "debt-free" && after.end === "debt-free";
  const totalOwed = sumCents(input.cards.map((c) => c.balance));

  const figuresBefore = monthFigures(before, totalOwed);
  const figuresAfter = monthFigures(after, totalOwed);
  const schedule: ForecastMonth[] = [];
  for (let i = 0; i < input.months; i++) {
    const m = addMonths(month, i);
    const b = figuresBefore(m);
    const a = figuresAfter(m);
    const span = i === 0 ? "thisMonth" : "laterMonths";
    schedule.push({
      month: m,
      availableForDebtPayoff: available[span],
      toGoals: beforeAfter(0, toGoals),
      paidToCards: beforeAfter(b.paid, a.paid),
      interest: beforeAfter(b.interest, a.interest),
      owedAtEnd: beforeAfter(b.owed, a.owed),
    });
  }
  const total = (pick: (m: ForecastMonth) => BeforeAfter) =>
    beforeAfter(sumCents(schedule.map((m) => pick(m).before)), sumCents(schedule.map((m) => pick(m).after)));

  const contribution = new Map((change.goalContribution ?? []).map((g) => [g.goalId, g.monthly]));
  return {
    month,
    months: input.months,
    strategy: input.strategy,
    income: beforeAfter(input.income, incomeAfter),
    categories: input.categories.map((c, i) => {
      const n = changed[i] as ForecastCategory;
      const counts = c.group !== DEBT;
      return {
        categoryId: c.categoryId,
        name: c.name,
        group: c.group,
        spent: c.spent,
        limit: beforeAfter(c.limit, n.limit),
        committedThisMonth: beforeAfter(
          counts ? Math.max(c.limit, c.spent) : 0,
          counts ? Math.max(n.limit, n.spent) : 0,
        ),
        committedLaterMonths: beforeAfter(counts ? c.limit : 0, counts ? n.limit : 0),
      };
    }),
    availableForDebtPayoff: available,
    toGoalsMonthly: beforeAfter(0, toGoals),
    toDebtMonthly: toDebt,
    debt: {
      totalOwed,
      before: outcome(before),
      after: outcome(after),
      debtFreeMonth: {
        before: before.debtFreeMonth,
        after: after.debtFreeMonth,
        monthsSooner: bothFree ? monthsBetween(after.debtFreeMonth, before.debtFreeMonth) : null,
      },
      monthsToDebtFree: {
        before: before.monthsToDebtFree,
        after: after.monthsToDebtFree,
        difference: bothFree ? (after.monthsToDebtFree ?? 0) - (before.monthsToDebtFree ?? 0) : null,
      },
      totalInterest: beforeAfter(before.totalInterest, after.totalInterest),
    },
    goals: input.goals.map((g) => forecastGoal(g, contribution.get(g.goalId) ?? 0, input.today)),
    schedule,
    totals: {
      availableForDebtPayoff: total((m) => m.availableForDebtPayoff),
      toGoals: total((m) => m.toGoals),
      paidToCards: total((m) => m.paidToCards),
      interest: total((m) => m.interest),
    },
    assumptions: [...FORECAST_ASSUMPTIONS],
  };
}

/**
 * What a goal needs a month on top of its pace to meet its target date: requiredMonthly less the
 * pace (its floor, so the exact pace with this added is at least requiredMonthly, which is on
 * track: docs/GOALS.md). 0 when the pace already does; a pace below 0 (withdrawals) adds to it.
 */
export function goalMonthlyGap(goal: ForecastGoal, today: string): number {
  const a = assessGoal(goal, today);
  return Math.max(0, a.requiredMonthly - (a.pace?.average ?? 0));
}
