import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { booksDiscrepancies, everyTransaction, httpCaller } from "./support/books";
import { json, type Running, signupWithBudgets, startServer, untilHealthy } from "./support/server-process";

const dataDir = mkdtempSync(join(tmpdir(), "tyche-crash-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Issue 14 found the defect (a row written twice, totals wrong until the next import, the import
// `running` for ever) by killing a 10,000-row import twice. What it takes is a kill between
// chunks, and again in the import that follows the repair: 5,000 rows over ten months is that many
// chunks and keeps the run short. Each import is killed once it reports 1,000 rows processed:
// progress moves in chunk-sized steps, and a later point can fall in an import's last stretch,
// which may end between two polls.
const ROWS = 5_000;
const KILL_AT = [1_000, 1_000];
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

describe("an import cut off by SIGKILL", () => {
  it("is repaired on restart, twice over, and importing the file again adds each row exactly once", async () => {
    let server = await startServer(dataDir, { TYCHE_DB: "file", TYCHE_RECURRING_INTERVAL_MS: "0" });
    await untilHealthy(server);
    const token = await signupWithBudgets(server.url, "crash@example.com", MONTHS);

    for (const killAt of KILL_AT) {
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

      server = await startServer(dataDir, { TYCHE_DB: "file", TYCHE_RECURRING_INTERVAL_MS: "0" });
      await untilHealthy(server);
      expect(server.output()).toContain("1 interrupted imports repaired");
      const after = (await json(`${server.url}/v1/imports/${importId}`, { token })).body;
      expect(after).toMatchObject({ status: "failed" });
      expect(after.failure).toContain("Interrupted");
      const call = httpCaller(server.url, token);
      // Month totals and the account's balance and count equal a recount of what was kept.
      expect(await booksDiscrepancies(call, MONTHS)).toEqual([]);
      const rows = await everyTransaction(call);
      expect(rows.length).toBeGreaterThanOrEqual(killAt);
      expect(rows.length).toBeLessThan(ROWS);
    }

    const call = httpCaller(server.url, token);
    const before = (await everyTransaction(call)).length;
    const finished = await importFile(server, token, false);
    expect(finished.status, JSON.stringify(finished.body)).toBe(201);
    expect(finished.body.counts).toMatchObject({ rows: ROWS, duplicates: before, imported: ROWS - before });
    expect(await booksDiscrepancies(call, MONTHS)).toEqual([]);
    const rows = await everyTransaction(call);
    expect(rows).toHaveLength(ROWS);
    expect(new Set(rows.map((t) => t.transactionId)).size).toBe(ROWS);
    expect(new Set(rows.map((t) => t.description)).size).toBe(ROWS);

    server.child.kill("SIGTERM");
    expect(await server.exit).toBe(0);
  }, 240_000);
});
