/**
 * Another user's reads under a login flood: the server runs as `npm start` runs it (DynamoDB Local
 * in memory), one user reads GET /v1/transactions one request at a time, quiet first, then while 32
 * logins are always in flight: an attacker honouring Retry-After, then one retrying at once. The
 * flood comes from a new address each time (X-Forwarded-For, with TYCHE_TRUST_PROXY=1), the worst
 * case for hashing: no per-client or per-account limit stops it, only the hashing bound.
 * A control phase sends the same number of requests in flight that are refused before any work
 * (401 without a token): what answering a flood at all costs, hashing apart. The flood comes from
 * a process of its own.
 * Prints p50/p95/p99 per phase and the ratio to quiet. BENCH_PHASE_MS (default 8000) per phase.
 */
import { fork } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { startBenchServer } from "./server";
import { positiveInt } from "./settings";

const PHASE_MS = positiveInt("BENCH_PHASE_MS", 8_000);
const FLOOD = positiveInt("BENCH_FLOOD", 32);
const TIMEOUT_MS = positiveInt("BENCH_TIMEOUT_MS", 120_000);

const post = (url: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

async function victim(url: string): Promise<string> {
  const res = await post(url, "/v1/auth/signup", {
    email: `victim.${randomBytes(4).toString("hex")}@example.com`,
    password: "correct horse battery staple",
    name: "Victim",
  });
  if (res.status !== 201) throw new Error(`signup: ${res.status} ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  for (let i = 0; i < 20; i++) {
    const made = await fetch(`${url}/v1/transactions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({
        date: `2025-03-${String(1 + i).padStart(2, "0")}`,
        amount: 100 + i,
        merchant: `Shop ${i}`,
      }),
    });
    if (made.status !== 201) throw new Error(`transaction: ${made.status} ${await made.text()}`);
  }
  return token;
}

async function readFor(url: string, token: string, ms: number): Promise<number[]> {
  const out: number[] = [];
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const t = performance.now();
    const res = await fetch(`${url}/v1/transactions?limit=50`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`read: ${res.status}`);
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * `login`: wrong passwords from ever-new addresses. `unauthenticated`: the same number of requests in
 * flight that the API refuses before any work (401, no token), the cost of answering at all, which
 * is what a flood retrying at once mostly measures on a machine that also runs the flood. The flood
 * runs in its own process (login-flood-attacker.ts), as an attacker's client would.
 */
function flood(url: string, honour: boolean, kind: "login" | "unauthenticated" = "login") {
  const child = fork(
    fileURLToPath(new URL("./login-flood-attacker.ts", import.meta.url)),
    [url, honour ? "honour" : "resend", kind, String(FLOOD)],
    { execArgv: ["--import", "tsx"] },
  );
  return {
    stop: () =>
      new Promise<Record<number, number>>((resolve, reject) => {
        child.once("message", (counts) => resolve(counts as Record<number, number>));
        child.once("exit", (code) => reject(new Error(`the attacker exited with ${code} before its counts`)));
        child.send("stop");
      }),
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
const summary = (xs: number[]) => ({ n: xs.length, p50: pct(xs, 50), p95: pct(xs, 95), p99: pct(xs, 99) });

const dataDir = await mkdtemp(join(tmpdir(), "tyche-login-flood-"));
const server = await startBenchServer(
  { TYCHE_DB: "memory", TYCHE_DATA_DIR: dataDir, TYCHE_TRUST_PROXY: "1", TYCHE_RECURRING_INTERVAL_MS: "0" },
  { timeoutMs: TIMEOUT_MS },
);
try {
  const token = await victim(server.url);
  await readFor(server.url, token, 1_000); // warm up
  const quiet = summary(await readFor(server.url, token, PHASE_MS));
  const rows: Record<string, ReturnType<typeof summary> & { logins?: string }> = { quiet };
  for (const [name, honour, kind] of [
    ["flood, honouring Retry-After", true, "login"],
    ["flood, retrying at once", false, "login"],
    ["control: 401s at once", false, "unauthenticated"],
  ] as const) {
    const f = flood(server.url, honour, kind);
    await sleep(500);
    const s = summary(await readFor(server.url, token, PHASE_MS));
    rows[name] = { ...s, logins: JSON.stringify(await f.stop()) };
    await sleep(1_000);
  }
  console.log(`GET /v1/transactions of another user, ${FLOOD} logins in flight, ${PHASE_MS} ms per phase`);
  for (const [name, r] of Object.entries(rows)) {
    const ratio = (k: "p50" | "p95" | "p99") => (r[k] / quiet[k]).toFixed(2);
    console.log(
      `${name.padEnd(30)} n=${String(r.n).padStart(5)} p50=${r.p50.toFixed(1)} ms p95=${r.p95.toFixed(1)} ms p99=${r.p99.toFixed(1)} ms` +
        (name === "quiet"
          ? ""
          : `  ratio p50 ${ratio("p50")} p95 ${ratio("p95")} p99 ${ratio("p99")}  logins ${r.logins}`),
    );
  }
} finally {
  server.child.kill("SIGTERM");
  await rm(dataDir, { recursive: true, force: true });
}
