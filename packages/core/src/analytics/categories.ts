import type { BudgetCategoryView, CategoryAnalytics } from "@tyche/types";
import { addMonths } from "../month";
import { percentOf } from "../percent";
import type { MonthHistory } from "./input";

/**
 * How a category's spending compares with the month before and with the average of the three
 * months before. A month without any transaction (before the user started, say) is not averaged
 * in as zero spending: it says nothing about the category.
 */
export function compareWithHistory(
  view: BudgetCategoryView,
  month: string,
  history: readonly MonthHistory[],
): Pick<CategoryAnalytics, "previousMonth" | "threeMonthAverage"> {
  const byMonth = new Map(history.map((h) => [h.month, h]));
  const spentIn = (m: string) => byMonth.get(m)?.spentByCategory[view.categoryId] ?? 0;
  const previous = spentIn(addMonths(month, -1));
  const recorded = [1, 2, 3].map((n) => addMonths(month, -n)).filter((m) => (byMonth.get(m)?.count ?? 0) > 0);
  const average = recorded.length
    ? Math.round(recorded.reduce((sum, m) => sum + spentIn(m), 0) / recorded.length)
    : null;
  return {
    previousMonth: {
      spent: previous,
      change: view.spent - previous,
      percent: percentOf(view.spent - previous, previous),
    },
    threeMonthAverage: {
      months: recorded.length,
      average,
      change: average === null ? null : view.spent - average,
      percent: average === null ? null : percentOf(view.spent - average, average),
    },
  };
}
