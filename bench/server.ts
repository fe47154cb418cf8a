import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { freePort } from "../services/api/src/local/dynamodb-local";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const API_DIR = join(ROOT, "services", "api");

export interface BenchServer {
  child: ChildProcess;
  url: string;
  /** What it printed, for the report when something fails. */
  output: () => string;
  exit: Promise<number | null>;
}

/**
 * The server as `npm start` runs it (tsx on the local entry, in services/api), in its own process
 * so that its work and the bench's clients do not share a thread; resolves once health answers
 * 200. It starts its own DynamoDB Local unless `env` names DYNAMODB_ENDPOINT, and ends when this
 * process does.
 */
export async function startBenchServer(
  env: Record<string, string>,
  opts: { port?: number; timeoutMs?: number; apiDir?: string } = {},
): Promise<BenchServer> {
  const port = opts.port ?? (await freePort());
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), ...env };
  if (env.DYNAMODB_ENDPOINT === undefined) delete childEnv.DYNAMODB_ENDPOINT;
  // tsx's own command would run the server in a child of its own, which a SIGKILL of the command
  // (the faults bench's) would leave running: node with tsx's loader is the server itself.
  const child = spawn(process.execPath, ["--import", "tsx", "src/local/server.ts"], {
    cwd: opts.apiDir ?? API_DIR,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output = (output + d).slice(-20_000)));
  child.stderr?.on("data", (d) => (output = (output + d).slice(-20_000)));
  const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  process.once("exit", () => child.kill("SIGTERM"));
  const server = { child, url: `http://127.0.0.1:${port}`, output: () => output, exit };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`);
    try {
      if ((await fetch(`${server.url}/v1/health`, { signal: AbortSignal.timeout(15_000) })).status === 200)
        return server;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  child.kill("SIGTERM");
  throw new Error(`not healthy within ${timeoutMs} ms:\n${output}`);
}
