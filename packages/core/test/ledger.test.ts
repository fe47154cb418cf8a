import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accountMoves,
  type LedgerEntry,
  ledgerDeltas,
  type MonthDelta,
  sumLedger,
  UNCATEGORIZED,
} from "../src/ledger";

const groceries = "G";
const dining = "D";

describe("ledgerDeltas", () => {
  it("counts a new expense in its month and category", () => {
    expect(
      ledgerDeltas(undefined, {
        date: "2025-01-05",
        amount: 1_250,
        type: "expense",
        categoryId: groceries,
        splits: null,
      }),
    ).toEqual([
      {
        month: "2025-01",
        income: 0,
        expenses: 1_250,
        paidToDebt: 0,
        count: 1,
        byCategory: { [groceries]: 1_250 },
      },
    ]);
  });

  it("moves spending between categories within a month without touching the count", () => {
    const before: LedgerEntry = {
      date: "2025-01-05",
      amount: 1_000,
      type: "expense",
      categoryId: groceries,
      splits: null,
    };
    expect(ledgerDeltas(before, { ...before, categoryId: dining })).toEqual([
      {
        month: "2025-01",
        income: 0,
        expenses: 0,
        paidToDebt: 0,
        count: 0,
        byCategory: { [groceries]: -1_000, [dining]: 1_000 },
      },
    ]);
  });

  it("moves a transaction across months", () => {
    const before: LedgerEntry = {
      date: "2025-01-31",
      amount: 500,
      type: "expense",
      categoryId: null,
      splits: null,
    };
    expect(ledgerDeltas(before, { ...before, date: "2025-02-01" })).toEqual([
      {
        month: "2025-01",
        income: 0,
        expenses: -500,
        paidToDebt: 0,
        count: -1,
        byCategory: { [UNCATEGORIZED]: -500 },
      },
      {
        month: "2025-02",
        income: 0,
        expenses: 500,
        paidToDebt: 0,
        count: 1,
        byCategory: { [UNCATEGORIZED]: 500 },
      },
    ]);
  });

  it("counts splits in their own categories and income only in total", () => {
    const split: LedgerEntry = {
      date: "2025-03-01",
      amount: 3_000,
      type: "expense",
      categoryId: null,
      splits: [
        { categoryId: groceries, amount: 2_000 },
        { categoryId: dining, amount: 1_000 },
      ],
    };
    expect(ledgerDeltas(undefined, split)[0]?.byCategory).toEqual({ [groceries]: 2_000, [dining]: 1_000 });
    // income counts in total only
    expect(ledgerDeltas(undefined, { ...split, type: "income", categoryId: dining, splits: null })).toEqual([
      { month: "2025-03", income: 3_000, expenses: 0, paidToDebt: 0, count: 1, byCategory: {} },
    ]);
  });

  it("reports nothing for a change that moves no money", () => {
    const t: LedgerEntry = {
      date: "2025-01-05",
      amount: 1,
      type: "expense",
      categoryId: groceries,
      splits: null,
    };
    expect(ledgerDeltas(t, { ...t })).toEqual([]);
  });
});

/*
 * Properties against a recount written here, sharing nothing with ledger.ts: what it means for a
 * month's totals to be right, said once more in other words, so a mistake in the deltas cannot
 * hide by being made on both sides.
 */

interface Totals {
  income: number;
  expenses: number;
  paidToDebt: number;
  count: number;
  spent: Record<string, number>;
}

/**
 * What an entry is to the budget, by the table in DESIGN.md: a refund is spending taken back, a
 * transfer is what its leg says it counts as, anything in a tracking account is nothing.
 */
function budgetSign(e: LedgerEntry): { spending: -1 | 0 | 1; income: 0 | 1 } {
  if (e.type === "transfer") {
    if (e.transfer?.counts === "expense") return { spending: 1, income: 0 };
    if (e.transfer?.counts === "income") return { spending: 0, income: 1 };
    return { spending: 0, income: 0 };
  }
  if (e.onBudget === false) return { spending: 0, income: 0 };
  if (e.type === "expense") return { spending: 1, income: 0 };
  if (e.type === "refund") return { spending: -1, income: 0 };
  return { spending: 0, income: 1 };
}

/** Each entry dated in the month counts once; income in total only; spending part by part, net of refunds. */
function recount(entries: readonly LedgerEntry[], month: string): Totals {
  const inMonth = entries.filter((e) => e.date.startsWith(`${month}-`));
  const spent: Record<string, number> = {};
  let expenses = 0;
  let income = 0;
  let paidToDebt = 0;
  for (const e of inMonth) {
    const sign = budgetSign(e);
    income += sign.income * e.amount;
    expenses += sign.spending * e.amount;
    if (e.type === "transfer" && e.transfer?.debtPayment) paidToDebt += e.amount;
    if (sign.spending === 0) continue;
    for (const line of e.splits ?? [{ categoryId: e.categoryId ?? "uncategorized", amount: e.amount }]) {
      spent[line.categoryId] = (spent[line.categoryId] ?? 0) + sign.spending * line.amount;
    }
  }
  return {
    income,
    expenses,
    paidToDebt,
    count: inMonth.length,
    spent: Object.fromEntries(Object.entries(spent).filter(([, v]) => v !== 0)),
  };
}

const asTotals = (d: MonthDelta | undefined): Totals => ({
  income: d?.income ?? 0,
  expenses: d?.expenses ?? 0,
  paidToDebt: d?.paidToDebt ?? 0,
  count: d?.count ?? 0,
  spent: Object.fromEntries(Object.entries(d?.byCategory ?? {}).filter(([, v]) => v !== 0)),
});

const CATEGORIES = ["G", "D", "H", "T"];
const MONTH_EDGES = ["2024-12-31", "2025-01-01", "2025-01-31", "2025-02-01", "2025-03-15"];

/** Parts of at least a cent each, in distinct categories, adding up to the amount. */
const splitsOf = (amount: number) =>
  fc
    .tuple(
      fc.shuffledSubarray(CATEGORIES, { minLength: 2, maxLength: 4 }),
      fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 4, maxLength: 4 }),
    )
    .map(([ids, weights]) => {
      if (amount < ids.length) return null;
      const sum = ids.reduce((s, _, i) => s + (weights[i] ?? 1), 0);
      const parts = ids.map((categoryId, i) => ({
        categoryId,
        amount: 1 + Math.floor(((amount - ids.length) * (weights[i] ?? 1)) / sum),
      }));
      const last = parts[parts.length - 1] as { amount: number };
      last.amount += amount - parts.reduce((s, p) => s + p.amount, 0);
      return parts;
    });

const ACCOUNTS = ["checking", "card", "tracking"];

const transferArb = fc.record({
  direction: fc.constantFrom<"out" | "in">("out", "in"),
  counts: fc.constantFrom<"expense" | "income" | null>(null, null, "expense", "income"),
  debtPayment: fc.boolean(),
});

type Entry = LedgerEntry & { accountId: string };

const entryArb: fc.Arbitrary<Entry> = fc
  .record({
    date: fc.constantFrom(...MONTH_EDGES),
    amount: fc.integer({ min: 1, max: 1_000_000 }),
    type: fc.constantFrom<LedgerEntry["type"]>("expense", "expense", "income", "refund", "transfer"),
    categoryId: fc.constantFrom(...CATEGORIES, null),
    onBudget: fc.constantFrom(true, true, false),
    accountId: fc.constantFrom(...ACCOUNTS),
    transfer: transferArb,
    split: fc.boolean(),
  })
  .chain(({ split, transfer, ...e }) => {
    const base = { ...e, transfer: e.type === "transfer" ? transfer : null };
    return split && e.type !== "transfer" && e.type !== "income"
      ? splitsOf(e.amount).map((splits) => ({ ...base, categoryId: splits ? null : e.categoryId, splits }))
      : fc.constant({ ...base, splits: null });
  });

describe("ledger properties", () => {
  it("the deltas of any sequence of changes add up to a recount of the final state", () => {
    // A slot is one transaction over time: created (from nothing), changed, deleted (to nothing).
    const change = fc.tuple(fc.nat(7), fc.option(entryArb, { nil: undefined }));
    fc.assert(
      fc.property(fc.array(change, { maxLength: 80 }), (changes) => {
        const slots: (Entry | undefined)[] = Array(8).fill(undefined);
        const totals = new Map<string, Totals>();
        const touched = new Set<string>();
        for (const [slot, next] of changes) {
          const before = slots[slot];
          const deltas = ledgerDeltas(before, next);
          for (const e of [before, next]) if (e) touched.add(e.date.slice(0, 7));
          expect(new Set(deltas.map((d) => d.month)).size, "one delta per month").toBe(deltas.length);
          for (const d of deltas) {
            const t = totals.get(d.month) ?? { income: 0, expenses: 0, paidToDebt: 0, count: 0, spent: {} };
            t.income += d.income;
            t.expenses += d.expenses;
            t.paidToDebt += d.paidToDebt;
            t.count += d.count;
            for (const [id, v] of Object.entries(d.byCategory)) t.spent[id] = (t.spent[id] ?? 0) + v;
            totals.set(d.month, t);
          }
          slots[slot] = next;
        }
        const final = slots.filter((s): s is Entry => s !== undefined);
        for (const month of new Set([...touched, ...totals.keys()])) {
          const t = totals.get(month) ?? { income: 0, expenses: 0, paidToDebt: 0, count: 0, spent: {} };
          const nonZero = Object.fromEntries(Object.entries(t.spent).filter(([, v]) => v !== 0));
          expect({ month, ...t, spent: nonZero }).toEqual({ month, ...recount(final, month) });
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it("the account moves of any sequence of changes add up to each account's flow and count", () => {
    // Money in is positive: income, refunds and transfers arriving; everything else is money out.
    const flowOf = (e: Entry) =>
      e.type === "income" || e.type === "refund" || (e.type === "transfer" && e.transfer?.direction === "in")
        ? e.amount
        : -e.amount;
    const change = fc.tuple(fc.nat(5), fc.option(entryArb, { nil: undefined }));
    fc.assert(
      fc.property(fc.array(change, { maxLength: 60 }), (changes) => {
        const slots: (Entry | undefined)[] = Array(6).fill(undefined);
        const kept = new Map<string, { net: number; count: number }>();
        for (const [slot, next] of changes) {
          const before = slots[slot];
          for (const m of accountMoves(before ? [before] : [], next ? [next] : [])) {
            const k = kept.get(m.accountId) ?? { net: 0, count: 0 };
            kept.set(m.accountId, { net: k.net + m.net, count: k.count + m.count });
          }
          slots[slot] = next;
        }
        for (const accountId of ACCOUNTS) {
          const mine = slots.filter((s): s is Entry => s?.accountId === accountId);
          const expected = { net: mine.reduce((sum, e) => sum + flowOf(e), 0), count: mine.length };
          expect({ accountId, ...(kept.get(accountId) ?? { net: 0, count: 0 }) }).toEqual({
            accountId,
            ...expected,
          });
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it("summing the ledger from scratch gives the recount of every month", () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 40 }), (entries) => {
        const sums = sumLedger(entries);
        for (const month of new Set([...entries.map((e) => e.date.slice(0, 7)), ...sums.keys()])) {
          expect({ month, ...asTotals(sums.get(month)) }).toEqual({ month, ...recount(entries, month) });
        }
      }),
      { numRuns: 1_000 },
    );
  });
});
