import { hc } from "hono/client";
import { beforeAll, describe, expect, it } from "vitest";
import type { App } from "../src/app";
import { type Account, type Harness, harness, signup } from "./support/harness";

let h: Harness;
let a: Account;

beforeAll(async () => {
  h = harness();
  a = await signup(h);
});

/**
 * The web app will call the API through Hono's typed client. That only type-checks while the
 * app's type carries its routes (they are chained); `npm test` type-checks this file.
 */
describe("the typed client (hc<App>)", () => {
  it("plans a month, records a transaction and reads both back with typed answers", async () => {
    const client = hc<App>("http://tyche.local", {
      fetch: h.fetch,
      headers: { authorization: `Bearer ${a.token}` },
    });
    const created = await client.v1.budgets.$post({ json: { month: "2025-03", totalIncome: 300_000 } });
    if (created.status !== 201) throw new Error(`budget: ${created.status}`);
    const budget = await created.json();
    expect(budget.month).toBe("2025-03");

    const spent = await client.v1.transactions.$post({
      header: {},
      json: { date: "2025-03-04", amount: 1_500, merchant: "Typed Cafe" },
    });
    if (spent.status !== 201) throw new Error(`transaction: ${spent.status}`);
    const transaction = await spent.json();
    expect(transaction.amount).toBe(1_500);

    const month = await client.v1.budgets[":month"].$get({ param: { month: "2025-03" }, query: {} });
    if (month.status !== 200) throw new Error(`month: ${month.status}`);
    expect((await month.json()).totalActualExpenses).toBe(1_500);

    const one = await client.v1.transactions[":id"].$get({ param: { id: transaction.transactionId } });
    expect(one.status).toBe(200);
  });
});
