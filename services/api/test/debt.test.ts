import { addMonths } from "@tyche/core";
import { beforeAll, describe, expect, it } from "vitest";
import { type Harness, harness, ownerItems, signup, type Account as User } from "./support/harness";

let h: Harness;
beforeAll(() => {
  h = harness();
});

const MONTH = "2030-01";
const thisMonth = () => new Date().toISOString().slice(0, 7);

/** $1,000 at 12 %: 1 % a month, a fixed $50 minimum. */
const oneCard = {
  name: "Visa",
  balance: 100_000,
  aprBasisPoints: 1200,
  creditLimit: 400_000,
  dueDay: 20,
  minimumPayment: { kind: "fixed", amount: 5_000 },
};

async function call(u: User, method: string, path: string, body?: unknown) {
  const res = await h.call(method, path, { token: u.token, ...(body !== undefined ? { body } : {}) });
  return res;
}

async function ok(u: User, method: string, path: string, body?: unknown, status = 200) {
  const res = await call(u, method, path, body);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

async function categoryIds(u: User): Promise<Record<string, string>> {
  const items = (await ok(u, "GET", "/v1/categories")).items as { type: string; categoryId: string }[];
  return Object.fromEntries(items.map((c) => [c.type, c.categoryId]));
}

/** Income $2,000; groceries $1,500 and dining $300 planned: $200 left for the cards. */
async function budget(u: User, month: string) {
  const ids = await categoryIds(u);
  await ok(
    u,
    "POST",
    "/v1/budgets",
    {
      month,
      totalIncome: 200_000,
      categories: [
        { categoryId: ids.groceries, limit: 150_000 },
        { categoryId: ids.dining, limit: 30_000 },
      ],
    },
    201,
  );
  return ids;
}

describe("debt plans from the real budget", () => {
  it("plans with the month's availableForDebtPayoff and live balances, to the cent", async () => {
    const u = await signup(h);
    await budget(u, MONTH);
    const card = await ok(u, "POST", "/v1/cards", oneCard, 201);
    const plan = await ok(u, "GET", `/v1/debt/plan?strategy=avalanche&month=${MONTH}`);
    expect(plan).toMatchObject({
      month: MONTH,
      monthlyAmount: 20_000,
      source: "budget",
      availableForDebtPayoff: 20_000,
      budgeted: true,
      minimumsDue: 5_000,
      totalOwed: 100_000,
      shortfall: null,
      excluded: [],
    });
    // By hand: 1,000 / 810 / 618.10 -> 618 / 424.28 -> 424 / 228.52 -> 229 / 30.81 -> 31 of interest.
    expect(
      plan.plan.schedule.map((m: { cards: { interest: number; balance: number }[] }) => m.cards[0]),
    ).toEqual([
      { cardId: card.cardId, interest: 1_000, payment: 20_000, balance: 81_000 },
      { cardId: card.cardId, interest: 810, payment: 20_000, balance: 61_810 },
      { cardId: card.cardId, interest: 618, payment: 20_000, balance: 42_428 },
      { cardId: card.cardId, interest: 424, payment: 20_000, balance: 22_852 },
      { cardId: card.cardId, interest: 229, payment: 20_000, balance: 3_081 },
      { cardId: card.cardId, interest: 31, payment: 3_112, balance: 0 },
    ]);
    expect(plan.plan).toMatchObject({
      end: "debt-free",
      monthsToDebtFree: 6,
      debtFreeMonth: "2030-06",
      totalInterest: 3_112,
      totalPaid: 103_112,
    });
    expect(plan.interestSaved).toBe(plan.baseline.totalInterest - 3_112);
    expect(plan.interestSaved).toBeGreaterThan(0);
    expect(plan.monthsSaved).toBe(plan.baseline.monthsToDebtFree - 6);
  });

  it("follows the budget: spending over a limit shrinks the money for debt, down to a shortfall with the cuts that close it", async () => {
    const u = await signup(h);
    const ids = await budget(u, MONTH);
    await ok(u, "POST", "/v1/cards", oneCard, 201);
    await ok(
      u,
      "POST",
      "/v1/transactions",
      { date: `${MONTH}-10`, amount: 45_000, type: "expense", categoryId: ids.dining, merchant: "Bistro" },
      201,
    );
    // Dining $450 against $300: committed 1,500 + 450 = 1,950, so $50 is left: exactly the minimum.
    const tight = await ok(u, "GET", `/v1/debt/plan?month=${MONTH}`);
    expect(tight).toMatchObject({ monthlyAmount: 5_000, shortfall: null });
    expect(tight.plan.feasible).toBe(true);

    await ok(
      u,
      "POST",
      "/v1/transactions",
      { date: `${MONTH}-12`, amount: 3_000, type: "expense", categoryId: ids.dining, merchant: "Bistro" },
      201,
    );
    const short = await ok(u, "GET", `/v1/debt/plan?month=${MONTH}`);
    expect(short.monthlyAmount).toBe(2_000);
    expect(short.shortfall).toEqual({
      missing: 3_000,
      minimumsDue: 5_000,
      monthlyAmount: 2_000,
      cuts: [{ categoryId: ids.dining, name: "Dining", limit: 30_000, spent: 48_000, overBy: 18_000 }],
      cutsTotal: 18_000,
      closesGap: true,
    });
    expect(short.plan).toMatchObject({
      feasible: false,
      end: "shortfall",
      shortfall: { month: MONTH, missing: 3_000 },
    });
  });

  it("lowers the card and the plan when a payment is recorded", async () => {
    const u = await signup(h);
    await budget(u, MONTH);
    const card = await ok(u, "POST", "/v1/cards", oneCard, 201);
    await ok(u, "POST", `/v1/cards/${card.cardId}/payments`, { amount: 50_000, date: `${MONTH}-02` }, 201);
    const plan = await ok(u, "GET", `/v1/debt/plan?month=${MONTH}`);
    expect(plan.totalOwed).toBe(50_000);
    // 500 / 305 / 108.05 -> 108 of interest; cleared in the third month.
    expect(plan.plan).toMatchObject({ monthsToDebtFree: 3, totalInterest: 913, debtFreeMonth: "2030-03" });
  });

  it("plans without a budget only with an override, and says there is no budget", async () => {
    const u = await signup(h);
    await ok(u, "POST", "/v1/cards", oneCard, 201);
    const none = await ok(u, "GET", `/v1/debt/plan?month=${MONTH}`);
    expect(none).toMatchObject({
      budgeted: false,
      availableForDebtPayoff: null,
      monthlyAmount: 0,
      shortfall: { missing: 5_000, cuts: [], cutsTotal: 0, closesGap: false },
    });
    const override = await ok(u, "GET", `/v1/debt/plan?month=${MONTH}&monthly=20000`);
    expect(override).toMatchObject({ source: "override", monthlyAmount: 20_000, shortfall: null });
    expect(override.plan.totalInterest).toBe(3_112);
  });

  it("compares every strategy; avalanche pays the least interest when rates differ", async () => {
    const u = await signup(h);
    await budget(u, MONTH);
    const high = await ok(
      u,
      "POST",
      "/v1/cards",
      { ...oneCard, name: "High", balance: 150_000, aprBasisPoints: 2999 },
      201,
    );
    const small = await ok(
      u,
      "POST",
      "/v1/cards",
      { ...oneCard, name: "Small", balance: 40_000, aprBasisPoints: 999 },
      201,
    );
    const cmp = await ok(u, "GET", `/v1/debt/compare?month=${MONTH}&monthly=30000`);
    const by = Object.fromEntries(cmp.strategies.map((s: { strategy: string }) => [s.strategy, s]));
    expect(Object.keys(by).sort()).toEqual(["avalanche", "highest-interest", "snowball"]);
    expect(by.avalanche.totalInterest).toBeLessThan(by.snowball.totalInterest);
    expect(cmp.best).toBe("avalanche");
    expect(cmp.baseline.strategy).toBe("minimum-only");
    for (const s of cmp.strategies) {
      expect(s.totalInterest).toBeLessThanOrEqual(cmp.baseline.totalInterest);
      expect(s.interestSaved).toBe(cmp.baseline.totalInterest - s.totalInterest);
    }
    // Snowball clears the small card first; avalanche the high-rate one.
    const payoff = (s: { cards: { cardId: string; payoffMonth: string }[] }, id: string) =>
      s.cards.find((c) => c.cardId === id)?.payoffMonth as string;
    expect(payoff(by.snowball, small.cardId) < payoff(by.snowball, high.cardId)).toBe(true);
    const custom = await ok(
      u,
      "GET",
      `/v1/debt/compare?month=${MONTH}&monthly=30000&order=${small.cardId},${high.cardId}`,
    );
    expect(custom.strategies.map((s: { strategy: string }) => s.strategy)).toContain("custom");
  });

  it("shows what an extra amount a month, or once, changes", async () => {
    const u = await signup(h);
    await budget(u, MONTH);
    await ok(u, "POST", "/v1/cards", oneCard, 201);
    const extra = await ok(u, "GET", `/v1/debt/what-if?month=${MONTH}&extra=10000`);
    // $300 a month: 1,000 / 710 / 417.10 -> 417 / 121.27 -> 121 of interest, four months.
    expect(extra).toMatchObject({
      extraMonthly: 10_000,
      current: { monthsToDebtFree: 6, totalInterest: 3_112 },
      withChange: { monthsToDebtFree: 4, totalInterest: 2_248 },
      monthsSaved: 2,
      interestSaved: 864,
    });
    expect(extra.balances.slice(0, 2)).toEqual([
      { month: "2030-01", current: 81_000, withChange: 71_000 },
      { month: "2030-02", current: 61_810, withChange: 41_710 },
    ]);
    const once = await ok(u, "GET", `/v1/debt/what-if?month=${MONTH}&snowflake=50000&snowflakeMonth=2030-01`);
    // $700 in the first month, then $200: 1,000 / 310 / 113.10 -> 113, three months.
    expect(once).toMatchObject({
      snowflake: { month: "2030-01", amount: 50_000 },
      withChange: { monthsToDebtFree: 3, totalInterest: 1_423 },
      monthsSaved: 3,
      interestSaved: 1_689,
    });
  });

  it("refuses bad queries naming the field, and plans only the caller's cards", async () => {
    const u = await signup(h);
    const other = await signup(h);
    await ok(other, "POST", "/v1/cards", oneCard, 201);
    const mine = await ok(u, "POST", "/v1/cards", { ...oneCard, balance: 10_000 }, 201);
    const cases: [string, number, string][] = [
      ["/v1/debt/plan?strategy=fastest", 400, "strategy"],
      ["/v1/debt/plan?monthly=-1", 400, "monthly"],
      ["/v1/debt/plan?monthly=12.5", 400, "monthly"],
      ["/v1/debt/plan?month=2030-13", 400, "month"],
      ["/v1/debt/plan?strategy=custom", 422, "order"],
      ["/v1/debt/plan?strategy=custom&order=01ARZ3NDEKTSV4RRFFQ69G5FAV", 422, "order"],
      ["/v1/debt/what-if?extra=abc", 400, "extra"],
      ["/v1/debt/what-if?strategy=minimum-only&extra=100", 422, "strategy"],
      ["/v1/debt/what-if?snowflakeMonth=2030-01", 400, "snowflake"],
      ["/v1/debt/progress?from=2030-05&to=2030-01", 400, "from"],
    ];
    for (const [path, status, field] of cases) {
      const res = await call(u, "GET", path);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(status);
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        path,
      ).toContain(field);
    }
    const plan = await ok(u, "GET", `/v1/debt/plan?month=${MONTH}&monthly=20000`);
    expect(plan.cards.map((c: { cardId: string }) => c.cardId)).toEqual([mine.cardId]);
    expect(plan.totalOwed).toBe(10_000);
  });

  it("lists cards it cannot plan, with the reason", async () => {
    const u = await signup(h);
    await ok(
      u,
      "POST",
      "/v1/accounts",
      { name: "Store card", type: "credit-card", openingBalance: 9_000 },
      201,
    );
    await ok(u, "POST", "/v1/cards", { ...oneCard, name: "In credit", balance: -500 }, 201);
    const plan = await ok(u, "GET", `/v1/debt/plan?month=${MONTH}&monthly=1000`);
    expect(plan.excluded.map((e: { name: string; reason: string }) => [e.name, e.reason]).sort()).toEqual([
      ["In credit", "in-credit"],
      ["Store card", "no-terms"],
    ]);
    expect(plan.plan.end).toBe("debt-free");
  });
});

describe("the debt-free goal", () => {
  it("says whether this month's plan meets the target, and the least monthly amount that would", async () => {
    const u = await signup(h);
    const month = thisMonth();
    await budget(u, month);
    await ok(u, "POST", "/v1/cards", oneCard, 201);
    expect((await call(u, "GET", "/v1/debt/goal")).status).toBe(404);
    const target = addMonths(month, 3);
    const res = await h.call("PUT", "/v1/debt/goal", { token: u.token, body: { targetMonth: target } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const goal = res.body;
    expect(goal).toMatchObject({
      targetMonth: target,
      strategy: "avalanche",
      month,
      monthlyAmount: 20_000,
      planDebtFreeMonth: addMonths(month, 5),
      meetsTarget: false,
      version: 1,
    });
    expect(goal.extraNeeded).toBe(goal.requiredMonthly - 20_000);
    // The least amount: it gets there by the target, and a cent less does not.
    const at = await ok(u, "GET", `/v1/debt/plan?month=${month}&monthly=${goal.requiredMonthly}`);
    expect(at.plan.debtFreeMonth <= target).toBe(true);
    const below = await ok(u, "GET", `/v1/debt/plan?month=${month}&monthly=${goal.requiredMonthly - 1}`);
    expect(below.plan.debtFreeMonth > target).toBe(true);

    const later = await h.call("PUT", "/v1/debt/goal", {
      token: u.token,
      body: { targetMonth: addMonths(month, 8) },
      headers: { "if-match": '"1"' },
    });
    expect(later.body).toMatchObject({ meetsTarget: true, extraNeeded: 0, version: 2 });
    const stale = await h.call("PUT", "/v1/debt/goal", {
      token: u.token,
      body: { targetMonth: target },
      headers: { "if-match": '"1"' },
    });
    expect(stale.status).toBe(412);
    const bad = await call(u, "PUT", "/v1/debt/goal", { targetMonth: "soon" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("targetMonth");
    expect((await h.call("DELETE", "/v1/debt/goal", { token: u.token })).status).toBe(204);
    expect((await call(u, "GET", "/v1/debt/goal")).status).toBe(404);
  });
});

describe("debt progress", () => {
  it("keeps each closed month's snapshot, worked back from the registers, and shows this month as it stands", async () => {
    const u = await signup(h);
    const other = await signup(h);
    const now = thisMonth();
    const [m3, m2, m1] = [addMonths(now, -3), addMonths(now, -2), addMonths(now, -1)];
    const ids = await categoryIds(u);
    const card = await ok(u, "POST", "/v1/cards", { ...oneCard, balanceDate: `${m3}-15` }, 201);
    await ok(
      u,
      "POST",
      "/v1/transactions",
      { accountId: card.cardId, date: `${m2}-05`, amount: 20_000, categoryId: ids.shopping },
      201,
    );
    await ok(
      u,
      "POST",
      "/v1/transactions",
      {
        accountId: card.cardId,
        date: `${m2}-28`,
        amount: 1_500,
        categoryId: ids["debt-payments"],
        merchant: "Interest charge",
      },
      201,
    );
    await ok(u, "POST", `/v1/cards/${card.cardId}/payments`, { amount: 30_000, date: `${m1}-10` }, 201);

    const progress = await ok(u, "GET", `/v1/debt/progress?from=${addMonths(now, -5)}&to=${now}`);
    const rows = progress.months.map((s: Record<string, unknown>) => [
      s.month,
      s.closed,
      s.totalOwed,
      s.interestPaid,
      s.paidToDebt,
    ]);
    expect(rows).toEqual([
      [m3, true, 100_000, 0, 0],
      [m2, true, 121_500, 1_500, 0],
      [m1, true, 91_500, 0, 30_000],
      [now, false, 91_500, 0, 0],
    ]);
    expect(progress).toMatchObject({
      startingOwed: 100_000,
      currentOwed: 91_500,
      paidDown: 8_500,
      interestPaid: 1_500,
      paidToDebt: 30_000,
    });
    expect(progress.months[1].utilisationBasisPoints).toBe(3038);

    const kept = async () =>
      (await ownerItems(h.store, u.owner))
        .filter((i) => String(i.SK).startsWith("SNAPSHOT#"))
        .map((i) => [i.SK, i.totalOwed]);
    expect(await kept()).toEqual([
      [`SNAPSHOT#${m3}`, 100_000],
      [`SNAPSHOT#${m2}`, 121_500],
      [`SNAPSHOT#${m1}`, 91_500],
    ]);

    // A purchase backdated into a closed month leaves its kept snapshot; one taken on demand replaces it.
    await ok(
      u,
      "POST",
      "/v1/transactions",
      { accountId: card.cardId, date: `${m2}-20`, amount: 1_000, categoryId: ids.shopping },
      201,
    );
    const again = await ok(u, "GET", `/v1/debt/progress?from=${m2}&to=${m2}`);
    expect(again.months[0].totalOwed).toBe(121_500);
    const retaken = await ok(u, "POST", "/v1/debt/snapshots", { month: m2 }, 201);
    expect(retaken).toMatchObject({ month: m2, closed: true, totalOwed: 122_500 });
    expect((await ok(u, "GET", `/v1/debt/progress?from=${m2}&to=${m2}`)).months[0].totalOwed).toBe(122_500);

    expect((await ok(other, "GET", `/v1/debt/progress?from=${m3}&to=${now}`)).months).toEqual([]);
    const future = await call(u, "POST", "/v1/debt/snapshots", { month: addMonths(now, 1) });
    expect(future.status).toBe(422);
    expect(future.body.errors[0].path).toBe("month");
  });
});
