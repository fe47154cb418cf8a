/**
 * How a transaction moves a month's totals and its account's balance. Spending is counted per
 * category (each split in its own), net of refunds; income only in total; a transfer between two
 * budget accounts is neither. Writes apply the difference between a transaction's effect before
 * and after a change, so totals and balances stay exact without re-reading anything.
 */
export const UNCATEGORIZED = "uncategorized";
/** Where split transactions are indexed by category; like UNCATEGORIZED, no category may take it. */
export const SPLIT_SLUG = "split";
export const RESERVED_CATEGORY_SLUGS: readonly string[] = [UNCATEGORIZED, SPLIT_SLUG];

export type MovementKind = "expense" | "income" | "refund" | "transfer";
export type AccountKind = "checking" | "savings" | "cash" | "credit-card";

/** One side of a transfer, as stored on its leg: what it counts as, fixed when it is written. */
export interface TransferLeg {
  direction: "out" | "in";
  /**
   * Money leaving the budget for an off-budget account is spending (the out leg counts as an
   * expense), money arriving from one is income (the in leg); between two budget accounts, neither.
   */
  counts: "expense" | "income" | null;
  /** The in leg of a payment into a card from an account that is not a card. */
  debtPayment: boolean;
}

export interface LedgerEntry {
  date: string;
  amount: number;
  type: MovementKind;
  categoryId: string | null;
  splits: readonly { categoryId: string; amount: number }[] | null;
  /** False for a tracking (off-budget) account: its spending and income are not the budget's. */
  onBudget?: boolean;
  transfer?: TransferLeg | null;
}

export interface MonthDelta {
  month: string;
  income: number;
  /** Spending net of refunds. */
  expenses: number;
  /** Paid into card accounts (the in legs of debt payments). */
  paidToDebt: number;
  count: number;
  /** Change of spending per category id (UNCATEGORIZED for none). */
  byCategory: Record<string, number>;
}

export const monthOfDate = (date: string) => date.slice(0, 7);

const empty = (month: string): MonthDelta => ({
  month,
  income: 0,
  expenses: 0,
  paidToDebt: 0,
  count: 0,
  byCategory: {},
});

/** What an entry counts as in its month's budget: a kind, or nothing. */
function budgetKind(entry: LedgerEntry): "expense" | "income" | "refund" | null {
  if (entry.type === "transfer") return entry.transfer?.counts ?? null;
  return entry.onBudget === false ? null : entry.type;
}

function effect(entry: LedgerEntry, sign: 1 | -1): MonthDelta {
  const delta = { ...empty(monthOfDate(entry.date)), count: sign };
  if (entry.type === "transfer" && entry.transfer?.debtPayment) delta.paidToDebt = sign * entry.amount;
  const kind = budgetKind(entry);
  if (kind === null) return delta;
  if (kind === "income") {
    delta.income = sign * entry.amount;
    return delta;
  }
  const direction = kind === "refund" ? -sign : sign;
  delta.expenses = direction * entry.amount;
  const parts = entry.splits?.length
    ? entry.splits
    : [{ categoryId: entry.categoryId ?? UNCATEGORIZED, amount: entry.amount }];
  for (const part of parts) {
    delta.byCategory[part.categoryId] = (delta.byCategory[part.categoryId] ?? 0) + direction * part.amount;
  }
  return delta;
}

function add(acc: MonthDelta, d: MonthDelta): void {
  acc.income += d.income;
  acc.expenses += d.expenses;
  acc.paidToDebt += d.paidToDebt;
  acc.count += d.count;
  for (const [id, v] of Object.entries(d.byCategory)) acc.byCategory[id] = (acc.byCategory[id] ?? 0) + v;
}

const dropZeros = (r: Record<string, number>) => {
  for (const [id, v] of Object.entries(r)) if (v === 0) delete r[id];
};

const isZero = (d: MonthDelta) =>
  d.income === 0 &&
  d.expenses === 0 &&
  d.paidToDebt === 0 &&
  d.count === 0 &&
  Object.keys(d.byCategory).length === 0;

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

/** How the two legs of a transfer between these accounts count. */
export function transferLegs(
  from: { onBudget: boolean; type: AccountKind },
  to: { onBudget: boolean; type: AccountKind },
): { out: TransferLeg; in: TransferLeg } {
  return {
    out: { direction: "out", counts: from.onBudget && !to.onBudget ? "expense" : null, debtPayment: false },
    in: {
      direction: "in",
      counts: !from.onBudget && to.onBudget ? "income" : null,
      debtPayment: to.type === "credit-card" && from.type !== "credit-card",
    },
  };
}

/**
 * The money an entry brings into its account, in cents: negative for money out. A card keeps the
 * same sign (a charge is money out of the card, a payment money in); its balance owed is the
 * opposite of that flow (see accountBalance).
 */
type Flowing = Pick<LedgerEntry, "amount" | "type"> & { transfer?: Pick<TransferLeg, "direction"> | null };

export function accountFlow(entry: Flowing): number {
  if (entry.type === "expense") return -entry.amount;
  if (entry.type === "transfer") return entry.transfer?.direction === "out" ? -entry.amount : entry.amount;
  return entry.amount;
}

/** A balance as shown: what a cash account holds, or what is owed on a card. */
export function accountBalance(type: AccountKind, openingBalance: number, net: number): number {
  return type === "credit-card" ? openingBalance - net : openingBalance + net;
}

export interface AccountMove {
  accountId: string;
  /** Change of the account's flow (see accountFlow). */
  net: number;
  /** Change of how many transactions the account holds. */
  count: number;
}

/** How a change of entries (legs of one transaction, before and after) moves each account. */
export function accountMoves(
  before: readonly (Flowing & { accountId: string })[],
  after: readonly (Flowing & { accountId: string })[],
): AccountMove[] {
  const moves = new Map<string, AccountMove>();
  const apply = (e: (typeof before)[number], sign: 1 | -1) => {
    const m = moves.get(e.accountId) ?? { accountId: e.accountId, net: 0, count: 0 };
    m.net += sign * accountFlow(e);
    m.count += sign;
    moves.set(e.accountId, m);
  };
  for (const e of before) apply(e, -1);
  for (const e of after) apply(e, 1);
  return [...moves.values()].filter((m) => m.net !== 0 || m.count !== 0);
}
