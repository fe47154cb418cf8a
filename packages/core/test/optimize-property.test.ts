import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type OptimizeCategory, optimizeCategories } from "../src/optimize";

// Properties of optimizeCategories over generated budgets, against a model written here from the
// rules alone (docs/AI.md): each category's floors found directly, the cuts made by picking the
// largest room again and again (rather than by sorting), and the money recomputed from scratch.

const GROUPS = ["essential", "discretionary", "savings", "debt"] as const;

const category = (i: number): fc.Arbitrary<OptimizeCategory> =>
  fc
    .record({
      // Few names, so ties in room and name are common and the id has to settle them.
      name: fc.constantFrom("Alpha", "Beta", "Gamma"),
      group: fc.constantFrom(...GROUPS),
      limit: fc.integer({ min: 0, max: 100_000 }),
      spent: fc.integer({ min: -5_000, max: 150_000 }),
      history: fc.option(
        fc.record({
          average: fc.integer({ min: -1_000, max: 150_000 }),
          months: fc.integer({ min: 0, max: 3 }),
        }),
        { nil: null },
      ),
      bills: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 50_000 })),
    })
    .map((r) => ({
      categoryId: `id-${String.fromCharCode(105 - i)}`,
      name: r.name,
      group: r.group,
      limit: r.limit,
      spent: r.spent,
      historyAverage: r.history?.average ?? null,
      historyMonths: r.history?.months ?? 0,
      bills: r.bills,
    }));

const budget = fc
  .integer({ min: 1, max: 8 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => category(i))))
  .chain((categories) =>
    fc.record({
      categories: fc.constant(categories),
      income: fc.integer({ min: 0, max: 1_000_000 }),
      protect: fc.subarray(categories.map((c) => c.categoryId)),
      target: fc.option(fc.integer({ min: 0, max: 300_000 }), { nil: undefined }),
    }),
  );

interface ModelCategory {
  id: string;
  name: string;
  limit: number;
  /** Never below. */
  hard: number;
  /** Recent need, or null without history. */
  need: number | null;
  fixed: boolean;
  discretionary: boolean;
}

function modelOf(c: OptimizeCategory, protect: readonly string[]): ModelCategory {
  let hard = 0;
  if (c.spent > hard) hard = c.spent;
  if (c.bills > hard) hard = c.bills;
  let need: number | null = null;
  if (c.historyMonths > 0 && c.historyAverage !== null) need = Math.max(c.historyAverage, hard);
  return {
    id: c.categoryId,
    name: c.name,
    limit: c.limit,
    hard,
    need,
    fixed: c.group === "debt" || c.group === "savings" || protect.includes(c.categoryId),
    discretionary: c.group === "discretionary",
  };
}

/** The lowest each category may go: kept, its need, or (discretionary) what it spent and its bills. */
function lowest(m: ModelCategory): number {
  if (m.fixed) return m.limit;
  if (m.discretionary) return Math.min(m.limit, m.hard);
  return m.need === null ? m.limit : Math.min(m.limit, m.need);
}

const before = (a: string, b: string) => a < b;

/** Takes the largest room left, again and again, unused rooms before habit ones. */
function modelCuts(cats: ModelCategory[], target: number | undefined): Map<string, number> {
  const to = new Map(cats.map((m) => [m.id, m.limit]));
  let left = target ?? Number.POSITIVE_INFINITY;
  const rooms = [
    cats.map((m) => ({ m, room: !m.fixed && m.need !== null && m.limit > m.need ? m.limit - m.need : 0 })),
    cats.map((m) => {
      if (m.fixed || !m.discretionary) return { m, room: 0 };
      const top = m.need === null || m.need > m.limit ? m.limit : m.need;
      return { m, room: top > m.hard ? top - m.hard : 0 };
    }),
  ];
  for (const tier of rooms) {
    const open = tier.filter((r) => r.room > 0);
    while (open.length > 0 && left > 0) {
      let best = 0;
      for (let i = 1; i < open.length; i++) {
        const a = open[i] as (typeof open)[number];
        const b = open[best] as (typeof open)[number];
        if (
          a.room > b.room ||
          (a.room === b.room &&
            (before(a.m.name, b.m.name) || (a.m.name === b.m.name && before(a.m.id, b.m.id))))
        )
          best = i;
      }
      const [r] = open.splice(best, 1);
      if (!r) break;
      const take = Math.min(r.room, left);
      to.set(r.m.id, (to.get(r.m.id) ?? 0) - take);
      left -= take;
    }
  }
  return to;
}

describe("optimizeCategories, generated budgets", () => {
  it("matches the model cut for cut, and keeps every rule", () => {
    fc.assert(
      fc.property(budget, ({ categories, income, protect, target }) => {
        const o = optimizeCategories({
          currency: "USD",
          income,
          categories,
          protect: new Map(protect.map((id) => [id, "protected at your request"])),
          ...(target !== undefined ? { target } : {}),
        });
        const models = categories.map((c) => modelOf(c, protect));
        const expected = modelCuts(models, target);
        expect(Object.fromEntries(o.categories.map((c) => [c.categoryId, c.to]))).toEqual(
          Object.fromEntries(expected),
        );

        let freed = 0;
        let most = 0;
        o.categories.forEach((p, i) => {
          const c = categories[i] as OptimizeCategory;
          const m = models[i] as ModelCategory;
          expect(p.categoryId).toBe(c.categoryId);
          expect(p.from).toBe(c.limit);
          expect(p.change).toBe(p.to - p.from);
          // Only cuts; never a protected, savings or debt-group category; never below spending or bills.
          expect(p.to).toBeLessThanOrEqual(p.from);
          if (m.fixed) expect(p.to).toBe(p.from);
          expect(p.to).toBeGreaterThanOrEqual(Math.min(c.limit, m.hard));
          // An essential: down to its need at most, and kept without history.
          if (c.group === "essential" && !m.fixed) {
            if (m.need === null) expect(p.to).toBe(p.from);
            else expect(p.to).toBeGreaterThanOrEqual(Math.min(c.limit, m.need));
          }
          expect(p.floor).toBe(lowest(m));
          expect(p.reason.length).toBeGreaterThan(0);
          freed += p.from - p.to;
          most += c.limit - lowest(m);
        });
        expect(o.freed).toBe(freed);
        expect(o.categories.reduce((a, p) => a + p.change, 0) + freed).toBe(0);
        // As much as the rules allow, or the target when that is less.
        expect(o.freed).toBe(target === undefined ? most : Math.min(target, most));
        expect(o.targetMet).toBe(target === undefined ? null : freed >= target);
        expect(o.shortBy).toBe(target === undefined ? 0 : Math.max(0, target - freed));

        // The money recomputed from scratch: outside the debt group, max(limit, spent) this month
        // and the limit in a later month, kept.
        let thisBefore = 0;
        let thisAfter = 0;
        let laterBefore = 0;
        let laterAfter = 0;
        o.categories.forEach((p, i) => {
          const c = categories[i] as OptimizeCategory;
          if (c.group === "debt") return;
          thisBefore += Math.max(c.limit, c.spent);
          thisAfter += Math.max(p.to, c.spent);
          laterBefore += c.limit;
          laterAfter += p.to;
        });
        const left = (committed: number) => (income > committed ? income - committed : 0);
        expect(o.availableThisMonth).toEqual({
          before: left(thisBefore),
          after: left(thisAfter),
          difference: left(thisAfter) - left(thisBefore),
        });
        expect(o.availableLaterMonths).toEqual({
          before: left(laterBefore),
          after: left(laterAfter),
          difference: left(laterAfter) - left(laterBefore),
        });
      }),
      { numRuns: 500 },
    );
  });

  it("cuts below history only once every unused limit is taken", () => {
    fc.assert(
      fc.property(budget, ({ categories, income, protect, target }) => {
        const o = optimizeCategories({
          currency: "USD",
          income,
          categories,
          protect: new Map(protect.map((id) => [id, "protected"])),
          ...(target !== undefined ? { target } : {}),
        });
        const models = categories.map((c) => modelOf(c, protect));
        const habitCut = o.categories.some((p, i) => {
          const m = models[i] as ModelCategory;
          return m.discretionary && !m.fixed && p.to < Math.min(m.limit, m.need ?? m.limit);
        });
        if (!habitCut) return;
        o.categories.forEach((p, i) => {
          const m = models[i] as ModelCategory;
          if (!m.fixed && m.need !== null && m.limit > m.need) expect(p.to).toBeLessThanOrEqual(m.need);
        });
      }),
      { numRuns: 300 },
    );
  });

  it("the same budget in any order gives the same proposal", () => {
    fc.assert(
      fc.property(
        budget.chain((b) =>
          fc.record({
            b: fc.constant(b),
            order: fc.shuffledSubarray(b.categories, { minLength: b.categories.length }),
          }),
        ),
        ({ b, order }) => {
          const run = (categories: OptimizeCategory[]) =>
            new Map(
              optimizeCategories({
                currency: "USD",
                income: b.income,
                categories,
                protect: new Map(b.protect.map((id) => [id, "protected"])),
                ...(b.target !== undefined ? { target: b.target } : {}),
              }).categories.map((p) => [p.categoryId, { to: p.to, reason: p.reason }]),
            );
          expect(run(order)).toEqual(run(b.categories));
        },
      ),
      { numRuns: 300 },
    );
  });
});
