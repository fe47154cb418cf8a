import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { keys } from "../src/db/keys";
import { type Account, auditActions, type Harness, harness, ownerItems, signup } from "./support/harness";

let h: Harness;
let a: Account;
beforeAll(async () => {
  h = harness();
  a = await signup(h);
});

describe("categories", () => {
  it("creates a category with a slug derived from its name", async () => {
    const res = await h.call("POST", "/v1/categories", {
      token: a.token,
      body: { name: "Kids & School", group: "essential", color: "#112233", limit: 25_000 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: "Kids & School",
      type: "kids-and-school",
      group: "essential",
      color: "#112233",
      limit: 25_000,
      archived: false,
      version: 1,
    });
    expect(res.headers.get("etag")).toBe('"1"');
    const got = await h.call("GET", `/v1/categories/${res.body.categoryId}`, { token: a.token });
    expect(got.body).toEqual(res.body);
    const items = await ownerItems(h.store, a.owner);
    expect(items.find((i) => i.SK === `CATEGORY#${res.body.categoryId}`)).toMatchObject({
      table: "tyche-budgets",
    });
  });

  it("keeps slugs unique per user, archived categories included", async () => {
    const dup = await h.call("POST", "/v1/categories", {
      token: a.token,
      body: { name: "Groceries", group: "essential" },
    });
    expect(dup.status).toBe(422);
    expect(dup.body.errors[0].path).toBe("type");
    const b = await signup(h);
    const other = await h.call("POST", "/v1/categories", {
      token: b.token,
      body: { name: "Kids & School", group: "essential" },
    });
    expect(other.status).toBe(201);
  });

  it("updates with If-Match, clears a default limit with null, and refuses a stale ETag", async () => {
    const created = await h.call("POST", "/v1/categories", {
      token: a.token,
      body: { name: "Pets", group: "discretionary", limit: 5_000 },
    });
    const id = created.body.categoryId;
    const updated = await h.call("PUT", `/v1/categories/${id}`, {
      token: a.token,
      headers: { "if-match": '"1"' },
      body: { name: "Pet care", group: "essential", limit: null },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: "Pet care", type: "pets", group: "essential", version: 2 });
    expect(updated.body.limit).toBeUndefined();
    const stale = await h.call("PUT", `/v1/categories/${id}`, {
      token: a.token,
      headers: { "if-match": '"1"' },
      body: { name: "Nope" },
    });
    expect(stale.status).toBe(412);
    expect((await h.call("GET", `/v1/categories/${id}`, { token: a.token })).body.name).toBe("Pet care");
  });

  it("deletes a category nothing uses, and frees its slug", async () => {
    const created = await h.call("POST", "/v1/categories", {
      token: a.token,
      body: { name: "Hobbies", group: "discretionary" },
    });
    const del = await h.call("DELETE", `/v1/categories/${created.body.categoryId}`, { token: a.token });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ result: "deleted" });
    expect(
      (await h.call("GET", `/v1/categories/${created.body.categoryId}`, { token: a.token })).status,
    ).toBe(404);
    const again = await h.call("POST", "/v1/categories", {
      token: a.token,
      body: { name: "Hobbies", group: "discretionary" },
    });
    expect(again.status).toBe(201);
  });

  it("archives a category a budget uses, hides it from the list, and restores it", async () => {
    const created = await h.call("POST", "/v1/categories", {
      token: a.token,
      body: { name: "Gym", group: "discretionary" },
    });
    const id = created.body.categoryId;
    await h.call("POST", "/v1/budgets", {
      token: a.token,
      body: { month: "2025-06", totalIncome: 100_000, categories: [{ categoryId: id, limit: 4_000 }] },
    });
    const del = await h.call("DELETE", `/v1/categories/${id}`, { token: a.token });
    expect(del.body).toEqual({ result: "archived" });
    const got = await h.call("GET", `/v1/categories/${id}`, { token: a.token });
    expect(got.body.archived).toBe(true);

    const visible = await h.call("GET", "/v1/categories", { token: a.token });
    expect(visible.body.items.map((c: { categoryId: string }) => c.categoryId)).not.toContain(id);
    const all = await h.call("GET", "/v1/categories?includeArchived=true", { token: a.token });
    expect(all.body.items.map((c: { categoryId: string }) => c.categoryId)).toContain(id);

    const restored = await h.call("PUT", `/v1/categories/${id}`, {
      token: a.token,
      body: { archived: false },
    });
    expect(restored.body.archived).toBe(false);
  });

  it("archives a category that only income transactions name", async () => {
    const created = await h.call("POST", "/v1/categories", {
      token: a.token,
      body: { name: "Side gig", group: "savings" },
    });
    const id = created.body.categoryId;
    await h.call("POST", "/v1/transactions", {
      token: a.token,
      body: { date: "2025-07-01", amount: 50_000, type: "income", categoryId: id },
    });
    expect((await h.call("DELETE", `/v1/categories/${id}`, { token: a.token })).body).toEqual({
      result: "archived",
    });
  });

  it("keeps the index's pseudo-slugs for itself", async () => {
    for (const type of ["uncategorized", "split"]) {
      const res = await h.call("POST", "/v1/categories", {
        token: a.token,
        body: { name: "X", type, group: "essential" },
      });
      expect(res.status).toBe(422);
      expect(res.body.errors[0].path).toBe("type");
    }
  });

  it("audited every change", async () => {
    const actions = await auditActions(h.store, a.owner);
    for (const action of ["category.create", "category.update", "category.delete", "category.archive"]) {
      expect(actions).toContain(action);
    }
    expect(actions.filter((x) => x === "category.create")).toHaveLength(6);
  });

  it("counts uses on the category: deleted once nothing names it, archived while something does", async () => {
    const b = await signup(h);
    const made = await h.call("POST", "/v1/categories", {
      token: b.token,
      body: { name: "Counted", group: "essential" },
    });
    const id = made.body.categoryId;
    const useCount = async () =>
      (await ownerItems(h.store, b.owner)).find((i) => i.SK === keys.category(b.owner, id).SK)?.useCount;
    expect(await useCount()).toBe(0);
    const t = await h.call("POST", "/v1/transactions", {
      token: b.token,
      body: {
        date: "2025-02-02",
        amount: 500,
        splits: [
          { categoryId: id, amount: 200 },
          { categoryId: id, amount: 300 },
        ],
      },
    });
    expect(await useCount()).toBe(1);
    await h.call("POST", "/v1/budgets", {
      token: b.token,
      body: { month: "2025-02", totalIncome: 0, categories: [{ categoryId: id, limit: 1 }] },
    });
    expect(await useCount()).toBe(2);
    await h.call("PUT", `/v1/budgets/2025-02`, { token: b.token, body: { categories: [] } });
    await h.call("DELETE", `/v1/transactions/${t.body.transactionId}`, { token: b.token });
    expect(await useCount()).toBe(0);
    const del = await h.call("DELETE", `/v1/categories/${id}`, { token: b.token });
    expect(del.body.result).toBe("deleted");
  });

  it("archives, never deletes, a category made before uses were counted", async () => {
    const b = await signup(h);
    const made = await h.call("POST", "/v1/categories", {
      token: b.token,
      body: { name: "Legacy", group: "essential" },
    });
    // As the old code stored it: no count, whatever named it.
    await h.store.db.send(
      new UpdateCommand({
        TableName: h.store.tables.budgets,
        Key: keys.category(b.owner, made.body.categoryId),
        UpdateExpression: "REMOVE useCount, usesCounted",
      }),
    );
    const t = await h.call("POST", "/v1/transactions", {
      token: b.token,
      body: { date: "2025-02-02", amount: 500, categoryId: made.body.categoryId },
    });
    await h.call("DELETE", `/v1/transactions/${t.body.transactionId}`, { token: b.token });
    const del = await h.call("DELETE", `/v1/categories/${made.body.categoryId}`, { token: b.token });
    expect(del.body.result).toBe("archived");
  });
});
