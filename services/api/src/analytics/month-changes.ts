import { type Owner, ownerOfKey, prefixes } from "../db/keys";

/** A month whose transactions or plan changed, for one owner. */
export interface MonthChange {
  owner: Owner;
  month: string;
}

const MONTH_ITEM = new RegExp(`^(?:${prefixes.monthTotals}|${prefixes.budget})(\\d{4}-\\d{2})$`);

/**
 * The change a written item of tyche-budgets stands for: a month's totals (every transaction write
 * moves or bumps them) or its plan. Any other item (a category, an account) says nothing about a
 * month. The same rule serves the local write watcher and the AWS stream handler.
 */
export function monthChangeOf(pk: unknown, sk: unknown): MonthChange | undefined {
  if (typeof pk !== "string" || typeof sk !== "string") return undefined;
  const month = MONTH_ITEM.exec(sk)?.[1];
  const owner = month ? ownerOfKey(pk) : undefined;
  return owner && month ? { owner, month } : undefined;
}
