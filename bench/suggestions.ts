/**
 * Recurring-charge detector benchmark (packages/core/src/recurring/detect.ts, docs/SUGGESTIONS.md):
 * detectRecurring on generated 25-month histories of 5,000 and 50,000 transactions, what
 * GET /v1/recurring/suggestions runs on a user's history after reading it. Each history has 40
 * planted series (weekly to yearly, some income, some at shops the noise also buys from, missed
 * occurrences, price changes, ±1-3 days of jitter) among one-off purchases at size/10 shops and, per
 * 1,750 rows, a grocer twice a week at any amount and a coffee shop three times a week at one price.
 * After BENCH_SUGGESTIONS_WARMUP (2) unmeasured runs, BENCH_SUGGESTIONS_RUNS (10): median, min and
 * max wall ms, CPU ms per run (the machine is shared: wall time includes waiting for a core), µs
 * per row; and, as a check that the figure is of a detector that works, how many planted series it
 * found with their cadence and how many suggestions were not one of them.
 *
 * Run: npm run bench:suggestions -w @tyche/bench (or npx tsx bench/suggestions.ts).
 * Env: BENCH_SUGGESTIONS_SIZES (5000,50000), BENCH_SUGGESTIONS_RUNS, BENCH_SUGGESTIONS_WARMUP,
 * BENCH_SUGGESTIONS_SEED (2026).
 */
import { cpus, loadavg } from "node:os";
import { detectRecurring } from "@tyche/core";
import fc from "fast-check";
import { HISTORY_FROM, HistoryBuilder, seeded, TODAY } from "../packages/core/test/support/recurring-history";
import { draw, MIN_OCCURRENCES, planOf } from "../packages/core/test/support/recurring-plans";
import { positiveInt } from "./settings";

const RUNS = positiveInt("BENCH_SUGGESTIONS_RUNS", 10);
const WARMUP = positiveInt("BENCH_SUGGESTIONS_WARMUP", 2, true);
const SEED = positiveInt("BENCH_SUGGESTIONS_SEED", 2026, true);
const SIZES = (process.env.BENCH_SUGGESTIONS_SIZES ?? "5000,50000").split(",").map(Number);
const PLANTED = 40;

function history(size: number) {
  const b = new HistoryBuilder(seeded(SEED + size));
  const draws = fc.sample(draw, { numRuns: PLANTED, seed: SEED });
  const planted = draws.map((d, i) => b.plant(planOf(d, i)));
  const habits = Math.max(1, Math.round(size / 1750));
  for (let h = 0; h < habits; h++) {
    b.habit(`Grocer ${h}`, 2, 6000, 0.6, HISTORY_FROM, TODAY);
    b.habit(`Coffee ${h}`, 3, 475, 0, HISTORY_FROM, TODAY);
  }
  b.oneOffs(Math.max(0, size - b.transactions.length), HISTORY_FROM, TODAY, Math.round(size / 10));
  return { rows: b.transactions, planted };
}

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const median = (xs: number[]) => sorted(xs)[Math.floor(xs.length / 2)] ?? 0;

console.log(
  `detectRecurring, ${RUNS} runs after ${WARMUP} warm-up; ${cpus().length} cores, load ${loadavg()
    .map((x) => x.toFixed(1))
    .join(" ")}`,
);
for (const size of SIZES) {
  const { rows, planted } = history(size);
  let out = detectRecurring(rows, TODAY);
  for (let i = 0; i < WARMUP; i++) out = detectRecurring(rows, TODAY);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    out = detectRecurring(rows, TODAY);
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  const owner = new Map<string, number>();
  planted.forEach((s, k) => {
    for (const id of s.transactionIds) owner.set(id, k);
  });
  const expected = planted.filter((s) => s.transactionIds.length >= MIN_OCCURRENCES[s.plan.cadence]);
  const found = expected.filter((s) =>
    out.some(
      (g) =>
        g.merchantKey === s.merchantKey &&
        g.accountId === s.accountId &&
        g.cadence === s.plan.cadence &&
        g.evidence.filter((e) => s.transactionIds.includes(e.transactionId)).length * 2 >
          s.transactionIds.length,
    ),
  );
  const falseOnes = out.filter((g) => {
    const counts = new Map<number, number>();
    for (const e of g.evidence) {
      const k = owner.get(e.transactionId);
      if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return Math.max(0, ...counts.values()) * 2 < g.evidence.length;
  });
  const m = median(wall);
  console.log(
    `${String(rows.length).padStart(6)} rows: median ${m.toFixed(1)} ms (min ${Math.min(...wall).toFixed(1)}, max ${Math.max(...wall).toFixed(1)}), CPU median ${median(cpu).toFixed(1)} ms, ${((median(cpu) * 1000) / rows.length).toFixed(1)} µs CPU/row; ${out.length} suggestions (${out.filter((g) => g.active).length} active): planted found ${found.length}/${expected.length}, not planted ${falseOnes.length} (${falseOnes.filter((g) => g.active).length} active)`,
  );
}
