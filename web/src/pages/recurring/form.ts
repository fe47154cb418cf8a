import { normaliseSchedule, RecurrenceError } from "@tyche/core";
import {
  type Recurring,
  RecurringCreate,
  type RecurringCreateParsed,
  type RecurringKind,
  type RecurringSuggestionItem,
  type RecurringUpdate,
  type Schedule,
  type ScheduleInput,
} from "@tyche/types";
import { type Checked, issuesByField } from "../../ui/checked";
import { centsToInput, parseMoney, today } from "../../ui/format";
import { WEEKDAY_TOKENS } from "./words";

export type Frequency = "weekly" | "monthly" | "yearly";
/** Which day of the month (or of the year's month) a monthly or yearly bill falls on. */
export type MonthlyOn = "day" | "last" | "weekday";

/** A bill as typed: every field text, so what is typed is kept as it is. */
export interface BillDraft {
  name: string;
  amount: string;
  kind: RecurringKind;
  accountId: string;
  toAccountId: string;
  /** "" for none: rules and the merchant's history choose when it is posted. */
  categoryId: string;
  merchant: string;
  frequency: Frequency;
  interval: string;
  on: MonthlyOn;
  /** The day of the month, 1 to 31 (`on: "day"`). */
  monthDay: string;
  /** The weekday's position in the month, "1" to "4" or "-1" (`on: "weekday"`). */
  position: string;
  weekday: string;
  /** Weekly: the days of the week. */
  weekdays: string[];
  /** Yearly: the month, "1" to "12". */
  month: string;
  startDate: string;
  endDate: string;
  /** Kept from a template made with a count of occurrences (the form has no field for it). */
  count: number | null;
  autoPost: boolean;
  matchTolerance: string;
}

const weekdayOf = (date: string) =>
  WEEKDAY_TOKENS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7] as string;

/** A new bill: monthly on today's day, from today, posted by itself. */
export function blankBill(accountId = ""): BillDraft {
  const start = today();
  return {
    name: "",
    amount: "",
    kind: "expense",
    accountId,
    toAccountId: "",
    categoryId: "",
    merchant: "",
    frequency: "monthly",
    interval: "1",
    on: "day",
    monthDay: String(Number(start.slice(8, 10))),
    position: "1",
    weekday: weekdayOf(start),
    weekdays: [weekdayOf(start)],
    month: String(Number(start.slice(5, 7))),
    startDate: start,
    endDate: "",
    count: null,
    autoPost: true,
    matchTolerance: "0.00",
  };
}

/** A schedule (a template's, or a suggestion's in the same terms) as the form's fields. */
function scheduleDraft(s: Schedule, blank: BillDraft) {
  const positioned = s.frequency !== "weekly" ? s.byWeekday?.[0] : undefined;
  const m = positioned ? /^([+-]?\d)([A-Z]{2})$/.exec(positioned) : null;
  return {
    frequency: s.frequency,
    interval: String(s.interval),
    on: (s.byMonthDay === -1 ? "last" : m ? "weekday" : "day") as MonthlyOn,
    monthDay: s.byMonthDay !== null && s.byMonthDay > 0 ? String(s.byMonthDay) : blank.monthDay,
    position: m?.[1]?.replace("+", "") ?? "1",
    weekday: m?.[2] ?? blank.weekday,
    weekdays: s.frequency === "weekly" ? (s.byWeekday ?? []) : blank.weekdays,
    month: s.byMonth !== null ? String(s.byMonth) : blank.month,
    startDate: s.startDate,
    endDate: s.endDate ?? "",
    count: s.endDate ? null : s.count,
  };
}

/** A template as the form shows it. */
export function draftOf(t: Recurring): BillDraft {
  const blank = blankBill(t.accountId);
  return {
    ...blank,
    name: t.name,
    amount: centsToInput(t.amount, t.currency),
    kind: t.kind,
    accountId: t.accountId,
    toAccountId: t.toAccountId ?? "",
    categoryId: t.categoryId ?? "",
    merchant: t.merchant ?? "",
    ...scheduleDraft(t.schedule, blank),
    autoPost: t.autoPost,
    matchTolerance: centsToInput(t.matchTolerance, t.currency),
  };
}

const whole = (text: string) => (/^\s*\d{1,3}\s*$/.test(text) ? Number(text) : undefined);

/** The schedule the draft describes, in the API's structured form (its own defaults left to it). */
export function scheduleOf(d: BillDraft): ScheduleInput {
  const base: ScheduleInput = {
    frequency: d.frequency,
    interval: whole(d.interval) ?? Number.NaN,
    startDate: d.startDate,
    ...(d.endDate ? { endDate: d.endDate } : d.count ? { count: d.count } : {}),
  };
  if (d.frequency === "weekly")
    return { ...base, byWeekday: WEEKDAY_TOKENS.filter((w) => d.weekdays.includes(w)) };
  const on =
    d.on === "last"
      ? { byMonthDay: -1 }
      : d.on === "weekday"
        ? { byWeekday: [`${d.position}${d.weekday}`] }
        : { byMonthDay: whole(d.monthDay) ?? Number.NaN };
  return { ...base, ...on, ...(d.frequency === "yearly" ? { byMonth: Number(d.month) } : {}) };
}

/**
 * The draft as the API's create body, checked with the API's own schema and core's reading of the
 * schedule (the same code the API runs); problems are keyed by the API's field paths.
 */
export function checkBill(d: BillDraft, currency: string): Checked<RecurringCreateParsed> {
  const problems: Record<string, string> = {};
  const amount = parseMoney(d.amount, currency);
  if (amount === undefined) problems.amount = "must be an amount such as 12.50";
  const tolerance = d.matchTolerance.trim() === "" ? 0 : parseMoney(d.matchTolerance, currency);
  if (tolerance === undefined || tolerance < 0) problems.matchTolerance = "must be an amount such as 1.00";
  const interval = whole(d.interval);
  if (interval === undefined || interval < 1 || interval > 99)
    problems["schedule.interval"] = "must be a whole number from 1 to 99";
  if (d.frequency === "weekly" && d.weekdays.length === 0)
    problems["schedule.byWeekday"] = "choose at least one day of the week";
  if (d.frequency !== "weekly" && d.on === "day") {
    const day = whole(d.monthDay);
    if (day === undefined || day < 1 || day > 31)
      problems["schedule.byMonthDay"] = "must be a day from 1 to 31";
  }
  if (!d.accountId) problems.accountId = "choose an account";
  if (d.kind === "transfer") {
    if (!d.toAccountId) problems.toAccountId = "choose the account the money goes to";
    else if (d.toAccountId === d.accountId)
      problems.toAccountId = "must be another account than the one the money leaves";
  }
  if (d.endDate && d.startDate && d.endDate < d.startDate)
    problems["schedule.endDate"] = "must not be before the start date";

  const schedule = scheduleOf(d);
  const result = RecurringCreate.safeParse({
    name: d.name,
    amount: amount ?? 1,
    kind: d.kind,
    accountId: d.accountId,
    ...(d.kind === "transfer" && d.toAccountId ? { toAccountId: d.toAccountId } : {}),
    categoryId: d.kind !== "transfer" && d.categoryId ? d.categoryId : null,
    merchant: d.merchant.trim() ? d.merchant : null,
    schedule,
    autoPost: d.autoPost,
    matchTolerance: tolerance ?? 0,
  });
  const all = { ...(result.success ? {} : issuesByField(result.error.issues)), ...problems };
  if (!all["schedule.startDate"] && !/^\d{4}-\d{2}-\d{2}$/.test(d.startDate))
    all["schedule.startDate"] = "must be a date";
  // What zod cannot see (a weekday with a day of the month, a day a month never has): core's own reading.
  if (result.success && Object.keys(all).length === 0) {
    try {
      normaliseSchedule({ ...result.data.schedule, frequency: d.frequency, startDate: d.startDate });
    } catch (err) {
      if (!(err instanceof RecurrenceError)) throw err;
      all[`schedule.${err.field}`] = err.message;
    }
  }
  if (!result.success || Object.keys(all).length > 0) return { ok: false, problems: all };
  return { ok: true, value: result.data };
}

/** What an edit changes, as the API's update body; the schedule only when it changed. */
export function patchOf(t: Recurring, value: RecurringCreateParsed, draft: BillDraft): RecurringUpdate {
  const scheduleChanged = JSON.stringify(scheduleOf(draftOf(t))) !== JSON.stringify(scheduleOf(draft));
  return {
    name: value.name,
    amount: value.amount,
    kind: value.kind,
    accountId: value.accountId,
    toAccountId: value.kind === "transfer" ? (value.toAccountId ?? null) : null,
    categoryId: value.categoryId ?? null,
    merchant: value.merchant ?? null,
    autoPost: value.autoPost,
    matchTolerance: value.matchTolerance,
    ...(scheduleChanged ? { schedule: value.schedule } : {}),
  };
}

/** The API's paths the form has a field for; any other error is said under the form. */
export const BILL_FIELDS = [
  "name",
  "amount",
  "kind",
  "accountId",
  "toAccountId",
  "categoryId",
  "merchant",
  "schedule.frequency",
  "schedule.interval",
  "schedule.byMonthDay",
  "schedule.byWeekday",
  "schedule.byMonth",
  "schedule.startDate",
  "schedule.endDate",
  "autoPost",
  "matchTolerance",
] as const;

/**
 * A new bill from a suggestion: its merchant, its latest amount (after a price change, what comes
 * next), account, category, and the schedule that fits its dates, which starts at the next date
 * due (so nothing already in the history is posted again); the amounts' spread as the tolerance.
 */
export function draftOfSuggestion(s: RecurringSuggestionItem, currency: string): BillDraft {
  const blank = blankBill(s.accountId);
  return {
    ...blank,
    name: s.merchant,
    merchant: s.merchant,
    amount: centsToInput(s.lastAmount, currency),
    kind: s.kind,
    categoryId: s.categoryId ?? "",
    ...scheduleDraft(s.schedule, blank),
    matchTolerance: centsToInput(s.amountRange.max - s.amountRange.min, currency),
  };
}
