import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ForecastCategory,
  type ForecastGoal,
  type ForecastInput,
  forecastChange,
  planPayoffFromFirstMonth,
} from "../src/forecast";
import { type PayoffPlan, type PayoffStrategy, planPayoff } from "../src/payoff";
import { payoffCards, START } from "./support/payoff-arbitraries";

// Properties of forecastChange over generated budgets, against a model written here from the
// rules alone (DESIGN.md's availableForDebtPayoff, docs/PAYOFF.md for one card with a fixed
// minimum, docs/GOALS.md's pace): BigInt for the money, months as plain indexes, no shared code.

const GROUPS = ["essential", "discretionary", "savings", "debt"] as const;
const TODAY = "2025-01-15";
const MONTH = "2025-01";

const monthOf = (index: number) => `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
const indexOf = (month: string) => Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1;

const category = (i: number): fc.Arbitrary<ForecastCategory> =>
  fc.record({
    categoryId: fc.constant(`c${i}`),
    name: fc.constant(`Category ${i}`),
    group: fc.constantFrom(...GROUPS),
    limit: fc.integer({ min: 0, max: 150_000 }),
    spent: fc.integer({ min: -5_000, max: 200_000 }),
  });

const goal = (i: number): fc.Arbitrary<ForecastGoal> =>
  fc
    .record({
      targetAmount: fc.integer({ min: 1, max: 500_000 }),
      saved: fc.integer({ min: 0, max: 600_000 }),
      targetIn: fc.integer({ min: -2, max: 36 }),
      net: fc.array(fc.integer({ min: -20_000, max: 60_000 }), { minLength: 4, maxLength: 4 }),
      createdBack: fc.integer({ min: 0, max: 6 }),
    })
    .map((r) => ({
      goalId: `g${i}`,
      name: `Goal ${i}`,
      targetAmount: r.targetAmount,
      currentAmount: r.saved,
      targetDate: `${monthOf(indexOf(MONTH) + r.targetIn)}-28`,
      // September to December 2024; September is outside the pace's window, but moves the start back.
      monthlyNet: Object.fromEntries(
        r.net.map((v, k) => [monthOf(indexOf("2024-09") + k), v]).filter(([, v]) => v !== 0),
      ),
      createdOn: `${monthOf(indexOf(MONTH) - r.createdBack)}-10`,
    }));

const scenario = fc
  .record({
    categories: fc
      .integer({ min: 1, max: 6 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => category(i)))),
    income: fc.integer({ min: 0, max: 800_000 }),
    card: fc.record({
      balance: fc.integer({ min: 0, max: 1_500_000 }),
      aprBasisPoints: fc.integer({ min: 0, max: 3_500 }),
      minimum: fc.integer({ min: 0, max: 20_000 }),
    }),
    goals: fc
      .integer({ min: 0, max: 2 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => goal(i)))),
    incomeChange: fc.integer({ min: -300_000, max: 300_000 }),
    extra: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 80_000 })),
    months: fc.integer({ min: 1, max: 30 }),
    limitSeeds: fc.array(fc.integer({ min: 0, max: 150_000 }), { minLength: 6, maxLength: 6 }),
    changeMask: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    // A share (in thousandths) of what is there for debt after the change, put into the first goal.
    goalShare: fc.integer({ min: 0, max: 1000 }),
  })
  .map((s) => ({ ...s, incomeChange: Math.max(-s.income, s.incomeChange) }));

/** availableForDebtPayoff by DESIGN.md: this month commits max(limit, spent), a later month the limit. */
function available(income: number, cats: readonly ForecastCategory[], later: boolean): number {
  let committed = 0n;
  for (const c of cats) {
    if (c.group === "debt") continue;
    committed += BigInt(later ? c.limit : Math.max(c.limit, c.spent));
  }
  const left = BigInt(income) - committed;
  return left > 0n ? Number(left) : 0;
}

interface ModelPlan {
  end: "debt-free" | "shortfall" | "unfinished";
  months: { paid: number; interest: number; owed: number }[];
  shortfall: { month: string; missing: number } | null;
  interest: number;
}

/** One card, fixed minimum: interest half-up, the minimum (or the balance), then everything up to the balance. */
function payModel(balance: number, apr: number, minimum: number, first: number, later: number): ModelPlan {
  let owed = BigInt(balance);
  let interest = 0n;
  const months: ModelPlan["months"] = [];
  for (let k = 0; k < 600; k++) {
    if (owed === 0n) return { end: "debt-free", months, shortfall: null, interest: Number(interest) };
    const amount = BigInt(k === 0 ? first : later);
    const i = (owed * BigInt(apr) * 2n + 120_000n) / 240_000n;
    const due = BigInt(minimum) < owed + i ? BigInt(minimum) : owed + i;
    if (due > amount) {
      return {
        end: "shortfall",
        months,
        shortfall: { month: monthOf(indexOf(MONTH) + k), missing: Number(due - amount) },
        interest: Number(interest),
      };
    }
    const pay = amount < owed + i ? amount : owed + i;
    owed = owed + i - pay;
    interest += i;
    months.push({ paid: Number(pay), interest: Number(i), owed: Number(owed) });
  }
  return {
    end: owed === 0n ? "debt-free" : "unfinished",
    months,
    shortfall: null,
    interest: Number(interest),
  };
}

/** The month a goal is reached at its pace plus `extra` a month, or null (docs/GOALS.md). */
function goalModel(g: ForecastGoal, extra: number) {
  const remaining = BigInt(Math.max(0, g.targetAmount - g.currentAmount));
  let start = indexOf(g.createdOn.slice(0, 7));
  for (const m of Object.keys(g.monthlyNet)) start = Math.min(start, indexOf(m));
  const window = [1, 2, 3].map((back) => indexOf(MONTH) - back).filter((m) => m >= start);
  const net = window.reduce((a, m) => a + BigInt(g.monthlyNet[monthOf(m)] ?? 0), 0n);
  const k = window.length > 0 ? window.length : extra > 0 ? 1 : 0;
  const total = net + BigInt(extra) * BigInt(k);
  let projected: string | null = null;
  if (remaining > 0n && k > 0 && total > 0n) {
    const n = (remaining * BigInt(k) + total - 1n) / total;
    const index = BigInt(indexOf(MONTH)) + n - 1n;
    if (index <= BigInt(indexOf("2999-12"))) projected = monthOf(Number(index));
  }
  const meets =
    remaining === 0n ||
    (g.targetDate >= TODAY && projected !== null && projected <= g.targetDate.slice(0, 7));
  return { projected, meets };
}

const ba = (before: number, after: number) => ({ before, after, difference: after - before });

describe("forecastChange, generated budgets", () => {
  it("agrees with the model: the money, the plan, the goals, every month and in total", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const categoryLimits = s.categories
          .filter((_, i) => s.changeMask[i])
          .map((c) => ({
            categoryId: c.categoryId,
            limit: s.limitSeeds[Number(c.categoryId.slice(1))] ?? 0,
          }));
        const newLimit = new Map(categoryLimits.map((l) => [l.categoryId, l.limit]));
        const changed = s.categories.map((c) => ({ ...c, limit: newLimit.get(c.categoryId) ?? c.limit }));
        const incomeAfter = s.income + s.incomeChange;
        const a = {
          thisBefore: available(s.income, s.categories, false),
          laterBefore: available(s.income, s.categories, true),
          thisAfter: available(incomeAfter, changed, false),
          laterAfter: available(incomeAfter, changed, true),
        };
        const first = s.goals[0];
        const toGoals = first ? Math.floor(((a.thisAfter + s.extra) * s.goalShare) / 1000) : 0;
        const goalContribution = first ? [{ goalId: first.goalId, monthly: toGoals }] : [];
        const input: ForecastInput = {
          month: MONTH,
          today: TODAY,
          income: s.income,
          categories: s.categories,
          cards: [
            {
              cardId: "card",
              name: "Card",
              balance: s.card.balance,
              aprBasisPoints: s.card.aprBasisPoints,
              minimum: { kind: "fixed", amount: s.card.minimum },
            },
          ],
          strategy: "avalanche",
          goals: s.goals,
          change: {
            categoryLimits,
            incomeChange: s.incomeChange,
            extraDebtPayment: s.extra,
            goalContribution,
          },
          months: s.months,
        };
        const f = forecastChange(input);

        expect(f.income).toEqual(ba(s.income, incomeAfter));
        expect(f.availableForDebtPayoff).toEqual({
          thisMonth: ba(a.thisBefore, a.thisAfter),
          laterMonths: ba(a.laterBefore, a.laterAfter),
        });
        const toDebt = {
          thisBefore: a.thisBefore,
          laterBefore: a.laterBefore,
          thisAfter: a.thisAfter + s.extra - toGoals,
          laterAfter: a.laterAfter + s.extra - toGoals,
        };
        expect(f.toDebtMonthly).toEqual({
          thisMonth: ba(toDebt.thisBefore, toDebt.thisAfter),
          laterMonths: ba(toDebt.laterBefore, toDebt.laterAfter),
        });

        const plans = {
          before: payModel(
            s.card.balance,
            s.card.aprBasisPoints,
            s.card.minimum,
            toDebt.thisBefore,
            toDebt.laterBefore,
          ),
          after: payModel(
            s.card.balance,
            s.card.aprBasisPoints,
            s.card.minimum,
            toDebt.thisAfter,
            toDebt.laterAfter,
          ),
        };
        for (const side of ["before", "after"] as const) {
          const m = plans[side];
          const d = f.debt[side];
          if (m.end === "unfinished") {
            expect(["stalled", "horizon", "runaway"]).toContain(d.end);
            continue;
          }
          expect(d.end).toBe(m.end);
          expect(d.shortfall).toEqual(m.shortfall);
          expect(d.totalInterest).toBe(m.interest);
          if (m.end === "debt-free") {
            expect(d.monthsToDebtFree).toBe(m.months.length);
            expect(d.debtFreeMonth).toBe(
              m.months.length === 0 ? null : monthOf(indexOf(MONTH) + m.months.length - 1),
            );
          }
          // Month by month, as far as the schedule goes: what the plan paid and what was owed after.
          let owed = s.card.balance;
          f.schedule.forEach((row, k) => {
            const month = m.months[k];
            if (month) owed = month.owed;
            expect(row.paidToCards[side]).toBe(month?.paid ?? 0);
            expect(row.interest[side]).toBe(month?.interest ?? 0);
            expect(row.owedAtEnd[side]).toBe(owed);
          });
        }

        expect(f.schedule.map((r) => r.month)).toEqual(
          Array.from({ length: s.months }, (_, k) => monthOf(indexOf(MONTH) + k)),
        );
        f.schedule.forEach((row, k) => {
          expect(row.availableForDebtPayoff).toEqual(
            k === 0 ? ba(a.thisBefore, a.thisAfter) : ba(a.laterBefore, a.laterAfter),
          );
          expect(row.toGoals).toEqual(ba(0, toGoals));
          for (const v of [row.paidToCards, row.interest, row.owedAtEnd])
            expect(v.difference).toBe(v.after - v.before);
        });
        const sum = (pick: (r: (typeof f.schedule)[number]) => { before: number; after: number }) =>
          ba(
            f.schedule.reduce((t, r) => t + pick(r).before, 0),
            f.schedule.reduce((t, r) => t + pick(r).after, 0),
          );
        expect(f.totals).toEqual({
          availableForDebtPayoff: ba(
            a.thisBefore + (s.months - 1) * a.laterBefore,
            a.thisAfter + (s.months - 1) * a.laterAfter,
          ),
          toGoals: ba(0, toGoals * s.months),
          paidToCards: sum((r) => r.paidToCards),
          interest: sum((r) => r.interest),
        });

        s.goals.forEach((g, i) => {
          const out = f.goals[i];
          const extra = i === 0 ? toGoals : 0;
          const b = goalModel(g, 0);
          const after = goalModel(g, extra);
          expect(out?.projectedCompletion.before).toBe(b.projected);
          expect(out?.projectedCompletion.after).toBe(after.projected);
          expect(out?.meetsTargetDate).toEqual({ before: b.meets, after: after.meets });
          expect(out?.monthlyPace.difference).toBe(extra);
          // More money never makes a goal later.
          if (b.projected !== null && after.projected !== null)
            expect(after.projected <= b.projected).toBe(true);
        });
      }),
      { numRuns: 400 },
    );
  });

  it("planPayoffFromFirstMonth with the same amount both ways is planPayoff's plan", () => {
    fc.assert(
      fc.property(
        payoffCards(4),
        fc.integer({ min: 0, max: 300_000 }),
        fc.constantFrom<PayoffStrategy>("avalanche", "snowball", "highest-interest", "minimum-only"),
        (cards, amount, strategy) => {
          const input = { cards, startMonth: START, monthlyAmount: amount, strategy, horizonMonths: 240 };
          const one = planPayoff(input);
          // The split restarts the stall count in its second month: a plan that stalls may stop a month later.
          fc.pre(one.end !== "stalled");
          expect(planPayoffFromFirstMonth(input, amount)).toEqual(one);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("planPayoffFromFirstMonth keeps the plan's totals: paid = owed + interest - remaining", () => {
    fc.assert(
      fc.property(
        payoffCards(4),
        fc.integer({ min: 0, max: 300_000 }),
        fc.integer({ min: 0, max: 300_000 }),
        (cards, first, later) => {
          const input = {
            cards,
            startMonth: START,
            monthlyAmount: later,
            strategy: "avalanche" as const,
            horizonMonths: 240,
          };
          const p: PayoffPlan = planPayoffFromFirstMonth(input, first);
          const owed = cards.reduce((t, c) => t + c.balance, 0);
          expect(p.totalPaid).toBe(owed + p.totalInterest - p.remainingBalance);
          expect(p.cards.reduce((t, c) => t + c.paid, 0)).toBe(p.totalPaid);
          expect(p.cards.reduce((t, c) => t + c.interest, 0)).toBe(p.totalInterest);
          // The first month is paid with its own amount (or what the cards owed, if less).
          const firstMonth = p.schedule[0];
          if (firstMonth)
            expect(firstMonth.cards.reduce((t, c) => t + c.payment, 0)).toBeLessThanOrEqual(first);
          for (const m of p.schedule) for (const c of m.cards) expect(c.balance).toBeGreaterThanOrEqual(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
