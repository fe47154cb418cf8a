import { MonthAnalytics } from "@tyche/types";
import { batchGetTables } from "./batch";
import { BudgetRecord } from "./budgets";
import { keys, type Owner, prefixes } from "./keys";
import { emptyTotals, type MonthTotals, toTotals } from "./month-totals";
import type { Store } from "./store";

export interface MonthItems {
  budget: BudgetRecord | undefined;
  /** Every month asked for, zero totals for a month without transactions. */
  totals: Map<string, MonthTotals>;
  analytics: MonthAnalytics | undefined;
}

/**
 * A month's plan, the totals of the months given and (when asked) the month's stored analytics, in
 * one strongly consistent BatchGetItem across tyche-budgets and tyche-spending-analytics: what a
 * month's figures and their freshness are read from.
 */
export async function readMonthItems(
  store: Store,
  owner: Owner,
  month: string,
  totalsMonths: readonly string[],
  withAnalytics: boolean,
): Promise<MonthItems> {
  const found = await batchGetTables(store.db, [
    {
      table: store.tables.budgets,
      keys: [keys.budget(owner, month), ...[...new Set(totalsMonths)].map((m) => keys.monthTotals(owner, m))],
      consistent: true,
    },
    ...(withAnalytics
      ? [{ table: store.tables.spendingAnalytics, keys: [keys.analytics(owner, month)], consistent: true }]
      : []),
  ]);
  const out: MonthItems = {
    budget: undefined,
    totals: new Map(totalsMonths.map((m) => [m, emptyTotals(m)])),
    analytics: undefined,
  };
  for (const item of found.get(store.tables.budgets) ?? []) {
    if (String(item.SK).startsWith(prefixes.monthTotals)) out.totals.set(String(item.month), toTotals(item));
    else out.budget = BudgetRecord.parse(item);
  }
  const stored = found.get(store.tables.spendingAnalytics)?.[0];
  if (stored) out.analytics = MonthAnalytics.parse(stored);
  return out;
}
