/**
 * Load (issue 22, item 1): `npm run load -- --users 50 --seconds 60`. The server runs in its own
 * process exactly as `npm start` runs it (`tsx src/local/server.ts`, TYCHE_DB=memory, its own
 * DynamoDB Local); this process is the users, each signing up and in and then going through a
 * realistic mix (services/api/test/support/load/session.ts) over HTTP. It prints throughput and
 * p50/p95/p99 per route, then checks every user's books (support/load/books.ts). Exits 1 when the
 * books are not exact or any request answered 5xx.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { freePort } from "../services/api/src/local/dynamodb-local";
import { sender } from "../services/api/test/support/fuzz/world";
import { printStats } from "../services/api/test/support/load/client";
import { load } from "../services/api/test/support/load/run";
import { intFlags } from "./flags";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const API_DIR = join(ROOT, "services", "api");
const TSX = join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "tsx.cmd" : "tsx");
const flags = intFlags({ users: 50, seconds: 60 });

async function startServer(
  dataDir: string,
): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    TYCHE_DB: "memory",
    TYCHE_DATA_DIR: dataDir,
  };
  delete env.DYNAMODB_ENDPOINT;
  const child = spawn(TSX, ["src/local/server.ts"], { cwd: API_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  process.once("exit", () => child.kill("SIGTERM"));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`);
    try {
      if ((await fetch(`${url}/v1/health`)).status === 200) return { child, url, output: () => output };
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  child.kill("SIGTERM");
  throw new Error(`not healthy within 120 s:\n${output}`);
}

async function main(): Promise<number> {
  const dataDir = await mkdtemp(join(tmpdir(), "tyche-load-"));
  console.log("starting the server ...");
  const server = await startServer(dataDir);
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
    await new Promise((r) => server.child.once("exit", r));
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
