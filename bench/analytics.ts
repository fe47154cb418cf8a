/**
 * Month analytics and dashboard benchmark, in one process on one DynamoDB Local (in memory):
 *   1. AnalyticsService.generate(owner, month) (createAnalytics) on a month of 500, 5,000 and
 *      50,000 transactions, all imported through POST /v1/imports (a checking account with salary
 *      and rent; a card with 23 shops, 1.5 % refunds, two card payments that become transfers and
 *      seven monthly bills), with a budget and three months before of 300 transactions each. The
 *      first generate checks totals.transactionCount against the size and is the first warm-up;
 *      then BENCH_ANALYTICS_RUNS runs: median, min and max ms, µs per transaction and its growth
 *      between sizes, and where each run's time went, from the DynamoDB calls it made (sources,
 *      the month's pages and the prior charges, the PutItem); computeMonthAnalytics alone on the
 *      same input; for months up to 5,000, the month by a bare Query with and without a Limit;
 *   2. GET /v1/dashboard?month=... at BENCH_DASHBOARD_USERS (20) concurrent users, one loop each,
 *      for BENCH_DASHBOARD_SECONDS (10) after BENCH_DASHBOARD_WARMUP_SECONDS (2); each user has a
 *      budget, three accounts and BENCH_DASHBOARD_ROWS (300) transactions in the month, analytics
 *      stored beforehand. Then as many loops of a bare GetItem of each user's budget item; then
 *      both again for one user alone. p50, p99, max and count, the ratio of the p99s (aim: at most
 *      3), the DynamoDB calls per dashboard, and every PutItem to the analytics table meanwhile (a
 *      recomputation; should be 0) and answers whose analytics are not the stored ones.
 * Run: npm run bench:analytics -w @tyche/bench (or npx tsx bench/analytics.ts).
 *
 * Env: BENCH_ANALYTICS_RUNS (5), BENCH_ANALYTICS_WARMUP (1), BENCH_ANALYTICS_SIZES (500,5000,50000),
 * BENCH_ANALYTICS_SEED (2025), BENCH_DASHBOARD_USERS (20), BENCH_DASHBOARD_ROWS (300),
 * BENCH_DASHBOARD_SECONDS (10), BENCH_DASHBOARD_WARMUP_SECONDS (2).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { type DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { type AnalyticsInput, type CategoryInfo, computeMonthAnalytics } from "@tyche/core";
import type { MonthAnalytics } from "@tyche/types";
import { HISTORY_MONTHS, sourceMonths, totalsOf } from "../services/api/src/analytics/sources";
import { createApp } from "../services/api/src/app";
import { LocalTokens } from "../services/api/src/auth/local-tokens";
import { mapLimit } from "../services/api/src/db/batch";
import { createDocumentClient, createDynamoClient } from "../services/api/src/db/client";
import { ensureTables } from "../services/api/src/db/create-tables";
import { keys, type Owner, ownerKey, prefixes } from "../services/api/src/db/keys";
import { MonthLedgerReader } from "../services/api/src/db/month-ledger";
import { queryRange } from "../services/api/src/db/query";
import type { Store } from "../services/api/src/db/store";
import { tableNames } from "../services/api/src/db/tables";
import {
  type DynamoDbLocal,
  startDynamoDbLocal,
  waitForDynamo,
} from "../services/api/src/local/dynamodb-local";
import { createAnalytics } from "../services/api/src/services";
import { LocalFileStorage } from "../services/api/src/storage/files";
import { AppClient } from "./app-client";
import { positiveInt } from "./settings";

const RUNS = positiveInt("BENCH_ANALYTICS_RUNS", 5);
const WARMUP = positiveInt("BENCH_ANALYTICS_WARMUP", 1, true);
const SEED = positiveInt("BENCH_ANALYTICS_SEED", 2025, true);
const DASH_USERS = positiveInt("BENCH_DASHBOARD_USERS", 20);
const DASH_ROWS = positiveInt("BENCH_DASHBOARD_ROWS", 300);
const DASH_SECONDS = positiveInt("BENCH_DASHBOARD_SECONDS", 10);
const DASH_WARMUP_SECONDS = positiveInt("BENCH_DASHBOARD_WARMUP_SECONDS", 2, true);

/** The month analysed, and the three before it whose totals and charges it compares with. */
const MONTH = "2025-09";
const BEFORE = ["2025-06", "2025-07", "2025-08"] as const;
/** Transactions in each month before, for the generation sizes and for the dashboard users. */
const HISTORY_ROWS = 300;
const DASH_HISTORY_ROWS = 100;
/** Users set up at once (imports, rules, budgets). */
const SETUP_IN_FLIGHT = 4;
/** Card payments a month: each becomes a transfer whose other leg lands in checking. */
const PAYMENTS = 2;
/** Checking rows a month: salary on the 1st and 15th, rent on the 1st. */
const CHECKING_ROWS = 3;
/** The import takes at most this many rows a file (MAX_IMPORT_ROWS in @tyche/core). */
const MAX_FILE_ROWS = 50_000;
/** Rows computeMonthAnalytics is timed over per sample, so small months are not timed at the clock's grain. */
const COMPUTE_ROWS_PER_SAMPLE = 50_000;
/** The Limit of the ledger's pages (PAGE_ITEMS in services/api/src/db/month-ledger.ts). */
const LEDGER_PAGE_ITEMS = 1_000;
/** Months the bare Query is also timed without a Limit: above, it takes minutes on DynamoDB Local. */
const UNLIMITED_UP_TO = 5_000;
/** The p99 the dashboard should stay within, as a multiple of a bare GetItem's. */
const DASHBOARD_AIM = 3;

const SIZES = sizes("BENCH_ANALYTICS_SIZES", [500, 5_000, 50_000]);

function sizes(name: string, fallback: number[]): number[] {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const list = raw.split(",").map((s) => Number(s.trim()));
  const min = CHECKING_ROWS + 2 * PAYMENTS + 7 + 1;
  if (!list.every((n) => Number.isInteger(n) && n >= min && n - CHECKING_ROWS - PAYMENTS <= MAX_FILE_ROWS)) {
    console.error(
      `${name} must be whole numbers from ${min} to ${MAX_FILE_ROWS}, comma-separated, not "${raw}"`,
    );
    process.exit(2);
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// a repeatable household: a checking account (salary, rent) and a card (everything else)

/** mulberry32: small, fast and good enough to make the same files every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Card merchants as the statement spells them ('#' becomes one of the merchant's store numbers),
 * the rule fragment that files them under a category (null: left uncategorised), the category's
 * slug, a range in dollars, and how often they come up.
 */
const MERCHANTS: readonly [
  raw: string,
  rule: string | null,
  category: string | null,
  min: number,
  max: number,
  weight: number,
][] = [
  ["WHOLEFDS MKT #", "wholefds", "groceries", 18, 180, 6],
  ["TRADER JOE S #", "trader joe", "groceries", 12, 110, 6],
  ["SAFEWAY #", "safeway", "groceries", 8, 160, 5],
  ["COSTCO WHSE #", "costco", "groceries", 45, 420, 2],
  ["SPROUTS FARMERS MAR #", null, null, 9, 85, 2],
  ["SQ *BLUE BOTTLE COFFEE", "blue bottle", "dining", 4, 14, 8],
  ["STARBUCKS STORE # SEATTLE WA", "starbucks", "dining", 3, 16, 9],
  ["TST* JOES PIZZA #", "joes pizza", "dining", 14, 62, 4],
  ["CHIPOTLE #", "chipotle", "dining", 9, 32, 5],
  ["DOORDASH*THAI BASIL", "doordash", "dining", 18, 64, 3],
  ["TST* SWEETGREEN #", null, null, 11, 24, 4],
  ["UBER *TRIP HELP.UBER.COM", "uber *trip", "transport", 7, 64, 5],
  ["LYFT *RIDE THU 8PM", "lyft", "transport", 8, 55, 3],
  ["SHELL OIL #", "shell oil", "transport", 25, 75, 4],
  ["CHEVRON #", "chevron", "transport", 28, 80, 3],
  ["AMZN Mktp US*2K4LL1", "amzn mktp", "shopping", 6, 240, 7],
  ["TARGET #", "target", "shopping", 9, 210, 4],
  ["THE HOME DEPOT #", "home depot", "shopping", 8, 420, 1.5],
  ["BEST BUY #", null, null, 20, 900, 0.6],
  ["CVS/PHARMACY #", "cvs", "health", 5, 60, 2.5],
  ["WALGREENS #", "walgreens", "health", 5, 55, 2],
  ["AMC THEATRES #", "amc theatres", "entertainment", 12, 48, 0.8],
  ["STEAMGAMES.COM 4259522", "steamgames", "entertainment", 5, 70, 0.5],
];

/** Charged once a month, at the same amount or close to it: what recurring charges should find. */
const BILLS: readonly [raw: string, rule: string, category: string, cents: number, jitter: number][] = [
  ["COMCAST CABLE COMM", "comcast", "utilities", 8_999, 0],
  ["PG&E WEBRECURRING", "pg&e", "utilities", 11_500, 0.05],
  ["VERIZON WRLS P1234-01", "verizon", "utilities", 8_500, 0],
  ["PAYPAL *NETFLIX", "netflix", "subscriptions", 1_549, 0],
  ["SPOTIFY USA", "spotify", "subscriptions", 1_199, 0],
  ["PLANET FITNESS CLUB", "planet fitness", "subscriptions", 2_499, 0],
  ["NYTIMES DIGITAL", "nytimes", "subscriptions", 400, 0],
];
const CARD_PAYMENT = "AUTOPAY PAYMENT - THANK YOU";
const SALARY = "ACME CORP PAYROLL DIR DEP";
const RENT = ["OAKWOOD APTS RENT", "oakwood", "housing", 240_000] as const;

/** Each category's limit as a share of what the month spends in it: some over, some near, most under. */
const LIMIT_SHARE: Readonly<Record<string, number>> = {
  housing: 1,
  groceries: 1.1,
  transport: 1.25,
  utilities: 1.05,
  health: 1.6,
  dining: 0.85,
  subscriptions: 1,
  shopping: 0.95,
  entertainment: 1.3,
};

interface Row {
  date: string; // YYYY-MM-DD
  text: string;
  cents: number; // signed: negative is money out (a charge, on the card)
  /** The category a rule gives it, for the budget's limits. */
  category: string | null;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const daysIn = (month: string) =>
  new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5)), 0)).getUTCDate();

function money(cents: number): string {
  const abs = Math.abs(cents);
  const dollars = Math.floor(abs / 100);
  const text = `${cents < 0 ? "-" : ""}${dollars.toLocaleString("en-US")}.${pad(abs % 100)}`;
  return dollars >= 1000 ? `"${text}"` : text;
}

/** A US bank CSV of the rows, newest first as banks export. */
function csvOf(rows: readonly Row[]): string {
  const sorted = [...rows].sort((a, b) => b.date.localeCompare(a.date));
  const lines = ["Transaction Date,Description,Amount"];
  for (const r of sorted)
    lines.push(`${r.date.slice(5, 7)}/${r.date.slice(8)}/${r.date.slice(0, 4)},${r.text},${money(r.cents)}`);
  return `${lines.join("\n")}\n`;
}

/**
 * The card rows of a month holding `total` transactions in all: the checking rows and the other
 * legs of the card payments are the rest. Seven bills once each, two payments, about 1.5 % refunds,
 * the rest charges of the merchants above.
 */
function cardMonth(month: string, total: number, rnd: () => number, lastDay = daysIn(month)): Row[] {
  const pick = (n: number) => Math.floor(rnd() * n);
  const days = lastDay;
  const out: Row[] = [];
  BILLS.forEach(([raw, , category, cents, jitter], i) => {
    const amount = Math.round(cents * (1 + jitter * (2 * rnd() - 1)));
    out.push({ date: `${month}-${pad(3 + 3 * i)}`, text: raw, cents: -amount, category });
  });
  for (let p = 0; p < PAYMENTS; p++)
    out.push({ date: `${month}-${pad(5 + 15 * p)}`, text: CARD_PAYMENT, cents: 150_000, category: null });
  const cardRows = total - CHECKING_ROWS - PAYMENTS; // each payment is two transactions
  const totalWeight = MERCHANTS.reduce((s, m) => s + m[5], 0);
  while (out.length < cardRows) {
    let w = rnd() * totalWeight;
    let i = 0;
    while (i < MERCHANTS.length - 1 && w >= (MERCHANTS[i]?.[5] ?? 0)) w -= MERCHANTS[i++]?.[5] ?? 0;
    const [raw, , category, min, max] = MERCHANTS[i] as (typeof MERCHANTS)[number];
    // Skewed toward the low end of the range, like real baskets.
    const cents = Math.round((min + (max - min) * rnd() ** 2) * 100);
    const refund = rnd() < 0.015;
    out.push({
      date: `${month}-${pad(1 + pick(days))}`,
      text: raw.replace("#", `#${1000 + ((i * 7919) % 9000)}`),
      cents: refund ? cents : -cents,
      category,
    });
  }
  return out;
}

/** What the card rows spend per category, net of refunds (payments left out). */
function spendingOf(rows: readonly Row[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    if (!r.category) continue;
    out.set(r.category, (out.get(r.category) ?? 0) - r.cents);
  }
  return out;
}

/** Salary twice a month (a little more than the month spends) and the rent. */
function checkingMonth(month: string, card: readonly Row[]): Row[] {
  const spent = [...spendingOf(card).values()].reduce((s, v) => s + v, 0) + RENT[3];
  const salary = Math.ceil((spent * 0.55) / 10_000) * 10_000;
  return [
    { date: `${month}-01`, text: SALARY, cents: salary, category: null },
    { date: `${month}-15`, text: SALARY, cents: salary, category: null },
    { date: `${month}-01`, text: RENT[0], cents: -RENT[3], category: RENT[2] },
  ];
}

interface Household {
  /** The card's rows of the months before, and of the month. */
  cardBefore: Row[];
  cardMonth: Row[];
  checking: Row[];
  /** Transactions dated in the month: card rows, checking rows and the payments' other legs. */
  monthCount: number;
  income: number;
  spending: Map<string, number>;
}

function household(monthRows: number, historyRows: number, seed: number): Household {
  const rnd = prng(seed);
  // Charges before end on the 24th: a month imported apart from them (more rows than a file takes)
  // is then never taken for the same charges again by reconciliation (same amount and merchant
  // within 5 days: MATCH_WINDOW_DAYS).
  const cardBefore = BEFORE.flatMap((m) => cardMonth(m, historyRows, rnd, 24));
  const month = cardMonth(MONTH, monthRows, rnd);
  const checking = [
    ...BEFORE.flatMap((m) =>
      checkingMonth(
        m,
        cardBefore.filter((r) => r.date.startsWith(m)),
      ),
    ),
    ...checkingMonth(MONTH, month),
  ];
  const inMonth = checking.filter((r) => r.date.startsWith(MONTH));
  const spending = spendingOf([...month, ...inMonth]);
  return {
    cardBefore,
    cardMonth: month,
    checking,
    monthCount: month.length + inMonth.length + PAYMENTS,
    income: inMonth.filter((r) => r.cents > 0).reduce((s, r) => s + r.cents, 0),
    spending,
  };
}

// ---------------------------------------------------------------------------------------------
// CPU seconds: this process, and DynamoDB Local's Java process (Linux /proc only)

const CLOCK_TICKS = (() => {
  const r = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** The DynamoDB Local process listening on `port`, found by its command line. */
function javaPid(port: string): number | undefined {
  if (!existsSync("/proc/self/stat")) return undefined;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8").split("\0").join(" ");
      if (cmd.includes("DynamoDBLocal") && new RegExp(`-port ${port}\\b`).test(cmd)) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

function processCpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS; // utime + stime
  } catch {
    return undefined;
  }
}

/** CPU seconds of Java (undefined without /proc) and of Node while `fn` ran. */
async function cpuOf<T>(java: number | undefined, fn: () => Promise<T>) {
  const j0 = processCpuSeconds(java);
  const n0 = process.cpuUsage();
  const result = await fn();
  const n = process.cpuUsage(n0);
  const j1 = processCpuSeconds(java);
  return {
    result,
    javaCpu: j0 === undefined || j1 === undefined ? undefined : j1 - j0,
    nodeCpu: (n.user + n.system) / 1e6,
  };
}

// ---------------------------------------------------------------------------------------------
// the app, in-process

interface User {
  token: string;
  owner: Owner;
  household: Household;
}

/** One DynamoDB call the app made, while recording. */
interface Sent {
  command: string;
  table: string;
  /** With a FilterExpression: the prior charges' Query, beside the month's own. */
  filtered: boolean;
  start: number;
  end: number;
}

class Bench extends AppClient {
  /** While set, every DynamoDB call the app makes lands here. */
  recording: Sent[] | undefined;
  private users = 0;

  /** POST /v1/imports in sync mode into one account; fails unless every row was imported. */
  async importRows(token: string, accountId: string, rows: readonly Row[]): Promise<number> {
    const form = new FormData();
    form.set("file", new File([csvOf(rows)], "bank.csv", { type: "text/csv" }));
    const res = await this.expect(201, "POST", `/v1/imports?accountId=${accountId}`, { token, form });
    const counts = res.body?.counts ?? {};
    if (res.body?.status !== "completed" || counts.imported !== rows.length) {
      throw new Error(
        `the import did not take all ${rows.length} rows (imported ${counts.imported}, failed ${counts.failed}, ` +
          `duplicates ${counts.duplicates}, matched ${counts.matched}): ${JSON.stringify(res.body).slice(0, 2000)}`,
      );
    }
    return res.ms;
  }

  /**
   * A new user with the household's rules, a card and a savings account beside the first
   * (checking) account, its files imported (checking, then the card's months before, then the
   * card's month) and a budget for the month. Returns the user and the import time in ms.
   */
  async household(h: Household): Promise<{ user: User; importMs: number }> {
    this.users += 1;
    const email = `bench.${Date.now().toString(36)}.${this.users}.${randomBytes(3).toString("hex")}@example.com`;
    const res = await this.expect(201, "POST", "/v1/auth/signup", {
      json: { email, password: "correct horse battery staple", name: `Bench ${this.users}` },
    });
    const token: string = res.body.token;
    const owner: Owner = { tenantId: res.body.user.tenantId, userId: res.body.user.userId };

    const categories = await this.expect(200, "GET", "/v1/categories", { token });
    const ids = new Map(
      (categories.body.items as { categoryId: string; type: string }[]).map((c) => [c.type, c.categoryId]),
    );
    const idOf = (slug: string) => {
      const id = ids.get(slug);
      if (!id) throw new Error(`a new user has no "${slug}" category`);
      return id;
    };
    const rules: [string, string][] = [
      ...MERCHANTS.flatMap(([, rule, category]) =>
        rule && category ? [[rule, category] as [string, string]] : [],
      ),
      ...BILLS.map(([, rule, category]) => [rule, category] as [string, string]),
      [RENT[1], RENT[2]],
    ];
    for (const [contains, slug] of rules) {
      await this.expect(201, "POST", "/v1/rules", {
        token,
        json: {
          conditions: { merchant: { op: "contains", value: contains } },
          actions: { categoryId: idOf(slug) },
        },
      });
    }

    const accounts = await this.expect(200, "GET", "/v1/accounts", { token });
    const checking = (accounts.body.items as { accountId: string; type: string }[]).find(
      (a) => a.type === "checking",
    );
    if (!checking) throw new Error("a new user has no checking account");
    const opened = "2025-01-01";
    const card = await this.expect(201, "POST", "/v1/accounts", {
      token,
      json: { name: "Visa", type: "credit-card", openingBalance: 0, openingDate: opened },
    });
    await this.expect(201, "POST", "/v1/accounts", {
      token,
      json: { name: "Savings", type: "savings", openingBalance: 1_250_000, openingDate: opened },
    });

    let importMs = await this.importRows(token, checking.accountId, h.checking);
    const cardId: string = card.body.accountId;
    if (h.cardBefore.length + h.cardMonth.length <= MAX_FILE_ROWS) {
      importMs += await this.importRows(token, cardId, [...h.cardBefore, ...h.cardMonth]);
    } else {
      importMs += await this.importRows(token, cardId, h.cardBefore);
      importMs += await this.importRows(token, cardId, h.cardMonth);
    }

    await this.expect(201, "POST", "/v1/budgets", {
      token,
      json: {
        month: MONTH,
        totalIncome: h.income,
        currency: "USD",
        categories: [
          ...Object.entries(LIMIT_SHARE).map(([slug, share]) => ({
            categoryId: idOf(slug),
            limit: Math.max(0, Math.round(((h.spending.get(slug) ?? 0) * share) / 100) * 100),
          })),
          { categoryId: idOf("savings"), limit: Math.round(h.income / 10 / 100) * 100 },
        ],
      },
    });
    return { user: { token, owner, household: h }, importMs };
  }
}

// ---------------------------------------------------------------------------------------------
// figures

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN
  );
}

/** The middle value; of an even count, the lower middle, so it is one of the runs. */
const median = (values: number[]) =>
  percentile(
    [...values].sort((x, y) => x - y),
    50,
  );

const fmt = (n: number | undefined, digits = 0) =>
  n !== undefined && Number.isFinite(n)
    ? n.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : "-";

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  return rows
    .map((r) =>
      r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join("  "),
    )
    .join("\n");
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await fn();
  return [result, performance.now() - t0];
}

interface Spread {
  median: number;
  min: number;
  max: number;
}
const spreadOf = (xs: number[]): Spread => ({
  median: median(xs),
  min: Math.min(...xs),
  max: Math.max(...xs),
});

interface SizeFigures {
  size: number;
  importMs: number;
  generate: Spread;
  /** From generate's calls as they happened: start to the end of the sources' reads. */
  sources: Spread;
  /** Then to the end of the last page of the month's transactions and the prior charges. */
  ledger: Spread;
  /** Time spent in the month's Query calls (the pages follow one another), and in the charges'. */
  monthCalls: Spread;
  chargeCalls: Spread;
  /** From the last page's answer to the PutItem: its parsing, computeMonthAnalytics, the marker. */
  computeInGenerate: Spread;
  put: Spread;
  /** computeMonthAnalytics alone on the same input. */
  compute: Spread;
  /** The month by a bare Query (no parsing), with the ledger's Limit and without; small months only. */
  rawQuery: Spread;
  unlimitedQuery: Spread;
  javaCpu: number | undefined;
  nodeCpu: number;
  /** DynamoDB calls of one generate, by kind. */
  calls: Map<string, number>;
  analytics: MonthAnalytics;
  priorCharges: number;
}

const countBy = (sent: Sent[]) => {
  const out = new Map<string, number>();
  for (const s of sent) {
    const k = `${s.command} ${s.table}`;
    out.set(k, (out.get(k) ?? 0) + 1);
  }
  return out;
};

/** One generate's phases, from the calls it made (times from its start). */
function phasesOf(sent: readonly Sent[], t0: number, t1: number, tables: Store["tables"]) {
  const endOf = (xs: readonly Sent[]) => Math.max(t0, ...xs.map((x) => x.end));
  const spent = (xs: readonly Sent[]) => xs.reduce((sum, x) => sum + (x.end - x.start), 0);
  const sources = sent.filter((x) => x.table === tables.budgets);
  const pages = sent.filter((x) => x.command === "Query" && x.table === tables.transactionDetails);
  const month = pages.filter((x) => !x.filtered);
  const charges = pages.filter((x) => x.filtered);
  const put = sent.find((x) => x.command === "PutItem" && x.table === tables.spendingAnalytics);
  if (!put || !month.length) throw new Error("generate made no PutItem or no Query of the month");
  const sourcesEnd = endOf(sources);
  const ledgerEnd = endOf(pages);
  return {
    total: t1 - t0,
    sources: sourcesEnd - t0,
    ledger: ledgerEnd - sourcesEnd,
    monthCalls: spent(month),
    chargeCalls: spent(charges),
    computeInGenerate: put.start - ledgerEnd,
    put: put.end - put.start,
  };
}

/**
 * Generation of one user's month: generate timed whole and split by the DynamoDB calls it made;
 * computeMonthAnalytics alone on the same input; for small months, the month by a bare Query.
 */
async function measureSize(
  b: Bench,
  store: Store,
  java: number | undefined,
  user: User,
  importMs: number,
): Promise<SizeFigures> {
  const size = user.household.monthCount;
  const analytics = createAnalytics(store);
  const ledger = new MonthLedgerReader(store);
  const owner = user.owner;

  // Correctness first (and the first warm-up): every transaction the files put in the month counts.
  const first = await analytics.generate(owner, MONTH);
  const sources = await analytics.readSources(owner, MONTH);
  const [transactions, priorCharges] = await Promise.all([
    ledger.transactions(owner, MONTH),
    ledger.chargesBefore(owner, MONTH, HISTORY_MONTHS),
  ]);
  if (first.totals.transactionCount !== size || transactions.length !== size) {
    throw new Error(
      `a month of ${size} transactions: the analytics count ${first.totals.transactionCount}, ` +
        `the ledger reads ${transactions.length}`,
    );
  }
  const input: AnalyticsInput = {
    month: MONTH,
    currency: sources.budget?.currency ?? "USD",
    budget: sources.budget ?? null,
    categories: new Map<string, CategoryInfo>(sources.categories),
    transactions,
    history: sourceMonths(MONTH)
      .filter((m) => m !== MONTH)
      .map((m) => totalsOf(sources, m)),
    priorCharges,
    today: new Date().toISOString().slice(0, 10),
  };
  // The same input gives the same figures as generate stored.
  const { generatedAt: _g, sourceMarker: _m, ttl: _t, ...stored } = first;
  if (JSON.stringify(computeMonthAnalytics(input)) !== JSON.stringify(stored)) {
    throw new Error("computeMonthAnalytics on the inputs read here differs from what generate stored");
  }

  const reps = Math.max(1, Math.round(COMPUTE_ROWS_PER_SAMPLE / size));
  const rawQuery = async (pageItems: number | undefined) => {
    let n = 0;
    for await (const _ of queryRange(store.db, {
      table: store.tables.transactionDetails,
      pk: ownerKey(owner),
      low: `${prefixes.transaction}${MONTH}-01`,
      high: `${prefixes.transaction}${MONTH}-31#\uffff`,
      projection:
        "transactionId, #date, amount, #type, categoryId, splits, onBudget, #transfer, merchant, merchantKey",
      names: { "#date": "date", "#type": "type", "#transfer": "transfer" },
      consistent: true,
      ...(pageItems ? { pageItems } : {}),
    }))
      n += 1;
    if (n !== size) throw new Error(`the bare Query read ${n} of ${size} items`);
  };
  const once = async () => {
    const sent: Sent[] = [];
    b.recording = sent;
    const t0 = performance.now();
    const cpu = await cpuOf(java, () => analytics.generate(owner, MONTH)).finally(() => {
      b.recording = undefined;
    });
    const phases = phasesOf(sent, t0, performance.now(), store.tables);
    const c0 = performance.now();
    for (let i = 0; i < reps; i++) computeMonthAnalytics(input);
    const compute = (performance.now() - c0) / reps;
    const [, raw] =
      size <= UNLIMITED_UP_TO ? await timed(() => rawQuery(LEDGER_PAGE_ITEMS)) : [0, Number.NaN];
    const [, unlimited] = size <= UNLIMITED_UP_TO ? await timed(() => rawQuery(undefined)) : [0, Number.NaN];
    return { ...phases, compute, raw, unlimited, sent, javaCpu: cpu.javaCpu, nodeCpu: cpu.nodeCpu };
  };
  for (let i = 1; i < WARMUP; i++) await once();
  const runs: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await once());
  const of = (pick: (r: (typeof runs)[number]) => number) => spreadOf(runs.map(pick));
  const javas = runs.map((r) => r.javaCpu).filter((j): j is number => j !== undefined);
  return {
    size,
    importMs,
    generate: of((r) => r.total),
    sources: of((r) => r.sources),
    ledger: of((r) => r.ledger),
    monthCalls: of((r) => r.monthCalls),
    chargeCalls: of((r) => r.chargeCalls),
    computeInGenerate: of((r) => r.computeInGenerate),
    put: of((r) => r.put),
    compute: of((r) => r.compute),
    rawQuery: of((r) => r.raw),
    unlimitedQuery: of((r) => r.unlimited),
    javaCpu: javas.length === runs.length ? median(javas) : undefined,
    nodeCpu: median(runs.map((r) => r.nodeCpu)),
    calls: countBy(runs[runs.length - 1]?.sent ?? []),
    analytics: first,
    priorCharges: priorCharges.length,
  };
}

interface Latencies {
  samples: number[];
  seconds: number;
  javaCpu: number | undefined;
  nodeCpu: number;
}

/** `loops` concurrent loops of `fn` for `seconds`: every call's latency in ms. */
async function loadFor(
  java: number | undefined,
  loops: number,
  seconds: number,
  fn: (loop: number) => Promise<void>,
): Promise<Latencies> {
  const samples: number[] = [];
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  const cpu = await cpuOf(java, () =>
    Promise.all(
      Array.from({ length: loops }, async (_, loop) => {
        while (performance.now() < end) {
          const s = performance.now();
          await fn(loop);
          samples.push(performance.now() - s);
        }
      }),
    ),
  );
  samples.sort((x, y) => x - y);
  return { samples, seconds: (performance.now() - t0) / 1000, javaCpu: cpu.javaCpu, nodeCpu: cpu.nodeCpu };
}

const latencyRow = (name: string, l: Latencies) => [
  name,
  fmt(l.samples.length),
  fmt(l.samples.length / l.seconds),
  fmt(percentile(l.samples, 50), 1),
  fmt(percentile(l.samples, 99), 1),
  fmt(l.samples[l.samples.length - 1], 1),
  l.javaCpu === undefined ? "-" : fmt((l.javaCpu * 1e6) / l.samples.length),
  fmt((l.nodeCpu * 1e6) / l.samples.length),
];

// ---------------------------------------------------------------------------------------------
// the bench

/** The 1, 5 and 15 minute load averages: how much else ran on the machine meanwhile. */
const loadAverage = () =>
  loadavg()
    .map((l) => fmt(l, 1))
    .join(" / ");

async function main() {
  const started = performance.now();
  const cpuList = cpus();
  const model = cpuList[0]?.model.trim() ?? "unknown";
  const machine = `${cpuList.length} CPU(s) (${model}), Node ${process.version}, ${process.platform} ${process.arch}`;
  console.log(
    `Tyche month analytics and dashboard, in-process on DynamoDB Local (in memory): months of ` +
      `${SIZES.map((s) => fmt(s)).join(", ")} transactions, ${RUNS} run(s) after ${WARMUP} warm-up; ` +
      `dashboard at ${DASH_USERS} concurrent users for ${DASH_SECONDS} s after ${DASH_WARMUP_SECONDS} s`,
  );
  console.log(`${machine}; load average ${loadAverage()}\n`);

  let dynamo: DynamoDbLocal | undefined;
  const receiptsDir = await mkdtemp(join(tmpdir(), "tyche-bench-receipts-"));
  const clients: { destroy(): void }[] = [];
  try {
    const t0 = performance.now();
    dynamo = await startDynamoDbLocal({});
    const appClient = createDynamoClient({ endpoint: dynamo.endpoint });
    const benchClient = createDynamoClient({ endpoint: dynamo.endpoint });
    clients.push(appClient, benchClient);
    await waitForDynamo(appClient);
    const tables = tableNames({});
    await ensureTables(appClient, tables);
    const java = javaPid(new URL(dynamo.endpoint).port);
    console.log(`DynamoDB Local up and tables created in ${fmt(performance.now() - t0)} ms`);

    const store: Store = { db: createDocumentClient(appClient), tables };
    const app = createApp({
      ...store,
      authenticator: new LocalTokens(randomBytes(32)),
      files: new LocalFileStorage(receiptsDir),
    });
    const b = new Bench(app);
    appClient.middlewareStack.add(
      (next, context) => async (args) => {
        const sink = b.recording;
        if (!sink) return next(args);
        const input = args.input as {
          TableName?: string;
          RequestItems?: Record<string, unknown>;
          FilterExpression?: string;
        };
        const sent: Sent = {
          command: String(context.commandName).replace(/Command$/, ""),
          table: input.TableName ?? Object.keys(input.RequestItems ?? {}).join("+"),
          filtered: input.FilterExpression !== undefined,
          start: performance.now(),
          end: Number.NaN,
        };
        sink.push(sent);
        try {
          return await next(args);
        } finally {
          sent.end = performance.now();
        }
      },
      { step: "initialize", name: "benchCalls" },
    );
    const benchDb: DynamoDBDocumentClient = createDocumentClient(benchClient);

    // ------------------------------------------------------------------------------------------
    // 1. generation at each size
    const figures: SizeFigures[] = [];
    for (const [i, size] of SIZES.entries()) {
      const h = household(size, HISTORY_ROWS, SEED + i);
      const s0 = performance.now();
      const { user, importMs } = await b.household(h);
      console.log(
        `set-up ${fmt(size)}: ${fmt(h.cardBefore.length + h.cardMonth.length + h.checking.length)} rows imported ` +
          `in ${fmt(importMs / 1000, 1)} s (user ready in ${fmt((performance.now() - s0) / 1000, 1)} s)`,
      );
      const f = await measureSize(b, store, java, user, importMs);
      figures.push(f);
      console.log(
        `  generate ${fmt(size)}: median ${fmt(f.generate.median, 1)} ms (${fmt(f.generate.min, 1)}-${fmt(f.generate.max, 1)}); ` +
          `count ${fmt(f.analytics.totals.transactionCount)} checked`,
      );
    }

    // ------------------------------------------------------------------------------------------
    // 2. the dashboard's users
    const d0 = performance.now();
    const dashUsers = await mapLimit(
      Array.from({ length: DASH_USERS }, (_, i) => i),
      SETUP_IN_FLIGHT,
      async (i) => (await b.household(household(DASH_ROWS, DASH_HISTORY_ROWS, SEED + 100 + i))).user,
    );
    // Analytics stored and fresh: the GET computes what is stale and stores it.
    const expectedGeneratedAt: string[] = [];
    for (const u of dashUsers) {
      const res = await b.expect(200, "GET", `/v1/budgets/${MONTH}/analytics`, { token: u.token });
      if (res.body.totals?.transactionCount !== u.household.monthCount) {
        throw new Error(
          `a dashboard user's month counts ${res.body.totals?.transactionCount}, not ${u.household.monthCount}`,
        );
      }
      const again = await b.expect(200, "GET", `/v1/budgets/${MONTH}/analytics`, { token: u.token });
      if (again.body.generatedAt !== res.body.generatedAt)
        throw new Error("a second GET of the analytics computed them again: they are not kept fresh");
      expectedGeneratedAt.push(String(res.body.generatedAt));
    }
    console.log(
      `\nset-up dashboard: ${DASH_USERS} users with ${fmt(DASH_ROWS)} transactions in ${MONTH} ` +
        `(${fmt(3 * DASH_HISTORY_ROWS)} before), a budget and 3 accounts, in ${fmt((performance.now() - d0) / 1000, 1)} s`,
    );

    const dashboardPath = `/v1/dashboard?month=${MONTH}`;
    let stale = 0;
    let failed = 0;
    const dashboardOnce = async (loop: number) => {
      const u = dashUsers[loop] as User;
      const res = await app.request(dashboardPath, { headers: { authorization: `Bearer ${u.token}` } });
      const text = await res.text();
      if (res.status !== 200) failed += 1;
      else if (!text.includes(`"generatedAt":"${expectedGeneratedAt[loop]}"`)) stale += 1;
    };
    const budgetKeys = dashUsers.map((u) => keys.budget(u.owner, MONTH));
    const getItemOnce = async (loop: number) => {
      const { Item } = await benchDb.send(
        new GetCommand({ TableName: tables.budgets, Key: budgetKeys[loop], ConsistentRead: true }),
      );
      if (!Item) failed += 1;
    };

    if (DASH_WARMUP_SECONDS) await loadFor(java, DASH_USERS, DASH_WARMUP_SECONDS, dashboardOnce);
    const dashSent: Sent[] = [];
    b.recording = dashSent;
    // Then one user alone, for what a call costs without waiting behind the others.
    const aloneSeconds = Math.max(1, Math.round(DASH_SECONDS / 5));
    const dashboard = await loadFor(java, DASH_USERS, DASH_SECONDS, dashboardOnce);
    const dashboardAlone = await loadFor(java, 1, aloneSeconds, dashboardOnce).finally(() => {
      b.recording = undefined;
    });
    if (DASH_WARMUP_SECONDS) await loadFor(java, DASH_USERS, DASH_WARMUP_SECONDS, getItemOnce);
    const getItem = await loadFor(java, DASH_USERS, DASH_SECONDS, getItemOnce);
    const getItemAlone = await loadFor(java, 1, aloneSeconds, getItemOnce);
    if (failed) throw new Error(`${failed} dashboard or GetItem call(s) failed`);

    // ------------------------------------------------------------------------------------------
    // output
    console.log(
      `\nAnalyticsService.generate(owner, ${MONTH}) (createAnalytics), ${RUNS} run(s) after ${WARMUP} warm-up; ms`,
    );
    const perTxn = (ms: number, n: number) => (ms * 1000) / n;
    console.log(
      table([
        [
          "transactions in month",
          "median",
          "min",
          "max",
          "µs/txn",
          "calls (DynamoDB)",
          "Java / Node CPU (median)",
        ],
        ...figures.map((f) => [
          fmt(f.size),
          fmt(f.generate.median, 1),
          fmt(f.generate.min, 1),
          fmt(f.generate.max, 1),
          fmt(perTxn(f.generate.median, f.size), 1),
          [...f.calls].map(([k, n]) => `${n} ${k.replaceAll("tyche-", "")}`).join(", "),
          `${fmt(f.javaCpu, 2)} s / ${fmt(f.nodeCpu, 2)} s`,
        ]),
      ]),
    );

    console.log(
      "\nWhere generate's time goes, from the DynamoDB calls it made (medians over the runs, ms): sources " +
        "(plan, totals, categories); the month's pages and the prior charges (two Query streams side by side, " +
        "pages one after another, parsed as they come); from the last page to the PutItem; the PutItem",
    );
    console.log(
      table([
        [
          "transactions",
          "generate",
          "sources",
          "month + charges",
          "in month Queries",
          "in charge Queries",
          "last page to PutItem",
          "PutItem",
          "compute alone",
          "compute µs/txn",
        ],
        ...figures.map((f) => [
          fmt(f.size),
          fmt(f.generate.median, 1),
          fmt(f.sources.median, 1),
          fmt(f.ledger.median, 1),
          fmt(f.monthCalls.median, 1),
          fmt(f.chargeCalls.median, 1),
          fmt(f.computeInGenerate.median, 1),
          fmt(f.put.median, 1),
          fmt(f.compute.median, 2),
          fmt(perTxn(f.compute.median, f.size), 2),
        ]),
      ]),
    );
    for (const f of figures) {
      const reading = f.sources.median + f.ledger.median;
      console.log(
        `  ${fmt(f.size)}: reading ${fmt((100 * reading) / f.generate.median)} % of generate ` +
          `(${fmt(f.monthCalls.median, 1)} ms waiting on the month's Query calls, the rest parsing between pages ` +
          `and the sources), computeMonthAnalytics ${fmt((100 * f.compute.median) / f.generate.median, 1)} %; ` +
          `${fmt(f.priorCharges)} prior charges` +
          (f.size <= UNLIMITED_UP_TO
            ? `; the month by a bare Query, Limit ${fmt(LEDGER_PAGE_ITEMS)}: ${fmt(f.rawQuery.median, 1)} ms, ` +
              `no Limit: ${fmt(f.unlimitedQuery.median, 1)} ms`
            : ""),
      );
    }

    console.log("\nGrowth of the median between sizes");
    for (let i = 1; i < figures.length; i++) {
      const a = figures[i - 1] as SizeFigures;
      const c = figures[i] as SizeFigures;
      const ratio = perTxn(c.generate.median, c.size) / perTxn(a.generate.median, a.size);
      const marginal = perTxn(c.generate.median - a.generate.median, c.size - a.size);
      const computeRatio = perTxn(c.compute.median, c.size) / perTxn(a.compute.median, a.size);
      console.log(
        `  ${fmt(a.size)} -> ${fmt(c.size)}: µs/txn x${fmt(ratio, 2)} (compute alone x${fmt(computeRatio, 2)}); ` +
          `each added transaction ${fmt(marginal, 1)} µs; ` +
          (ratio <= 1.25
            ? "linear (no more per transaction at the larger size)"
            : "MORE per transaction at the larger size: grows faster than linear"),
      );
    }
    const big = figures[figures.length - 1];
    if (big) {
      const a = big.analytics;
      console.log(
        `  the ${fmt(big.size)} month: ${a.categories.length} categories (${a.categories.filter((c) => c.status === "over").length} over), ` +
          `${a.topMerchants.length} top merchants, ${a.recurringCharges.length} recurring charges, ` +
          `${a.recommendations.length} recommendations, income ${fmt(a.totals.actualIncome / 100)} USD, ` +
          `expenses ${fmt(a.totals.expenses / 100)} USD, paid to debt ${fmt(a.totals.paidToDebt / 100)} USD`,
      );
    }

    const dashRequests = dashboard.samples.length + dashboardAlone.samples.length;
    const byKind = countBy(dashSent);
    const analyticsPuts = dashSent.filter(
      (s) => s.command === "PutItem" && s.table === tables.spendingAnalytics,
    ).length;
    console.log(
      `\nGET ${dashboardPath} at ${DASH_USERS} concurrent users (one loop each, in-process) for ${DASH_SECONDS} s, ` +
        `then a bare GetItem (ConsistentRead) of each user's budget item the same way`,
    );
    console.log(
      table([
        ["call", "count", "per s", "p50 ms", "p99 ms", "max ms", "Java µs CPU/call", "Node µs CPU/call"],
        latencyRow(`GET /v1/dashboard, ${DASH_USERS} users`, dashboard),
        latencyRow(`GetItem (document client), ${DASH_USERS} loops`, getItem),
        latencyRow(`GET /v1/dashboard, 1 user alone (${aloneSeconds} s)`, dashboardAlone),
        latencyRow(`GetItem, 1 loop alone (${aloneSeconds} s)`, getItemAlone),
      ]),
    );
    const aloneRatio = percentile(dashboardAlone.samples, 50) / percentile(getItemAlone.samples, 50);
    const ratio = percentile(dashboard.samples, 99) / percentile(getItem.samples, 99);
    console.log(
      `dashboard p99 / GetItem p99 at ${DASH_USERS}: ${fmt(ratio, 2)}; aim <= ${DASHBOARD_AIM}: ` +
        `${ratio <= DASHBOARD_AIM ? "met" : "NOT met"} (alone, p50 / p50: ${fmt(aloneRatio, 2)})`,
    );
    console.log(
      `DynamoDB calls per dashboard: ${[...byKind]
        .map(([k, n]) => `${fmt(n / dashRequests, 2)} ${k}`)
        .join(", ")} (${fmt(dashSent.length / dashRequests, 2)} in all)`,
    );
    console.log(
      `PutItem to ${tables.spendingAnalytics} during the dashboard phases: ${analyticsPuts}; answers whose ` +
        `analytics were not the stored ones: ${stale}` +
        (analyticsPuts || stale
          ? "  WARNING: the dashboard recomputed analytics that should have been fresh"
          : ""),
    );

    console.log(
      `\nmachine: ${machine}; load average at the end ${loadAverage()}; ` +
        `bench took ${fmt((performance.now() - started) / 1000, 1)} s`,
    );
  } finally {
    for (const c of clients) c.destroy();
    await dynamo?.stop();
    await rm(receiptsDir, { recursive: true, force: true });
  }
}

// Ctrl-C or a kill: leave through process.exit, whose "exit" event stops DynamoDB Local's Java process.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

main().catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
