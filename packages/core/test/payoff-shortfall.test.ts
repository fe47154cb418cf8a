import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { availableForDebtPayoff } from "../src/budget-math";
import { type ShortfallCategory, shortfallCuts } from "../src/payoff";

const cat = (
  categoryId: string,
  group: ShortfallCategory["group"],
  limit: number,
  spent: number,
  name = categoryId,
): ShortfallCategory => ({ categoryId, name, group, limit, spent });

// Over by: dining 150.00, savings 100.00, groceries 50.00, travel 50.00 (no limit set). Fun is at
// its limit, refunds are below it, and the card's interest is in the debt group: none of them free
// anything.
const month = [
  cat("groceries", "essential", 40_000, 45_000, "Groceries"),
  cat("dining", "discretionary", 10_000, 25_000, "Dining"),
  cat("fun", "discretionary", 5000, 5000, "Fun"),
  cat("savings", "savings", 20_000, 30_000, "Savings"),
  cat("interest", "debt", 0, 8000, "Card interest"),
  cat("travel", "discretionary", 0, 5000, "Travel"),
  cat("refunds", "discretionary", 0, -2000, "Refunds"),
];

const ids = (r: ReturnType<typeof shortfallCuts>) => r.cuts.map((c) => c.categoryId);

describe("shortfallCuts", () => {
  it("largest overrun first, as few as close the gap", () => {
    // 200.00 missing: dining's 150.00 is not enough, with savings' 100.00 it is (250.00).
    expect(shortfallCuts(20_000, month)).toEqual({
      cuts: [
        { categoryId: "dining", name: "Dining", limit: 10_000, spent: 25_000, overBy: 15_000 },
        { categoryId: "savings", name: "Savings", limit: 20_000, spent: 30_000, overBy: 10_000 },
      ],
      cutsTotal: 25_000,
      closesGap: true,
    });
    // Exactly dining's overrun closes it; a cent more takes the next.
    expect(shortfallCuts(15_000, month)).toMatchObject({ cutsTotal: 15_000, closesGap: true });
    expect(ids(shortfallCuts(15_000, month))).toEqual(["dining"]);
    expect(ids(shortfallCuts(15_001, month))).toEqual(["dining", "savings"]);
    // 50.00 ties go by name: Groceries before Travel.
    expect(ids(shortfallCuts(25_001, month))).toEqual(["dining", "savings", "groceries"]);
  });

  it("all of them, and says so, when they cannot close the gap", () => {
    // 150.00 + 100.00 + 50.00 + 50.00 = 350.00 < 400.00.
    const r = shortfallCuts(40_000, month);
    expect(ids(r)).toEqual(["dining", "savings", "groceries", "travel"]);
    expect(r.cutsTotal).toBe(35_000);
    expect(r.closesGap).toBe(false);
    expect(shortfallCuts(1, [cat("fun", "discretionary", 5000, 100)])).toEqual({
      cuts: [],
      cutsTotal: 0,
      closesGap: false,
    });
  });

  it("nothing missing: no cuts, the gap closed", () => {
    expect(shortfallCuts(0, month)).toEqual({ cuts: [], cutsTotal: 0, closesGap: true });
    expect(shortfallCuts(-500, month)).toEqual({ cuts: [], cutsTotal: 0, closesGap: true });
  });

  it("ties by name, then by id", () => {
    const same = [
      cat("b", "essential", 0, 100, "Same"),
      cat("a", "essential", 0, 100, "Same"),
      cat("c", "essential", 0, 100, "Other"),
      cat("d", "essential", 0, 101, "Zed"),
    ];
    expect(ids(shortfallCuts(1000, same))).toEqual(["d", "c", "a", "b"]);
  });

  it("cutting the listed categories back raises availableForDebtPayoff by cutsTotal", () => {
    // Income 2,000.00; committed 450 + 250 + 50 + 300 + 50 + 0 = 1,100.00, so 900.00 for the cards.
    // Minimums of 1,100.00 leave 200.00 missing; dining and savings back at their limits: 1,150.00.
    expect(availableForDebtPayoff(200_000, month)).toBe(90_000);
    const r = shortfallCuts(110_000 - 90_000, month);
    const cut = new Set(ids(r));
    const after = month.map((c) => (cut.has(c.categoryId) ? { ...c, spent: c.limit } : c));
    expect(availableForDebtPayoff(200_000, after)).toBe(90_000 + r.cutsTotal);
    expect(availableForDebtPayoff(200_000, after)).toBeGreaterThanOrEqual(110_000);
  });

  it("refuses figures that are not whole cents, naming them", () => {
    expect(() => shortfallCuts(1.5, month)).toThrow(/^missing must be a whole number of cents/);
    expect(() => shortfallCuts(100, [cat("x", "essential", -1, 0)])).toThrow(/^limit of x .*from 0/);
    expect(() => shortfallCuts(100, [cat("x", "essential", 0, Number.NaN)])).toThrow(/^spent of x/);
    expect(() => shortfallCuts(100, [cat("x", "essential", 0, 2 ** 53)])).toThrow(RangeError);
  });
});

const categories = fc.uniqueArray(
  fc.record({
    categoryId: fc.string({ minLength: 1, maxLength: 3 }),
    name: fc.constantFrom("Rent", "Food", "Fun", "Gifts", "rent", ""),
    group: fc.constantFrom<ShortfallCategory["group"]>("essential", "discretionary", "savings", "debt"),
    limit: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50_000 })),
    // Small overruns, so equal ones (ties) come up.
    spent: fc.oneof(
      fc.integer({ min: -5000, max: 80_000 }),
      fc.integer({ min: 0, max: 5 }).map((k) => 100 * k),
    ),
  }),
  { selector: (c) => c.categoryId, maxLength: 12 },
);

/** The cuts picked one at a time: the largest overrun left, then the first name, then the first id. */
function model(missing: number, cs: readonly ShortfallCategory[]) {
  const left = cs.filter((c) => c.group !== "debt" && c.spent > c.limit);
  const ahead = (a: ShortfallCategory, b: ShortfallCategory) => {
    const oa = a.spent - a.limit;
    const ob = b.spent - b.limit;
    if (oa !== ob) return oa > ob;
    if (a.name !== b.name) return a.name < b.name;
    return a.categoryId < b.categoryId;
  };
  const picked: string[] = [];
  let total = 0;
  while (missing > 0 && total < missing && left.length > 0) {
    let best = 0;
    for (let i = 1; i < left.length; i++)
      if (ahead(left[i] as ShortfallCategory, left[best] as ShortfallCategory)) best = i;
    const [c] = left.splice(best, 1) as [ShortfallCategory];
    picked.push(c.categoryId);
    total += c.spent - c.limit;
  }
  return { picked, total };
}

describe("shortfallCuts properties", () => {
  it("agrees with picking the largest overrun again and again", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 300_000 }), categories, (missing, cs) => {
        const r = shortfallCuts(missing, cs);
        const m = model(missing, cs);
        expect(ids(r)).toEqual(m.picked);
        expect(r.cutsTotal).toBe(m.total);
        for (const c of r.cuts) expect(c.overBy).toBe(c.spent - c.limit);
      }),
      { numRuns: 500 },
    );
  });

  it("frees exactly cutsTotal for the cards, and closes the gap only if every overrun together could", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300_000 }), categories, (missing, cs) => {
        const r = shortfallCuts(missing, cs);
        // An income that covers everything committed, so availableForDebtPayoff is not held at 0.
        const income = cs.reduce((a, c) => a + Math.max(c.limit, c.spent, 0), 0) + 1;
        const cut = new Set(ids(r));
        const after = cs.map((c) => (cut.has(c.categoryId) ? { ...c, spent: c.limit } : c));
        expect(availableForDebtPayoff(income, after) - availableForDebtPayoff(income, cs)).toBe(r.cutsTotal);

        const everything = cs
          .filter((c) => c.group !== "debt" && c.spent > c.limit)
          .reduce((a, c) => a + c.spent - c.limit, 0);
        expect(r.closesGap).toBe(everything >= missing);
        expect(r.closesGap).toBe(r.cutsTotal >= missing);
        // As few as close it: without the last cut the gap would be open.
        const last = r.cuts.at(-1);
        if (r.closesGap && last) expect(r.cutsTotal - last.overBy).toBeLessThan(missing);
        if (!r.closesGap) expect(r.cutsTotal).toBe(everything);
      }),
      { numRuns: 500 },
    );
  });
});
