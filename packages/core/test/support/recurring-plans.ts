import type { RecurringCadence } from "@tyche/types";
import fc from "fast-check";
import { HISTORY_FROM, JITTER, monthDay, type SeriesPlan, TODAY, toDate, toDay } from "./recurring-history";

/** A series to plant, as fast-check draws it; `planOf` turns it into dates inside the history. */
export interface Draw {
  cadence: RecurringCadence;
  amount: number;
  /** At a merchant the one-off noise also buys from ("Amazon" and "Amazon Prime" as one key). */
  shared: boolean;
  dom: number;
  /** Occurrences fewer than the history could hold. */
  shorter: number;
  income: boolean;
  missed: boolean;
  /** A price change halfway, as a ratio (within one step, rounding too: 0.85 to 1.24). */
  change: number | null;
  /** Ended this many periods before today (0: still running). */
  endedPeriods: number;
  account: "acct-checking" | "acct-card";
}

export const MEAN_DAYS: Record<RecurringCadence, number> = {
  weekly: 7,
  biweekly: 14,
  monthly: 30.44,
  quarterly: 91.31,
  yearly: 365.25,
};

export const MIN_OCCURRENCES: Record<RecurringCadence, number> = {
  weekly: 4,
  biweekly: 4,
  monthly: 3,
  quarterly: 3,
  yearly: 2,
};

export const draw: fc.Arbitrary<Draw> = fc.record({
  cadence: fc.constantFrom<RecurringCadence>(
    "weekly",
    "biweekly",
    "monthly",
    "monthly",
    "quarterly",
    "yearly",
  ),
  // Log-uniform from $1.50 to $1,500.
  amount: fc.integer({ min: 0, max: 1000 }).map((x) => Math.round(150 * 1000 ** (x / 1000))),
  shared: fc.boolean(),
  dom: fc.integer({ min: 1, max: 31 }),
  shorter: fc.integer({ min: 0, max: 8 }),
  income: fc.integer({ min: 0, max: 7 }).map((x) => x === 0),
  missed: fc.integer({ min: 0, max: 3 }).map((x) => x === 0),
  change: fc.option(fc.double({ min: 0.85, max: 1.24, noNaN: true }), { freq: 2 }),
  endedPeriods: fc.constantFrom(0, 0, 0, 0, 3),
  account: fc.constantFrom("acct-checking" as const, "acct-card" as const),
});

const MONTHS: Partial<Record<RecurringCadence, number>> = { monthly: 1, quarterly: 3, yearly: 12 };

/**
 * The series a draw stands for, inside the 25 months of history: its last nominal date a few days
 * before today (or `endedPeriods` periods before), as many occurrences before it as fit, less
 * `shorter`, at least the cadence's minimum.
 */
export function planOf(d: Draw, index: number): SeriesPlan {
  const first = toDay(HISTORY_FROM) + JITTER[d.cadence] + 1;
  const last = toDay(TODAY) - JITTER[d.cadence] - 1 - Math.round(d.endedPeriods * MEAN_DAYS[d.cadence]);
  const fits = Math.floor((last - first) / MEAN_DAYS[d.cadence]) + 1;
  const count = Math.max(MIN_OCCURRENCES[d.cadence], fits - d.shorter);
  const months = MONTHS[d.cadence];
  // The start: count - 1 periods before the last date (months counted as calendar months).
  let start: string;
  if (months) {
    const lastDate = toDate(last);
    const y = Number(lastDate.slice(0, 4));
    const m = Number(lastDate.slice(5, 7)) - 1 - (count - 1) * months;
    // The intended day may be later in the month than `last`: start one period earlier then.
    const day = Math.min(d.dom, 28);
    const startMonth = Number(lastDate.slice(8, 10)) >= day ? m : m - months;
    start = new Date(Date.UTC(y, startMonth, day)).toISOString().slice(0, 10);
    if (toDay(start) < first)
      start = new Date(Date.UTC(y, startMonth + months, day)).toISOString().slice(0, 10);
  } else {
    start = toDate(last - (count - 1) * MEAN_DAYS[d.cadence]);
  }
  // Only the occurrences due by `last`: a later one, moved by its jitter, could fall after today.
  let realCount = count;
  if (months) {
    realCount = 0;
    while (realCount < count && toDay(monthDay(start, realCount * months, d.dom)) <= last) realCount++;
  }
  return {
    cadence: d.cadence,
    merchant: d.shared ? `Shop ${1 + ((index * 37) % 150)}` : `Sub ${index}`,
    accountId: d.account,
    start,
    ...(months ? { dom: d.dom } : {}),
    count: realCount,
    amount: d.amount,
    jitter: JITTER[d.cadence],
    ...(d.income ? { kind: "income" as const } : {}),
    ...(d.missed && realCount > 5 && d.cadence !== "yearly" ? { missed: [Math.floor(realCount / 2)] } : {}),
    ...(d.change && realCount >= 5 && d.cadence !== "yearly"
      ? {
          priceChange: {
            at: Math.floor(realCount / 2),
            amount: Math.max(1, Math.round(d.amount * d.change)),
          },
        }
      : {}),
  };
}
