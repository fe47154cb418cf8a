/**
 * Latency while someone uploads hostile bank files: the server runs exactly as `npm start` runs it
 * (`tsx src/local/server.ts`, TYCHE_DB=memory, its own DynamoDB Local), and while one user uploads,
 * this process asks GET /v1/health and another user's GET /v1/categories over and over, one request
 * at a time each, and reports p50 / p99 / max of both for:
 *   1. at rest: nobody uploads;
 *   2. hostile files: a 600 KB OFX of tags nested 200,000 deep, a CSV with a 150,000-character
 *      `A-.-.-.B` cell, and 9 MB of more rows than an import may carry, one after the other;
 *   3. the largest file an import takes (50,000 rows, 8 MB), as a dry run.
 * Upload bodies are encoded once, before anything is measured, so this process's own work does not
 * delay its requests.
 *
 * Env: BENCH_ROUNDS (default 3: times each upload scenario repeats), BENCH_REST_MS (default 3000),
 * BENCH_API_DIR (default this repository's services/api; point it at another checkout's to compare),
 * BENCH_TIMEOUT_MS (default 120000, for the server to start).
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { startBenchServer } from "./server";
import { positiveInt } from "./settings";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const API_DIR = resolve(process.env.BENCH_API_DIR || join(ROOT, "services", "api"));
const ROUNDS = positiveInt("BENCH_ROUNDS", 3);
const REST_MS = positiveInt("BENCH_REST_MS", 3_000);
const TIMEOUT_MS = positiveInt("BENCH_TIMEOUT_MS", 120_000);

// ---------------------------------------------------------------------------------------------
// files

function bankCsv(rows: number, width: number): string {
  const lines = ["Date,Description,Amount"];
  for (let i = 0; i < rows; i++) {
    const date = `2024-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`;
    const text = `POS PURCHASE ${i} COFFEE ROASTERS #${i % 977} SEATTLE WA`.padEnd(width, " X");
    lines.push(`${date},${text},-${(i % 977) + 1}.${String(i % 100).padStart(2, "0")}`);
  }
  return lines.join("\n");
}

interface Upload {
  name: string;
  query: string;
  body: ArrayBuffer;
  type: string;
}

/** A multipart body, encoded now so that sending it later costs this process nothing. */
async function upload(name: string, text: string, query = ""): Promise<Upload> {
  const form = new FormData();
  form.set("file", new File([text], name));
  const encoded = new Response(form);
  return {
    name,
    query,
    type: encoded.headers.get("content-type") ?? "",
    body: await encoded.arrayBuffer(),
  };
}

// ---------------------------------------------------------------------------------------------
// the server

async function signup(url: string): Promise<string> {
  const res = await fetch(`${url}/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      email: `bench.${randomBytes(4).toString("hex")}@example.com`,
      password: "correct horse battery staple",
      name: "Bench",
    }),
  });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

// ---------------------------------------------------------------------------------------------
// measuring

/** Asks `path` again and again, one request at a time, until stopped; latencies in ms. */
function probe(url: string, path: string, token?: string) {
  const latencies: number[] = [];
  const failures: string[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const res = await fetch(
          `${url}${path}`,
          token ? { headers: { authorization: `Bearer ${token}` } } : {},
        );
        await res.arrayBuffer();
        if (res.status !== 200) failures.push(String(res.status));
      } catch (err) {
        // A server that held its thread past the keep-alive timeout may reset the idle socket.
        failures.push(String((err as { cause?: { code?: string } }).cause?.code ?? err));
      }
      latencies.push(performance.now() - started);
      await sleep(1);
    }
  })();
  return {
    async stop() {
      running = false;
      await done;
      return { latencies, failures };
    },
  };
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function summary(latencies: number[]): string {
  const s = [...latencies].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1).padStart(8);
  return `${String(s.length).padStart(6)} ${f(percentile(s, 50))} ${f(percentile(s, 99))} ${f(s[s.length - 1] ?? Number.NaN)}`;
}

async function scenario(
  label: string,
  url: string,
  other: string,
  work: () => Promise<{ name: string; status: number; ms: number }[]>,
): Promise<void> {
  const health = probe(url, "/v1/health");
  const categories = probe(url, "/v1/categories", other);
  const uploads = await work();
  const [h, c] = [await health.stop(), await categories.stop()];
  console.log(`\n${label}`);
  if (uploads.length) {
    const byName = new Map<string, { statuses: Set<number>; ms: number[] }>();
    for (const u of uploads) {
      const entry = byName.get(u.name) ?? { statuses: new Set(), ms: [] };
      entry.statuses.add(u.status);
      entry.ms.push(u.ms);
      byName.set(u.name, entry);
    }
    for (const [name, { statuses, ms }] of byName) {
      const median = [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)] ?? Number.NaN;
      console.log(
        `  upload ${name.padEnd(24)} ${ms.length}x, status ${[...statuses].join("/")}, median ${median.toFixed(0)} ms`,
      );
    }
  }
  console.log(`  ${"".padEnd(30)}      n   p50 ms   p99 ms   max ms`);
  console.log(`  ${"GET /v1/health".padEnd(30)}${summary(h.latencies)}`);
  console.log(`  ${"another user: GET /v1/categories".padEnd(30)}${summary(c.latencies)}`);
  const failed = [...h.failures, ...c.failures];
  if (failed.length) console.log(`  not answered 200: ${failed.join(", ")}`);
}

async function main(): Promise<void> {
  console.log("preparing files ...");
  const hostile = [
    await upload("deep.ofx", `OFXHEADER:100\nDATA:OFXSGML\n\n<OFX>${"<A>".repeat(200_000)}</OFX>`),
    await upload(
      "punctuation.csv",
      `Date,Description,Amount\n2024-03-11,${"A-.-.-.B".repeat(18_750)},-4.50\n`,
    ),
    await upload("many-rows-9mb.csv", bankCsv(125_000, 55)),
  ];
  const largest = await upload("largest-50k-rows.csv", bankCsv(50_000, 150), "?dryRun=true");

  const dataDir = await mkdtemp(join(tmpdir(), "tyche-bench-upload-"));
  console.log(`starting the server from ${API_DIR} ...`);
  const server = await startBenchServer(
    { TYCHE_DB: "memory", TYCHE_DATA_DIR: dataDir },
    { timeoutMs: TIMEOUT_MS, apiDir: API_DIR },
  );
  try {
    const [uploader, other] = [await signup(server.url), await signup(server.url)];
    const send = async (u: Upload) => {
      const started = performance.now();
      const res = await fetch(`${server.url}/v1/imports${u.query}`, {
        method: "POST",
        headers: { authorization: `Bearer ${uploader}`, "content-type": u.type },
        body: u.body,
      });
      await res.arrayBuffer();
      return { name: u.name, status: res.status, ms: performance.now() - started };
    };
    // Warm-up, unmeasured: the parsing workers start on first use.
    for (const u of hostile) await send(u);

    await scenario(`at rest (${REST_MS} ms, no uploads)`, server.url, other, async () => {
      await sleep(REST_MS);
      return [];
    });
    await scenario(`hostile files, ${ROUNDS} rounds`, server.url, other, async () => {
      const out = [];
      for (let i = 0; i < ROUNDS; i++) for (const u of hostile) out.push(await send(u));
      return out;
    });
    await scenario(`the largest file an import takes, dry run, ${ROUNDS}x`, server.url, other, async () => {
      const out = [];
      for (let i = 0; i < ROUNDS; i++) out.push(await send(largest));
      return out;
    });
  } finally {
    server.child.kill("SIGTERM");
    const code = await server.exit;
    await rm(dataDir, { recursive: true, force: true });
    if (code !== 0) console.error(`the server exited with ${code}:\n${server.output()}`);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
