import type { Options as RRuleOptions, Weekday as RRuleWeekday } from "rrule";
import * as rrulePackage from "rrule";

/**
 * Schedules of recurring bills as RFC 5545 recurrence rules, on calendar dates only.
 *
 * A bill is due on a day, not at an instant, so every date here is a plain `YYYY-MM-DD`: rules are
 * expanded by `rrule` from a DTSTART at 00:00 UTC with no time zone, and each occurrence is read
 * back as its UTC date. No local time zone or daylight-saving change can move a bill to another
 * day. The rule text is the source of truth; the structured `Schedule` is its reading.
 */

// Node loads rrule's CommonJS build, whose exports sit under `default`; bundlers load its ES build.
const { RRule } = (rrulePackage as unknown as { default?: typeof rrulePackage }).default ?? rrulePackage;

export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type Frequency = "weekly" | "monthly" | "yearly";

/** The highest INTERVAL and COUNT accepted: far beyond any bill, small enough to expand quickly. */
export const MAX_INTERVAL = 99;
export const MAX_COUNT = 1000;

/** A schedule as read from its rule, every choice explicit. */
export interface Schedule {
  frequency: Frequency;
  /** Every `interval` weeks, months or years. */
  interval: number;
  /** The first day an occurrence may fall on (DTSTART). The first occurrence is the first date on or after it that fits. */
  startDate: string;
  /** The last day an occurrence may fall on (UNTIL), or null. */
  endDate: string | null;
  /** How many occurrences there are in all, counted from the start (COUNT), or null. */
  count: number | null;
  /** Monthly and yearly: the day of the month, 1 to 31, or -1 for its last day; null with `byWeekday`. */
  byMonthDay: number | null;
  /**
   * Weekly: the days of the week (`["MO", "TH"]`). Monthly and yearly: one weekday of the month
   * with its position, such as `"1MO"` (the first Monday) or `"-1FR"` (the last Friday).
   */
  byWeekday: string[] | null;
  /** Yearly: the month, 1 to 12. */
  byMonth: number | null;
  /**
   * A `byMonthDay` of 29, 30 or 31 in a month that has no such day: its last day instead
   * (`last-day`, how bills are charged), or no occurrence that month (`skip`, RFC 5545's reading
   * of a plain BYMONTHDAY).
   */
  shortMonths: "last-day" | "skip";
}

/** What a person writes: the frequency and start; the rest defaults from the start date. */
export interface ScheduleInput {
  frequency: Frequency;
  interval?: number | undefined;
  startDate: string;
  endDate?: string | null | undefined;
  count?: number | null | undefined;
  byMonthDay?: number | null | undefined;
  byWeekday?: readonly string[] | null | undefined;
  byMonth?: number | null | undefined;
  shortMonths?: "last-day" | "skip" | undefined;
}

/** A schedule that cannot be: `field` names the part at fault (a field of the structured form, or `rrule`). */
export class RecurrenceError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function utc(date: string): Date {
  const m = DATE.exec(date);
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!d || d.toISOString().slice(0, 10) !== date) throw new RangeError(`not a date as YYYY-MM-DD: ${date}`);
  return d;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** The date `days` after (or before) `date`. */
export function addDays(date: string, days: number): string {
  return isoDate(new Date(utc(date).getTime() + days * DAY_MS));
}

/** Whole days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: string, b: string): number {
  return Math.round((utc(b).getTime() - utc(a).getTime()) / DAY_MS);
}

const weekdayOf = (date: string): Weekday => WEEKDAYS[(utc(date).getUTCDay() + 6) % 7] as Weekday;

/** A weekday with an optional position: `MO`, `1MO`, `-1FR`, `+2TU`. */
const WEEKDAY_TOKEN = /^([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$/;

/** The most days a month ever has (February: 29). */
const MAX_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The full schedule from what a person wrote: a monthly rule falls on the start date's day unless
 * told otherwise, a yearly one on its day and month, a weekly one on its weekday. Inconsistent
 * combinations are refused naming the field.
 */
export function normaliseSchedule(input: ScheduleInput): Schedule {
  const { frequency, startDate } = input;
  try {
    utc(startDate);
  } catch {
    throw new RecurrenceError("startDate", "must be a date as YYYY-MM-DD");
  }
  const interval = input.interval ?? 1;
  if (!Number.isInteger(interval) || interval < 1 || interval > MAX_INTERVAL)
    throw new RecurrenceError("interval", `must be a whole number from 1 to ${MAX_INTERVAL}`);
  const endDate = input.endDate ?? null;
  const count = input.count ?? null;
  if (endDate !== null && count !== null)
    throw new RecurrenceError("count", "cannot be given together with endDate (RFC 5545: UNTIL or COUNT)");
  if (endDate !== null && endDate < startDate)
    throw new RecurrenceError("endDate", "must not be before startDate");
  if (count !== null && (!Number.isInteger(count) || count < 1 || count > MAX_COUNT))
    throw new RecurrenceError("count", `must be a whole number from 1 to ${MAX_COUNT}`);

  const [, startMonth, startDay] = startDate.split("-").map(Number) as [number, number, number];
  let byMonthDay = input.byMonthDay ?? null;
  let byWeekday = input.byWeekday ? [...input.byWeekday] : null;
  let byMonth = input.byMonth ?? null;
  if (
    byMonthDay !== null &&
    !(Number.isInteger(byMonthDay) && ((byMonthDay >= 1 && byMonthDay <= 31) || byMonthDay === -1))
  )
    throw new RecurrenceError(
      "byMonthDay",
      "must be a day from 1 to 31, or -1 for the last day of the month",
    );
  if (byWeekday !== null) {
    if (!byWeekday.length) throw new RecurrenceError("byWeekday", "must name at least one weekday");
    for (const w of byWeekday)
      if (!WEEKDAY_TOKEN.test(w))
        throw new RecurrenceError(
          "byWeekday",
          `has ${JSON.stringify(w)}: use MO to SU, with a position such as 1MO or -1FR`,
        );
  }

  if (frequency === "weekly") {
    if (byMonthDay !== null) throw new RecurrenceError("byMonthDay", "is for monthly and yearly schedules");
    if (byMonth !== null) throw new RecurrenceError("byMonth", "is for yearly schedules");
    byWeekday ??= [weekdayOf(startDate)];
    if (byWeekday.some((w) => !(WEEKDAYS as readonly string[]).includes(w)))
      throw new RecurrenceError(
        "byWeekday",
        "of a weekly schedule takes weekdays without a position (MO to SU)",
      );
    byWeekday = WEEKDAYS.filter((w) => byWeekday?.includes(w));
  } else {
    if (frequency === "monthly" && byMonth !== null)
      throw new RecurrenceError("byMonth", "is for yearly schedules");
    if (frequency === "yearly") byMonth ??= startMonth;
    if (byMonth !== null && !(Number.isInteger(byMonth) && byMonth >= 1 && byMonth <= 12))
      throw new RecurrenceError("byMonth", "must be a month from 1 to 12");
    if (byWeekday !== null) {
      if (byMonthDay !== null)
        throw new RecurrenceError("byWeekday", "cannot be given together with byMonthDay");
      const [only] = byWeekday;
      if (byWeekday.length !== 1 || !only || !/^[+-]?[1-5]/.test(only))
        throw new RecurrenceError(
          "byWeekday",
          "of a monthly or yearly schedule is one weekday with its position, such as 1MO (first Monday) or -1FR (last Friday)",
        );
      byWeekday = [only.replace(/^\+/, "")];
    } else {
      byMonthDay ??= startDay;
    }
  }
  const clamps = byMonthDay !== null && byMonthDay >= 29;
  const shortMonths = clamps ? (input.shortMonths ?? "last-day") : "last-day";
  if (input.shortMonths === "skip" && !clamps)
    throw new RecurrenceError("shortMonths", "only applies to a byMonthDay of 29, 30 or 31");
  // A day the month never has, not falling back to its last day, would never come.
  if (
    shortMonths === "skip" &&
    byMonth !== null &&
    byMonthDay !== null &&
    byMonthDay > (MAX_DAYS[byMonth - 1] as number)
  )
    throw new RecurrenceError("byMonthDay", `never falls in month ${byMonth}`);
  return { frequency, interval, startDate, endDate, count, byMonthDay, byWeekday, byMonth, shortMonths };
}

const compact = (date: string) => date.replaceAll("-", "");

/**
 * BYMONTHDAY as the rule has it. A day of 29 to 31 that falls back to a shorter month's last day
 * is the standard idiom: every day from 28 up to it, the last of those the month has (BYSETPOS=-1).
 */
function monthDays(s: Schedule): { days: number[]; lastOfThem: boolean } | undefined {
  if (s.byMonthDay === null) return undefined;
  if (s.byMonthDay < 29 || s.shortMonths !== "last-day") return { days: [s.byMonthDay], lastOfThem: false };
  const days: number[] = [];
  for (let d = 28; d <= s.byMonthDay; d++) days.push(d);
  return { days, lastOfThem: true };
}

/**
 * The schedule as RFC 5545 text, in one canonical form: `DTSTART;VALUE=DATE:<start>` and an RRULE
 * line. A day of 29 to 31 that falls back to a shorter month's last day is
 * `BYMONTHDAY=28,29,30,31;BYSETPOS=-1` (`monthDays`).
 */
export function formatRrule(s: Schedule): string {
  const parts = [`FREQ=${s.frequency.toUpperCase()}`];
  if (s.interval !== 1) parts.push(`INTERVAL=${s.interval}`);
  if (s.byMonth !== null) parts.push(`BYMONTH=${s.byMonth}`);
  const byMonthDay = monthDays(s);
  if (byMonthDay) {
    parts.push(`BYMONTHDAY=${byMonthDay.days.join(",")}`);
    if (byMonthDay.lastOfThem) parts.push("BYSETPOS=-1");
  }
  if (s.byWeekday) parts.push(`BYDAY=${s.byWeekday.join(",")}`);
  if (s.endDate !== null) parts.push(`UNTIL=${compact(s.endDate)}`);
  if (s.count !== null) parts.push(`COUNT=${s.count}`);
  return `DTSTART;VALUE=DATE:${compact(s.startDate)}\nRRULE:${parts.join(";")}`;
}

/** `YYYYMMDD`, optionally followed by a time (`T090000`, `T000000Z`): the date is what counts. */
function dateOfValue(value: string, what: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(value.trim());
  const date = m ? `${m[1]}-${m[2]}-${m[3]}` : "";
  try {
    utc(date);
  } catch {
    throw new RecurrenceError("rrule", `has a ${what} that is not a date: ${JSON.stringify(value)}`);
  }
  if (date < "1970-01-01" || date > "2999-12-31")
    throw new RecurrenceError("rrule", `has a ${what} outside 1970 to 2999`);
  return date;
}

const KNOWN_PARTS = new Set([
  "FREQ",
  "INTERVAL",
  "COUNT",
  "UNTIL",
  "BYMONTHDAY",
  "BYDAY",
  "BYMONTH",
  "BYSETPOS",
  "WKST",
]);

/**
 * Reads RFC 5545 text: an optional DTSTART line (a date, or a date-time whose date is taken) and an
 * RRULE line (`RRULE:` may be left out). Without DTSTART, `startDate` gives the start; given both,
 * they must agree. Only what a bill's schedule needs is accepted: weekly, monthly or yearly, an
 * interval, UNTIL or COUNT, and the BYMONTHDAY, BYDAY and BYMONTH that `Schedule` describes.
 */
export function parseRrule(text: string, startDate?: string): Schedule {
  let start: string | undefined;
  let rule: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const upper = line.toUpperCase();
    if (upper.startsWith("DTSTART")) {
      if (start !== undefined) throw new RecurrenceError("rrule", "has more than one DTSTART");
      const colon = line.lastIndexOf(":");
      if (colon < 0) throw new RecurrenceError("rrule", "has a DTSTART without a value");
      start = dateOfValue(line.slice(colon + 1), "DTSTART");
    } else if (upper.startsWith("RRULE:") || upper.startsWith("FREQ=")) {
      if (rule !== undefined) throw new RecurrenceError("rrule", "has more than one RRULE");
      rule = upper.startsWith("RRULE:") ? line.slice(6) : line;
    } else {
      throw new RecurrenceError(
        "rrule",
        `has a line Tyche does not take: ${JSON.stringify(line.slice(0, 40))}`,
      );
    }
  }
  if (rule === undefined) throw new RecurrenceError("rrule", "has no RRULE");
  if (start !== undefined && startDate !== undefined && start !== startDate)
    throw new RecurrenceError("startDate", `is ${startDate}, but the rule's DTSTART is ${start}`);
  start ??= startDate;
  if (start === undefined) throw new RecurrenceError("startDate", "is required when the rule has no DTSTART");

  const parts = new Map<string, string>();
  for (const piece of rule.split(";")) {
    if (!piece.trim()) continue;
    const eq = piece.indexOf("=");
    const name = (eq < 0 ? piece : piece.slice(0, eq)).trim().toUpperCase();
    const value =
      eq < 0
        ? ""
        : piece
            .slice(eq + 1)
            .trim()
            .toUpperCase();
    if (!KNOWN_PARTS.has(name)) throw new RecurrenceError("rrule", `has ${name}, which Tyche does not take`);
    if (parts.has(name)) throw new RecurrenceError("rrule", `has ${name} twice`);
    parts.set(name, value);
  }
  const freq = parts.get("FREQ");
  if (freq !== "WEEKLY" && freq !== "MONTHLY" && freq !== "YEARLY")
    throw new RecurrenceError("rrule", "must have FREQ=WEEKLY, MONTHLY or YEARLY");
  if ((parts.get("WKST") ?? "MO") !== "MO")
    throw new RecurrenceError("rrule", "takes weeks that start on Monday (WKST=MO) only");
  const integer = (name: string, min: number, max: number): number | undefined => {
    const v = parts.get(name);
    if (v === undefined) return undefined;
    if (!/^[+-]?\d+$/.test(v) || Number(v) < min || Number(v) > max)
      throw new RecurrenceError("rrule", `has ${name}=${v}: must be a whole number from ${min} to ${max}`);
    return Number(v);
  };
  const interval = integer("INTERVAL", 1, MAX_INTERVAL);
  const count = integer("COUNT", 1, MAX_COUNT);
  const byMonth = integer("BYMONTH", 1, 12);
  const until = parts.get("UNTIL");
  const setPos = parts.get("BYSETPOS");

  let byMonthDay: number | undefined;
  let shortMonths: "last-day" | "skip" | undefined;
  const days = parts.get("BYMONTHDAY");
  if (days !== undefined) {
    const list = days.split(",").map((d) => d.trim());
    if (list.some((d) => !/^-?\d+$/.test(d))) throw new RecurrenceError("rrule", `has BYMONTHDAY=${days}`);
    const nums = list.map(Number);
    const idiom = nums.length > 1 && nums[0] === 28 && nums.every((d, i) => d === 28 + i) && setPos === "-1";
    if (idiom) {
      byMonthDay = nums[nums.length - 1];
      if ((byMonthDay as number) > 31) throw new RecurrenceError("rrule", `has BYMONTHDAY=${days}`);
      shortMonths = "last-day";
    } else if (nums.length === 1) {
      byMonthDay = nums[0];
      if ((byMonthDay as number) >= 29) shortMonths = "skip";
    } else {
      throw new RecurrenceError(
        "rrule",
        "takes one BYMONTHDAY, or 28,29[,30[,31]] with BYSETPOS=-1 for a day that falls back to a shorter month's last day",
      );
    }
  }
  if (setPos !== undefined && shortMonths !== "last-day")
    throw new RecurrenceError("rrule", "takes BYSETPOS only as BYSETPOS=-1 after BYMONTHDAY=28,29,...");
  const byDay = parts.get("BYDAY");
  try {
    return normaliseSchedule({
      frequency: freq.toLowerCase() as Frequency,
      interval,
      startDate: start,
      endDate: until === undefined ? null : dateOfValue(until, "UNTIL"),
      count,
      byMonthDay,
      byWeekday: byDay === undefined ? undefined : byDay.split(",").map((d) => d.trim()),
      byMonth,
      shortMonths,
    });
  } catch (err) {
    // The text has no fields of its own: whatever part is wrong, it is the rule that is.
    if (err instanceof RecurrenceError && err.field !== "startDate")
      throw new RecurrenceError("rrule", err.message);
    throw err;
  }
}

const RRULE_DAYS: Record<Weekday, RRuleWeekday> = {
  MO: RRule.MO,
  TU: RRule.TU,
  WE: RRule.WE,
  TH: RRule.TH,
  FR: RRule.FR,
  SA: RRule.SA,
  SU: RRule.SU,
};

function toRRule(s: Schedule) {
  const options: Partial<RRuleOptions> = {
    freq: s.frequency === "weekly" ? RRule.WEEKLY : s.frequency === "monthly" ? RRule.MONTHLY : RRule.YEARLY,
    interval: s.interval,
    dtstart: utc(s.startDate),
    wkst: RRule.MO,
  };
  if (s.endDate !== null) options.until = utc(s.endDate);
  if (s.count !== null) options.count = s.count;
  if (s.byMonth !== null) options.bymonth = [s.byMonth];
  const byMonthDay = monthDays(s);
  if (byMonthDay) {
    options.bymonthday = byMonthDay.days;
    if (byMonthDay.lastOfThem) options.bysetpos = [-1];
  }
  if (s.byWeekday) {
    options.byweekday = s.byWeekday.map((token) => {
      const [, n, day] = WEEKDAY_TOKEN.exec(token) as RegExpExecArray;
      const weekday = RRULE_DAYS[day as Weekday];
      return n ? weekday.nth(Number(n)) : weekday;
    });
  }
  return new RRule(options);
}

/** The schedule of a stored rule, or of a structured input. */
export type ScheduleLike = Schedule | string;
const scheduleOf = (s: ScheduleLike): Schedule => (typeof s === "string" ? parseRrule(s) : s);

/** Every occurrence from `from` to `to`, both included, oldest first. */
export function occurrencesBetween(schedule: ScheduleLike, from: string, to: string): string[] {
  if (from > to) return [];
  const s = scheduleOf(schedule);
  const low = from > s.startDate ? from : s.startDate;
  const high = s.endDate !== null && s.endDate < to ? s.endDate : to;
  if (low > high) return [];
  return toRRule(s).between(utc(low), utc(high), true).map(isoDate);
}

/** The first occurrence on or after `date`, or null when the schedule has ended. */
export function nextOccurrence(schedule: ScheduleLike, date: string): string | null {
  const s = scheduleOf(schedule);
  if (s.endDate !== null && s.endDate < date) return null;
  const next = toRRule(s).after(utc(date < s.startDate ? s.startDate : date), true);
  return next ? isoDate(next) : null;
}
