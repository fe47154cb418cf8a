import { MonthAnalytics } from "@tyche/types";
import { batchGetTables } from "./batch";
import { BudgetRecord } from "./budgets";
import { keys, type Owner, prefixes } from "./keys";
import { emptyTotals, type MonthTotals, toTotals } from "./month-totals";
import type { Store } from "./store";

export interface MonthItems {
  /** The plans found among the months asked for. */
  budgets: Map<string, BudgetRecord>;
  /** Every month asked for, zero totals for a month without transactions. */
  totals: Map<string, MonthTotals>;
  analytics: MonthAnalytics | undefined;
}

/**
 * Months' plans, the totals of the months given and (when asked) one month's stored analytics, in
 * one strongly consistent BatchGetItem across tyche-budgets and tyche-spending-analytics: what
 * month figures and their freshness are read from.
 */
export async function readMonthItems(
  store: Store,
  owner: Owner,
  want: { budgetMonths: readonly string[]; totalsMonths: readonly string[]; analyticsMonth?: string },
): Promise<MonthItems> {
  const found = await batchGetTables(store.db, [
    {
      table: store.tables.budgets,
      keys: [
        ...[...new Set(want.budgetMonths)].map((m) => keys.budget(owner, m)),
        ...[...new Set(want.totalsMonths)].map((m) => keys.monthTotals(owner, m)),
      ],
      consistent: true,
    },
    ...(want.analyticsMonth
      ? [
          {
            table: store.tables.spendingAnalytics,
            keys: [keys.analytics(owner, want.analyticsMonth)],
            consistent: true,
          },
        ]
      : []),
  ]);
  const out: MonthItems = {
    budgets: new Map(),
    totals: new Map(want.totalsMonths.map((m) => [m, emptyTotals(m)])),
    analytics: undefined,
  };
  for (const item of found.get(store.tables.budgets) ?? []) {
    if (String(item.SK).startsWith(prefixes.monthTotals)) out.totals.set(String(item.month), toTotals(item));
    else {
      const budget = BudgetRecord.parse(item);
      out.budgets.set(budget.month, budget);
    }
  }
  const stored = found.get(store.tables.spendingAnalytics)?.[0];
  if (stored) out.analytics = MonthAnalytics.parse(stored);
  return out;
}
