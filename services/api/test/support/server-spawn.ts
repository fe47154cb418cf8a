import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { freePort } from "../../src/local/dynamodb-local";

const API_DIR = resolve(import.meta.dirname, "../..");

export interface Running {
  child: ChildProcess;
  url: string;
  /** What it printed (the last 100,000 characters), for assertions and failure reports. */
  output: () => string;
  exit: Promise<number | null>;
}

/**
 * The server as `npm start` runs it, in its own process: node with tsx's loader on the local
 * entry. (tsx's own command would run the server in a child of its own, which a SIGKILL of the
 * command leaves running.) It starts its own DynamoDB Local unless `env` names DYNAMODB_ENDPOINT.
 * No test runner here: the tests' helpers and the benches both start servers with it.
 */
export async function spawnServer(
  env: Record<string, string>,
  opts: { port?: number; apiDir?: string } = {},
): Promise<Running> {
  const port = opts.port ?? (await freePort());
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), ...env };
  if (env.DYNAMODB_ENDPOINT === undefined) delete childEnv.DYNAMODB_ENDPOINT;
  const child = spawn(process.execPath, ["--import", "tsx", "src/local/server.ts"], {
    cwd: opts.apiDir ?? API_DIR,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d).slice(-100_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exit };
}
