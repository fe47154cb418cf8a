/**
 * Debt payoff engine benchmark (packages/core/src/payoff): planPayoff and comparePayoff on 20
 * cards over a 40-year horizon (480 months). Every card's minimum is barely above its first
 * month's interest and the monthly amount barely above the minimums, so the plans run long (the
 * slowest takes most of the horizon) and the schedule is as large as a real plan gets. One card
 * has a promotion ending after two years and there are a few snowflakes, so no month is skipped.
 * After BENCH_PAYOFF_WARMUP (20) unmeasured plans, BENCH_PAYOFF_RUNS (200) of each: median, p99
 * and max ms per planPayoff (avalanche; and the minimum-only baseline, which runs the whole
 * horizon), per comparePayoff (4 strategies and the baseline), per planWhatIf (two plans: an
 * extra $100 a month) and per requiredMonthly (the debt-free goal's answer: a binary search of
 * about 40 plans, each cut at a target ten years out).
 * Aim: under 5 ms per plan.
 *
 * Run: npm run bench:payoff -w @tyche/bench (or npx tsx bench/payoff.ts).
 */
import {
  addMonths,
  comparePayoff,
  type PayoffCard,
  type PayoffInput,
  planPayoff,
  planWhatIf,
  requiredMonthly,
} from "@tyche/core";
import { positiveInt } from "./settings";

const RUNS = positiveInt("BENCH_PAYOFF_RUNS", 200);
const WARMUP = positiveInt("BENCH_PAYOFF_WARMUP", 20, true);
const CARDS = 20;
const HORIZON = 480;

/** A small seeded generator (mulberry32), so every run plans the same cards. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function input(): PayoffInput {
  const next = random(2025);
  const cards: PayoffCard[] = [];
  for (let i = 0; i < CARDS; i++) {
    const balance = 50_000 + Math.floor(next() * 1_500_000);
    const aprBasisPoints = 1200 + Math.floor(next() * 2000);
    const interest = Math.round((balance * aprBasisPoints) / 120_000);
    const percent = i === 10;
    cards.push({
      cardId: `card-${String(i).padStart(2, "0")}`,
      name: `Card ${i}`,
      balance,
      aprBasisPoints,
      minimum: percent
        ? { kind: "percent", percentBasisPoints: 100, plusInterest: true, floor: 2500 }
        : { kind: "fixed", amount: interest + 1 + Math.floor(next() * 5) },
      ...(i === 1 ? { promo: { aprBasisPoints: 0, until: "2027-12" } } : {}),
    });
  }
  const base: PayoffInput = {
    cards,
    startMonth: "2026-01",
    monthlyAmount: 0,
    strategy: "minimum-only",
    horizonMonths: HORIZON,
  };
  const firstMinimums = planPayoff({ ...base, horizonMonths: 1 }).schedule[0]?.cards.reduce(
    (sum, c) => sum + c.payment,
    0,
  );
  return {
    ...base,
    strategy: "avalanche",
    monthlyAmount: (firstMinimums ?? 0) + 20,
    customOrder: cards.map((c) => c.cardId).reverse(),
    snowflakes: [
      { month: "2026-12", amount: 50_000 },
      { month: "2030-06", amount: 20_000 },
    ],
  };
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return { median: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}

function time(fn: () => unknown): number[] {
  for (let i = 0; i < WARMUP; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

const plan = input();
const once = planPayoff(plan);
const compared = comparePayoff(plan);
console.log(
  `${CARDS} cards, horizon ${HORIZON} months, monthly ${plan.monthlyAmount} cents; avalanche: ${once.end} after ${once.schedule.length} months, interest ${once.totalInterest}`,
);
for (const s of [compared.baseline, ...compared.strategies.map((x) => x.plan)]) {
  console.log(
    `  ${s.strategy.padEnd(16)} ${s.end.padEnd(9)} ${String(s.schedule.length).padStart(3)} months, interest ${s.totalInterest}`,
  );
}
const fmt = (ms: number) => ms.toFixed(3);
for (const [label, samples] of [
  ["planPayoff (avalanche)", time(() => planPayoff(plan))],
  ["planPayoff (baseline)", time(() => planPayoff({ ...plan, strategy: "minimum-only" }))],
  ["comparePayoff (5 plans)", time(() => comparePayoff(plan))],
  ["planWhatIf (+$100/month)", time(() => planWhatIf(plan, { extraMonthly: 10_000 }))],
  [
    "requiredMonthly (10 y)",
    time(() =>
      requiredMonthly(
        { cards: plan.cards, startMonth: plan.startMonth, strategy: "avalanche" },
        addMonths(plan.startMonth, 119),
      ),
    ),
  ],
] as const) {
  const s = stats(samples);
  console.log(
    `${label.padEnd(24)} runs ${RUNS}: median ${fmt(s.median)} ms, p99 ${fmt(s.p99)} ms, max ${fmt(s.max)} ms`,
  );
}
