import type { CategoryGroup } from "@tyche/types";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  availableForDebtPayoff,
  type CategoryInfo,
  categoryStatus,
  summariseBudget,
} from "../src/budget-math";

const cat = (categoryId: string, group: CategoryGroup, name = categoryId): CategoryInfo => ({
  categoryId,
  name,
  type: categoryId,
  group,
  color: "#000000",
  archived: false,
});

const categories = new Map(
  [cat("rent", "essential"), cat("food", "essential"), cat("fun", "discretionary"), cat("cards", "debt")].map(
    (c) => [c.categoryId, c],
  ),
);

describe("summariseBudget", () => {
  it("computes the month's figures from limits and spending", () => {
    const s = summariseBudget(
      {
        totalIncome: 500_000,
        allocations: [
          { categoryId: "rent", limit: 200_000 },
          { categoryId: "food", limit: 60_000 },
          { categoryId: "fun", limit: 20_000 },
          { categoryId: "cards", limit: 50_000 },
        ],
        spentByCategory: { rent: 200_000, food: 70_000, fun: 5_000 },
      },
      categories,
    );
    expect(s.totalBudgeted).toBe(330_000);
    expect(s.totalActualExpenses).toBe(275_000);
    expect(s.unallocated).toBe(170_000);
    // committed outside debt: rent 200000 + food max(60000,70000) + fun 20000 = 290000
    expect(s.availableForDebtPayoff).toBe(210_000);
    const food = s.categories.find((c) => c.categoryId === "food");
    expect(food).toMatchObject({ limit: 60_000, spent: 70_000, remaining: -10_000, status: "over" });
    expect(food?.percentUsed).toBeCloseTo(116.67, 2);
    expect(s.categories.find((c) => c.categoryId === "fun")).toMatchObject({
      percentUsed: 25,
      status: "under",
    });
  });

  it("orders categories by group then name", () => {
    const s = summariseBudget(
      {
        totalIncome: 0,
        allocations: [
          { categoryId: "cards", limit: 1 },
          { categoryId: "fun", limit: 1 },
          { categoryId: "rent", limit: 1 },
          { categoryId: "food", limit: 1 },
        ],
        spentByCategory: {},
      },
      categories,
    );
    expect(s.categories.map((c) => c.categoryId)).toEqual(["food", "rent", "fun", "cards"]);
  });

  it("counts spending in a category the month did not plan against a limit of zero", () => {
    const s = summariseBudget(
      {
        totalIncome: 100_000,
        allocations: [{ categoryId: "rent", limit: 50_000 }],
        spentByCategory: { fun: 3_000 },
      },
      categories,
    );
    expect(s.totalActualExpenses).toBe(3_000);
    expect(s.categories.find((c) => c.categoryId === "fun")).toMatchObject({
      limit: 0,
      remaining: -3_000,
      percentUsed: null,
      status: "over",
    });
    expect(s.availableForDebtPayoff).toBe(47_000);
  });

  it("never reports less than nothing available for debt", () => {
    expect(availableForDebtPayoff(1_000, [{ group: "essential", limit: 5_000, spent: 0 }])).toBe(0);
  });

  it("marks a category near its limit from 80 percent", () => {
    expect(categoryStatus(1_000, 799)).toBe("under");
    expect(categoryStatus(1_000, 800)).toBe("near");
    expect(categoryStatus(1_000, 1_000)).toBe("near");
    expect(categoryStatus(1_000, 1_001)).toBe("over");
    expect(categoryStatus(0, 0)).toBe("under");
  });

  it("rejects fractional cents instead of rounding them", () => {
    expect(() =>
      summariseBudget(
        { totalIncome: 10, allocations: [{ categoryId: "rent", limit: 1.5 }], spentByCategory: {} },
        categories,
      ),
    ).toThrow(RangeError);
  });
});

describe("summariseBudget properties", () => {
  const cents = fc.integer({ min: 0, max: 10_000_000_000 });
  const groups = fc.constantFrom<CategoryGroup>("essential", "discretionary", "savings", "debt");
  const scenario = fc
    .uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 6 }), group: groups, limit: cents }), {
      selector: (c) => c.id,
      maxLength: 30,
    })
    .chain((cats) =>
      fc.record({
        cats: fc.constant(cats),
        income: cents,
        spent: fc.array(fc.tuple(fc.constantFrom(...cats.map((c) => c.id), "unplanned"), cents), {
          maxLength: 40,
        }),
      }),
    );

  it("totals always add up", () => {
    fc.assert(
      fc.property(scenario, ({ cats, income, spent }) => {
        const infos = new Map(cats.map((c) => [c.id, cat(c.id, c.group)]));
        const spentByCategory: Record<string, number> = {};
        for (const [id, amount] of spent) spentByCategory[id] = (spentByCategory[id] ?? 0) + amount;
        const s = summariseBudget(
          {
            totalIncome: income,
            allocations: cats.map((c) => ({ categoryId: c.id, limit: c.limit })),
            spentByCategory,
          },
          infos,
        );
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

        expect(s.totalBudgeted).toBe(sum(cats.map((c) => c.limit)));
        expect(s.totalActualExpenses).toBe(sum(spent.map(([, a]) => a)));
        expect(s.unallocated + s.totalBudgeted).toBe(income);
        expect(sum(s.categories.map((c) => c.remaining))).toBe(s.totalBudgeted - s.totalActualExpenses);
        expect(s.categories.every((c) => Number.isSafeInteger(c.remaining))).toBe(true);

        // From the inputs, not from the summary's own rows, so a row with a wrong group, limit or
        // spending cannot agree with itself: spending in a category that is not in the plan (and
        // not known, so in no group) is committed in full.
        const spentIn = (id: string) => sum(spent.filter(([c]) => c === id).map(([, a]) => a));
        const committed =
          sum(cats.filter((c) => c.group !== "debt").map((c) => Math.max(c.limit, spentIn(c.id)))) +
          spentIn("unplanned");
        expect(s.availableForDebtPayoff).toBe(Math.max(0, income - committed));
        for (const c of cats) {
          expect(s.categories.find((v) => v.categoryId === c.id)).toMatchObject({
            group: c.group,
            limit: c.limit,
            spent: spentIn(c.id),
            remaining: c.limit - spentIn(c.id),
          });
        }
        expect(s.availableForDebtPayoff).toBeGreaterThanOrEqual(0);
        expect(s.availableForDebtPayoff).toBeLessThanOrEqual(income);
      }),
    );
  });

  it("debt limits never change what is available for debt, and more spending never raises it", () => {
    fc.assert(
      fc.property(scenario, cents, ({ cats, income }, extra) => {
        const infos = new Map(cats.map((c) => [c.id, cat(c.id, c.group)]));
        const allocations = cats.map((c) => ({ categoryId: c.id, limit: c.limit }));
        const base = summariseBudget({ totalIncome: income, allocations, spentByCategory: {} }, infos);
        const debtRaised = summariseBudget(
          {
            totalIncome: income,
            allocations: cats.map((c) => ({
              categoryId: c.id,
              limit: c.group === "debt" ? c.limit + extra : c.limit,
            })),
            spentByCategory: {},
          },
          infos,
        );
        expect(debtRaised.availableForDebtPayoff).toBe(base.availableForDebtPayoff);
        const first = cats[0];
        if (first) {
          const spentMore = summariseBudget(
            { totalIncome: income, allocations, spentByCategory: { [first.id]: extra } },
            infos,
          );
          expect(spentMore.availableForDebtPayoff).toBeLessThanOrEqual(base.availableForDebtPayoff);
        }
      }),
    );
  });
});
