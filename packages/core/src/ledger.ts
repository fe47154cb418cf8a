/**
 * How a transaction moves a month's totals. Spending is counted per category (each split in its
 * own); income only in total. Writes apply the difference between a transaction's effect before
 * and after a change, so totals stay exact without re-reading the month.
 */
export const UNCATEGORIZED = "uncategorized";
/** Where split transactions are indexed by category; like UNCATEGORIZED, no category may take it. */
export const SPLIT_SLUG = "split";
export const RESERVED_CATEGORY_SLUGS: readonly string[] = [UNCATEGORIZED, SPLIT_SLUG];

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

const empty = (month: string): MonthDelta => ({
  month,
  income: 0,
  expenses: 0,
  count: 0,
  byCategory: {},
});

function effect(entry: LedgerEntry, sign: 1 | -1): MonthDelta {
  const delta = { ...empty(monthOfDate(entry.date)), count: sign };
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

function add(acc: MonthDelta, d: MonthDelta): void {
  acc.income += d.income;
  acc.expenses += d.expenses;
  acc.count += d.count;
  for (const [id, v] of Object.entries(d.byCategory)) acc.byCategory[id] = (acc.byCategory[id] ?? 0) + v;
}

const dropZeros = (r: Record<string, number>) => {
  for (const [id, v] of Object.entries(r)) if (v === 0) delete r[id];
};

const isZero = (d: MonthDelta) =>
  d.income === 0 && d.expenses === 0 && d.count === 0 && Object.keys(d.byCategory).length === 0;

/** Sums deltas per month: a chunk of an import becomes one update of each month's totals. */
export function mergeDeltas(deltas: Iterable<MonthDelta>): MonthDelta[] {
  const months = new Map<string, MonthDelta>();
  for (const d of deltas) {
    const acc = months.get(d.month) ?? empty(d.month);
    add(acc, d);
    months.set(d.month, acc);
  }
  for (const d of months.values()) {
    dropZeros(d.byCategory);
  }
  return [...months.values()].filter((d) => !isZero(d));
}

/** The per-month changes that take totals from `before` to `after` (either may be absent). */
export function ledgerDeltas(before: LedgerEntry | undefined, after: LedgerEntry | undefined): MonthDelta[] {
  return mergeDeltas([...(before ? [effect(before, -1)] : []), ...(after ? [effect(after, 1)] : [])]);
}

/** Totals of each month recomputed from scratch: what the stored totals must always equal. */
export function sumLedger(entries: Iterable<LedgerEntry>): Map<string, MonthDelta> {
  return new Map(mergeDeltas([...entries].map((e) => effect(e, 1))).map((d) => [d.month, d]));
}
