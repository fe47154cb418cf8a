import { beforeAll, describe, expect, it } from "vitest";
import { firstAccountId, ownerKey } from "../src/db/keys";
import {
  auditActions,
  type Harness,
  harness,
  ownerItems,
  signup,
  type Account as User,
} from "./support/harness";

let h: Harness;
beforeAll(() => {
  h = harness();
});

const accountOf = async (u: User, id: string) =>
  (await h.call("GET", `/v1/accounts/${id}`, { token: u.token })).body;

async function open(u: User, body: Record<string, unknown>): Promise<string> {
  const res = await h.call("POST", "/v1/accounts", { token: u.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.accountId;
}

async function record(u: User, body: Record<string, unknown>) {
  const res = await h.call("POST", "/v1/transactions", { token: u.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function categoryId(u: User, type: string): Promise<string> {
  const res = await h.call("GET", "/v1/categories", { token: u.token });
  return res.body.items.find((c: { type: string }) => c.type === type).categoryId;
}

async function month(u: User, m: string) {
  const res = await h.call("GET", `/v1/budgets/${m}`, { token: u.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

describe("accounts", () => {
  it("gives a new user one checking account, under the id their first account always has", async () => {
    const u = await signup(h);
    const res = await h.call("GET", "/v1/accounts", { token: u.token });
    expect(res.body.items).toEqual([
      expect.objectContaining({
        accountId: firstAccountId(ownerKey(u.owner)),
        name: "Checking",
        type: "checking",
        currency: "USD",
        onBudget: true,
        closed: false,
        balance: 0,
        transactionCount: 0,
        lastImportAt: null,
      }),
    ]);
  });

  it("creates, reads, renames and deletes an account, with ETags and audit records", async () => {
    const u = await signup(h);
    const created = await h.call("POST", "/v1/accounts", {
      token: u.token,
      body: { name: "Visa", type: "credit-card", openingBalance: 120_000, openingDate: "2026-01-01" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Visa", type: "credit-card", balance: 120_000, version: 1 });
    expect(created.headers.get("etag")).toBe('"1"');
    const id = created.body.accountId;
    const stale = await h.call("PUT", `/v1/accounts/${id}`, {
      token: u.token,
      headers: { "if-match": '"7"' },
      body: { name: "Old" },
    });
    expect(stale.status).toBe(412);
    const renamed = await h.call("PUT", `/v1/accounts/${id}`, {
      token: u.token,
      headers: { "if-match": '"1"' },
      body: { name: "Visa Signature", openingBalance: 100_000 },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: "Visa Signature", balance: 100_000, version: 2 });
    const removed = await h.call("DELETE", `/v1/accounts/${id}`, { token: u.token });
    expect(removed.body).toEqual({ result: "deleted" });
    expect((await h.call("GET", `/v1/accounts/${id}`, { token: u.token })).status).toBe(404);
    expect(await auditActions(h.store, u.owner)).toEqual(
      expect.arrayContaining(["account.create", "account.update", "account.delete"]),
    );
  });

  it("closes an account that has transactions instead of deleting it; a closed one takes no new ones", async () => {
    const u = await signup(h);
    const id = await open(u, { name: "Cash", type: "cash" });
    await record(u, { accountId: id, date: "2026-03-02", amount: 500, merchant: "Kiosk" });
    expect((await h.call("DELETE", `/v1/accounts/${id}`, { token: u.token })).body).toEqual({
      result: "closed",
    });
    const listed = await h.call("GET", "/v1/accounts", { token: u.token });
    expect(listed.body.items.map((a: { accountId: string }) => a.accountId)).not.toContain(id);
    const all = await h.call("GET", "/v1/accounts?includeClosed=true", { token: u.token });
    expect(all.body.items.find((a: { accountId: string }) => a.accountId === id)).toMatchObject({
      closed: true,
      balance: -500,
    });
    const refused = await h.call("POST", "/v1/transactions", {
      token: u.token,
      body: { accountId: id, date: "2026-03-03", amount: 100 },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: "accountId" })]);
  });

  it("refuses to change what decided how transactions counted while the account holds any", async () => {
    const u = await signup(h);
    const id = await open(u, { name: "Savings", type: "savings" });
    // Empty: may still change.
    const ok = await h.call("PUT", `/v1/accounts/${id}`, { token: u.token, body: { onBudget: false } });
    expect(ok.status).toBe(200);
    await record(u, { accountId: id, date: "2026-03-02", amount: 500, type: "income" });
    for (const body of [{ onBudget: true }, { type: "credit-card" }, { currency: "EUR" }]) {
      const res = await h.call("PUT", `/v1/accounts/${id}`, { token: u.token, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.errors[0].path).toBe(Object.keys(body)[0]);
    }
    // Among cash-like kinds the balance means the same: allowed.
    const kind = await h.call("PUT", `/v1/accounts/${id}`, { token: u.token, body: { type: "checking" } });
    expect(kind.status).toBe(200);
    expect(kind.body.balance).toBe(500);
  });

  it("keeps each balance exact: expenses, income, refunds, and what is owed on a card", async () => {
    const u = await signup(h);
    const checking = firstAccountId(ownerKey(u.owner));
    const card = await open(u, { name: "Amex", type: "credit-card", openingBalance: 50_000 });
    await record(u, { date: "2026-04-01", amount: 300_000, type: "income", merchant: "Employer" });
    await record(u, { date: "2026-04-02", amount: 4_550, merchant: "Grocer" });
    await record(u, { accountId: card, date: "2026-04-03", amount: 12_000, merchant: "Airline" });
    await record(u, {
      accountId: card,
      date: "2026-04-04",
      amount: 2_000,
      type: "refund",
      merchant: "Airline",
    });
    expect((await accountOf(u, checking)).balance).toBe(300_000 - 4_550);
    expect((await accountOf(u, card)).balance).toBe(50_000 + 12_000 - 2_000);
    expect((await accountOf(u, card)).transactionCount).toBe(2);
  });

  it("lowers a category's spending by a refund, below zero only when refunds exceed spending, and says so", async () => {
    const u = await signup(h);
    const shopping = await categoryId(u, "shopping");
    await h.call("POST", "/v1/budgets", { token: u.token, body: { month: "2026-05", totalIncome: 100_000 } });
    await record(u, { date: "2026-05-02", amount: 8_000, categoryId: shopping });
    await record(u, { date: "2026-05-03", amount: 3_000, type: "refund", categoryId: shopping });
    let view = (await month(u, "2026-05")).categories.find(
      (c: { categoryId: string }) => c.categoryId === shopping,
    );
    expect(view).toMatchObject({ spent: 5_000, refundsExceedSpending: false });
    const before = await month(u, "2026-05");
    await record(u, { date: "2026-05-04", amount: 6_000, type: "refund", categoryId: shopping });
    const after = await month(u, "2026-05");
    view = after.categories.find((c: { categoryId: string }) => c.categoryId === shopping);
    expect(view).toMatchObject({ spent: -1_000, refundsExceedSpending: true });
    expect(after.totalActualExpenses).toBe(before.totalActualExpenses - 6_000);
    // A refund is not income.
    expect(after.actualIncome).toBe(before.actualIncome);
  });

  it("moves money by a transfer: both balances move, the month's income and spending do not", async () => {
    const u = await signup(h);
    const checking = firstAccountId(ownerKey(u.owner));
    const card = await open(u, { name: "Visa", type: "credit-card", openingBalance: 80_000 });
    await h.call("POST", "/v1/budgets", { token: u.token, body: { month: "2026-06", totalIncome: 400_000 } });
    await record(u, { date: "2026-06-01", amount: 400_000, type: "income" });
    const before = await month(u, "2026-06");
    const out = await record(u, {
      date: "2026-06-10",
      amount: 25_000,
      type: "transfer",
      toAccountId: card,
      merchant: "Card payment",
    });
    expect(out).toMatchObject({ type: "transfer", accountId: checking, toAccountId: card });
    expect(out.transfer).toMatchObject({ fromAccountId: checking, toAccountId: card });
    const inLeg = await h.call("GET", `/v1/transactions/${out.transfer.linkedTransactionId}`, {
      token: u.token,
    });
    expect(inLeg.body).toMatchObject({ accountId: card, type: "transfer", amount: 25_000 });
    expect(inLeg.body.transfer.linkedTransactionId).toBe(out.transactionId);
    expect((await accountOf(u, checking)).balance).toBe(400_000 - 25_000);
    expect((await accountOf(u, card)).balance).toBe(80_000 - 25_000);
    const after = await month(u, "2026-06");
    expect(after.actualIncome).toBe(before.actualIncome);
    expect(after.totalActualExpenses).toBe(before.totalActualExpenses);
    expect(after.availableForDebtPayoff).toBe(before.availableForDebtPayoff);
    expect(after.paidToDebt).toBe(25_000);

    // Edited through either leg, the pair moves together.
    const edited = await h.call("PUT", `/v1/transactions/${inLeg.body.transactionId}`, {
      token: u.token,
      body: { amount: 30_000 },
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(
      (await h.call("GET", `/v1/transactions/${out.transactionId}`, { token: u.token })).body.amount,
    ).toBe(30_000);
    expect((await accountOf(u, checking)).balance).toBe(400_000 - 30_000);
    expect((await accountOf(u, card)).balance).toBe(80_000 - 30_000);
    expect((await month(u, "2026-06")).paidToDebt).toBe(30_000);

    // Deleting one leg deletes the pair.
    expect((await h.call("DELETE", `/v1/transactions/${out.transactionId}`, { token: u.token })).status).toBe(
      204,
    );
    expect(
      (await h.call("GET", `/v1/transactions/${inLeg.body.transactionId}`, { token: u.token })).status,
    ).toBe(404);
    expect((await accountOf(u, card)).balance).toBe(80_000);
    expect((await accountOf(u, checking)).balance).toBe(400_000);
    expect((await month(u, "2026-06")).paidToDebt).toBe(0);
  });

  it("turns a transaction into a transfer and back, adding and removing the other leg", async () => {
    const u = await signup(h);
    const checking = firstAccountId(ownerKey(u.owner));
    const savings = await open(u, { name: "Savings", type: "savings" });
    await h.call("POST", "/v1/budgets", { token: u.token, body: { month: "2026-07", totalIncome: 100_000 } });
    const t = await record(u, { date: "2026-07-01", amount: 10_000, merchant: "Transfer to Savings" });
    const asTransfer = await h.call("PUT", `/v1/transactions/${t.transactionId}`, {
      token: u.token,
      body: { type: "transfer", toAccountId: savings },
    });
    expect(asTransfer.status, JSON.stringify(asTransfer.body)).toBe(200);
    const inId = asTransfer.body.transfer.linkedTransactionId;
    expect((await accountOf(u, savings)).balance).toBe(10_000);
    expect((await accountOf(u, checking)).balance).toBe(-10_000);
    expect((await month(u, "2026-07")).totalActualExpenses).toBe(0);
    const back = await h.call("PUT", `/v1/transactions/${t.transactionId}`, {
      token: u.token,
      body: { type: "expense" },
    });
    expect(back.status, JSON.stringify(back.body)).toBe(200);
    expect(back.body).toMatchObject({ type: "expense", transfer: null, toAccountId: null });
    expect((await h.call("GET", `/v1/transactions/${inId}`, { token: u.token })).status).toBe(404);
    expect((await accountOf(u, savings)).balance).toBe(0);
    expect((await month(u, "2026-07")).totalActualExpenses).toBe(10_000);
  });

  it("counts a transfer to or from an off-budget account as spending or income", async () => {
    const u = await signup(h);
    const brokerage = await open(u, { name: "Brokerage", type: "savings", onBudget: false });
    await h.call("POST", "/v1/budgets", { token: u.token, body: { month: "2026-08", totalIncome: 100_000 } });
    await record(u, { date: "2026-08-01", amount: 7_000, type: "transfer", toAccountId: brokerage });
    await record(u, {
      accountId: brokerage,
      date: "2026-08-02",
      amount: 2_000,
      type: "transfer",
      toAccountId: firstAccountId(ownerKey(u.owner)),
    });
    // Inside the tracking account, its own spending is not the budget's.
    await record(u, { accountId: brokerage, date: "2026-08-03", amount: 99, merchant: "Fee" });
    const m = await month(u, "2026-08");
    expect(m.totalActualExpenses).toBe(7_000);
    expect(m.actualIncome).toBe(2_000);
    expect((await accountOf(u, brokerage)).balance).toBe(7_000 - 2_000 - 99);
  });

  it("refuses a transfer to the same account, to a closed or unknown account, or between currencies", async () => {
    const u = await signup(h);
    const checking = firstAccountId(ownerKey(u.owner));
    const euro = await open(u, { name: "Euro", currency: "EUR" });
    const other = await signup(h);
    const foreign = firstAccountId(ownerKey(other.owner));
    for (const [toAccountId, path] of [
      [checking, "toAccountId"],
      [euro, "toAccountId"],
      [foreign, "toAccountId"],
      [undefined, "toAccountId"],
    ] as const) {
      const res = await h.call("POST", "/v1/transactions", {
        token: u.token,
        body: { date: "2026-08-01", amount: 100, type: "transfer", ...(toAccountId ? { toAccountId } : {}) },
      });
      expect(res.status, String(toAccountId)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    // Nothing was written.
    expect((await accountOf(u, checking)).transactionCount).toBe(0);
    expect((await ownerItems(h.store, u.owner)).some((i) => String(i.SK).startsWith("TXN#"))).toBe(false);
  });

  it("shows the register newest first with the running balance, across pages and writes between them", async () => {
    const u = await signup(h);
    const id = await open(u, { name: "Wallet", type: "cash", openingBalance: 10_000 });
    for (let day = 1; day <= 5; day++) {
      await record(u, { accountId: id, date: `2026-09-0${day}`, amount: day * 100, merchant: `Shop ${day}` });
    }
    await record(u, { accountId: id, date: "2026-09-06", amount: 2_000, type: "income" });
    const first = await h.call("GET", `/v1/accounts/${id}/transactions?limit=3`, { token: u.token });
    expect(first.status).toBe(200);
    // 10,000 - 1,500 + 2,000 = 10,500 now.
    expect(first.body.account.balance).toBe(10_500);
    expect(
      first.body.items.map((r: { change: number; runningBalance: number }) => [r.change, r.runningBalance]),
    ).toEqual([
      [2_000, 10_500],
      [-500, 8_500],
      [-400, 9_000],
    ]);
    // A write above the cursor, between the pages: the next page still continues the balance right.
    await record(u, { accountId: id, date: "2026-09-07", amount: 50, merchant: "Late" });
    const second = await h.call(
      "GET",
      `/v1/accounts/${id}/transactions?limit=3&cursor=${first.body.nextCursor}`,
      {
        token: u.token,
      },
    );
    expect(
      second.body.items.map((r: { change: number; runningBalance: number }) => [r.change, r.runningBalance]),
    ).toEqual([
      [-300, 9_400],
      [-200, 9_700],
      [-100, 9_900],
    ]);
    const filtered = await h.call("GET", `/v1/transactions?accountId=${id}&limit=100`, { token: u.token });
    expect(filtered.body.items).toHaveLength(7);
    expect(new Set(filtered.body.items.map((t: { accountId: string }) => t.accountId))).toEqual(
      new Set([id]),
    );
    const register = h.commands.filter((c) => c.name === "QueryCommand" && c.input.IndexName === "GSI3");
    expect(register.length).toBeGreaterThan(0);
    expect(h.commands.some((c) => c.name === "ScanCommand")).toBe(false);
  });

  it("reconciles with the bank's balance on a day: matches, or says by how much it differs", async () => {
    const u = await signup(h);
    const id = await open(u, { name: "Visa", type: "credit-card", openingBalance: 1_000 });
    await record(u, { accountId: id, date: "2026-10-01", amount: 2_500 });
    await record(u, { accountId: id, date: "2026-10-05", amount: 700 });
    await record(u, { accountId: id, date: "2026-10-09", amount: 900 });
    const match = await h.call("POST", `/v1/accounts/${id}/reconcile`, {
      token: u.token,
      body: { balance: 4_200, date: "2026-10-05" },
    });
    expect(match.body).toEqual({
      accountId: id,
      date: "2026-10-05",
      bankBalance: 4_200,
      tycheBalance: 4_200,
      difference: 0,
      matches: true,
      transactionsCounted: 2,
    });
    const off = await h.call("POST", `/v1/accounts/${id}/reconcile`, {
      token: u.token,
      body: { balance: 5_000, date: "2026-10-31" },
    });
    expect(off.body).toMatchObject({ tycheBalance: 5_100, difference: -100, matches: false });
  });

  it("keeps accounts to their owner: another user's answers 404, and cannot be named in a transaction", async () => {
    const u = await signup(h);
    const other = await signup(h);
    const mine = await open(u, { name: "Mine" });
    for (const [method, path, body] of [
      ["GET", `/v1/accounts/${mine}`, undefined],
      ["PUT", `/v1/accounts/${mine}`, { name: "Taken" }],
      ["DELETE", `/v1/accounts/${mine}`, undefined],
      ["GET", `/v1/accounts/${mine}/transactions`, undefined],
      ["POST", `/v1/accounts/${mine}/reconcile`, { balance: 0, date: "2026-01-01" }],
    ] as const) {
      const res = await h.call(method, path, { token: other.token, ...(body ? { body } : {}) });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    const named = await h.call("POST", "/v1/transactions", {
      token: other.token,
      body: { accountId: mine, date: "2026-01-01", amount: 100 },
    });
    expect(named.status).toBe(422);
    expect((await accountOf(u, mine)).name).toBe("Mine");
  });

  it("answers bad input with a problem naming the field, and writes nothing", async () => {
    const u = await signup(h);
    const before = (await ownerItems(h.store, u.owner)).length;
    for (const [body, path] of [
      [{ name: "" }, "name"],
      [{ name: "X", type: "brokerage" }, "type"],
      [{ name: "X", currency: "JPY" }, "currency"],
      [{ name: "X", openingBalance: 1.5 }, "openingBalance"],
      [{ name: "X", openingDate: "2026-02-30" }, "openingDate"],
      [{ name: "X", onBudget: "yes" }, "onBudget"],
      [{ name: "X", balance: 5 }, "balance"],
    ] as const) {
      const res = await h.call("POST", "/v1/accounts", { token: u.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const id = firstAccountId(ownerKey(u.owner));
    const reconcile = await h.call("POST", `/v1/accounts/${id}/reconcile`, {
      token: u.token,
      body: { balance: "1" },
    });
    expect(reconcile.status).toBe(400);
    expect(reconcile.body.errors.map((e: { path: string }) => e.path)).toEqual(
      expect.arrayContaining(["balance", "date"]),
    );
    const cursor = await h.call("GET", `/v1/accounts/${id}/transactions?cursor=nonsense`, { token: u.token });
    expect(cursor.status).toBe(400);
    expect((await ownerItems(h.store, u.owner)).length).toBe(before);
  });

  it("keeps both legs and both balances right when two tabs edit one transfer at once", async () => {
    const u = await signup(h);
    const checking = firstAccountId(ownerKey(u.owner));
    const card = await open(u, { name: "Visa", type: "credit-card", openingBalance: 90_000 });
    const out = await record(u, { date: "2026-11-02", amount: 10_000, type: "transfer", toAccountId: card });
    const inId = out.transfer.linkedTransactionId;
    // Last writer wins without If-Match: every edit lands, through either leg, and the pair agrees.
    const edits = await Promise.all(
      [11_000, 12_000, 13_000].map((amount, i) =>
        h.call("PUT", `/v1/transactions/${i % 2 ? inId : out.transactionId}`, {
          token: u.token,
          body: { amount },
        }),
      ),
    );
    expect(edits.map((e) => e.status)).toEqual([200, 200, 200]);
    const a = (await h.call("GET", `/v1/transactions/${out.transactionId}`, { token: u.token })).body;
    const b = (await h.call("GET", `/v1/transactions/${inId}`, { token: u.token })).body;
    expect(a.amount).toBe(b.amount);
    expect((await accountOf(u, checking)).balance).toBe(-a.amount);
    expect((await accountOf(u, card)).balance).toBe(90_000 - a.amount);
    // With If-Match, of two tabs holding the same version only one wins.
    const version = a.version;
    const both = await Promise.all(
      [1, 2].map((k) =>
        h.call("PUT", `/v1/transactions/${out.transactionId}`, {
          token: u.token,
          headers: { "if-match": `"${version}"` },
          body: { amount: 20_000 + k },
        }),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 412]);
    // A delete racing an edit of the other leg: either the pair is gone, or both legs remain.
    await Promise.all([
      h.call("DELETE", `/v1/transactions/${out.transactionId}`, { token: u.token }),
      h.call("PUT", `/v1/transactions/${inId}`, { token: u.token, body: { amount: 30_000 } }),
    ]);
    const left = [out.transactionId, inId].map(
      async (id) => (await h.call("GET", `/v1/transactions/${id}`, { token: u.token })).status,
    );
    const statuses = await Promise.all(left);
    expect([statuses[0] === statuses[1], statuses]).toEqual([true, statuses]);
    const owed = (await accountOf(u, card)).balance;
    const held = (await accountOf(u, checking)).balance;
    if (statuses[0] === 404) expect([owed, held]).toEqual([90_000, 0]);
    else expect(90_000 - owed).toBe(-held);
  });
});
