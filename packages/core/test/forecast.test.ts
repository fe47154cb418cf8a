import { describe, expect, it } from "vitest";
import {
  FieldRangeError,
  type ForecastCategory,
  type ForecastGoal,
  type ForecastInput,
  forecastChange,
  goalMonthlyGap,
  planPayoffFromFirstMonth,
} from "../src/forecast";
import { type PayoffCard, type PayoffInput, planPayoff } from "../src/payoff";

// Hand-computed forecasts, to the cent. Interest is balance × bp / 120000 rounded half-up, so
// 1200 bp is 1 % a month.

/** 3,000.00 at 12 %, a fixed 50.00 minimum. */
const card: PayoffCard = {
  cardId: "visa",
  name: "Visa",
  balance: 300_000,
  aprBasisPoints: 1200,
  minimum: { kind: "fixed", amount: 5_000 },
};

/**
 * Income 3,000.00. This month Dining is 50.00 over its 300.00 limit.
 *   this month: committed 1200 + 500 + 350 (Dining's spending) + 200 = 2,250.00 -> 750.00 for debt
 *   later months (each spends its limit): 1200 + 500 + 300 + 200 = 2,200.00 -> 800.00
 * The debt group (400.00) is not committed.
 */
const categories: ForecastCategory[] = [
  { categoryId: "housing", name: "Housing", group: "essential", limit: 120_000, spent: 120_000 },
  { categoryId: "groceries", name: "Groceries", group: "essential", limit: 50_000, spent: 20_000 },
  { categoryId: "dining", name: "Dining", group: "discretionary", limit: 30_000, spent: 35_000 },
  { categoryId: "savings", name: "Savings", group: "savings", limit: 20_000, spent: 0 },
  { categoryId: "debt", name: "Debt payments", group: "debt", limit: 40_000, spent: 0 },
];

/**
 * 400.00 of 1,200.00 saved, 100.00 in each of the three months before January: pace 100.00.
 * By 30 June: 6 months left (January to June), requiredMonthly ⌈80000 / 6⌉ = 13334.
 * Projection: n = ⌈80000 × 3 / 30000⌉ = 8 -> August: after the target, off track.
 */
const holiday: ForecastGoal = {
  goalId: "holiday",
  name: "Holiday",
  targetAmount: 120_000,
  currentAmount: 40_000,
  targetDate: "2025-06-30",
  monthlyNet: { "2024-10": 10_000, "2024-11": 10_000, "2024-12": 10_000 },
  createdOn: "2024-10-01",
};

const base = (change: ForecastInput["change"], extra: Partial<ForecastInput> = {}): ForecastInput => ({
  month: "2025-01",
  today: "2025-01-15",
  income: 300_000,
  categories,
  cards: [card],
  strategy: "avalanche",
  goals: [holiday],
  change,
  months: 4,
  ...extra,
});

describe("forecastChange", () => {
  it("a cut, a raise, an extra payment and a goal contribution, month by month", () => {
    // Dining to 200.00: this month it has spent 350.00, so it still commits 350.00 (750.00 stays
    // 750.00); later months commit 200.00: 800.00 + 100.00 = 900.00. Income +100.00: 850.00 and
    // 1,000.00. Extra 200.00 and 50.00 to the holiday: debt gets 850 + 200 - 50 = 1,000.00 this
    // month and 1000 + 200 - 50 = 1,150.00 after.
    const f = forecastChange(
      base({
        categoryLimits: [{ categoryId: "dining", limit: 20_000 }],
        incomeChange: 10_000,
        extraDebtPayment: 20_000,
        goalContribution: [{ goalId: "holiday", monthly: 5_000 }],
      }),
    );
    expect(f.income).toEqual({ before: 300_000, after: 310_000, difference: 10_000 });
    expect(f.availableForDebtPayoff).toEqual({
      thisMonth: { before: 75_000, after: 85_000, difference: 10_000 },
      laterMonths: { before: 80_000, after: 100_000, difference: 20_000 },
    });
    expect(f.toGoalsMonthly).toEqual({ before: 0, after: 5_000, difference: 5_000 });
    expect(f.toDebtMonthly).toEqual({
      thisMonth: { before: 75_000, after: 100_000, difference: 25_000 },
      laterMonths: { before: 80_000, after: 115_000, difference: 35_000 },
    });
    expect(f.categories.find((c) => c.categoryId === "dining")).toEqual({
      categoryId: "dining",
      name: "Dining",
      group: "discretionary",
      spent: 35_000,
      limit: { before: 30_000, after: 20_000, difference: -10_000 },
      committedThisMonth: { before: 35_000, after: 35_000, difference: 0 },
      committedLaterMonths: { before: 30_000, after: 20_000, difference: -10_000 },
    });
    expect(f.categories.find((c) => c.categoryId === "debt")?.committedLaterMonths).toEqual({
      before: 0,
      after: 0,
      difference: 0,
    });

    // Before: 750.00 in January, then 800.00.
    //   Jan 300000 + 3000 - 75000 = 228000; Feb 228000 + 2280 - 80000 = 150280;
    //   Mar 150280 + 1503 (1502.80) - 80000 = 71783; Apr 71783 + 718 (717.83) = 72501, paid in full.
    //   Interest 3000 + 2280 + 1503 + 718 = 7501.
    // After: 1,000.00 in January, then 1,150.00.
    //   Jan 303000 - 100000 = 203000; Feb 203000 + 2030 - 115000 = 90030;
    //   Mar 90030 + 900 (900.30) = 90930, paid in full. Interest 3000 + 2030 + 900 = 5930.
    expect(f.debt.before).toMatchObject({
      end: "debt-free",
      monthsToDebtFree: 4,
      debtFreeMonth: "2025-04",
      totalInterest: 7_501,
      totalPaid: 307_501,
    });
    expect(f.debt.after).toMatchObject({
      end: "debt-free",
      monthsToDebtFree: 3,
      debtFreeMonth: "2025-03",
      totalInterest: 5_930,
      totalPaid: 305_930,
    });
    expect(f.debt.debtFreeMonth).toEqual({ before: "2025-04", after: "2025-03", monthsSooner: 1 });
    expect(f.debt.monthsToDebtFree).toEqual({ before: 4, after: 3, difference: -1 });
    expect(f.debt.totalInterest).toEqual({ before: 7_501, after: 5_930, difference: -1_571 });
    expect(f.debt.totalOwed).toBe(300_000);

    expect(f.schedule).toEqual([
      {
        month: "2025-01",
        availableForDebtPayoff: { before: 75_000, after: 85_000, difference: 10_000 },
        toGoals: { before: 0, after: 5_000, difference: 5_000 },
        paidToCards: { before: 75_000, after: 100_000, difference: 25_000 },
        interest: { before: 3_000, after: 3_000, difference: 0 },
        owedAtEnd: { before: 228_000, after: 203_000, difference: -25_000 },
      },
      {
        month: "2025-02",
        availableForDebtPayoff: { before: 80_000, after: 100_000, difference: 20_000 },
        toGoals: { before: 0, after: 5_000, difference: 5_000 },
        paidToCards: { before: 80_000, after: 115_000, difference: 35_000 },
        interest: { before: 2_280, after: 2_030, difference: -250 },
        owedAtEnd: { before: 150_280, after: 90_030, difference: -60_250 },
      },
      {
        month: "2025-03",
        availableForDebtPayoff: { before: 80_000, after: 100_000, difference: 20_000 },
        toGoals: { before: 0, after: 5_000, difference: 5_000 },
        paidToCards: { before: 80_000, after: 90_930, difference: 10_930 },
        interest: { before: 1_503, after: 900, difference: -603 },
        owedAtEnd: { before: 71_783, after: 0, difference: -71_783 },
      },
      {
        month: "2025-04",
        availableForDebtPayoff: { before: 80_000, after: 100_000, difference: 20_000 },
        toGoals: { before: 0, after: 5_000, difference: 5_000 },
        paidToCards: { before: 72_501, after: 0, difference: -72_501 },
        interest: { before: 718, after: 0, difference: -718 },
        owedAtEnd: { before: 0, after: 0, difference: 0 },
      },
    ]);
    // 75000 + 3 × 80000 = 315000; 85000 + 3 × 100000 = 385000. Paid: 307501 and 305930, the plans' totals.
    expect(f.totals).toEqual({
      availableForDebtPayoff: { before: 315_000, after: 385_000, difference: 70_000 },
      toGoals: { before: 0, after: 20_000, difference: 20_000 },
      paidToCards: { before: 307_501, after: 305_930, difference: -1_571 },
      interest: { before: 7_501, after: 5_930, difference: -1_571 },
    });

    // The holiday with 50.00 more a month: net 30000 + 3 × 5000 = 45000 over 3 months,
    // n = ⌈80000 × 3 / 45000⌉ = ⌈5.33⌉ = 6 -> June, the target's month: on track, 2 months sooner.
    expect(f.goals).toEqual([
      {
        goalId: "holiday",
        name: "Holiday",
        targetAmount: 120_000,
        currentAmount: 40_000,
        remaining: 80_000,
        targetDate: "2025-06-30",
        requiredMonthly: 13_334,
        hasPace: true,
        monthlyPace: { before: 10_000, after: 15_000, difference: 5_000 },
        projectedCompletion: { before: "2025-08", after: "2025-06", monthsSooner: 2 },
        meetsTargetDate: { before: false, after: true },
      },
    ]);
    expect(f.assumptions.length).toBeGreaterThan(0);
  });

  it("no change: every difference is 0 and this month matches the budget's availableForDebtPayoff", () => {
    const f = forecastChange(base({}));
    expect(f.availableForDebtPayoff.thisMonth).toEqual({ before: 75_000, after: 75_000, difference: 0 });
    expect(f.debt.totalInterest).toEqual({ before: 7_501, after: 7_501, difference: 0 });
    expect(f.debt.debtFreeMonth).toEqual({ before: "2025-04", after: "2025-04", monthsSooner: 0 });
    expect(f.goals[0]?.projectedCompletion).toEqual({ before: "2025-08", after: "2025-08", monthsSooner: 0 });
  });

  it("a goal with no complete month yet: the contribution alone is its pace", () => {
    // Created this month: no pace, no projection. 200.00 a month for 800.00: n = ⌈80000 / 20000⌉ = 4,
    // January to April, before the June target.
    const fresh: ForecastGoal = { ...holiday, monthlyNet: {}, createdOn: "2025-01-02" };
    const f = forecastChange(
      base({ goalContribution: [{ goalId: "holiday", monthly: 20_000 }] }, { goals: [fresh] }),
    );
    expect(f.goals[0]).toMatchObject({
      hasPace: false,
      monthlyPace: { before: 0, after: 20_000, difference: 20_000 },
      projectedCompletion: { before: null, after: "2025-04", monthsSooner: null },
      meetsTargetDate: { before: false, after: true },
    });
  });

  it("less income down to a shortfall: the plan says so rather than stretching", () => {
    // -800.00 a month: this month max(0, 2200 - 2250) = 0, later 2200 - 2200 = 0. Below the 50.00 minimum.
    const f = forecastChange(base({ incomeChange: -80_000 }));
    expect(f.availableForDebtPayoff.thisMonth).toEqual({ before: 75_000, after: 0, difference: -75_000 });
    expect(f.debt.after).toMatchObject({
      end: "shortfall",
      feasible: false,
      shortfall: { month: "2025-01", missing: 5_000 },
      debtFreeMonth: null,
    });
    expect(f.debt.debtFreeMonth.monthsSooner).toBeNull();
    expect(f.debt.monthsToDebtFree.difference).toBeNull();
    // Nothing planned after the shortfall: the debt stays as it was.
    expect(f.schedule.map((m) => m.owedAtEnd.after)).toEqual([300_000, 300_000, 300_000, 300_000]);
  });

  it("a limit for a debt-group category changes nothing: it is not committed", () => {
    const f = forecastChange(base({ categoryLimits: [{ categoryId: "debt", limit: 0 }] }));
    expect(f.availableForDebtPayoff.laterMonths.difference).toBe(0);
  });

  it("refuses input it cannot forecast, naming the field", () => {
    const field = (change: ForecastInput["change"], extra: Partial<ForecastInput> = {}) => {
      try {
        forecastChange(base(change, extra));
      } catch (err) {
        expect(err).toBeInstanceOf(FieldRangeError);
        return (err as FieldRangeError).field;
      }
      return "accepted";
    };
    expect(field({ categoryLimits: [{ categoryId: "nope", limit: 1 }] })).toBe("categoryLimits.0.categoryId");
    expect(
      field({
        categoryLimits: [
          { categoryId: "dining", limit: 1 },
          { categoryId: "dining", limit: 2 },
        ],
      }),
    ).toBe("categoryLimits.1.categoryId");
    expect(field({ categoryLimits: [{ categoryId: "dining", limit: 1.5 }] })).toBe("categoryLimits.0.limit");
    expect(field({ incomeChange: -300_001 })).toBe("incomeChange");
    expect(field({ extraDebtPayment: -1 })).toBe("extraDebtPayment");
    expect(field({ goalContribution: [{ goalId: "car", monthly: 1 }] })).toBe("goalContribution.0.goalId");
    // 750.00 for debt this month: 750.01 into goals is more than there is.
    expect(field({ goalContribution: [{ goalId: "holiday", monthly: 75_001 }] })).toBe("goalContribution");
    expect(field({ goalContribution: [{ goalId: "holiday", monthly: 75_000 }] })).toBe("accepted");
    expect(field({}, { months: 0 })).toBe("months");
    expect(field({}, { months: 121 })).toBe("months");
  });
});

describe("goalMonthlyGap", () => {
  it("what a goal needs on top of its pace to meet its date", () => {
    // requiredMonthly 13334 less the pace 10000.
    expect(goalMonthlyGap(holiday, "2025-01-15")).toBe(3_334);
    // With it: net 30000 + 3 × 3334 = 40002, n = ⌈240000 / 40002⌉ = 6 -> June: on track. A cent less is not:
    // 30000 + 3 × 3333 = 39999, n = ⌈6.0002⌉ = 7 -> July.
    const with_ = (monthly: number) =>
      forecastChange(base({ goalContribution: [{ goalId: "holiday", monthly }] })).goals[0]?.meetsTargetDate
        .after;
    expect(with_(3_334)).toBe(true);
    expect(with_(3_333)).toBe(false);
    // A goal on pace needs nothing more.
    expect(goalMonthlyGap({ ...holiday, targetDate: "2025-12-31" }, "2025-01-15")).toBe(0);
  });
});

describe("planPayoffFromFirstMonth", () => {
  const input = (monthlyAmount: number): PayoffInput => ({
    cards: [card],
    startMonth: "2025-01",
    monthlyAmount,
    strategy: "avalanche",
  });

  it("plans the first month with its own amount, then the rest from the balance it leaves", () => {
    // 750.00 then 800.00: as in the forecast above.
    const p = planPayoffFromFirstMonth(input(80_000), 75_000);
    expect(p.schedule.map((m) => m.cards[0]?.payment)).toEqual([75_000, 80_000, 80_000, 72_501]);
    expect(p.cards).toEqual([
      { cardId: "visa", payoffMonth: "2025-04", interest: 7_501, paid: 307_501, neverPaidOff: false },
    ]);
    expect(p).toMatchObject({
      end: "debt-free",
      monthsToDebtFree: 4,
      debtFreeMonth: "2025-04",
      remainingBalance: 0,
    });
  });

  it("the same amount both ways is planPayoff's plan", () => {
    expect(planPayoffFromFirstMonth(input(80_000), 80_000)).toEqual(planPayoff(input(80_000)));
  });

  it("a first month short of the minimum ends there; one that clears the card ends there too", () => {
    expect(planPayoffFromFirstMonth(input(80_000), 4_999)).toMatchObject({
      end: "shortfall",
      shortfall: { month: "2025-01", missing: 1 },
      schedule: [],
    });
    // 3,030.00 clears 3,000.00 and its 30.00 of interest at once.
    expect(planPayoffFromFirstMonth(input(80_000), 303_000)).toMatchObject({
      end: "debt-free",
      monthsToDebtFree: 1,
      debtFreeMonth: "2025-01",
      totalInterest: 3_000,
    });
  });

  it("plans on from a first month that grew a card past the largest balance accepted as input", () => {
    // 100.00 short of the largest balance accepted, at 1 % a month with no minimum: January's
    // interest takes it past 10,000,000,000.00, and the rest starts from there, as planPayoff's own
    // February does (a split plan used to refuse it: found by forecast-property.test.ts).
    const big: PayoffCard = {
      cardId: "big",
      name: "Big",
      balance: 1e12 - 10_000,
      aprBasisPoints: 1_200,
      minimum: { kind: "fixed", amount: 0 },
    };
    const grown: PayoffInput = {
      cards: [big],
      startMonth: "2025-01",
      monthlyAmount: 0,
      strategy: "avalanche",
      horizonMonths: 3,
    };
    // 999,999,990,000 + 9,999,999,900 = 1,009,999,989,900; + 10,099,999,899; + 10,200,999,898
    // (10,200,999,897.99 rounded half up).
    const split = planPayoffFromFirstMonth(grown, 0);
    expect(split.schedule.map((m) => m.cards[0]?.balance)).toEqual([
      1_009_999_989_900, 1_020_099_989_799, 1_030_300_989_697,
    ]);
    expect(split).toMatchObject({
      end: "horizon",
      totalInterest: 30_300_999_697,
      remainingBalance: 1_030_300_989_697,
    });
    expect(split).toEqual(planPayoff(grown));
  });

  it("a later shortfall is the second part's", () => {
    // 1,000.00 in January (303000 - 100000 = 203000), then 40.00: below the 50.00 minimum in February.
    expect(planPayoffFromFirstMonth(input(4_000), 100_000)).toMatchObject({
      end: "shortfall",
      feasible: false,
      shortfall: { month: "2025-02", missing: 1_000 },
      remainingBalance: 203_000,
    });
  });
});
