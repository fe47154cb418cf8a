import type { BudgetRecord } from "../db/budgets";
import type { Owner } from "../db/keys";
import type { MonthTotals, MonthTotalsRepository } from "../db/month-totals";
import type { WriteOp } from "../db/transact";
import { invalidField } from "../errors";

const refused = (month: string, from: string, to: string) => () =>
  invalidField(
    "currency",
    `cannot change from ${from} to ${to}: ${month} already has amounts in ${from} ` +
      "(income, a category limit or a transaction), and they would silently change their meaning",
  );

/**
 * What lets a month change its currency, or the refusal: amounts already planned or recorded in
 * one currency must not be reread in another. Planned amounts are checked on the plan just read
 * (its version guards the write); recorded ones also by a check on the month's totals inside the
 * write itself, so a transaction written meanwhile cannot slip under the new currency.
 */
export function currencyChangeOps(
  repo: MonthTotalsRepository,
  owner: Owner,
  current: Pick<BudgetRecord, "month" | "currency" | "totalIncome" | "allocations">,
  nextCurrency: string,
  totals: MonthTotals,
): WriteOp[] {
  if (nextCurrency === current.currency) return [];
  const fail = refused(current.month, current.currency, nextCurrency);
  const planned = current.totalIncome !== 0 || current.allocations.some((a) => a.limit !== 0);
  if (planned || totals.count !== 0) throw fail();
  return [repo.noTransactionsCheck(owner, current.month, fail)];
}
