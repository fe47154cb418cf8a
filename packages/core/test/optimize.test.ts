import { describe, expect, it } from "vitest";
import { FieldRangeError } from "../src/forecast";
import { type OptimizeCategory, type OptimizeInput, optimizeCategories } from "../src/optimize";

// Hand-computed proposals, in cents (USD). "Need" is the largest of spent, the month's bills and
// the three-month average; "hard" floor the larger of spent and bills.

const cat = (
  categoryId: string,
  group: OptimizeCategory["group"],
  limit: number,
  spent: number,
  history: [average: number, months: number] | null,
  bills = 0,
): OptimizeCategory => ({
  categoryId,
  name: categoryId[0]?.toUpperCase() + categoryId.slice(1),
  group,
  limit,
  spent,
  historyAverage: history?.[0] ?? null,
  historyMonths: history?.[1] ?? 0,
  bills,
});

/**
 * Income 3,000.00. Each category, and what the rules allow:
 *   housing      essential  1200.00, spent 1200.00, avg 1200.00, bills 1200.00 -> kept (limit <= spent)
 *   groceries    essential   600.00, spent  200.00, avg  450.00 -> need 450.00: 150.00 unused
 *   dining       discret.    300.00, spent  100.00, avg  250.00 -> need 250.00: 50.00 unused,
 *                                                                  then 150.00 of habit (250 -> 100)
 *   entertainment discret.   100.00, spent   20.00, no history  -> no unused; 80.00 of habit (100 -> 20)
 *   utilities    essential   200.00, spent    0,   avg 150.00 (2 months), bills 180.00 -> need 180.00: 20.00
 *   savings      savings     200.00, spent    0                 -> kept: savings are not spending
 *   health       essential   100.00, spent    0,   avg 20.00, protected -> kept
 *   shopping     discret.     50.00, spent   80.00 (over)      -> kept: spent is above its limit
 *   debt         debt        300.00                            -> kept, not committed
 * Committed this month (outside debt, max(limit, spent)): 1200 + 600 + 300 + 100 + 200 + 200 + 100
 * + 80 (Shopping's spending) = 2,780.00 -> 220.00 available.
 */
const categories: OptimizeCategory[] = [
  cat("housing", "essential", 120_000, 120_000, [120_000, 3], 120_000),
  cat("groceries", "essential", 60_000, 20_000, [45_000, 3]),
  cat("dining", "discretionary", 30_000, 10_000, [25_000, 3]),
  cat("entertainment", "discretionary", 10_000, 2_000, null),
  cat("utilities", "essential", 20_000, 0, [15_000, 2], 18_000),
  cat("savings", "savings", 20_000, 0, null),
  cat("health", "essential", 10_000, 0, [2_000, 3]),
  cat("shopping", "discretionary", 5_000, 8_000, [6_000, 3]),
  cat("debt", "debt", 30_000, 0, null),
];

const input = (extra: Partial<OptimizeInput> = {}): OptimizeInput => ({
  currency: "USD",
  income: 300_000,
  categories,
  protect: new Map([["health", "protected at your request"]]),
  ...extra,
});

const tos = (o: ReturnType<typeof optimizeCategories>) =>
  Object.fromEntries(o.categories.map((c) => [c.categoryId, c.to]));

describe("optimizeCategories", () => {
  it("without a target: every unused limit, then discretionary habit, as far as the rules allow", () => {
    const o = optimizeCategories(input());
    // Unused: groceries 150.00, dining 50.00, utilities 20.00; habit: dining 150.00, entertainment 80.00.
    expect(tos(o)).toEqual({
      housing: 120_000,
      groceries: 45_000,
      dining: 10_000,
      entertainment: 2_000,
      utilities: 18_000,
      savings: 20_000,
      health: 10_000,
      shopping: 5_000,
      debt: 30_000,
    });
    // 15000 + 5000 + 2000 + 15000 + 8000 = 45000.
    expect(o.freed).toBe(45_000);
    expect(o.categories.reduce((a, c) => a + c.change, 0)).toBe(-45_000);
    expect(o).toMatchObject({ target: null, targetMet: null, shortBy: 0 });
    // 278000 committed -> 22000; the cuts take it to 233000 -> 67000. Later months commit Shopping's
    // limit (50.00), not its 80.00: 275000 -> 25000, and 230000 -> 70000.
    expect(o.availableThisMonth).toEqual({ before: 22_000, after: 67_000, difference: 45_000 });
    expect(o.availableLaterMonths).toEqual({ before: 25_000, after: 70_000, difference: 45_000 });
    const dining = o.categories.find((c) => c.categoryId === "dining");
    expect(dining).toMatchObject({
      from: 30_000,
      to: 10_000,
      change: -20_000,
      floor: 10_000,
      cuts: ["unused", "habit"],
    });
    expect(dining?.reason).toBe(
      "Cut by $200.00, from $300.00 to $100.00: Dining is discretionary, so it is cut below its usual $250.00 a month, " +
        "which means spending less than usual. For reference, it spent $250.00 a month on average over the last " +
        "3 months with spending; it has spent $100.00 so far, and no limit goes below that.",
    );
    expect(o.categories.find((c) => c.categoryId === "groceries")?.reason).toBe(
      "Cut by $150.00, from $600.00 to $450.00, more than it needs: it spent $450.00 a month on average over " +
        "the last 3 months with spending, and it has spent $200.00 so far.",
    );
    expect(o.categories.find((c) => c.categoryId === "utilities")?.reason).toBe(
      "Cut by $20.00, from $200.00 to $180.00, more than it needs: it spent $150.00 a month on average over " +
        "the last 2 months with spending, and it has spent $0.00 so far and has $180.00 of bills this month.",
    );
    expect(o.categories.find((c) => c.categoryId === "health")?.reason).toBe(
      "Kept at $100.00: protected at your request.",
    );
    expect(o.categories.find((c) => c.categoryId === "savings")?.reason).toBe(
      "Kept at $200.00: Savings is money set aside, not spending, so what it spent says nothing about what it " +
        "needs; lower it yourself to put it towards the objective instead.",
    );
    expect(o.categories.find((c) => c.categoryId === "shopping")?.reason).toBe(
      "Kept at $50.00: it has spent $80.00 so far, which is already its whole limit or more.",
    );
    expect(o.categories.find((c) => c.categoryId === "debt")?.reason).toMatch(/^Kept: a debt-group category/);
  });

  it("a target within the unused limits: the largest first, the last one partly", () => {
    // Groceries 15000 (6000 left), dining 5000 (1000 left), utilities 1000 of its 2000.
    const o = optimizeCategories(input({ target: 21_000 }));
    expect(tos(o)).toMatchObject({
      groceries: 45_000,
      dining: 25_000,
      utilities: 19_000,
      entertainment: 10_000,
    });
    expect(o).toMatchObject({ freed: 21_000, target: 21_000, targetMet: true, shortBy: 0 });
    expect(o.categories.find((c) => c.categoryId === "utilities")?.reason).toMatch(
      /^Cut by \$10\.00, from \$200\.00 to \$190\.00, more than it needs: .*; that is enough to reach the target\.$/,
    );
    expect(o.categories.find((c) => c.categoryId === "entertainment")?.reason).toBe(
      "Kept at $100.00: the target was reached without it.",
    );
  });

  it("a target past the unused limits cuts discretionary habit next, the largest first", () => {
    // Unused 22000; 8000 more from habit: dining (15000 of room) gives it: 25000 -> 17000.
    const o = optimizeCategories(input({ target: 30_000 }));
    expect(tos(o)).toMatchObject({
      groceries: 45_000,
      dining: 17_000,
      utilities: 18_000,
      entertainment: 10_000,
    });
    expect(o.freed).toBe(30_000);
  });

  it("a target beyond what the rules allow frees all it can and says how short it is", () => {
    const o = optimizeCategories(input({ target: 100_000 }));
    expect(o).toMatchObject({ freed: 45_000, targetMet: false, shortBy: 55_000 });
  });

  it("an essential at its need is kept, and says so", () => {
    const o = optimizeCategories(
      input({ categories: [cat("groceries", "essential", 40_000, 10_000, [45_000, 3])] }),
    );
    expect(o.categories[0]).toMatchObject({ to: 40_000, change: 0 });
    expect(o.categories[0]?.reason).toBe(
      "Kept at $400.00: Groceries is an essential, lowered only to its recent need; it spent $450.00 a month on " +
        "average over the last 3 months with spending, and it has spent $100.00 so far.",
    );
  });

  it("savings are kept even with a history that shows no spending; discretionary without history says so", () => {
    const o = optimizeCategories(
      input({
        categories: [
          cat("savings", "savings", 20_000, 0, [0, 3]),
          cat("fun", "discretionary", 10_000, 2_000, null),
        ],
      }),
    );
    expect(tos(o)).toEqual({ savings: 20_000, fun: 2_000 });
    expect(o.categories[1]?.reason).toBe(
      "Cut by $80.00, from $100.00 to $20.00: Fun is discretionary and has no spending history yet, so it is cut " +
        "towards what it has spent; it has spent $20.00 so far, and no limit goes below that.",
    );
  });

  it("a category with nothing planned or spent says so", () => {
    const o = optimizeCategories(input({ categories: [cat("transport", "essential", 0, 0, null)] }));
    expect(o.categories[0]?.reason).toBe("Kept at $0.00: nothing is planned or spent in it.");
  });

  it("refunds beyond spending leave a floor of 0, never below", () => {
    const o = optimizeCategories(
      input({ categories: [cat("dining", "discretionary", 5_000, -3_000, null)] }),
    );
    expect(o.categories[0]).toMatchObject({ to: 0, change: -5_000, floor: 0 });
  });

  it("refuses figures that are not whole cents, naming them", () => {
    expect(() => optimizeCategories(input({ target: -1 }))).toThrow(FieldRangeError);
    expect(() => optimizeCategories(input({ target: 0.5 }))).toThrow(/^target /);
    expect(() =>
      optimizeCategories(
        input({ categories: [cat("a", "essential", 1, 0, null), cat("a", "essential", 1, 0, null)] }),
      ),
    ).toThrow(/lists a twice/);
  });
});
