import { describe, expect, it } from "vitest";
import {
  comparePayoff,
  minimumPayment,
  monthlyInterest,
  mulDivHalfUp,
  type PayoffCard,
  type PayoffInput,
  planPayoff,
} from "../src/payoff";

// Hand-computed plans, to the cent. Interest is balance × APR / 12, i.e. balance × bp / 120000,
// rounded half-up; 1200 bp is 1 % a month, 2400 bp 2 %, 1800 bp 1.5 %.

const fixed = (cardId: string, balance: number, aprBasisPoints: number, amount: number): PayoffCard => ({
  cardId,
  name: cardId,
  balance,
  aprBasisPoints,
  minimum: { kind: "fixed", amount },
});

const base = (cards: PayoffCard[], monthlyAmount: number, extra: Partial<PayoffInput> = {}): PayoffInput => ({
  cards,
  startMonth: "2025-01",
  monthlyAmount,
  strategy: "avalanche",
  ...extra,
});

/** [interest, payment, balance] of one card, month by month. */
const rowsOf = (input: PayoffInput, cardId: string) =>
  planPayoff(input).schedule.map((m) => {
    const r = m.cards.find((c) => c.cardId === cardId);
    return r ? [r.interest, r.payment, r.balance] : null;
  });

describe("interest and minimums", () => {
  it("rounds half-up, exactly, even where the product passes 2^53", () => {
    expect(monthlyInterest(50, 1200)).toBe(1); // 0.50 -> 1
    expect(monthlyInterest(49, 1200)).toBe(0); // 0.49 -> 0
    expect(monthlyInterest(41_710, 1200)).toBe(417); // 417.10
    // 1e12 × 100000 = 1e17 > 2^53: 1e17 / 120000 = 833,333,333,333.33 -> 833,333,333,333
    expect(monthlyInterest(1e12, 100_000)).toBe(833_333_333_333);
    // 999,999,999,999 × 100000 / 120000 = 833,333,333,332.5 -> half-up 833,333,333,333
    expect(monthlyInterest(999_999_999_999, 100_000)).toBe(833_333_333_333);
    expect(mulDivHalfUp(3, 1, 2)).toBe(2); // 1.5 -> 2
  });

  it("percent minimum: max(floor, share [+ interest]), share rounded half-up, capped at the balance", () => {
    const card = (plusInterest: boolean, floor: number): PayoffCard => ({
      ...fixed("c", 0, 1800, 0),
      minimum: { kind: "percent", percentBasisPoints: 100, plusInterest, floor },
    });
    // 1 % of 30,450 = 304.50 -> 305; plus the month's 450 of interest = 755
    expect(minimumPayment(card(true, 0), 30_450, 450)).toBe(755);
    expect(minimumPayment(card(false, 0), 30_450, 450)).toBe(305);
    expect(minimumPayment(card(true, 2500), 30_450, 450)).toBe(2500); // the floor wins
    expect(minimumPayment(card(true, 2500), 1000, 0)).toBe(1000); // never more than is owed
  });
});

describe("planPayoff", () => {
  it("one card", () => {
    // 1,000.00 at 12 % (1 % a month), 300.00 a month:
    // Jan: 100000 + 1000 = 101000 - 30000 = 71000
    // Feb:  71000 +  710 =  71710 - 30000 = 41710
    // Mar:  41710 +  417 (417.10) = 42127 - 30000 = 12127
    // Apr:  12127 +  121 (121.27) = 12248 - 12248 = 0
    const input = base([fixed("a", 100_000, 1200, 2500)], 30_000);
    const plan = planPayoff(input);
    expect(rowsOf(input, "a")).toEqual([
      [1000, 30_000, 71_000],
      [710, 30_000, 41_710],
      [417, 30_000, 12_127],
      [121, 12_248, 0],
    ]);
    expect(plan).toMatchObject({
      feasible: true,
      end: "debt-free",
      monthsToDebtFree: 4,
      debtFreeMonth: "2025-04",
      totalInterest: 2248, // 1000 + 710 + 417 + 121
      totalPaid: 102_248,
      remainingBalance: 0,
      cards: [{ cardId: "a", payoffMonth: "2025-04", interest: 2248, paid: 102_248, neverPaidOff: false }],
    });
    expect(plan.shortfall).toBeUndefined();
  });

  // A: 100.00 at 12 % (1 %), B: 500.00 at 24 % (2 %), both 10.00 minimums, 200.00 a month.
  const two = (strategy: PayoffInput["strategy"]) =>
    base([fixed("a", 10_000, 1200, 1000), fixed("b", 50_000, 2400, 1000)], 20_000, { strategy });

  it("avalanche: the higher rate first, and what clears it rolls to the next card in the same month", () => {
    // Jan: A 10000 + 100 = 10100, min 1000 -> 9100; B 50000 + 1000 = 51000, min 1000 -> 50000;
    //      extra 20000 - 2000 = 18000 to B -> 32000.
    // Feb: A 9100 + 91 = 9191 - 1000 = 8191; B 32000 + 640 = 32640 - 1000 - 18000 = 13640.
    // Mar: A 8191 + 82 (81.91) = 8273 - 1000 = 7273; B 13640 + 273 (272.80) = 13913 - 1000 = 12913;
    //      extra 18000: 12913 clears B, the 5087 left goes to A -> 7273 - 5087 = 2186.
    // Apr: A 2186 + 22 (21.86) = 2208, paid in full.
    const input = two("avalanche");
    expect(rowsOf(input, "b")).toEqual([
      [1000, 19_000, 32_000],
      [640, 19_000, 13_640],
      [273, 13_913, 0],
      null,
    ]);
    expect(rowsOf(input, "a")).toEqual([
      [100, 1000, 9100],
      [91, 1000, 8191],
      [82, 6087, 2186],
      [22, 2208, 0],
    ]);
    const plan = planPayoff(input);
    expect(plan.totalInterest).toBe(2208); // A 100+91+82+22 = 295, B 1000+640+273 = 1913
    expect(plan.cards).toEqual([
      { cardId: "a", payoffMonth: "2025-04", interest: 295, paid: 10_295, neverPaidOff: false },
      { cardId: "b", payoffMonth: "2025-03", interest: 1913, paid: 51_913, neverPaidOff: false },
    ]);
  });

  it("snowball: the smaller balance first, and costs more interest here", () => {
    // Jan: A 10100 - 1000 = 9100, B 51000 - 1000 = 50000; extra 18000: 9100 clears A,
    //      8900 rolls to B -> 41100.
    // Feb: B 41100 + 822 = 41922 - 20000 = 21922.
    // Mar: B 21922 + 438 (438.44) = 22360 - 20000 = 2360.
    // Apr: B 2360 + 47 (47.20) = 2407, paid in full.
    const input = two("snowball");
    expect(rowsOf(input, "a")).toEqual([[100, 10_100, 0], null, null, null]);
    expect(rowsOf(input, "b")).toEqual([
      [1000, 9900, 41_100],
      [822, 20_000, 21_922],
      [438, 20_000, 2360],
      [47, 2407, 0],
    ]);
    const plan = planPayoff(input);
    expect(plan.totalInterest).toBe(2407); // 100 + 1000 + 822 + 438 + 47
    expect(plan.monthsToDebtFree).toBe(4);
  });

  it("custom order and highest-interest", () => {
    // highest-interest: B accrues 1000 against A's 100 in January, so it goes first, as avalanche.
    expect(planPayoff(two("highest-interest")).totalInterest).toBe(2208);
    // custom ["a"] (b, unlisted, follows) is the snowball order here.
    expect(planPayoff({ ...two("custom"), customOrder: ["a"] }).totalInterest).toBe(2407);
  });

  it("a promotional rate ends after its `until` month", () => {
    // 0 % until 2025-02, then 24 % (2 %); 300.00 a month:
    // Jan: 100000 + 0 - 30000 = 70000;  Feb: 70000 + 0 - 30000 = 40000
    // Mar: 40000 + 800 = 40800 - 30000 = 10800;  Apr: 10800 + 216 = 11016, paid in full.
    const input = base(
      [{ ...fixed("p", 100_000, 2400, 10_000), promo: { aprBasisPoints: 0, until: "2025-02" } }],
      30_000,
    );
    expect(rowsOf(input, "p")).toEqual([
      [0, 30_000, 70_000],
      [0, 30_000, 40_000],
      [800, 30_000, 10_800],
      [216, 11_016, 0],
    ]);
    expect(planPayoff(input)).toMatchObject({
      totalInterest: 1016,
      totalPaid: 101_016,
      debtFreeMonth: "2025-04",
    });
  });

  it("a payment below the interest is reported as never paid off, after the stall, not looped on", () => {
    // 1,000.00 at 24 %: Jan 100000 + 2000 - 1500 = 100500; Feb 100500 + 2010 - 1500 = 101010; ...
    const input = base([fixed("a", 100_000, 2400, 1500)], 1500);
    const plan = planPayoff(input);
    expect(rowsOf(input, "a").slice(0, 2)).toEqual([
      [2000, 1500, 100_500],
      [2010, 1500, 101_010],
    ]);
    expect(plan).toMatchObject({
      feasible: true,
      end: "stalled",
      monthsToDebtFree: null,
      debtFreeMonth: null,
    });
    expect(plan.schedule).toHaveLength(12);
    expect(plan.cards[0]).toMatchObject({ payoffMonth: null, neverPaidOff: true });
    expect(plan.remainingBalance).toBeGreaterThan(100_000);
  });

  it("the horizon stops a plan that would take longer, and says so", () => {
    const plan = planPayoff({ ...base([fixed("a", 100_000, 1200, 2500)], 30_000), horizonMonths: 2 });
    expect(plan).toMatchObject({ end: "horizon", monthsToDebtFree: null, remainingBalance: 41_710 });
    expect(plan.cards[0]?.neverPaidOff).toBe(true);
  });

  it("a snowflake is paid in its month, on top of the monthly amount", () => {
    // The one card above with 200.00 more in February:
    // Jan: 101000 - 30000 = 71000;  Feb: 71710 - 50000 = 21710
    // Mar: 21710 + 217 (217.10) = 21927, paid in full.
    const input = base([fixed("a", 100_000, 1200, 2500)], 30_000, {
      snowflakes: [{ month: "2025-02", amount: 20_000 }],
    });
    expect(rowsOf(input, "a")).toEqual([
      [1000, 30_000, 71_000],
      [710, 50_000, 21_710],
      [217, 21_927, 0],
    ]);
    expect(planPayoff(input)).toMatchObject({ totalInterest: 1927, totalPaid: 101_927, monthsToDebtFree: 3 });
  });

  it("a shortfall is reported for its month with the amount missing, and the plan stops there", () => {
    // 0 % until January, then 24 %; minimum 1 % plus interest, floor 25.00; 28.00 a month.
    // Jan: no interest; min max(2500, 1000 + 0) = 2500; all 2800 paid -> 97200.
    // Feb: 97200 + 1944 = 99144; min max(2500, 991 (991.44) + 1944) = 2935 > 2800: 135 missing.
    const card: PayoffCard = {
      ...fixed("a", 100_000, 2400, 0),
      minimum: { kind: "percent", percentBasisPoints: 100, plusInterest: true, floor: 2500 },
      promo: { aprBasisPoints: 0, until: "2025-01" },
    };
    const plan = planPayoff(base([card], 2800));
    expect(plan).toMatchObject({
      feasible: false,
      end: "shortfall",
      shortfall: { month: "2025-02", missing: 135 },
      monthsToDebtFree: null,
      totalPaid: 2800,
    });
    expect(plan.schedule.map((m) => m.month)).toEqual(["2025-01"]);
    expect(plan.cards[0]?.neverPaidOff).toBe(false);
  });

  it("percent minimum with plusInterest, and its floor, on the minimum-only baseline", () => {
    // 5,000.00 at 18 % (1.5 %), 1 % plus interest, floor 25.00:
    // Jan: 500000 + 7500 = 507500; min 5075 + 7500 = 12575 -> 494925
    // Feb: 494925 + 7424 (7423.875) = 502349; min 5023 (5023.49) + 7424 = 12447 -> 489902
    const big: PayoffCard = {
      ...fixed("a", 500_000, 1800, 0),
      minimum: { kind: "percent", percentBasisPoints: 100, plusInterest: true, floor: 2500 },
    };
    // 300.00 at 18 %: Jan 30000 + 450 = 30450; 305 (304.50) + 450 = 755 < floor 2500 -> 27950
    const small: PayoffCard = { ...big, cardId: "b", balance: 30_000 };
    const input = base([big, small], 0, { strategy: "minimum-only", horizonMonths: 2 });
    expect(rowsOf(input, "a")).toEqual([
      [7500, 12_575, 494_925],
      [7424, 12_447, 489_902],
    ]);
    // Feb: 27950 + 419 (419.25) = 28369; 284 (283.69) + 419 = 703 < 2500 -> 25869
    expect(rowsOf(input, "b")).toEqual([
      [450, 2500, 27_950],
      [419, 2500, 25_869],
    ]);
  });

  it("refuses input it cannot plan exactly", () => {
    expect(() => planPayoff(base([fixed("a", 1.5, 1200, 0)], 0))).toThrow(RangeError);
    expect(() => planPayoff(base([fixed("a", 1e13, 1200, 0)], 0))).toThrow(RangeError);
    expect(() => planPayoff(base([fixed("a", 1, 100_001, 0)], 0))).toThrow(RangeError);
    expect(() => planPayoff(base([fixed("a", 1, 1, 0), fixed("a", 1, 1, 0)], 0))).toThrow(/twice/);
    expect(() => planPayoff(base([fixed("a", 1, 1, 0)], 0, { strategy: "custom" }))).toThrow(/customOrder/);
    expect(() => planPayoff(base([fixed("a", 1, 1, 0)], 0, { startMonth: "2025-13" }))).toThrow(/startMonth/);
  });

  it("owes nothing: debt-free in 0 months", () => {
    expect(planPayoff(base([fixed("a", 0, 1200, 0)], 0))).toMatchObject({
      end: "debt-free",
      monthsToDebtFree: 0,
      debtFreeMonth: null,
      schedule: [],
    });
  });
});

describe("comparePayoff", () => {
  it("every strategy against the minimum-only baseline", () => {
    // The two cards above; on minimums alone B (10.00 against 10.00 of interest) would never fall,
    // so here its minimum is 20.00 and the baseline ends.
    const input = base([fixed("a", 10_000, 1200, 1000), fixed("b", 50_000, 2400, 2000)], 20_000, {
      customOrder: ["a", "b"],
    });
    const result = comparePayoff(input);
    expect(result.baseline.strategy).toBe("minimum-only");
    expect(result.baseline.end).toBe("debt-free");
    expect(result.strategies.map((s) => s.strategy)).toEqual([
      "avalanche",
      "snowball",
      "highest-interest",
      "custom",
    ]);
    const avalanche = result.strategies[0];
    const avalancheInterest = avalanche?.plan.totalInterest ?? 0;
    expect(avalanche?.interestSaved).toBe(result.baseline.totalInterest - avalancheInterest);
    expect(avalanche?.monthsSaved).toBe(
      (result.baseline.monthsToDebtFree ?? 0) - (avalanche?.plan.monthsToDebtFree ?? 0),
    );
    expect(avalanche?.interestSaved).toBeGreaterThan(0);
  });

  it("gives no savings against a plan that never ends", () => {
    const result = comparePayoff(base([fixed("a", 100_000, 2400, 1500)], 5000));
    expect(result.baseline.end).toBe("stalled");
    expect(result.strategies[0]).toMatchObject({ interestSaved: null, monthsSaved: null });
  });
});
