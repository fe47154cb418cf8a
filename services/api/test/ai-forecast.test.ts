import { addMonths } from "@tyche/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTools, runTool, type ToolOutcome } from "../src/ai/tools";
import { toolContext } from "../src/ai/tools/tool";
import { createServices, type Services } from "../src/services";
import { LocalFileStorage } from "../src/storage/files";
import { type Harness, harness, signup, type Account as User } from "./support/harness";

// forecast_savings and optimize_categories on DynamoDB Local, for a fixture user whose figures are
// worked out by hand below. The goals and analytics services run on the real clock, so the
// fixture is dated from today: this month M and the three before it.

let h: Harness;
let s: Services;
beforeAll(() => {
  h = harness();
  s = createServices({
    ...h.store,
    authenticator: h.tokens,
    files: new LocalFileStorage(h.receiptsDir),
  });
});
afterAll(() => h.close());

const TODAY = new Date().toISOString().slice(0, 10);
const M = TODAY.slice(0, 7);
const m = (k: number) => addMonths(M, k);
const lastDayOf = (month: string) => {
  const [y, mo] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, mo, 0)).toISOString().slice(0, 10);
};

// biome-ignore lint/suspicious/noExplicitAny: tool outputs are read as JSON and asserted on field by field
type Json = any;

async function ok(u: User, method: string, path: string, body?: unknown, status = 201): Promise<Json> {
  const res = await h.call(method, path, { token: u.token, ...(body !== undefined ? { body } : {}) });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

async function run(u: User, name: string, input: unknown): Promise<ToolOutcome> {
  const tool = createTools(s).find((t) => t.name === name);
  if (!tool) throw new Error(`no tool ${name}`);
  return runTool(tool, toolContext(await h.tokens.verify(u.token), TODAY), input);
}

async function output(u: User, name: string, input: unknown): Promise<Json> {
  const res = await run(u, name, input);
  if (!res.ok) throw new Error(`${name} failed: ${res.error}`);
  return res.output;
}

interface Fixture {
  user: User;
  ids: Record<string, string>;
  goalId: string;
  cardId: string;
}

/**
 * Income 3,000.00. This month's plan and spending (dated the 1st):
 *   housing 1,200.00 (spent 1,200.00), groceries 500.00 (200.00), dining 300.00 (350.00: over),
 *   entertainment 100.00 (20.00), savings 200.00 (0), debt payments 400.00 (not committed).
 *   this month: 1200 + 500 + 350 + 100 + 200 = 2,350.00 committed -> 650.00 for debt
 *   later months, each spending its limit: 1200 + 500 + 300 + 100 + 200 = 2,300.00 -> 700.00
 * Each of the three months before: housing 1,200.00, groceries 450.00, dining 250.00 (so every
 * category's three-month average is over 3 months; entertainment's and savings' are 0).
 * One card: 3,000.00 at 12 % (1 % a month), a fixed 50.00 minimum.
 * Holiday: 1,200.00 by the last day of M+5 (6 months left), 100.00 to start with and 100.00 in each
 * of the three months before: 400.00 saved, pace 100.00, requiredMonthly ⌈80000 / 6⌉ = 13334,
 * projected n = ⌈80000 × 3 / 30000⌉ = 8 -> M+7: off track.
 */
async function fixture(): Promise<Fixture> {
  const user = await signup(h);
  const cats = (await ok(user, "GET", "/v1/categories", undefined, 200)).items as Json[];
  const ids: Record<string, string> = Object.fromEntries(cats.map((c) => [c.type, c.categoryId]));
  const accounts = (await ok(user, "GET", "/v1/accounts", undefined, 200)).items as Json[];
  const checking = accounts.find((a) => a.type === "checking")?.accountId as string;
  const spend = (date: string, type: string, amount: number) =>
    ok(user, "POST", "/v1/transactions", {
      date,
      amount,
      type: "expense",
      categoryId: ids[type],
      merchant: `${type} shop`,
      accountId: checking,
    });

  await ok(user, "POST", "/v1/budgets", {
    month: M,
    totalIncome: 300_000,
    categories: [
      { categoryId: ids.housing, limit: 120_000 },
      { categoryId: ids.groceries, limit: 50_000 },
      { categoryId: ids.dining, limit: 30_000 },
      { categoryId: ids.entertainment, limit: 10_000 },
      { categoryId: ids.savings, limit: 20_000 },
      { categoryId: ids["debt-payments"], limit: 40_000 },
    ],
  });
  for (const k of [-3, -2, -1]) {
    await spend(`${m(k)}-05`, "housing", 120_000);
    await spend(`${m(k)}-06`, "groceries", 45_000);
    await spend(`${m(k)}-07`, "dining", 25_000);
  }
  await spend(`${M}-01`, "housing", 120_000);
  await spend(`${M}-01`, "groceries", 20_000);
  await spend(`${M}-01`, "dining", 35_000);
  await spend(`${M}-01`, "entertainment", 2_000);

  const card = await ok(user, "POST", "/v1/cards", {
    name: "Visa",
    balance: 300_000,
    aprBasisPoints: 1200,
    creditLimit: 1_000_000,
    dueDay: 20,
    minimumPayment: { kind: "fixed", amount: 5_000 },
  });
  const goal = await ok(user, "POST", "/v1/goals", {
    name: "Holiday",
    targetAmount: 120_000,
    currentAmount: 10_000,
    targetDate: lastDayOf(m(5)),
  });
  for (const k of [-3, -2, -1]) {
    await ok(user, "POST", `/v1/goals/${goal.goalId}/contributions`, { amount: 10_000, date: `${m(k)}-15` });
  }
  return { user, ids, goalId: goal.goalId, cardId: card.cardId };
}

let f: Fixture;
let other: Fixture;
beforeAll(async () => {
  f = await fixture();
  other = await fixture();
}, 120_000);

const ba = (before: number, after: number) => ({ before, after, difference: after - before });

describe("the tools are registered", () => {
  it("read-only, with schemas a model and an MCP client can be shown", () => {
    const tools = createTools(s).filter(
      (t) => t.name === "forecast_savings" || t.name === "optimize_categories",
    );
    expect(tools.map((t) => [t.name, t.write])).toEqual([
      ["forecast_savings", false],
      ["optimize_categories", false],
    ]);
    for (const t of tools) expect(z.toJSONSchema(t.input, { io: "input" })).toMatchObject({ type: "object" });
  });
});

describe("forecast_savings", () => {
  it("the fixture as it is: this month's figure is the budget's availableForDebtPayoff", async () => {
    const out = await output(f.user, "forecast_savings", { months: 2 });
    const budget = await ok(f.user, "GET", `/v1/budgets/${M}`, undefined, 200);
    expect(budget.availableForDebtPayoff).toBe(65_000);
    expect(out).toMatchObject({ month: M, today: TODAY, currency: "USD", months: 2, strategy: "avalanche" });
    expect(out.availableForDebtPayoff).toEqual({
      thisMonth: ba(65_000, 65_000),
      laterMonths: ba(70_000, 70_000),
    });
    // The goal's own view agrees with the forecast's before.
    const goal = await ok(f.user, "GET", `/v1/goals/${f.goalId}`, undefined, 200);
    expect(goal.projectedCompletion).toBe(m(7));
    expect(out.goals[0].projectedCompletion.before).toBe(goal.projectedCompletion);
  });

  it("a cut, a raise, an extra payment and money into the holiday, by hand", async () => {
    const out = await output(f.user, "forecast_savings", {
      categoryLimits: [{ categoryId: f.ids.dining, limit: 20_000 }],
      incomeChange: 10_000,
      extraDebtPayment: 20_000,
      goalContribution: [{ goalId: f.goalId, monthly: 5_000 }],
      months: 5,
    });
    // Dining at 200.00 still commits its 350.00 this month: 3,100.00 - 2,350.00 = 750.00; later
    // months 3,100.00 - 2,200.00 = 900.00. To debt: 750 + 200 - 50 = 900.00, then 900 + 200 - 50 = 1,050.00.
    expect(out.income).toEqual(ba(300_000, 310_000));
    expect(out.availableForDebtPayoff).toEqual({
      thisMonth: ba(65_000, 75_000),
      laterMonths: ba(70_000, 90_000),
    });
    expect(out.toGoalsMonthly).toEqual(ba(0, 5_000));
    expect(out.toDebtMonthly).toEqual({ thisMonth: ba(65_000, 90_000), laterMonths: ba(70_000, 105_000) });
    expect(out.categories).toEqual([
      {
        categoryId: f.ids.dining,
        name: "Dining",
        group: "discretionary",
        spent: 35_000,
        limit: ba(30_000, 20_000),
        committedThisMonth: ba(35_000, 35_000),
        committedLaterMonths: ba(30_000, 20_000),
      },
    ]);

    // Before, 650.00 then 700.00:
    //   M   300000 + 3000 - 65000 = 238000      M+1 238000 + 2380 - 70000 = 170380
    //   M+2 170380 + 1704 (1703.80) - 70000 = 102084
    //   M+3 102084 + 1021 (1020.84) - 70000 = 33105
    //   M+4 33105 + 331 (331.05) = 33436, paid in full. Interest 3000 + 2380 + 1704 + 1021 + 331 = 8436.
    // After, 900.00 then 1,050.00:
    //   M   303000 - 90000 = 213000             M+1 213000 + 2130 - 105000 = 110130
    //   M+2 110130 + 1101 (1101.30) - 105000 = 6231
    //   M+3 6231 + 62 (62.31) = 6293, paid in full. Interest 3000 + 2130 + 1101 + 62 = 6293.
    expect(out.debt).toMatchObject({
      totalOwed: 300_000,
      minimumsDue: 5_000,
      cardsPlanned: [{ cardId: f.cardId, name: "Visa", balance: 300_000 }],
      cardsExcluded: [],
      debtFreeMonth: { before: m(4), after: m(3), monthsSooner: 1 },
      monthsToDebtFree: { before: 5, after: 4, difference: -1 },
      totalInterest: ba(8_436, 6_293),
    });
    expect(out.debt.before).toMatchObject({ end: "debt-free", totalPaid: 308_436 });
    expect(out.debt.after).toMatchObject({ end: "debt-free", totalPaid: 306_293 });
    expect(out.schedule.map((r: Json) => [r.month, r.paidToCards, r.owedAtEnd])).toEqual([
      [m(0), ba(65_000, 90_000), ba(238_000, 213_000)],
      [m(1), ba(70_000, 105_000), ba(170_380, 110_130)],
      [m(2), ba(70_000, 105_000), ba(102_084, 6_231)],
      [m(3), ba(70_000, 6_293), ba(33_105, 0)],
      [m(4), ba(33_436, 0), ba(0, 0)],
    ]);
    expect(out.schedule[0].availableForDebtPayoff).toEqual(ba(65_000, 75_000));
    expect(out.schedule[4].availableForDebtPayoff).toEqual(ba(70_000, 90_000));
    // 65000 + 4 × 70000 = 345000; 75000 + 4 × 90000 = 435000.
    expect(out.totals).toEqual({
      availableForDebtPayoff: ba(345_000, 435_000),
      toGoals: ba(0, 25_000),
      paidToCards: ba(308_436, 306_293),
      interest: ba(8_436, 6_293),
    });

    // The holiday with 50.00 more: net 30000 + 3 × 5000 = 45000, n = ⌈240000 / 45000⌉ = 6 -> M+5.
    expect(out.goals).toEqual([
      {
        goalId: f.goalId,
        name: "Holiday",
        targetAmount: 120_000,
        currentAmount: 40_000,
        remaining: 80_000,
        targetDate: lastDayOf(m(5)),
        requiredMonthly: 13_334,
        hasPace: true,
        monthlyPace: ba(10_000, 15_000),
        projectedCompletion: { before: m(7), after: m(5), monthsSooner: 2 },
        meetsTargetDate: { before: false, after: true },
      },
    ]);
    expect(out.assumptions.length).toBeGreaterThan(3);
    expect(JSON.stringify(out)).not.toMatch(/\d\.\d/);
  });

  it("another user's category or goal is not found, and nothing of theirs shows", async () => {
    const cat = await run(f.user, "forecast_savings", {
      categoryLimits: [{ categoryId: other.ids.dining, limit: 1 }],
    });
    expect(cat).toEqual({ ok: false, error: expect.stringContaining("categoryLimits.0.categoryId") });
    expect(cat.ok === false && cat.error).toMatch(/not one of your categories/);
    const goal = await run(f.user, "forecast_savings", {
      goalContribution: [{ goalId: other.goalId, monthly: 1 }],
    });
    expect(goal).toEqual({ ok: false, error: expect.stringContaining("goalContribution.0.goalId") });

    // The other fixture is the same shape: its figures are its own, its ids its own.
    const mine = await output(other.user, "forecast_savings", { months: 1 });
    expect(mine.goals.map((g: Json) => g.goalId)).toEqual([other.goalId]);
    expect(mine.debt.cardsPlanned.map((c: Json) => c.cardId)).toEqual([other.cardId]);
  });

  it("a category of the user's that the month has not planned joins at a limit of 0", async () => {
    // Transport (essential) at 100.00 from next month: later months commit 100.00 more, 700 -> 600.
    const out = await output(f.user, "forecast_savings", {
      categoryLimits: [{ categoryId: f.ids.transport, limit: 10_000 }],
      months: 1,
    });
    expect(out.availableForDebtPayoff.laterMonths).toEqual(ba(70_000, 60_000));
    expect(out.categories[0]).toMatchObject({ name: "Transport", limit: ba(0, 10_000), spent: 0 });
  });

  it("bad input is { ok: false } naming the field, never a throw", async () => {
    const fail = async (input: unknown, field: string) => {
      const res = await run(f.user, "forecast_savings", input);
      expect(res.ok, JSON.stringify(res)).toBe(false);
      expect(res.ok === false && res.error).toContain(field);
    };
    await fail({ months: 0 }, "months");
    await fail({ months: 121 }, "months");
    await fail({ categoryLimits: [{ categoryId: f.ids.dining, limit: -1 }] }, "categoryLimits.0.limit");
    await fail({ categoryLimits: [{ categoryId: "not-an-id", limit: 1 }] }, "categoryLimits.0.categoryId");
    await fail({ extraDebtPayment: 1.5 }, "extraDebtPayment");
    await fail({ incomeChange: -300_001 }, "incomeChange");
    await fail({ month: "2025-13" }, "month");
    await fail({ strategy: "minimum-only" }, "strategy");
    await fail({ surprise: true }, "surprise");
    // 650.00 for debt this month: 650.01 into the holiday is more than there is.
    await fail({ goalContribution: [{ goalId: f.goalId, monthly: 65_001 }] }, "goalContribution");
    // A month with no budget has nothing to forecast.
    await fail({ month: m(-12) }, "month");
  });
});

describe("optimize_categories", () => {
  it("for debt, without a target: the unused limits, with reasons, and the debt-free date", async () => {
    const out = await output(f.user, "optimize_categories", {});
    // groceries: need max(200.00 spent, 450.00 average) = 450.00 -> 50.00 unused;
    // entertainment: need max(20.00, 0 average over 3 months) = 20.00 -> 80.00 unused;
    // housing spent its whole limit, dining is over its limit, savings and debt payments are kept.
    const by = Object.fromEntries(out.categories.map((c: Json) => [c.name, c]));
    expect(by.Groceries).toMatchObject({
      from: 50_000,
      to: 45_000,
      change: -5_000,
      threeMonthAverage: 45_000,
    });
    expect(by.Entertainment).toMatchObject({ from: 10_000, to: 2_000, change: -8_000, threeMonthAverage: 0 });
    for (const name of ["Housing", "Dining", "Savings", "Debt payments"]) expect(by[name].change).toBe(0);
    expect(by.Groceries.reason).toBe(
      "Cut by $50.00, from $500.00 to $450.00, more than it needs: it spent $450.00 a month on average over the " +
        "last 3 months with spending, and it has spent $200.00 so far.",
    );
    expect(by.Dining.reason).toBe(
      "Kept at $300.00: it has spent $350.00 so far, which is already its whole limit or more.",
    );
    expect(out).toMatchObject({
      objective: { kind: "debt" },
      target: { amount: null, source: "none" },
      targetMet: null,
      totals: { freed: 13_000, categoriesCut: 2 },
      toGoalMonthly: 0,
      goal: null,
    });
    // 650.00 + 130.00 = 780.00 this month, 700.00 + 130.00 = 830.00 later.
    expect(out.availableForDebtPayoff).toEqual({
      thisMonth: ba(65_000, 78_000),
      laterMonths: ba(70_000, 83_000),
    });
    // After, 780.00 then 830.00:
    //   M   303000 - 78000 = 225000        M+1 225000 + 2250 - 83000 = 144250
    //   M+2 144250 + 1443 (1442.50) - 83000 = 62693
    //   M+3 62693 + 627 (626.93) = 63320, paid in full. Interest 3000 + 2250 + 1443 + 627 = 7320.
    expect(out.debt).toMatchObject({
      debtFreeMonth: { before: m(4), after: m(3), monthsSooner: 1 },
      totalInterest: ba(8_436, 7_320),
      toDebtMonthly: { thisMonth: ba(65_000, 78_000), laterMonths: ba(70_000, 83_000) },
    });
    expect(out.rules.length).toBeGreaterThan(3);
  });

  it("a target: the largest room first, the last one partly; protect keeps a category", async () => {
    // 100.00: entertainment's 80.00 first, then 20.00 of groceries' 50.00.
    const out = await output(f.user, "optimize_categories", { target: 10_000 });
    const to = Object.fromEntries(out.categories.map((c: Json) => [c.name, c.to]));
    expect(to).toMatchObject({ Entertainment: 2_000, Groceries: 48_000 });
    expect(out).toMatchObject({ target: { amount: 10_000, source: "given" }, targetMet: true, shortBy: 0 });

    const kept = await output(f.user, "optimize_categories", { protect: [f.ids.entertainment] });
    const e = kept.categories.find((c: Json) => c.name === "Entertainment");
    expect(e).toMatchObject({ to: 10_000, change: 0, reason: "Kept at $100.00: protected at your request." });
    expect(kept.totals.freed).toBe(5_000);
  });

  it("for a goal: frees what puts it on track, and the debt plan is as it was", async () => {
    // The holiday needs 133.34 a month against its 100.00 pace: 33.34 more, from entertainment.
    const out = await output(f.user, "optimize_categories", { objective: { goalId: f.goalId } });
    expect(out).toMatchObject({
      objective: { kind: "goal", goalId: f.goalId, name: "Holiday" },
      target: { amount: 3_334, source: "goal-on-track" },
      targetMet: true,
      totals: { freed: 3_334, categoriesCut: 1 },
      toGoalMonthly: 3_334,
    });
    expect(out.categories.find((c: Json) => c.name === "Entertainment")).toMatchObject({ to: 6_666 });
    // net 30000 + 3 × 3334 = 40002, n = ⌈240000 / 40002⌉ = 6 -> M+5: meets its date.
    expect(out.goal).toMatchObject({
      goalId: f.goalId,
      monthlyPace: ba(10_000, 13_334),
      projectedCompletion: { before: m(7), after: m(5), monthsSooner: 2 },
      meetsTargetDate: { before: false, after: true },
    });
    expect(out.debt.debtFreeMonth).toEqual({ before: m(4), after: m(4), monthsSooner: 0 });
    expect(out.debt.toDebtMonthly.laterMonths).toEqual(ba(70_000, 70_000));
  });

  it("another user's goal or category is not found; bad input names the field", async () => {
    const goal = await run(f.user, "optimize_categories", { objective: { goalId: other.goalId } });
    expect(goal).toEqual({ ok: false, error: expect.stringContaining("objective.goalId") });
    const protect = await run(f.user, "optimize_categories", { protect: [f.ids.dining, other.ids.dining] });
    expect(protect).toEqual({ ok: false, error: expect.stringContaining("protect.1") });
    for (const [input, field] of [
      [{ objective: "savings" }, "objective"],
      [{ target: -5 }, "target"],
      [{ protect: ["nope"] }, "protect.0"],
      [{ month: m(-12) }, "month"],
      [{ extra: 1 }, "extra"],
    ] as const) {
      const res = await run(f.user, "optimize_categories", input);
      expect(res.ok, JSON.stringify(res)).toBe(false);
      expect(res.ok === false && res.error).toContain(field);
    }
  });
});
