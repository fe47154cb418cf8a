import { z } from "zod";
import { Cents, Id, Instant, Month, Version } from "./primitives";

const Int = z.number().int();

export const PAYOFF_STRATEGY_NAMES = [
  "avalanche",
  "snowball",
  "highest-interest",
  "custom",
  "minimum-only",
] as const;
export const PayoffStrategyName = z
  .enum(PAYOFF_STRATEGY_NAMES)
  .describe(
    "avalanche: highest APR first; snowball: smallest balance first; highest-interest: largest monthly " +
      "interest first; custom: the order given; minimum-only: the minimums alone (the baseline)",
  );
export type PayoffStrategyName = z.infer<typeof PayoffStrategyName>;

export const CardMonthSchema = z.object({
  cardId: Id,
  interest: Int,
  payment: Int,
  balance: Int.describe("Owed at the end of the month, after interest and payment"),
});

export const ScheduleMonthSchema = z.object({ month: Month, cards: z.array(CardMonthSchema) });

export const CardOutcomeSchema = z.object({
  cardId: Id,
  payoffMonth: Month.nullable(),
  interest: Int,
  paid: Int,
  neverPaidOff: z.boolean().describe("Its payments were not bringing it down: it would never be paid off"),
});

export const PayoffPlanSchema = z.object({
  strategy: PayoffStrategyName,
  feasible: z.boolean(),
  shortfall: z.object({ month: Month, missing: Int }).optional(),
  end: z.enum(["debt-free", "shortfall", "stalled", "runaway", "horizon"]),
  monthsToDebtFree: Int.nullable(),
  debtFreeMonth: Month.nullable(),
  totalInterest: Int,
  totalPaid: Int,
  remainingBalance: Int,
  cards: z.array(CardOutcomeSchema),
  schedule: z.array(ScheduleMonthSchema),
});
export type PayoffPlanSchema = z.infer<typeof PayoffPlanSchema>;

/** A category whose spending over its limit, cut back to the limit, frees money for the cards. */
export const ShortfallCut = z.object({
  categoryId: Id,
  name: z.string(),
  limit: Int,
  spent: Int,
  overBy: Int.describe("spent - limit: what cutting back to the limit frees"),
});

export const DebtShortfall = z.object({
  missing: Int.describe("Cents a month the money for debt is short of the cards' minimums"),
  minimumsDue: Int,
  monthlyAmount: Int,
  cuts: z
    .array(ShortfallCut)
    .describe("Over-budget categories, largest overrun first, enough to close the gap"),
  cutsTotal: Int,
  closesGap: z.boolean().describe("Whether cutting every listed category back to its limit closes the gap"),
});
export type DebtShortfall = z.infer<typeof DebtShortfall>;

export const ExcludedCard = z.object({
  cardId: Id,
  name: z.string(),
  reason: z.enum(["no-terms", "in-credit", "other-currency"]),
});

export const PlanCard = z.object({
  cardId: Id,
  name: z.string(),
  balance: Int,
  aprBasisPoints: Int,
  minimumDue: Int,
});

/** What every debt answer is computed from, so the page can say where the monthly amount came from. */
export const DebtBasis = z.object({
  month: Month,
  currency: z.string(),
  monthlyAmount: Int,
  source: z
    .enum(["budget", "override"])
    .describe("budget: the month's availableForDebtPayoff; override: the monthly= given"),
  availableForDebtPayoff: Int.nullable().describe("null when the month has no budget"),
  budgeted: z.boolean().describe("Whether the month has a budget"),
  minimumsDue: Int,
  totalOwed: Int,
  cards: z.array(PlanCard),
  excluded: z.array(ExcludedCard),
  shortfall: DebtShortfall.nullable(),
});
export type DebtBasis = z.infer<typeof DebtBasis>;

export const DebtPlan = DebtBasis.extend({
  plan: PayoffPlanSchema,
  baseline: z.object({
    monthsToDebtFree: Int.nullable(),
    totalInterest: Int,
    debtFreeMonth: Month.nullable(),
  }),
  interestSaved: Int.nullable().describe(
    "Baseline interest less this plan's; null unless both are debt-free",
  ),
  monthsSaved: Int.nullable(),
});
export type DebtPlan = z.infer<typeof DebtPlan>;

export const StrategySummary = z.object({
  strategy: PayoffStrategyName,
  feasible: z.boolean(),
  end: PayoffPlanSchema.shape.end,
  monthsToDebtFree: Int.nullable(),
  debtFreeMonth: Month.nullable(),
  totalInterest: Int,
  totalPaid: Int,
  interestSaved: Int.nullable(),
  monthsSaved: Int.nullable(),
  cards: z.array(CardOutcomeSchema),
});
export type StrategySummary = z.infer<typeof StrategySummary>;

export const DebtComparison = DebtBasis.extend({
  baseline: StrategySummary,
  strategies: z.array(StrategySummary),
  best: PayoffStrategyName.nullable().describe(
    "The strategy with the least interest (then the fewest months)",
  ),
});
export type DebtComparison = z.infer<typeof DebtComparison>;

export const WhatIfOutcome = z.object({
  monthsToDebtFree: Int.nullable(),
  debtFreeMonth: Month.nullable(),
  totalInterest: Int,
  feasible: z.boolean(),
  end: PayoffPlanSchema.shape.end,
});

export const DebtWhatIf = DebtBasis.extend({
  strategy: PayoffStrategyName,
  extraMonthly: Int,
  snowflake: z.object({ month: Month, amount: Int }).nullable(),
  current: WhatIfOutcome,
  withChange: WhatIfOutcome,
  monthsSaved: Int.nullable(),
  interestSaved: Int.nullable(),
  /** Balance over time, both ways: what the chart draws. */
  balances: z.array(z.object({ month: Month, current: Int, withChange: Int })),
});
export type DebtWhatIf = z.infer<typeof DebtWhatIf>;

/** One month's state of the debt, as it closed (or so far, for the month in progress). */
export const FinancialSnapshot = z.object({
  month: Month,
  closed: z.boolean().describe("false for the month in progress: it can still change"),
  totalOwed: Int,
  creditLimit: Int,
  utilisationBasisPoints: Int.nullable(),
  interestPaid: Int.describe(
    "Interest and fees charged to the cards in the month (debt-group expenses on cards)",
  ),
  paidToDebt: Int,
  availableForDebtPayoff: Int.nullable(),
  cards: z.array(
    z.object({ cardId: Id, name: z.string(), balance: Int, utilisationBasisPoints: Int.nullable() }),
  ),
  takenAt: Instant,
});
export type FinancialSnapshot = z.infer<typeof FinancialSnapshot>;

export const DebtProgress = z.object({
  from: Month,
  to: Month,
  months: z.array(FinancialSnapshot),
  startingOwed: Int.nullable(),
  currentOwed: Int,
  paidDown: Int.nullable().describe("startingOwed - currentOwed"),
  interestPaid: Int,
  paidToDebt: Int,
});
export type DebtProgress = z.infer<typeof DebtProgress>;

export const DebtGoalInput = z.strictObject({
  targetMonth: Month.describe("The month by which every card should be paid off"),
  strategy: z
    .enum(["avalanche", "snowball"])
    .default("avalanche")
    .describe("The strategies for which the required monthly amount is the least that meets the target"),
});
export type DebtGoalInput = z.output<typeof DebtGoalInput>;

export const DebtGoal = z.object({
  targetMonth: Month,
  strategy: PayoffStrategyName,
  month: Month.describe("The budget month the assessment used"),
  monthlyAmount: Int,
  planDebtFreeMonth: Month.nullable(),
  meetsTarget: z.boolean(),
  requiredMonthly: Int.nullable().describe(
    "The least monthly amount that gets debt-free by the target; null when no amount can (the target is past)",
  ),
  extraNeeded: Int.nullable().describe("requiredMonthly - monthlyAmount when positive, else 0"),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type DebtGoal = z.infer<typeof DebtGoal>;

export const DebtQuery = {
  month: Month.optional().describe(
    "The budget month whose availableForDebtPayoff is the monthly amount; defaults to this month",
  ),
  monthly: z.coerce
    .number()
    .pipe(Cents)
    .optional()
    .describe("Overrides the monthly amount (cents), for what-ifs"),
  order: z
    .string()
    .max(2000)
    .optional()
    .describe("For strategy=custom: card ids, comma-separated, first paid first"),
};
