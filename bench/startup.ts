/**
 * Start-up benchmark: wall time from spawning the server exactly as `npm start` runs it
 * (`tsx src/local/server.ts` in services/api) to the first 200 from GET /v1/health, for
 *   (a) TYCHE_DB=file with a fresh data dir (DynamoDB Local starts, every table is created),
 *   (b) TYCHE_DB=file again on that same data dir (the tables already exist),
 *   (c) TYCHE_DB=memory.
 * After every stop (SIGTERM) it checks that no DynamoDB Local Java process is left behind.
 *
 * Env: BENCH_RUNS (default 5), BENCH_WARMUP (default 1: one unmeasured start first),
 * BENCH_TIMEOUT_MS (default 120000, per start).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../services/api/src/local/dynamodb-local";
import { positiveInt } from "./settings";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const API_DIR = join(ROOT, "services", "api");
const TSX = join(ROOT, "node_modules", ".bin", process.platform === "win32" ? "tsx.cmd" : "tsx");
const ENTRY = "src/local/server.ts"; // relative to services/api, as in its "start" script

const RUNS = positiveInt("BENCH_RUNS", 5);
const WARMUP = positiveInt("BENCH_WARMUP", 1, true);
const TIMEOUT_MS = positiveInt("BENCH_TIMEOUT_MS", 120_000);
const POLL_MS = 10;

// ---------------------------------------------------------------------------------------------
// processes

interface Proc {
  pid: number;
  ppid: number;
  zombie: boolean;
  cmd: string;
}

/** Every process on the machine: from /proc on Linux, from `ps` elsewhere. */
function processes(): Proc[] {
  if (existsSync("/proc/self/cmdline")) {
    const out: Proc[] = [];
    for (const entry of readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
        // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so split after it.
        const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ").trim();
        out.push({ pid: Number(entry), ppid: Number(rest[1]), zombie: rest[0] === "Z", cmd });
      } catch {
        // the process ended while we looked
      }
    }
    return out;
  }
  const ps = spawnSync("ps", ["-Ao", "pid=,ppid=,stat=,args="], { encoding: "utf8" });
  return ps.stdout
    .split("\n")
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({
      pid: Number(m[1]),
      ppid: Number(m[2]),
      zombie: (m[3] ?? "").startsWith("Z"),
      cmd: m[4] ?? "",
    }));
}

const isDynamoDbLocal = (p: Proc) => !p.zombie && p.cmd.includes("DynamoDBLocal");

/** DynamoDB Local processes below `root` in the process tree. */
function dynamoDescendants(root: number): Proc[] {
  const all = processes();
  const below = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all)
      if (below.has(p.ppid) && !below.has(p.pid)) {
        below.add(p.pid);
        grew = true;
      }
  }
  return all.filter((p) => p.pid !== root && below.has(p.pid) && isDynamoDbLocal(p));
}

/**
 * DynamoDB Local processes still alive after a stop: those this server started (by pid), plus any
 * whose command line names this run's data dir (file mode) or its port (memory mode), i.e. the
 * equivalent of `pgrep -f 'DynamoDBLocal.*<data dir>'` restricted to this run.
 */
function leftovers(seen: Proc[], marker: string | undefined): Proc[] {
  const pids = new Set(seen.map((p) => p.pid));
  return processes().filter(
    (p) => isDynamoDbLocal(p) && (pids.has(p.pid) || (marker !== undefined && p.cmd.includes(marker))),
  );
}

// ---------------------------------------------------------------------------------------------
// one start

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function healthStatus(url: string): Promise<number | undefined> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return res.status;
  } catch {
    return undefined;
  }
}

interface Sample {
  /** Spawn to first 200, measured here. */
  readyMs: number;
  /** What the server itself printed ("... in N ms"): from its main() to ready, without tsx/imports. */
  serverMs?: number;
  tablesCreated?: number;
  /** SIGTERM to process exit. */
  stopMs: number;
  /** DynamoDB Local processes seen while it ran. */
  javaSeen: number;
  leaked: Proc[];
}

async function startAndStop(db: "file" | "memory", dataDir: string): Promise<Sample> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    TYCHE_DB: db,
    TYCHE_DATA_DIR: dataDir,
  };
  delete env.DYNAMODB_ENDPOINT;
  const health = `http://127.0.0.1:${port}/v1/health`;

  let output = "";
  const t0 = performance.now();
  const child: ChildProcess = spawn(TSX, [ENTRY], { cwd: API_DIR, env, stdio: ["ignore", "pipe", "pipe"] });
  const collect = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  let exit: string | undefined;
  const exited = new Promise<void>((r) =>
    child.once("exit", (code, signal) => {
      exit = signal ?? `code ${code}`;
      r();
    }),
  );
  child.once("error", (err) => {
    exit = `spawn error: ${err.message}`;
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);

  let readyMs: number | undefined;
  while (readyMs === undefined) {
    if (exit) throw new Error(`The server ended (${exit}) before it was ready. Its output:\n${output}`);
    if ((await healthStatus(health)) === 200) readyMs = performance.now() - t0;
    else if (performance.now() - t0 > TIMEOUT_MS) {
      child.kill("SIGKILL");
      throw new Error(`No 200 from ${health} within ${TIMEOUT_MS} ms. The server's output:\n${output}`);
    } else await sleep(POLL_MS);
  }

  const seen = child.pid ? dynamoDescendants(child.pid) : [];
  // The ready line is printed in the same tick health turns 200; give the pipe a moment.
  for (let i = 0; i < 50 && !/Tyche is ready/.test(output); i++) await sleep(10);
  const ready = /(\d+) tables created\) in (\d+) ms/.exec(output);

  const s0 = performance.now();
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(timer);
  const stopMs = performance.now() - s0;
  process.removeListener("exit", killOnExit);
  if (exit === "SIGKILL") console.error(`  (did not stop within 15 s of SIGTERM; killed)`);

  const portOf = seen.map((p) => /-port (\d+)/.exec(p.cmd)?.[1]).find(Boolean);
  const marker = db === "file" ? dataDir : portOf ? `-port ${portOf}` : undefined;
  // DynamoDB Local is stopped before the server exits; allow a moment in case a stop raced.
  let leaked = leftovers(seen, marker);
  for (let i = 0; i < 10 && leaked.length > 0; i++) {
    await sleep(100);
    leaked = leftovers(seen, marker);
  }
  return {
    readyMs,
    ...(ready ? { tablesCreated: Number(ready[1]), serverMs: Number(ready[2]) } : {}),
    stopMs,
    javaSeen: seen.length,
    leaked,
  };
}

// ---------------------------------------------------------------------------------------------
// the bench

const SCENARIOS = {
  a: "(a) file, fresh data dir",
  b: "(b) file, same dir again",
  c: "(c) memory",
} as const;
type Scenario = keyof typeof SCENARIOS;

function stats(values: number[]) {
  const sorted = [...values].sort((x, y) => x - y);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { min: sorted[0] ?? 0, median, max: sorted[sorted.length - 1] ?? 0 };
}

const ms = (n: number | undefined) => (n === undefined ? "-" : String(Math.round(n)));

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  "),
    )
    .join("\n");
}

async function main() {
  if (!existsSync(TSX)) throw new Error(`${TSX} is missing: run npm ci at the repository root first.`);
  const base = await mkdtemp(join(tmpdir(), "tyche-bench-"));
  const results: Record<Scenario, Sample[]> = { a: [], b: [], c: [] };
  console.log(
    `Tyche start-up: spawn of \`tsx ${ENTRY}\` (cwd services/api, as npm start) -> first 200 from GET /v1/health`,
  );
  console.log(
    `Node ${process.version}, ${RUNS} run(s) per scenario, ${WARMUP} warm-up start(s) not counted.\n`,
  );
  try {
    for (let i = 0; i < WARMUP; i++) {
      const w = await startAndStop("memory", join(base, `warmup-${i}`));
      console.log(`warm-up ${i + 1}: ${ms(w.readyMs)} ms (not counted)`);
    }
    // Interleave the scenarios so drift in machine load spreads evenly over them.
    for (let run = 1; run <= RUNS; run++) {
      const dir = join(base, `file-${run}`);
      const a = await startAndStop("file", dir);
      const b = await startAndStop("file", dir);
      const c = await startAndStop("memory", join(base, `memory-${run}`));
      results.a.push(a);
      results.b.push(b);
      results.c.push(c);
      console.log(
        `run ${run}/${RUNS}: (a) ${ms(a.readyMs)} ms  (b) ${ms(b.readyMs)} ms  (c) ${ms(c.readyMs)} ms`,
      );
      for (const [key, s] of [
        ["a", a],
        ["b", b],
        ["c", c],
      ] as const) {
        for (const p of s.leaked)
          console.error(`  LEFT BEHIND after ${SCENARIOS[key]}: pid ${p.pid}: ${p.cmd.slice(0, 200)}`);
      }
    }
  } finally {
    await rm(base, { recursive: true, force: true });
  }

  const rows = [
    [
      "scenario",
      "min ms",
      "median ms",
      "max ms",
      "server-reported median ms",
      "tables created",
      "stop median ms",
      "DynamoDBLocal left after stop",
    ],
  ];
  let leakedTotal = 0;
  let unseen = 0;
  for (const key of Object.keys(SCENARIOS) as Scenario[]) {
    const samples = results[key];
    const ready = stats(samples.map((s) => s.readyMs));
    const server = samples.every((s) => s.serverMs !== undefined)
      ? stats(samples.map((s) => s.serverMs ?? 0)).median
      : undefined;
    const created = [...new Set(samples.map((s) => (s.tablesCreated === undefined ? "?" : s.tablesCreated)))];
    const leaked = samples.reduce((n, s) => n + s.leaked.length, 0);
    leakedTotal += leaked;
    unseen += samples.filter((s) => s.javaSeen === 0).length;
    rows.push([
      SCENARIOS[key],
      ms(ready.min),
      ms(ready.median),
      ms(ready.max),
      ms(server),
      created.join("/"),
      ms(stats(samples.map((s) => s.stopMs)).median),
      leaked === 0 ? `none (${samples.length}/${samples.length} checked)` : `${leaked} LEFT`,
    ]);
  }
  console.log(`\n${table(rows)}\n`);
  if (unseen > 0)
    console.log(`note: in ${unseen} start(s) no DynamoDBLocal process was found below the server to check.`);
  console.log(
    leakedTotal === 0
      ? "No DynamoDB Local Java process outlived its server."
      : `${leakedTotal} DynamoDB Local Java process(es) outlived their server (listed above).`,
  );
  if (leakedTotal > 0 || unseen > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
