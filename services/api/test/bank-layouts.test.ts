import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Harness, harness, signup } from "./support/harness";

/*
 * Every bank layout of the reader's fixtures, through the whole API: a dry run says what each row
 * is, the import then writes it, and the account's balance must be exactly what those rows add up
 * to (a card's balance being what is owed). Skipped states add nothing; transfers move the account
 * once, their other leg landing in the counterpart account.
 */
const FIXTURES = join(import.meta.dirname, "../../../packages/core/test/fixtures/banks");

const CARDS = new Set([
  "amex.csv",
  "amex-extended.csv",
  "discover.csv",
  "chase-card.csv",
  "chase-card.qfx",
  "citi.csv",
  "capital-one.csv",
  "card-2.1.1.ofx",
]);
const FILES = [
  ...CARDS,
  "bank-of-america.csv",
  "barclays.csv",
  "capital-one-360-bom-crlf.csv",
  "chase-checking.csv",
  "checking-1.0.2.ofx",
  "dkb.csv",
  "n26.csv",
  "revolut.csv",
  "sparkasse.csv",
  "wells-fargo.csv",
];

let h: Harness;
beforeAll(() => {
  h = harness();
});

describe("bank layouts through the API", () => {
  it.each(FILES)("%s: the balance is what the previewed rows add up to", async (name) => {
    const u = await signup(h);
    const card = CARDS.has(name);
    const account = (
      await h.call("POST", "/v1/accounts", {
        token: u.token,
        body: { name, type: card ? "credit-card" : "checking", openingBalance: 10_000 },
      })
    ).body.accountId;
    const upload = (dryRun: boolean) => {
      const f = new FormData();
      f.set("file", new File([readFileSync(join(FIXTURES, name))], name));
      return h.call("POST", `/v1/imports?accountId=${account}${dryRun ? "&dryRun=true" : ""}`, {
        token: u.token,
        raw: f,
      });
    };
    const preview = await upload(true);
    expect(preview.status, JSON.stringify(preview.body).slice(0, 500)).toBe(200);
    const rows = preview.body.rows as { amount: number; direction: "debit" | "credit"; outcome: string }[];
    expect(rows.length).toBeGreaterThan(0);
    // Money out of a cash account lowers it; a charge on a card raises what is owed.
    const sign = (r: (typeof rows)[number]) => (r.direction === "credit" ? 1 : -1) * (card ? -1 : 1);
    const expected =
      10_000 + rows.filter((r) => r.outcome === "new").reduce((s, r) => s + sign(r) * r.amount, 0);

    const done = await upload(false);
    expect(done.status, JSON.stringify(done.body).slice(0, 500)).toBe(201);
    expect(done.body.counts).toMatchObject({
      rows: rows.length,
      imported: rows.filter((r) => r.outcome === "new").length,
      skipped: preview.body.skipped.length,
    });
    const got = (await h.call("GET", `/v1/accounts/${account}`, { token: u.token })).body;
    expect(got.balance).toBe(expected);
    expect(got.transactionCount).toBe(done.body.counts.imported);
    // The same file again adds nothing and moves nothing.
    const again = await upload(false);
    expect(again.body.counts.imported).toBe(0);
    expect((await h.call("GET", `/v1/accounts/${account}`, { token: u.token })).body.balance).toBe(expected);
  });
});
