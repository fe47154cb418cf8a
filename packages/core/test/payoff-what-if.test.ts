import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addMonths } from "../src/month";
import {
  type PayoffCard,
  type PayoffInput,
  type PayoffPlan,
  type PayoffStrategy,
  planPayoff,
  planWhatIf,
} from "../src/payoff";
import { payoffCards, START, snowflakes } from "./support/payoff-arbitraries";

// Hand-computed what-ifs, to the cent: interest is balance × bp / 120000 rounded half-up, so
// 1200 bp is 1 % a month.

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

describe("planWhatIf", () => {
  // 1,000.00 at 12 %, 25.00 minimum, 300.00 a month (payoff.test.ts's "one card"):
  //   Jan 100000 + 1000 - 30000 = 71000; Feb 71000 + 710 - 30000 = 41710;
  //   Mar 41710 + 417 - 30000 = 12127; Apr 12127 + 121 = 12248 paid in full. Interest 2248.
  const one = base([fixed("a", 100_000, 1200, 2500)], 30_000);

  it("100.00 more a month: a month and 4.22 of interest saved, the balances side by side", () => {
    // 400.00 a month: Jan 100000 + 1000 - 40000 = 61000; Feb 61000 + 610 - 40000 = 21610;
    // Mar 21610 + 216 (216.10) = 21826 paid in full. Interest 1000 + 610 + 216 = 1826.
    const w = planWhatIf(one, { extraMonthly: 10_000 });
    expect(w.current.monthsToDebtFree).toBe(4);
    expect(w.current.totalInterest).toBe(2248);
    expect(w.withChange).toMatchObject({
      end: "debt-free",
      monthsToDebtFree: 3,
      debtFreeMonth: "2025-03",
      totalInterest: 1826,
      totalPaid: 101_826,
    });
    expect(w.withChange.schedule.map((m) => m.cards[0]?.payment)).toEqual([40_000, 40_000, 21_826]);
    expect(w.monthsSaved).toBe(1);
    expect(w.interestSaved).toBe(422); // 2248 - 1826
    expect(w.balances).toEqual([
      { month: "2025-01", current: 71_000, withChange: 61_000 },
      { month: "2025-02", current: 41_710, withChange: 21_610 },
      { month: "2025-03", current: 12_127, withChange: 0 },
      // withChange is debt-free from March on: 0 while the current plan runs on.
      { month: "2025-04", current: 0, withChange: 0 },
    ]);
  });

  it("a snowflake is added to the input's own, in the same month", () => {
    // The input already has 100.00 in February; the change adds 100.00 more there: 200.00 extra.
    // Jan 71000 as before; Feb 71000 + 710 - 30000 - 20000 = 21710;
    // Mar 21710 + 217 (217.10) = 21927 paid in full. Interest 1000 + 710 + 217 = 1927.
    const input = { ...one, snowflakes: [{ month: "2025-02", amount: 10_000 }] };
    const w = planWhatIf(input, { extraMonthly: 0, snowflakes: [{ month: "2025-02", amount: 10_000 }] });
    // The current plan keeps the input's snowflake: Feb 71000 + 710 - 40000 = 31710;
    // Mar 31710 + 317 (317.10) - 30000 = 2027; Apr 2027 + 20 (20.27) = 2047 paid. 1000+710+317+20.
    expect(w.current.totalInterest).toBe(2047);
    expect(w.withChange.totalInterest).toBe(1927);
    expect(w.withChange.schedule.map((m) => m.cards[0]?.payment)).toEqual([30_000, 50_000, 21_927]);
    expect(w.monthsSaved).toBe(1);
    expect(w.interestSaved).toBe(120);
    expect(w.balances.map((b) => [b.month, b.current, b.withChange])).toEqual([
      ["2025-01", 71_000, 71_000],
      ["2025-02", 31_710, 21_710],
      ["2025-03", 2027, 0],
      ["2025-04", 0, 0],
    ]);
  });

  it("a plan that falls short carries what it owed; no savings against it", () => {
    // 200.00 at 12 %, 50.00 minimum, 40.00 a month: short by 10.00 in January, nothing planned.
    // With 60.00 more (100.00 a month): Jan 20000 + 200 - 10000 = 10200;
    // Feb 10200 + 102 - 10000 = 302; Mar 302 + 3 (3.02) = 305 paid in full. Interest 305.
    const w = planWhatIf(base([fixed("a", 20_000, 1200, 5000)], 4000), { extraMonthly: 6000 });
    expect(w.current).toMatchObject({ end: "shortfall", shortfall: { month: "2025-01", missing: 1000 } });
    expect(w.current.schedule).toEqual([]);
    expect(w.withChange).toMatchObject({ end: "debt-free", monthsToDebtFree: 3, totalInterest: 305 });
    expect(w.monthsSaved).toBeNull();
    expect(w.interestSaved).toBeNull();
    expect(w.balances).toEqual([
      { month: "2025-01", current: 20_000, withChange: 10_200 },
      { month: "2025-02", current: 20_000, withChange: 302 },
      { month: "2025-03", current: 20_000, withChange: 0 },
    ]);
  });

  it("both plans share the horizon: the one that got debt-free inside it shows 0 after", () => {
    // Horizon 2. Current: Jan 71000, Feb 41710, stopped there. With 500.00 more (800.00 a month):
    // Jan 100000 + 1000 - 80000 = 21000; Feb 21000 + 210 = 21210 paid in full.
    const w = planWhatIf({ ...one, horizonMonths: 2 }, { extraMonthly: 50_000 });
    expect(w.current).toMatchObject({ end: "horizon", remainingBalance: 41_710 });
    expect(w.withChange).toMatchObject({ end: "debt-free", totalInterest: 1210 });
    expect(w.monthsSaved).toBeNull();
    expect(w.balances).toEqual([
      { month: "2025-01", current: 71_000, withChange: 21_000 },
      { month: "2025-02", current: 41_710, withChange: 0 },
    ]);
  });

  it("a stalled plan carries its last total while the other runs on", () => {
    // 1,000.00 at 24 % (2 % a month), 10.00 minimum, 10.00 a month: interest outruns the payment
    // (Jan 100000 + 2000 - 1000 = 101000; Feb 101000 + 2020 - 1000 = 102020) and after 12 months
    // of no balance falling the plan stops. With 50.00 more (60.00 a month) it falls:
    // Jan 100000 + 2000 - 6000 = 96000; Feb 96000 + 1920 - 6000 = 91920.
    const w = planWhatIf(base([fixed("a", 100_000, 2400, 1000)], 1000), { extraMonthly: 5000 });
    expect(w.current.end).toBe("stalled");
    expect(w.current.schedule).toHaveLength(12);
    expect(w.withChange.end).toBe("debt-free");
    const months = w.withChange.monthsToDebtFree ?? 0;
    expect(months).toBeGreaterThan(12);
    expect(w.balances).toHaveLength(months);
    expect(w.balances.slice(0, 2)).toEqual([
      { month: "2025-01", current: 101_000, withChange: 96_000 },
      { month: "2025-02", current: 102_020, withChange: 91_920 },
    ]);
    const stalledAt = w.current.schedule.at(-1)?.cards[0]?.balance;
    expect(stalledAt).toBe(w.current.remainingBalance);
    for (const b of w.balances.slice(12)) expect(b.current).toBe(stalledAt);
    expect(w.balances.at(-1)).toEqual({
      month: addMonths("2025-01", months - 1),
      current: stalledAt,
      withChange: 0,
    });
    expect(w.monthsSaved).toBeNull();
    expect(w.interestSaved).toBeNull();
  });

  it("owes nothing: no months, nothing saved", () => {
    const w = planWhatIf(base([fixed("a", 0, 1200, 2500)], 0), { extraMonthly: 100 });
    expect(w).toMatchObject({ monthsSaved: 0, interestSaved: 0, balances: [] });
  });

  it("refuses an extraMonthly that is not whole cents, naming it", () => {
    for (const extraMonthly of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => planWhatIf(one, { extraMonthly })).toThrow(/^extraMonthly must be a whole number/);
    // 300.00 a month already: the extra may only take it up to 2^53 - 1.
    expect(() => planWhatIf(one, { extraMonthly: Number.MAX_SAFE_INTEGER - 29_999 })).toThrow(
      new RangeError(
        `extraMonthly must be a whole number of cents from 0 to ${Number.MAX_SAFE_INTEGER - 30_000}, not ${Number.MAX_SAFE_INTEGER - 29_999}`,
      ),
    );
    expect(() => planWhatIf(one, { extraMonthly: 0, snowflakes: [{ month: "2025-13", amount: 1 }] })).toThrow(
      RangeError,
    );
    expect(() => planWhatIf({ ...one, monthlyAmount: -1 }, { extraMonthly: 0 })).toThrow(/^monthlyAmount/);
  });
});

const inputs = (strategy: fc.Arbitrary<PayoffStrategy>, fixedMinimums = false, promos = true) =>
  fc
    .record({
      cards: payoffCards(4, { fixedMinimums, promos }),
      monthlyAmount: fc.integer({ min: 0, max: 300_000 }),
      strategy,
      snowflakes,
      horizonMonths: fc.integer({ min: 1, max: 240 }),
    })
    .map(
      (r): PayoffInput => ({ ...r, startMonth: START, customOrder: r.cards.map((c) => c.cardId).reverse() }),
    );

const changes = fc.record({
  extraMonthly: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 200_000 })),
  snowflakes: fc.option(snowflakes, { nil: undefined }),
});

const anyStrategy = fc.constantFrom<PayoffStrategy>(
  "avalanche",
  "snowball",
  "highest-interest",
  "custom",
  "minimum-only",
);

/** What a plan owes at the end of its i-th month: the schedule's, and past it what was left. */
const owedAt = (plan: PayoffPlan, i: number) => {
  const m = plan.schedule[i];
  return m ? m.cards.reduce((a, c) => a + c.balance, 0) : plan.remainingBalance;
};

describe("planWhatIf properties", () => {
  it("is the two plans, with savings only when both are debt-free, and balances read off their schedules", () => {
    fc.assert(
      fc.property(inputs(anyStrategy), changes, (input, change) => {
        const w = planWhatIf(input, change);
        expect(w.current).toEqual(planPayoff(input));
        expect(w.withChange).toEqual(
          planPayoff({
            ...input,
            monthlyAmount: input.monthlyAmount + change.extraMonthly,
            snowflakes: [...(input.snowflakes ?? []), ...(change.snowflakes ?? [])],
          }),
        );
        const both = w.current.end === "debt-free" && w.withChange.end === "debt-free";
        expect(w.monthsSaved).toBe(
          both ? (w.current.monthsToDebtFree ?? -1) - (w.withChange.monthsToDebtFree ?? -1) : null,
        );
        expect(w.interestSaved).toBe(both ? w.current.totalInterest - w.withChange.totalInterest : null);

        const n = Math.max(w.current.schedule.length, w.withChange.schedule.length);
        expect(w.balances).toEqual(
          Array.from({ length: n }, (_, i) => ({
            month: addMonths(START, i),
            current: owedAt(w.current, i),
            withChange: owedAt(w.withChange, i),
          })),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("no change is no difference", () => {
    fc.assert(
      fc.property(inputs(anyStrategy), (input) => {
        const w = planWhatIf(input, { extraMonthly: 0 });
        expect(w.withChange).toEqual(w.current);
        expect(w.monthsSaved).toBe(w.current.end === "debt-free" ? 0 : null);
        expect(w.interestSaved).toBe(w.current.end === "debt-free" ? 0 : null);
        for (const b of w.balances) expect(b.withChange).toBe(b.current);
      }),
      { numRuns: 200 },
    );
  });

  it("avalanche with fixed minimums and no promotion: more money never owes more in any month", () => {
    fc.assert(
      fc.property(inputs(fc.constant("avalanche"), true, false), changes, (input, change) => {
        const w = planWhatIf(input, change);
        // A plan that fell short planned nothing more, so only months both plans paid compare.
        const paid = Math.min(w.current.schedule.length, w.withChange.schedule.length);
        for (const b of w.balances.slice(0, paid)) expect(b.withChange).toBeLessThanOrEqual(b.current);
        if (w.interestSaved !== null) expect(w.interestSaved).toBeGreaterThanOrEqual(0);
        if (w.monthsSaved !== null) expect(w.monthsSaved).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });
});
