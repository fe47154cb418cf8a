import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type LedgerEntry, ledgerDeltas, sumLedger, UNCATEGORIZED } from "../src/ledger";

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
        count: -1,
        byCategory: { [UNCATEGORIZED]: -500 },
      },
      {
        month: "2025-02",
        income: 0,
        expenses: 500,
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
      { month: "2025-03", income: 3_000, expenses: 0, count: 1, byCategory: {} },
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

  it("applying deltas of any sequence of changes equals summing the final state", () => {
    const entry = fc.record({
      date: fc.constantFrom("2025-01-10", "2025-01-31", "2025-02-01", "2025-03-15"),
      amount: fc.integer({ min: 1, max: 1_000_000 }),
      type: fc.constantFrom<"expense" | "income">("expense", "income"),
      categoryId: fc.constantFrom(groceries, dining, null),
      splits: fc.constant(null),
    });
    const op = fc.tuple(fc.nat(9), fc.option(entry, { nil: undefined }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const slots: (LedgerEntry | undefined)[] = Array(10).fill(undefined);
        const totals = new Map<
          string,
          { income: number; expenses: number; count: number; byCategory: Record<string, number> }
        >();
        for (const [slot, next] of ops) {
          for (const d of ledgerDeltas(slots[slot], next)) {
            const t = totals.get(d.month) ?? { income: 0, expenses: 0, count: 0, byCategory: {} };
            t.income += d.income;
            t.expenses += d.expenses;
            t.count += d.count;
            for (const [id, v] of Object.entries(d.byCategory))
              t.byCategory[id] = (t.byCategory[id] ?? 0) + v;
            totals.set(d.month, t);
          }
          slots[slot] = next;
        }
        const expected = sumLedger(slots.filter((s): s is LedgerEntry => s !== undefined));
        for (const [month, t] of totals) {
          const e = expected.get(month) ?? { income: 0, expenses: 0, count: 0, byCategory: {} };
          expect(t.income).toBe(e.income);
          expect(t.expenses).toBe(e.expenses);
          expect(t.count).toBe(e.count);
          const nonZero = Object.fromEntries(Object.entries(t.byCategory).filter(([, v]) => v !== 0));
          expect(nonZero).toEqual(e.byCategory);
        }
      }),
    );
  });
});
