import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../src/local/dynamodb-local";

const API_DIR = resolve(import.meta.dirname, "..");
const dataDir = mkdtempSync(join(tmpdir(), "tyche-process-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

/** Runs the server exactly as `npm start` does (tsx on the local entry), in its own process. */
async function start(env: Record<string, string>): Promise<Running> {
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
  return { child, url: `http://127.0.0.1:${port}`, output: () => output, exit };
}

async function untilHealthy(s: Running): Promise<void> {
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

/** Java processes whose command line names this test's data dir: DynamoDB Local left behind. */
function javaUsingDataDir(): number[] {
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

async function json(url: string, init?: RequestInit & { token?: string; body?: string }) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init?.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(url, { ...init, headers });
  return { status: res.status, body: await res.json() };
}

describe("the server process", () => {
  it("keeps data across a restart with TYCHE_DB=file and leaves no Java behind", async () => {
    const first = await start({ TYCHE_DB: "file" });
    await untilHealthy(first);
    expect(javaUsingDataDir()).toHaveLength(1);
    const credentials = { email: "persist@example.com", password: "correct horse battery", name: "Pat" };
    const signup = await json(`${first.url}/v1/auth/signup`, {
      method: "POST",
      body: JSON.stringify(credentials),
    });
    expect(signup.status).toBe(201);
    const token = signup.body.token;
    const created = await json(`${first.url}/v1/budgets`, {
      method: "POST",
      token,
      body: JSON.stringify({ month: "2025-01", totalIncome: 321_000 }),
    });
    expect(created.status).toBe(201);

    first.child.kill("SIGTERM");
    expect(await first.exit).toBe(0);
    expect(javaUsingDataDir()).toEqual([]);
    expect(statSync(join(dataDir, "signing-key")).mode & 0o777).toBe(0o600);

    const second = await start({ TYCHE_DB: "file" });
    await untilHealthy(second);
    // the signing key persisted too, so the old session still works
    const budget = await json(`${second.url}/v1/budgets/2025-01`, { token });
    expect(budget.status).toBe(200);
    expect(budget.body).toMatchObject({ month: "2025-01", totalIncome: 321_000 });
    const login = await json(`${second.url}/v1/auth/login`, {
      method: "POST",
      body: JSON.stringify({ email: credentials.email, password: credentials.password }),
    });
    expect(login.status).toBe(200);
    expect(second.output()).toContain("0 tables created");

    second.child.kill("SIGINT");
    expect(await second.exit).toBe(0);
    expect(javaUsingDataDir()).toEqual([]);
  });

  it("stops a DynamoDB Local left behind by a killed server before reusing its files", async () => {
    const killed = await start({ TYCHE_DB: "file" });
    await untilHealthy(killed);
    const [orphan] = javaUsingDataDir();
    killed.child.kill("SIGKILL");
    await killed.exit;
    // SIGKILL gives the server no chance to stop Java: it is still there, holding the data files.
    expect(javaUsingDataDir()).toEqual([orphan]);

    const next = await start({ TYCHE_DB: "file" });
    await untilHealthy(next);
    const running = javaUsingDataDir();
    expect(running).toHaveLength(1);
    expect(running).not.toContain(orphan);
    next.child.kill("SIGTERM");
    expect(await next.exit).toBe(0);
    expect(javaUsingDataDir()).toEqual([]);
  });

  it("exits with one clear sentence when Java is missing", async () => {
    const s = await start({ TYCHE_DB: "memory", PATH: "/nonexistent" });
    expect(await s.exit).toBe(1);
    expect(s.output().trim()).toMatch(
      /^Tyche needs Java 17 or newer to run DynamoDB Local: install it .*\.$/,
    );
  });

  it("names the wrong setting when the environment is invalid", async () => {
    const s = await start({ TYCHE_DB: "postgres" });
    expect(await s.exit).toBe(1);
    expect(s.output().trim()).toBe('TYCHE_DB must be "file" or "memory", not "postgres"');
  });
});
