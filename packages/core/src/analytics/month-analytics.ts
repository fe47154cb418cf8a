import type { MonthAnalytics } from "@tyche/types";
import { summariseBudget } from "../budget-math";
import { ledgerDeltas } from "../ledger";
import { daysInMonth } from "../month";
import { percentOf } from "../percent";
import { compareWithHistory } from "./categories";
import { dailySpending } from "./daily";
import type { AnalyticsInput } from "./input";
import { recommend } from "./recommendations";
import { type MonthCharge, recurringCharges } from "./recurring-charges";
import { type MerchantCharge, topMerchants } from "./top-merchants";

/** What the analytics compute; the service adds when, from what, and until when it is kept. */
export type MonthFigures = Omit<MonthAnalytics, "generatedAt" | "sourceMarker" | "ttl">;

/** The day the month's figures run to: today inside the month, else the month's last (or first) day. */
export function analyticsAsOf(month: string, today: string): string {
  const first = `${month}-01`;
  const last = `${month}-${String(daysInMonth(month)).padStart(2, "0")}`;
  return today < first ? first : today > last ? last : today;
}

/**
 * A month's analytics from its transactions, its plan and the three months before. Every figure
 * comes from one pass over the transactions, through the same ledger rules that keep the month
 * totals: so per category, per day and per merchant the spending adds up to the month's expenses.
 */
export function computeMonthAnalytics(input: AnalyticsInput): MonthFigures {
  const { month, currency } = input;
  let income = 0;
  let paidToDebt = 0;
  let count = 0;
  const spentByCategory: Record<string, number> = {};
  const countByCategory = new Map<string, number>();
  const spentByDate = new Map<string, number>();
  const merchantSpending: MerchantCharge[] = [];
  const charges: MonthCharge[] = [];

  for (const t of input.transactions) {
    for (const delta of ledgerDeltas(undefined, t)) {
      if (delta.month !== month) continue;
      income += delta.income;
      paidToDebt += delta.paidToDebt;
      count += delta.count;
      for (const [id, v] of Object.entries(delta.byCategory)) {
        spentByCategory[id] = (spentByCategory[id] ?? 0) + v;
        countByCategory.set(id, (countByCategory.get(id) ?? 0) + 1);
      }
      if (delta.expenses !== 0) {
        spentByDate.set(t.date, (spentByDate.get(t.date) ?? 0) + delta.expenses);
        if (t.merchantKey) {
          merchantSpending.push({
            merchant: t.merchant ?? t.merchantKey,
            merchantKey: t.merchantKey,
            spent: delta.expenses,
          });
        }
      }
    }
    if (t.type === "expense" && t.merchantKey && t.onBudget !== false) {
      charges.push({
        transactionId: t.transactionId,
        date: t.date,
        merchant: t.merchant ?? t.merchantKey,
        merchantKey: t.merchantKey,
        amount: t.amount,
        categoryId: t.splits?.length ? null : t.categoryId,
      });
    }
  }

  const summary = summariseBudget(
    {
      totalIncome: input.budget?.totalIncome ?? 0,
      allocations: input.budget?.allocations ?? [],
      spentByCategory,
    },
    input.categories,
  );
  const categories = summary.categories.map((view) => ({
    categoryId: view.categoryId,
    name: view.name,
    type: view.type,
    group: view.group,
    color: view.color,
    budgeted: view.limit,
    spent: view.spent,
    remaining: view.remaining,
    percentUsed: view.percentUsed,
    transactionCount: countByCategory.get(view.categoryId) ?? 0,
    status: view.status,
    ...compareWithHistory(view, month, input.history),
  }));

  const asOf = analyticsAsOf(month, input.today);
  const days = daysInMonth(month);
  const recommendations = recommend(categories, {
    currency,
    daysInMonth: days,
    daysElapsed: input.today < `${month}-01` ? 0 : Number(asOf.slice(8, 10)),
    planned: input.budget !== null,
  });
  const expenses = summary.totalActualExpenses;
  return {
    month,
    currency,
    hasBudget: input.budget !== null,
    asOf,
    categories,
    totals: {
      plannedIncome: input.budget?.totalIncome ?? 0,
      actualIncome: income,
      budgeted: summary.totalBudgeted,
      expenses,
      savingsRate: percentOf(income - expenses, income),
      paidToDebt,
      availableForDebtPayoff: summary.availableForDebtPayoff,
      transactionCount: count,
    },
    daily: dailySpending(month, spentByDate, summary.totalBudgeted),
    topMerchants: topMerchants(merchantSpending, expenses),
    recurringCharges: recurringCharges(charges, input.priorCharges, currency),
    recommendations,
    potentialSavings: recommendations.reduce((sum, r) => sum + r.amount, 0),
  };
}
