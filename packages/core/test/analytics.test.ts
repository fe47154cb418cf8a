import { describe, expect, it } from "vitest";
import {
  analyse,
  BROKERAGE,
  CARD,
  CHECKING,
  categoryOf,
  expense,
  income,
  OTHER_CARD,
  refund,
  SAVINGS,
  split,
  TRACKED_CARD,
  transfer,
} from "./support/analytics-fixtures";

// Figures of docs/ANALYTICS.md ("Figures"): per category, comparisons and totals. The expected
// numbers are worked out by hand, the arithmetic in a comment where it is not obvious.

describe("per-category figures", () => {
  it("nets refunds and derives remaining, percentUsed, count and status", () => {
    const f = analyse({
      limits: { groceries: 60_000, dining: 20_000 },
      transactions: [
        expense("groceries", 12_000),
        expense("groceries", 8_050),
        refund("groceries", 1_050),
        expense("dining", 5_000),
      ],
    });
    // 12000 + 8050 - 1050 = 19000 of 60000: 31.666… % -> 31.67
    expect(categoryOf(f, "groceries")).toMatchObject({
      name: "Groceries",
      group: "essential",
      color: "#123456",
      budgeted: 60_000,
      spent: 19_000,
      remaining: 41_000,
      percentUsed: 31.67,
      transactionCount: 3,
      status: "under",
    });
    expect(categoryOf(f, "dining")).toMatchObject({
      budgeted: 20_000,
      spent: 5_000,
      remaining: 15_000,
      percentUsed: 25,
      transactionCount: 1,
      status: "under",
    });
  });

  it("counts each split part in its own category, a split once per category it names", () => {
    const f = analyse({
      limits: { groceries: 50_000 },
      transactions: [
        split([
          ["groceries", 7_000],
          ["dining", 3_000],
        ]),
        // Two parts in groceries: one transaction in groceries.
        split([
          ["groceries", 1_500],
          ["coffee", 500],
          ["groceries", 500],
        ]),
        split(
          [
            ["groceries", 1_500],
            ["dining", 500],
          ],
          {},
          "refund",
        ),
      ],
    });
    // groceries 7000 + 1500 + 500 - 1500 = 7500 in 3 transactions; dining 3000 - 500 = 2500 in 2
    expect(categoryOf(f, "groceries")).toMatchObject({ spent: 7_500, transactionCount: 3 });
    expect(categoryOf(f, "dining")).toMatchObject({ spent: 2_500, transactionCount: 2 });
    expect(categoryOf(f, "coffee")).toMatchObject({ spent: 500, transactionCount: 1 });
    // 10000 + 2500 - 2000
    expect(f.totals.expenses).toBe(10_500);
    expect(f.totals.transactionCount).toBe(3);
  });

  it("is near from exactly 80 % of the limit, under just below, over only past the limit", () => {
    const f = analyse({
      limits: { groceries: 10_000, rent: 10_000, dining: 10_000, coffee: 10_000 },
      transactions: [
        expense("groceries", 7_999),
        expense("rent", 8_000),
        expense("dining", 10_000),
        expense("coffee", 10_001),
      ],
    });
    expect(categoryOf(f, "groceries")).toMatchObject({ percentUsed: 79.99, status: "under" });
    expect(categoryOf(f, "rent")).toMatchObject({ percentUsed: 80, status: "near" });
    expect(categoryOf(f, "dining")).toMatchObject({ percentUsed: 100, status: "near", remaining: 0 });
    expect(categoryOf(f, "coffee")).toMatchObject({ percentUsed: 100.01, status: "over", remaining: -1 });
  });

  it("lists planned categories without spending and spending without a plan (limit 0)", () => {
    const f = analyse({
      limits: { rent: 150_000 },
      transactions: [expense("coffee", 1_250), expense(null, 700)],
    });
    expect(categoryOf(f, "rent")).toMatchObject({
      budgeted: 150_000,
      spent: 0,
      remaining: 150_000,
      percentUsed: 0,
      transactionCount: 0,
      status: "under",
    });
    expect(categoryOf(f, "coffee")).toMatchObject({
      budgeted: 0,
      spent: 1_250,
      remaining: -1_250,
      percentUsed: null,
      status: "over",
    });
    expect(categoryOf(f, "uncategorized")).toMatchObject({ name: "Uncategorised", spent: 700, budgeted: 0 });
  });

  it("goes negative when refunds exceed spending", () => {
    const f = analyse({
      limits: { entertainment: 5_000 },
      transactions: [expense("entertainment", 2_000), refund("entertainment", 3_000)],
    });
    // -1000 of 5000: -20 %
    expect(categoryOf(f, "entertainment")).toMatchObject({
      spent: -1_000,
      remaining: 6_000,
      percentUsed: -20,
      transactionCount: 2,
      status: "under",
    });
  });

  it("sorts by group (essential, discretionary, savings, debt), then by name", () => {
    const f = analyse({
      limits: { cards: 1, emergency: 1, entertainment: 1, dining: 1, coffee: 1, rent: 1, groceries: 1 },
    });
    expect(f.categories.map((c) => c.categoryId)).toEqual([
      "groceries",
      "rent",
      "coffee",
      "dining",
      "entertainment",
      "emergency",
      "cards",
    ]);
  });

  it("analyses a month without a plan with limits of 0", () => {
    const f = analyse({ unplanned: true, transactions: [expense("dining", 4_000), income(90_000)] });
    expect(f.hasBudget).toBe(false);
    expect(f.categories).toHaveLength(1);
    expect(categoryOf(f, "dining")).toMatchObject({ budgeted: 0, spent: 4_000, status: "over" });
    expect(f.totals).toMatchObject({ plannedIncome: 0, budgeted: 0, actualIncome: 90_000, expenses: 4_000 });
    expect(f.totals.availableForDebtPayoff).toBe(0);
  });
});

describe("comparisons with the months before", () => {
  it("compares with the month before and averages three months with transactions", () => {
    const f = analyse({
      limits: { groceries: 60_000 },
      transactions: [expense("groceries", 48_000)],
      history: [
        { month: "2025-03", count: 30, spentByCategory: { groceries: 45_500 } },
        { month: "2025-05", count: 30, spentByCategory: { groceries: 50_000 } },
        { month: "2025-04", count: 30, spentByCategory: { groceries: 40_000 } },
        // Four months before: not part of the comparisons.
        { month: "2025-02", count: 30, spentByCategory: { groceries: 900_000 } },
      ],
    });
    const g = categoryOf(f, "groceries");
    // 48000 - 50000 = -2000, -4 %
    expect(g.previousMonth).toEqual({ spent: 50_000, change: -2_000, percent: -4 });
    // (45500 + 50000 + 40000) / 3 = 45166.67 -> 45167; 48000 - 45167 = 2833, 2833 / 45167 = 6.27 %
    expect(g.threeMonthAverage).toEqual({ months: 3, average: 45_167, change: 2_833, percent: 6.27 });
  });

  it("leaves months without any transaction out of the average, and rounds it to the cent", () => {
    const f = analyse({
      transactions: [expense("dining", 9_000)],
      history: [
        { month: "2025-05", count: 4, spentByCategory: { dining: 10_000 } },
        { month: "2025-04", count: 2, spentByCategory: { dining: 5_001 } },
        // Before the user started: no transaction, not a month of zero spending.
        { month: "2025-03", count: 0, spentByCategory: {} },
      ],
    });
    // (10000 + 5001) / 2 = 7500.5 -> 7501; 9000 - 7501 = 1499, 1499 / 7501 = 19.98 %
    expect(categoryOf(f, "dining").threeMonthAverage).toEqual({
      months: 2,
      average: 7_501,
      change: 1_499,
      percent: 19.98,
    });
    expect(categoryOf(f, "dining").previousMonth).toEqual({ spent: 10_000, change: -1_000, percent: -10 });
  });

  it("averages a month with transactions but none in the category as zero spending", () => {
    const f = analyse({
      transactions: [expense("coffee", 3_000)],
      history: [
        { month: "2025-05", count: 12, spentByCategory: { groceries: 40_000 } },
        { month: "2025-04", count: 9, spentByCategory: { coffee: 3_000 } },
        { month: "2025-03", count: 9, spentByCategory: { coffee: 3_000 } },
      ],
    });
    // (0 + 3000 + 3000) / 3 = 2000; the month before spent nothing: no percent of it
    const c = categoryOf(f, "coffee");
    expect(c.threeMonthAverage).toEqual({ months: 3, average: 2_000, change: 1_000, percent: 50 });
    expect(c.previousMonth).toEqual({ spent: 0, change: 3_000, percent: null });
  });

  it("has null averages when none of the three months had a transaction", () => {
    const f = analyse({
      transactions: [expense("coffee", 3_000)],
      history: [{ month: "2025-05", count: 0, spentByCategory: {} }],
    });
    expect(categoryOf(f, "coffee").threeMonthAverage).toEqual({
      months: 0,
      average: null,
      change: null,
      percent: null,
    });
    expect(categoryOf(f, "coffee").previousMonth).toEqual({ spent: 0, change: 3_000, percent: null });
  });

  it("gives no percent against an average of zero", () => {
    const f = analyse({
      transactions: [expense("coffee", 3_000)],
      history: [{ month: "2025-04", count: 3, spentByCategory: { rent: 100_000 } }],
    });
    expect(categoryOf(f, "coffee").threeMonthAverage).toEqual({
      months: 1,
      average: 0,
      change: 3_000,
      percent: null,
    });
  });
});

describe("totals", () => {
  it("adds up income, limits and spending, and the savings rate", () => {
    const f = analyse({
      plannedIncome: 500_000,
      limits: { groceries: 60_000, rent: 200_000, dining: 30_000, emergency: 50_000, cards: 80_000 },
      transactions: [
        income(300_000),
        income(150_000),
        expense("groceries", 70_000),
        expense("rent", 200_000),
        expense("dining", 10_000),
        expense("cards", 90_000),
      ],
    });
    expect(f.totals).toEqual({
      plannedIncome: 500_000,
      actualIncome: 450_000,
      // 60000 + 200000 + 30000 + 50000 + 80000
      budgeted: 420_000,
      // 70000 + 200000 + 10000 + 90000
      expenses: 370_000,
      // (450000 - 370000) / 450000 = 17.777… % -> 17.78
      savingsRate: 17.78,
      paidToDebt: 0,
      // 500000 - (max(60000, 70000) + 200000 + 30000 + 50000), the debt group left out
      availableForDebtPayoff: 150_000,
      transactionCount: 6,
    });
  });

  it("has a negative savings rate when spending passes income, and none without income", () => {
    const over = analyse({ transactions: [income(100_000), expense("dining", 150_000)] });
    expect(over.totals.savingsRate).toBe(-50);
    const none = analyse({ transactions: [expense("dining", 150_000)] });
    expect(none.totals.savingsRate).toBeNull();
  });

  it("never has less than 0 available for debt payoff", () => {
    const f = analyse({
      plannedIncome: 100_000,
      limits: { rent: 90_000, groceries: 20_000 },
      transactions: [expense("rent", 90_000)],
    });
    expect(f.totals.availableForDebtPayoff).toBe(0);
  });

  it("counts a payment into a card as paid to debt, and in nothing else", () => {
    const f = analyse({
      transactions: [
        ...transfer(CHECKING, CARD, 25_000, { categoryId: "cards" }),
        // A balance transfer between cards pays nothing off.
        ...transfer(CARD, OTHER_CARD, 40_000),
      ],
    });
    expect(f.totals).toMatchObject({ actualIncome: 0, expenses: 0, paidToDebt: 25_000 });
    expect(f.categories).toEqual([]);
  });

  it("counts a transfer between budget accounts in no money figure", () => {
    const f = analyse({
      limits: { emergency: 20_000 },
      transactions: [
        ...transfer(CHECKING, SAVINGS, 20_000, { categoryId: "emergency" }),
        ...transfer(SAVINGS, CHECKING, 5_000),
      ],
    });
    expect(f.totals).toMatchObject({ actualIncome: 0, expenses: 0, paidToDebt: 0, savingsRate: null });
    expect(categoryOf(f, "emergency")).toMatchObject({ spent: 0, transactionCount: 0 });
    expect(f.daily.every((d) => d.spent === 0)).toBe(true);
  });

  it("counts a transfer out to an off-budget account as spending, one in from it as income", () => {
    const f = analyse({
      transactions: [
        ...transfer(CHECKING, BROKERAGE, 50_000, { categoryId: "emergency", date: "2025-06-03" }),
        ...transfer(BROKERAGE, CHECKING, 30_000, { date: "2025-06-04" }),
        ...transfer(CHECKING, BROKERAGE, 1_000, { date: "2025-06-04" }),
      ],
    });
    expect(f.totals).toMatchObject({ actualIncome: 30_000, expenses: 51_000, paidToDebt: 0 });
    expect(categoryOf(f, "emergency")).toMatchObject({ spent: 50_000, transactionCount: 1 });
    expect(categoryOf(f, "uncategorized")).toMatchObject({ spent: 1_000, transactionCount: 1 });
    expect(f.daily[2]).toMatchObject({ date: "2025-06-03", spent: 50_000 });
    expect(f.daily[3]).toMatchObject({ date: "2025-06-04", spent: 1_000, cumulative: 51_000 });
  });

  it("counts nothing of an off-budget account's own transactions", () => {
    const f = analyse({
      transactions: [
        expense("dining", 8_000, { onBudget: false, merchantKey: "bistro", merchant: "Bistro" }),
        refund("dining", 1_000, { onBudget: false }),
        income(70_000, { onBudget: false }),
      ],
    });
    expect(f.totals).toMatchObject({ actualIncome: 0, expenses: 0, paidToDebt: 0 });
    expect(f.categories).toEqual([]);
    expect(f.topMerchants).toEqual([]);
  });

  it("still counts a payment from a budget account into an off-budget card as paid to debt", () => {
    // The money leaves the budget (spending) and pays a card off (DESIGN.md: into a card it is a
    // debt payment), whatever the card's budget status.
    const f = analyse({
      transactions: [...transfer(CHECKING, TRACKED_CARD, 12_000, { categoryId: "cards" })],
    });
    expect(f.totals).toMatchObject({ expenses: 12_000, paidToDebt: 12_000 });
  });

  it("counts every transaction recorded in the month, each leg of a transfer in its account", () => {
    const f = analyse({
      transactions: [
        expense("dining", 1_000),
        income(5_000),
        ...transfer(CHECKING, SAVINGS, 2_000),
        expense("dining", 3_000, { onBudget: false }),
      ],
    });
    // 1 + 1 + 2 legs + 1 off-budget: like the month's stored totals (MonthHistory.count)
    expect(f.totals.transactionCount).toBe(5);
    expect(categoryOf(f, "dining").transactionCount).toBe(1);
  });
});
