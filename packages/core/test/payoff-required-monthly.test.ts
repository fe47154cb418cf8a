import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { addMonths, monthRange } from "../src/month";
import {
  type PayoffCard,
  type PayoffInput,
  type PayoffStrategy,
  planPayoff,
  requiredMonthly,
} from "../src/payoff";
import { payoffCards, START, snowflakes } from "./support/payoff-arbitraries";

// The engine's own planPayoff, wrapped so a search's plans can be counted: only while `counting`,
// and only their horizons, so the thousands of plans the properties run are not all kept.
const spy = vi.hoisted(() => ({ counting: false, horizons: [] as (number | undefined)[] }));
vi.mock("../src/payoff/plan", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../src/payoff/plan")>();
  return {
    ...actual,
    planPayoff: (input: PayoffInput) => {
      if (spy.counting) spy.horizons.push(input.horizonMonths);
      return actual.planPayoff(input);
    },
  };
});

/** The horizons of the plans `run` made. */
const plansOf = (run: () => unknown) => {
  spy.horizons = [];
  spy.counting = true;
  try {
    run();
  } finally {
    spy.counting = false;
  }
  return spy.horizons;
};

type Searched = Exclude<PayoffStrategy, "minimum-only">;
type GoalInput = Omit<PayoffInput, "monthlyAmount" | "strategy"> & { strategy: Searched };

const fixed = (cardId: string, balance: number, aprBasisPoints: number, amount: number): PayoffCard => ({
  cardId,
  name: cardId,
  balance,
  aprBasisPoints,
  minimum: { kind: "fixed", amount },
});

const goal = (cards: PayoffCard[], extra: Partial<GoalInput> = {}): GoalInput => ({
  cards,
  startMonth: "2025-01",
  strategy: "avalanche",
  ...extra,
});

/** The debt-free month with a monthly amount, planned over the default 50 years. */
const debtFree = (input: GoalInput, monthlyAmount: number) =>
  planPayoff({ ...input, monthlyAmount, horizonMonths: undefined }).debtFreeMonth;

describe("requiredMonthly", () => {
  it("one card by April: to the cent", () => {
    // 1,000.00 at 12 % (1 % a month, half-up), 25.00 minimum, debt-free by April, paying M:
    // M = 256.29: Jan 100000 + 1000 - 25629 = 75371; Feb 75371 + 754 (753.71) - 25629 = 50496;
    //   Mar 50496 + 505 (504.96) - 25629 = 25372; Apr 25372 + 254 (253.72) = 25626 <= 25629, paid.
    // M = 256.28: Jan 75372; Feb 75372 + 754 (753.72) - 25628 = 50498;
    //   Mar 50498 + 505 (504.98) - 25628 = 25375; Apr 25375 + 254 (253.75) = 25629 > 25628: 0.01 left.
    const input = goal([fixed("a", 100_000, 1200, 2500)]);
    expect(requiredMonthly(input, "2025-04")).toBe(25_629);
    expect(debtFree(input, 25_629)).toBe("2025-04");
    expect(debtFree(input, 25_628)).toBe("2025-05");
    // The input's own horizon is not the target's: a one-month horizon changes nothing.
    expect(requiredMonthly({ ...input, horizonMonths: 1 }, "2025-04")).toBe(25_629);
  });

  it("by the first month: every balance with its first month's interest, the upper bound itself", () => {
    // A 10000 + 100 (1 %), B 50000 + 1000 (2 %): 61100 in January, and a cent less leaves a cent.
    const input = goal([fixed("a", 10_000, 1200, 1000), fixed("b", 50_000, 2400, 1000)]);
    expect(requiredMonthly(input, "2025-01")).toBe(61_100);
    expect(debtFree(input, 61_099)).toBe("2025-02");
  });

  it("the strategy changes the answer", () => {
    // A 100.00 at 0 %, B 1,000.00 at 24 % (2 %), no minimums, by February.
    // Avalanche (and highest-interest: B accrues 20.00, A nothing) pays B first: Jan B 102000 - M;
    //   Feb needs M >= 10000 + (102000 - M) + 2 % of it, 2M >= 112000 + i.
    //   M = 564.56: B 45544, i = 911 (910.88), 112912 >= 112911. M = 564.55: B 45545, i = 911
    //   (910.90), 112910 < 112911.
    // Snowball (and custom a, b) clears A in January: B 102000 - (M - 10000) = 112000 - M;
    //   Feb needs 2M >= 112000 + i. M = 565.55: B 55445, i = 1109 (1108.90), 113110 >= 113109.
    //   M = 565.54: B 55446, i = 1109 (1108.92), 113108 < 113109.
    const cards = [fixed("a", 10_000, 0, 0), fixed("b", 100_000, 2400, 0)];
    const by = (strategy: Searched) =>
      requiredMonthly(goal(cards, { strategy, customOrder: ["a"] }), "2025-02");
    expect(by("avalanche")).toBe(56_456);
    expect(by("highest-interest")).toBe(56_456);
    expect(by("snowball")).toBe(56_555);
    expect(by("custom")).toBe(56_555);
  });

  it("a minimum above the even share sets the amount: less is a shortfall", () => {
    // 1,000.00 at 0 % with a 300.00 minimum, by December: 1000.00 / 12 would do, but any amount
    // under 300.00 falls short in January. 300.00 clears it in April (3 × 300.00, then 100.00).
    const input = goal([fixed("a", 100_000, 0, 30_000)]);
    expect(requiredMonthly(input, "2025-12")).toBe(30_000);
    expect(planPayoff({ ...input, monthlyAmount: 29_999 }).end).toBe("shortfall");
    expect(debtFree(input, 30_000)).toBe("2025-04");
  });

  it("at 0 %: the balance over the months, rounded up; snowflakes count", () => {
    // 1,000.00 over 3 months: 333.34 (333.33 × 3 leaves a cent).
    const input = goal([fixed("a", 100_000, 0, 0)]);
    expect(requiredMonthly(input, "2025-03")).toBe(33_334);
    // With 400.00 extra in February: 3M + 40000 >= 100000, M = 200.00.
    const snow = { ...input, snowflakes: [{ month: "2025-02", amount: 40_000 }] };
    expect(requiredMonthly(snow, "2025-03")).toBe(20_000);
    expect(debtFree(snow, 19_999)).toBe("2025-04");
    // Snowflakes alone can be enough when there is no minimum to cover: then nothing a month.
    const covered = { ...input, snowflakes: [{ month: "2025-02", amount: 100_000 }] };
    expect(requiredMonthly(covered, "2025-03")).toBe(0);
    expect(requiredMonthly(covered, "2025-01")).toBe(100_000);
  });

  it("a target past the 1,200 months any plan runs is taken as the last of them", () => {
    // 1,000.00 at 0 %: over 1,200 months 0.84 (0.83 × 1200 = 996.00); the target's 2,101
    // months would take 0.48, but no plan runs that long.
    expect(requiredMonthly(goal([fixed("a", 100_000, 0, 0)]), "2200-01")).toBe(84);
  });

  it("0 when nothing is owed, whatever the target; null for a target before the start", () => {
    expect(requiredMonthly(goal([fixed("a", 0, 2400, 2500)]), "2025-06")).toBe(0);
    expect(requiredMonthly(goal([]), "2024-01")).toBe(0);
    expect(requiredMonthly(goal([fixed("a", 100, 2400, 2500)]), "2024-12")).toBeNull();
  });

  it("refuses a bad target month and input the engine refuses", () => {
    const input = goal([fixed("a", 100_000, 1200, 2500)]);
    expect(() => requiredMonthly(input, "2025-13")).toThrow(/^targetMonth must be a YYYY-MM month/);
    expect(() => requiredMonthly(input, "2025-4")).toThrow(RangeError);
    expect(() => requiredMonthly({ ...input, strategy: "custom" }, "2025-04")).toThrow(/customOrder/);
    expect(() => requiredMonthly({ ...input, cards: [fixed("a", -1, 0, 0)] }, "2025-04")).toThrow(
      /^balance of a/,
    );
  });

  it("highest-interest: a cent more is not always enough, because the order follows interest in cents", () => {
    // A owes 919.52 at 3.23 %, B 904.02 at 27.13 % (minimum 6.64). B accrues more and takes the
    // extra until October, then A's interest passes B's and A takes it. At 104.28 a month, December's
    // interest ties at 1.98 (A 73375 × 323 / 120000 = 197.50, B 8771 × 2713 / 120000 = 198.30), the
    // tie goes to A by cardId, B keeps its 27 % a month longer, and July ends 0.64 short; at 104.23
    // to 104.27 B stays ahead in December and July clears.
    const input = goal(
      [
        fixed("a", 91_952, 323, 195),
        {
          ...fixed("b", 90_402, 2713, 0),
          minimum: { kind: "percent", percentBasisPoints: 0, plusInterest: false, floor: 664 },
        },
      ],
      { strategy: "highest-interest" },
    );
    expect(requiredMonthly(input, "2026-07")).toBe(10_423);
    expect(debtFree(input, 10_422)).not.toBe("2026-07");
    expect(debtFree(input, 10_427)).toBe("2026-07");
    expect(debtFree(input, 10_428)).toBe("2026-08");
    expect(debtFree(input, 10_429)).toBe("2026-07");
  });
});

describe("requiredMonthly's cost", () => {
  it("runs ⌈log2(U + 1)⌉ + 1 plans at most, each cut at the target", () => {
    // One card at the largest balance and APR accepted: U = 1e12 + 833,333,333,333 of interest.
    const upper = 1e12 + 833_333_333_333;
    expect(Math.ceil(Math.log2(upper + 1)) + 1).toBe(42);
    let answer: number | null = null;
    const horizons = plansOf(() => {
      answer = requiredMonthly(goal([fixed("a", 1e12, 100_000, 0)]), "2025-12");
    });
    expect(answer).not.toBeNull();
    expect(horizons.length).toBeGreaterThanOrEqual(40);
    expect(horizons.length).toBeLessThanOrEqual(42);
    expect(new Set(horizons)).toEqual(new Set([12]));
  });

  it("runs no plan when nothing is owed or the target is past", () => {
    const horizons = plansOf(() => {
      requiredMonthly(goal([fixed("a", 0, 2400, 2500)]), "2025-06");
      requiredMonthly(goal([fixed("a", 100, 2400, 2500)]), "2024-12");
    });
    expect(horizons).toEqual([]);
  });
});

const goals = (strategy: fc.Arbitrary<Searched>) =>
  fc
    .record({
      cards: payoffCards(4, { maxPercentBasisPoints: 1000 }),
      strategy,
      snowflakes,
      months: fc.integer({ min: 0, max: 60 }),
    })
    .map((r) => ({
      input: {
        cards: r.cards,
        strategy: r.strategy,
        snowflakes: r.snowflakes,
        startMonth: START,
        customOrder: r.cards.map((c) => c.cardId).reverse(),
      } satisfies GoalInput,
      target: addMonths(START, r.months),
    }));

const searched = fc.constantFrom<Searched>("avalanche", "snowball", "highest-interest", "custom");
/** The strategies whose debt-free month never gets later with more money (highest-interest's can). */
const monotone = fc.constantFrom<Searched>("avalanche", "snowball", "custom");

/** Debt-free by the target, planned over the default 50 years rather than cut at the target. */
const meets = (input: GoalInput, monthlyAmount: number, target: string) => {
  const plan = planPayoff({ ...input, monthlyAmount });
  return plan.end === "debt-free" && (plan.debtFreeMonth ?? START) <= target;
};

/** Σ balance + its first month's interest, half-up, in BigInt. */
const upperBound = (input: GoalInput) =>
  Number(
    input.cards.reduce((a, c) => {
      const apr = BigInt(c.promo && START <= c.promo.until ? c.promo.aprBasisPoints : c.aprBasisPoints);
      const b = BigInt(c.balance);
      return a + b + (b * apr * 2n + 120_000n) / 240_000n;
    }, 0n),
  );

describe("requiredMonthly properties", () => {
  it("the answer meets the target and a cent less does not; it is at most the upper bound", () => {
    fc.assert(
      fc.property(goals(searched), ({ input, target }) => {
        const answer = requiredMonthly(input, target);
        if (input.cards.every((c) => c.balance === 0)) {
          expect(answer).toBe(0);
          return;
        }
        if (answer === null) throw new Error("no answer for a target after the start");
        expect(meets(input, answer, target)).toBe(true);
        if (answer > 0) expect(meets(input, answer - 1, target)).toBe(false);
        expect(answer).toBeLessThanOrEqual(upperBound(input));
        // By the first month with no snowflake in it, nothing less than clearing it all will do.
        if (target === START && !input.snowflakes.some((s) => s.month === START))
          expect(answer).toBe(upperBound(input));
      }),
      { numRuns: 200 },
    );
  });

  it("meeting the target is monotone in the amount, so the answer is the least", () => {
    fc.assert(
      fc.property(
        goals(monotone),
        fc.array(fc.double({ min: 0, max: 2, noNaN: true }), { minLength: 2, maxLength: 6 }),
        ({ input, target }, fractions) => {
          const answer = requiredMonthly(input, target) ?? 0;
          const upper = upperBound(input);
          // Amounts around the answer, and spread up to twice the upper bound.
          const amounts = [
            ...fractions.map((f) => Math.floor(f * upper)),
            ...fractions.map((f) => Math.max(0, answer + Math.floor((f - 1) * 1000))),
          ].sort((a, b) => a - b);
          const met = amounts.map((m) => meets(input, m, target));
          for (let i = 1; i < met.length; i++) if (met[i - 1]) expect(met[i]).toBe(true);
          amounts.forEach((m, i) => {
            expect(met[i]).toBe(m >= answer);
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it("small debts: the same answer as counting up from 0", () => {
    const small = goals(monotone).map(({ input, target }) => ({
      input: { ...input, cards: input.cards.map((c) => ({ ...c, balance: c.balance % 3000 })) },
      target: [target, addMonths(START, 5)].sort()[0] ?? START,
    }));
    fc.assert(
      fc.property(small, ({ input, target }) => {
        // Each plan cut at the target to keep the count quick; the first property shows the cut
        // changes nothing.
        const horizonMonths = monthRange(START, target).length;
        let least = 0;
        while (!meets({ ...input, horizonMonths }, least, target)) least++;
        expect(requiredMonthly(input, target)).toBe(least);
      }),
      { numRuns: 60 },
    );
  });
});
