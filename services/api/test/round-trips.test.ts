import { beforeAll, describe, expect, it } from "vitest";
import { type Account, type Harness, harness, type Reply, roundTrips, signup } from "./support/harness";

let h: Harness;
let a: Account;
let groceries: string;

beforeAll(async () => {
  h = harness();
  a = await signup(h);
  const categories = await h.call("GET", "/v1/categories", { token: a.token });
  groceries = categories.body.items.find((c: { type: string }) => c.type === "groceries").categoryId;
});

/** The DynamoDB commands one request sent, by name, and in how many sequential round trips. */
async function measure(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  h.commands.length = 0;
  const reply: Reply = await h.call(method, path, { token: a.token, ...(body ? { body } : {}), headers });
  expect(reply.status, JSON.stringify(reply.body)).toBeLessThan(300);
  const sent = [...h.commands];
  const names: Record<string, number> = {};
  for (const c of sent) names[c.name] = (names[c.name] ?? 0) + 1;
  return { reply, rounds: roundTrips(sent), names, sent };
}

const READS = new Set(["GetItemCommand", "QueryCommand", "BatchGetItemCommand"]);

/** Every read a version-checked write relies on must see the latest write, on real DynamoDB too. */
function expectConsistentReads(sent: { name: string; input: Record<string, unknown> }[]) {
  const reads = sent.filter((c) => READS.has(c.name));
  expect(reads.length).toBeGreaterThan(0);
  for (const r of reads) {
    const consistent =
      r.name === "BatchGetItemCommand"
        ? Object.values(r.input.RequestItems as Record<string, { ConsistentRead?: boolean }>).every(
            (t) => t.ConsistentRead === true,
          )
        : r.input.ConsistentRead === true;
    expect(consistent, `${r.name} ${JSON.stringify(r.input)}`).toBe(true);
  }
}

describe("DynamoDB round trips per route (a change that adds one fails here)", () => {
  it("POST /v1/transactions reads categories, rules and merchant history at once, then writes once", async () => {
    const categorised = await measure("POST", "/v1/transactions", {
      date: "2025-04-02",
      amount: 1_250,
      merchant: "Corner Grocer",
      categoryId: groceries,
    });
    // With a category given, no rules or history are needed: one read of categories and accounts
    // (side by side), one write.
    expect(categorised.names).toEqual({ QueryCommand: 2, TransactWriteItemsCommand: 1 });
    expect(categorised.rounds).toBe(2);

    const chosen = await measure(
      "POST",
      "/v1/transactions",
      { date: "2025-04-03", amount: 990, merchant: "Corner Grocer" },
      { "idempotency-key": "round-trips-1" },
    );
    // categories, accounts, rules, merchant history and the idempotency record, all in the first round
    expect(chosen.names).toEqual({ QueryCommand: 3, GetItemCommand: 2, TransactWriteItemsCommand: 1 });
    expect(chosen.rounds).toBe(2);
    expect(chosen.reply.body.categoryId).toBe(groceries);
  });

  it("changes of a transaction read it (pointer, then item) beside the categories, then write once", async () => {
    const made = await h.call("POST", "/v1/transactions", {
      token: a.token,
      body: { date: "2025-04-05", amount: 400, categoryId: groceries },
    });
    const id = made.body.transactionId;
    const put = await measure("PUT", `/v1/transactions/${id}`, { amount: 450 }, { "if-match": '"1"' });
    expect(put.names).toEqual({ QueryCommand: 2, GetItemCommand: 2, TransactWriteItemsCommand: 1 });
    expect(put.rounds).toBe(3);
    expectConsistentReads(put.sent);

    const get = await measure("GET", `/v1/transactions/${id}`);
    expect(get.names).toEqual({ GetItemCommand: 2 });
    expect(get.rounds).toBe(2);

    const del = await measure("DELETE", `/v1/transactions/${id}`, undefined, { "if-match": '"2"' });
    expect(del.names).toEqual({ GetItemCommand: 2, TransactWriteItemsCommand: 1 });
    expect(del.rounds).toBe(3);
  });

  it("budgets: one round of reads (plan, totals, categories, recurring templates), then one write", async () => {
    const create = await measure("POST", "/v1/budgets", { month: "2025-04", totalIncome: 500_000 });
    expect(create.names).toEqual({
      GetItemCommand: 1,
      QueryCommand: 2,
      BatchGetItemCommand: 1,
      TransactWriteItemsCommand: 1,
    });
    expect(create.rounds).toBe(2);

    const get = await measure("GET", "/v1/budgets/2025-04");
    expect(get.names).toEqual({ GetItemCommand: 1, QueryCommand: 2, BatchGetItemCommand: 1 });
    // The templates are one Query of the user's RECURRING# items, whatever the month.
    const templates = get.sent.filter(
      (c) => c.name === "QueryCommand" && JSON.stringify(c.input).includes('"RECURRING#"'),
    );
    expect(templates).toHaveLength(1);
    expect(get.rounds).toBe(1);

    const put = await measure("PUT", "/v1/budgets/2025-04", { totalIncome: 510_000 }, { "if-match": '"1"' });
    expect(put.names).toEqual({
      GetItemCommand: 1,
      QueryCommand: 2,
      BatchGetItemCommand: 1,
      TransactWriteItemsCommand: 1,
    });
    expect(put.rounds).toBe(2);
    expectConsistentReads(put.sent);

    const limit = await measure(
      "PUT",
      `/v1/budgets/2025-04/categories/${groceries}`,
      { limit: 60_000 },
      { "if-match": '"2"' },
    );
    expectConsistentReads(limit.sent);
    expect(limit.rounds).toBe(2);

    const list = await measure("GET", "/v1/budgets");
    expect(list.names).toEqual({ QueryCommand: 3, BatchGetItemCommand: 1 });
    expect(list.rounds).toBe(2);
  });

  it("categories and rules: a consistent read, then one write", async () => {
    const created = await measure("POST", "/v1/categories", { name: "Round trips", group: "discretionary" });
    expect(created.names).toEqual({ TransactWriteItemsCommand: 1 });
    const id = created.reply.body.categoryId;
    const put = await measure(
      "PUT",
      `/v1/categories/${id}`,
      { name: "Round trips 2" },
      { "if-match": '"1"' },
    );
    expect(put.names).toEqual({ GetItemCommand: 1, TransactWriteItemsCommand: 1 });
    expectConsistentReads(put.sent);
    const del = await measure("DELETE", `/v1/categories/${id}`, undefined, { "if-match": '"2"' });
    // The category, and its quota counter, read to be sure it exists for the delete to move back
    // (users from before the caps have none: db/quotas.ts `releaseOp`).
    expect(del.names).toEqual({ GetItemCommand: 2, TransactWriteItemsCommand: 1 });
    expect(del.reply.body.result).toBe("deleted");
    expectConsistentReads(del.sent);

    const rule = await measure("POST", "/v1/rules", {
      conditions: { merchant: { op: "contains", value: "grocer" } },
      actions: { categoryId: groceries },
    });
    expect(rule.names).toEqual({ TransactWriteItemsCommand: 1 });
    const ruleId = rule.reply.body.ruleId;
    const putRule = await measure("PUT", `/v1/rules/${ruleId}`, { priority: 5 }, { "if-match": '"1"' });
    expect(putRule.names).toEqual({ GetItemCommand: 1, TransactWriteItemsCommand: 1 });
    expectConsistentReads(putRule.sent);
  });

  it("goals: a contribution reads the goal beside its idempotency record, then writes once", async () => {
    const created = await measure("POST", "/v1/goals", {
      name: "Rainy day",
      targetAmount: 500_000,
      targetDate: "2031-12-31",
      categoryId: groceries,
    });
    expect(created.names).toEqual({ TransactWriteItemsCommand: 1 });
    const id = created.reply.body.goalId;
    const paid = await measure(
      "POST",
      `/v1/goals/${id}/contributions`,
      { amount: 2_500, date: "2025-04-02" },
      { "idempotency-key": "rt-goal-1" },
    );
    expect(paid.names).toEqual({ GetItemCommand: 2, TransactWriteItemsCommand: 1 });
    expect(paid.rounds).toBe(2);
    expectConsistentReads(paid.sent);
    const put = await measure("PUT", `/v1/goals/${id}`, { priority: 1 });
    expect(put.names).toEqual({ GetItemCommand: 1, TransactWriteItemsCommand: 1 });
    expect(put.rounds).toBe(2);
    expectConsistentReads(put.sent);
    for (const path of [`/v1/goals/${id}`, "/v1/goals", "/v1/goals?status=active"]) {
      const read = await measure("GET", path);
      expect(read.rounds, path).toBe(1);
    }
    const del = await measure("DELETE", `/v1/goals/${id}`);
    expect(del.names).toEqual({ GetItemCommand: 1, QueryCommand: 1, TransactWriteItemsCommand: 1 });
    expect(del.rounds).toBe(3);
    expectConsistentReads(del.sent);
  });

  it("reads: one round trip for a list, a month or a profile", async () => {
    const list = await measure("GET", "/v1/transactions?month=2025-04&limit=50");
    expect(list.names).toEqual({ QueryCommand: 1 });
    const byCategory = await measure("GET", "/v1/transactions?month=2025-04&category=groceries");
    expect(byCategory.names).toEqual({ QueryCommand: 1 });
    expect((await measure("GET", "/v1/categories")).names).toEqual({ QueryCommand: 1 });
    expect((await measure("GET", "/v1/me")).names).toEqual({ GetItemCommand: 1 });
    for (const r of [list, byCategory]) expect(r.rounds).toBe(1);
  });

  it("an import: lease, one round of reads, the record, then per chunk one count and its rows", async () => {
    const csv = [
      "Date,Description,Amount",
      "2025-04-10,Corner Grocer,-12.50",
      "2025-04-11,Payroll,2500.00",
    ].join("\n");
    const form = new FormData();
    form.set("file", new File([csv], "small.csv"));
    h.commands.length = 0;
    const reply = await h.call("POST", "/v1/imports", { token: a.token, raw: form });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    const names: Record<string, number> = {};
    for (const c of h.commands) names[c.name] = (names[c.name] ?? 0) + 1;
    expect(names).toEqual({
      // the lease read; the records of the import, the merchants and the final read
      GetItemCommand: 2,
      // lease taken, import record created
      PutItemCommand: 2,
      // the account (its kind and remembered choices), then existing ids, the account's
      // transactions around the file's dates (to reconcile with), categories, rules, learned
      // merchants, month totals (one round)
      BatchGetItemCommand: 3,
      QueryCommand: 4,
      // the lease's months; merchant counts; the record finished
      UpdateItemCommand: 4,
      TransactWriteItemsCommand: 1,
      BatchWriteItemCommand: 1,
      DeleteItemCommand: 1,
    });
    const got = await measure("GET", `/v1/imports/${reply.body.importId}`);
    expect(got.names).toEqual({ GetItemCommand: 1 });
  });
});
