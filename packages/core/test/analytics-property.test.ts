import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type AnalyticsInput, type AnalyticsTransaction, computeMonthAnalytics } from "../src/analytics";
// Only to store a transfer's legs the way the transactions service does; the model below works
// from the accounts themselves, never from what the legs say.
import { type AccountKind, transferLegs } from "../src/ledger";
import { CATEGORIES } from "./support/analytics-fixtures";

// Properties of computeMonthAnalytics over generated months, checked against a model of the
// DESIGN.md money rules written here from scratch.

interface Account {
  onBudget: boolean;
  type: AccountKind;
}
const ACCOUNTS: Record<string, Account> = {
  checking: { onBudget: true, type: "checking" },
  savings: { onBudget: true, type: "savings" },
  cash: { onBudget: true, type: "cash" },
  card: { onBudget: true, type: "credit-card" },
  otherCard: { onBudget: true, type: "credit-card" },
  brokerage: { onBudget: false, type: "savings" },
  trackedCard: { onBudget: false, type: "credit-card" },
};
const ACCOUNT_NAMES = Object.keys(ACCOUNTS);
const account = (name: string): Account => {
  const found = ACCOUNTS[name];
  if (!found) throw new Error(`no account ${name}`);
  return found;
};

/** Months of every length, each with the one before and after (for `today`), and its days. */
const MONTHS = [
  { month: "2024-02", days: 29, before: "2024-01-31", after: "2024-03-01" },
  { month: "2025-02", days: 28, before: "2025-01-31", after: "2025-03-01" },
  { month: "2025-04", days: 30, before: "2025-03-31", after: "2025-05-01" },
  { month: "2025-06", days: 30, before: "2025-05-31", after: "2025-07-01" },
  { month: "2025-12", days: 31, before: "2025-11-30", after: "2026-01-01" },
] as const;
type MonthCase = (typeof MONTHS)[number];

/** Known categories of every group, one the user does not have (any more), and none. */
const CATEGORY_IDS = [...CATEGORIES.keys(), "gone"];
const GROUP: Record<string, string> = {
  groceries: "essential",
  rent: "essential",
  dining: "discretionary",
  entertainment: "discretionary",
  coffee: "discretionary",
  emergency: "savings",
  cards: "debt",
  gone: "discretionary",
  uncategorized: "discretionary",
};

type Movement =
  | {
      kind: "expense" | "refund" | "income";
      account: string;
      day: number;
      amount: number;
      categoryId: string | null;
      parts: [string, number][] | null;
      merchantKey: string | null;
    }
  | {
      kind: "transfer";
      from: string;
      to: string;
      day: number;
      amount: number;
      categoryId: string | null;
      merchantKey: string | null;
    };

const cents = fc.integer({ min: 1, max: 200_000 });
const categoryId = fc.option(fc.constantFrom(...CATEGORY_IDS), { freq: 5 });
const merchantKey = fc.option(fc.constantFrom("amazon", "netflix", "cafe", "market", "gym"), { freq: 3 });
const day = fc.integer({ min: 1, max: 31 });

const movement = (kinds: readonly ("expense" | "refund" | "income")[], withTransfers: boolean) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .record({
          kind: fc.constantFrom(...kinds),
          account: fc.constantFrom(...ACCOUNT_NAMES),
          day,
          amount: cents,
          categoryId,
          parts: fc.option(
            fc.array(fc.tuple(fc.constantFrom(...CATEGORY_IDS), fc.integer({ min: 1, max: 50_000 })), {
              minLength: 2,
              maxLength: 4,
            }),
            { freq: 4 },
          ),
          merchantKey,
        })
        .map((m): Movement => (m.parts ? { ...m, amount: m.parts.reduce((s, [, a]) => s + a, 0) } : m)),
    },
    {
      weight: withTransfers ? 2 : 0,
      arbitrary: fc
        .record({
          kind: fc.constant("transfer" as const),
          from: fc.constantFrom(...ACCOUNT_NAMES),
          to: fc.constantFrom(...ACCOUNT_NAMES),
          day,
          amount: cents,
          categoryId,
          merchantKey,
        })
        .filter((m) => m.from !== m.to),
    },
  );

/** The stored transactions of the movements: one per movement, two legs per transfer. */
function transactions(movements: readonly Movement[], m: MonthCase): AnalyticsTransaction[] {
  const out: AnalyticsTransaction[] = [];
  movements.forEach((mv, i) => {
    const base = {
      transactionId: `t${i}`,
      date: `${m.month}-${String(Math.min(mv.day, m.days)).padStart(2, "0")}`,
      amount: mv.amount,
      merchant: mv.merchantKey?.toUpperCase() ?? null,
      merchantKey: mv.merchantKey,
    };
    if (mv.kind === "transfer") {
      const from = account(mv.from);
      const to = account(mv.to);
      const legs = transferLegs(from, to);
      out.push(
        {
          ...base,
          type: "transfer",
          categoryId: mv.categoryId,
          splits: null,
          onBudget: from.onBudget,
          transfer: legs.out,
        },
        {
          ...base,
          transactionId: `t${i}-in`,
          type: "transfer",
          categoryId: null,
          splits: null,
          onBudget: to.onBudget,
          transfer: legs.in,
        },
      );
      return;
    }
    out.push({
      ...base,
      type: mv.kind,
      categoryId: mv.parts ? null : mv.categoryId,
      splits: mv.parts?.map(([id, amount]) => ({ categoryId: id, amount })) ?? null,
      onBudget: account(mv.account).onBudget,
      transfer: null,
    });
  });
  return out;
}

/**
 * DESIGN.md's rules, straight: on a budget account an expense is spending (per split part), a
 * refund takes spending back, income is income; an off-budget account's own transactions are
 * nothing. A transfer leaving the budget for an off-budget account is spending (in its category),
 * one arriving from such an account is income, and money into a card from an account that is not
 * a card is paid to debt.
 */
function model(movements: readonly Movement[]) {
  let income = 0;
  let expenses = 0;
  let paidToDebt = 0;
  let records = 0;
  const spent = new Map<string, number>();
  const spend = (id: string | null, amount: number) => {
    const key = id ?? "uncategorized";
    spent.set(key, (spent.get(key) ?? 0) + amount);
    expenses += amount;
  };
  for (const mv of movements) {
    if (mv.kind === "transfer") {
      records += 2;
      const from = account(mv.from);
      const to = account(mv.to);
      if (from.onBudget && !to.onBudget) spend(mv.categoryId, mv.amount);
      if (!from.onBudget && to.onBudget) income += mv.amount;
      if (to.type === "credit-card" && from.type !== "credit-card") paidToDebt += mv.amount;
      continue;
    }
    records += 1;
    if (!account(mv.account).onBudget) continue;
    if (mv.kind === "income") {
      income += mv.amount;
      continue;
    }
    const sign = mv.kind === "refund" ? -1 : 1;
    for (const [id, amount] of mv.parts ?? [[mv.categoryId, mv.amount] as const]) spend(id, sign * amount);
  }
  return { income, expenses, paidToDebt, records, spent };
}

const budget = fc.option(
  fc.record({
    totalIncome: fc.integer({ min: 0, max: 1_000_000 }),
    allocations: fc.uniqueArray(
      fc.record({
        categoryId: fc.constantFrom(...CATEGORY_IDS),
        limit: fc.integer({ min: 0, max: 150_000 }),
      }),
      { selector: (a) => a.categoryId, maxLength: CATEGORY_IDS.length },
    ),
  }),
  { freq: 5 },
);

const history = (m: MonthCase) =>
  fc
    .array(
      fc.record({
        count: fc.integer({ min: 0, max: 3 }),
        spentByCategory: fc.dictionary(
          fc.constantFrom(...CATEGORY_IDS),
          fc.integer({ min: -5_000, max: 150_000 }),
        ),
      }),
      { minLength: 3, maxLength: 3 },
    )
    .map((months) => {
      const [y, mo] = m.month.split("-").map(Number) as [number, number];
      return months.map((h, i) => {
        const index = y * 12 + mo - 1 - (i + 1);
        return { ...h, month: `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}` };
      });
    });

const month = (kinds: readonly ("expense" | "refund" | "income")[], withTransfers: boolean) =>
  fc
    .constantFrom(...MONTHS)
    .chain((m) =>
      fc.record({
        m: fc.constant(m),
        movements: fc.array(movement(kinds, withTransfers), { maxLength: 40 }),
        budget,
        history: history(m),
        today: fc.oneof(
          fc.constantFrom(m.before, m.after),
          fc.integer({ min: 1, max: m.days }).map((d) => `${m.month}-${String(d).padStart(2, "0")}`),
        ),
      }),
    )
    .map(({ m, movements, budget, history, today }) => {
      const input: AnalyticsInput = {
        month: m.month,
        currency: "USD",
        budget,
        categories: CATEGORIES,
        transactions: transactions(movements, m),
        history,
        priorCharges: [],
        today,
      };
      return { m, movements, input };
    });

const everything = month(["expense", "refund", "income"], true);

describe("month analytics, over generated months", () => {
  it("(a) the categories' spending adds up to the month's expenses", () => {
    fc.assert(
      fc.property(everything, ({ input }) => {
        const f = computeMonthAnalytics(input);
        expect(f.categories.reduce((sum, c) => sum + c.spent, 0)).toBe(f.totals.expenses);
        expect(f.categories.reduce((sum, c) => sum + c.budgeted, 0)).toBe(f.totals.budgeted);
      }),
    );
  });

  it("(b) the days' spending adds up to the expenses, and so does the last day's running total", () => {
    fc.assert(
      fc.property(everything, ({ m, input }) => {
        const f = computeMonthAnalytics(input);
        expect(f.daily).toHaveLength(m.days);
        expect(f.daily.reduce((sum, d) => sum + d.spent, 0)).toBe(f.totals.expenses);
        const last = f.daily[m.days - 1];
        expect(last?.cumulative).toBe(f.totals.expenses);
        expect(last?.pace).toBe(f.totals.budgeted);
        f.daily.forEach((d, i) => {
          expect(d.date).toBe(`${m.month}-${String(i + 1).padStart(2, "0")}`);
          if (i > 0) expect(d.pace).toBeGreaterThanOrEqual(f.daily[i - 1]?.pace ?? 0);
        });
      }),
    );
  });

  it("(c) income, expenses, paid to debt and each category's spending are what the rules say", () => {
    fc.assert(
      fc.property(everything, ({ movements, input }) => {
        const f = computeMonthAnalytics(input);
        const expected = model(movements);
        expect(f.totals.actualIncome).toBe(expected.income);
        expect(f.totals.expenses).toBe(expected.expenses);
        expect(f.totals.paidToDebt).toBe(expected.paidToDebt);
        expect(f.totals.transactionCount).toBe(expected.records);
        const shown = new Map(f.categories.map((c) => [c.categoryId, c.spent]));
        for (const [id, spent] of expected.spent) expect(shown.get(id) ?? 0).toBe(spent);
        for (const [id, spent] of shown) expect(spent).toBe(expected.spent.get(id) ?? 0);
      }),
      { numRuns: 200 },
    );
  });

  it("(d) recommendations add up, are positive, and never take more than a donor's room", () => {
    fc.assert(
      fc.property(everything, ({ m, input }) => {
        const f = computeMonthAnalytics(input);
        const recs = f.recommendations;
        expect(f.potentialSavings).toBe(recs.reduce((sum, r) => sum + r.amount, 0));

        const first = `${m.month}-01`;
        const elapsed =
          input.today < first
            ? 0
            : input.today > `${m.month}-${m.days}`
              ? m.days
              : Number(input.today.slice(8));
        const byId = new Map(f.categories.map((c) => [c.categoryId, c]));
        const taken = new Map<string, number>();
        const given = new Map<string, number>();
        for (const r of recs) {
          expect(Number.isSafeInteger(r.amount) && r.amount > 0).toBe(true);
          given.set(r.categoryId, (given.get(r.categoryId) ?? 0) + (r.rule === "over-budget" ? r.amount : 0));
          if (r.action !== "reallocate") continue;
          expect(r.fromCategoryId).toBeDefined();
          expect(r.fromCategoryId).not.toBe(r.categoryId);
          const id = r.fromCategoryId as string;
          taken.set(id, (taken.get(id) ?? 0) + r.amount);
        }
        for (const [id, amount] of taken) {
          const donor = byId.get(id);
          expect(donor).toBeDefined();
          if (!donor) continue;
          expect(["essential", "discretionary"]).toContain(GROUP[id]);
          const projected =
            donor.spent > 0 && elapsed > 0 && elapsed < m.days
              ? Math.ceil((donor.spent * m.days) / elapsed)
              : donor.spent;
          const room = donor.budgeted - Math.max(0, projected);
          expect(amount).toBeLessThanOrEqual(room);
          expect(given.get(id) ?? 0).toBe(0);
        }
        for (const [id, amount] of given) {
          const c = byId.get(id);
          if (!c || amount === 0) continue;
          expect(GROUP[id]).not.toBe("debt");
          const over = c.spent - c.budgeted;
          // A discretionary category is covered in full (moved limit, then a cut); others at most.
          if (GROUP[id] === "discretionary") expect(amount).toBe(over);
          else expect(amount).toBeLessThanOrEqual(over);
        }
        for (const r of recs)
          if (r.rule === "above-history") expect(GROUP[r.categoryId]).toBe("discretionary");
      }),
      { numRuns: 200 },
    );
  });

  it("(e) the top merchants spend no more than the month when nothing is refunded", () => {
    fc.assert(
      fc.property(month(["expense", "income"], false), ({ input }) => {
        const f = computeMonthAnalytics(input);
        expect(f.topMerchants.length).toBeLessThanOrEqual(10);
        expect(f.topMerchants.reduce((sum, t) => sum + t.spent, 0)).toBeLessThanOrEqual(f.totals.expenses);
        for (const t of f.topMerchants) {
          expect(t.spent).toBeGreaterThan(0);
          expect(t.share ?? 0).toBeLessThanOrEqual(100);
        }
      }),
    );
  });
});
