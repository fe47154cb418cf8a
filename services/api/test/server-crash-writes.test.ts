import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { booksDiscrepancies, everyTransaction, httpCaller } from "./support/books";
import { signupWithBudgets, startServer, untilHealthy } from "./support/server-process";
import { WriteStream } from "./support/writes";

/**
 * Issue 22, item 2: the server killed with SIGKILL in the middle of a stream of hand-entered
 * creates, as `npm start` runs it (its own DynamoDB Local on files). Every create answered 201 is
 * stored after the restart, and every create whose answer never came, sent again with its
 * Idempotency-Key, is stored exactly once. (A crash during an import: import-crash.test.ts.)
 */
const dataDir = mkdtempSync(join(tmpdir(), "tyche-crash-writes-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const MONTHS = ["2026-03", "2026-04", "2026-05"];

describe("the server killed with SIGKILL during a stream of creates", () => {
  it("loses no acknowledged create, doubles no retried one, and leaves the books exact", async () => {
    let server = await startServer(dataDir, { TYCHE_DB: "file", TYCHE_RECURRING_INTERVAL_MS: "0" });
    await untilHealthy(server);
    const token = await signupWithBudgets(server.url, "stream@example.com", MONTHS);

    const stream = new WriteStream(httpCaller(server.url, token), MONTHS);
    stream.start(3, { pauseMs: 0 });
    // A moment nobody chose: somewhere between the 5th and the 25th acknowledgement.
    const killAfter = 5 + Math.floor(Math.random() * 20);
    while (stream.acknowledged().length < killAfter) await new Promise((r) => setTimeout(r, 10));
    server.child.kill("SIGKILL");
    await server.exit;
    await stream.stop();
    const acknowledged = stream.acknowledged().length;
    const cutOff = stream.writes.filter((w) => w.transactionId === undefined);
    expect(cutOff.length, "no create was cut off").toBeGreaterThan(0);

    server = await startServer(dataDir, { TYCHE_DB: "file", TYCHE_RECURRING_INTERVAL_MS: "0" });
    await untilHealthy(server);
    const call = httpCaller(server.url, token);
    // Before any retry: everything acknowledged is there.
    const beforeRetry = await everyTransaction(call);
    expect(stream.storedOnceEach(beforeRetry).missing).toEqual([]);
    expect(beforeRetry.length).toBeGreaterThanOrEqual(acknowledged);

    stream.call = call;
    await stream.retryUnacknowledged();
    const stored = await everyTransaction(call);
    expect(stream.storedOnceEach(stored)).toEqual({ missing: [], doubled: [], unknown: [] });
    expect(stored).toHaveLength(stream.writes.length);
    // A create that had landed before the kill answers its retry with the first transaction.
    for (const w of cutOff) expect(stored.filter((t) => t.transactionId === w.transactionId)).toHaveLength(1);
    expect(await booksDiscrepancies(call, MONTHS)).toEqual([]);

    server.child.kill("SIGTERM");
    expect(await server.exit).toBe(0);
  }, 180_000);
});
