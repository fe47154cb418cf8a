import type { Allocation } from "@tyche/types";
import type { CategoryInfo } from "../budget-math";
import type { LedgerEntry } from "../ledger";

/** A transaction of the month, as the analytics read it. */
export interface AnalyticsTransaction extends LedgerEntry {
  transactionId: string;
  /** The merchant as shown, and the key that groups its spellings; null when none was given. */
  merchant: string | null;
  merchantKey: string | null;
}

/** What one of the months before contributed to comparisons: its stored totals. */
export interface MonthHistory {
  month: string;
  /** Transactions recorded in the month: a month without any is left out of averages. */
  count: number;
  spentByCategory: Readonly<Record<string, number>>;
}

/** A charge of one of the three months before, for telling which charges recur. */
export interface PriorCharge {
  month: string;
  merchantKey: string;
  amount: number;
}

export interface AnalyticsInput {
  month: string;
  currency: string;
  /** The month's plan; null when the month was not planned. */
  budget: { totalIncome: number; allocations: readonly Allocation[] } | null;
  categories: ReadonlyMap<string, CategoryInfo>;
  /** Every transaction dated in the month. */
  transactions: readonly AnalyticsTransaction[];
  /** The three months before, in any order; a missing one counts as a month without transactions. */
  history: readonly MonthHistory[];
  /** Expense charges of the three months before. */
  priorCharges: readonly PriorCharge[];
  /** Today (`YYYY-MM-DD`): the figures run to it within the month, to its last day after it. */
  today: string;
}
