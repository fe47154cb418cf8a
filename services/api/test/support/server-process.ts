import { readdirSync, readFileSync } from "node:fs";
import { expect, onTestFinished } from "vitest";
import { type Running, spawnServer } from "./server-spawn";

export type { Running };

/** The server as `npm start` runs it (server-spawn.ts), for one test. */
export async function startServer(dataDir: string, env: Record<string, string>): Promise<Running> {
  const running = await spawnServer({ TYCHE_DATA_DIR: dataDir, ...env });
  const { child, exit } = running;
  // A test that fails half-way must not leave its server, or the DynamoDB Local of one it killed,
  // running for the rest of the run.
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exit;
      clearTimeout(timer);
    }
    for (const pid of javaUsing(dataDir)) {
      try {
        process.kill(pid, "SIGTERM");
      } catch {
        // gone since it was listed
      }
    }
  });
  return running;
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
