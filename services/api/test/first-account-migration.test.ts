import { DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { firstAccountId, keys, ownerKey } from "../src/db/keys";
import { createFirstAccountMigration } from "../src/services";
import { type Harness, harness, ownerItems, signup } from "./support/harness";

let h: Harness;
beforeAll(() => {
  h = harness();
});

/** Takes a user back to before accounts: no account item, and transactions without an account. */
async function asBeforeAccounts(owner: { tenantId: string; userId: string }) {
  await h.store.db.send(
    new DeleteCommand({
      TableName: h.store.tables.budgets,
      Key: keys.account(owner, firstAccountId(ownerKey(owner))),
    }),
  );
  await h.store.db.send(
    new DeleteCommand({ TableName: h.store.tables.budgets, Key: keys.accountsMigrated(owner) }),
  );
  for (const item of await ownerItems(h.store, owner)) {
    if (!String(item.SK).startsWith("TXN#")) continue;
    await h.store.db.send(
      new UpdateCommand({
        TableName: h.store.tables.transactionDetails,
        Key: { PK: item.PK, SK: item.SK },
        UpdateExpression:
          "REMOVE accountId, onBudget, toAccountId, transfer, bankId, pending, cleared, GSI3PK, GSI3SK",
      }),
    );
  }
}

describe("transactions from before accounts", () => {
  it("read as the first account's, and move into it with its balance, exactly once", async () => {
    const u = await signup(h);
    const made = [];
    for (const [amount, type] of [
      [4_000, "expense"],
      [250_000, "income"],
      [1_500, "expense"],
    ] as const) {
      const res = await h.call("POST", "/v1/transactions", {
        token: u.token,
        body: { date: "2026-02-03", amount, type, merchant: "Somewhere" },
      });
      made.push(res.body.transactionId);
    }
    await asBeforeAccounts(u.owner);
    const first = firstAccountId(ownerKey(u.owner));
    const legacy = await h.call("GET", `/v1/transactions/${made[0]}`, { token: u.token });
    expect(legacy.body).toMatchObject({ accountId: first, pending: false, transfer: null });
    expect((await h.call("GET", "/v1/accounts", { token: u.token })).body.items).toEqual([]);

    const migration = createFirstAccountMigration(h.store);
    expect(await migration.run(u.owner)).toBe(3);
    const account = (await h.call("GET", `/v1/accounts/${first}`, { token: u.token })).body;
    expect(account).toMatchObject({
      name: "Checking",
      balance: 250_000 - 4_000 - 1_500,
      transactionCount: 3,
    });
    const register = await h.call("GET", `/v1/accounts/${first}/transactions`, { token: u.token });
    expect(register.body.items.map((r: { transactionId: string }) => r.transactionId).sort()).toEqual(
      [...made].sort(),
    );
    // Run again (a restart): nothing moves twice.
    expect(await migration.run(u.owner)).toBe(0);
    expect(await migration.runAll()).toBe(0);
    expect((await h.call("GET", `/v1/accounts/${first}`, { token: u.token })).body.balance).toBe(244_500);
  });

  it("migrates every user the server knows when it starts", async () => {
    const u = await signup(h);
    await h.call("POST", "/v1/transactions", { token: u.token, body: { date: "2026-02-03", amount: 999 } });
    await asBeforeAccounts(u.owner);
    expect(await createFirstAccountMigration(h.store).runAll()).toBeGreaterThanOrEqual(1);
    const first = firstAccountId(ownerKey(u.owner));
    expect((await h.call("GET", `/v1/accounts/${first}`, { token: u.token })).body).toMatchObject({
      balance: -999,
      transactionCount: 1,
    });
  });
});
