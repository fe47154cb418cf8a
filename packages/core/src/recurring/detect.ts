import type {
  ConfidenceFactors,
  RecurringCadence,
  RecurringSuggestion,
  SuggestedSchedule,
  SuggestionKind,
} from "@tyche/types";
import { formatRrule, normaliseSchedule, type Weekday } from "../recurrence";

/**
 * "Found for you": series of like charges (or income) at one merchant, from one account, at a
 * regular cadence, found in a history that also holds one-off purchases, missed months, price
 * changes, a few days of posting delay and month ends. The rules and the confidence formula are
 * written down in docs/SUGGESTIONS.md; the constants below are the ones it names.
 */

/** A transaction as the detector reads it: the few fields a history query projects. */
export interface RecurringInput {
  transactionId: string;
  date: string;
  /** Positive cents. */
  amount: number;
  type: "expense" | "income" | "refund" | "transfer";
  merchant: string | null;
  /** normalizeMerchant's key: what groups a merchant's spellings. */
  merchantKey: string | null;
  accountId: string;
  categoryId: string | null;
}

export interface DetectOptions {
  /** Which kinds to look for; both by default (income as its own kind: a salary is not a bill). */
  kinds?: readonly SuggestionKind[];
  /** Which cadences to look for; all by default. */
  cadences?: readonly RecurringCadence[];
  /** Suggestions below this confidence are left out; DEFAULT_MIN_CONFIDENCE by default. */
  minConfidence?: number;
}

export interface CadenceRule {
  /** Whether the period is counted in days (weeks) or in calendar months. */
  unit: "day" | "month";
  /** The period: 7 or 14 days, 1, 3 or 12 months. */
  step: number;
  /**
   * How far (days) an occurrence may be from the date the schedule fitted so far predicts. It is
   * twice the jitter tolerated on each date, since the prediction itself rests on jittered dates.
   */
  window: number;
  /** Occurrences that may be missing in a row (a skipped month) before the series is broken. */
  maxSkip: number;
  /** The least occurrences that make a suggestion. */
  minOccurrences: number;
  /** The period's mean length in days, for "still active" (seen within 1.5 periods). */
  periodDays: number;
}

/**
 * The cadences, from the shortest. Jitter tolerated on each date (half the window): weekly 1 day,
 * every two weeks 2, monthly, quarterly and yearly 3. A weekly charge that wanders 3 days either
 * way cannot be told from a habit (coffee once a week on any day), so weekly is held tighter.
 */
export const CADENCE_RULES: Readonly<Record<RecurringCadence, CadenceRule>> = {
  weekly: { unit: "day", step: 7, window: 2, maxSkip: 1, minOccurrences: 4, periodDays: 7 },
  biweekly: { unit: "day", step: 14, window: 4, maxSkip: 1, minOccurrences: 4, periodDays: 14 },
  monthly: { unit: "month", step: 1, window: 6, maxSkip: 1, minOccurrences: 3, periodDays: 30.44 },
  quarterly: { unit: "month", step: 3, window: 6, maxSkip: 1, minOccurrences: 3, periodDays: 91.31 },
  yearly: { unit: "month", step: 12, window: 6, maxSkip: 0, minOccurrences: 2, periodDays: 365.25 },
};

const CADENCES = Object.keys(CADENCE_RULES) as RecurringCadence[];

/** One occurrence may differ from the one before by this ratio at most: a price rise of 25 %. */
export const STEP_AMOUNT_RATIO = 1.25;
/** Two series at one merchant, one ending where the other begins, are one after a change up to this ratio. */
export const MERGE_AMOUNT_RATIO = 1.6;
/** Occurrences each side of such a change needs. */
export const MERGE_MIN_SIDE = 3;
/** Seen over expected occurrences, at least: more missing than this is not a schedule. */
export const MIN_COVERAGE = 0.7;
/** The series' share of the like-amount transactions near its dates, at least. */
export const MIN_EXCLUSIVITY = 0.75;
/** "Like amount" for exclusivity: within the series' own range widened by this ratio, or by its largest step. */
export const EXCLUSIVITY_BAND = 1.05;
/**
 * A series of two (yearly) must have the very same amount: two like amounts about a year apart
 * happen by chance at any shop; only a renewal repeats its price to the cent.
 */
export const PAIR_AMOUNT_RATIO = 1;
export const DEFAULT_MIN_CONFIDENCE = 0.4;
/** Active when last seen within this many periods of today. */
export const ACTIVE_PERIODS = 1.5;

const LN_STEP = Math.log(STEP_AMOUNT_RATIO);

// Dates as whole days since 1970-01-01 (UTC): differences are exact and cheap. The conversions
// are Howard Hinnant's civil-calendar arithmetic, not Date objects: the detector converts dates in
// its innermost loops, where a Date per call was most of its time (bench/suggestions.ts).
function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Month index (year * 12 + month - 1) and day of month of a day number. */
function civil(day: number): { month: number; dom: number } {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const dom = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return { month: y * 12 + m - 1, dom };
}

function dayNumber(date: string): number {
  return daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

function dateOf(day: number): string {
  const { month, dom } = civil(day);
  const y = Math.floor(month / 12);
  return `${String(y).padStart(4, "0")}-${String((month % 12) + 1).padStart(2, "0")}-${String(dom).padStart(2, "0")}`;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function monthLength(month: number): number {
  const m = month % 12;
  if (m !== 1) return MONTH_DAYS[m] as number;
  const y = Math.floor(month / 12);
  return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
}

/** The day number of day `dom` of a month, or of its last day when it is shorter (the 31st in April). */
function clampedDay(month: number, dom: number): number {
  return daysFromCivil(Math.floor(month / 12), (month % 12) + 1, Math.min(dom, monthLength(month)));
}

/**
 * How on time a date `off` days from its schedule is: 1 within the per-date jitter (half the
 * window), falling to 0 at the window's edge. A habit's chance alignment lands anywhere in the
 * window, a bill near its day.
 */
function onTime(rule: CadenceRule, off: number): number {
  const tolerated = rule.window / 2;
  return Math.min(1, Math.max(0, (rule.window - off) / (rule.window - tolerated)));
}

/**
 * Where a schedule puts slot 0: a day (weekly rules) or a month and an intended day of the month
 * (31 is "the last day", 30 "the 30th or the last day when shorter").
 */
interface Hypothesis {
  day: number;
  month: number;
  dom: number;
}

function nominal(rule: CadenceRule, h: Hypothesis, slot: number): number {
  return rule.unit === "day" ? h.day + slot * rule.step : clampedDay(h.month + slot * rule.step, h.dom);
}

/**
 * The schedules a series anchored at `anchor` may follow: slot 0 at most the per-date jitter away
 * from it, and, for monthly rules where that day ends its month, every later intended day (a
 * charge on the 31st shows as the 28th in February). Closest to the anchor first: ties go to it.
 */
function hypotheses(rule: CadenceRule, anchor: number): readonly Hypothesis[] {
  // The same day starts many chains (every merchant's rows of that day, every cadence): made once.
  const key = anchor * 16 + rule.step;
  const cached = HYPOTHESES.get(key);
  if (cached) return cached;
  const made = makeHypotheses(rule, anchor);
  if (HYPOTHESES.size > 100_000) HYPOTHESES.clear();
  HYPOTHESES.set(key, made);
  return made;
}

const HYPOTHESES = new Map<number, readonly Hypothesis[]>();
/** Chain.bounds of a chain of one date, by that day, rule and slot. */
const FIRST_BOUNDS = new Map<number, { low: number; high: number }>();

function makeHypotheses(rule: CadenceRule, anchor: number): Hypothesis[] {
  const jitter = rule.window / 2;
  const out: Hypothesis[] = [];
  for (let i = 0; i <= 2 * jitter; i++) {
    const delta = i % 2 === 0 ? i / 2 : -(i + 1) / 2;
    const day = anchor - delta;
    const { month, dom } = civil(day);
    out.push({ day, month, dom });
    if (rule.unit === "month" && dom === monthLength(month))
      for (let d = dom + 1; d <= 31; d++) out.push({ day, month, dom: d });
  }
  return out;
}

interface Group {
  kind: SuggestionKind;
  accountId: string;
  merchantKey: string;
  rows: RecurringInput[];
  /** The rows' dates as day numbers, and their amounts ascending. */
  days: number[];
  sortedAmounts: number[];
}

/** A series being fitted: its rows (indexes into the group, in date order) and their slots. */
class Chain {
  readonly idx: number[] = [];
  readonly slot: number[] = [];
  /**
   * The schedules the series may follow: every one that passes within the per-date jitter of one
   * of its dates (a one-off of like amount may have begun the chain, and must not alone set its
   * days), each once, with how far the dates are from it: in all, at worst, squared, and how
   * many are on time. Kept lazily: most chains die at their first date.
   */
  private hyps: Hypothesis[] | undefined;
  // Made with the second date: most chains never get one, and are many (one per row and cadence).
  private seen!: Set<number>;
  private fits!: number[];
  private sums!: number[];
  private squares!: number[];
  private worst!: number[];
  private fitAt = 0;
  private predictAt = 0;

  constructor(
    private readonly rule: CadenceRule,
    private readonly days: readonly number[],
    first: number,
  ) {
    this.idx.push(first);
    this.slot.push(0);
  }

  get first(): number {
    return this.idx[0] as number;
  }

  get firstSlot(): number {
    return this.slot[0] as number;
  }

  get last(): number {
    return this.idx[this.idx.length - 1] as number;
  }

  get lastSlot(): number {
    return this.slot[this.slot.length - 1] as number;
  }

  /**
   * The schedule that puts the most dates on time (what regularity scores); then the least total
   * distance; then, among equals, the one in the middle (two dates 6 days apart: 3 and 3, not 0
   * and 6). What a suggestion reports.
   */
  fit(): Hypothesis {
    return this.schedules()[this.hyps ? this.fitAt : 0] as Hypothesis;
  }

  /**
   * The schedule of least total distance (a median): the date a slot is expected on while the
   * series grows, to prefer the nearest of two candidates.
   */
  predict(): Hypothesis {
    return this.schedules()[this.hyps ? this.predictAt : 0] as Hypothesis;
  }

  /**
   * Whether a date at `slot` continues the series: some schedule keeps every date of it, this one
   * too, within the window. Not only the best one: a charge due on the 1st that posted on 28
   * November and 1 March fits "the 28th" best (February is short), which would miss 4 June.
   */
  admits(day: number, slot: number): boolean {
    const hyps = this.schedules();
    for (let h = 0; h < hyps.length; h++)
      if (this.kept(h) && Math.abs(day - nominal(this.rule, hyps[h] as Hypothesis, slot)) <= this.rule.window)
        return true;
    return false;
  }

  /** The earliest and latest date a schedule the series still keeps puts `slot` on. */
  bounds(slot: number): { low: number; high: number } {
    if (!this.hyps) {
      // A first date alone: the same for every chain that starts on that day (most of them).
      const key = ((this.days[this.first] as number) * 16 + this.rule.step) * 8 + slot;
      let found = FIRST_BOUNDS.get(key);
      if (!found) {
        found = this.span(slot);
        if (FIRST_BOUNDS.size > 100_000) FIRST_BOUNDS.clear();
        FIRST_BOUNDS.set(key, found);
      }
      return found;
    }
    return this.span(slot);
  }

  private span(slot: number): { low: number; high: number } {
    const hyps = this.schedules();
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (let h = 0; h < hyps.length; h++) {
      if (!this.kept(h)) continue;
      const on = nominal(this.rule, hyps[h] as Hypothesis, slot);
      if (on < low) low = on;
      if (on > high) high = on;
    }
    return { low, high };
  }

  /**
   * Whether, under some schedule that keeps the series and puts `day` at `slot` within the
   * window, `next` finds a row at one of the slots after.
   */
  goesOnFrom(day: number, slot: number, next: (expected: number) => boolean): boolean {
    const hyps = this.schedules();
    for (let h = 0; h < hyps.length; h++) {
      const hyp = hyps[h] as Hypothesis;
      if (!this.kept(h) || Math.abs(day - nominal(this.rule, hyp, slot)) > this.rule.window) continue;
      for (let k = 1; k <= this.rule.maxSkip + 1; k++)
        if (next(nominal(this.rule, hyp, slot + k))) return true;
    }
    return false;
  }

  add(index: number, slot: number): void {
    if (!this.hyps) {
      // The first date's schedules, now the series' own to extend.
      this.hyps = [];
      this.seen = new Set();
      this.fits = [];
      this.sums = [];
      this.squares = [];
      this.worst = [];
      this.anchor(this.first, this.firstSlot);
    }
    const hyps = this.hyps;
    this.idx.push(index);
    this.slot.push(slot);
    for (let h = 0; h < hyps.length; h++) {
      const d = this.distance(hyps[h] as Hypothesis, index, slot);
      this.fits[h] = (this.fits[h] as number) + onTime(this.rule, d);
      this.sums[h] = (this.sums[h] as number) + d;
      this.squares[h] = (this.squares[h] as number) + d * d;
      this.worst[h] = Math.max(this.worst[h] as number, d);
    }
    this.anchor(index, slot);
    let fit = 0;
    let predict = 0;
    for (let h = 1; h < hyps.length; h++) {
      if (this.fitsBetter(h, fit)) fit = h;
      if (this.nearer(h, predict)) predict = h;
    }
    this.fitAt = fit;
    this.predictAt = predict;
  }

  /**
   * Until a second date, the first one's schedules as they are shared (every one within the jitter
   * of it, so all kept); the first one, on time, is the best fit and prediction.
   */
  private schedules(): readonly Hypothesis[] {
    return this.hyps ?? hypotheses(this.rule, this.days[this.first] as number);
  }

  private kept(h: number): boolean {
    return !this.hyps || (this.worst[h] as number) <= this.rule.window;
  }

  /** Adds the schedules that pass within the per-date jitter of row `index`, at `slot`. */
  private anchor(index: number, slot: number): void {
    const hyps = this.hyps as Hypothesis[];
    for (const through of hypotheses(this.rule, this.days[index] as number)) {
      const h =
        slot === 0
          ? through
          : this.rule.unit === "day"
            ? { ...through, day: through.day - slot * this.rule.step }
            : { ...through, month: through.month - slot * this.rule.step };
      const key = this.rule.unit === "day" ? h.day : h.month * 32 + h.dom;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      let fit = 0;
      let sum = 0;
      let square = 0;
      let worst = 0;
      for (let k = 0; k < this.idx.length; k++) {
        const d = this.distance(h, this.idx[k] as number, this.slot[k] as number);
        fit += onTime(this.rule, d);
        sum += d;
        square += d * d;
        worst = Math.max(worst, d);
      }
      hyps.push(h);
      this.fits.push(fit);
      this.sums.push(sum);
      this.squares.push(square);
      this.worst.push(worst);
    }
  }

  private fitsBetter(h: number, than: number): boolean {
    const fit = this.fits[h] as number;
    const other = this.fits[than] as number;
    if (fit !== other) return fit > other;
    return this.nearer(h, than);
  }

  private nearer(h: number, than: number): boolean {
    const sum = this.sums[h] as number;
    const other = this.sums[than] as number;
    if (sum !== other) return sum < other;
    return (this.squares[h] as number) < (this.squares[than] as number);
  }

  /** The same series without the rows marked in `taken`, or undefined when fewer than two are left. */
  without(taken: Uint8Array): Chain | undefined {
    const keep = this.idx
      .map((index, i) => ({ index, slot: this.slot[i] as number }))
      .filter((p) => !taken[p.index]);
    const first = keep[0];
    if (!first || keep.length < 2) return undefined;
    const chain = new Chain(this.rule, this.days, first.index);
    for (const p of keep.slice(1)) chain.add(p.index, p.slot - first.slot);
    return chain;
  }

  /** Appends another series that continues this one `skip` slots after its last. */
  absorb(other: Chain, skip: number): void {
    const base = this.lastSlot + skip - (other.slot[0] as number);
    other.idx.forEach((index, i) => {
      this.add(index, base + (other.slot[i] as number));
    });
  }

  private distance(h: Hypothesis, index: number, slot: number): number {
    return Math.abs((this.days[index] as number) - nominal(this.rule, h, slot));
  }
}

/** An element known to be there (indexes come from the array's own bounds). */
const at = (xs: readonly number[], i: number) => xs[i] as number;

const ratio = (a: number, b: number) => (a > b ? a / b : b / a);

/** First position in the ascending `xs` whose value is `x` or more. */
function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First position in the ascending `xs` whose value is more than `x`. */
function upperBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * How far amounts may move from one occurrence to the next at this merchant. At a busy one (more
 * than one row per window on average over its history: a grocer visited twice a week) some row is
 * near any date, and with hundreds of starts a chain of merely like amounts turns up by chance.
 * There the step tolerance shrinks with the cube of the rows per window (a grocer's 3.8 rows per
 * monthly window leave 0.45 %), so a series needs the same amount each time: what a subscription
 * at a shop you also buy from has (Prime at Amazon). Merging across a price change is unchanged:
 * it joins two series that each passed this already.
 */
function stepTolerance(group: Group, rule: CadenceRule): number {
  const span = Math.max(1, at(group.days, group.days.length - 1) - at(group.days, 0) + 1);
  const perWindow = Math.max(1, (group.rows.length / span) * (2 * rule.window + 1));
  return 1 + (STEP_AMOUNT_RATIO - 1) / perWindow ** 3;
}

/**
 * Whether the series would go on from row `j` at `slot`: under a schedule that keeps it, some later
 * row at one of the next slots is within `step` of its amount.
 */
function goesOn(
  group: Group,
  rule: CadenceRule,
  chain: Chain,
  slot: number,
  j: number,
  step: number,
): boolean {
  const { rows, days } = group;
  const amount = (rows[j] as RecurringInput).amount;
  return chain.goesOnFrom(at(days, j), slot, (expected) => {
    for (let i = Math.max(lowerBound(days, expected - rule.window), j + 1); i < rows.length; i++) {
      if (at(days, i) > expected + rule.window) return false;
      if (ratio((rows[i] as RecurringInput).amount, amount) <= step) return true;
    }
    return false;
  });
}

/**
 * Grows series from each row not yet in one: the next occurrence is the row within the window of
 * the next slot (or the one after, a missed occurrence) whose amount is nearest the last one's,
 * within STEP_AMOUNT_RATIO. Rows a series of two or more took are not started from again.
 */
function growChains(group: Group, rule: CadenceRule): Chain[] {
  const { rows, days } = group;
  const step = stepTolerance(group, rule);
  const used = new Uint8Array(rows.length);
  const chains: Chain[] = [];
  for (let start = 0; start < rows.length; start++) {
    if (used[start]) continue;
    const chain = new Chain(rule, days, start);
    for (;;) {
      const ref = (rows[chain.last] as RecurringInput).amount;
      let next = -1;
      let nextSlot = 0;
      for (let k = 1; k <= rule.maxSkip + 1 && next < 0; k++) {
        const slot = chain.lastSlot + k;
        const { low, high } = chain.bounds(slot);
        const expected = nominal(rule, chain.predict(), slot);
        let best: { continues: boolean; r: number; off: number } | undefined;
        for (let j = Math.max(lowerBound(days, low - rule.window), chain.last + 1); j < rows.length; j++) {
          const day = days[j] as number;
          if (day > high + rule.window) break;
          if (used[j]) continue;
          const amount = (rows[j] as RecurringInput).amount;
          const r = ratio(amount, ref);
          if (r > step || !chain.admits(day, slot)) continue;
          // A row the series goes on from beats one it would end at (a price change beside a
          // one-off purchase of like amount); then the nearest amount (two plans of one merchant
          // keep apart), then the nearest date.
          const continues = goesOn(group, rule, chain, slot, j, step);
          const off = Math.abs(day - expected);
          if (
            !best ||
            (continues && !best.continues) ||
            (continues === best.continues && (r < best.r || (r === best.r && off < best.off)))
          ) {
            best = { continues, r, off };
            next = j;
            nextSlot = slot;
          }
        }
      }
      if (next < 0) break;
      chain.add(next, nextSlot);
    }
    if (chain.idx.length >= 2) {
      for (const i of chain.idx) used[i] = 1;
      chains.push(refine(group, rule, chain, used));
    }
  }
  return mergeChanges(group, rule, chains);
}

/**
 * Swaps an occurrence for a free row in the same slot's window whose amount is nearer its
 * neighbours' (the series' own rows on either side): a one-off of like amount just before the
 * real first charge may have started the chain. Marks the rows it swaps in `used`.
 */
function refine(group: Group, rule: CadenceRule, chain: Chain, used: Uint8Array): Chain {
  const { rows, days } = group;
  const h = chain.predict();
  const idx = chain.idx.slice();
  const amount = (j: number) => (rows[j] as RecurringInput).amount;
  /** How far row j's amount is from the occurrences beside position i. */
  const apart = (j: number, i: number) =>
    Math.max(
      i > 0 ? ratio(amount(j), amount(idx[i - 1] as number)) : 1,
      i < idx.length - 1 ? ratio(amount(j), amount(idx[i + 1] as number)) : 1,
    );
  let changed = false;
  for (let i = 0; i < idx.length; i++) {
    const when = nominal(rule, h, at(chain.slot, i));
    const after = i > 0 ? at(days, idx[i - 1] as number) : Number.NEGATIVE_INFINITY;
    const before = i < idx.length - 1 ? at(days, idx[i + 1] as number) : Number.POSITIVE_INFINITY;
    let pick = idx[i] as number;
    let pickApart = apart(pick, i);
    for (
      let j = lowerBound(days, when - rule.window);
      j < rows.length && at(days, j) <= when + rule.window;
      j++
    ) {
      if (used[j] || at(days, j) <= after || at(days, j) >= before) continue;
      const a = apart(j, i);
      if (a < pickApart) {
        pick = j;
        pickApart = a;
      }
    }
    if (pick === idx[i]) continue;
    used[idx[i] as number] = 0;
    used[pick] = 1;
    idx[i] = pick;
    changed = true;
  }
  if (!changed) return chain;
  const out = new Chain(rule, days, idx[0] as number);
  for (let i = 1; i < idx.length; i++) out.add(idx[i] as number, at(chain.slot, i) - chain.firstSlot);
  return out;
}

/**
 * Joins a series to one that begins where it ends (at its next slot, or the one after) at an
 * amount within MERGE_AMOUNT_RATIO of its last: a price change larger than one step allows. Both
 * need MERGE_MIN_SIDE occurrences: two one-offs of like amount a month apart are common at a
 * shop, and at 1.6 times a subscription's price would otherwise join it.
 */
function mergeChanges(group: Group, rule: CadenceRule, grown: Chain[]): Chain[] {
  const { rows, days } = group;
  // In order of first row, a series only absorbs later ones, each at most once: one pass.
  const chains = grown.slice().sort((a, b) => a.first - b.first);
  const starts = chains.map((c) => at(days, c.first));
  const dead = new Uint8Array(chains.length);
  chains.forEach((a, i) => {
    if (dead[i] || a.idx.length < MERGE_MIN_SIDE) return;
    for (let grown = true; grown; ) {
      grown = false;
      const lastAmount = (rows[a.last] as RecurringInput).amount;
      for (let k = 1; k <= rule.maxSkip + 1 && !grown; k++) {
        const { low, high } = a.bounds(a.lastSlot + k);
        let pick = -1;
        let pickRatio = MERGE_AMOUNT_RATIO;
        for (let j = lowerBound(starts, low - rule.window); j < chains.length; j++) {
          if (at(starts, j) > high + rule.window) break;
          const c = chains[j] as Chain;
          if (dead[j] || j === i || c.first <= a.last || c.idx.length < MERGE_MIN_SIDE) continue;
          if (!a.admits(at(starts, j), a.lastSlot + k)) continue;
          const r = ratio((rows[c.first] as RecurringInput).amount, lastAmount);
          if (r <= pickRatio) {
            pick = j;
            pickRatio = r;
          }
        }
        if (pick < 0) continue;
        a.absorb(chains[pick] as Chain, k);
        dead[pick] = 1;
        grown = true;
      }
    }
  });
  return chains.filter((_, i) => !dead[i]);
}

interface Scored {
  chain: Chain;
  cadence: RecurringCadence;
  rule: CadenceRule;
  factors: ConfidenceFactors;
  confidence: number;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** The confidence factors of a series, or undefined when it fails a hard rule. */
function score(group: Group, cadence: RecurringCadence, rule: CadenceRule, chain: Chain): Scored | undefined {
  const { rows, days } = group;
  const n = chain.idx.length;
  if (n < rule.minOccurrences) return undefined;
  const slots = chain.lastSlot - chain.firstSlot + 1;
  const coverage = n / slots;
  if (coverage < MIN_COVERAGE) return undefined;
  const amounts = chain.idx.map((i) => (rows[i] as RecurringInput).amount);
  const low = Math.min(...amounts);
  const high = Math.max(...amounts);
  if (n === 2 && high / low > PAIR_AMOUNT_RATIO) return undefined;

  const h = chain.fit();
  let regular = 0;
  for (let i = 0; i < n; i++)
    regular += onTime(rule, Math.abs(at(days, at(chain.idx, i)) - nominal(rule, h, at(chain.slot, i))));
  const regularity = regular / n;

  let steady = 0;
  let widest = EXCLUSIVITY_BAND;
  for (let i = 1; i < n; i++) {
    const step = ratio(at(amounts, i), at(amounts, i - 1));
    steady += Math.max(0, 1 - Math.log(step) / LN_STEP);
    widest = Math.max(widest, step);
  }
  const amountStability = steady / (n - 1);

  // Like-amount rows near the schedule's dates that are not the series: the more there are, the
  // likelier the series is a habit's chance alignment (a coffee shop visited every few days).
  // Counted in the windows, and expected from the merchant's rate of like amounts over its whole
  // history, whichever is more: with two or three occurrences the windows alone say little.
  // A like amount is one the series could have stepped to: its own range, widened by its largest
  // step (at least EXCLUSIVITY_BAND), so a series picked out of a shop's varied amounts meets the
  // rest of them.
  const bandLow = low / widest;
  const bandHigh = high * widest;
  const inBand = (j: number) => {
    const a = (rows[j] as RecurringInput).amount;
    return a >= bandLow && a <= bandHigh;
  };
  const mine = new Set(chain.idx);
  let seen = 0;
  for (let s = chain.firstSlot; s <= chain.lastSlot; s++) {
    const when = nominal(rule, h, s);
    for (
      let j = lowerBound(days, when - rule.window);
      j < rows.length && at(days, j) <= when + rule.window;
      j++
    )
      if (!mine.has(j) && inBand(j)) seen++;
  }
  const like = upperBound(group.sortedAmounts, bandHigh) - lowerBound(group.sortedAmounts, bandLow);
  const span = Math.max(1, at(days, rows.length - 1) - at(days, 0) + 1);
  const expected = ((like - n) / span) * (2 * rule.window + 1) * slots;
  const exclusivity = n / (n + Math.max(seen, expected));
  if (exclusivity < MIN_EXCLUSIVITY) return undefined;

  const evidence = 1 - 0.5 ** (n - rule.minOccurrences + 1);
  const factors = {
    evidence: round2(evidence),
    coverage: round2(coverage),
    regularity: round2(regularity),
    amountStability: round2(amountStability),
    exclusivity: round2(exclusivity),
  };
  const confidence = round2(evidence * coverage * regularity * amountStability * exclusivity);
  return { chain, cadence, rule, factors, confidence };
}

const WEEKDAYS: readonly Weekday[] = ["TH", "FR", "SA", "SU", "MO", "TU", "WE"]; // 1970-01-01 was a Thursday

/**
 * The fitted schedule in the recurring templates' terms, starting at `slot` (the next date due):
 * a template made from it posts nothing the history already has. The 31st is the month's last day
 * (-1); the 29th and 30th fall back to a shorter month's last day, as the templates' `last-day`.
 */
function scheduleOf(rule: CadenceRule, h: Hypothesis, slot: number): SuggestedSchedule {
  const start = nominal(rule, h, slot);
  const startDate = dateOf(start);
  const schedule =
    rule.unit === "day"
      ? normaliseSchedule({
          frequency: "weekly",
          interval: rule.step / 7,
          startDate,
          byWeekday: [WEEKDAYS[((start % 7) + 7) % 7] as Weekday],
        })
      : normaliseSchedule({
          frequency: rule.step === 12 ? "yearly" : "monthly",
          interval: rule.step === 12 ? 1 : rule.step,
          startDate,
          byMonthDay: h.dom === 31 ? -1 : h.dom,
          ...(rule.step === 12 ? { byMonth: Number(startDate.slice(5, 7)) } : {}),
          shortMonths: "last-day",
        });
  return { ...schedule, rrule: formatRrule(schedule) };
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : Math.round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}

/**
 * FNV-1a, 64 bits, as 16 hex digits: a key that stays the same for the same inputs on every
 * machine, with no I/O (core runs in the browser too). Not a secret: it names a suggestion.
 */
export function suggestionKey(parts: readonly string[]): string {
  let h = 0xcbf29ce484222325n;
  const bytes = new TextEncoder().encode(parts.join("\u0000"));
  for (const b of bytes) h = BigInt.asUintN(64, (h ^ BigInt(b)) * 0x100000001b3n);
  return h.toString(16).padStart(16, "0");
}

function suggestion(group: Group, s: Scored, today: number, ordinal: number): RecurringSuggestion {
  const { rows, days } = group;
  const { chain, rule } = s;
  const h = chain.fit();
  const evidenceRows = chain.idx.map((i) => rows[i] as RecurringInput);
  const latest = evidenceRows[evidenceRows.length - 1] as RecurringInput;
  const amounts = evidenceRows.map((r) => r.amount).sort((a, b) => a - b);
  const lastDay = days[chain.last] as number;
  const active = today - lastDay <= Math.ceil(ACTIVE_PERIODS * rule.periodDays);
  // The next slot: a date just past, within the window, is still due (a charge posts a few days
  // late); for an ended series, the one after its last.
  let slot = chain.lastSlot + 1;
  if (active) while (nominal(rule, h, slot) < today - rule.window) slot++;
  const nextExpected = active ? dateOf(nominal(rule, h, slot)) : null;
  return {
    key: suggestionKey([
      group.kind,
      group.accountId,
      group.merchantKey,
      s.cadence,
      ...(ordinal > 0 ? [String(ordinal + 1)] : []),
    ]),
    kind: group.kind,
    merchant: latest.merchant || group.merchantKey,
    merchantKey: group.merchantKey,
    accountId: group.accountId,
    categoryId: latest.categoryId,
    cadence: s.cadence,
    typicalAmount: median(amounts),
    lastAmount: latest.amount,
    amountRange: { min: amounts[0] as number, max: amounts[amounts.length - 1] as number },
    occurrences: chain.idx.length,
    missed: chain.lastSlot - chain.firstSlot + 1 - chain.idx.length,
    firstSeen: (evidenceRows[0] as RecurringInput).date,
    lastSeen: latest.date,
    nextExpected,
    active,
    confidence: s.confidence,
    confidenceFactors: s.factors,
    schedule: scheduleOf(rule, h, slot),
    evidence: evidenceRows.map((r) => ({ transactionId: r.transactionId, date: r.date, amount: r.amount })),
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The recurring series in `transactions` as of `today` (`YYYY-MM-DD`; later rows are left out):
 * expenses and income with a merchant, grouped by kind, account and merchant key. Inactive series
 * (not seen within 1.5 periods) are returned flagged `active: false`, not dropped: the caller
 * decides whether to show them. Ordered active first, then by confidence.
 */
export function detectRecurring(
  transactions: readonly RecurringInput[],
  today: string,
  options: DetectOptions = {},
): RecurringSuggestion[] {
  const kinds = new Set<string>(options.kinds ?? ["expense", "income"]);
  const cadences = options.cadences ?? CADENCES;
  const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
  const todayDay = dayNumber(today);

  const groups = new Map<string, Group>();
  for (const t of transactions) {
    if (!kinds.has(t.type) || !t.merchantKey || !(t.amount > 0) || !DATE.test(t.date) || t.date > today)
      continue;
    const id = `${t.type}\u0000${t.accountId}\u0000${t.merchantKey}`;
    let g = groups.get(id);
    if (!g) {
      g = {
        kind: t.type as SuggestionKind,
        accountId: t.accountId,
        merchantKey: t.merchantKey,
        rows: [],
        days: [],
        sortedAmounts: [],
      };
      groups.set(id, g);
    }
    g.rows.push(t);
  }

  const out: RecurringSuggestion[] = [];
  for (const group of groups.values()) {
    const minimum = Math.min(...cadences.map((c) => CADENCE_RULES[c].minOccurrences));
    if (group.rows.length < minimum) continue;
    group.rows.sort((a, b) =>
      a.date < b.date ? -1 : a.date > b.date ? 1 : a.transactionId < b.transactionId ? -1 : 1,
    );
    group.days = group.rows.map((r) => dayNumber(r.date));
    group.sortedAmounts = group.rows.map((r) => r.amount).sort((a, b) => a - b);

    // The same rows may fit several cadences: a weekly charge is also two interleaved fortnightly
    // ones, and nearly monthly every fourth week; a monthly one with two like one-offs between can
    // pass for fortnightly. The series that explains more rows, more surely (occurrences times
    // confidence), takes them, the shorter cadence on a tie; one that shares rows with a series
    // already kept is scored again without them.
    const found: Scored[] = [];
    for (const cadence of cadences) {
      const rule = CADENCE_RULES[cadence];
      for (const chain of growChains(group, rule)) {
        const s = score(group, cadence, rule, chain);
        if (s && s.confidence >= minConfidence) found.push(s);
      }
    }
    found.sort(
      (a, b) =>
        b.chain.idx.length * b.confidence - a.chain.idx.length * a.confidence ||
        a.rule.periodDays - b.rule.periodDays ||
        a.chain.first - b.chain.first,
    );
    const taken = new Uint8Array(group.rows.length);
    const kept: Scored[] = [];
    for (const candidate of found) {
      let s: Scored | undefined = candidate;
      if (candidate.chain.idx.some((i) => taken[i])) {
        const rest = candidate.chain.without(taken);
        s = rest && score(group, candidate.cadence, candidate.rule, rest);
        if (!s || s.confidence < minConfidence) continue;
      }
      for (const i of s.chain.idx) taken[i] = 1;
      kept.push(s);
    }
    // Two series of one merchant, account and cadence (two plans at one provider): the older one
    // keeps the plain key, so a second plan that starts later does not change the first one's.
    kept.sort((a, b) => a.chain.first - b.chain.first);
    const seen = new Map<RecurringCadence, number>();
    for (const s of kept) {
      const ordinal = seen.get(s.cadence) ?? 0;
      seen.set(s.cadence, ordinal + 1);
      out.push(suggestion(group, s, todayDay, ordinal));
    }
  }
  return out.sort(
    (a, b) =>
      Number(b.active) - Number(a.active) ||
      b.confidence - a.confidence ||
      b.typicalAmount - a.typicalAmount ||
      a.merchantKey.localeCompare(b.merchantKey) ||
      a.key.localeCompare(b.key),
  );
}
