/**
 * Load (issue 22, item 1): `npm run load -- --users 50 --seconds 60`. The server runs in its own
 * process exactly as `npm start` runs it (`tsx src/local/server.ts`, TYCHE_DB=memory, its own
 * DynamoDB Local); this process is the users, each signing up and in and then going through a
 * realistic mix (services/api/test/support/load/session.ts) over HTTP. It prints throughput and
 * p50/p95/p99 per route, then checks every user's books (support/load/books.ts). Exits 1 when the
 * books are not exact or any request answered 5xx.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sender } from "../services/api/test/support/fuzz/world";
import { printStats } from "../services/api/test/support/load/client";
import { load } from "../services/api/test/support/load/run";
import { intFlags } from "./flags";
import { startBenchServer } from "./server";

const flags = intFlags({ users: 50, seconds: 60 });

async function main(): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), "tyche-load-"));
  console.log("starting the server ...");
  const server = await startBenchServer({ TYCHE_DB: "memory", TYCHE_DATA_DIR: dataDir });
  try {
    console.log(`${flags.users} users for ${flags.seconds} s against ${server.url}`);
    const report = await load(sender(fetch, server.url), flags).catch((err) => {
      console.error(`the server said:\n${server.output().slice(-5_000)}`);
      throw err;
    });
    printStats(report.recorder, report.mixRequests, report.seconds, (l) => console.log(l));
    console.log(
      `books: ${report.users.length} users, ${report.created} transactions acknowledged 201, ${report.imported} imported rows`,
    );
    if (report.failures.length) {
      if (report.recorder.serverErrors.length)
        console.log(`the server said:\n${server.output().slice(-5_000)}`);
      console.log(`books NOT exact: ${report.failures.length} findings`);
      for (const f of report.failures.slice(0, 50)) console.log(`  ${f}`);
      return 1;
    }
    console.log("books exact: every 201 stored once, month totals and balances equal the recount, no 5xx");
    return 0;
  } finally {
    server.child.kill("SIGTERM");
    await server.exit;
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
