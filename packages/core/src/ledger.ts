/**
 * How a transaction moves a month's totals. Spending is counted per category (each split in its
 * own); income only in total. Writes apply the difference between a transaction's effect before
 * and after a change, so totals stay exact without re-reading the month.
 */
export const UNCATEGORIZED = "uncategorized";

export interface LedgerEntry {
  date: string;
  amount: number;
  type: "expense" | "income";
  categoryId: string | null;
  splits: readonly { categoryId: string; amount: number }[] | null;
}

export interface MonthDelta {
  month: string;
  income: number;
  expenses: number;
  count: number;
  /** Change of spending per category id (UNCATEGORIZED for none). */
  byCategory: Record<string, number>;
}

export const monthOfDate = (date: string) => date.slice(0, 7);

function effect(entry: LedgerEntry, sign: 1 | -1): MonthDelta {
  const delta: MonthDelta = {
    month: monthOfDate(entry.date),
    income: 0,
    expenses: 0,
    count: sign,
    byCategory: {},
  };
  if (entry.type === "income") {
    delta.income = sign * entry.amount;
    return delta;
  }
  delta.expenses = sign * entry.amount;
  const parts = entry.splits?.length
    ? entry.splits
    : [{ categoryId: entry.categoryId ?? UNCATEGORIZED, amount: entry.amount }];
  for (const part of parts) {
    delta.byCategory[part.categoryId] = (delta.byCategory[part.categoryId] ?? 0) + sign * part.amount;
  }
  return delta;
}

function isZero(d: MonthDelta): boolean {
  return (
    d.income === 0 && d.expenses === 0 && d.count === 0 && Object.values(d.byCategory).every((v) => v === 0)
  );
}

/** The per-month changes that take totals from `before` to `after` (either may be absent). */
export function ledgerDeltas(before: LedgerEntry | undefined, after: LedgerEntry | undefined): MonthDelta[] {
  const months = new Map<string, MonthDelta>();
  for (const d of [before && effect(before, -1), after && effect(after, 1)]) {
    if (!d) continue;
    const acc = months.get(d.month);
    if (!acc) {
      months.set(d.month, d);
      continue;
    }
    acc.income += d.income;
    acc.expenses += d.expenses;
    acc.count += d.count;
    for (const [id, v] of Object.entries(d.byCategory)) acc.byCategory[id] = (acc.byCategory[id] ?? 0) + v;
  }
  for (const d of months.values()) {
    for (const [id, v] of Object.entries(d.byCategory)) if (v === 0) delete d.byCategory[id];
  }
  return [...months.values()].filter((d) => !isZero(d));
}

/** Totals of a month recomputed from scratch: what the stored totals must always equal. */
export function sumLedger(entries: Iterable<LedgerEntry>): Map<string, MonthDelta> {
  const months = new Map<string, MonthDelta>();
  for (const entry of entries) {
    const d = effect(entry, 1);
    const acc = months.get(d.month) ?? { month: d.month, income: 0, expenses: 0, count: 0, byCategory: {} };
    acc.income += d.income;
    acc.expenses += d.expenses;
    acc.count += d.count;
    for (const [id, v] of Object.entries(d.byCategory)) acc.byCategory[id] = (acc.byCategory[id] ?? 0) + v;
    months.set(d.month, acc);
  }
  return months;
}
