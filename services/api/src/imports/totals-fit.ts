import { ledgerDeltas, mergeDeltas } from "@tyche/core";
import { emptyTotals, type MonthTotals } from "../db/month-totals";
import type { TransactionRecord } from "../db/transactions";
import { invalidField } from "../errors";

/**
 * Refuses a file whose new rows would take a month's income, expenses or a category's spending
 * past 2^53 - 1 cents. The totals update refuses that too, but only chunk by chunk, after the
 * chunk's rows are in: checked up front, such a file is refused whole with nothing written.
 */
export function assertImportFits(
  current: ReadonlyMap<string, MonthTotals>,
  records: readonly (TransactionRecord | null)[],
): void {
  const fresh = records.filter((r): r is TransactionRecord => r !== null);
  for (const d of mergeDeltas(fresh.flatMap((r) => ledgerDeltas(undefined, r)))) {
    const totals = current.get(d.month) ?? emptyTotals(d.month);
    // Both terms are safe integers, so a true sum within range is exact and one past it is never
    // rounded back below the limit.
    const after: [string, number][] = [
      ["income", totals.income + d.income],
      ["expenses", totals.expenses + d.expenses],
      ...Object.entries(d.byCategory).map(([id, v]): [string, number] => [
        `spending in category ${id}`,
        (totals.spentByCategory[id] ?? 0) + v,
      ]),
    ];
    const over = after.find(([, value]) => value > Number.MAX_SAFE_INTEGER);
    if (over) {
      throw invalidField(
        "file",
        `would take the ${over[0]} of ${d.month} past ${Number.MAX_SAFE_INTEGER} cents, more than can be added up exactly`,
      );
    }
  }
}
