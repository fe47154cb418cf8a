import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DomainError } from "../src/errors";
import { parseStatementTask, type ReadRequest, type Statement } from "../src/imports/parse-task";
import { StatementPool, type StatementReader } from "../src/imports/statement-reader";
import { type Account, type Harness, harness, ownerItems, signup, uniqueEmail } from "./support/harness";
import { json, startServer, untilHealthy } from "./support/server-process";

const CHECKING: ReadRequest = { options: {}, accountType: "checking" };

/**
 * Issue 15, item 3: bank files are read off the request thread, in a pool of workers, so health
 * and other users keep answering during any upload, and a file that takes too long is stopped.
 * Nothing here times the machine in absolute terms: each check compares two quantities measured
 * in the same run, with a wide margin.
 */

const FIXTURES = join(import.meta.dirname, "fixtures");
const API_SRC = resolve(import.meta.dirname, "../src");
const enc = (text: string) => new TextEncoder().encode(text);

/** A US bank export of `rows` rows whose descriptions are `width` characters. */
function bankCsv(rows: number, width: number): string {
  const lines = ["Date,Description,Amount"];
  for (let i = 0; i < rows; i++) {
    const date = `2024-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`;
    const text = `POS PURCHASE ${i} COFFEE ROASTERS #${i % 977} SEATTLE WA`.padEnd(width, " X");
    lines.push(`${date},${text},-${(i % 977) + 1}.${String(i % 100).padStart(2, "0")}`);
  }
  return lines.join("\n");
}

/** The largest file an import takes: 50,000 rows, 8 MB. The longest honest parse there is. */
const LARGEST = bankCsv(50_000, 150);
/** Adversarial files of the issue: tags nested 200,000 deep (600 KB)... */
const DEEP_OFX = `OFXHEADER:100\nDATA:OFXSGML\n\n<OFX>${"<A>".repeat(200_000)}</OFX>`;
/** ...a 150,000-character cell of punctuation runs... */
const PUNCTUATION = `Date,Description,Amount\n2024-03-11,${"A-.-.-.B".repeat(18_750)},-4.50\n`;
/** ...and 9 MB of more rows than an import may carry. */
const MANY_ROWS = bankCsv(125_000, 55);

const SMALL = readFileSync(join(FIXTURES, "us-signed.csv"));

/** What the file's own reading costs the thread that runs it: all of it, when that is the request thread. */
function inThread(text: string, name: string): { ms: number; outcome: Statement | DomainError } {
  const started = performance.now();
  let outcome: Statement | DomainError;
  try {
    outcome = parseStatementTask(enc(text), name, CHECKING);
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    outcome = err;
  }
  return { ms: performance.now() - started, outcome };
}

/**
 * Stamps the time every few milliseconds: the longest gap between stamps in a window is the
 * longest the request thread was unavailable then (a timer cannot fire while the thread is busy).
 */
class Ticker {
  private readonly stamps: number[] = [performance.now()];
  private readonly timer = setInterval(() => this.stamps.push(performance.now()), 2);
  stop(): void {
    clearInterval(this.timer);
    this.stamps.push(performance.now());
  }
  longestGap(from: number, to: number): number {
    let longest = 0;
    let previous = from;
    for (const t of this.stamps) {
      if (t <= from) continue;
      longest = Math.max(longest, Math.min(t, to) - previous);
      if (t >= to) break;
      previous = t;
    }
    return longest;
  }
}

/** The pool behind the app, recording when each file was in it. */
class Watched implements StatementReader {
  readonly windows: { name: string | undefined; start: number; end: number }[] = [];
  constructor(readonly inner: StatementPool) {}
  async read(file: { name?: string; bytes: Uint8Array }, request: ReadRequest, how?: { transfer?: boolean }) {
    const window = { name: file.name, start: performance.now(), end: Number.POSITIVE_INFINITY };
    this.windows.push(window);
    try {
      return await this.inner.read(file, request, how);
    } finally {
      window.end = performance.now();
    }
  }
  close() {
    return this.inner.close();
  }
}

function form(text: string | Uint8Array, name: string): FormData {
  const f = new FormData();
  f.set("file", new File([text as BlobPart], name));
  return f;
}

/** A problem body that says what is wrong with the file and nothing of the code that found it. */
function expectCleanProblem(res: { status: number; headers: Headers; body: unknown }, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(res.body).toMatchObject({ status, errors: [expect.objectContaining({ path: "file" })] });
  expect(JSON.stringify(res.body)).not.toMatch(
    /\bat \S+ \(|node:|\.m?[jt]s\b|[Ss]tack|Maximum call|[A-Z]\w*Error\b|[Ww]orker|undefined/,
  );
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error("expected the read to fail");
}

describe("the statement pool", () => {
  let pool: StatementPool;
  beforeAll(() => {
    pool = new StatementPool({ workers: 2 });
  });
  afterAll(() => pool.close());

  it("reads every bank file exactly as the request thread would, errors included", async () => {
    const files = readdirSync(FIXTURES).map((name) => ({ name, text: readFileSync(join(FIXTURES, name)) }));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const { name, text } of files) {
      const direct = parseStatementTask(new Uint8Array(text), name, CHECKING);
      expect(await pool.read({ name, bytes: new Uint8Array(text) }, CHECKING), name).toEqual(direct);
    }
    const options: ReadRequest = {
      options: { hasHeader: false, columns: { date: 0, amount: 2, description: 1 } },
      accountType: "checking",
    };
    const headless = "2024-03-01,Coffee,-4.50\n2024-03-02,Salary,2000.00\n";
    expect(await pool.read({ name: "h.csv", bytes: enc(headless) }, options)).toEqual(
      parseStatementTask(enc(headless), "h.csv", options),
    );

    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    for (const [name, bytes] of [
      ["statement.csv", garbage],
      ["deep.ofx", enc(DEEP_OFX)],
      ["many.csv", enc(MANY_ROWS)],
      ["cut.ofx", enc("OFXHEADER:100\n\n<OFX><BANKMSGSRSV1><STMTTRNRS>")],
    ] as const) {
      const expected = inThread(new TextDecoder().decode(bytes), name).outcome;
      expect(expected, name).toBeInstanceOf(DomainError);
      const err = await rejection(pool.read({ name, bytes }, CHECKING));
      // The same kind, field and words as the request thread's own error: the route answers alike.
      expect(err, name).toBeInstanceOf(DomainError);
      expect({ ...(err as DomainError), message: (err as Error).message }).toEqual({
        ...(expected as DomainError),
        message: (expected as Error).message,
      });
    }
  });

  it("moves the bytes to the worker only when asked, and only when they fill their own buffer", async () => {
    const kept = new Uint8Array(SMALL);
    await pool.read({ name: "a.csv", bytes: kept }, CHECKING);
    expect(kept.byteLength).toBe(SMALL.byteLength);

    const moved = new Uint8Array(SMALL);
    const statement = await pool.read({ name: "a.csv", bytes: moved }, CHECKING, { transfer: true });
    expect(moved.byteLength).toBe(0);
    expect(statement.rows.length).toBeGreaterThan(0);

    // A view into a larger buffer (a pooled Buffer) is copied, so the rest of its buffer stays put.
    const backing = new Uint8Array(SMALL.byteLength + 16);
    backing.set(SMALL, 8);
    const view = backing.subarray(8, 8 + SMALL.byteLength);
    expect(await pool.read({ name: "a.csv", bytes: view }, CHECKING, { transfer: true })).toEqual(statement);
    expect(backing.byteLength).toBe(SMALL.byteLength + 16);
  });

  it("leaves the request thread free while a file is read", async () => {
    await pool.read({ name: "warm.csv", bytes: SMALL }, CHECKING);
    /**
     * The longest the request thread waited while the pool read `text`, against how long the read
     * took. Read on the request thread, the two would be the same: the parse holds it throughout.
     */
    const viaPool = async (text: string, name: string) => {
      const bytes = enc(text);
      const ticker = new Ticker();
      const start = performance.now();
      const outcome = await pool
        .read({ name, bytes }, CHECKING, { transfer: true })
        .catch((err: unknown) => err);
      const end = performance.now();
      ticker.stop();
      const gap = ticker.longestGap(start, end);
      return {
        gap,
        ms: end - start,
        outcome,
        say: `longest gap ${gap.toFixed(0)} of ${(end - start).toFixed(0)} ms`,
      };
    };

    /**
     * The run with the smallest share of waiting, of up to three: other processes on a loaded
     * machine (the other test worker, DynamoDB Local) can pause this thread too, whereas a parse on
     * it would hold it in every run.
     */
    const bestOf = async (text: string, name: string) => {
      let best = await viaPool(text, name);
      for (let i = 1; i < 3 && best.gap >= best.ms / 2; i++) {
        const next = await viaPool(text, name);
        if (next.gap / next.ms < best.gap / best.ms) best = next;
      }
      return best;
    };

    // 9 MB read to the end and refused (measured: a 10-13 ms gap in a 300-400 ms read).
    const refused = await bestOf(MANY_ROWS, "many.csv");
    expect(refused.outcome).toBeInstanceOf(DomainError);
    expect(refused.outcome).toEqual(inThread(MANY_ROWS, "many.csv").outcome);
    expect(refused.gap, refused.say).toBeLessThan(refused.ms / 2);

    // The largest file an import takes: the request thread still receives its 50,000 rows (structured
    // clone), the one part of the work that stays there (measured: 80-360 ms in a 0.9-2.7 s read).
    const largest = await bestOf(LARGEST, "big.csv");
    expect(largest.outcome).not.toBeInstanceOf(DomainError);
    expect(largest.outcome).toEqual(inThread(LARGEST, "big.csv").outcome);
    expect(largest.gap, largest.say).toBeLessThan(largest.ms / 2);
  });

  it("fails what waits when it closes, ends its workers, and refuses files after", async () => {
    const own = new StatementPool({ workers: 1 });
    await own.read({ name: "a.csv", bytes: SMALL }, CHECKING);
    expect(own.workerCount).toBe(1);
    const reading = rejection(own.read({ name: "big.csv", bytes: enc(LARGEST) }, CHECKING));
    const waiting = rejection(own.read({ name: "a.csv", bytes: SMALL }, CHECKING));
    await own.close();
    expect(own.workerCount).toBe(0);
    for (const err of [await reading, await waiting, await rejection(own.read({ bytes: SMALL }, CHECKING))]) {
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(DomainError);
    }
  });

  it("refuses files beyond its queue with a 429 instead of holding them all", async () => {
    const own = new StatementPool({ workers: 1, maxQueued: 2 });
    try {
      const big = enc(LARGEST);
      const reads = [0, 1, 2, 3].map(() => rejection(own.read({ name: "big.csv", bytes: big }, CHECKING)));
      const busy = await Promise.race(reads);
      expect(busy).toMatchObject({ failure: "too-many-attempts", extra: { slug: "imports-busy" } });
    } finally {
      await own.close();
    }
  });
});

describe("a file over the time limit", () => {
  let limited: StatementPool;
  let h: Harness;
  let limitMs: number;
  beforeAll(() => {
    const largest = inThread(LARGEST, "big.csv").ms;
    const small = inThread(SMALL.toString(), "a.csv").ms;
    // The premise: the largest file takes far longer than a small one; the limit sits between (a
    // worker reads the largest file no faster than the request thread does: measured 1.3-2.3 times slower).
    expect(largest).toBeGreaterThan(50 * small);
    limitMs = Math.max(1, Math.round(largest / 4));
    limited = new StatementPool({ workers: 1, timeLimitMs: limitMs });
    h = harness(undefined, { statements: limited });
  });
  afterAll(async () => {
    await h.close();
    await limited.close();
  });

  it("is stopped, its worker replaced, and the next file read", async () => {
    await limited.read({ name: "a.csv", bytes: SMALL }, CHECKING);
    const err = await rejection(limited.read({ name: "big.csv", bytes: enc(LARGEST) }, CHECKING));
    expect(err).toMatchObject({
      failure: "invalid",
      extra: { slug: "file-too-slow", errors: [{ path: "file" }] },
    });
    expect(limited.workerCount).toBe(0);
    const next = await limited.read({ name: "a.csv", bytes: SMALL }, CHECKING);
    expect(next).toEqual(parseStatementTask(SMALL, "a.csv", CHECKING));
    expect(limited.workerCount).toBe(1);
  });

  it("answers the upload with a clean 422, writes nothing, and the next import works", async () => {
    const a = await signup(h);
    const before = await ownerItems(h.store, a.owner);
    for (const dryRun of ["?dryRun=true", ""]) {
      const res = await h.call("POST", `/v1/imports${dryRun}`, {
        token: a.token,
        raw: form(LARGEST, "big.csv"),
      });
      expectCleanProblem(res, 422);
      expect(res.body.type).toBe("/problems/file-too-slow");
      expect(res.body.detail).toContain("could not be read within");
    }
    expect(await ownerItems(h.store, a.owner)).toEqual(before);
    const next = await h.call("POST", "/v1/imports", { token: a.token, raw: form(SMALL, "chase.csv") });
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    expect(next.body.counts.imported).toBeGreaterThan(0);
  });
});

describe("while one user uploads hostile files", () => {
  let pool: Watched;
  let h: Harness;
  beforeAll(() => {
    pool = new Watched(new StatementPool({ workers: 2 }));
    h = harness(undefined, { statements: pool });
  });
  afterAll(async () => {
    await h.close();
    await pool.close();
  });

  it("health and another user keep answering, and the uploads are answered cleanly", async () => {
    const [a, b] = [await signup(h), await signup(h)];
    // Workers start on first use; started here, so the windows below are reading, not starting.
    expect(
      (await h.call("POST", "/v1/imports?dryRun=true", { token: a.token, raw: form(SMALL, "a.csv") })).status,
    ).toBe(200);
    pool.windows.length = 0;

    const answered: { what: string; status: number; at: number }[] = [];
    let uploading = true;
    const others = (async () => {
      while (uploading) {
        for (const [what, token] of [
          ["health", undefined],
          ["other", b.token],
        ] as const) {
          const path = what === "health" ? "/v1/health" : "/v1/categories";
          const res = await h.call("GET", path, token ? { token } : {});
          answered.push({ what, status: res.status, at: performance.now() });
        }
        // A real pause: in-process calls resolve on microtasks, which alone would starve timers.
        await sleep(2);
      }
    })();
    const ticker = new Ticker();
    const uploads: { name: string; status: number; start: number; end: number }[] = [];
    try {
      for (const [name, text, expected] of [
        ["deep.ofx", DEEP_OFX, 422],
        ["punctuation.csv", PUNCTUATION, 422],
        ["many.csv", MANY_ROWS, 422],
      ] as const) {
        const start = performance.now();
        const res = await h.call("POST", "/v1/imports", { token: a.token, raw: form(text, name) });
        uploads.push({ name, status: res.status, start, end: performance.now() });
        if (expected === 422) expectCleanProblem(res, 422);
        else expect(res.status, JSON.stringify(res.body)).toBe(201);
      }
    } finally {
      uploading = false;
      await others;
      ticker.stop();
    }

    expect(answered.every((r) => r.status === 200)).toBe(true);
    for (const u of uploads) {
      const during = answered.filter((r) => r.at > u.start && r.at < u.end);
      expect(
        during.some((r) => r.what === "health"),
        `health during ${u.name}`,
      ).toBe(true);
      expect(
        during.some((r) => r.what === "other"),
        `the other user during ${u.name}`,
      ).toBe(true);
    }
    // While the 9 MB file was in the worker, requests were answered and the thread never waited
    // long: read on this thread, it would have been held for the whole parse, answering nothing
    // (measured: 40-50 answers, a 13-75 ms gap in a 300-400 ms read).
    const window = pool.windows.find((w) => w.name === "many.csv");
    if (!window) throw new Error("many.csv never reached the pool");
    const inWindow = answered.filter((r) => r.at > window.start && r.at < window.end);
    expect(inWindow.length, `answers while many.csv was read`).toBeGreaterThan(0);
    const gap = ticker.longestGap(window.start, window.end);
    const ms = window.end - window.start;
    expect(gap, `longest gap ${gap.toFixed(0)} of ${ms.toFixed(0)} ms`).toBeLessThan(ms / 2);
  });
});

describe("how the worker is loaded", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "tyche-worker-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs node and resolves with its exit code and output; a process that does not end fails the test. */
  function run(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
    return new Promise((done, fail) => {
      const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
      let out = "";
      child.stdout.on("data", (d) => (out += d));
      child.stderr.on("data", (d) => (out += d));
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        fail(new Error(`still running after 30 s (a worker keeping node alive?):\n${out}`));
      }, 30_000);
      child.once("exit", (code) => {
        clearTimeout(timer);
        done({ code, out });
      });
    });
  }

  /** Reads a fixture with a pool it never closes, and prints what it read. */
  const script = (reader: string) => `
import { readFileSync } from "node:fs";
import { StatementPool } from ${JSON.stringify(reader)};
const pool = new StatementPool();
const s = await pool.read({ name: "card.ofx", bytes: readFileSync(${JSON.stringify(join(FIXTURES, "statement.ofx"))}) }, { options: {}, accountType: "checking" });
console.log(JSON.stringify({ format: s.format, rows: s.rows.length }));
`;
  const expected = () => {
    const s = parseStatementTask(readFileSync(join(FIXTURES, "statement.ofx")), "card.ofx", CHECKING);
    return JSON.stringify({ format: s.format, rows: s.rows.length });
  };

  it("loads its TypeScript under tsx, and a pool left open does not keep node alive", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "read.mts"), script(join(API_SRC, "imports/statement-reader.ts")));
    // As `npm start` runs (the tsx CLI), and as the server tests run it (node --import tsx), from
    // the package's folder, where `--import tsx` resolves.
    const cli = join(import.meta.dirname, "../../../node_modules/tsx/dist/cli.mjs");
    const file = join(dir, "read.mts");
    for (const args of [
      [cli, file],
      ["--import", "tsx", file],
    ]) {
      const { code, out } = await run(args, resolve(API_SRC, ".."));
      expect(code, out).toBe(0);
      expect(out.trim()).toBe(expected());
    }
  });

  it("bundles with esbuild into two files that run in plain node, as a Lambda would", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "read.mts"), script(join(API_SRC, "imports/statement-reader.ts")));
    await build({
      entryPoints: {
        index: join(dir, "read.mts"),
        "statement-worker": join(API_SRC, "imports/statement-worker.ts"),
      },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      outdir: join(dir, "out"),
      outExtension: { ".js": ".mjs" },
      logLevel: "silent",
    });
    const { code, out } = await run([join(dir, "out/index.mjs")], dir);
    expect(code, out).toBe(0);
    expect(out.trim()).toBe(expected());
  });

  it("works in the server as npm start runs it, which still stops at once on SIGTERM", async () => {
    const dataDir = tempDir();
    // The run's DynamoDB Local: the tables are there, and no Java of its own to wait for.
    const server = await startServer(dataDir, {
      TYCHE_DB: "memory",
      DYNAMODB_ENDPOINT: inject("dynamoEndpoint"),
      TYCHE_IMPORT_WORKERS: "1",
    });
    try {
      await untilHealthy(server);
      const signed = await json(`${server.url}/v1/auth/signup`, {
        method: "POST",
        body: JSON.stringify({
          email: uniqueEmail("worker"),
          password: "correct horse battery staple",
          name: "W",
        }),
      });
      expect(signed.status).toBe(201);
      const account: Pick<Account, "token"> = { token: signed.body.token };
      const res = await fetch(`${server.url}/v1/imports`, {
        method: "POST",
        headers: { authorization: `Bearer ${account.token}` },
        body: form(SMALL, "chase.csv"),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      const deep = await fetch(`${server.url}/v1/imports?dryRun=true`, {
        method: "POST",
        headers: { authorization: `Bearer ${account.token}` },
        body: form(DEEP_OFX, "deep.ofx"),
      });
      expect(deep.status).toBe(422);
    } finally {
      server.child.kill("SIGTERM");
    }
    expect(await server.exit, server.output()).toBe(0);
  });
});
