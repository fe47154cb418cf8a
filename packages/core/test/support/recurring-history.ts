import type { RecurringCadence, RecurringKind } from "@tyche/types";
import type { RecurringInput } from "../../src/recurring/detect";

/**
 * Generated histories for the recurring detector's tests and bench: known series planted among
 * random purchases. Written from the rules of docs/SUGGESTIONS.md, not from the detector: dates
 * come from calendar arithmetic here (Date.UTC), amounts from the plan given.
 */

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
export function seeded(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
export const toDay = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY;
export const toDate = (day: number) => new Date(day * DAY).toISOString().slice(0, 10);

/** Day `dom` of the month `months` after `from`'s month, or that month's last day when shorter. */
export function monthDay(from: string, months: number, dom: number): string {
  const y = Number(from.slice(0, 4));
  const m = Number(from.slice(5, 7)) - 1 + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(dom, last))).toISOString().slice(0, 10);
}

export interface SeriesPlan {
  kind?: RecurringKind;
  cadence: RecurringCadence;
  merchant: string;
  accountId?: string;
  /** The first nominal date. Monthly-type series keep `dom` (default: this date's day) as their day. */
  start: string;
  dom?: number;
  count: number;
  amount: number;
  /** Each date moves by a uniform whole number of days in [-jitter, jitter]. */
  jitter?: number;
  /** Occurrence indexes that never happened (a skipped month). */
  missed?: readonly number[];
  /** From this occurrence on, the new amount (a price change). */
  priceChange?: { at: number; amount: number };
  /** Each amount moves by a uniform share in [-spread, spread] (a variable bill). */
  spread?: number;
}

export interface PlantedSeries {
  plan: SeriesPlan;
  merchantKey: string;
  accountId: string;
  kind: RecurringKind;
  transactionIds: string[];
  dates: string[];
  /** The nominal date of every occurrence, the missed ones too. */
  nominals: string[];
}

const STEP_MONTHS: Record<RecurringCadence, number> = {
  weekly: 0,
  biweekly: 0,
  monthly: 1,
  quarterly: 3,
  yearly: 12,
};
const STEP_DAYS: Record<RecurringCadence, number> = {
  weekly: 7,
  biweekly: 14,
  monthly: 0,
  quarterly: 0,
  yearly: 0,
};

/** A merchant key the way merchantKey() makes one: lowercase words. */
export const keyOf = (merchant: string) =>
  merchant
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();

export class HistoryBuilder {
  readonly transactions: RecurringInput[] = [];
  readonly planted: PlantedSeries[] = [];
  private n = 0;

  constructor(
    readonly random: () => number,
    readonly account = "acct-checking",
  ) {}

  private id(prefix: string): string {
    this.n += 1;
    return `${prefix}-${String(this.n).padStart(6, "0")}`;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.random() * (hi - lo + 1));
  }

  add(
    row: Partial<RecurringInput> & { date: string; amount: number; merchant: string },
    prefix = "n",
  ): string {
    const transactionId = this.id(prefix);
    this.transactions.push({
      transactionId,
      type: "expense",
      merchantKey: keyOf(row.merchant),
      accountId: this.account,
      categoryId: null,
      ...row,
    });
    return transactionId;
  }

  /** The plan's occurrences, as the plan says; its ids and dates are kept to check against. */
  plant(plan: SeriesPlan): PlantedSeries {
    const kind = plan.kind ?? "expense";
    const accountId = plan.accountId ?? this.account;
    const dom = plan.dom ?? Number(plan.start.slice(8, 10));
    const series: PlantedSeries = {
      plan,
      kind,
      accountId,
      merchantKey: keyOf(plan.merchant),
      transactionIds: [],
      dates: [],
      nominals: [],
    };
    for (let i = 0; i < plan.count; i++) {
      const nominal =
        STEP_DAYS[plan.cadence] > 0
          ? toDate(toDay(plan.start) + i * STEP_DAYS[plan.cadence])
          : monthDay(plan.start, i * STEP_MONTHS[plan.cadence], dom);
      series.nominals.push(nominal);
      if (plan.missed?.includes(i)) continue;
      const jitter = plan.jitter ? this.int(-plan.jitter, plan.jitter) : 0;
      const date = toDate(toDay(nominal) + jitter);
      const base = plan.priceChange && i >= plan.priceChange.at ? plan.priceChange.amount : plan.amount;
      const amount = plan.spread
        ? Math.max(1, Math.round(base * (1 + (this.random() * 2 - 1) * plan.spread)))
        : base;
      series.transactionIds.push(
        this.add({ date, amount, merchant: plan.merchant, type: kind, accountId }, "p"),
      );
      series.dates.push(date);
    }
    this.planted.push(series);
    return series;
  }

  /** `count` one-off purchases at random merchants of a pool, log-uniform amounts, uniform dates. */
  oneOffs(count: number, from: string, to: string, pool = 150, merchants?: readonly string[]): void {
    const a = toDay(from);
    const b = toDay(to);
    for (let i = 0; i < count; i++) {
      const merchant = merchants
        ? (merchants[this.int(0, merchants.length - 1)] as string)
        : `Shop ${this.int(1, pool)}`;
      this.add({
        date: toDate(this.int(a, b)),
        amount: Math.round(300 * 100 ** this.random()),
        merchant,
      });
    }
  }

  /**
   * A habit: `perWeek` visits a week on random days at one merchant, each `amount` moved by up
   * to `spread` (0: the same coffee every time).
   */
  habit(merchant: string, perWeek: number, amount: number, spread: number, from: string, to: string): void {
    const a = toDay(from);
    const b = toDay(to);
    const visits = Math.round(((b - a + 1) / 7) * perWeek);
    for (let i = 0; i < visits; i++) {
      this.add({
        date: toDate(this.int(a, b)),
        amount: Math.max(1, Math.round(amount * (1 + (this.random() * 2 - 1) * spread))),
        merchant,
      });
    }
  }
}

/** The day the generated histories end on, and the first day they cover (25 months before). */
export const TODAY = "2026-03-20";
export const HISTORY_FROM = "2024-02-20";

/** Per-date jitter the detector tolerates per cadence (docs/SUGGESTIONS.md), used as the generator's. */
export const JITTER: Record<RecurringCadence, number> = {
  weekly: 1,
  biweekly: 2,
  monthly: 3,
  quarterly: 3,
  yearly: 3,
};

export interface NoiseLevel {
  /** One-off purchases at a pool of shops. */
  oneOffs: number;
  /** Visits a week to habit merchants: groceries (varied amounts) and coffee (one price). */
  groceriesPerWeek: number;
  coffeePerWeek: number;
}

/**
 * Noise a person's history has: one-off purchases at many shops, groceries twice a week at
 * varied amounts, coffee at one price a few times a week on random days.
 */
export function addNoise(b: HistoryBuilder, level: NoiseLevel, from = HISTORY_FROM, to = TODAY): void {
  b.oneOffs(level.oneOffs, from, to);
  if (level.groceriesPerWeek > 0) b.habit("Corner Grocer", level.groceriesPerWeek, 6000, 0.6, from, to);
  if (level.coffeePerWeek > 0) b.habit("Blue Bottle", level.coffeePerWeek, 475, 0, from, to);
}
