import { beforeAll, describe, expect, it } from "vitest";
import { ownerKey } from "../src/db/keys";
import { TYCHE_EXPORT_HEADER_LINE } from "../src/imports/export-csv";
import { type Account, auditActions, type Harness, harness, ownerItems, signup } from "./support/harness";

let h: Harness;
let a: Account;
let cat: Record<string, string>;

beforeAll(async () => {
  h = harness();
  a = await signup(h);
  const res = await h.call("GET", "/v1/categories", { token: a.token });
  cat = Object.fromEntries(
    res.body.items.map((c: { type: string; categoryId: string }) => [c.type, c.categoryId]),
  );
  await h.call("POST", "/v1/budgets", {
    token: a.token,
    body: {
      month: "2025-01",
      totalIncome: 400_000,
      categories: [
        { categoryId: cat.groceries, limit: 50_000 },
        { categoryId: cat.dining, limit: 20_000 },
      ],
    },
  });
});

const post = (body: Record<string, unknown>, headers: Record<string, string> = {}, account = a) =>
  h.call("POST", "/v1/transactions", { token: account.token, body, headers });
const budget = async (month: string) =>
  (await h.call("GET", `/v1/budgets/${month}`, { token: a.token })).body;
const spentIn = (b: { categories: { type: string; spent: number }[] }, type: string) =>
  b.categories.find((c) => c.type === type)?.spent ?? 0;

describe("recording transactions", () => {
  it("records an expense, stores the keys of DESIGN.md and moves the budget", async () => {
    const res = await post({
      date: "2025-01-05",
      amount: 4_250,
      categoryId: cat.groceries,
      merchant: "WHOLEFDS MKT 10234",
      description: "weekly shop",
      tags: ["Food", "family"],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      date: "2025-01-05",
      amount: 4_250,
      type: "expense",
      categoryId: cat.groceries,
      categoryType: "groceries",
      merchantRaw: "WHOLEFDS MKT 10234",
      tags: ["food", "family"],
      categorizedBy: "user",
      receiptUrl: null,
      version: 1,
    });
    expect(res.body.merchant).toBeTruthy();

    const items = await ownerItems(h.store, a.owner);
    const txn = items.find((i) => i.transactionId === res.body.transactionId && i.entity === "transaction");
    const o = ownerKey(a.owner);
    expect(txn).toMatchObject({
      table: "tyche-transaction-details",
      PK: o,
      GSI1PK: `${o}#BUDGET#2025-01#CATEGORY#groceries`,
      GSI2PK: expect.stringMatching(new RegExp(`^${o}#MERCHANT#`)),
    });
    expect(txn?.SK).toMatch(new RegExp(`^TXN#2025-01-05#\\d{13}#${res.body.transactionId}$`));
    expect(txn?.GSI1SK).toBe(txn?.SK);
    expect(txn?.GSI2SK).toBe(txn?.SK);

    const b = await budget("2025-01");
    expect(spentIn(b, "groceries")).toBe(4_250);
    expect(b.totalActualExpenses).toBe(4_250);

    const got = await h.call("GET", `/v1/transactions/${res.body.transactionId}`, { token: a.token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
  });

  it("keeps budgets exact through updates across categories and months, and deletes", async () => {
    const created = await post({
      date: "2025-01-20",
      amount: 3_000,
      categoryId: cat.dining,
      merchant: "Pasta Place",
    });
    const id = created.body.transactionId;
    let b = await budget("2025-01");
    const groceriesBefore = spentIn(b, "groceries");
    expect(spentIn(b, "dining")).toBe(3_000);

    const moved = await h.call("PUT", `/v1/transactions/${id}`, {
      token: a.token,
      headers: { "if-match": '"1"' },
      body: { categoryId: cat.groceries, amount: 3_500 },
    });
    expect(moved.status).toBe(200);
    b = await budget("2025-01");
    expect(spentIn(b, "dining")).toBe(0);
    expect(spentIn(b, "groceries")).toBe(groceriesBefore + 3_500);

    const nextMonth = await h.call("PUT", `/v1/transactions/${id}`, {
      token: a.token,
      body: { date: "2025-02-02" },
    });
    expect(nextMonth.status).toBe(200);
    expect(nextMonth.body.version).toBe(3);
    b = await budget("2025-01");
    expect(spentIn(b, "groceries")).toBe(groceriesBefore);
    // February has no plan yet: its actuals are kept anyway and appear once it is planned
    await h.call("POST", "/v1/budgets", { token: a.token, body: { month: "2025-02", totalIncome: 1 } });
    expect(spentIn(await budget("2025-02"), "groceries")).toBe(3_500);
    expect((await h.call("GET", `/v1/transactions/${id}`, { token: a.token })).body.date).toBe("2025-02-02");

    const stale = await h.call("DELETE", `/v1/transactions/${id}`, {
      token: a.token,
      headers: { "if-match": '"1"' },
    });
    expect(stale.status).toBe(412);
    expect((await h.call("DELETE", `/v1/transactions/${id}`, { token: a.token })).status).toBe(204);
    expect((await h.call("GET", `/v1/transactions/${id}`, { token: a.token })).status).toBe(404);
    expect(spentIn(await budget("2025-02"), "groceries")).toBe(0);
    const items = await ownerItems(h.store, a.owner);
    expect(items.some((i) => String(i.SK).includes(id))).toBe(false);
  });

  it("counts income in actual income and splits in each of their categories", async () => {
    const before = await budget("2025-01");
    await post({ date: "2025-01-31", amount: 250_000, type: "income", merchant: "ACME PAYROLL" });
    const split = await post({
      date: "2025-01-15",
      amount: 10_000,
      merchant: "Target",
      splits: [
        { categoryId: cat.groceries, amount: 6_000 },
        { categoryId: cat.dining, amount: 4_000, note: "snacks" },
      ],
    });
    expect(split.status).toBe(201);
    expect(split.body).toMatchObject({ categoryId: null, categorizedBy: "user" });
    const after = await budget("2025-01");
    expect(after.actualIncome).toBe(before.actualIncome + 250_000);
    expect(spentIn(after, "groceries")).toBe(spentIn(before, "groceries") + 6_000);
    expect(spentIn(after, "dining")).toBe(spentIn(before, "dining") + 4_000);
    expect(after.totalActualExpenses).toBe(before.totalActualExpenses + 10_000);

    const unsplit = await h.call("PUT", `/v1/transactions/${split.body.transactionId}`, {
      token: a.token,
      body: { splits: null, categoryId: cat.dining },
    });
    expect(unsplit.status).toBe(200);
    const final = await budget("2025-01");
    expect(spentIn(final, "groceries")).toBe(spentIn(before, "groceries"));
    expect(spentIn(final, "dining")).toBe(spentIn(before, "dining") + 10_000);
  });

  it("finds a split under each category it has a part in, with that part's amount", async () => {
    const b = await signup(h);
    const ids = Object.fromEntries(
      (await h.call("GET", "/v1/categories", { token: b.token })).body.items.map(
        (c: { type: string; categoryId: string }) => [c.type, c.categoryId],
      ),
    );
    const find = async (slug: string, month: string) =>
      (await h.call("GET", `/v1/transactions?month=${month}&category=${slug}`, { token: b.token })).body
        .items;
    const made = await post(
      {
        date: "2025-03-15",
        amount: 10_000,
        merchant: "Target",
        splits: [
          { categoryId: ids.groceries, amount: 5_000 },
          { categoryId: ids.shopping, amount: 3_000 },
          { categoryId: ids.groceries, amount: 2_000 },
        ],
      },
      {},
      b,
    );
    expect(made.status).toBe(201);
    const id = made.body.transactionId;
    expect(made.body.matchedSplit).toBeUndefined();
    const shopping = await find("shopping", "2025-03");
    expect(shopping).toHaveLength(1);
    expect(shopping[0]).toMatchObject({ transactionId: id, amount: 10_000 });
    expect(shopping[0].matchedSplit).toEqual({ categoryId: ids.shopping, amount: 3_000 });
    // Two parts in one category are one match, with their sum.
    expect((await find("groceries", "2025-03"))[0].matchedSplit).toEqual({
      categoryId: ids.groceries,
      amount: 7_000,
    });
    expect((await find("split", "2025-03")).map((t: { transactionId: string }) => t.transactionId)).toEqual([
      id,
    ]);
    // A change moves the parts with it: out of shopping, and to another month.
    const moved = await h.call("PUT", `/v1/transactions/${id}`, {
      token: b.token,
      body: {
        date: "2025-04-02",
        splits: [
          { categoryId: ids.groceries, amount: 6_000 },
          { categoryId: ids.dining, amount: 4_000 },
        ],
      },
    });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(await find("shopping", "2025-03")).toEqual([]);
    expect(await find("groceries", "2025-03")).toEqual([]);
    expect((await find("dining", "2025-04"))[0]).toMatchObject({
      transactionId: id,
      matchedSplit: { categoryId: ids.dining, amount: 4_000 },
    });
    // The category filter pages through parts like any other match, a part's cursor included.
    await post(
      {
        date: "2025-04-01",
        amount: 900,
        splits: [
          { categoryId: ids.groceries, amount: 400 },
          { categoryId: ids.health, amount: 500 },
        ],
      },
      {},
      b,
    );
    const first = await h.call("GET", "/v1/transactions?month=2025-04&category=groceries&limit=1", {
      token: b.token,
    });
    expect(first.body.items[0]).toMatchObject({ transactionId: id, matchedSplit: { amount: 6_000 } });
    const second = await h.call(
      "GET",
      `/v1/transactions?month=2025-04&category=groceries&limit=1&cursor=${first.body.nextCursor}`,
      { token: b.token },
    );
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.items[0].matchedSplit).toEqual({ categoryId: ids.groceries, amount: 400 });
    expect(await find("shopping", "2025-04")).toEqual([]);
    await h.call("PUT", `/v1/transactions/${id}`, {
      token: b.token,
      body: { splits: null, categoryId: ids.dining },
    });
    expect((await find("dining", "2025-04"))[0].matchedSplit).toBeUndefined();
    const groceries = await find("groceries", "2025-04");
    expect(groceries.map((t: { transactionId: string }) => t.transactionId)).not.toContain(id);
    await h.call("DELETE", `/v1/transactions/${id}`, { token: b.token });
    expect(await find("dining", "2025-04")).toEqual([]);
    const left = (await ownerItems(h.store, b.owner)).filter((i) => String(i.SK).startsWith("TXNPART#"));
    expect(left.map((i) => i.transactionId)).not.toContain(id);
    expect(left).toHaveLength(2);
  });

  it("audits each change in its own transaction", async () => {
    const actions = await auditActions(h.store, a.owner);
    expect(actions.filter((x) => x === "transaction.delete")).toHaveLength(1);
    expect(actions.filter((x) => x.startsWith("transaction.")).length).toBeGreaterThanOrEqual(8);
  });
});

describe("idempotency", () => {
  it("answers a retry with the first answer and writes nothing new", async () => {
    const body = { date: "2025-01-09", amount: 999, categoryId: cat.dining, merchant: "Retry Cafe" };
    const first = await post(body, { "idempotency-key": "retry-1" });
    const countBefore = (await ownerItems(h.store, a.owner)).length;
    const again = await post(body, { "idempotency-key": "retry-1" });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect((await ownerItems(h.store, a.owner)).length).toBe(countBefore);

    const concurrent = await Promise.all([1, 2, 3].map(() => post(body, { "idempotency-key": "retry-2" })));
    expect(new Set(concurrent.map((r) => r.body.transactionId)).size).toBe(1);
    expect(concurrent.every((r) => r.status === 201)).toBe(true);

    const reused = await post({ ...body, amount: 1_000 }, { "idempotency-key": "retry-1" });
    expect(reused.status).toBe(422);
    expect(reused.body.errors[0].path).toBe("Idempotency-Key");
  });
});

describe("categorisation", () => {
  it("applies rules, then merchant history, and says which did it", async () => {
    const b = await signup(h);
    const cats = await h.call("GET", "/v1/categories", { token: b.token });
    const id = (type: string) => cats.body.items.find((c: { type: string }) => c.type === type).categoryId;

    const none = await post({ date: "2025-03-01", amount: 500, merchant: "SQ *BLUE BOTTLE COFFEE" }, {}, b);
    // Typed through the API, the merchant is kept as written; history still matches it by key.
    expect(none.body).toMatchObject({
      categoryId: null,
      categorizedBy: "none",
      merchant: "SQ *BLUE BOTTLE COFFEE",
    });

    const corrected = await h.call("PUT", `/v1/transactions/${none.body.transactionId}`, {
      token: b.token,
      body: { categoryId: id("dining") },
    });
    expect(corrected.body.categorizedBy).toBe("user");
    expect(corrected.body.suggestedRule).toMatchObject({
      conditions: { merchant: { op: "equals", value: "SQ *BLUE BOTTLE COFFEE" } },
      actions: { categoryId: id("dining") },
    });

    const learned = await post({ date: "2025-03-02", amount: 600, merchant: "Blue Bottle Coffee" }, {}, b);
    expect(learned.body).toMatchObject({ categoryId: id("dining"), categorizedBy: "merchant-history" });

    const rule = await h.call("POST", "/v1/rules", {
      token: b.token,
      body: {
        conditions: { merchant: { op: "contains", value: "netflix" } },
        actions: { categoryId: id("subscriptions"), tags: ["streaming"] },
      },
    });
    expect(rule.status).toBe(201);
    const byRule = await post({ date: "2025-03-03", amount: 1_599, merchant: "PAYPAL *NETFLIX" }, {}, b);
    expect(byRule.body).toMatchObject({
      categoryId: id("subscriptions"),
      categorizedBy: "rule",
      tags: ["streaming"],
    });

    const fromSuggestion = await h.call("POST", "/v1/rules", {
      token: b.token,
      body: corrected.body.suggestedRule,
    });
    expect(fromSuggestion.status).toBe(201);
    expect((await h.call("GET", "/v1/rules", { token: b.token })).body.items).toHaveLength(2);

    const explicit = await post(
      { date: "2025-03-04", amount: 100, merchant: "PAYPAL *NETFLIX", categoryId: id("shopping") },
      {},
      b,
    );
    expect(explicit.body).toMatchObject({ categoryId: id("shopping"), categorizedBy: "user" });
  });

  it("manages rules with versions and refuses rules into categories that are not yours", async () => {
    const created = await h.call("POST", "/v1/rules", {
      token: a.token,
      body: { name: "Big buys", conditions: { minAmount: 100_000 }, actions: { tags: ["big"] } },
    });
    const id = created.body.ruleId;
    const updated = await h.call("PUT", `/v1/rules/${id}`, {
      token: a.token,
      headers: { "if-match": '"1"' },
      body: { enabled: false },
    });
    expect(updated.body).toMatchObject({ enabled: false, version: 2 });
    expect(
      (
        await h.call("PUT", `/v1/rules/${id}`, {
          token: a.token,
          headers: { "if-match": '"1"' },
          body: { priority: 1 },
        })
      ).status,
    ).toBe(412);
    const foreign = await h.call("POST", "/v1/rules", {
      token: a.token,
      body: { conditions: { type: "expense" }, actions: { categoryId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" } },
    });
    expect(foreign.status).toBe(422);
    expect(foreign.body.errors[0].path).toBe("actions.categoryId");
    // An archived category cannot be a rule's target either; the rule's own write checks it.
    const archived = await h.call("POST", "/v1/categories", {
      token: a.token,
      body: { name: "Old hobby", group: "discretionary" },
    });
    await h.call("PUT", `/v1/categories/${archived.body.categoryId}`, {
      token: a.token,
      body: { archived: true },
    });
    const toArchived = await h.call("POST", "/v1/rules", {
      token: a.token,
      body: { conditions: { type: "expense" }, actions: { categoryId: archived.body.categoryId } },
    });
    expect(toArchived.status).toBe(422);
    expect(toArchived.body.errors[0].path).toBe("actions.categoryId");
    const retarget = await h.call("PUT", `/v1/rules/${id}`, {
      token: a.token,
      body: { actions: { categoryId: archived.body.categoryId } },
    });
    expect(retarget.status).toBe(422);
    expect((await h.call("DELETE", `/v1/rules/${id}`, { token: a.token })).status).toBe(204);
    expect((await h.call("GET", `/v1/rules/${id}`, { token: a.token })).status).toBe(404);
  });
});

describe("merchants", () => {
  it("autocompletes from the user's own merchants, most used first", async () => {
    const c = await signup(h);
    for (const m of [
      "STARBUCKS STORE 01234 SEATTLE WA",
      "Starbucks #9876",
      "Starbucks",
      "Stardust Books",
      "Staples",
    ]) {
      await post({ date: "2025-04-01", amount: 100, merchant: m }, {}, c);
    }
    await post({ date: "2025-04-01", amount: 100, merchant: "Staples" }, {}, c);
    const res = await h.call("GET", "/v1/merchants?q=sta", { token: c.token });
    expect(res.status).toBe(200);
    expect(res.body.items.map((m: { name: string; count: number }) => [m.name, m.count])).toEqual([
      ["Starbucks", 3],
      ["Staples", 2],
      ["Stardust Books", 1],
    ]);
    expect((await h.call("GET", "/v1/merchants?q=sta", { token: a.token })).body.items).toEqual([]);
  });

  it("finds a merchant by the start of any word of its name, within the user's own merchants", async () => {
    const c = await signup(h);
    const other = await signup(h);
    for (const m of [
      "Blue Bottle Coffee",
      "Blue Bottle Coffee",
      "Bottega Louie",
      "Rebottled Goods",
      "BLUE-APRON",
    ]) {
      await post({ date: "2025-04-01", amount: 100, merchant: m }, {}, c);
    }
    await post({ date: "2025-04-01", amount: 100, merchant: "Bottle Shop" }, {}, other);
    const names = async (q: string, who = c) => {
      h.commands.length = 0;
      const res = await h.call("GET", `/v1/merchants?q=${encodeURIComponent(q)}`, { token: who.token });
      expect(res.status).toBe(200);
      // One partition, the user's: a key range of merchant items, never a scan.
      expect(h.commands.some((cmd) => cmd.name === "ScanCommand")).toBe(false);
      for (const cmd of h.commands.filter((cmd) => cmd.name === "QueryCommand")) {
        const values = cmd.input.ExpressionAttributeValues as Record<string, unknown>;
        expect(values[":pk"]).toBe(ownerKey(who.owner));
      }
      return res.body.items.map((m: { name: string }) => m.name);
    };
    expect(await names("bot")).toEqual(["Blue Bottle Coffee", "Bottega Louie"]);
    expect(await names("Bottle")).toEqual(["Blue Bottle Coffee"]);
    expect(await names("blue")).toEqual(["Blue Bottle Coffee", "BLUE-APRON"]);
    expect(await names("coffee")).toEqual(["Blue Bottle Coffee"]);
    expect(await names("blue bot")).toEqual(["Blue Bottle Coffee"]);
    expect(await names("apron")).toEqual(["BLUE-APRON"]);
    // Not at a word start: "ottle" is inside "Bottle", "bottled" inside "Rebottled".
    expect(await names("ottle")).toEqual([]);
    expect(await names("bottled")).toEqual([]);
    expect(await names("bot", other)).toEqual(["Bottle Shop"]);
  });
});

describe("finding transactions", () => {
  let d: Account;
  let dining: string;
  let groceries: string;
  beforeAll(async () => {
    d = await signup(h);
    const cats = await h.call("GET", "/v1/categories", { token: d.token });
    const id = (type: string) => cats.body.items.find((c: { type: string }) => c.type === type).categoryId;
    dining = id("dining");
    groceries = id("groceries");
    const rows = [
      { date: "2025-05-01", amount: 1_000, categoryId: groceries, merchant: "Aldi", tags: ["weekly"] },
      {
        date: "2025-05-03",
        amount: 2_500,
        categoryId: dining,
        merchant: "Pizza Hut",
        notes: "birthday party",
      },
      { date: "2025-05-10", amount: 1_200, categoryId: groceries, merchant: "Aldi" },
      { date: "2025-05-15", amount: 90_000, type: "income", merchant: "Employer" },
      { date: "2025-06-02", amount: 1_500, categoryId: groceries, merchant: "Aldi", tags: ["weekly"] },
      {
        date: "2025-06-20",
        amount: 4_000,
        categoryId: dining,
        merchant: "Sushi Bar",
        description: "team lunch",
      },
    ];
    for (const r of rows) expect((await post(r, {}, d)).status).toBe(201);
  });

  const find = async (query: string) => {
    h.commands.length = 0;
    const res = await h.call("GET", `/v1/transactions?${query}`, { token: d.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.map((t: { date: string; amount: number }) => `${t.date}:${t.amount}`);
  };
  const queries = () => h.commands.filter((c) => c.name === "QueryCommand").map((c) => c.input);

  it("lists a month newest first from the table's sort key", async () => {
    expect(await find("month=2025-05")).toEqual([
      "2025-05-15:90000",
      "2025-05-10:1200",
      "2025-05-03:2500",
      "2025-05-01:1000",
    ]);
    expect(queries().every((q) => q.IndexName === undefined)).toBe(true);
  });

  it("filters by category through GSI1 and by merchant through GSI2", async () => {
    expect(await find("month=2025-05&category=groceries")).toEqual(["2025-05-10:1200", "2025-05-01:1000"]);
    expect(queries().map((q) => q.IndexName)).toEqual(["GSI1"]);
    expect(await find("from=2025-05-01&to=2025-06-30&category=groceries")).toEqual([
      "2025-06-02:1500",
      "2025-05-10:1200",
      "2025-05-01:1000",
    ]);
    expect(await find("merchant=ALDI")).toEqual(["2025-06-02:1500", "2025-05-10:1200", "2025-05-01:1000"]);
    expect(queries().map((q) => q.IndexName)).toEqual(["GSI2"]);
    expect(await find("merchant=aldi&from=2025-05-05&to=2025-06-30")).toEqual([
      "2025-06-02:1500",
      "2025-05-10:1200",
    ]);
  });

  it("narrows by tag, type, text and amount", async () => {
    expect(await find("tag=weekly")).toEqual(["2025-06-02:1500", "2025-05-01:1000"]);
    expect(await find("type=income")).toEqual(["2025-05-15:90000"]);
    expect(await find("q=PARTY")).toEqual(["2025-05-03:2500"]);
    expect(await find("q=lunch&month=2025-06")).toEqual(["2025-06-20:4000"]);
    expect(await find("minAmount=1500&maxAmount=4000")).toEqual([
      "2025-06-20:4000",
      "2025-06-02:1500",
      "2025-05-03:2500",
    ]);
    expect(await find("from=2025-05-02&to=2025-05-12")).toEqual(["2025-05-10:1200", "2025-05-03:2500"]);
  });

  it("pages with an opaque cursor, also under filters, and never scans", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await h.call("GET", `/v1/transactions?limit=2${cursor ? `&cursor=${cursor}` : ""}`, {
        token: d.token,
      });
      expect(res.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.items.map((t: { date: string }) => t.date));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([
      "2025-06-20",
      "2025-06-02",
      "2025-05-15",
      "2025-05-10",
      "2025-05-03",
      "2025-05-01",
    ]);

    const filtered: string[] = [];
    cursor = undefined;
    do {
      const res = await h.call(
        "GET",
        `/v1/transactions?limit=1&from=2025-05-01&to=2025-06-30&category=groceries${cursor ? `&cursor=${cursor}` : ""}`,
        { token: d.token },
      );
      filtered.push(...res.body.items.map((t: { date: string }) => t.date));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(filtered).toEqual(["2025-06-02", "2025-05-10", "2025-05-01"]);
    expect(h.commands.some((c) => c.name === "ScanCommand")).toBe(false);
  });

  it("refuses a category filter without months, and a cursor from another query", async () => {
    const res = await h.call("GET", "/v1/transactions?category=groceries", { token: d.token });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe("category");
    const page = await h.call("GET", "/v1/transactions?limit=1&merchant=aldi", { token: d.token });
    const reused = await h.call("GET", `/v1/transactions?limit=1&cursor=${page.body.nextCursor}`, {
      token: a.token,
    });
    expect(reused.status).toBe(400);
    expect(reused.body.errors[0].path).toBe("cursor");
    for (const forged of [
      { i: 0, k: null },
      { i: 5 },
      { i: 0, k: { PK: "TENANT#x#USER#y", SK: "TXN#" } },
      [1],
    ]) {
      const cursor = Buffer.from(JSON.stringify(forged)).toString("base64url");
      const res2 = await h.call("GET", `/v1/transactions?cursor=${cursor}`, { token: d.token });
      expect(res2.status, JSON.stringify(forged)).toBe(400);
    }
  });
});

describe("bad input and other tenants", () => {
  it("refuses bad transactions with the field named and writes nothing", async () => {
    const before = await ownerItems(h.store, a.owner);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ date: "2025-02-30", amount: 100 }, 400, "date"],
      [{ date: "2025-1-5", amount: 100 }, 400, "date"],
      [{ date: "2025-01-05", amount: 0 }, 400, "amount"],
      [{ date: "2025-01-05", amount: -5 }, 400, "amount"],
      [{ date: "2025-01-05", amount: 12.5 }, 400, "amount"],
      [{ date: "2025-01-05", amount: "100" }, 400, "amount"],
      [{ date: "2025-01-05", amount: 100, type: "loan" }, 400, "type"],
      [{ date: "2025-01-05", amount: 100, type: "transfer" }, 400, "toAccountId"],
      [{ date: "2025-01-05", amount: 100, toAccountId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }, 400, "toAccountId"],
      [{ date: "2025-01-05", amount: 100, accountId: "nope" }, 400, "accountId"],
      [{ date: "2025-01-05", amount: 100, accountId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }, 422, "accountId"],
      [{ date: "2025-01-05", amount: 100, categoryId: "01ARZ3NDEKTSV4RRFFQ69G5FAV" }, 422, "categoryId"],
      [
        {
          date: "2025-01-05",
          amount: 100,
          splits: [
            { categoryId: "01ARZ3NDEKTSV4RRFFQ69G5FAV", amount: 60 },
            { categoryId: "01ARZ3NDEKTSV4RRFFQ69G5FAV", amount: 30 },
          ],
        },
        400,
        "splits",
      ],
      [{ date: "2025-01-05", amount: 100, tenantId: "x" }, 400, "tenantId"],
    ];
    for (const [body, status, path] of cases) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    expect(await ownerItems(h.store, a.owner)).toEqual(before);
  });

  it("answers 404 to another tenant on every transaction route and changes nothing", async () => {
    const mine = await post({ date: "2025-01-06", amount: 700, categoryId: cat.dining, merchant: "Mine" });
    const id = mine.body.transactionId;
    const before = await ownerItems(h.store, a.owner);
    const other = await signup(h);
    for (const [method, body] of [
      ["GET", undefined],
      ["PUT", { amount: 1 }],
      ["DELETE", undefined],
    ] as const) {
      const res = await h.call(method, `/v1/transactions/${id}`, { token: other.token, body });
      expect(res.status).toBe(404);
    }
    expect((await h.call("GET", "/v1/transactions", { token: other.token })).body.items).toEqual([]);
    const exported = await h.call("GET", "/v1/transactions/export?from=2025-01-01&to=2025-12-31", {
      token: other.token,
    });
    expect(String(exported.body).trim()).toBe(TYCHE_EXPORT_HEADER_LINE);

    expect(await ownerItems(h.store, a.owner)).toEqual(before);

    const rule = await h.call("POST", "/v1/rules", {
      token: a.token,
      body: { conditions: { merchant: { op: "equals", value: "Mine" } }, actions: { tags: ["mine"] } },
    });
    const ruleBefore = await ownerItems(h.store, a.owner);
    for (const [method, body] of [
      ["GET", undefined],
      ["PUT", { enabled: false }],
      ["DELETE", undefined],
    ] as const) {
      expect(
        (await h.call(method, `/v1/rules/${rule.body.ruleId}`, { token: other.token, body })).status,
      ).toBe(404);
    }
    expect((await h.call("GET", "/v1/rules", { token: other.token })).body.items).toEqual([]);
    expect(await ownerItems(h.store, a.owner)).toEqual(ruleBefore);
    expect(
      (await h.call("GET", "/v1/transactions?merchant=mine", { token: other.token })).body.items,
    ).toEqual([]);
    expect(await ownerItems(h.store, a.owner)).toEqual(ruleBefore);
  });
});
