import { z } from "zod";

/**
 * What the cards read of each tool's output (services/api/src/ai/tools): only the fields a card
 * shows, loosely (extra fields are ignored, most are optional). An output that does not fit is
 * shown by the generic card instead, so a tool that changes its shape never breaks the page.
 */

const int = z.number().int();
const str = z.string();
const month = z.string().regex(/^\d{4}-\d{2}$/);
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/)
  .catch("USD");

export const UserContextOutput = z.object({
  month,
  currency,
  budget: z
    .object({
      totalIncome: int,
      totalBudgeted: int.optional(),
      totalExpenses: int,
      availableForDebtPayoff: int,
      paidToDebt: int.optional(),
      categories: z.array(z.object({ name: str, limit: int, spent: int, group: str.optional() })).catch([]),
    })
    .nullable(),
  cards: z.array(z.object({ name: str, balance: int })).catch([]),
  totalOwed: int.optional(),
  totalMinimumDue: int.optional(),
  goals: z.array(z.object({ name: str })).catch([]),
  upcomingBills: z.object({ items: z.array(z.unknown()) }).optional(),
});

const Outcome = z.object({
  end: z.enum(["debt-free", "shortfall", "stalled", "runaway", "horizon"]),
  monthsToDebtFree: int.nullable(),
  debtFreeMonth: month.nullable(),
  totalInterest: int,
});

export const PayoffOutput = z.object({
  month: month.optional(),
  currency,
  monthlyAmount: int,
  totalOwed: int.optional(),
  minimumsDue: int.optional(),
  shortfall: z.object({ missing: int }).nullable().optional(),
  minimumOnly: Outcome.partial().optional(),
  chosen: Outcome.extend({
    strategy: str,
    interestSaved: int.nullable().optional(),
    thisMonth: z
      .object({ payments: z.array(z.object({ name: str, payment: int })) })
      .nullable()
      .optional(),
    balances: z.array(z.object({ month, total: int })).catch([]),
  }),
  whatIf: z
    .object({
      extraMonthly: int.optional(),
      monthsSaved: int.nullable().optional(),
      interestSaved: int.nullable().optional(),
    })
    .nullable()
    .optional(),
});

export const AnalyzeBudgetOutput = z.object({
  month,
  currency,
  hasBudget: z.boolean().optional(),
  totals: z
    .object({ expenses: int.optional(), budgeted: int.optional(), availableForDebtPayoff: int.optional() })
    .optional(),
  overspent: z.array(z.object({ name: str, limit: int, spent: int, overBy: int })).catch([]),
  totalOverspent: int.optional(),
  recommendations: z
    .array(z.object({ name: str.optional(), action: str, amount: int, reason: str.optional() }))
    .catch([]),
  potentialSavings: int.optional(),
  toFree: z
    .object({
      target: int,
      freed: int,
      enough: z.boolean(),
      missing: int,
      cuts: z.array(z.object({ name: str.optional(), amount: int })).catch([]),
    })
    .nullable()
    .optional(),
});

export const SpendingByOutput = z.object({
  by: z.enum(["category", "merchant", "account", "month"]),
  from: month,
  to: month,
  currency,
  rows: z.array(z.object({ key: str, name: str, amount: int, count: int.optional() })),
  otherRows: int.optional(),
  total: int,
});

export const FindTransactionsOutput = z.object({
  items: z.array(
    z.object({
      date: str,
      amount: int,
      type: str,
      merchant: str.nullable().optional(),
      description: str.nullable().optional(),
    }),
  ),
  count: int.optional(),
  totals: z.record(z.string(), int).catch({}),
  nextCursor: str.nullable().optional(),
});

export const CreatedTransactionOutput = z.object({
  created: z.object({
    date: str,
    amount: int,
    type: str,
    currency: currency.optional(),
    merchant: str.nullable().optional(),
    description: str.nullable().optional(),
  }),
});

export const SetLimitOutput = z.object({
  month,
  currency,
  category: z.object({ name: str, limit: int, spent: int }).nullable(),
  totalBudgeted: int.optional(),
  availableForDebtPayoff: int,
});

export const CreatedGoalOutput = z.object({
  created: z.object({
    name: str,
    currency: currency.optional(),
    targetAmount: int,
    currentAmount: int.optional(),
    targetDate: str,
    requiredMonthly: int.nullable().optional(),
  }),
});

const beforeAfter = z.object({ before: int, after: int, difference: int.optional() });
const maybeMonth = month.nullable();

export const ForecastOutput = z.object({
  month,
  currency,
  months: int.optional(),
  change: z
    .object({
      incomeChange: int.optional(),
      extraDebtPayment: int.optional(),
      categoryLimits: z.array(z.unknown()).catch([]),
      goalContribution: z.array(z.unknown()).catch([]),
    })
    .partial()
    .optional(),
  availableForDebtPayoff: z.object({ thisMonth: beforeAfter.optional(), laterMonths: beforeAfter }),
  debt: z.object({
    debtFreeMonth: z.object({
      before: maybeMonth,
      after: maybeMonth,
      monthsSooner: int.nullable().optional(),
    }),
    totalInterest: beforeAfter,
  }),
  goals: z
    .array(
      z.object({
        name: str,
        projectedCompletion: z.object({ before: maybeMonth, after: maybeMonth }),
        meetsTargetDate: z.object({ before: z.boolean(), after: z.boolean() }).optional(),
      }),
    )
    .catch([]),
  schedule: z.array(z.object({ month, owedAtEnd: beforeAfter })).catch([]),
});

export const OptimizeOutput = z.object({
  month,
  currency,
  objective: z.object({ kind: z.enum(["debt", "goal"]), name: str.optional() }).catch({ kind: "debt" }),
  targetMet: z.boolean().nullable().optional(),
  shortBy: int.nullable().optional(),
  categories: z.array(z.object({ name: str, from: int, to: int, change: int, reason: str.optional() })),
  totals: z.object({ freed: int }),
  availableForDebtPayoff: z
    .object({ thisMonth: beforeAfter.optional(), laterMonths: beforeAfter.optional() })
    .optional(),
  debt: z
    .object({
      debtFreeMonth: z.object({
        before: maybeMonth,
        after: maybeMonth,
        monthsSooner: int.nullable().optional(),
      }),
    })
    .partial()
    .optional(),
});
