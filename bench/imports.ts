/**
 * Bank import and transaction list benchmark, in one process on one DynamoDB Local (in memory):
 *   1. POST /v1/imports of a generated 10,000-row US bank CSV (sync mode), end to end through the app
 *      in-process (multipart, parse, duplicate check, categorisation, rows by BatchWriteItem in chunks
 *      whose month totals move in an audited transaction, merchant counts) -> rows per second;
 *   2. the same items (read back from tyche-transaction-details and moved to a second fresh user)
 *      written by a raw BatchWriteItem loop, 25 items a call, 8 calls in flight -> rows per second.
 *      The ratio import / raw is the figure (aim: at least 0.7);
 *   2b. the same file imported again into the same account: every row recognised, nothing added
 *      (reconciliation reads the account around the file's dates) -> rows per second;
 *   3. with BENCH_IMPORT_CEILING=1, once, the same items again by raw TransactWriteItems, 48 rows
 *      (96 items) a call, 8 in flight: what committing rows in transactions would cost;
 *   4. GET /v1/transactions?month=YYYY-MM&limit=500 on a month of exactly 500 transactions, and the
 *      same with &category=groceries (GSI1): p50 / p99 / max over BENCH_LIST_CALLS calls.
 * For the median import it shows where the time went: the DynamoDB calls the app made, by kind, on a
 * timeline from the request's start, and the CPU seconds DynamoDB Local (Java) and Node used.
 *
 * Env (apart from start-up's, since `npm run bench` runs both): BENCH_IMPORT_ROWS (default 10000),
 * BENCH_IMPORT_RUNS (default 3; medians are reported), BENCH_IMPORT_WARMUP (default 1: an unmeasured
 * 4,000-row import and raw write first), BENCH_LIST_CALLS (default 200), BENCH_LIST_WARMUP (default 20),
 * BENCH_IMPORT_CEILING (default 0; 1 runs step 3), BENCH_IMPORT_SEED (default 2025).
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from "@aws-sdk/lib-dynamodb";
import { createApp } from "../services/api/src/app";
import { LocalTokens } from "../services/api/src/auth/local-tokens";
import { mapLimit } from "../services/api/src/db/batch";
import { createDocumentClient, createDynamoClient } from "../services/api/src/db/client";
import { ensureTables } from "../services/api/src/db/create-tables";
import { type Owner, ownerKey } from "../services/api/src/db/keys";
import type { Store } from "../services/api/src/db/store";
import { tableNames } from "../services/api/src/db/tables";
import {
  type DynamoDbLocal,
  startDynamoDbLocal,
  waitForDynamo,
} from "../services/api/src/local/dynamodb-local";
import { LocalFileStorage } from "../services/api/src/storage/files";
import { type App, AppClient, type Reply } from "./app-client";
import { positiveInt } from "./settings";

const ROWS = positiveInt("BENCH_IMPORT_ROWS", 10_000);
const RUNS = positiveInt("BENCH_IMPORT_RUNS", 3);
const WARMUP = positiveInt("BENCH_IMPORT_WARMUP", 1, true);
const WARMUP_ROWS = 4_000;
const LIST_CALLS = positiveInt("BENCH_LIST_CALLS", 200);
const LIST_WARMUP = positiveInt("BENCH_LIST_WARMUP", 20, true);
const CEILING = positiveInt("BENCH_IMPORT_CEILING", 0, true) > 0;
const SEED = positiveInt("BENCH_IMPORT_SEED", 2025, true);
const LIST_ROWS = 500;
const LIST_MONTH = "2025-06";
/** Raw baseline: BatchWriteItem's maximum, and as many calls in flight as the import's lanes. */
const BATCH_SIZE = 25;
const IN_FLIGHT = 8;
/** Rows per transaction for the ceiling: 96 items, under DynamoDB's 100. */
const TRANSACT_ROWS = 48;

// ---------------------------------------------------------------------------------------------
// a repeatable US bank export

/** mulberry32: small, fast and good enough to make the same file every run. */
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
 * Merchants as a card statement spells them: raw text ('#' is replaced by one of the merchant's
 * store numbers), a range in dollars, and how often they come up.
 */
const MERCHANTS: readonly [raw: string, min: number, max: number, weight: number][] = [
  ["WHOLEFDS MKT #", 18, 180, 6],
  ["TRADER JOE S #", 12, 110, 6],
  ["SAFEWAY #", 8, 160, 5],
  ["KROGER #", 10, 150, 4],
  ["COSTCO WHSE #", 45, 420, 2],
  ["ALDI #", 9, 90, 3],
  ["PUBLIX #", 10, 140, 2],
  ["WM SUPERCENTER #", 15, 240, 3],
  ["H-E-B #", 12, 130, 2],
  ["SPROUTS FARMERS MAR #", 9, 85, 2],
  ["SQ *BLUE BOTTLE COFFEE", 4, 14, 8],
  ["STARBUCKS STORE # SEATTLE WA", 3, 16, 9],
  ["TST* JOES PIZZA #", 14, 62, 4],
  ["CHIPOTLE #", 9, 32, 5],
  ["MCDONALD'S F#", 5, 21, 4],
  ["TST* SWEETGREEN #", 11, 24, 4],
  ["SQ *EL GUERO TACO TRUCK", 8, 26, 3],
  ["PANERA BREAD #", 8, 28, 2],
  ["DOORDASH*THAI BASIL", 18, 64, 3],
  ["UBER *EATS PENDING", 15, 58, 3],
  ["DUNKIN #", 3, 12, 4],
  ["CHICK-FIL-A #", 7, 25, 3],
  ["SQ *ROSE BAKERY", 4, 19, 2],
  ["UBER *TRIP HELP.UBER.COM", 7, 64, 5],
  ["LYFT *RIDE THU 8PM", 8, 55, 3],
  ["SHELL OIL #", 25, 75, 4],
  ["CHEVRON #", 28, 80, 3],
  ["EXXONMOBIL #", 24, 72, 2],
  ["CLIPPER SERVICE", 10, 50, 2],
  ["PARKMOBILE", 2, 18, 2],
  ["DELTA AIR LINES", 180, 1450, 0.3],
  ["COMCAST CABLE COMM", 79, 99, 0.35],
  ["PG&E WEBRECURRING", 60, 240, 0.35],
  ["VERIZON WRLS P#-01", 65, 140, 0.35],
  ["CITY OF SEATTLE UTIL", 40, 120, 0.35],
  ["AT&T *PAYMENT", 55, 90, 0.3],
  ["PAYPAL *NETFLIX", 15, 23, 0.35],
  ["SPOTIFY USA", 11, 17, 0.35],
  ["APPLE.COM/BILL", 1, 15, 0.7],
  ["AMAZON PRIME*2K4LL1", 14, 15, 0.35],
  ["HULU 877-8244858", 8, 18, 0.35],
  ["GOOGLE *YOUTUBE PREMIUM", 13, 14, 0.35],
  ["NYTIMES DIGITAL", 4, 17, 0.35],
  ["AMZN Mktp US*2K4LL1", 6, 240, 7],
  ["TARGET #", 9, 210, 4],
  ["SP * ALLBIRDS", 60, 160, 0.4],
  ["BEST BUY #", 20, 900, 0.6],
  ["THE HOME DEPOT #", 8, 420, 1.5],
  ["IKEA SEATTLE", 25, 700, 0.4],
  ["ETSY.COM*HANDMADEGOODS", 12, 90, 0.8],
  ["MACYS #", 25, 220, 0.6],
  ["NIKE.COM", 45, 180, 0.5],
  ["CVS/PHARMACY #", 5, 60, 2.5],
  ["WALGREENS #", 5, 55, 2],
  ["KAISER PERM COPAY", 20, 60, 0.4],
  ["PLANET FITNESS CLUB #", 10, 25, 0.35],
  ["AMC THEATRES #", 12, 48, 0.8],
  ["TICKETMASTER*EVENT", 40, 320, 0.3],
  ["STEAMGAMES.COM 4259522", 5, 70, 0.5],
  ["STATE FARM INSURANCE", 110, 180, 0.35],
  ["AUTOPAY CAPITAL ONE", 50, 400, 0.35],
];
const SALARY = "ACME CORP PAYROLL DIR DEP";

/** Rules a real user would have made; the rest of the rows stay uncategorised, as on a first import. */
const RULES: readonly [contains: string, categoryType: string][] = [
  ["wholefds", "groceries"],
  ["trader joe", "groceries"],
  ["safeway", "groceries"],
  ["kroger", "groceries"],
  ["costco", "groceries"],
  ["starbucks", "dining"],
  ["chipotle", "dining"],
  ["uber *trip", "transport"],
  ["shell oil", "transport"],
  ["comcast", "utilities"],
  ["netflix", "subscriptions"],
  ["amzn mktp", "shopping"],
];

interface Row {
  date: string; // YYYY-MM-DD
  text: string;
  cents: number; // signed: negative is money out
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

/** `rows` rows over `months` (YYYY-MM): salary on the 1st and 15th, card spending on random days. */
function bankCsv(rows: number, months: readonly string[], seed: number): { csv: string; rows: Row[] } {
  const rnd = prng(seed);
  const pick = (n: number) => Math.floor(rnd() * n);
  const stores = MERCHANTS.map(() => [1000 + pick(9000), 10 + pick(990), 100 + pick(9900)]);
  const totalWeight = MERCHANTS.reduce((s, m) => s + m[3], 0);
  const out: Row[] = [];
  for (const month of months) {
    for (const day of [1, 15]) {
      if (out.length < rows) out.push({ date: `${month}-${pad(day)}`, text: SALARY, cents: 325_000 });
    }
  }
  while (out.length < rows) {
    const month = months[pick(months.length)] as string;
    let w = rnd() * totalWeight;
    let i = 0;
    while (i < MERCHANTS.length - 1 && w >= (MERCHANTS[i]?.[3] ?? 0)) w -= MERCHANTS[i++]?.[3] ?? 0;
    const [raw, min, max] = MERCHANTS[i] as (typeof MERCHANTS)[number];
    const store = stores[i]?.[pick(3)] ?? 0;
    // Skewed toward the low end of the range, like real baskets.
    const cents = Math.round((min + (max - min) * rnd() ** 2) * 100);
    const refund = rnd() < 0.01;
    out.push({
      date: `${month}-${pad(1 + pick(daysIn(month)))}`,
      text: raw.replace("#", `#${store}`),
      cents: refund ? cents : -cents,
    });
  }
  // Newest first, as banks export.
  out.sort((a, b) => b.date.localeCompare(a.date));
  const lines = ["Transaction Date,Description,Amount"];
  for (const r of out)
    lines.push(`${r.date.slice(5, 7)}/${r.date.slice(8)}/${r.date.slice(0, 4)},${r.text},${money(r.cents)}`);
  return { csv: `${lines.join("\n")}\n`, rows: out };
}

const MONTHS_2025 = Array.from({ length: 12 }, (_, i) => `2025-${pad(i + 1)}`);

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

interface Measured {
  ms: number;
  /** CPU seconds DynamoDB Local used meanwhile; undefined where /proc is missing. */
  javaCpu: number | undefined;
  nodeCpu: number;
}

async function measure<T>(java: number | undefined, fn: () => Promise<T>): Promise<[T, Measured]> {
  const j0 = processCpuSeconds(java);
  const n0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await fn();
  const ms = performance.now() - t0;
  const n = process.cpuUsage(n0);
  const j1 = processCpuSeconds(java);
  return [
    result,
    {
      ms,
      javaCpu: j0 === undefined || j1 === undefined ? undefined : j1 - j0,
      nodeCpu: (n.user + n.system) / 1e6,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// the app, in-process

interface Account {
  token: string;
  owner: Owner;
}

/** One DynamoDB call the app made: by kind (command, and the key's kind for single items), and when. */
interface Sent {
  kind: string;
  start: number;
  end: number;
}

/** "UpdateItem IMPORT#", "TransactWriteItems", ...: single-item calls are told apart by their sort key. */
function kindOf(commandName: string, input: Record<string, unknown>): string {
  const name = commandName.replace(/Command$/, "");
  const key = (input.Key ?? input.Item) as Record<string, unknown> | undefined;
  const sk = key?.SK as unknown;
  const text = typeof sk === "string" ? sk : (sk as { S?: string } | undefined)?.S;
  const prefix = text ? /^[A-Z_]+#?/.exec(text)?.[0] : undefined;
  return prefix ? `${name} ${prefix}` : name;
}

class Bench extends AppClient {
  /** While set, every DynamoDB call the app makes lands here. */
  recording: Sent[] | undefined;
  private users = 0;

  constructor(
    app: App,
    readonly tables: Store["tables"],
    /** A client of its own for reading back and for the raw loops, kept out of the app's recording. */
    readonly db: DynamoDBDocumentClient,
  ) {
    super(app);
  }

  /** A new user; with rules, a dozen "merchant contains X -> category" rules like a real user's. */
  async signup(withRules: boolean): Promise<Account> {
    this.users += 1;
    const email = `bench.${Date.now().toString(36)}.${this.users}.${randomBytes(3).toString("hex")}@example.com`;
    const res = await this.expect(201, "POST", "/v1/auth/signup", {
      json: { email, password: "correct horse battery staple", name: `Bench ${this.users}` },
    });
    const account: Account = {
      token: res.body.token,
      owner: { tenantId: res.body.user.tenantId, userId: res.body.user.userId },
    };
    if (withRules) {
      const ids = await this.categoryIds(account);
      for (const [contains, type] of RULES) {
        const categoryId = ids.get(type);
        if (!categoryId) throw new Error(`a new user has no "${type}" category`);
        await this.expect(201, "POST", "/v1/rules", {
          token: account.token,
          json: { conditions: { merchant: { op: "contains", value: contains } }, actions: { categoryId } },
        });
      }
    }
    return account;
  }

  /** The user's categories: slug -> id. */
  async categoryIds(account: Account): Promise<Map<string, string>> {
    const res = await this.expect(200, "GET", "/v1/categories", { token: account.token });
    return new Map(
      (res.body.items as { categoryId: string; type: string }[]).map((c) => [c.type, c.categoryId]),
    );
  }

  /** POST /v1/imports in sync mode; fails unless every row was imported. */
  async importCsv(account: Account, csv: string, rows: number, name = "bank.csv"): Promise<Reply> {
    const form = new FormData();
    form.set("file", new File([csv], name, { type: "text/csv" }));
    const res = await this.expect(201, "POST", "/v1/imports", { token: account.token, form });
    const counts = res.body?.counts ?? {};
    if (res.body?.status !== "completed" || counts.rows !== rows || counts.imported !== rows) {
      throw new Error(
        `the import did not take all ${rows} rows (imported ${counts.imported}, failed ${counts.failed}, ` +
          `duplicates ${counts.duplicates}): ${JSON.stringify(res.body).slice(0, 2000)}`,
      );
    }
    return res;
  }

  /** The same file again into the same account: every row must be recognised, none added. */
  async reimportCsv(account: Account, csv: string, rows: number): Promise<Reply> {
    const form = new FormData();
    form.set("file", new File([csv], "bank.csv", { type: "text/csv" }));
    const res = await this.expect(201, "POST", "/v1/imports", { token: account.token, form });
    const counts = res.body?.counts ?? {};
    if (counts.imported !== 0 || (counts.duplicates ?? 0) + (counts.matched ?? 0) !== rows) {
      throw new Error(`the re-import did not recognise all ${rows} rows: ${JSON.stringify(counts)}`);
    }
    return res;
  }

  /** Every transaction item (TXN#) and id pointer (TXNID#) stored for the owner. */
  async transactionItems(owner: Owner): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tables.transactionDetails,
          KeyConditionExpression: "PK = :pk AND begins_with(SK, :txn)",
          ExpressionAttributeValues: { ":pk": ownerKey(owner), ":txn": "TXN" },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const sk = String(item.SK);
        if (sk.startsWith("TXN#") || sk.startsWith("TXNID#")) out.push(item);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** The raw baseline: BatchWriteItem, 25 items a call, 8 calls in flight, unprocessed items retried. */
  async rawBatchWrite(items: Record<string, unknown>[]): Promise<{ calls: number; retried: number }> {
    const table = this.tables.transactionDetails;
    let calls = 0;
    let retried = 0;
    await mapLimit(chunk(items, BATCH_SIZE), IN_FLIGHT, async (part) => {
      let pending = part.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt > 8) throw new Error(`BatchWriteItem left ${pending.length} items unprocessed 8 times`);
        calls += 1;
        const res = await this.db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
        pending = (res.UnprocessedItems?.[table] ?? []) as typeof pending;
        retried += pending.length;
        if (pending.length) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
      }
    });
    return { calls, retried };
  }

  /**
   * The transactional ceiling: the same items by plain TransactWriteItems, each row with its pointer,
   * 48 rows a call, 8 calls in flight; no conditions, totals or audit.
   */
  async rawTransactWrite(items: Record<string, unknown>[]): Promise<{ calls: number }> {
    const table = this.tables.transactionDetails;
    const pointers = new Map(
      items.filter((i) => String(i.SK).startsWith("TXNID#")).map((i) => [String(i.sk), i] as const),
    );
    const rows = items.filter((i) => String(i.SK).startsWith("TXN#"));
    let calls = 0;
    await mapLimit(chunk(rows, TRANSACT_ROWS), IN_FLIGHT, async (part) => {
      calls += 1;
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: part.flatMap((row) => {
            const pointer = pointers.get(String(row.SK));
            if (!pointer) throw new Error(`no pointer for ${String(row.SK)}`);
            return [{ Put: { TableName: table, Item: row } }, { Put: { TableName: table, Item: pointer } }];
          }),
        }),
      );
    });
    return { calls };
  }
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The owner's items, as if another user had them: partition and index keys moved, nothing else. */
function moveTo(items: Record<string, unknown>[], from: Owner, to: Owner): Record<string, unknown>[] {
  const a = ownerKey(from);
  const b = ownerKey(to);
  const swap = (v: unknown) => (typeof v === "string" && v.startsWith(a) ? b + v.slice(a.length) : v);
  return items.map((item) => {
    const moved: Record<string, unknown> = { ...item, PK: b };
    if ("GSI1PK" in item) moved.GSI1PK = swap(item.GSI1PK);
    if ("GSI2PK" in item) moved.GSI2PK = swap(item.GSI2PK);
    return moved;
  });
}

// ---------------------------------------------------------------------------------------------
// measurements

interface ImportRun {
  rows: number;
  imported: Measured;
  /** The app's DynamoDB calls during the import, times relative to the request's start. */
  sent: Sent[];
  raw: Measured;
  rawItems: number;
  rawCalls: number;
  rawRetried: number;
  /** The same file imported again into the same account: every row recognised. */
  reimported: Measured;
  /** The items the import wrote, for the transactional ceiling. */
  items: Record<string, unknown>[];
  importer: Owner;
}

const rowsPerSecond = (rows: number, m: Measured) => (rows / m.ms) * 1000;

async function importAndRaw(
  b: Bench,
  java: number | undefined,
  csv: string,
  rows: number,
): Promise<ImportRun> {
  const importer = await b.signup(true);
  const sent: Sent[] = [];
  b.recording = sent;
  const t0 = performance.now();
  const [, imported] = await measure(java, () => b.importCsv(importer, csv, rows)).finally(() => {
    b.recording = undefined;
  });
  for (const s of sent) {
    s.start -= t0;
    s.end -= t0;
  }

  const items = await b.transactionItems(importer.owner);
  const txns = items.filter((i) => String(i.SK).startsWith("TXN#")).length;
  const pointers = items.length - txns;
  if (txns !== rows || pointers !== rows) {
    throw new Error(`the import stored ${txns} transactions and ${pointers} pointers for ${rows} rows`);
  }
  const [, reimported] = await measure(java, () => b.reimportCsv(importer, csv, rows));
  const target = await b.signup(false);
  const moved = moveTo(items, importer.owner, target.owner);
  const [written, raw] = await measure(java, () => b.rawBatchWrite(moved));
  const stored = (await b.transactionItems(target.owner)).length;
  if (stored !== moved.length) throw new Error(`the raw loop stored ${stored} of ${moved.length} items`);
  return {
    rows,
    imported,
    sent,
    raw,
    reimported,
    rawItems: moved.length,
    rawCalls: written.calls,
    rawRetried: written.retried,
    items,
    importer: importer.owner,
  };
}

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

interface ListFigures {
  items: number;
  p50: number;
  p99: number;
  max: number;
}

async function timeList(b: Bench, account: Account, path: string, expected: number): Promise<ListFigures> {
  const once = async () => {
    const res = await b.expect(200, "GET", path, { token: account.token });
    const items = res.body?.items;
    if (!Array.isArray(items) || items.length !== expected) {
      throw new Error(
        `GET ${path} answered ${Array.isArray(items) ? items.length : "no"} items, not ${expected}`,
      );
    }
    return res.ms;
  };
  for (let i = 0; i < LIST_WARMUP; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < LIST_CALLS; i++) samples.push(await once());
  samples.sort((x, y) => x - y);
  return {
    items: expected,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: samples[samples.length - 1] ?? Number.NaN,
  };
}

// ---------------------------------------------------------------------------------------------
// output

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

/** The import's DynamoDB calls by kind, in order of first use, with the span each kind covered. */
function timeline(run: ImportRun): string[][] {
  const kinds = new Map<string, { n: number; sum: number; first: number; last: number }>();
  for (const s of [...run.sent].sort((x, y) => x.start - y.start)) {
    const k = kinds.get(s.kind) ?? { n: 0, sum: 0, first: s.start, last: s.end };
    k.n += 1;
    k.sum += s.end - s.start;
    k.first = Math.min(k.first, s.start);
    k.last = Math.max(k.last, s.end);
    kinds.set(s.kind, k);
  }
  const firstCall = Math.min(...run.sent.map((s) => s.start));
  const lastCall = Math.max(...run.sent.map((s) => s.end));
  return [
    ["DynamoDB call (kind)", "calls", "avg ms", "sum ms", "from ms", "to ms"],
    [
      "(request start to first call: multipart, decode, parse, fingerprints)",
      "",
      "",
      "",
      "0",
      fmt(firstCall),
    ],
    ...[...kinds].map(([kind, k]) => [
      kind,
      fmt(k.n),
      fmt(k.sum / k.n, 1),
      fmt(k.sum),
      fmt(k.first),
      fmt(k.last),
    ]),
    ["(last call to answer)", "", "", "", fmt(lastCall), fmt(run.imported.ms)],
  ];
}

const cpuCell = (m: Measured, rows: number) =>
  `${fmt(m.javaCpu, 1)} s / ${fmt(m.nodeCpu, 1)} s ` +
  `(${m.javaCpu === undefined ? "-" : fmt((m.javaCpu * 1e6) / rows)} µs Java/row)`;

// ---------------------------------------------------------------------------------------------
// the bench

async function main() {
  const started = performance.now();
  const cpuList = cpus();
  const model = cpuList[0]?.model.trim() ?? "unknown";
  const machine = `${cpuList.length} CPU(s) (${model}), Node ${process.version}, ${process.platform} ${process.arch}`;
  console.log(
    `Tyche bank import and transaction list, in-process on DynamoDB Local (in memory): ` +
      `${fmt(ROWS)} rows, ${RUNS} run(s), ${WARMUP} warm-up`,
  );
  console.log(`${machine}\n`);

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

    const app = createApp({
      db: createDocumentClient(appClient),
      tables,
      authenticator: new LocalTokens(randomBytes(32)),
      files: new LocalFileStorage(receiptsDir),
    });
    const b = new Bench(app, tables, createDocumentClient(benchClient));
    appClient.middlewareStack.add(
      (next, context) => async (args) => {
        const sink = b.recording;
        if (!sink) return next(args);
        const start = performance.now();
        try {
          return await next(args);
        } finally {
          sink.push({
            kind: kindOf(String(context.commandName), args.input as Record<string, unknown>),
            start,
            end: performance.now(),
          });
        }
      },
      { step: "initialize", name: "benchTimings" },
    );

    const g0 = performance.now();
    const file = bankCsv(ROWS, MONTHS_2025, SEED);
    console.log(
      `Generated ${fmt(ROWS)} CSV rows (${fmt(file.csv.length / 1024)} KiB, ${MERCHANTS.length} merchants ` +
        `and a salary twice a month, ${MONTHS_2025[0]} to ${MONTHS_2025[11]}) in ${fmt(performance.now() - g0)} ms\n`,
    );

    for (let i = 0; i < WARMUP; i++) {
      const w = bankCsv(WARMUP_ROWS, MONTHS_2025, SEED + 1000 + i);
      const r = await importAndRaw(b, java, w.csv, WARMUP_ROWS);
      console.log(
        `warm-up ${i + 1}: ${fmt(WARMUP_ROWS)} rows: import ${fmt(rowsPerSecond(r.rows, r.imported))} rows/s, ` +
          `raw ${fmt(rowsPerSecond(r.rows, r.raw))} rows/s (not counted)`,
      );
    }

    const runs: ImportRun[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const r = await importAndRaw(b, java, file.csv, ROWS);
      runs.push(r);
      const importRate = rowsPerSecond(r.rows, r.imported);
      const rawRate = rowsPerSecond(r.rows, r.raw);
      console.log(
        `run ${run}/${RUNS}: import ${fmt(r.imported.ms)} ms = ${fmt(importRate)} rows/s; raw ${fmt(r.raw.ms)} ms = ` +
          `${fmt(rawRate)} rows/s (${fmt(r.rawItems)} items in ${fmt(r.rawCalls)} calls` +
          `${r.rawRetried ? `, ${fmt(r.rawRetried)} unprocessed and retried` : ""}); ratio ${fmt(importRate / rawRate, 2)}; ` +
          `re-import ${fmt(r.reimported.ms)} ms = ${fmt(rowsPerSecond(r.rows, r.reimported))} rows/s`,
      );
    }
    const importRates = runs.map((r) => rowsPerSecond(r.rows, r.imported));
    const rawRates = runs.map((r) => rowsPerSecond(r.rows, r.raw));
    const medianRun = runs[importRates.indexOf(median(importRates))] as ImportRun;

    let ceiling: { m: Measured; calls: number } | undefined;
    if (CEILING) {
      const target = await b.signup(false);
      const moved = moveTo(medianRun.items, medianRun.importer, target.owner);
      const [written, m] = await measure(java, () => b.rawTransactWrite(moved));
      const stored = (await b.transactionItems(target.owner)).length;
      if (stored !== moved.length)
        throw new Error(`TransactWriteItems stored ${stored} of ${moved.length} items`);
      ceiling = { m, calls: written.calls };
      console.log(
        `transactional ceiling: ${fmt(m.ms)} ms = ${fmt(rowsPerSecond(ROWS, m))} rows/s (${fmt(moved.length)} items ` +
          `in ${fmt(written.calls)} TransactWriteItems)`,
      );
    }

    // A month of exactly 500 transactions, for a user of its own.
    const lister = await b.signup(true);
    const june = bankCsv(LIST_ROWS, [LIST_MONTH], SEED + 7);
    await b.importCsv(lister, june.csv, LIST_ROWS, "june.csv");
    const listPath = `/v1/transactions?month=${LIST_MONTH}&limit=${LIST_ROWS}`;
    const first = await b.expect(200, "GET", listPath, { token: lister.token });
    const groceriesId = (await b.categoryIds(lister)).get("groceries");
    const groceries = (first.body.items as { categoryId: string | null }[]).filter(
      (t) => t.categoryId === groceriesId,
    ).length;
    if (!groceries) throw new Error("no transaction of the list month was categorised as groceries");
    const list = await timeList(b, lister, listPath, LIST_ROWS);
    const filtered = await timeList(b, lister, `${listPath}&category=groceries`, groceries);

    // ------------------------------------------------------------------------------------------
    const importMedian = median(importRates);
    const rawMedian = median(rawRates);
    // Each run writes the import and then the raw loop back to back, so a run's own ratio cancels the
    // drift of a shared machine between runs; the figure is the median of those paired ratios.
    const pairedRatios = runs.map((_, i) => (importRates[i] ?? 0) / (rawRates[i] ?? 1));
    const ratio = median(pairedRatios);
    const spread = (xs: number[]) => `${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))}`;
    const medianOf = (pick: (r: ImportRun) => Measured) => {
      const ms = runs.map((r) => pick(r).ms);
      return runs[ms.indexOf(median(ms))] as ImportRun;
    };
    const rawMedianRun = medianOf((r) => r.raw);

    console.log(`\n${fmt(ROWS)}-row CSV into DynamoDB Local, ${RUNS} run(s)`);
    console.log(
      table([
        ["write", "rows/s (median)", "min-max", "median ms", "CPU Java / Node (median run)"],
        [
          "POST /v1/imports (sync, end to end)",
          fmt(importMedian),
          spread(importRates),
          fmt(medianRun.imported.ms),
          cpuCell(medianRun.imported, ROWS),
        ],
        [
          `raw BatchWriteItem (${BATCH_SIZE} items/call, ${IN_FLIGHT} in flight)`,
          fmt(rawMedian),
          spread(rawRates),
          fmt(rawMedianRun.raw.ms),
          cpuCell(rawMedianRun.raw, ROWS),
        ],
        [
          "POST /v1/imports of the same file again (all recognised)",
          fmt(median(runs.map((r) => rowsPerSecond(r.rows, r.reimported)))),
          spread(runs.map((r) => rowsPerSecond(r.rows, r.reimported))),
          fmt(medianOf((r) => r.reimported).reimported.ms),
          cpuCell(medianOf((r) => r.reimported).reimported, ROWS),
        ],
        ...(ceiling
          ? [
              [
                `raw TransactWriteItems (${TRANSACT_ROWS} rows/call, ${IN_FLIGHT} in flight), once`,
                fmt(rowsPerSecond(ROWS, ceiling.m)),
                "",
                fmt(ceiling.m.ms),
                cpuCell(ceiling.m, ROWS),
              ],
            ]
          : []),
      ]),
    );
    console.log(
      `ratio import / raw BatchWriteItem, median of paired runs: ${fmt(ratio, 2)} (per run: ${pairedRatios
        .map((r) => fmt(r, 2))
        .join(
          ", ",
        )}; ratio of the medians above: ${fmt(importMedian / rawMedian, 2)}); target >= 0.70: ${ratio >= 0.7 ? "met" : "NOT met"}`,
    );
    if (ceiling) {
      const c = rowsPerSecond(ROWS, ceiling.m);
      console.log(
        `raw TransactWriteItems / raw BatchWriteItem: ${fmt(c / rawMedian, 2)}; ` +
          `import / raw TransactWriteItems: ${fmt(importMedian / c, 2)}`,
      );
    }

    console.log(
      `\nWhere the median import's ${fmt(medianRun.imported.ms)} ms went (times from the request's start)`,
    );
    console.log(table(timeline(medianRun)));

    console.log(
      `\nGET /v1/transactions on a month of ${LIST_ROWS} (${LIST_MONTH}), in-process, ` +
        `${LIST_CALLS} calls after ${LIST_WARMUP} warm-up`,
    );
    console.log(
      table([
        ["query", "items", "p50 ms", "p99 ms", "max ms"],
        [
          `?month=${LIST_MONTH}&limit=${LIST_ROWS}`,
          fmt(list.items),
          fmt(list.p50, 1),
          fmt(list.p99, 1),
          fmt(list.max, 1),
        ],
        [
          `?month=${LIST_MONTH}&limit=${LIST_ROWS}&category=groceries`,
          fmt(filtered.items),
          fmt(filtered.p50, 1),
          fmt(filtered.p99, 1),
          fmt(filtered.max, 1),
        ],
      ]),
    );

    console.log(`\nmachine: ${machine}; bench took ${fmt((performance.now() - started) / 1000, 1)} s`);
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
