import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { expect, onTestFinished } from "vitest";
import { freePort } from "../../src/local/dynamodb-local";

const API_DIR = resolve(import.meta.dirname, "../..");

export interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

/** Runs the server exactly as `npm start` does (tsx on the local entry), in its own process, for one test. */
export async function startServer(dataDir: string, env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "src/local/server.ts"], {
    cwd: API_DIR,
    env: { ...process.env, PORT: String(port), TYCHE_DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exit = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  // A test that fails half-way must not leave its server, or the DynamoDB Local of one it killed,
  // running for the rest of the run.
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exit;
      clearTimeout(timer);
    }
    for (const pid of javaUsing(dataDir)) process.kill(pid, "SIGTERM");
  });
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exit };
}

export async function untilHealthy(s: Running): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (s.child.exitCode !== null) throw new Error(`server exited:\n${s.output()}`);
    try {
      const res = await fetch(`${s.url}/v1/health`);
      if (res.status === 200) return;
      expect(res.status).toBe(503);
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not healthy within 60 s:\n${s.output()}`);
}

/** Java processes whose command line names this data dir: DynamoDB Local left behind. */
export function javaUsing(dataDir: string): number[] {
  return readdirSync("/proc")
    .filter((p) => /^\d+$/.test(p))
    .filter((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
        return cmd.includes("DynamoDBLocal") && cmd.includes(dataDir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

export async function json(url: string, init?: RequestInit & { token?: string; body?: string }) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init?.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(url, { ...init, headers });
  return { status: res.status, body: await res.json() };
}

/** Signs a new user up over HTTP and opens an empty budget for each month; their token. */
export async function signupWithBudgets(
  url: string,
  email: string,
  months: readonly string[],
): Promise<string> {
  const signup = await json(`${url}/v1/auth/signup`, {
    method: "POST",
    body: JSON.stringify({ email, password: "correct horse battery", name: "Cas" }),
  });
  expect(signup.status, JSON.stringify(signup.body)).toBe(201);
  for (const month of months) {
    const res = await json(`${url}/v1/budgets`, {
      method: "POST",
      token: signup.body.token,
      body: JSON.stringify({ month, totalIncome: 0 }),
    });
    expect(res.status).toBe(201);
  }
  return signup.body.token;
}
