import { z } from "zod";
import { Account } from "./account";
import { Budget, BudgetCategoryStatus } from "./budget";
import { CategoryGroup } from "./category";
import { Instant, IsoDate, Month } from "./primitives";
import { Transaction } from "./transaction";

const Percent = z.number().nullable().describe("In percent, two decimals; null when the base is zero");
const Signed = z.number().int();

export const CategoryComparison = z.object({
  previousMonth: z.object({
    spent: Signed.describe("What the category spent the month before"),
    change: Signed.describe("spent - previous month's spent"),
    percent: Percent,
  }),
  threeMonthAverage: z.object({
    months: z
      .number()
      .int()
      .describe("How many of the three months before had any transaction: only those are averaged"),
    average: Signed.nullable().describe(
      "Average spending of those months, rounded to the cent; null when none",
    ),
    change: Signed.nullable().describe("spent - average"),
    percent: Percent,
  }),
});

export const CategoryAnalytics = z
  .object({
    categoryId: z.string(),
    name: z.string(),
    type: z.string().describe("The category slug (uncategorized for none)"),
    group: CategoryGroup,
    color: z.string(),
    budgeted: Signed,
    spent: Signed.describe("Net of refunds; transfers never count"),
    remaining: Signed.describe("budgeted - spent; negative when over"),
    percentUsed: Percent,
    transactionCount: z
      .number()
      .int()
      .describe("Transactions counted in the category (a split once per part)"),
    status: BudgetCategoryStatus,
  })
  .extend(CategoryComparison.shape);
export type CategoryAnalytics = z.infer<typeof CategoryAnalytics>;

export const AnalyticsTotals = z.object({
  plannedIncome: Signed.describe("The budget's totalIncome"),
  actualIncome: Signed,
  budgeted: Signed.describe("Sum of category limits"),
  expenses: Signed.describe("Spending net of refunds: the sum of every category's spent"),
  savingsRate: Percent.describe("(actualIncome - expenses) / actualIncome, in percent; null without income"),
  paidToDebt: Signed.describe("Transfers into card accounts from accounts that are not cards"),
  availableForDebtPayoff: Signed,
  transactionCount: z
    .number()
    .int()
    .describe("Transactions recorded in the month: each leg of a transfer, off-budget accounts' too"),
});
export type AnalyticsTotals = z.infer<typeof AnalyticsTotals>;

export const DailySpending = z.object({
  date: IsoDate,
  spent: Signed.describe("Spending of the day, net of refunds"),
  cumulative: Signed.describe("Spending from the first of the month to this day"),
  pace: Signed.describe("The budget spread evenly: budgeted x day / days in the month"),
});

export const MerchantSpending = z.object({
  merchant: z.string(),
  merchantKey: z.string(),
  spent: Signed,
  transactionCount: z.number().int(),
  share: Percent.describe("Of the month's expenses"),
});

export const RecurringCharge = z.object({
  merchant: z.string(),
  merchantKey: z.string(),
  transactionId: z.string(),
  date: IsoDate,
  amount: Signed,
  categoryId: z.string().nullable(),
  monthsSeen: z
    .number()
    .int()
    .describe("How many of this month and the three before charged a similar amount"),
});

export const Recommendation = z.object({
  categoryId: z.string(),
  action: z.enum(["cut", "reallocate"]),
  amount: Signed.describe("Cents: to cut from categoryId, or to move from fromCategoryId to categoryId"),
  fromCategoryId: z.string().optional(),
  rule: z.enum(["over-budget", "above-history"]),
  reason: z.string(),
});
export type Recommendation = z.infer<typeof Recommendation>;

export const MonthAnalytics = z.object({
  month: Month,
  currency: z.string(),
  hasBudget: z.boolean().describe("False when the month has no plan: limits and planned income are 0"),
  asOf: IsoDate.describe(
    "The day the figures run to: today within the month, its first day before it, its last day after it",
  ),
  categories: z.array(CategoryAnalytics),
  totals: AnalyticsTotals,
  daily: z.array(DailySpending),
  topMerchants: z.array(MerchantSpending),
  recurringCharges: z.array(RecurringCharge),
  recommendations: z.array(Recommendation),
  potentialSavings: Signed.describe("The recommendations' amounts added up"),
  generatedAt: Instant,
  sourceMarker: z
    .string()
    .describe("The versions of the budget, month totals and categories the figures were computed from"),
  ttl: z.number().int().describe("Epoch seconds at which the stored item expires (24 months on)"),
});
export type MonthAnalytics = z.infer<typeof MonthAnalytics>;

/** One month of a trend chart: the stored figures without the daily series. */
export const AnalyticsTrendMonth = z.object({
  month: Month,
  currency: z.string(),
  totals: AnalyticsTotals,
  categories: z.array(
    z.object({ categoryId: z.string(), name: z.string(), budgeted: Signed, spent: Signed }),
  ),
  generatedAt: Instant,
});
export type AnalyticsTrendMonth = z.infer<typeof AnalyticsTrendMonth>;

/** A trend reads at most this many months at once. */
export const MAX_TREND_MONTHS = 36;

const monthsBetween = (from: string, to: string) => {
  const index = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7));
  return index(to) - index(from);
};

export const AnalyticsRange = z.object({ from: Month, to: Month }).superRefine((q, ctx) => {
  if (q.from > q.to) ctx.addIssue({ code: "custom", path: ["from"], message: "must not be after to" });
  else if (monthsBetween(q.from, q.to) >= MAX_TREND_MONTHS)
    ctx.addIssue({
      code: "custom",
      path: ["to"],
      message: `must be within ${MAX_TREND_MONTHS} months of from`,
    });
});

/** Everything the spending dashboard shows, in one read. */
export const Dashboard = z.object({
  month: Month,
  budget: Budget.nullable().describe("The month's plan with category progress; null when not planned"),
  analytics: MonthAnalytics,
  accounts: z.array(Account).describe("Open accounts, with balances"),
  totalOwedOnCards: Signed.describe("What the open card accounts owe, added up"),
  recentTransactions: z.array(Transaction).describe("The 10 latest up to the month's last day, newest first"),
});
export type Dashboard = z.infer<typeof Dashboard>;
