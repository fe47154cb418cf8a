import { describe, expect, it } from "vitest";
import { availableForDebtPayoff, summariseBudget } from "../src/budget-math";

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

describe("budget figures near 2^53 cents", () => {
  it("a month whose spending is near the limit still sums: nothing is left for debt", () => {
    const categories = new Map([
      [
        "fun",
        {
          categoryId: "fun",
          name: "Fun",
          type: "fun",
          group: "discretionary" as const,
          color: "#000000",
          archived: false,
        },
      ],
      [
        "rent",
        {
          categoryId: "rent",
          name: "Rent",
          type: "rent",
          group: "essential" as const,
          color: "#000000",
          archived: false,
        },
      ],
    ]);
    const s = summariseBudget(
      {
        totalIncome: 100_000,
        allocations: [{ categoryId: "rent", limit: 1_000_000_000_000 }],
        spentByCategory: { fun: MAX_SAFE - 10 },
      },
      categories,
    );
    expect(s.totalActualExpenses).toBe(MAX_SAFE - 10);
    expect(s.availableForDebtPayoff).toBe(0);
  });

  it("stops adding up once the income is committed, and still refuses fractions before that", () => {
    expect(
      availableForDebtPayoff(500, [
        { group: "essential", limit: 400, spent: MAX_SAFE },
        { group: "discretionary", limit: 1_000_000_000_000, spent: 0 },
      ]),
    ).toBe(0);
    expect(availableForDebtPayoff(500, [{ group: "essential", limit: 100, spent: 0 }])).toBe(400);
    expect(() => availableForDebtPayoff(500, [{ group: "essential", limit: 1.5, spent: 0 }])).toThrow(
      RangeError,
    );
  });
});
