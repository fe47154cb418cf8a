import { beforeAll, describe, expect, it } from "vitest";
import { createTools, toolsFor } from "../src/ai/tools";
import type { Principal } from "../src/auth/principal";
import { type ToolRunner, toolRunner } from "./support/ai";
import {
  auditActions,
  type Harness,
  harness,
  ownerItems,
  signup,
  type Account as User,
} from "./support/harness";

/**
 * The AI tools on a fixture user, every figure worked out by hand below. The month is in the
 * future so that no clock changes what it holds: the analytics read it "as of" its first day.
 */
const MONTH = "2030-01";
const TODAY = "2030-01-15";

let h: Harness;
let tools: ToolRunner;
beforeAll(() => {
  h = harness(undefined, { today: () => TODAY });
  tools = toolRunner(h, TODAY);
});

async function ok(u: User, method: string, path: string, body?: unknown, status = 200) {
  const res = await h.call(method, path, { token: u.token, ...(body !== undefined ? { body } : {}) });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

interface Fixture {
  user: User;
  ids: Record<string, string>;
  cardId: string;
  goalId: string;
}

/**
 * Maya: income $3,000; housing $1,200, groceries $500, dining $200, entertainment $100 planned
 * ($2,000). Spent: groceries $300 (FreshMart), dining $320 (Bistro $200 + $120), entertainment $40
 * (Cinema): $660 in all. Committed = 1,200 + 500 + max(200, 320) + 100 = $2,120, so
 * availableForDebtPayoff = 3,000 - 2,120 = $880. A Visa owes $1,000 at 12 % (1 % a month), fixed
 * $50 minimum. An emergency fund has $200 of $1,200, due 2030-12-31.
 */
async function maya(): Promise<Fixture> {
  const user = await signup(h, "Maya");
  const categories = (await ok(user, "GET", "/v1/categories")).items as {
    type: string;
    categoryId: string;
  }[];
  const ids = Object.fromEntries(categories.map((c) => [c.type, c.categoryId]));
  await ok(
    user,
    "POST",
    "/v1/budgets",
    {
      month: MONTH,
      totalIncome: 300_000,
      categories: [
        { categoryId: ids.housing, limit: 120_000 },
        { categoryId: ids.groceries, limit: 50_000 },
        { categoryId: ids.dining, limit: 20_000 },
        { categoryId: ids.entertainment, limit: 10_000 },
      ],
    },
    201,
  );
  const spend = (date: string, amount: number, type: string, merchant: string) =>
    ok(
      user,
      "POST",
      "/v1/transactions",
      { date, amount, type: "expense", categoryId: ids[type], merchant },
      201,
    );
  await spend(`${MONTH}-05`, 30_000, "groceries", "FreshMart");
  await spend(`${MONTH}-08`, 20_000, "dining", "Bistro");
  await spend(`${MONTH}-10`, 12_000, "dining", "Bistro");
  await spend(`${MONTH}-12`, 4_000, "entertainment", "Cinema");
  const card = await ok(
    user,
    "POST",
    "/v1/cards",
    {
      name: "Visa",
      balance: 100_000,
      aprBasisPoints: 1200,
      creditLimit: 400_000,
      dueDay: 20,
      minimumPayment: { kind: "fixed", amount: 5_000 },
    },
    201,
  );
  const goal = await ok(
    user,
    "POST",
    "/v1/goals",
    { name: "Emergency fund", targetAmount: 120_000, currentAmount: 20_000, targetDate: "2030-12-31" },
    201,
  );
  return { user, ids: ids as Record<string, string>, cardId: card.cardId, goalId: goal.goalId };
}

let fx: Fixture;
beforeAll(async () => {
  fx = await maya();
});

describe("get_user_context", () => {
  it("gives the brief's shape: the budget, the cards, the goals and the bills, from the user's own data", async () => {
    const out = await tools.ok(fx.user, "get_user_context", { month: MONTH });
    expect(out.budget).toMatchObject({
      totalIncome: 300_000,
      totalBudgeted: 200_000,
      totalExpenses: 66_000,
      availableForDebtPayoff: 88_000,
    });
    const dining = out.budget.categories.find((c: { name: string }) => c.name === "Dining");
    expect(dining).toMatchObject({ limit: 20_000, spent: 32_000, remaining: -12_000, status: "over" });
    expect(out.cards).toEqual([
      expect.objectContaining({
        cardId: fx.cardId,
        name: "Visa",
        balance: 100_000,
        aprBasisPoints: 1200,
        minimumDue: 5_000,
      }),
    ]);
    expect(out).toMatchObject({ month: MONTH, currency: "USD", totalOwed: 100_000, totalMinimumDue: 5_000 });
    // $1,000 still to save over the 12 months of 2030, rounded up to the cent: 100,000 / 12 = 8,333.33.
    expect(out.goals).toEqual([
      expect.objectContaining({ goalId: fx.goalId, remaining: 100_000, requiredMonthly: 8_334 }),
    ]);
    expect(out.upcomingBills.items).toEqual([]);
  });

  it("defaults to today's month, and says so when the month has no budget", async () => {
    const other = await signup(h);
    const out = await tools.ok(other, "get_user_context");
    expect(out).toMatchObject({
      month: MONTH,
      today: TODAY,
      budget: null,
      cards: [],
      goals: [],
      totalOwed: 0,
    });
  });
});

describe("analyze_budget", () => {
  it("finds the overspending and the changes that free a given amount", async () => {
    const out = await tools.ok(fx.user, "analyze_budget", { month: MONTH, free: 10_000 });
    expect(out.overspent).toEqual([
      { categoryId: fx.ids.dining, name: "Dining", limit: 20_000, spent: 32_000, overBy: 12_000 },
    ]);
    expect(out.totalOverspent).toBe(12_000);
    expect(out.totals).toMatchObject({
      plannedIncome: 300_000,
      expenses: 66_000,
      availableForDebtPayoff: 88_000,
    });
    // The month has not begun (as of its first day), so every limit's room is unused: housing has the
    // most ($1,200), and moving $120 of it onto dining's overrun frees $120 for the cards.
    expect(out.recommendations).toEqual([
      expect.objectContaining({
        categoryId: fx.ids.dining,
        name: "Dining",
        action: "reallocate",
        amount: 12_000,
        fromCategoryId: fx.ids.housing,
        fromName: "Housing",
        rule: "over-budget",
      }),
    ]);
    expect(out.toFree).toMatchObject({ target: 10_000, freed: 12_000, enough: true, missing: 0 });
    expect(out.toFree.changes).toHaveLength(1);
  });

  it("says plainly when the recommendations cannot free enough", async () => {
    const out = await tools.ok(fx.user, "analyze_budget", { month: MONTH, free: 50_000 });
    expect(out.toFree).toMatchObject({ target: 50_000, freed: 12_000, enough: false, missing: 38_000 });
  });
});

describe("calculate_payoff", () => {
  it("compares the strategies with the money the budget leaves, and lays out this month's payments", async () => {
    const out = await tools.ok(fx.user, "calculate_payoff", { month: MONTH });
    expect(out).toMatchObject({
      monthlyAmount: 88_000,
      source: "budget",
      availableForDebtPayoff: 88_000,
      minimumsDue: 5_000,
      totalOwed: 100_000,
      shortfall: null,
    });
    // By hand at 1 % a month: January's interest is 1,000 cents, 101,000 - 88,000 = 13,000 left;
    // February's is 130, and 13,130 pays it off. Interest: 1,000 + 130 = 1,130.
    expect(out.chosen).toMatchObject({
      monthsToDebtFree: 2,
      debtFreeMonth: "2030-02",
      totalInterest: 1_130,
      thisMonth: {
        month: MONTH,
        payments: [
          { cardId: fx.cardId, name: "Visa", payment: 88_000, interest: 1_000, balanceAfter: 13_000 },
        ],
      },
      balances: [
        { month: "2030-01", total: 13_000 },
        { month: "2030-02", total: 0 },
      ],
    });
    // With one card every strategy pays it the same way.
    expect(out.strategies.map((s: { strategy: string }) => s.strategy).sort()).toEqual([
      "avalanche",
      "highest-interest",
      "snowball",
    ]);
    for (const s of out.strategies)
      expect(s).toMatchObject({ totalInterest: 1_130, debtFreeMonth: "2030-02" });
    expect(out.minimumOnly.totalInterest).toBeGreaterThan(1_130);
    expect(out.whatIf).toBeNull();
  });

  it("answers a what-if: $120 more a month saves 1,130 - 1,010 = $1.20 of interest", async () => {
    // 100,000 a month: 101,000 - 100,000 = 1,000 left; then 10 interest, 1,010 paid: 1,010 of interest.
    const out = await tools.ok(fx.user, "calculate_payoff", { month: MONTH, extraMonthly: 12_000 });
    expect(out.whatIf).toMatchObject({
      extraMonthly: 12_000,
      current: { monthsToDebtFree: 2, totalInterest: 1_130 },
      withChange: { monthsToDebtFree: 2, totalInterest: 1_010 },
      monthsSaved: 0,
      interestSaved: 120,
    });
  });

  it("reads the cards and the budget once for the comparison, the plan and the what-if", async () => {
    const reads = () => h.commands.filter((c) => JSON.stringify(c.input).includes(`BUDGET#${MONTH}`)).length;
    const before = reads();
    await tools.services.debt.compare(fx.user.owner, { month: MONTH });
    const onePlan = reads() - before;
    expect(onePlan).toBeGreaterThan(0);
    const start = reads();
    await tools.ok(fx.user, "calculate_payoff", { month: MONTH, extraMonthly: 12_000 });
    expect(reads() - start).toBe(onePlan);
  });

  it("plans with a monthly amount given instead of the budget's", async () => {
    const out = await tools.ok(fx.user, "calculate_payoff", { month: MONTH, monthly: 5_000 });
    expect(out).toMatchObject({ monthlyAmount: 5_000, source: "override" });
    expect(out.chosen.thisMonth.payments[0]).toMatchObject({
      payment: 5_000,
      interest: 1_000,
      balanceAfter: 96_000,
    });
  });
});

describe("find_transactions and spending_by", () => {
  it("finds the user's own transactions by category, with their total", async () => {
    const out = await tools.ok(fx.user, "find_transactions", { month: MONTH, category: "dining" });
    expect(out.items.map((t: { amount: number; date: string }) => [t.date, t.amount])).toEqual([
      ["2030-01-10", 12_000],
      ["2030-01-08", 20_000],
    ]);
    expect(out).toMatchObject({ count: 2, totals: { expense: 32_000 }, nextCursor: null });
  });

  it("totals spending by category, by merchant and by month", async () => {
    const byCategory = await tools.ok(fx.user, "spending_by", { by: "category", from: MONTH });
    expect(byCategory.rows.map((r: { name: string; amount: number }) => [r.name, r.amount])).toEqual([
      ["Dining", 32_000],
      ["Groceries", 30_000],
      ["Entertainment", 4_000],
    ]);
    expect(byCategory.total).toBe(66_000);
    const byMerchant = await tools.ok(fx.user, "spending_by", { by: "merchant", from: MONTH });
    expect(byMerchant.rows).toEqual([
      { key: "Bistro", name: "Bistro", amount: 32_000, count: 2 },
      { key: "FreshMart", name: "FreshMart", amount: 30_000, count: 1 },
      { key: "Cinema", name: "Cinema", amount: 4_000, count: 1 },
    ]);
    const byMonth = await tools.ok(fx.user, "spending_by", { by: "month", from: "2029-12", to: MONTH });
    expect(byMonth.rows.map((r: { key: string; amount: number }) => [r.key, r.amount])).toEqual([
      ["2029-12", 0],
      ["2030-01", 66_000],
    ]);
  });

  it("refuses a range the wrong way round or too long, naming the field", async () => {
    const backwards = await tools.run(fx.user, "spending_by", { by: "category", from: MONTH, to: "2029-01" });
    expect(backwards).toEqual({ ok: false, error: expect.stringContaining("from: must not be after to") });
    const long = await tools.run(fx.user, "spending_by", { by: "merchant", from: "2028-01", to: MONTH });
    expect(long).toEqual({ ok: false, error: expect.stringContaining("to must be within 12 months") });
  });
});

describe("write tools", () => {
  it("adds a transaction exactly as the API does, audited, once per call id", async () => {
    const u = await signup(h);
    const input = { date: `${MONTH}-03`, amount: 1_250, type: "expense", merchant: "Corner Cafe" };
    const first = await tools.ok(u, "add_transaction", input, "call-1");
    const again = await tools.ok(u, "add_transaction", input, "call-1");
    expect(again.created.transactionId).toBe(first.created.transactionId);
    const listed = await ok(u, "GET", `/v1/transactions?month=${MONTH}`);
    expect(listed.items.map((t: { amount: number }) => t.amount)).toEqual([1_250]);
    expect(await auditActions(h.store, u.owner)).toContain("transaction.create");
  });

  it("refuses bad input naming the field, and writes nothing", async () => {
    const u = await signup(h);
    const before = await ownerItems(h.store, u.owner);
    const out = await tools.run(u, "add_transaction", { date: `${MONTH}-03`, amount: -5, type: "expense" });
    expect(out).toEqual({ ok: false, error: expect.stringContaining("amount:") });
    expect(await ownerItems(h.store, u.owner)).toEqual(before);
  });

  it("sets a category limit and answers the new money for debt", async () => {
    const u = await maya();
    // Dining to $350: committed 1,200 + 500 + 350 + 100 = 2,150; 3,000 - 2,150 = $850.
    const out = await tools.ok(u.user, "set_category_limit", {
      month: MONTH,
      categoryId: u.ids.dining,
      limit: 35_000,
    });
    expect(out).toMatchObject({
      category: { name: "Dining", limit: 35_000, spent: 32_000 },
      totalBudgeted: 215_000,
      availableForDebtPayoff: 85_000,
    });
    expect(await auditActions(h.store, u.user.owner)).toContain("budget.category.update");
  });

  it("creates a goal with what it needs a month", async () => {
    const u = await signup(h);
    const out = await tools.ok(u, "create_goal", {
      name: "Holiday",
      targetAmount: 60_000,
      targetDate: "2030-06-30",
    });
    // January to June 2030: six months, $600 / 6 = $100.
    expect(out.created).toMatchObject({ name: "Holiday", remaining: 60_000, requiredMonthly: 10_000 });
  });

  it("are refused to a read-only principal, and absent from what it is offered", async () => {
    const u = await signup(h);
    const reader: Principal = {
      ...(await h.tokens.verify(u.token)),
      scope: "read",
      via: "personal-access-token",
    };
    const out = await tools.run(reader, "create_goal", {
      name: "X",
      targetAmount: 100,
      targetDate: "2030-06-30",
    });
    expect(out).toEqual({ ok: false, error: expect.stringContaining("needs scope write") });
    expect((await ownerItems(h.store, u.owner)).filter((i) => String(i.SK).startsWith("GOAL#"))).toEqual([]);
    const offered = toolsFor(createTools(tools.services), reader).map((t) => t.name);
    expect(offered).toContain("get_user_context");
    expect(offered).not.toContain("add_transaction");
    expect(offered).not.toContain("set_category_limit");
    expect(offered).not.toContain("create_goal");
  });
});

describe("tenant isolation", () => {
  it("never reads or changes another user's data, whatever ids the input names", async () => {
    const other = await signup(h);
    const context = await tools.ok(other, "get_user_context", { month: MONTH });
    expect(context).toMatchObject({ budget: null, cards: [], goals: [] });
    const found = await tools.ok(other, "find_transactions", { month: MONTH });
    expect(found.items).toEqual([]);
    const spending = await tools.ok(other, "spending_by", { by: "merchant", from: MONTH });
    expect(spending).toMatchObject({ rows: [], total: 0 });
    await ok(other, "POST", "/v1/budgets", { month: MONTH, totalIncome: 100_000 }, 201);
    const theirs = await tools.run(other, "set_category_limit", {
      month: MONTH,
      categoryId: fx.ids.dining,
      limit: 1,
    });
    expect(theirs).toEqual({ ok: false, error: expect.stringMatching(/not found/i) });
    const moved = await tools.run(other, "add_transaction", {
      date: `${MONTH}-03`,
      amount: 100,
      type: "expense",
      accountId: fx.cardId,
    });
    expect(moved.ok).toBe(false);
    // Maya's figures are as they were.
    const mine = await tools.ok(fx.user, "get_user_context", { month: MONTH });
    expect(mine.budget.availableForDebtPayoff).toBe(88_000);
    expect(mine.cards[0].balance).toBe(100_000);
  });
});
