import { addMonths, analyticsAsOf } from "@tyche/core";
import type { Category } from "@tyche/types";
import type { BudgetRecord } from "../db/budgets";
import { emptyTotals, type MonthTotals } from "../db/month-totals";

/** How many months before a month its comparisons and recurring charges look at. */
export const HISTORY_MONTHS = 3;

/** What a month's analytics are computed from, besides its transactions, and what says they changed. */
export interface AnalyticsSources {
  month: string;
  /** The month's active plan; an archived month is analysed as unplanned. */
  budget: BudgetRecord | undefined;
  /** The month's totals and those of the months before it. */
  totals: ReadonlyMap<string, MonthTotals>;
  categories: ReadonlyMap<string, Category>;
}

/** The month and the ones before it whose totals it reads, oldest first. */
export const sourceMonths = (month: string) =>
  Array.from({ length: HISTORY_MONTHS + 1 }, (_, i) => addMonths(month, i - HISTORY_MONTHS));

export const totalsOf = (s: AnalyticsSources, month: string) => s.totals.get(month) ?? emptyTotals(month);

/**
 * The versions of everything the figures depend on, as one string: the plan's version, the
 * revision of each month's totals (every transaction write bumps its months'), the categories'
 * count and versions, and the day the figures run to (a month under way changes with the date).
 * Any change to any of them gives another marker.
 */
export function sourceMarker(s: AnalyticsSources, today: string): string {
  let versions = 0;
  for (const c of s.categories.values()) versions += c.version;
  const revisions = sourceMonths(s.month).map((m) => totalsOf(s, m).revision);
  const plan = s.budget ? `${s.budget.version}` : "none";
  return `b${plan}|t${revisions.join(".")}|c${s.categories.size}.${versions}|d${analyticsAsOf(s.month, today)}`;
}

/** Whether a month has anything to analyse: a plan or a transaction. */
export const hasData = (s: AnalyticsSources) => s.budget !== undefined || totalsOf(s, s.month).count > 0;
