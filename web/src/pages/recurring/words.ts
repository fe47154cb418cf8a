import type { Recurring, RecurringCadence, RecurringKind, Schedule } from "@tyche/types";
import { fullDate } from "../../ui/format";

export const WEEKDAY_TOKENS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type WeekdayToken = (typeof WEEKDAY_TOKENS)[number];

/** 2024-01-01 was a Monday: the weekdays in order from there. */
const weekdayDate = (token: string) =>
  new Date(Date.UTC(2024, 0, 1 + Math.max(0, WEEKDAY_TOKENS.indexOf(token as WeekdayToken))));

/** A weekday's name in the reader's language: "MO" → "Monday" (`short`: "Mon"). */
export const weekdayName = (token: string, width: "long" | "short" = "long") =>
  new Intl.DateTimeFormat(navigator.language, { weekday: width, timeZone: "UTC" }).format(weekdayDate(token));

/** A month's name: 3 → "March". */
export const monthName = (month: number) =>
  new Intl.DateTimeFormat(navigator.language, { month: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(2000, month - 1, 1)),
  );

/** A day of a month without its year: (3, 15) → "15 March" or "March 15", as the reader writes it. */
export const dayAndMonth = (month: number, day: number) =>
  new Intl.DateTimeFormat(navigator.language, { day: "numeric", month: "long", timeZone: "UTC" }).format(
    // 2000 was a leap year: February 29 can be said.
    new Date(Date.UTC(2000, month - 1, day)),
  );

const ORDINAL_SUFFIX: Record<string, string> = { one: "st", two: "nd", few: "rd", other: "th" };
const ordinalRules = new Intl.PluralRules("en-US", { type: "ordinal" });
/** 1 → "1st", 22 → "22nd", 13 → "13th". */
export const ordinal = (n: number) => `${n}${ORDINAL_SUFFIX[ordinalRules.select(n)] ?? "th"}`;

export const POSITIONS = [
  { value: "1", label: "First" },
  { value: "2", label: "Second" },
  { value: "3", label: "Third" },
  { value: "4", label: "Fourth" },
  { value: "-1", label: "Last" },
] as const;

const positionWord = (n: string) =>
  (POSITIONS.find((p) => p.value === n.replace("+", ""))?.label ?? `${n}th`).toLowerCase();

/** "Monday", "Monday and Thursday", "Monday, Wednesday and Friday". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

/** "2MO" → "the second Monday". */
function positionedWeekday(token: string): string {
  const m = /^([+-]?\d)?([A-Z]{2})$/.exec(token);
  if (!m) return token;
  return m[1] ? `the ${positionWord(m[1])} ${weekdayName(m[2] ?? "")}` : weekdayName(m[2] ?? "");
}

type ScheduleFields = Pick<
  Schedule,
  "frequency" | "interval" | "byMonthDay" | "byWeekday" | "byMonth" | "shortMonths" | "endDate" | "count"
>;

/**
 * A schedule in words: "Monthly on the 1st", "Every 2 weeks on Friday", "Last day of each month",
 * "Yearly on 15 March", with its end when it has one.
 */
export function scheduleWords(s: ScheduleFields): string {
  const n = s.interval;
  let words: string;
  if (s.frequency === "weekly") {
    const days = listWords((s.byWeekday ?? []).map((d) => weekdayName(d)));
    words = n === 1 ? `Weekly on ${days}` : `Every ${n} weeks on ${days}`;
  } else if (s.frequency === "monthly") {
    if (s.byMonthDay === -1) words = n === 1 ? "Last day of each month" : `Last day of every ${n} months`;
    else {
      const on = s.byWeekday?.[0]
        ? positionedWeekday(s.byWeekday[0])
        : `the ${ordinal(s.byMonthDay ?? 1)}${shortMonthWords(s)}`;
      words = n === 1 ? `Monthly on ${on}` : `Every ${n} months on ${on}`;
    }
  } else {
    const month = s.byMonth ?? 1;
    const on =
      s.byMonthDay === -1
        ? `the last day of ${monthName(month)}`
        : s.byWeekday?.[0]
          ? `${positionedWeekday(s.byWeekday[0])} of ${monthName(month)}`
          : `${dayAndMonth(month, s.byMonthDay ?? 1)}${
              month === 2 && s.byMonthDay === 29
                ? s.shortMonths === "skip"
                  ? " (leap years only)"
                  : " (28 February in other years)"
                : ""
            }`;
    words = n === 1 ? `Yearly on ${on}` : `Every ${n} years on ${on}`;
  }
  if (s.endDate) words += `, until ${fullDate(s.endDate)}`;
  else if (s.count) words += `, ${s.count} times in all`;
  return words;
}

function shortMonthWords(s: ScheduleFields): string {
  if (s.byMonthDay === null || s.byMonthDay < 29) return "";
  return s.shortMonths === "skip" ? " (none in shorter months)" : " (or the month's last day)";
}

export const KIND_LABELS: Record<RecurringKind, string> = {
  expense: "Expense",
  income: "Income",
  transfer: "Transfer",
};

/** When a template comes next, in words. */
export function nextWords(t: Pick<Recurring, "status" | "nextOccurrence">): string {
  if (t.status === "paused") return "None while paused";
  return t.nextOccurrence ? fullDate(t.nextOccurrence) : "None: the schedule has ended";
}

/** Whether a template posts by itself or only reminds. */
export const autoPostWords = (autoPost: boolean) =>
  autoPost ? "Posted by itself when due" : "A reminder only: you record it";

/** How often a suggestion recurs, in words. */
export const cadenceWords = (cadence: RecurringCadence) =>
  ({
    weekly: "Every week",
    biweekly: "Every 2 weeks",
    monthly: "Every month",
    quarterly: "Every 3 months",
    yearly: "Every year",
  })[cadence];

/** A suggestion's confidence (0 to 1) in words, so that no number has to be read to know it. */
export function confidenceWords(confidence: number): string {
  if (confidence >= 0.8) return "Very likely recurring";
  if (confidence >= 0.6) return "Likely recurring";
  return "Possibly recurring";
}
