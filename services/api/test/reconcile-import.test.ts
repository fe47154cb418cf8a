import { beforeAll, describe, expect, it } from "vitest";
import { firstAccountId, ownerKey } from "../src/db/keys";
import { type Harness, harness, signup, type Account as User } from "./support/harness";

let h: Harness;
beforeAll(() => {
  h = harness();
});

function upload(u: User, text: string, name: string, accountId?: string, dryRun = false) {
  const f = new FormData();
  f.set("file", new File([text], name));
  const query = new URLSearchParams({
    ...(accountId ? { accountId } : {}),
    ...(dryRun ? { dryRun: "true" } : {}),
  });
  return h.call("POST", `/v1/imports?${query}`, { token: u.token, raw: f });
}

async function inAccount(u: User, accountId: string) {
  const res = await h.call("GET", `/v1/transactions?accountId=${accountId}&limit=500`, { token: u.token });
  return res.body.items as {
    transactionId: string;
    amount: number;
    cleared: boolean;
    pending: boolean;
    bankId: string | null;
  }[];
}

const account = async (u: User, id: string) =>
  (await h.call("GET", `/v1/accounts/${id}`, { token: u.token })).body;

function ofx(rows: [string, string, string, string][]): string {
  const trns = rows
    .map(
      ([date, amount, fitId, name]) =>
        `<STMTTRN><TRNTYPE>${amount.startsWith("-") ? "DEBIT" : "CREDIT"}<DTPOSTED>${date.replaceAll("-", "")}<TRNAMT>${amount}<FITID>${fitId}<NAME>${name}</STMTTRN>`,
    )
    .join("\n");
  return [
    "OFXHEADER:100",
    "DATA:OFXSGML",
    "VERSION:102",
    "",
    "<OFX><CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS><CCSTMTRS><CURDEF>USD",
    "<CCACCTFROM><ACCTID>4111222233334444</CCACCTFROM><BANKTRANLIST><DTSTART>20260301<DTEND>20260331",
    trns,
    "</BANKTRANLIST><LEDGERBAL><BALAMT>-100.00<DTASOF>20260331</LEDGERBAL></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>",
  ].join("\n");
}

describe("an import reconciles with what the account holds", () => {
  it("links a bank row to the same coffee entered by hand: cleared, not doubled", async () => {
    const u = await signup(h);
    const checking = firstAccountId(ownerKey(u.owner));
    const hand = await h.call("POST", "/v1/transactions", {
      token: u.token,
      body: { date: "2026-03-02", amount: 450, merchant: "Coffee", notes: "with Sam" },
    });
    expect(hand.body.cleared).toBe(false);
    const csv =
      "Date,Description,Amount\n2026-03-03,STARBUCKS STORE 123 SEATTLE WA,-4.50\n2026-03-04,Bakery,-3.00\n";
    const preview = await upload(u, csv, "bank.csv", checking, true);
    expect(preview.body.counts).toMatchObject({ imported: 1, matched: 1, duplicates: 0, ambiguous: 0 });
    expect(preview.body.rows[0]).toMatchObject({
      outcome: "matched",
      matchedTransactionId: hand.body.transactionId,
    });
    const done = await upload(u, csv, "bank.csv", checking);
    expect(done.status, JSON.stringify(done.body)).toBe(201);
    expect(done.body.counts).toMatchObject({ imported: 1, matched: 1 });
    const items = await inAccount(u, checking);
    expect(items).toHaveLength(2);
    const linked = (await h.call("GET", `/v1/transactions/${hand.body.transactionId}`, { token: u.token }))
      .body;
    expect(linked).toMatchObject({ cleared: true, notes: "with Sam", merchant: "Coffee", version: 2 });
    expect((await account(u, checking)).balance).toBe(-750);
    // The same file again: nothing new, nothing linked twice.
    const again = await upload(u, csv, "bank.csv", checking);
    expect(again.body.counts).toMatchObject({ imported: 0, duplicates: 1, matched: 1 });
    expect(await inAccount(u, checking)).toHaveLength(2);
  });

  it("adds nothing for the same statement in another format (QFX, then CSV)", async () => {
    const u = await signup(h);
    const card = (
      await h.call("POST", "/v1/accounts", { token: u.token, body: { name: "Visa", type: "credit-card" } })
    ).body.accountId;
    const rows: [string, string, string, string][] = [
      ["2026-03-05", "-12.40", "F1", "SQ *BLUE BOTTLE COFFEE"],
      ["2026-03-05", "-12.40", "F2", "SQ *BLUE BOTTLE COFFEE"],
      ["2026-03-09", "-62.14", "F3", "WHOLEFDS MKT 10234"],
      ["2026-03-12", "-8.50", "F4", "TST* JOES PIZZA #123"],
    ];
    const first = await upload(u, ofx(rows), "march.qfx", card);
    expect(first.body.counts).toMatchObject({ imported: 4, matched: 0 });
    const owedBefore = (await account(u, card)).balance;
    const csv = [
      "Transaction Date,Description,Amount",
      "03/06/2026,BLUE BOTTLE COFFEE,-12.40",
      "03/06/2026,BLUE BOTTLE COFFEE,-12.40",
      "03/09/2026,WHOLE FOODS MARKET,-62.14",
      "03/12/2026,JOES PIZZA,-8.50",
    ].join("\n");
    const second = await upload(u, csv, "march.csv", card);
    expect(second.body.counts).toMatchObject({ imported: 0, matched: 4, ambiguous: 0 });
    expect(await inAccount(u, card)).toHaveLength(4);
    expect((await account(u, card)).balance).toBe(owedBefore);
  });

  it("settles a pending transaction when the settled row arrives, instead of adding a second", async () => {
    const u = await signup(h);
    const checking = firstAccountId(ownerKey(u.owner));
    const made = await h.call("POST", "/v1/transactions", {
      token: u.token,
      body: { date: "2026-04-01", amount: 2_599, merchant: "Hardware store" },
    });
    await h.call("PUT", `/v1/transactions/${made.body.transactionId}`, {
      token: u.token,
      body: { pending: true },
    });
    const settled = await upload(
      u,
      "Date,Description,Amount\n2026-04-03,HOME DEPOT #4410,-25.99\n",
      "s.csv",
      checking,
    );
    expect(settled.body.counts).toMatchObject({ imported: 0, matched: 1 });
    const items = await inAccount(u, checking);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ pending: false, cleared: true });
  });

  it("reports a row that two transactions fit equally, and adds nothing for it", async () => {
    const u = await signup(h);
    const checking = firstAccountId(ownerKey(u.owner));
    const ids = [];
    for (const date of ["2026-05-01", "2026-05-03"]) {
      ids.push(
        (
          await h.call("POST", "/v1/transactions", {
            token: u.token,
            body: { date, amount: 1_000, merchant: "Lunch" },
          })
        ).body.transactionId,
      );
    }
    const res = await upload(u, "Date,Description,Amount\n2026-05-02,CAFE ROMA,-10.00\n", "a.csv", checking);
    expect(res.body.counts).toMatchObject({ imported: 0, matched: 0, ambiguous: 1 });
    expect(res.body.ambiguous).toEqual([{ line: 2, candidates: expect.arrayContaining(ids) }]);
    expect(await inAccount(u, checking)).toHaveLength(2);
  });

  it("never links across accounts: the same row in another account is that account's own", async () => {
    const u = await signup(h);
    const checking = firstAccountId(ownerKey(u.owner));
    const savings = (
      await h.call("POST", "/v1/accounts", { token: u.token, body: { name: "Savings", type: "savings" } })
    ).body.accountId;
    await h.call("POST", "/v1/transactions", {
      token: u.token,
      body: { date: "2026-06-01", amount: 700, merchant: "Fee" },
    });
    const res = await upload(u, "Date,Description,Amount\n2026-06-01,Fee,-7.00\n", "f.csv", savings);
    expect(res.body.counts).toMatchObject({ imported: 1, matched: 0 });
    expect(await inAccount(u, checking)).toHaveLength(1);
    expect(await inAccount(u, savings)).toHaveLength(1);
  });
});
