/**
 * `npm run faults`: the longer version of services/api/test/database-faults.test.ts and
 * server-crash-writes.test.ts, with figures. The server runs as `npm start` runs it, on a DynamoDB
 * Local this script owns (DYNAMODB_ENDPOINT, files in a temp dir), while clients write
 * hand-entered creates with Idempotency-Keys, honouring Retry-After:
 *   1. DynamoDB Local killed with SIGKILL mid-writes, down BENCH_OUTAGE_MS, restarted on its port;
 *   2. DynamoDB Local frozen with SIGSTOP for BENCH_FREEZE_MS, then SIGCONT;
 *   3. the server killed with SIGKILL mid-writes and started again on the same DynamoDB.
 * Then every create never answered 201 is sent again with its key, and the books are checked:
 * each create stored exactly once, month totals and account balances equal to a recount.
 * (A server killed during an import: services/api/test/import-crash.test.ts.)
 *
 * Env: BENCH_WRITERS (default 6), BENCH_OUTAGE_MS (default 8000), BENCH_FREEZE_MS (default 20000),
 * BENCH_TIMEOUT_MS (default 120000, for the server to start).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createDynamoClient } from "../services/api/src/db/client";
import { ensureTables } from "../services/api/src/db/create-tables";
import { tableNames } from "../services/api/src/db/tables";
import {
  type DynamoDbLocal,
  freePort,
  startDynamoDbLocal,
  waitForDynamo,
} from "../services/api/src/local/dynamodb-local";
import { dynamoDbLocalCommitBarrier } from "../services/api/src/local/dynamodb-local-commits";
import { booksDiscrepancies, everyTransaction, httpCaller } from "../services/api/test/support/books";
import { type Write, WriteStream } from "../services/api/test/support/writes";
import { type BenchServer, startBenchServer } from "./server";
import { positiveInt } from "./settings";

const WRITERS = positiveInt("BENCH_WRITERS", 6);
const OUTAGE_MS = positiveInt("BENCH_OUTAGE_MS", 8_000);
const FREEZE_MS = positiveInt("BENCH_FREEZE_MS", 20_000);
const TIMEOUT_MS = positiveInt("BENCH_TIMEOUT_MS", 120_000);
const MONTHS = ["2026-06", "2026-07", "2026-08"];

const dir = mkdtempSync(join(tmpdir(), "tyche-faults-bench-"));
const dbPath = join(dir, "dynamodb");
const port = await freePort();
let server: BenchServer | undefined;
process.once("exit", () => {
  server?.child.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

function srv() {
  if (!server) throw new Error("no server started");
  return server;
}

async function healthStatus(): Promise<number> {
  try {
    return (await fetch(`${srv().url}/v1/health`, { signal: AbortSignal.timeout(15_000) })).status;
  } catch {
    return 0;
  }
}

async function untilHealthy(): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < TIMEOUT_MS) {
    if ((await healthStatus()) === 200) return performance.now() - t0;
    await sleep(50);
  }
  throw new Error(`no 200 from health within ${TIMEOUT_MS} ms`);
}

async function startServer(dynamo: DynamoDbLocal) {
  const started = await startBenchServer(
    {
      TYCHE_DB: "file",
      TYCHE_DATA_DIR: join(dir, "data"),
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      TYCHE_RECURRING_INTERVAL_MS: "0",
    },
    { port, timeoutMs: TIMEOUT_MS },
  );
  server = started;
}

const ms = (n: number) => `${Math.round(n)} ms`;
const firstAnswers = (ws: Write[]) => ws.flatMap((w) => w.answers.slice(0, 1));
function describe(label: string, ws: Write[]) {
  const answers = firstAnswers(ws);
  const byStatus = new Map<string, number>();
  for (const a of answers) {
    const k = `${a.status}${a.type ? ` ${a.type.replace("/problems/", "")}` : ""}${a.status === 503 && !a.retryAfter ? " NO Retry-After" : ""}`;
    byStatus.set(k, (byStatus.get(k) ?? 0) + 1);
  }
  const max = Math.max(0, ...answers.map((a) => a.ms));
  console.log(
    `  ${label}: ${answers.length} writes; ${[...byStatus].map(([k, n]) => `${n} × ${k}`).join(", ")}; slowest answer ${ms(max)}`,
  );
}

let dynamo = await startDynamoDbLocal({ dbPath, port: await freePort() });
const dbPort = Number(new URL(dynamo.endpoint).port);
const setup = createDynamoClient({ endpoint: dynamo.endpoint });
await waitForDynamo(setup);
await ensureTables(setup, tableNames({}));
setup.destroy();
await startServer(dynamo);
const signup = await httpCaller(srv().url)("POST", "/v1/auth/signup", {
  body: { email: "faults@example.com", password: "correct horse battery staple", name: "Fay" },
});
const token = signup.body.token as string;
let call = httpCaller(srv().url, token);
for (const month of MONTHS) await call("POST", "/v1/budgets", { body: { month, totalIncome: 0 } });
const stream = new WriteStream(call, MONTHS);
console.log(
  `Tyche under faults: ${WRITERS} writers of hand-entered creates, Retry-After honoured (at most 3 s)`,
);
stream.start(WRITERS, { pauseMs: 20 });

// 1. DynamoDB Local killed and restarted on the same port and files.
await sleep(3_000);
const committed = new Set(stream.acknowledged());
await dynamoDbLocalCommitBarrier(dynamo.endpoint, tableNames({}).transactionDetails);
const killAt = stream.writes.length;
process.kill(dynamo.pid as number, "SIGKILL");
await dynamo.exited;
await sleep(100);
const h1 = await healthStatus();
await sleep(OUTAGE_MS);
const restartAt = stream.writes.length;
// What DynamoDB Local acknowledged between the barrier and its death, and may itself have dropped.
const droppable = new Set(
  stream
    .acknowledged()
    .filter((w) => !committed.has(w))
    .map((w) => w.body.description),
);
const restartT0 = performance.now();
dynamo = await startDynamoDbLocal({ dbPath, port: dbPort });
const dbUpMs = performance.now() - restartT0;
await untilHealthy();
const recoveredMs = performance.now() - restartT0;
console.log(
  "1. DynamoDB Local killed (SIGKILL) mid-writes, down",
  ms(OUTAGE_MS),
  "then restarted on its port",
);
console.log(`  health during the outage: ${h1}`);
describe("during the outage", stream.writes.slice(killAt, restartAt));
console.log(
  `  restart: DynamoDB Local listening after ${ms(dbUpMs)}, health 200 after ${ms(recoveredMs)} (server not restarted)`,
);

// 2. Frozen.
await sleep(3_000);
const freezeAt = stream.writes.length;
process.kill(dynamo.pid as number, "SIGSTOP");
await sleep(2_500);
const h2 = await healthStatus();
await sleep(FREEZE_MS - 2_500);
const thawAt = stream.writes.length;
process.kill(dynamo.pid as number, "SIGCONT");
const thawT0 = performance.now();
await untilHealthy();
const thawedMs = performance.now() - thawT0;
console.log(`2. DynamoDB Local frozen (SIGSTOP) for ${ms(FREEZE_MS)}, then SIGCONT`);
console.log(`  health during the freeze: ${h2}`);
describe("during the freeze", stream.writes.slice(freezeAt, thawAt));
console.log(`  health 200 ${ms(thawedMs)} after SIGCONT`);

// 3. The server killed.
await sleep(3_000);
const beforeServerKill = stream.acknowledged().length;
srv().child.kill("SIGKILL");
await srv().exit;
await stream.stop();
const cutOff = stream.writes.filter((w) => w.answers.at(-1)?.status === 0).length;
const serverT0 = performance.now();
await startServer(dynamo);
call = httpCaller(srv().url, token);
stream.call = call;
console.log("3. the server killed (SIGKILL) mid-writes and started again on the same DynamoDB");
console.log(
  `  ${beforeServerKill} acknowledged before the kill, ${cutOff} cut off without an answer; ready again after ${ms(performance.now() - serverT0)}`,
);
const lostBeforeRetry = stream
  .storedOnceEach(await everyTransaction(call))
  .missing.filter((d) => !droppable.has(d)).length;

const retried = await stream.retryUnacknowledged();
const stored = await everyTransaction(call);
const once = stream.storedOnceEach(stored);
const droppedByDynamoDbLocal = once.missing.filter((d) => droppable.has(d)).length;
const lost = once.missing.length - droppedByDynamoDbLocal;
const books = await booksDiscrepancies(call, MONTHS);
console.log("Books");
console.log(
  `  writes attempted ${stream.writes.length}, acknowledged at first try ${stream.writes.filter((w) => w.answers[0]?.status === 201).length}, sent again with their key ${retried}`,
);
console.log(`  acknowledged writes missing before any retry: ${lostBeforeRetry}`);
console.log(
  `  stored ${stored.length}; missing ${lost}, doubled ${once.doubled.length}, unknown ${once.unknown.length}`,
);
console.log(
  `  acknowledged by DynamoDB Local in the moment before its SIGKILL and dropped by it (its COMMIT runs after its answer; see services/api/src/local/dynamodb-local-commits.ts): ${droppedByDynamoDbLocal} of ${droppable.size}`,
);
console.log(
  `  month totals and account balances against a recount: ${books.length ? books.join("; ") : "exact"}`,
);
srv().child.kill("SIGTERM");
await srv().exit;
await dynamo.stop();
const ok =
  lostBeforeRetry === 0 &&
  lost + once.doubled.length + once.unknown.length === 0 &&
  books.length === 0 &&
  stored.length === stream.writes.length - droppedByDynamoDbLocal;
process.exit(ok ? 0 : 1);
