import { describe, expect, it } from "vitest";
import type { AnalyticsTransaction, PriorCharge } from "../src/analytics";
import {
  analyse,
  CHECKING,
  expense,
  refund,
  split,
  TRACKED_CARD,
  transfer,
} from "./support/analytics-fixtures";

// Top merchants and recurring charges (docs/ANALYTICS.md, "Figures").

const at = (merchantKey: string, merchant = merchantKey) => ({ merchantKey, merchant });

describe("top merchants", () => {
  it("groups spellings by merchant key, nets refunds and leaves out merchants that net to nothing", () => {
    const f = analyse({
      transactions: [
        expense("dining", 3_000, at("amazon", "AMAZON.COM")),
        expense("groceries", 2_000, at("amazon", "Amazon Mktp")),
        refund("groceries", 1_000, at("amazon", "AMAZON.COM")),
        expense("dining", 5_000, at("shoe", "Shoe Shop")),
        refund("dining", 5_000, at("shoe", "Shoe Shop")),
        refund("groceries", 800, at("returns", "Returns desk")),
        expense("groceries", 11_800),
        expense("rent", 10_000, at("landlord", "Landlord")),
      ],
    });
    // 3000 + 2000 - 1000 + 5000 - 5000 - 800 + 11800 + 10000 = 25000
    expect(f.totals.expenses).toBe(25_000);
    expect(f.topMerchants).toEqual([
      { merchant: "Landlord", merchantKey: "landlord", spent: 10_000, transactionCount: 1, share: 40 },
      // 4000 / 25000 = 16 %; shown as the spelling first met
      { merchant: "AMAZON.COM", merchantKey: "amazon", spent: 4_000, transactionCount: 3, share: 16 },
    ]);
  });

  it("keeps the ten that spent most, largest first", () => {
    const transactions = Array.from({ length: 12 }, (_, i) =>
      expense("dining", (12 - i) * 100, at(`m${String(i + 1).padStart(2, "0")}`)),
    );
    const f = analyse({ transactions });
    // 100 + 200 + … + 1200 = 7800; 1200 / 7800 = 15.38 %, 300 / 7800 = 3.85 %
    expect(f.totals.expenses).toBe(7_800);
    expect(f.topMerchants.map((m) => [m.merchantKey, m.spent])).toEqual([
      ["m01", 1_200],
      ["m02", 1_100],
      ["m03", 1_000],
      ["m04", 900],
      ["m05", 800],
      ["m06", 700],
      ["m07", 600],
      ["m08", 500],
      ["m09", 400],
      ["m10", 300],
    ]);
    expect(f.topMerchants[0]?.share).toBe(15.38);
    expect(f.topMerchants[9]?.share).toBe(3.85);
  });

  it("orders equal spending by merchant name, then by key", () => {
    const f = analyse({
      transactions: [
        expense("dining", 500, at("a-beta", "Beta")),
        expense("dining", 500, at("z-alpha-2", "Alpha")),
        expense("dining", 500, at("z-alpha-1", "Alpha")),
        expense("dining", 600, at("zed", "Zed")),
      ],
    });
    expect(f.topMerchants.map((m) => m.merchantKey)).toEqual(["zed", "z-alpha-1", "z-alpha-2", "a-beta"]);
  });

  it("has no share when the month's refunds exceed its spending", () => {
    const f = analyse({ transactions: [expense("dining", 1_000, at("x")), refund("groceries", 5_000)] });
    expect(f.totals.expenses).toBe(-4_000);
    expect(f.topMerchants).toEqual([
      { merchant: "x", merchantKey: "x", spent: 1_000, transactionCount: 1, share: null },
    ]);
  });

  it("counts a split charge once at its whole amount, and a transfer out of the budget as spending", () => {
    const f = analyse({
      transactions: [
        split(
          [
            ["groceries", 3_000],
            ["dining", 1_000],
          ],
          at("market"),
        ),
        ...transfer(CHECKING, TRACKED_CARD, 2_000, at("bank")),
      ],
    });
    expect(f.topMerchants).toEqual([
      { merchant: "market", merchantKey: "market", spent: 4_000, transactionCount: 1, share: 66.67 },
      { merchant: "bank", merchantKey: "bank", spent: 2_000, transactionCount: 1, share: 33.33 },
    ]);
  });
});

const prior = (merchantKey: string, ...byMonth: [string, number][]): PriorCharge[] =>
  byMonth.map(([month, amount]) => ({ month, merchantKey, amount }));

const recurring = (transactions: AnalyticsTransaction[], priorCharges: PriorCharge[], currency = "USD") =>
  analyse({ transactions, priorCharges, currency }).recurringCharges;

describe("recurring charges", () => {
  it("finds a charge like one of at least two of the three months before", () => {
    const bill = expense("entertainment", 1_549, { ...at("netflix", "Netflix"), date: "2025-06-05" });
    const found = recurring([bill], prior("netflix", ["2025-05", 1_549], ["2025-04", 1_549]));
    expect(found).toEqual([
      {
        merchant: "Netflix",
        merchantKey: "netflix",
        transactionId: bill.transactionId,
        date: "2025-06-05",
        amount: 1_549,
        categoryId: "entertainment",
        monthsSeen: 3,
      },
    ]);
  });

  it("lists at most the 50 largest, by date", () => {
    const bills = Array.from({ length: 60 }, (_, i) =>
      expense("entertainment", 1_000 + i, {
        ...at(`service-${i}`),
        date: `2025-06-${String(1 + (i % 28)).padStart(2, "0")}`,
      }),
    );
    const history = bills.flatMap((b, i) =>
      prior(`service-${i}`, ["2025-05", b.amount], ["2025-04", b.amount]),
    );
    const found = recurring(bills, history);
    expect(found).toHaveLength(50);
    // The ten smallest (1,000 to 1,009 cents) are the ones left out.
    expect(Math.min(...found.map((f) => f.amount))).toBe(1_010);
    expect(found.map((f) => f.date)).toEqual([...found.map((f) => f.date)].sort());
  });

  it("allows 10 % of the earlier amount, no more", () => {
    const priors = (key: string) => prior(key, ["2025-05", 10_000], ["2025-04", 10_000]);
    const found = recurring(
      [
        expense("rent", 11_000, at("gym-a")),
        expense("rent", 11_001, at("gym-b")),
        expense("rent", 9_000, at("gym-c")),
        expense("rent", 8_999, at("gym-d")),
      ],
      [...priors("gym-a"), ...priors("gym-b"), ...priors("gym-c"), ...priors("gym-d")],
    );
    expect(found.map((c) => c.merchantKey).sort()).toEqual(["gym-a", "gym-c"]);
  });

  it("allows one major unit for small amounts, where 10 % is less", () => {
    const priors = (key: string) => prior(key, ["2025-05", 500], ["2025-03", 500]);
    const found = recurring(
      [
        expense("coffee", 600, at("app-a")),
        expense("coffee", 601, at("app-b")),
        expense("coffee", 400, at("app-c")),
      ],
      [...priors("app-a"), ...priors("app-b"), ...priors("app-c")],
    );
    expect(found.map((c) => c.merchantKey).sort()).toEqual(["app-a", "app-c"]);
  });

  it("allows one yen in a currency without minor units", () => {
    // 10 % of ¥5 rounds to ¥1: within one major unit either way, but not ¥2 away.
    const priors = (key: string) => prior(key, ["2025-05", 5], ["2025-04", 5]);
    const found = recurring(
      [expense("coffee", 6, at("yen-a")), expense("coffee", 7, at("yen-b"))],
      [...priors("yen-a"), ...priors("yen-b")],
      "JPY",
    );
    expect(found.map((c) => c.merchantKey)).toEqual(["yen-a"]);
  });

  it("needs like charges in two different months before, and counts them in monthsSeen", () => {
    const found = recurring(
      [
        expense("rent", 2_000, at("once")),
        expense("rent", 2_000, at("twice-in-may")),
        expense("rent", 2_000, at("every-month")),
        expense("rent", 3_000, at("mixed")),
      ],
      [
        ...prior("once", ["2025-05", 2_000]),
        ...prior("twice-in-may", ["2025-05", 2_000], ["2025-05", 2_000]),
        ...prior("every-month", ["2025-03", 2_000], ["2025-05", 2_000], ["2025-04", 2_000]),
        ...prior("mixed", ["2025-05", 3_000], ["2025-04", 9_000], ["2025-03", 3_000]),
      ],
    );
    expect(Object.fromEntries(found.map((c) => [c.merchantKey, c.monthsSeen]))).toEqual({
      "every-month": 4,
      mixed: 3,
    });
  });

  it("leaves out a merchant charged three times or more in the month: a habit, not a bill", () => {
    const priors = (key: string) => prior(key, ["2025-05", 450], ["2025-04", 450], ["2025-03", 450]);
    const found = recurring(
      [
        expense("coffee", 450, { ...at("cafe-3"), date: "2025-06-02" }),
        expense("coffee", 450, { ...at("cafe-3"), date: "2025-06-09" }),
        expense("coffee", 450, { ...at("cafe-3"), date: "2025-06-16" }),
        expense("coffee", 450, { ...at("cafe-2"), date: "2025-06-12" }),
        expense("coffee", 450, { ...at("cafe-2"), date: "2025-06-05" }),
      ],
      [...priors("cafe-3"), ...priors("cafe-2")],
    );
    expect(found.map((c) => [c.merchantKey, c.date, c.monthsSeen])).toEqual([["cafe-2", "2025-06-05", 4]]);
  });

  it("keeps the charge that most months match, the earliest on a tie", () => {
    const other = expense("rent", 2_000, { ...at("power"), date: "2025-06-03" });
    const bill = expense("rent", 5_000, { ...at("power"), date: "2025-06-20" });
    const first = expense("rent", 800, { ...at("phone"), date: "2025-06-02" });
    const second = expense("rent", 820, { ...at("phone"), date: "2025-06-25" });
    const found = recurring(
      [other, bill, second, first],
      [
        ...prior("power", ["2025-05", 2_000], ["2025-05", 5_000], ["2025-04", 5_000], ["2025-03", 5_000]),
        ...prior("phone", ["2025-05", 800], ["2025-04", 820]),
      ],
    );
    expect(found.map((c) => [c.transactionId, c.amount, c.monthsSeen])).toEqual([
      [first.transactionId, 800, 3],
      [bill.transactionId, 5_000, 4],
    ]);
  });

  it("orders by date, then merchant; a split charge has no single category", () => {
    const priors = (key: string) => prior(key, ["2025-05", 1_000], ["2025-04", 1_000]);
    const found = recurring(
      [
        expense("rent", 1_000, { ...at("c", "Gamma"), date: "2025-06-09" }),
        split(
          [
            ["groceries", 600],
            ["dining", 400],
          ],
          { ...at("b", "Beta"), date: "2025-06-04" },
        ),
        expense("rent", 1_000, { ...at("a", "Alpha"), date: "2025-06-04" }),
      ],
      [...priors("a"), ...priors("b"), ...priors("c")],
    );
    expect(found.map((c) => [c.merchant, c.date, c.categoryId])).toEqual([
      ["Alpha", "2025-06-04", "rent"],
      ["Beta", "2025-06-04", null],
      ["Gamma", "2025-06-09", "rent"],
    ]);
  });

  it("takes only the budget's expense charges with a merchant", () => {
    const priors = (key: string) => prior(key, ["2025-05", 3_000], ["2025-04", 3_000]);
    const found = recurring(
      [
        refund("rent", 3_000, at("insurer")),
        expense("rent", 3_000, { ...at("tracked"), onBudget: false }),
        expense("rent", 3_000),
        ...transfer(CHECKING, TRACKED_CARD, 3_000, at("card-bank")),
      ],
      [...priors("insurer"), ...priors("tracked"), ...priors("card-bank")],
    );
    expect(found).toEqual([]);
  });
});
