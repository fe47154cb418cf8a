import { PutCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { keyPart, MAX_KEY_PART_BYTES, MAX_KEY_TEXT_BYTES, utf8Prefix } from "../src/db/key-part";
import { keys, ownerKey } from "../src/db/keys";
import { startKeyRefused } from "../src/db/paging";
import { DomainError } from "../src/errors";
import { type Account, type Harness, harness, ownerItems, signup } from "./support/harness";

/**
 * Issue 14, items 11 and 12: input that is valid by every field's own rule but used to break a
 * DynamoDB key, a pagination cursor, a month's totals or a budget's currency, and answered 500.
 */

/** U+FDFA: one character that NFKC turns into 18, 33 bytes of UTF-8. */
const LIGATURE = "\ufdfa";
const LONG_MERCHANT = LIGATURE.repeat(60);
const MAX_SAFE = Number.MAX_SAFE_INTEGER;
const MAX_CENTS = 1_000_000_000_000;

let h: Harness;
beforeAll(() => {
  h = harness();
});

const bytes = (s: unknown) => Buffer.byteLength(String(s), "utf8");

/** DynamoDB's limits: 2048 bytes for a partition key, 1024 for a sort key, on the table and indexes. */
function expectKeysWithinLimits(items: Record<string, unknown>[]) {
  for (const item of items) {
    for (const name of ["PK", "GSI1PK", "GSI2PK"]) {
      if (item[name] !== undefined) expect(bytes(item[name]), name).toBeLessThanOrEqual(2048);
    }
    for (const name of ["SK", "GSI1SK", "GSI2SK"]) {
      if (item[name] !== undefined) expect(bytes(item[name]), name).toBeLessThanOrEqual(1024);
    }
  }
}

function csvFile(text: string, name = "bank.csv"): FormData {
  const f = new FormData();
  f.set("file", new File([text], name));
  return f;
}

const upload = (a: Account, body: FormData, query = "") =>
  h.call("POST", `/v1/imports${query}`, { token: a.token, raw: body });

const expense = (a: Account, body: Record<string, unknown>) =>
  h.call("POST", "/v1/transactions", {
    token: a.token,
    body: { date: "2024-03-10", amount: 1_250, ...body },
  });

async function categoryId(a: Account, type: string): Promise<string> {
  const res = await h.call("GET", "/v1/categories", { token: a.token });
  return res.body.items.find((c: { type: string }) => c.type === type).categoryId;
}

function expectProblem(res: { status: number; body: unknown }, status: number, path: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toMatchObject({ status, errors: [expect.objectContaining({ path })] });
}

describe("keyPart", () => {
  it("keeps short text as it is and bounds long text by bytes, never splitting a character", () => {
    expect(keyPart("blue bottle")).toBe("blue bottle");
    const edge = "a".repeat(MAX_KEY_TEXT_BYTES);
    expect(keyPart(edge)).toBe(edge);
    for (const long of [
      `${edge}a`,
      LONG_MERCHANT.normalize("NFKC"),
      "😀".repeat(1_000),
      `${"é".repeat(300)}x`,
    ]) {
      const part = keyPart(long);
      expect(bytes(part)).toBeGreaterThan(MAX_KEY_TEXT_BYTES);
      expect(bytes(part)).toBeLessThanOrEqual(MAX_KEY_PART_BYTES);
      expect(part.startsWith(utf8Prefix(long, MAX_KEY_TEXT_BYTES))).toBe(true);
      expect(part).not.toContain("\ufffd");
      expect(keyPart(long)).toBe(part);
    }
    expect(utf8Prefix("😀😀", 7)).toBe("😀");
    expect(utf8Prefix("aé", 2)).toBe("a");
  });

  it("keeps texts that differ only in their tail apart", () => {
    const head = "x".repeat(2_000);
    expect(keyPart(`${head}a`)).not.toBe(keyPart(`${head}b`));
  });
});

describe("start keys DynamoDB still refuses", () => {
  it("answer 400 naming the cursor; other errors pass through", () => {
    const refused = Object.assign(new Error("The provided starting key is invalid"), {
      name: "ValidationException",
    });
    expect(() => startKeyRefused(refused)).toThrow(DomainError);
    try {
      startKeyRefused(refused);
    } catch (err) {
      expect(err).toMatchObject({ failure: "malformed", extra: { errors: [{ path: "cursor" }] } });
    }
    const size = Object.assign(new Error("Exclusive Start Key must have same size as table's key schema"), {
      name: "ValidationException",
    });
    expect(() => startKeyRefused(size)).toThrow(DomainError);
    const other = Object.assign(new Error("Item size has exceeded the maximum allowed size"), {
      name: "ValidationException",
    });
    expect(() => startKeyRefused(other)).toThrow(other);
  });
});

describe("user text in DynamoDB keys", () => {
  it("records, finds, changes and deletes a transaction whose merchant NFKC grows past the key limit", async () => {
    const a = await signup(h);
    const created = await expense(a, { merchant: LONG_MERCHANT });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // The full text stays in the attributes; only the key is bounded.
    expect(created.body.merchantRaw).toBe(LONG_MERCHANT);
    // Typed by the user, so shown as typed; its key is the NFKC form, bounded.
    expect(created.body.merchant).toBe(LONG_MERCHANT);

    const found = await h.call("GET", `/v1/transactions?merchant=${encodeURIComponent(LONG_MERCHANT)}`, {
      token: a.token,
    });
    expect(found.status).toBe(200);
    expect(found.body.items.map((t: { transactionId: string }) => t.transactionId)).toEqual([
      created.body.transactionId,
    ]);
    const suggested = await h.call("GET", `/v1/merchants?q=${encodeURIComponent("صلى")}`, { token: a.token });
    expect(suggested.status).toBe(200);
    expect(suggested.body.items).toEqual([
      expect.objectContaining({ name: created.body.merchant, count: 1 }),
    ]);

    const id = created.body.transactionId;
    const changed = await h.call("PUT", `/v1/transactions/${id}`, {
      token: a.token,
      body: { merchant: `${LIGATURE.repeat(59)}x` },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expectKeysWithinLimits(await ownerItems(h.store, a.owner));
    expect((await h.call("DELETE", `/v1/transactions/${id}`, { token: a.token })).status).toBe(204);
  });

  it("keeps two long merchants apart when they differ only past the kept prefix", async () => {
    const a = await signup(h);
    const first = await expense(a, { merchant: `${LIGATURE.repeat(59)}a` });
    const second = await expense(a, { merchant: `${LIGATURE.repeat(59)}b` });
    expect([first.status, second.status]).toEqual([201, 201]);
    for (const t of [first.body, second.body]) {
      const res = await h.call("GET", `/v1/transactions?merchant=${encodeURIComponent(t.merchantRaw)}`, {
        token: a.token,
      });
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { transactionId: string }) => i.transactionId)).toEqual([
        t.transactionId,
      ]);
    }
    const merchants = (await ownerItems(h.store, a.owner)).filter((i) => i.entity === "merchant");
    expect(merchants).toHaveLength(2);
    expectKeysWithinLimits(merchants);
  });

  it("a rule renaming every expense's merchant to such a text leaves expenses and imports working", async () => {
    const a = await signup(h);
    const groceries = await categoryId(a, "groceries");
    const rule = await h.call("POST", "/v1/rules", {
      token: a.token,
      body: {
        conditions: { type: "expense" },
        actions: { merchantName: LONG_MERCHANT, categoryId: groceries },
      },
    });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);

    const typed = await expense(a, { merchant: "Corner Shop" });
    expect(typed.status, JSON.stringify(typed.body)).toBe(201);
    expect(typed.body).toMatchObject({
      merchant: LONG_MERCHANT,
      categoryId: groceries,
      categorizedBy: "rule",
    });
    const bare = await expense(a, { description: "no merchant at all" });
    expect(bare.status, JSON.stringify(bare.body)).toBe(201);

    const file = "Date,Description,Amount\n2024-03-11,CORNER SHOP 123,-4.50\n2024-03-12,BAKERY,-2.00\n";
    const dry = await upload(a, csvFile(file), "?dryRun=true");
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    const imported = await upload(a, csvFile(file));
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body.counts).toMatchObject({ rows: 2, imported: 2 });
    expectKeysWithinLimits(await ownerItems(h.store, a.owner));
  });

  it("imports a bank row whose description is 3,000 characters, dry run and real", async () => {
    const a = await signup(h);
    const description = "Payment ".repeat(375).trim().padEnd(3_000, "x");
    expect(description).toHaveLength(3_000);
    const file = `Date,Description,Amount\n2024-03-11,${description},-4.50\n2024-03-12,${LONG_MERCHANT},-1.00\n`;
    const dry = await upload(a, csvFile(file), "?dryRun=true");
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body.counts).toMatchObject({ rows: 2, imported: 2, failed: 0 });
    const imported = await upload(a, csvFile(file));
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body.counts).toMatchObject({ rows: 2, imported: 2 });
    const again = await upload(a, csvFile(file));
    expect(again.status).toBe(201);
    expect(again.body.counts).toMatchObject({ imported: 0, duplicates: 2 });
    expectKeysWithinLimits(await ownerItems(h.store, a.owner));
  });
});

const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const ULID = "01HV000000000000000000000A";
const txnSk = (date: string) => `TXN#${date}#0000000000001#${ULID}`;

describe("cursors that do not fit their route", () => {
  let a: Account;
  let pk: string;
  let groceriesGsi: string;
  let merchantGsi: string;

  beforeAll(async () => {
    a = await signup(h);
    pk = ownerKey(a.owner);
    const groceries = await categoryId(a, "groceries");
    for (let i = 0; i < 3; i++) {
      const res = await expense(a, { merchant: "Blue Bottle", categoryId: groceries, date: `2024-03-1${i}` });
      expect(res.status).toBe(201);
    }
    const items = await ownerItems(h.store, a.owner);
    const txn = items.find((i) => i.entity === "transaction") as Record<string, string>;
    groceriesGsi = txn.GSI1PK as string;
    merchantGsi = txn.GSI2PK as string;
    for (const month of ["2024-02", "2024-03"]) {
      const budget = await h.call("POST", "/v1/budgets", {
        token: a.token,
        body: { month, totalIncome: 100_000 },
      });
      expect(budget.status).toBe(201);
    }
  });

  const routes = {
    plain: "/v1/transactions?limit=1",
    month: "/v1/transactions?limit=1&month=2024-03",
    category: "/v1/transactions?limit=1&category=groceries&month=2024-03",
    merchant: "/v1/transactions?limit=1&merchant=Blue%20Bottle",
    budgets: "/v1/budgets?limit=1",
  };

  // Each builds a cursor in the caller's own partition; `pk`, `groceriesGsi` and `merchantGsi` are
  // the caller's own keys, so only the shape is wrong. Every one of them answered 500, or was
  // silently taken as a start key, before start keys were checked against their route. (A non-string
  // value, an unknown index partition or a wrong `i` were already refused, and still are.)
  const cases: [keyof typeof routes, string, () => unknown][] = [
    ["plain", "missing SK", () => ({ i: 0, k: { PK: pk } })],
    ["plain", "an extra attribute", () => ({ i: 0, k: { PK: pk, SK: txnSk("2024-03-10"), x: "1" } })],
    [
      "plain",
      "an extra field beside the key",
      () => ({ i: 0, k: { PK: pk, SK: txnSk("2024-03-10") }, x: 1 }),
    ],
    ["plain", "SK of a category", () => ({ i: 0, k: { PK: pk, SK: `CATEGORY#${ULID}` } })],
    ["plain", "SK of a transaction pointer", () => ({ i: 0, k: { PK: pk, SK: `TXNID#${ULID}` } })],
    [
      "plain",
      "an SK of 2,000 bytes",
      () => ({ i: 0, k: { PK: pk, SK: `TXN#2024-03-10#${"9".repeat(2_000)}` } }),
    ],
    ["plain", "an empty SK", () => ({ i: 0, k: { PK: pk, SK: "" } })],
    [
      "plain",
      "a GSI1 cursor on the table's route",
      () => ({
        i: 0,
        k: { PK: pk, SK: txnSk("2024-03-10"), GSI1PK: groceriesGsi, GSI1SK: txnSk("2024-03-10") },
      }),
    ],
    ["month", "an SK outside the month", () => ({ i: 0, k: { PK: pk, SK: txnSk("2023-01-10") } })],
    ["month", "an SK of a budget", () => ({ i: 0, k: { PK: pk, SK: "BUDGET#2024-03" } })],
    [
      "category",
      "an index sort key that does not match the table's",
      () => ({
        i: 0,
        k: { PK: pk, SK: txnSk("2024-03-10"), GSI1PK: groceriesGsi, GSI1SK: "TXN#2024-03-11" },
      }),
    ],
    [
      "category",
      "the index sort key outside the month",
      () => ({
        i: 0,
        k: { PK: pk, SK: txnSk("2024-05-10"), GSI1PK: groceriesGsi, GSI1SK: txnSk("2024-05-10") },
      }),
    ],
    [
      "category",
      "missing GSI1SK",
      () => ({ i: 0, k: { PK: pk, SK: txnSk("2024-03-10"), GSI1PK: groceriesGsi } }),
    ],
    [
      "merchant",
      "a category SK in the merchant index",
      () => ({
        i: 0,
        k: { PK: pk, SK: `CATEGORY#${ULID}`, GSI2PK: merchantGsi, GSI2SK: `CATEGORY#${ULID}` },
      }),
    ],
    [
      "merchant",
      "missing GSI2SK",
      () => ({ i: 0, k: { PK: pk, SK: txnSk("2024-03-10"), GSI2PK: merchantGsi } }),
    ],
    [
      "merchant",
      "an index sort key that does not match the table's",
      () => ({
        i: 0,
        k: { PK: pk, SK: txnSk("2024-03-10"), GSI2PK: merchantGsi, GSI2SK: txnSk("2024-03-12") },
      }),
    ],
    ["budgets", "missing SK", () => ({ PK: pk, GSI1PK: pk, GSI1SK: "BUDGET#2024-03" })],
    ["budgets", "only the index keys", () => ({ GSI1PK: pk, GSI1SK: "BUDGET#2024-03" })],
    [
      "budgets",
      "SK of a category",
      () => ({ PK: pk, SK: `CATEGORY#${ULID}`, GSI1PK: pk, GSI1SK: `CATEGORY#${ULID}` }),
    ],
    [
      "budgets",
      "an index sort key that does not match the table's",
      () => ({ PK: pk, SK: "BUDGET#2024-03", GSI1PK: pk, GSI1SK: "BUDGET#2024-02" }),
    ],
    [
      "budgets",
      "an extra attribute",
      () => ({ PK: pk, SK: "BUDGET#2024-03", GSI1PK: pk, GSI1SK: "BUDGET#2024-03", status: "active" }),
    ],
    [
      "budgets",
      "an SK of 1,100 bytes",
      () => ({ PK: pk, SK: `BUDGET#${"9".repeat(1_100)}`, GSI1PK: pk, GSI1SK: "BUDGET#2024-03" }),
    ],
    [
      "budgets",
      "a month that is not one",
      () => ({ PK: pk, SK: "BUDGET#2024-03x", GSI1PK: pk, GSI1SK: "BUDGET#2024-03x" }),
    ],
  ];

  it.each(cases)("%s: %s answers 400 naming the cursor", async (route, _what, build) => {
    const res = await h.call("GET", `${routes[route]}&cursor=${cursorOf(build())}`, { token: a.token });
    expectProblem(res, 400, "cursor");
  });

  // The control: strict checks must still take every cursor the API hands out.
  it("the cursors the API gives out still page through every route", async () => {
    for (const [route, path] of Object.entries(routes)) {
      const first = await h.call("GET", path, { token: a.token });
      expect(first.status, route).toBe(200);
      expect(first.body.nextCursor, route).toEqual(expect.any(String));
      const next = await h.call("GET", `${path}&cursor=${first.body.nextCursor}`, { token: a.token });
      expect(next.status, route).toBe(200);
      expect(next.body.items).toHaveLength(1);
      expect(next.body.items[0]).not.toEqual(first.body.items[0]);
    }
  });
});

/** Writes a month's totals item as if many transactions had already added up to these figures. */
async function seedTotals(a: Account, month: string, figures: Record<string, number>) {
  await h.store.db.send(
    new PutCommand({
      TableName: h.store.tables.budgets,
      Item: {
        ...keys.monthTotals(a.owner, month),
        entity: "monthTotals",
        month,
        income: 0,
        expenses: 0,
        count: 9_000,
        revision: 9_000,
        ...figures,
      },
    }),
  );
}

describe("totals stay within safe integers", () => {
  it("refuses an expense that would take the month's expenses past 2^53 cents, and the budget still reads", async () => {
    const a = await signup(h);
    const groceries = await categoryId(a, "groceries");
    expect(
      (await h.call("POST", "/v1/budgets", { token: a.token, body: { month: "2024-03", totalIncome: 100 } }))
        .status,
    ).toBe(201);
    await seedTotals(a, "2024-03", { expenses: MAX_SAFE - 500, [`spent#${groceries}`]: MAX_SAFE - 500 });
    const before = await ownerItems(h.store, a.owner);

    const refused = await expense(a, { amount: MAX_CENTS, categoryId: groceries });
    expectProblem(refused, 422, "amount");
    expect(await ownerItems(h.store, a.owner)).toEqual(before);

    const list = await h.call("GET", "/v1/budgets", { token: a.token });
    expect(list.status, JSON.stringify(list.body)).toBe(200);
    expect(list.body.items[0].totalActualExpenses).toBe(MAX_SAFE - 500);
    const one = await h.call("GET", "/v1/budgets/2024-03", { token: a.token });
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body.availableForDebtPayoff).toBe(0);

    // What still fits is taken.
    expect((await expense(a, { amount: 500, categoryId: groceries })).status).toBe(201);
  });

  it("refuses income past 2^53 cents, and a category's spending past it", async () => {
    const a = await signup(h);
    const dining = await categoryId(a, "dining");
    await seedTotals(a, "2024-04", { income: MAX_SAFE - 1, [`spent#${dining}`]: MAX_SAFE - 1 });
    const before = await ownerItems(h.store, a.owner);
    expectProblem(await expense(a, { date: "2024-04-02", type: "income", amount: 2 }), 422, "amount");
    expectProblem(await expense(a, { date: "2024-04-02", amount: 2, categoryId: dining }), 422, "amount");
    expect(await ownerItems(h.store, a.owner)).toEqual(before);
    expect((await expense(a, { date: "2024-04-02", amount: 2 })).status).toBe(201);
  });

  it("refuses raising an amount, or moving a transaction, into a month that cannot take it", async () => {
    const a = await signup(h);
    const created = await expense(a, { date: "2024-05-02", amount: 100 });
    expect(created.status).toBe(201);
    await seedTotals(a, "2024-05", {
      expenses: MAX_SAFE - 150,
      count: 1,
      "spent#uncategorized": MAX_SAFE - 150,
    });
    await seedTotals(a, "2024-06", { expenses: MAX_SAFE - 10, "spent#uncategorized": MAX_SAFE - 10 });
    const before = await ownerItems(h.store, a.owner);
    const id = created.body.transactionId;
    expectProblem(
      await h.call("PUT", `/v1/transactions/${id}`, { token: a.token, body: { amount: 300 } }),
      422,
      "amount",
    );
    expectProblem(
      await h.call("PUT", `/v1/transactions/${id}`, { token: a.token, body: { date: "2024-06-01" } }),
      422,
      "amount",
    );
    expect(await ownerItems(h.store, a.owner)).toEqual(before);
    expect(
      (await h.call("PUT", `/v1/transactions/${id}`, { token: a.token, body: { amount: 150 } })).status,
    ).toBe(200);
  });

  it("refuses an import whose rows would take a month past 2^53 cents, dry run included, writing nothing", async () => {
    const a = await signup(h);
    await seedTotals(a, "2024-07", { expenses: MAX_SAFE - 1_000, "spent#uncategorized": MAX_SAFE - 1_000 });
    const before = await ownerItems(h.store, a.owner);
    // 6 + 5 = 11 dollars: 1,100 cents, one hundred too many; either row alone would fit.
    const file = "Date,Description,Amount\n2024-07-01,SHOP ONE,-6.00\n2024-07-02,SHOP TWO,-5.00\n";
    expectProblem(await upload(a, csvFile(file), "?dryRun=true"), 422, "file");
    expectProblem(await upload(a, csvFile(file)), 422, "file");
    expect(await ownerItems(h.store, a.owner)).toEqual(before);
    const fits = "Date,Description,Amount\n2024-07-01,SHOP ONE,-6.00\n";
    expect((await upload(a, csvFile(fits))).status).toBe(201);
  });
});

describe("currency stays honest", () => {
  it.each([
    ["JPY", 0],
    ["KRW", 0],
    ["BHD", 3],
    ["KWD", 3],
  ])("refuses %s, which has %i decimal places", async (currency, digits) => {
    const a = await signup(h);
    const res = await h.call("POST", "/v1/budgets", {
      token: a.token,
      body: { month: "2024-03", totalIncome: 100, currency },
    });
    expectProblem(res, 400, "currency");
    expect(res.body.errors[0].message).toBe(
      `${currency} has ${digits} decimal places; only currencies with 2 are supported for now`,
    );
  });

  it("changes the currency of a month with no amounts in it, and refuses once amounts exist", async () => {
    const a = await signup(h);
    const groceries = await categoryId(a, "groceries");
    const empty = await h.call("POST", "/v1/budgets", {
      token: a.token,
      body: { month: "2024-03", totalIncome: 0, categories: [{ categoryId: groceries, limit: 0 }] },
    });
    expect(empty.status).toBe(201);
    const euro = await h.call("PUT", "/v1/budgets/2024-03", { token: a.token, body: { currency: "EUR" } });
    expect(euro.status, JSON.stringify(euro.body)).toBe(200);
    expect(euro.body.currency).toBe("EUR");

    const planned = await h.call("PUT", "/v1/budgets/2024-03", {
      token: a.token,
      body: { categories: [{ categoryId: groceries, limit: 5_000 }] },
    });
    expect(planned.status).toBe(200);
    const refused = await h.call("PUT", "/v1/budgets/2024-03", { token: a.token, body: { currency: "GBP" } });
    expectProblem(refused, 422, "currency");
    // Sending the currency it already has is no change.
    expect(
      (await h.call("PUT", "/v1/budgets/2024-03", { token: a.token, body: { currency: "EUR" } })).status,
    ).toBe(200);
    const after = await h.call("GET", "/v1/budgets/2024-03", { token: a.token });
    expect(after.body.currency).toBe("EUR");
  });

  it("refuses a currency change in a month that has a transaction, even with no plan amounts", async () => {
    const a = await signup(h);
    expect(
      (
        await h.call("POST", "/v1/budgets", {
          token: a.token,
          body: { month: "2024-04", totalIncome: 0, categories: [] },
        })
      ).status,
    ).toBe(201);
    expect((await expense(a, { date: "2024-04-20" })).status).toBe(201);
    const before = await ownerItems(h.store, a.owner);
    expectProblem(
      await h.call("PUT", "/v1/budgets/2024-04", { token: a.token, body: { currency: "EUR" } }),
      422,
      "currency",
    );
    // Planning an archived month again in another currency is the same change.
    expect((await h.call("DELETE", "/v1/budgets/2024-04", { token: a.token })).status).toBe(204);
    expectProblem(
      await h.call("POST", "/v1/budgets", {
        token: a.token,
        body: { month: "2024-04", totalIncome: 0, categories: [], currency: "EUR" },
      }),
      422,
      "currency",
    );
    expect((await ownerItems(h.store, a.owner)).filter((i) => i.entity === "budget")).toEqual([
      expect.objectContaining({ currency: "USD", status: "archived" }),
    ]);
    expect(before.filter((i) => i.entity === "transaction")).toHaveLength(1);
  });
});
