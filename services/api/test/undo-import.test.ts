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

function upload(u: User, text: string, accountId: string) {
  const f = new FormData();
  f.set("file", new File([text], "bank.csv"));
  return h.call("POST", `/v1/imports?accountId=${accountId}`, { token: u.token, raw: f });
}

/** What the books say: month totals, balances and counts of accounts, category use counts. */
async function books(u: User) {
  const items = await ownerItems(h.store, u.owner);
  const strip = (i: Record<string, unknown>) => {
    const { revision: _r, version: _v, updatedAt: _u, ...rest } = i;
    // Attributes whose value went back to zero are as good as absent.
    return Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== 0));
  };
  return {
    // A month whose totals went back to nothing is as good as one never counted.
    totals: items
      .filter((i) => String(i.SK).startsWith("TOTALS#"))
      .map(strip)
      .filter((t) => Object.keys(t).some((k) => !["PK", "SK", "entity", "month", "table"].includes(k))),
    accounts: items
      .filter((i) => String(i.SK).startsWith("ACCOUNT#"))
      .map((i) => ({ id: i.accountId, net: i.net ?? 0, count: i.count ?? 0 })),
    categories: items
      .filter((i) => String(i.SK).startsWith("CATEGORY#"))
      .map((i) => ({ id: i.categoryId, uses: i.useCount })),
    transactions: items.filter((i) => String(i.SK).startsWith("TXN#")).length,
  };
}

describe("DELETE /v1/imports/{id}", () => {
  it("removes what the import added and unlinks what it matched, leaving the books exactly as before", async () => {
    const u = await signup(h);
    const checking = firstAccountId(ownerKey(u.owner));
    const groceries = (await h.call("GET", "/v1/categories", { token: u.token })).body.items.find(
      (c: { type: string }) => c.type === "groceries",
    ).categoryId;
    await h.call("POST", "/v1/rules", {
      token: u.token,
      body: {
        conditions: { merchant: { op: "contains", value: "grocer" } },
        actions: { categoryId: groceries },
      },
    });
    const hand = await h.call("POST", "/v1/transactions", {
      token: u.token,
      body: { date: "2026-03-02", amount: 450, merchant: "Coffee" },
    });
    await h.call("POST", "/v1/transactions", {
      token: u.token,
      body: { date: "2026-03-20", amount: 9_999, merchant: "Kept" },
    });
    const before = await books(u);

    const lines = ["Date,Description,Amount", "2026-03-03,STARBUCKS 123,-4.50"];
    for (let i = 0; i < 60; i++) {
      const day = String(1 + (i % 28)).padStart(2, "0");
      const month = i < 30 ? "03" : "04";
      lines.push(
        `2026-${month}-${day},${i % 3 ? "Corner Grocer" : "Payroll"} ${i},${i % 3 ? "-" : ""}${10 + i}.25`,
      );
    }
    const imported = await upload(u, `${lines.join("\n")}\n`, checking);
    expect(imported.status, JSON.stringify(imported.body)).toBe(201);
    expect(imported.body.counts).toMatchObject({ imported: 60, matched: 1 });
    expect(
      (await h.call("GET", `/v1/transactions/${hand.body.transactionId}`, { token: u.token })).body.cleared,
    ).toBe(true);
    expect(await books(u)).not.toEqual(before);

    const undone = await h.call("DELETE", `/v1/imports/${imported.body.importId}`, { token: u.token });
    expect(undone.status, JSON.stringify(undone.body)).toBe(200);
    expect(undone.body).toMatchObject({ status: "undone", importId: imported.body.importId });
    expect(await books(u)).toEqual(before);
    const back = (await h.call("GET", `/v1/transactions/${hand.body.transactionId}`, { token: u.token }))
      .body;
    expect(back).toMatchObject({ cleared: false, bankId: null, amount: 450 });
    const actions = await auditActions(h.store, u.owner);
    expect(actions.filter((a) => a === "import.undo").length).toBeGreaterThanOrEqual(3);
    expect(actions).toContain("import.unlink");

    // Again: answers the same, changes nothing.
    const again = await h.call("DELETE", `/v1/imports/${imported.body.importId}`, { token: u.token });
    expect(again.body.status).toBe("undone");
    expect(await books(u)).toEqual(before);
    // And the file imports again as new.
    const reimport = await upload(u, `${lines.join("\n")}\n`, checking);
    expect(reimport.body.counts).toMatchObject({ imported: 60, matched: 1 });
  });

  it("is another user's to undo only: theirs answers 404 and stays", async () => {
    const u = await signup(h);
    const other = await signup(h);
    const imported = await upload(
      u,
      "Date,Description,Amount\n2026-03-03,Shop,-4.50\n",
      firstAccountId(ownerKey(u.owner)),
    );
    const res = await h.call("DELETE", `/v1/imports/${imported.body.importId}`, { token: other.token });
    expect(res.status).toBe(404);
    expect(
      (await h.call("GET", `/v1/imports/${imported.body.importId}`, { token: u.token })).body.status,
    ).toBe("completed");
    const missing = await h.call("DELETE", "/v1/imports/01JNOSUCHIMPORT00000000000", { token: u.token });
    expect(missing.status).toBe(404);
    const bad = await h.call("DELETE", "/v1/imports/not-an-id", { token: u.token });
    expect(bad.status).toBe(400);
  });
});
