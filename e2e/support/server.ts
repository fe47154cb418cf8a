import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../services/api/src/local/dynamodb-local";

/** The repository root: e2e/support/ is two levels below it. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SERVER_ENTRY = "services/api/src/local/server.ts";

export interface StartOptions {
  /** `memory` (default) or `file`. */
  db?: "memory" | "file";
  /** Use this data dir instead of a fresh temporary one (which is then not removed on stop). */
  dataDir?: string;
  /** Extra environment for the server; DYNAMODB_ENDPOINT is cleared unless given here. */
  env?: Record<string, string>;
  /** How long to wait for GET /v1/health to answer 200. */
  readyTimeoutMs?: number;
}

export interface RunningServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  baseUrl: string;
  port: number;
  dataDir: string;
  pid: number;
  /** Everything the server printed so far (stdout and stderr, interleaved). */
  output(): string;
  /** SIGTERM, then waits for the process to exit (SIGKILL after `graceMs`); idempotent. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Status of GET /v1/health, or undefined while nothing answers. */
async function health(baseUrl: string): Promise<number | undefined> {
  try {
    const res = await fetch(`${baseUrl}/v1/health`, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.status;
  } catch {
    return undefined;
  }
}

class ServerStartError extends Error {}

/**
 * Starts the real server (`services/api/src/local/server.ts` under tsx, as `npm start` does) on a
 * free port with its own DynamoDB Local, and resolves once GET /v1/health answers 200. On failure
 * the error carries the server's output. Always pair with `stop()` (e.g. in afterAll).
 */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  // A free port can be taken between probing and binding; try again a couple of times if so.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (!(err instanceof ServerStartError) || !/is in use/.test(err.message) || attempt >= 3) throw err;
    }
  }
}

async function startOnce(opts: StartOptions): Promise<RunningServer> {
  const ownDataDir = opts.dataDir === undefined;
  const dataDir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), "tyche-e2e-")));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DYNAMODB_ENDPOINT;
  Object.assign(env, {
    PORT: String(port),
    TYCHE_DB: opts.db ?? "memory",
    TYCHE_DATA_DIR: dataDir,
    ...opts.env,
  });

  const child = spawn(process.execPath, ["--import", "tsx", SERVER_ENTRY], {
    cwd: REPO_ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once("exit", (code, signal) => r({ code, signal })),
  );
  const spawnError = new Promise<Error>((r) => child.once("error", r));
  // If the test process dies without stopping us, the server (and so Java) must not outlive it.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  void exited.then(() => process.removeListener("exit", killOnExit));

  let stopped: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  const stop = (graceMs = 15_000) => {
    stopped ??= (async () => {
      const result = await stopChild(child, exited, graceMs);
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
      return result;
    })();
    return stopped;
  };

  const timeoutMs = opts.readyTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let ended: string | undefined;
  void exited.then(({ code, signal }) => {
    ended = `exited with ${signal ?? `code ${code}`}`;
  });
  void spawnError.then((err) => {
    ended = `could not be spawned: ${err.message}`;
  });
  for (;;) {
    if (ended) {
      await stop();
      throw new ServerStartError(`The Tyche server ${ended} before it was ready. Its output:\n${output}`);
    }
    if ((await health(baseUrl)) === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new ServerStartError(
        `GET ${baseUrl}/v1/health did not answer 200 within ${timeoutMs / 1000} s. The server's output:\n${output}`,
      );
    }
    await sleep(100);
  }

  return {
    baseUrl,
    port,
    dataDir,
    pid: child.pid ?? -1,
    output: () => output,
    stop,
  };
}

async function stopChild(
  child: ChildProcess,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  graceMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.pid === undefined) return { code: null, signal: null }; // never started
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}
