import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnalyticsRepository } from "../src/db/analytics";
import { createAnalytics } from "../src/services";
import {
  type Account,
  type Harness,
  harness,
  ownerItems,
  type Reply,
  roundTrips,
  signup,
} from "./support/harness";

/** Polls until `check` passes or the deadline passes; no fixed sleeps. */
async function eventually<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  deadlineMs = 15_000,
): Promise<T> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > until) throw new Error(`not reached in ${deadlineMs} ms: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Category {
  categoryId: string;
  type: string;
}

async function categoriesOf(h: Harness, a: Account): Promise<Record<string, string>> {
  const list = await h.call("GET", "/v1/categories", { token: a.token });
  return Object.fromEntries(list.body.items.map((c: Category) => [c.type, c.categoryId]));
}

async function post(h: Harness, a: Account, path: string, body: unknown): Promise<Reply> {
  const res = await h.call("POST", path, { token: a.token, body });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  return res;
}

describe("analytics refreshed in the background", () => {
  let h: Harness;
  let a: Account;
  let cats: Record<string, string>;
  let stored: AnalyticsRepository;

  beforeAll(async () => {
    h = harness(undefined, { refresh: { delayMs: 20 } });
    stored = new AnalyticsRepository(h.store);
    a = await signup(h);
    cats = await categoriesOf(h, a);
  });
  afterAll(() => h.close());

  it("stores a month's figures after its transactions are written, without a generate call", async () => {
    await post(h, a, "/v1/budgets", {
      month: "2025-03",
      totalIncome: 300_000,
      categories: [
        { categoryId: cats.groceries, limit: 40_000 },
        { categoryId: cats.dining, limit: 10_000 },
      ],
    });
    await post(h, a, "/v1/transactions", {
      date: "2025-03-02",
      amount: 12_000,
      merchant: "Corner Grocer",
      categoryId: cats.groceries,
    });
    await post(h, a, "/v1/transactions", {
      date: "2025-03-09",
      amount: 2_000,
      type: "refund",
      merchant: "Corner Grocer",
      categoryId: cats.groceries,
    });
    await post(h, a, "/v1/transactions", {
      date: "2025-03-09",
      amount: 13_000,
      merchant: "Bistro",
      categoryId: cats.dining,
    });
    await post(h, a, "/v1/transactions", { date: "2025-03-01", amount: 300_000, type: "income" });

    const item = await eventually(
      () => stored.get(a.owner, "2025-03"),
      (i) => i?.totals.transactionCount === 4,
    );
    expect(item?.totals).toMatchObject({
      plannedIncome: 300_000,
      actualIncome: 300_000,
      budgeted: 50_000,
      expenses: 23_000,
      savingsRate: 92.33,
      availableForDebtPayoff: 300_000 - 40_000 - 13_000,
    });
    const dining = item?.categories.find((c) => c.categoryId === cats.dining);
    expect(dining).toMatchObject({ budgeted: 10_000, spent: 13_000, status: "over", transactionCount: 1 });
    expect(item?.daily.find((d) => d.date === "2025-03-09")).toMatchObject({
      spent: 11_000,
      cumulative: 23_000,
    });
    expect(item?.topMerchants.map((m) => [m.merchant, m.spent])).toEqual([
      ["Bistro", 13_000],
      ["Corner Grocer", 10_000],
    ]);
    // Dining out is $30 over; groceries (essential) has room at its pace for the whole month.
    expect(item?.recommendations).toEqual([
      expect.objectContaining({
        categoryId: cats.dining,
        action: "reallocate",
        fromCategoryId: cats.groceries,
        amount: 3_000,
      }),
    ]);
    expect(item?.potentialSavings).toBe(3_000);
    expect(item?.ttl).toBeGreaterThan(Date.now() / 1000 + 700 * 86_400);
  });

  it("refreshes the months after a change whose comparisons read it", async () => {
    await post(h, a, "/v1/transactions", {
      date: "2025-04-03",
      amount: 5_000,
      merchant: "Bistro",
      categoryId: cats.dining,
    });
    const april = await eventually(
      () => stored.get(a.owner, "2025-04"),
      (i) => i?.totals.expenses === 5_000,
    );
    expect(april?.categories.find((c) => c.categoryId === cats.dining)?.previousMonth.spent).toBe(13_000);

    // A change in March alone reaches April's comparison.
    await post(h, a, "/v1/transactions", {
      date: "2025-03-20",
      amount: 1_000,
      merchant: "Bistro",
      categoryId: cats.dining,
    });
    const after = await eventually(
      () => stored.get(a.owner, "2025-04"),
      (i) => i?.categories.find((c) => c.categoryId === cats.dining)?.previousMonth.spent === 14_000,
    );
    expect(after?.categories.find((c) => c.categoryId === cats.dining)?.previousMonth.change).toBe(-9_000);
  });

  it("computes each month an import of 5,000 rows touched once", async () => {
    await h.refresh?.idle();
    const runsBefore = h.refresh?.runs ?? 0;
    const lines = ["Date,Description,Amount"];
    const months = ["2024-01", "2024-02", "2024-03"];
    for (let i = 0; i < 5_000; i++) {
      const month = months[i % 3];
      lines.push(`${month}-${String(1 + (i % 28)).padStart(2, "0")},Shop ${i % 40} ${i},-${(i % 50) + 1}.25`);
    }
    const form = new FormData();
    form.set("file", new File([lines.join("\n")], "big.csv"));
    const res = await h.call("POST", "/v1/imports", { token: a.token, raw: form });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.counts.imported).toBe(5_000);
    await h.refresh?.idle();
    // 2024-01 to 2024-03, and the three months after each that read them: 2024-01 to 2024-06.
    expect((h.refresh?.runs ?? 0) - runsBefore).toBe(6);
    const march = await stored.get(a.owner, "2024-03");
    expect(march?.totals.transactionCount).toBe(1_666);
    const totals = await h.call("GET", "/v1/transactions?month=2024-03&limit=1", { token: a.token });
    expect(totals.status).toBe(200);
  }, 120_000);
});

describe("analytics read and generated through the API", () => {
  let h: Harness;
  let a: Account;
  let b: Account;
  let cats: Record<string, string>;

  beforeAll(async () => {
    h = harness();
    a = await signup(h);
    b = await signup(h);
    cats = await categoriesOf(h, a);
    await post(h, a, "/v1/budgets", {
      month: "2025-06",
      totalIncome: 200_000,
      categories: [{ categoryId: cats.groceries, limit: 50_000 }],
    });
  });
  afterAll(() => h.close());

  it("computes a missing month on GET, then answers from the stored item while it is fresh", async () => {
    await post(h, a, "/v1/transactions", {
      date: "2025-06-04",
      amount: 7_500,
      merchant: "Corner Grocer",
      categoryId: cats.groceries,
    });
    const first = await h.call("GET", "/v1/budgets/2025-06/analytics", { token: a.token });
    expect(first.status).toBe(200);
    expect(first.body.totals.expenses).toBe(7_500);
    expect(first.body.hasBudget).toBe(true);

    h.commands.length = 0;
    const again = await h.call("GET", "/v1/budgets/2025-06/analytics", { token: a.token });
    expect(again.body).toEqual(first.body);
    // Fresh: the stored item and its sources, read side by side; nothing computed or written.
    // (plan, totals and the stored item in one BatchGetItem; the categories' Query beside it).
    expect(h.commands.map((c) => c.name).sort()).toEqual(["BatchGetItemCommand", "QueryCommand"]);
    expect(roundTrips(h.commands)).toBe(1);
  });

  it("notices a change since the stored figures, even one that moves no amount", async () => {
    const made = await post(h, a, "/v1/transactions", {
      date: "2025-06-10",
      amount: 2_500,
      merchant: "Old Name",
      categoryId: cats.groceries,
    });
    const seen = await h.call("GET", "/v1/budgets/2025-06/analytics", { token: a.token });
    expect(seen.body.totals.expenses).toBe(10_000);
    expect(seen.body.topMerchants.map((m: { merchant: string }) => m.merchant)).toContain("Old Name");

    const renamed = await h.call("PUT", `/v1/transactions/${made.body.transactionId}`, {
      token: a.token,
      body: { merchant: "New Name" },
      headers: { "if-match": '"1"' },
    });
    expect(renamed.status).toBe(200);
    const after = await h.call("GET", "/v1/budgets/2025-06/analytics", { token: a.token });
    const names = after.body.topMerchants.map((m: { merchant: string }) => m.merchant);
    expect(names).toContain("New Name");
    expect(names).not.toContain("Old Name");
    expect(after.body.sourceMarker).not.toBe(seen.body.sourceMarker);
  });

  it("generates on demand and lists stored months for trends", async () => {
    const generated = await h.call("POST", "/v1/budgets/2025-05/analytics/generate", { token: a.token });
    expect(generated.status).toBe(200);
    expect(generated.body).toMatchObject({ month: "2025-05", hasBudget: false });
    expect(generated.body.totals.expenses).toBe(0);

    const trend = await h.call("GET", "/v1/analytics?from=2025-01&to=2025-12", { token: a.token });
    expect(trend.status).toBe(200);
    // Only months with a plan or transactions: June. May was generated, but has neither.
    expect(trend.body.items.map((m: { month: string }) => m.month)).toEqual(["2025-06"]);
    expect(trend.body.items[0].totals.expenses).toBe(10_000);
    expect(trend.body.items[0].categories).toEqual([
      { categoryId: cats.groceries, name: "Groceries", budgeted: 50_000, spent: 10_000 },
    ]);
  });

  it("counts a month under way to today, and sees its figures go stale the next day", async () => {
    let clock = new Date("2025-06-10T12:00:00Z");
    const service = createAnalytics(h.store, () => clock);
    const june10 = await service.get(a.owner, "2025-06");
    expect(june10.asOf).toBe("2025-06-10");
    expect(await service.get(a.owner, "2025-06")).toEqual(june10);
    clock = new Date("2025-06-11T08:00:00Z");
    const sources = await service.readSources(a.owner, "2025-06");
    expect(service.isFresh(june10, sources)).toBe(false);
    const june11 = await service.get(a.owner, "2025-06");
    expect(june11.asOf).toBe("2025-06-11");
    expect(june11.totals).toEqual(june10.totals);
    // Once the month is over, its figures run to its last day and no longer age.
    clock = new Date("2026-01-01T00:00:00Z");
    expect((await service.get(a.owner, "2025-06")).asOf).toBe("2025-06-30");
  });

  it("keeps the newer of two racing results", async () => {
    const repo = new AnalyticsRepository(h.store);
    const current = await repo.get(a.owner, "2025-06");
    if (!current) throw new Error("no stored analytics");
    const older = { ...current, totals: { ...current.totals, expenses: 1 } };
    expect(await repo.putIfNewer(a.owner, older, "2000-01-01T00:00:00.000Z")).toBe(false);
    expect((await repo.get(a.owner, "2025-06"))?.totals.expenses).toBe(10_000);
  });

  it("never shows or changes another tenant's analytics", async () => {
    const theirs = await h.call("GET", "/v1/budgets/2025-06/analytics", { token: b.token });
    expect(theirs.status).toBe(200);
    expect(theirs.body).toMatchObject({ hasBudget: false, totals: { expenses: 0, transactionCount: 0 } });
    expect(theirs.body.topMerchants).toEqual([]);
    const trend = await h.call("GET", "/v1/analytics?from=2025-01&to=2025-12", { token: b.token });
    expect(trend.body.items).toEqual([]);
    const dashboard = await h.call("GET", "/v1/dashboard?month=2025-06", { token: b.token });
    expect(dashboard.body.recentTransactions).toEqual([]);
    expect(dashboard.body.budget).toBeNull();
    // a's figures are untouched by b's reads
    const mine = await h.call("GET", "/v1/budgets/2025-06/analytics", { token: a.token });
    expect(mine.body.totals.expenses).toBe(10_000);
  });

  it("answers bad input with a problem naming the field, and writes nothing", async () => {
    const c = await signup(h);
    const before = await ownerItems(h.store, c.owner);
    const cases: [string, string, string][] = [
      ["GET", "/v1/budgets/2025-13/analytics", "month"],
      ["POST", "/v1/budgets/25-01/analytics/generate", "month"],
      ["GET", "/v1/analytics?from=2025-06&to=2025-01", "from"],
      ["GET", "/v1/analytics?from=2020-01&to=2025-01", "to"],
      ["GET", "/v1/analytics?from=2025-01", "to"],
      ["GET", "/v1/dashboard", "month"],
      ["GET", "/v1/dashboard?month=June", "month"],
    ];
    for (const [method, path, field] of cases) {
      const res = await h.call(method, path, { token: c.token });
      expect(res.status, path).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        path,
      ).toContain(field);
    }
    expect(await ownerItems(h.store, c.owner)).toEqual(before);
    for (const path of [
      "/v1/budgets/2025-01/analytics",
      "/v1/analytics?from=2025-01&to=2025-02",
      "/v1/dashboard?month=2025-01",
    ]) {
      expect((await h.call("GET", path)).status).toBe(401);
    }
  });
});

describe("GET /v1/dashboard", () => {
  let h: Harness;
  let a: Account;
  let cats: Record<string, string>;
  let card: string;
  let checking: string;

  beforeAll(async () => {
    h = harness();
    a = await signup(h);
    cats = await categoriesOf(h, a);
    checking = (
      await post(h, a, "/v1/accounts", {
        name: "Checking",
        openingBalance: 500_000,
        openingDate: "2025-01-01",
      })
    ).body.accountId;
    card = (
      await post(h, a, "/v1/accounts", {
        name: "Visa",
        type: "credit-card",
        openingBalance: 250_000,
        openingDate: "2025-01-01",
      })
    ).body.accountId;
    await post(h, a, "/v1/budgets", {
      month: "2025-08",
      totalIncome: 400_000,
      categories: [{ categoryId: cats.groceries, limit: 60_000 }],
    });
    // A grocery box every month on the 15th, not posted by itself: the month shows it committed.
    await post(h, a, "/v1/recurring", {
      name: "Veg box",
      amount: 4_500,
      accountId: checking,
      categoryId: cats.groceries,
      merchant: "Veg box",
      autoPost: false,
      schedule: { frequency: "monthly", startDate: "2025-01-15", byMonthDay: 15 },
    });
    for (let day = 1; day <= 12; day++) {
      await post(h, a, "/v1/transactions", {
        accountId: day % 2 ? checking : card,
        date: `2025-08-${String(day).padStart(2, "0")}`,
        amount: 1_000 * day,
        merchant: `Shop ${day}`,
        categoryId: cats.groceries,
      });
    }
    await post(h, a, "/v1/transactions", {
      type: "transfer",
      accountId: checking,
      toAccountId: card,
      date: "2025-08-20",
      amount: 50_000,
    });
    // After the month: not among its latest.
    await post(h, a, "/v1/transactions", {
      accountId: checking,
      date: "2025-09-01",
      amount: 700,
      categoryId: cats.groceries,
    });
  });
  afterAll(() => h.close());

  it("answers with one round trip of reads while the stored analytics are fresh", async () => {
    const analytics = await h.call("GET", "/v1/budgets/2025-08/analytics", { token: a.token });
    h.commands.length = 0;
    const res = await h.call("GET", "/v1/dashboard?month=2025-08", { token: a.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const names: Record<string, number> = {};
    for (const c of h.commands) names[c.name] = (names[c.name] ?? 0) + 1;
    // The analytics item, the plan and four months of totals (one BatchGetItem across two tables),
    // categories, accounts, recurring templates and the latest transactions (Query): all at once,
    // nothing written.
    expect(names).toEqual({ BatchGetItemCommand: 1, QueryCommand: 4 });
    expect(roundTrips(h.commands)).toBe(1);
    expect(res.body.analytics).toEqual(analytics.body);

    const spent = 78_000; // 1,000 x (1 + ... + 12)
    expect(res.body.budget).toMatchObject({ month: "2025-08", totalIncome: 400_000, paidToDebt: 50_000 });
    expect(res.body.budget.categories).toEqual([
      expect.objectContaining({
        categoryId: cats.groceries,
        limit: 60_000,
        spent,
        committed: 4_500,
        status: "over",
      }),
    ]);
    const byName = Object.fromEntries(
      res.body.accounts.map((x: { name: string; balance: number }) => [x.name, x.balance]),
    );
    // Checking: 5,000.00 opening, odd days' spending (36,000), the payment (50,000) and September's 700 out.
    expect(byName.Checking).toBe(500_000 - 36_000 - 50_000 - 700);
    // The card owes its opening balance and its charges (42,000), less the payment.
    expect(byName.Visa).toBe(250_000 + 42_000 - 50_000);
    expect(res.body.totalOwedOnCards).toBe(242_000);
    const recent = res.body.recentTransactions.map((t: { date: string }) => t.date);
    expect(recent).toHaveLength(10);
    expect(recent[0]).toBe("2025-08-20");
    expect(recent).toEqual([...recent].sort().reverse());
    expect(recent.every((d: string) => d <= "2025-08-31")).toBe(true);
  });

  it("computes the analytics from what it read when they are stale", async () => {
    await post(h, a, "/v1/transactions", {
      accountId: checking,
      date: "2025-08-25",
      amount: 2_000,
      merchant: "Late Shop",
      categoryId: cats.groceries,
    });
    h.commands.length = 0;
    const res = await h.call("GET", "/v1/dashboard?month=2025-08", { token: a.token });
    expect(res.body.analytics.totals.expenses).toBe(80_000);
    expect(res.body.budget.totalActualExpenses).toBe(80_000);
    expect(res.body.recentTransactions[0].merchant).toBe("Late Shop");
    // The reads, then the month's transactions beside the months before, then the stored result.
    expect(roundTrips(h.commands)).toBe(3);
  });
});
