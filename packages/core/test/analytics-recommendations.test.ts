import { describe, expect, it } from "vitest";
import type { MonthHistory } from "../src/analytics";
import { analyse, categoryOf, expense, refund } from "./support/analytics-fixtures";

// Recommendations (docs/ANALYTICS.md, "Recommendations"). June 2025 has 30 days; unless a test
// says otherwise, today is the 15th.

const AFTER_THE_MONTH = "2025-07-03";
const COVERS = "covers the overspending, instead of it coming out of the money for your cards.";
const BACK_TO_LIMIT = "brings it back to its limit and the money back to your cards.";

/** The same spending in each of the three months before. */
const steady = (spentByCategory: Record<string, number>): MonthHistory[] =>
  ["2025-05", "2025-04", "2025-03"].map((month) => ({ month, count: 10, spentByCategory }));

describe("the worked example of docs/ANALYTICS.md", () => {
  const example = (diningSpent: number) =>
    analyse({
      plannedIncome: 200_000,
      limits: { dining: 20_000, groceries: 60_000, entertainment: 10_000, coffee: 10_000 },
      transactions: [
        expense("dining", diningSpent),
        // projected 25000 × 30 / 15 = 50000: 10000 of room
        expense("groceries", 25_000),
        // projected 4000: 6000 of room
        expense("entertainment", 2_000),
        // projected 18000, past its limit: no room; 9000 against an average of 6000
        expense("coffee", 9_000),
      ],
      history: steady({ coffee: 6_000 }),
    });

  it("covers $60.00 of overspending from Groceries, and cuts Coffee back to its history", () => {
    const f = example(26_000);
    expect(f.recommendations).toEqual([
      {
        categoryId: "dining",
        action: "reallocate",
        amount: 6_000,
        fromCategoryId: "groceries",
        rule: "over-budget",
        reason:
          "Dining out is $60.00 over its $200.00 limit; at its pace Groceries will leave $100.00 of its limit " +
          `unused. Moving $60.00 of that limit to Dining out ${COVERS}`,
      },
      {
        categoryId: "coffee",
        action: "cut",
        amount: 3_000,
        rule: "above-history",
        reason:
          "Coffee has spent $90.00 this month against an average of $60.00 over the 3 months before. " +
          "Back at its average, $30.00 more goes to your cards.",
      },
    ]);
    expect(f.potentialSavings).toBe(9_000);
  });

  it("frees the moved limit for the cards", () => {
    // 200000 - (60000 + max(20000, 26000) + 10000 + 10000) = 94000
    expect(example(26_000).totals.availableForDebtPayoff).toBe(94_000);
    const moved = analyse({
      plannedIncome: 200_000,
      limits: { dining: 26_000, groceries: 54_000, entertainment: 10_000, coffee: 10_000 },
      transactions: [
        expense("dining", 26_000),
        expense("groceries", 25_000),
        expense("entertainment", 2_000),
        expense("coffee", 9_000),
      ],
    });
    // 200000 - (54000 + 26000 + 10000 + 10000): the $60.00 moved
    expect(moved.totals.availableForDebtPayoff).toBe(100_000);
    expect(moved.recommendations.filter((r) => r.rule === "over-budget")).toEqual([]);
  });

  it("$190.00 over: Groceries gives $100.00, Entertainment $60.00, and $30.00 is cut", () => {
    const f = example(39_000);
    const over = "Dining out is $190.00 over its $200.00 limit";
    expect(f.recommendations).toEqual([
      {
        categoryId: "dining",
        action: "reallocate",
        amount: 10_000,
        fromCategoryId: "groceries",
        rule: "over-budget",
        reason: `${over}; at its pace Groceries will leave $100.00 of its limit unused. Moving $100.00 of that limit to Dining out ${COVERS}`,
      },
      {
        categoryId: "dining",
        action: "reallocate",
        amount: 6_000,
        fromCategoryId: "entertainment",
        rule: "over-budget",
        reason: `${over}; at its pace Entertainment will leave $60.00 of its limit unused. Moving $60.00 of that limit to Dining out ${COVERS}`,
      },
      // Equal amounts: by category id, coffee before dining.
      {
        categoryId: "coffee",
        action: "cut",
        amount: 3_000,
        rule: "above-history",
        reason:
          "Coffee has spent $90.00 this month against an average of $60.00 over the 3 months before. " +
          "Back at its average, $30.00 more goes to your cards.",
      },
      {
        categoryId: "dining",
        action: "cut",
        amount: 3_000,
        rule: "over-budget",
        reason: `${over}, and no other category has room to cover $30.00. Spending that much less on Dining out ${BACK_TO_LIMIT}`,
      },
    ]);
    // 10000 + 6000 + 3000 + 3000
    expect(f.potentialSavings).toBe(22_000);
  });
});

describe("over-budget", () => {
  // Rent (essential) is listed before Coffee (discretionary); on equal room the name decides.
  const donors = (groceriesSpent: number) =>
    analyse({
      today: AFTER_THE_MONTH,
      limits: { dining: 10_000, rent: 10_000, coffee: 8_000, groceries: 50_000 },
      transactions: [
        expense("dining", 22_000),
        expense("rent", 5_000),
        expense("coffee", 3_000),
        expense("groceries", groceriesSpent),
      ],
    }).recommendations.map((r) => [r.fromCategoryId, r.amount]);

  it("takes from the donor with most room first, by name on equal room", () => {
    // 12000 over; room: Coffee 5000, Rent 5000, Groceries 4000
    expect(donors(46_000)).toEqual([
      ["coffee", 5_000],
      ["rent", 5_000],
      ["groceries", 2_000],
    ]);
    // Groceries with 6000 of room comes first
    expect(donors(44_000)).toEqual([
      ["groceries", 6_000],
      ["coffee", 5_000],
      ["rent", 1_000],
    ]);
  });

  it("covers the most overspent category first, each donor's room shrinking by what it gave", () => {
    const f = analyse({
      today: AFTER_THE_MONTH,
      limits: { dining: 10_000, groceries: 50_000, entertainment: 15_000, coffee: 5_000 },
      transactions: [
        expense("dining", 18_000),
        expense("groceries", 54_000),
        expense("entertainment", 5_000),
        expense("coffee", 2_000),
      ],
    });
    // Dining 8000 over, from Entertainment (10000 of room, 2000 left); Groceries 4000 over, from
    // Coffee (3000) before Entertainment (2000), then 1000 from Entertainment.
    expect(f.recommendations.map((r) => [r.categoryId, r.fromCategoryId, r.amount])).toEqual([
      ["dining", "entertainment", 8_000],
      ["groceries", "coffee", 3_000],
      ["groceries", "entertainment", 1_000],
    ]);
    expect(f.recommendations[2]?.reason).toBe(
      "Groceries is $40.00 over its $500.00 limit; at its pace Entertainment will leave $20.00 of its limit " +
        `unused. Moving $10.00 of that limit to Groceries ${COVERS}`,
    );
    expect(f.potentialSavings).toBe(12_000);
  });

  it("never takes from a category that is over its limit", () => {
    const f = analyse({
      today: AFTER_THE_MONTH,
      limits: { dining: 10_000, coffee: 10_000, entertainment: 10_000 },
      transactions: [
        expense("dining", 15_000),
        expense("coffee", 12_000),
        // 50 cents over: not flagged, and no room either
        expense("entertainment", 10_050),
      ],
    });
    expect(f.recommendations.map((r) => [r.categoryId, r.action, r.amount, r.fromCategoryId])).toEqual([
      ["dining", "cut", 5_000, undefined],
      ["coffee", "cut", 2_000, undefined],
    ]);
  });

  it("never takes from the savings or debt groups", () => {
    const f = analyse({
      today: AFTER_THE_MONTH,
      limits: { dining: 10_000, emergency: 50_000, cards: 80_000 },
      transactions: [expense("dining", 15_000)],
    });
    expect(f.recommendations.map((r) => [r.categoryId, r.action, r.amount])).toEqual([
      ["dining", "cut", 5_000],
    ]);
  });

  it("does not cut an essential or a savings category for what no room covers", () => {
    const essential = analyse({
      today: AFTER_THE_MONTH,
      limits: { groceries: 50_000 },
      transactions: [expense("groceries", 55_000)],
    });
    expect(essential.recommendations).toEqual([]);
    expect(essential.potentialSavings).toBe(0);

    const savings = analyse({
      today: AFTER_THE_MONTH,
      limits: { emergency: 10_000, entertainment: 5_000 },
      transactions: [expense("emergency", 15_000), expense("entertainment", 3_000)],
    });
    expect(savings.recommendations.map((r) => [r.categoryId, r.action, r.amount, r.fromCategoryId])).toEqual([
      ["emergency", "reallocate", 2_000, "entertainment"],
    ]);
  });

  it("never flags the debt group", () => {
    const f = analyse({
      today: AFTER_THE_MONTH,
      limits: { cards: 10_000, entertainment: 50_000 },
      transactions: [expense("cards", 20_000)],
    });
    expect(f.recommendations).toEqual([]);
  });

  it("needs at least one major unit of overspending", () => {
    const over = (spent: number, currency = "USD") =>
      analyse({
        today: AFTER_THE_MONTH,
        currency,
        limits: { dining: 10_000 },
        transactions: [expense("dining", spent)],
      }).recommendations;
    expect(over(10_099)).toEqual([]);
    expect(over(10_100)).toEqual([
      {
        categoryId: "dining",
        action: "cut",
        amount: 100,
        rule: "over-budget",
        reason:
          "Dining out is $1.00 over its $100.00 limit, and no other category has room to cover $1.00. " +
          `Spending that much less on Dining out ${BACK_TO_LIMIT}`,
      },
    ]);
    // A yen is the major unit: a limit of ¥10,000 overspent by ¥1.
    const yen = over(10_001, "JPY");
    expect(yen.map((r) => r.amount)).toEqual([1]);
    expect(yen[0]?.reason).toMatch(/^Dining out is ¥1 over its ¥10,000 limit, /);
  });

  it("is not for a month without a plan, whose limits of 0 are no limits", () => {
    const f = analyse({
      unplanned: true,
      transactions: [expense("dining", 4_000), expense("coffee", 500)],
      history: steady({ dining: 1_000 }),
    });
    expect(categoryOf(f, "dining")).toMatchObject({ budgeted: 0, status: "over" });
    // Only its history speaks: 4000 against an average of 1000
    expect(f.recommendations.map((r) => [r.categoryId, r.rule, r.amount])).toEqual([
      ["dining", "above-history", 3_000],
    ]);
    expect(f.potentialSavings).toBe(3_000);
  });

  it("still covers a category the plan left out (a limit of 0)", () => {
    const f = analyse({
      today: AFTER_THE_MONTH,
      limits: { entertainment: 5_000 },
      transactions: [expense("coffee", 1_250), expense("entertainment", 4_000)],
    });
    expect(f.recommendations).toEqual([
      {
        categoryId: "coffee",
        action: "reallocate",
        amount: 1_000,
        fromCategoryId: "entertainment",
        rule: "over-budget",
        reason:
          "Coffee is $12.50 over its $0.00 limit; at its pace Entertainment will leave $10.00 of its limit " +
          `unused. Moving $10.00 of that limit to Coffee ${COVERS}`,
      },
      {
        categoryId: "coffee",
        action: "cut",
        amount: 250,
        rule: "over-budget",
        reason:
          "Coffee is $12.50 over its $0.00 limit, and no other category has room to cover $2.50. " +
          `Spending that much less on Coffee ${BACK_TO_LIMIT}`,
      },
    ]);
  });

  it("cannot take more than a donor's limit when its refunds exceed its spending", () => {
    const f = analyse({
      today: AFTER_THE_MONTH,
      limits: { dining: 10_000, entertainment: 5_000 },
      transactions: [
        expense("dining", 18_000),
        expense("entertainment", 1_000),
        refund("entertainment", 3_000),
      ],
    });
    // Entertainment spent -2000: its whole 5000 limit is unused, and no more can be moved.
    expect(f.recommendations.map((r) => [r.action, r.amount, r.fromCategoryId])).toEqual([
      ["reallocate", 5_000, "entertainment"],
      ["cut", 3_000, undefined],
    ]);
    expect(f.recommendations[0]?.reason).toContain("Entertainment will leave $50.00 of its limit unused");
  });
});

describe("the projection of a donor's spending", () => {
  const roomOfGroceries = (today: string) => {
    const f = analyse({
      today,
      limits: { dining: 10_000, groceries: 60_000 },
      transactions: [expense("dining", 15_000), expense("groceries", 15_000)],
    });
    expect(f.recommendations).toHaveLength(1);
    expect(f.recommendations[0]).toMatchObject({ amount: 5_000, fromCategoryId: "groceries" });
    return /Groceries will leave (\S+) of its limit unused/.exec(f.recommendations[0]?.reason ?? "")?.[1];
  };

  it("runs the spending so far to the month's end while it is under way", () => {
    // day 10: 15000 × 30 / 10 = 45000 projected, 15000 left; day 20: 22500, 37500 left
    expect(roomOfGroceries("2025-06-10")).toBe("$150.00");
    expect(roomOfGroceries("2025-06-20")).toBe("$375.00");
  });

  it("is the spending so far before the month starts and once it is over", () => {
    expect(roomOfGroceries("2025-05-20")).toBe("$450.00");
    expect(roomOfGroceries("2025-06-30")).toBe("$450.00");
    expect(roomOfGroceries("2025-07-20")).toBe("$450.00");
  });

  it("rounds the projection up to the cent", () => {
    const f = analyse({
      today: "2025-06-07",
      limits: { dining: 10_000, entertainment: 5_000 },
      // Dining: projected way past its limit. Entertainment: 1000 × 30 / 7 = 4285.71 -> 4286, room 714
      transactions: [expense("dining", 11_000), expense("entertainment", 1_000)],
    });
    expect(f.recommendations.map((r) => [r.action, r.amount])).toEqual([
      ["reallocate", 714],
      ["cut", 286],
    ]);
    expect(f.recommendations[0]?.reason).toContain("Entertainment will leave $7.14 of its limit unused");
  });
});

describe("above-history", () => {
  const cutOf = (average: number, spent: number) =>
    analyse({
      limits: { entertainment: 200_000 },
      transactions: [expense("entertainment", spent)],
      history: steady({ entertainment: average }),
    }).recommendations;

  it.each([
    // average, spent, cut: more than 20 % above, and at least 10 major units
    [10_000, 12_000, null], // exactly 20 %
    [10_000, 12_001, 2_001], // 20.01 %
    [3_000, 3_999, null], // 33 %, but $9.99
    [3_000, 4_000, 1_000], // $10.00
    [100_000, 100_900, null], // $9.00, under 1 %
  ])("with an average of %i and %i spent cuts %s", (average, spent, cut) => {
    const found = cutOf(average, spent);
    expect(found.map((r) => r.amount)).toEqual(cut === null ? [] : [cut]);
    for (const r of found)
      expect(r).toMatchObject({ categoryId: "entertainment", action: "cut", rule: "above-history" });
  });

  it("names the months it averaged and the amounts", () => {
    const one = analyse({
      limits: { coffee: 10_000 },
      transactions: [expense("coffee", 4_550)],
      history: [{ month: "2025-05", count: 3, spentByCategory: { coffee: 2_500 } }],
    });
    expect(one.recommendations[0]?.reason).toBe(
      "Coffee has spent $45.50 this month against an average of $25.00 over the month before. " +
        "Back at its average, $20.50 more goes to your cards.",
    );
    const two = analyse({
      limits: { coffee: 10_000 },
      transactions: [expense("coffee", 4_550)],
      history: [
        { month: "2025-05", count: 3, spentByCategory: { coffee: 2_500 } },
        { month: "2025-03", count: 3, spentByCategory: { coffee: 1_500 } },
      ],
    });
    expect(two.recommendations[0]).toMatchObject({ amount: 2_550 });
    expect(two.recommendations[0]?.reason).toContain("an average of $20.00 over the 2 months before");
  });

  it("is only for discretionary categories", () => {
    const f = analyse({
      limits: { groceries: 100_000, emergency: 100_000, cards: 100_000 },
      transactions: [expense("groceries", 50_000), expense("emergency", 50_000), expense("cards", 50_000)],
      history: steady({ groceries: 10_000, emergency: 10_000, cards: 10_000 }),
    });
    expect(f.recommendations).toEqual([]);
  });

  it("leaves a category flagged over its budget to that rule, not one overspent by less than a unit", () => {
    const f = analyse({
      today: AFTER_THE_MONTH,
      limits: { dining: 10_000, coffee: 10_000 },
      transactions: [expense("dining", 20_000), expense("coffee", 10_050)],
      history: steady({ dining: 5_000, coffee: 5_000 }),
    });
    expect(f.recommendations.map((r) => [r.categoryId, r.rule, r.amount])).toEqual([
      ["dining", "over-budget", 10_000],
      ["coffee", "above-history", 5_050],
    ]);
    expect(f.potentialSavings).toBe(15_050);
  });

  it("says nothing without history", () => {
    expect(cutOf(0, 50_000)).toEqual([]);
    const none = analyse({
      transactions: [expense("entertainment", 50_000)],
      limits: { entertainment: 90_000 },
    });
    expect(none.recommendations).toEqual([]);
    expect(none.potentialSavings).toBe(0);
  });
});
