import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { ownerKey } from "../src/db/keys";
import { type Account, auditActions, type Harness, harness, ownerItems, signup } from "./support/harness";

let h: Harness;
let a: Account;
let ids: Record<string, string>;

beforeAll(async () => {
  h = harness();
  a = await signup(h);
  const res = await h.call("GET", "/v1/categories", { token: a.token });
  ids = Object.fromEntries(
    res.body.items.map((c: { type: string; categoryId: string }) => [c.type, c.categoryId]),
  );
});

const plan = () => [
  { categoryId: ids.housing, limit: 150_000 },
  { categoryId: ids.groceries, limit: 60_000 },
  { categoryId: ids.dining, limit: 20_000 },
  { categoryId: ids["debt-payments"], limit: 80_000 },
];

describe("budget life cycle", () => {
  it("plans a month and answers with its figures", async () => {
    const res = await h.call("POST", "/v1/budgets", {
      token: a.token,
      body: { month: "2025-01", totalIncome: 400_000, categories: plan() },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.headers.get("location")).toBe("/v1/budgets/2025-01");
    expect(res.body).toMatchObject({
      month: "2025-01",
      currency: "USD",
      status: "active",
      totalIncome: 400_000,
      totalBudgeted: 310_000,
      totalActualExpenses: 0,
      unallocated: 90_000,
      // income less housing, groceries and dining; the debt category does not count
      availableForDebtPayoff: 170_000,
      version: 1,
    });
    const groceries = res.body.categories.find((c: { type: string }) => c.type === "groceries");
    expect(groceries).toMatchObject({
      limit: 60_000,
      spent: 0,
      remaining: 60_000,
      percentUsed: 0,
      group: "essential",
    });

    const again = await h.call("GET", "/v1/budgets/2025-01", { token: a.token });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
  });

  it("stores the keys of DESIGN.md, GSI1 included", async () => {
    const { Item } = await h.store.db.send(
      new GetCommand({ TableName: "tyche-budgets", Key: { PK: ownerKey(a.owner), SK: "BUDGET#2025-01" } }),
    );
    expect(Item).toMatchObject({
      PK: `TENANT#${a.owner.tenantId}#USER#${a.owner.userId}`,
      SK: "BUDGET#2025-01",
      GSI1PK: `TENANT#${a.owner.tenantId}#USER#${a.owner.userId}`,
      GSI1SK: "BUDGET#2025-01",
      totalIncome: 400_000,
    });
    const items = await ownerItems(h.store, a.owner);
    const categoryItems = items.filter((i) => String(i.SK).startsWith("CATEGORY#"));
    expect(categoryItems).toHaveLength(11);
    for (const c of categoryItems) {
      expect(c.SK).toBe(`CATEGORY#${c.categoryId}`);
      // GSI1 is sparse on budgets: only budget items carry it
      expect(c.GSI1PK).toBeUndefined();
    }
    const profile = items.find((i) => i.SK === "PROFILE");
    expect(profile?.table).toBe("tyche-users");
  });

  it("refuses to plan the same month twice", async () => {
    const res = await h.call("POST", "/v1/budgets", {
      token: a.token,
      body: { month: "2025-01", totalIncome: 1 },
    });
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("updates income and allocations with the ETag, and refuses a stale one", async () => {
    const res = await h.call("PUT", "/v1/budgets/2025-01", {
      token: a.token,
      headers: { "if-match": '"1"' },
      body: { totalIncome: 450_000 },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      totalIncome: 450_000,
      unallocated: 140_000,
      availableForDebtPayoff: 220_000,
      version: 2,
    });
    expect(res.headers.get("etag")).toBe('"2"');

    const stale = await h.call("PUT", "/v1/budgets/2025-01", {
      token: a.token,
      headers: { "if-match": '"1"' },
      body: { totalIncome: 1 },
    });
    expect(stale.status).toBe(412);
    expect((await h.call("GET", "/v1/budgets/2025-01", { token: a.token })).body.totalIncome).toBe(450_000);
  });

  it("lets exactly one of two updates with the same ETag win", async () => {
    const current = await h.call("GET", "/v1/budgets/2025-01", { token: a.token });
    const etag = current.headers.get("etag") ?? "";
    const [first, second] = await Promise.all(
      [460_000, 470_000].map((totalIncome) =>
        h.call("PUT", "/v1/budgets/2025-01", {
          token: a.token,
          headers: { "if-match": etag },
          body: { totalIncome },
        }),
      ),
    );
    expect([first?.status, second?.status].sort()).toEqual([200, 412]);
    const winner = first?.status === 200 ? first : second;
    const after = await h.call("GET", "/v1/budgets/2025-01", { token: a.token });
    expect(after.body.totalIncome).toBe(winner?.body.totalIncome);
    expect(after.body.version).toBe(current.body.version + 1);
  });

  it("sets one category's limit for the month", async () => {
    const res = await h.call("PUT", `/v1/budgets/2025-01/categories/${ids.dining}`, {
      token: a.token,
      body: { limit: 35_000 },
    });
    expect(res.status).toBe(200);
    expect(res.body.categories.find((c: { type: string }) => c.type === "dining").limit).toBe(35_000);
    expect(res.body.totalBudgeted).toBe(325_000);

    const added = await h.call("PUT", `/v1/budgets/2025-01/categories/${ids.health}`, {
      token: a.token,
      body: { limit: 5_000 },
    });
    expect(added.status).toBe(200);
    expect(added.body.totalBudgeted).toBe(330_000);

    const list = await h.call("GET", "/v1/budgets/2025-01/categories", { token: a.token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((c: { type: string }) => c.type)).toEqual([
      "groceries",
      "health",
      "housing",
      "dining",
      "debt-payments",
    ]);
  });

  it("copies an earlier month's plan, with overrides", async () => {
    const res = await h.call("POST", "/v1/budgets", {
      token: a.token,
      body: {
        month: "2025-02",
        copyFrom: "2025-01",
        categories: [{ categoryId: ids.groceries, limit: 65_000 }],
      },
    });
    expect(res.status).toBe(201);
    const source = (await h.call("GET", "/v1/budgets/2025-01", { token: a.token })).body;
    expect(res.body.totalIncome).toBe(source.totalIncome);
    const limits = (b: { categories: { type: string; limit: number }[] }) =>
      Object.fromEntries(b.categories.map((c) => [c.type, c.limit]));
    expect(limits(res.body)).toEqual({ ...limits(source), groceries: 65_000 });
  });

  it("starts a month without a plan from each category's default limit", async () => {
    await h.call("PUT", `/v1/categories/${ids.groceries}`, { token: a.token, body: { limit: 55_500 } });
    const res = await h.call("POST", "/v1/budgets", {
      token: a.token,
      body: { month: "2024-12", totalIncome: 300_000 },
    });
    expect(res.status).toBe(201);
    expect(res.body.categories).toHaveLength(11);
    expect(res.body.categories.find((c: { type: string }) => c.type === "groceries").limit).toBe(55_500);
    expect(res.body.totalBudgeted).toBe(55_500);
  });

  it("lists months newest first through GSI1, page by page", async () => {
    const first = await h.call("GET", "/v1/budgets?limit=2", { token: a.token });
    expect(first.status).toBe(200);
    expect(first.body.items.map((b: { month: string }) => b.month)).toEqual(["2025-02", "2025-01"]);
    expect(first.body.items[0].categories).toBeUndefined();
    expect(first.body.items[0].availableForDebtPayoff).toBeTypeOf("number");
    const second = await h.call("GET", `/v1/budgets?limit=2&cursor=${first.body.nextCursor}`, {
      token: a.token,
    });
    expect(second.body.items.map((b: { month: string }) => b.month)).toEqual(["2024-12"]);
    expect(second.body.nextCursor).toBeUndefined();
  });

  it("archives a month, which stays readable on request and can be planned again", async () => {
    expect((await h.call("DELETE", "/v1/budgets/2024-12", { token: a.token })).status).toBe(204);
    expect((await h.call("GET", "/v1/budgets/2024-12", { token: a.token })).status).toBe(404);
    const archived = await h.call("GET", "/v1/budgets/2024-12?includeArchived=true", { token: a.token });
    expect(archived.status).toBe(200);
    expect(archived.body.status).toBe("archived");
    const months = await h.call("GET", "/v1/budgets", { token: a.token });
    expect(months.body.items.map((b: { month: string }) => b.month)).not.toContain("2024-12");
    const all = await h.call("GET", "/v1/budgets?includeArchived=true", { token: a.token });
    expect(all.body.items.map((b: { month: string }) => b.month)).toContain("2024-12");
    expect(
      (await h.call("PUT", "/v1/budgets/2024-12", { token: a.token, body: { totalIncome: 1 } })).status,
    ).toBe(404);

    const again = await h.call("POST", "/v1/budgets", {
      token: a.token,
      body: { month: "2024-12", totalIncome: 123_400 },
    });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({
      status: "active",
      totalIncome: 123_400,
      version: archived.body.version + 1,
    });
  });

  it("refuses to copy from a month that has no budget", async () => {
    const res = await h.call("POST", "/v1/budgets", {
      token: a.token,
      body: { month: "2026-05", copyFrom: "2026-04" },
    });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: "copyFrom", message: "has no budget for 2026-04" }]);
  });

  it("wrote one audit record per change, and none for refusals", async () => {
    const actions = await auditActions(h.store, a.owner);
    const count = (action: string) => actions.filter((x) => x === action).length;
    expect(count("user.create")).toBe(1);
    // 2025-01, 2025-02, 2024-12, 2024-12 again
    expect(count("budget.create")).toBe(4);
    // one update, one winner of the race
    expect(count("budget.update")).toBe(2);
    expect(count("budget.category.update")).toBe(2);
    expect(count("budget.archive")).toBe(1);
    expect(count("category.update")).toBe(1);
    expect(actions).toHaveLength(11);
  });
});

describe("archived categories in budgets", () => {
  it("keeps an archived category in the months that planned it, but refuses it in new plans", async () => {
    const b = await signup(h);
    const cats = await h.call("GET", "/v1/categories", { token: b.token });
    const fun = cats.body.items.find((c: { type: string }) => c.type === "entertainment").categoryId;
    await h.call("POST", "/v1/budgets", {
      token: b.token,
      body: { month: "2025-03", totalIncome: 100_000, categories: [{ categoryId: fun, limit: 10_000 }] },
    });
    const del = await h.call("DELETE", `/v1/categories/${fun}`, { token: b.token });
    expect(del.body).toEqual({ result: "archived" });

    const month = await h.call("GET", "/v1/budgets/2025-03", { token: b.token });
    expect(month.body.categories).toEqual([
      expect.objectContaining({ categoryId: fun, archived: true, limit: 10_000 }),
    ]);
    const keep = await h.call("PUT", "/v1/budgets/2025-03", {
      token: b.token,
      body: { categories: [{ categoryId: fun, limit: 12_000 }] },
    });
    expect(keep.status).toBe(200);
    const fresh = await h.call("POST", "/v1/budgets", {
      token: b.token,
      body: { month: "2025-04", totalIncome: 1, categories: [{ categoryId: fun, limit: 1 }] },
    });
    expect(fresh.status).toBe(422);
    expect(fresh.body.errors[0].path).toBe("categories.0.categoryId");
  });
});
