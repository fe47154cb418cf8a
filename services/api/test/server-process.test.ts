import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { javaUsing, json, startServer, untilHealthy } from "./support/server-process";

const dataDir = mkdtempSync(join(tmpdir(), "tyche-process-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const start = (env: Record<string, string>) => startServer(dataDir, env);
const javaUsingDataDir = () => javaUsing(dataDir);

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
