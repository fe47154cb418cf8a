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

const today = () => new Date().toISOString().slice(0, 10);
const thisMonth = () => today().slice(0, 7);

const visa = {
  name: "Visa",
  issuer: "Chase",
  balance: 100_000,
  aprBasisPoints: 2400,
  creditLimit: 500_000,
  dueDay: 15,
};

async function addCard(u: User, body: Record<string, unknown> = visa) {
  const res = await h.call("POST", "/v1/cards", { token: u.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe("cards", () => {
  it("opens a credit-card account owing the balance, with terms, utilisation and this month's minimum", async () => {
    const u = await signup(h);
    const card = await addCard(u);
    // 24 % a year on $1,000: $20.00 interest; the default rule 1 % of $1,020 plus interest = $30.20.
    expect(card).toMatchObject({
      name: "Visa",
      balance: 100_000,
      openingBalance: 100_000,
      openingDate: today(),
      terms: {
        issuer: "Chase",
        aprBasisPoints: 2400,
        creditLimit: 500_000,
        dueDay: 15,
        minimumPayment: { kind: "percent", percentBasisPoints: 100, plusInterest: true, floor: 2500 },
        promo: null,
      },
      currentAprBasisPoints: 2400,
      utilisationBasisPoints: 2000,
      availableCredit: 400_000,
      monthlyInterest: 2000,
      minimumDue: 3020,
      paidThisMonth: 0,
      version: 1,
    });
    const account = (await h.call("GET", `/v1/accounts/${card.cardId}`, { token: u.token })).body;
    expect(account).toMatchObject({ type: "credit-card", balance: 100_000, name: "Visa" });
    expect(await auditActions(h.store, u.owner)).toContain("card.create");
    const listed = (await h.call("GET", "/v1/cards", { token: u.token })).body.items;
    expect(listed.map((c: { cardId: string }) => c.cardId)).toEqual([card.cardId]);
  });

  it("follows the account: a purchase raises what is owed, a refund lowers it", async () => {
    const u = await signup(h);
    const card = await addCard(u);
    const buy = await h.call("POST", "/v1/transactions", {
      token: u.token,
      body: { accountId: card.cardId, date: today(), amount: 25_000, type: "expense", merchant: "Shop" },
    });
    expect(buy.status).toBe(201);
    await h.call("POST", "/v1/transactions", {
      token: u.token,
      body: { accountId: card.cardId, date: today(), amount: 5_000, type: "refund", merchant: "Shop" },
    });
    const after = (await h.call("GET", `/v1/cards/${card.cardId}`, { token: u.token })).body;
    expect(after.balance).toBe(120_000);
    expect(after.utilisationBasisPoints).toBe(2400);
  });

  it("records a payment as a transfer into the card, atomic with both balances, paidToDebt and the audit", async () => {
    const u = await signup(h);
    const card = await addCard(u);
    const res = await h.call("POST", `/v1/cards/${card.cardId}/payments`, {
      token: u.token,
      body: { amount: 30_000, date: today() },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const checking = firstAccountId(ownerKey(u.owner));
    expect(res.body.payment).toMatchObject({ cardId: card.cardId, fromAccountId: checking, amount: 30_000 });
    expect(res.body.transaction).toMatchObject({
      type: "transfer",
      accountId: checking,
      toAccountId: card.cardId,
    });
    expect(res.body.card).toMatchObject({ balance: 70_000, paidThisMonth: 30_000 });
    const from = (await h.call("GET", `/v1/accounts/${checking}`, { token: u.token })).body;
    expect(from.balance).toBe(-30_000);
    const budget = await h.call("GET", `/v1/budgets/${thisMonth()}`, { token: u.token });
    if (budget.status === 200) expect(budget.body.paidToDebt).toBe(30_000);
    const items = await ownerItems(h.store, u.owner);
    const totals = items.find((i) => i.SK === `TOTALS#${thisMonth()}`);
    expect(totals?.paidToDebt).toBe(30_000);
    expect(await auditActions(h.store, u.owner)).toContain("transaction.create");

    const history = (await h.call("GET", `/v1/cards/${card.cardId}/payments`, { token: u.token })).body;
    expect(history.items).toEqual([
      expect.objectContaining({
        amount: 30_000,
        fromAccountId: checking,
        transactionId: res.body.payment.transactionId,
      }),
    ]);
  });

  it("keeps every payment of two tabs paying at once, and every terms edit at its version", async () => {
    const u = await signup(h);
    const card = await addCard(u);
    const pays = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        h.call("POST", `/v1/cards/${card.cardId}/payments`, {
          token: u.token,
          body: { amount: 1_000 + i, date: today() },
        }),
      ),
    );
    expect(pays.map((r) => r.status)).toEqual(Array(8).fill(201));
    const paid = 8 * 1_000 + 28;
    const now = (await h.call("GET", `/v1/cards/${card.cardId}`, { token: u.token })).body;
    expect(now).toMatchObject({ balance: 100_000 - paid, paidThisMonth: paid });
    const history = (await h.call("GET", `/v1/cards/${card.cardId}/payments`, { token: u.token })).body.items;
    expect(history).toHaveLength(8);

    const edits = await Promise.all(
      [1500, 1600, 1700].map((apr) =>
        h.call("PUT", `/v1/cards/${card.cardId}`, {
          token: u.token,
          body: { aprBasisPoints: apr },
          headers: { "if-match": '"1"' },
        }),
      ),
    );
    // One edit wins at version 1; the others were made against it and answer 412.
    expect(edits.map((r) => r.status).sort()).toEqual([200, 412, 412]);
    const after = (await h.call("GET", `/v1/cards/${card.cardId}`, { token: u.token })).body;
    expect(after.version).toBe(2);
    expect(after.terms.aprBasisPoints).toBe(edits.find((r) => r.status === 200)?.body.terms.aprBasisPoints);
  });

  it("answers a payment retried with the same Idempotency-Key once", async () => {
    const u = await signup(h);
    const card = await addCard(u);
    const send = () =>
      h.call("POST", `/v1/cards/${card.cardId}/payments`, {
        token: u.token,
        body: { amount: 10_000, date: today() },
        headers: { "idempotency-key": "pay-1" },
      });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.transaction.transactionId).toBe(b.body.transaction.transactionId);
    const now = (await h.call("GET", `/v1/cards/${card.cardId}`, { token: u.token })).body;
    expect(now.balance).toBe(90_000);
  });

  it("pays from the account named, and refuses a card, a closed card or an account of another user", async () => {
    const u = await signup(h);
    const other = await signup(h);
    const card = await addCard(u);
    const savings = (
      await h.call("POST", "/v1/accounts", { token: u.token, body: { name: "Savings", type: "savings" } })
    ).body;
    const ok = await h.call("POST", `/v1/cards/${card.cardId}/payments`, {
      token: u.token,
      body: { amount: 1_000, date: today(), fromAccountId: savings.accountId },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.payment.fromAccountId).toBe(savings.accountId);

    const self = await h.call("POST", `/v1/cards/${card.cardId}/payments`, {
      token: u.token,
      body: { amount: 1_000, date: today(), fromAccountId: card.cardId },
    });
    expect(self.status).toBe(422);
    expect(self.body.errors[0].path).toBe("fromAccountId");

    const theirs = firstAccountId(ownerKey(other.owner));
    const foreign = await h.call("POST", `/v1/cards/${card.cardId}/payments`, {
      token: u.token,
      body: { amount: 1_000, date: today(), fromAccountId: theirs },
    });
    expect(foreign.status).toBe(422);
    const theirView = await h.call("POST", `/v1/cards/${card.cardId}/payments`, {
      token: other.token,
      body: { amount: 1_000, date: today() },
    });
    expect(theirView.status).toBe(404);
    expect((await h.call("GET", `/v1/cards/${card.cardId}`, { token: other.token })).status).toBe(404);
    expect((await h.call("GET", "/v1/cards", { token: other.token })).body.items).toEqual([]);
    const theirPut = await h.call("PUT", `/v1/cards/${card.cardId}`, {
      token: other.token,
      body: { aprBasisPoints: 100 },
    });
    expect(theirPut.status).toBe(404);
    expect((await h.call("GET", `/v1/cards/${card.cardId}`, { token: u.token })).body.balance).toBe(99_000);
  });

  it("validates every field, naming it, and writes nothing", async () => {
    const u = await signup(h);
    const before = (await ownerItems(h.store, u.owner)).length;
    const bad: [Record<string, unknown>, string][] = [
      [{ ...visa, aprBasisPoints: 24.99 }, "aprBasisPoints"],
      [{ ...visa, aprBasisPoints: 10_001 }, "aprBasisPoints"],
      [{ ...visa, creditLimit: -1 }, "creditLimit"],
      [{ ...visa, dueDay: 32 }, "dueDay"],
      [{ ...visa, balance: 1.5 }, "balance"],
      [{ ...visa, name: "" }, "name"],
      [
        { ...visa, minimumPayment: { kind: "percent", percentBasisPoints: 0 } },
        "minimumPayment.percentBasisPoints",
      ],
      [{ ...visa, minimumPayment: { kind: "weekly" } }, "minimumPayment.kind"],
      [{ ...visa, promo: { aprBasisPoints: 0, until: "2027-02-30" } }, "promo.until"],
      [{ ...visa, extra: 1 }, ""],
    ];
    for (const [body, path] of bad) {
      const res = await h.call("POST", "/v1/cards", { token: u.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      if (path)
        expect(
          res.body.errors.map((e: { path: string }) => e.path),
          JSON.stringify(body),
        ).toContain(path);
    }
    const card = await addCard(u);
    const payBad = await h.call("POST", `/v1/cards/${card.cardId}/payments`, {
      token: u.token,
      body: { amount: 0, date: today() },
    });
    expect(payBad.status).toBe(400);
    expect(payBad.body.errors[0].path).toBe("amount");
    // Only the card's account, terms and audit record were written (the accounts counter, which
    // the create moved, was made at sign-up: db/quotas.ts).
    expect((await ownerItems(h.store, u.owner)).length).toBe(before + 3);
  });

  it("changes terms at the version read, and a stale If-Match answers 412", async () => {
    const u = await signup(h);
    const card = await addCard(u);
    const put = await h.call("PUT", `/v1/cards/${card.cardId}`, {
      token: u.token,
      body: {
        aprBasisPoints: 1999,
        name: "Visa Signature",
        promo: { aprBasisPoints: 0, until: "2099-12-31" },
      },
      headers: { "if-match": '"1"' },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.headers.get("etag")).toBe('"2"');
    expect(put.body).toMatchObject({
      name: "Visa Signature",
      version: 2,
      currentAprBasisPoints: 0,
      monthlyInterest: 0,
      // No interest under the promotion: 1 % of $1,000 is $10, below the $25 floor.
      minimumDue: 2500,
    });
    const stale = await h.call("PUT", `/v1/cards/${card.cardId}`, {
      token: u.token,
      body: { aprBasisPoints: 100 },
      headers: { "if-match": '"1"' },
    });
    expect(stale.status).toBe(412);
    const ended = await h.call("PUT", `/v1/cards/${card.cardId}`, { token: u.token, body: { promo: null } });
    expect(ended.body).toMatchObject({
      terms: { promo: null, aprBasisPoints: 1999 },
      currentAprBasisPoints: 1999,
    });
  });

  it("lists a credit-card account opened in accounts without terms, and takes them by PUT", async () => {
    const u = await signup(h);
    const acct = (
      await h.call("POST", "/v1/accounts", {
        token: u.token,
        body: { name: "Store card", type: "credit-card", openingBalance: 50_000 },
      })
    ).body;
    const listed = (await h.call("GET", "/v1/cards", { token: u.token })).body.items;
    expect(listed).toEqual([
      expect.objectContaining({ cardId: acct.accountId, terms: null, minimumDue: null, version: 0 }),
    ]);
    const partial = await h.call("PUT", `/v1/cards/${acct.accountId}`, {
      token: u.token,
      body: { aprBasisPoints: 2999 },
    });
    expect(partial.status).toBe(422);
    expect(partial.body.errors[0].path).toBe("creditLimit");
    const full = await h.call("PUT", `/v1/cards/${acct.accountId}`, {
      token: u.token,
      body: {
        aprBasisPoints: 2999,
        creditLimit: 100_000,
        dueDay: 31,
        minimumPayment: { kind: "fixed", amount: 4_000 },
      },
      headers: { "if-match": '"0"' },
    });
    expect(full.status, JSON.stringify(full.body)).toBe(200);
    expect(full.body).toMatchObject({ version: 1, utilisationBasisPoints: 5000, minimumDue: 4_000 });
    const checking = firstAccountId(ownerKey(u.owner));
    expect((await h.call("GET", `/v1/cards/${checking}`, { token: u.token })).status).toBe(404);
  });

  it("deletes a card without transactions, and closes one with them", async () => {
    const u = await signup(h);
    const empty = await addCard(u, { ...visa, name: "Unused" });
    const del = await h.call("DELETE", `/v1/cards/${empty.cardId}`, { token: u.token });
    expect(del.body).toEqual({ result: "deleted" });
    expect((await h.call("GET", `/v1/cards/${empty.cardId}`, { token: u.token })).status).toBe(404);
    const items = await ownerItems(h.store, u.owner);
    expect(items.some((i) => String(i.SK).includes(empty.cardId))).toBe(false);

    const used = await addCard(u);
    await h.call("POST", `/v1/cards/${used.cardId}/payments`, {
      token: u.token,
      body: { amount: 500, date: today() },
    });
    const close = await h.call("DELETE", `/v1/cards/${used.cardId}`, { token: u.token });
    expect(close.body).toEqual({ result: "closed" });
    expect((await h.call("GET", "/v1/cards", { token: u.token })).body.items).toEqual([]);
    const all = (await h.call("GET", "/v1/cards?includeClosed=true", { token: u.token })).body.items;
    expect(all).toEqual([expect.objectContaining({ cardId: used.cardId, closed: true, balance: 99_500 })]);
    const afterClose = await h.call("POST", `/v1/cards/${used.cardId}/payments`, {
      token: u.token,
      body: { amount: 500, date: today() },
    });
    expect(afterClose.status).toBe(404);
  });
});
