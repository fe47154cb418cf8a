import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { json, type Running, startServer, untilHealthy } from "./support/server-process";

const dataDir = mkdtempSync(join(tmpdir(), "tyche-crash-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const ROWS = 10_000;
const MONTHS = Array.from({ length: 10 }, (_, i) => `2025-${String(i + 1).padStart(2, "0")}`);

/** A bank statement of ROWS rows over ten months, some of them income, no two alike. */
function statement(): string {
  const lines = ["Date,Description,Amount"];
  for (let i = 0; i < ROWS; i++) {
    const month = MONTHS[i % MONTHS.length];
    const day = String(1 + (i % 28)).padStart(2, "0");
    const amount = i % 17 === 0 ? `${(i % 900) + 100}.00` : `-${(((i % 9_000) + 100) / 100).toFixed(2)}`;
    lines.push(`${month}-${day},Merchant ${i % 300} ref ${i},${amount}`);
  }
  return lines.join("\n");
}

async function importFile(s: Running, token: string, respondAsync: boolean) {
  const form = new FormData();
  form.set("file", new File([statement()], "big.csv"));
  const res = await fetch(`${s.url}/v1/imports`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, ...(respondAsync ? { prefer: "respond-async" } : {}) },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

/** Every transaction the API lists, page by page. */
async function everyTransaction(s: Running, token: string) {
  const out: { transactionId: string; date: string; amount: number; type: string; description: string }[] =
    [];
  let cursor = "";
  do {
    const page = await json(`${s.url}/v1/transactions?limit=500${cursor ? `&cursor=${cursor}` : ""}`, {
      token,
    });
    out.push(...page.body.items);
    cursor = page.body.nextCursor ?? "";
  } while (cursor);
  return out;
}

/** Each month's stored figures against a recount of the transactions themselves. */
async function expectTotalsEqualRecount(s: Running, token: string) {
  const all = await everyTransaction(s, token);
  for (const month of MONTHS) {
    const rows = all.filter((t) => t.date.startsWith(month));
    const sum = (type: string) => rows.filter((t) => t.type === type).reduce((n, t) => n + t.amount, 0);
    const budget = (await json(`${s.url}/v1/budgets/${month}`, { token })).body;
    expect({ month, expenses: budget.totalActualExpenses, income: budget.actualIncome }).toEqual({
      month,
      expenses: sum("expense"),
      income: sum("income"),
    });
  }
  return all;
}

describe("an import cut off by SIGKILL", () => {
  it("is repaired on restart, twice over, and importing the file again adds each row exactly once", async () => {
    let server = await startServer(dataDir, { TYCHE_DB: "file" });
    await untilHealthy(server);
    const signup = await json(`${server.url}/v1/auth/signup`, {
      method: "POST",
      body: JSON.stringify({ email: "crash@example.com", password: "correct horse battery", name: "Cas" }),
    });
    const token = signup.body.token;
    for (const month of MONTHS) {
      const res = await json(`${server.url}/v1/budgets`, {
        method: "POST",
        token,
        body: JSON.stringify({ month, totalIncome: 0 }),
      });
      expect(res.status).toBe(201);
    }

    for (const killAt of [1_500, 2_500]) {
      const started = await importFile(server, token, true);
      expect(started.status, JSON.stringify(started.body)).toBe(202);
      const importId = started.body.importId;
      for (;;) {
        const progress = (await json(`${server.url}/v1/imports/${importId}`, { token })).body;
        expect(progress.status, "the import finished before it could be cut off").toBe("running");
        if (progress.processed >= killAt) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      server.child.kill("SIGKILL");
      await server.exit;

      server = await startServer(dataDir, { TYCHE_DB: "file" });
      await untilHealthy(server);
      expect(server.output()).toContain("1 interrupted imports repaired");
      const after = (await json(`${server.url}/v1/imports/${importId}`, { token })).body;
      expect(after).toMatchObject({ status: "failed" });
      expect(after.failure).toContain("Interrupted");
      const rows = await expectTotalsEqualRecount(server, token);
      expect(rows.length).toBeGreaterThanOrEqual(killAt);
      expect(rows.length).toBeLessThan(ROWS);
    }

    const before = (await everyTransaction(server, token)).length;
    const finished = await importFile(server, token, false);
    expect(finished.status, JSON.stringify(finished.body)).toBe(201);
    expect(finished.body.counts).toMatchObject({ rows: ROWS, duplicates: before, imported: ROWS - before });
    const rows = await expectTotalsEqualRecount(server, token);
    expect(rows).toHaveLength(ROWS);
    expect(new Set(rows.map((t) => t.transactionId)).size).toBe(ROWS);
    expect(new Set(rows.map((t) => t.description)).size).toBe(ROWS);

    server.child.kill("SIGTERM");
    expect(await server.exit).toBe(0);
  }, 240_000);
});
