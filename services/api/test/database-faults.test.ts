import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { LocalTokens } from "../src/auth/local-tokens";
import { createDocumentClient, createDynamoClient } from "../src/db/client";
import { ensureTables } from "../src/db/create-tables";
import { tableNames } from "../src/db/tables";
import { type DynamoDbLocal, startDynamoDbLocal, waitForDynamo } from "../src/local/dynamodb-local";
import { dynamoDbLocalCommitBarrier } from "../src/local/dynamodb-local-commits";
import { LocalFileStorage } from "../src/storage/files";
import { type Answer, booksDiscrepancies, type Caller, everyTransaction } from "./support/books";
import { type Write, WriteStream } from "./support/writes";

/**
 * Issue 22, item 2: DynamoDB killed in the middle of writes and restarted on the same files and
 * port, then frozen with SIGSTOP. Its own DynamoDB Local (the run's shared one must not go down),
 * the app in-process on it, with short client timeouts so the run stays short.
 */
const dir = mkdtempSync(join(tmpdir(), "tyche-faults-"));
const dbPath = join(dir, "dynamodb");
const MONTHS = ["2026-01", "2026-02"];
const tables = tableNames({});
const tokens = new LocalTokens(randomBytes(32));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let dynamo: DynamoDbLocal;
let port: number;
const clients: { destroy(): void }[] = [];

/** The app on this test's DynamoDB Local, as an in-process caller. */
function app(requestTimeoutMs: number) {
  const client = createDynamoClient({ endpoint: dynamo.endpoint });
  clients.push(client);
  const a = createApp({
    db: createDocumentClient(client),
    tables,
    authenticator: tokens,
    files: new LocalFileStorage(mkdtempSync(join(dir, "receipts-"))),
    requestTimeoutMs,
  });
  return (token?: string): Caller =>
    async (method, path, o = {}) => {
      const headers: Record<string, string> = { ...o.headers };
      if (token) headers.authorization = `Bearer ${token}`;
      if (o.body !== undefined) headers["content-type"] = "application/json";
      const res = await a.request(path, {
        method,
        headers,
        ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
    };
}

// The client's own timeouts (5 s an attempt, three attempts) and a deadline below them, so that
// a frozen database is answered by the deadline; a dead one refuses connections at once.
const REQUEST_TIMEOUT_MS = 6_000;
let call: Caller;
let newUser: () => Promise<Caller>;

beforeAll(async () => {
  dynamo = await startDynamoDbLocal({ dbPath });
  port = Number(new URL(dynamo.endpoint).port);
  const setup = createDynamoClient({ endpoint: dynamo.endpoint });
  await waitForDynamo(setup);
  await ensureTables(setup, tables);
  setup.destroy();
  const caller = app(REQUEST_TIMEOUT_MS);
  let n = 0;
  newUser = async () => {
    n += 1;
    const signup = await caller()("POST", "/v1/auth/signup", {
      body: { email: `faults${n}@example.com`, password: "correct horse battery staple", name: "Fay" },
    });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    const user = caller(signup.body.token);
    for (const month of MONTHS)
      expect((await user("POST", "/v1/budgets", { body: { month, totalIncome: 0 } })).status).toBe(201);
    return user;
  };
}, 60_000);

afterAll(async () => {
  for (const c of clients) c.destroy();
  process.kill(dynamo.pid as number, "SIGCONT");
  await dynamo.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What an answer during the outage must be: 503 problem+json with Retry-After, of a known type. */
function expectUnavailable(res: Answer, types = ["/problems/database-unavailable"]) {
  expect(res.status, JSON.stringify(res.body)).toBe(503);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  expect(types).toContain(res.body.type);
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error(`${what} never happened`);
}

/**
 * Every write stored exactly once, except what DynamoDB Local itself acknowledged in the moment
 * before it was killed and then dropped (src/local/dynamodb-local-commits.ts): those may be missing,
 * whole, with the books still exact.
 */
async function expectBooksExact(stream: WriteStream, droppableByDynamoDbLocal: readonly Write[] = []) {
  await stream.retryUnacknowledged();
  const stored = await everyTransaction(call);
  const { missing, doubled, unknown } = stream.storedOnceEach(stored);
  expect({ doubled, unknown }).toEqual({ doubled: [], unknown: [] });
  const droppable = new Set(droppableByDynamoDbLocal.map((w) => w.body.description));
  expect(missing.filter((d) => !droppable.has(d))).toEqual([]);
  expect(stored).toHaveLength(stream.writes.length - missing.length);
  expect(await booksDiscrepancies(call, MONTHS)).toEqual([]);
}

describe("DynamoDB killed in the middle of writes", () => {
  it("answers 503 with Retry-After, health says unreachable, and after a restart the app recovers with the books exact", async () => {
    call = await newUser();
    const stream = new WriteStream(call, MONTHS);
    stream.start(4);
    await until("10 writes acknowledged", async () => stream.acknowledged().length >= 10);
    const committed = new Set(stream.acknowledged());
    await dynamoDbLocalCommitBarrier(dynamo.endpoint, tables.transactionDetails);
    process.kill(dynamo.pid as number, "SIGKILL");
    await dynamo.exited;
    const killedAt = stream.writes.length;

    await until("writes refused", async () => stream.writes.length > killedAt + 12);
    const health = await call("GET", "/v1/health");
    expect(health.status).toBe(503);
    expect(health.body).toEqual({ status: "unavailable", database: "unreachable" });
    expect(Number(health.headers.get("retry-after"))).toBeGreaterThan(0);
    expectUnavailable(await call("GET", "/v1/transactions"));
    expectUnavailable(await call("GET", `/v1/budgets/${MONTHS[0]}`));

    const restartAt = stream.writes.length;
    // Acknowledged after the barrier and before the restart: DynamoDB Local may have dropped these.
    const droppable = stream.acknowledged().filter((w) => !committed.has(w));
    dynamo = await startDynamoDbLocal({ dbPath, port });
    // Not restarted, not told: the same app on the same client finds the database again.
    await until("health 200", async () => (await call("GET", "/v1/health")).status === 200);
    const back = stream.writes.length;
    await until("writes acknowledged again", async () =>
      stream.writes.slice(back).some((w) => w.transactionId !== undefined),
    );
    await stream.stop();

    // Every write sent after the kill and before the restart was refused the same way.
    const outage = stream.refusedBetween(killedAt + 4, restartAt - 4);
    expect(outage.length).toBeGreaterThan(3);
    for (const a of outage) {
      expect(a.status).toBe(503);
      expect(a.type).toBe("/problems/database-unavailable");
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }
    await expectBooksExact(stream, droppable);
  }, 60_000);
});

describe("DynamoDB frozen (SIGSTOP)", () => {
  it("answers within the deadline with 503 rather than hanging, and recovers on SIGCONT with the books exact", async () => {
    call = await newUser();
    const stream = new WriteStream(call, MONTHS);
    stream.start(2);
    await until("writes acknowledged", async () => stream.acknowledged().length >= 5);
    process.kill(dynamo.pid as number, "SIGSTOP");
    const frozenAt = stream.writes.length;
    try {
      const [read, health] = await Promise.all([call("GET", "/v1/transactions"), call("GET", "/v1/health")]);
      // Its client would wait 5 s a call, three times over: the request deadline answers first.
      expectUnavailable(read, ["/problems/request-timeout"]);
      expect(health.status).toBe(503);
      expect(health.body).toEqual({ status: "unavailable", database: "unreachable" });
      await until("writes refused while frozen", async () =>
        stream.writes.slice(frozenAt + 2).some((w) => w.answers.length > 0),
      );
    } finally {
      process.kill(dynamo.pid as number, "SIGCONT");
    }
    await until("health 200", async () => (await call("GET", "/v1/health")).status === 200);
    await stream.stop();
    const frozen = stream.writes.slice(frozenAt + 2).filter((w) => w.answers[0]?.status !== 201);
    expect(frozen.length).toBeGreaterThan(0);
    // A write begun before the freeze may see its client call time out before the deadline.
    for (const w of frozen) {
      expect(w.answers[0]?.status).toBe(503);
      expect(["/problems/request-timeout", "/problems/database-unavailable"]).toContain(w.answers[0]?.type);
      expect(Number(w.answers[0]?.retryAfter)).toBeGreaterThan(0);
    }
    await expectBooksExact(stream);
  }, 60_000);
});
