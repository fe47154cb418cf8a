import { BatchWriteCommand, DeleteCommand, GetCommand } from "@aws-sdk/lib-dynamodb";
import { Rule } from "@tyche/types";
import { ulid } from "ulid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIMITS, type QuotaKind } from "../src/db/quotas";
import { RuleRepository } from "../src/db/rules";
import { type Account, type Harness, harness, signup } from "./support/harness";

let h: Harness;

beforeAll(() => {
  h = harness();
});
afterAll(() => h.close());

const counter = async (a: Account, kind: QuotaKind) =>
  (
    await h.store.db.send(
      new GetCommand({
        TableName: h.store.tables.budgets,
        Key: { PK: `TENANT#${a.owner.tenantId}#USER#${a.owner.userId}`, SK: `QUOTA#${kind}` },
        ConsistentRead: true,
      }),
    )
  ).Item?.n as number | undefined;

/** A user from before the caps: sign-up made no counters then. */
async function forgetCounters(a: Account) {
  for (const kind of Object.keys(LIMITS))
    await h.store.db.send(
      new DeleteCommand({
        TableName: h.store.tables.budgets,
        Key: { PK: `TENANT#${a.owner.tenantId}#USER#${a.owner.userId}`, SK: `QUOTA#${kind}` },
      }),
    );
}

/**
 * Rules as a user from before the caps has them: stored straight into the table, with no counter
 * moved, as any write before this change left them.
 */
async function legacyRules(a: Account, count: number) {
  const repo = new RuleRepository(h.store);
  const now = new Date().toISOString();
  const items = Array.from({ length: count }, (_, i) => {
    const rule = Rule.parse({
      ruleId: ulid(),
      name: `legacy ${i}`,
      priority: 100,
      enabled: true,
      conditions: { merchant: { op: "contains", value: `shop ${i}` } },
      actions: { merchantName: `Shop ${i}` },
      version: 1,
      createdAt: now,
      updatedAt: now,
    });
    return repo.createOp(a.owner, rule).item.Put?.Item as Record<string, unknown>;
  });
  for (let i = 0; i < items.length; i += 25) {
    await h.store.db.send(
      new BatchWriteCommand({
        RequestItems: {
          [h.store.tables.budgets]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
        },
      }),
    );
  }
}

const newRule = (a: Account, i: number | string) =>
  h.call("POST", "/v1/rules", {
    token: a.token,
    body: {
      conditions: { merchant: { op: "contains", value: `new ${i}` } },
      actions: { merchantName: `New ${i}` },
    },
  });

const rules = async (a: Account) =>
  (await h.call("GET", "/v1/rules", { token: a.token })).body.items as { ruleId: string }[];

describe("per-user caps", () => {
  it("counts an existing user's rules on first use, then lets exactly one of several racing creates take the last place", async () => {
    const a = await signup(h);
    // sign-up counts what it makes, none of them rules
    expect(await counter(a, "rules")).toBe(0);
    await forgetCounters(a);
    await legacyRules(a, LIMITS.rules - 2);
    expect(await counter(a, "rules")).toBeUndefined();

    // the first create after the change counts what is there
    expect((await newRule(a, "first")).status).toBe(201);
    expect(await counter(a, "rules")).toBe(LIMITS.rules - 1);

    // two tabs (and a few more) at once for the one place left
    const racing = await Promise.all(Array.from({ length: 6 }, (_, i) => newRule(a, `race ${i}`)));
    const statuses = racing.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
    const refused = racing.find((r) => r.status === 409);
    expect(refused?.headers.get("content-type")).toBe("application/problem+json");
    expect(refused?.body).toMatchObject({ status: 409, title: "Limit reached" });
    expect(refused?.body.type).toMatch(/limit-reached$/);
    expect(refused?.body.detail).toContain(`${LIMITS.rules}`);
    expect(refused?.body.detail).toContain("rules");
    expect(await rules(a)).toHaveLength(LIMITS.rules);
    expect(await counter(a, "rules")).toBe(LIMITS.rules);

    // a delete gives the place back, and only one create takes it
    const [first] = await rules(a);
    expect((await h.call("DELETE", `/v1/rules/${first?.ruleId}`, { token: a.token })).status).toBe(204);
    expect(await counter(a, "rules")).toBe(LIMITS.rules - 1);
    const again = await Promise.all([newRule(a, "again 1"), newRule(a, "again 2")]);
    expect(again.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await rules(a)).toHaveLength(LIMITS.rules);
  }, 120_000);

  it("caps personal access tokens; revoking one frees its place", async () => {
    const a = await signup(h);
    const create = (name: string) => h.call("POST", "/v1/tokens", { token: a.token, body: { name } });
    for (let i = 0; i < LIMITS.tokens - 1; i++) expect((await create(`t${i}`)).status).toBe(201);
    const racing = await Promise.all([create("x"), create("y"), create("z")]);
    expect(racing.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(racing.find((r) => r.status === 409)?.body.detail).toContain("personal access tokens");
    const list = (await h.call("GET", "/v1/tokens", { token: a.token })).body.items as { tokenId: string }[];
    expect(list).toHaveLength(LIMITS.tokens);
    expect((await h.call("DELETE", `/v1/tokens/${list[0]?.tokenId}`, { token: a.token })).status).toBe(204);
    expect((await create("after revoke")).status).toBe(201);
    expect((await create("one too many")).status).toBe(409);
  }, 60_000);

  it("caps categories and accounts (cards included), counting the starter kit and the first account", async () => {
    const a = await signup(h);
    const categories = (await h.call("GET", "/v1/categories", { token: a.token })).body.items
      .length as number;
    const accounts = (await h.call("GET", "/v1/accounts", { token: a.token })).body.items.length as number;
    // sign-up counted its starter categories and first account in the same transaction
    expect(await counter(a, "categories")).toBe(categories);
    expect(await counter(a, "accounts")).toBe(accounts);
    const category = (i: number) =>
      h.call("POST", "/v1/categories", {
        token: a.token,
        body: { name: `Cat ${i}`, group: "discretionary" },
      });
    for (let i = categories; i < LIMITS.categories - 1; i++) expect((await category(i)).status).toBe(201);
    const lastCats = await Promise.all([category(9001), category(9002)]);
    expect(lastCats.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await counter(a, "categories")).toBe(LIMITS.categories);

    const account = (i: number) =>
      h.call("POST", "/v1/accounts", { token: a.token, body: { name: `Acct ${i}`, type: "savings" } });
    const card = (i: number) =>
      h.call("POST", "/v1/cards", {
        token: a.token,
        body: { name: `Card ${i}`, balance: 0, aprBasisPoints: 2000, creditLimit: 100000, dueDay: 5 },
      });
    for (let i = accounts; i < LIMITS.accounts - 2; i++) expect((await account(i)).status).toBe(201);
    expect((await card(1)).status).toBe(201);
    const lastAccounts = await Promise.all([account(9001), card(9002)]);
    expect(lastAccounts.map((r) => r.status).sort(), JSON.stringify(lastAccounts.map((r) => r.body))).toEqual(
      [201, 409],
    );
    expect(await counter(a, "accounts")).toBe(LIMITS.accounts);
    // another user is not held to this one's count
    const b = await signup(h);
    expect((await newRule(b, "b")).status).toBe(201);
    expect(
      (await h.call("POST", "/v1/accounts", { token: b.token, body: { name: "B", type: "cash" } })).status,
    ).toBe(201);
  }, 180_000);
});
