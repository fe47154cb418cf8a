import { dayOfMonth, daysInMonth } from "./month";
import { similarMerchants } from "./reconcile";
import { addDays, daysBetween, nextOccurrence, occurrencesBetween } from "./recurrence";

/**
 * Recurring bills from their templates: which occurrences are due, which are coming, how much of a
 * month they commit, and which recorded transaction is already the same bill. Pure: the caller
 * reads the templates and transactions and writes what follows.
 */

export type RecurringKind = "expense" | "income" | "transfer";

/** The widest matchWindowDays a template may have, as its schema says. */
export { MAX_RECURRING_WINDOW_DAYS } from "@tyche/types";

/** What these computations need of a template. */
export interface RecurringInfo {
  recurringId: string;
  name: string;
  amount: number;
  kind: RecurringKind;
  accountId: string;
  toAccountId: string | null;
  categoryId: string | null;
  merchant: string | null;
  currency: string;
  rrule: string;
  status: "active" | "paused";
  autoPost: boolean;
  /** Every occurrence dated on or before this day is done: posted, found already recorded, or passed over. */
  postedThrough: string;
}

/**
 * The occurrences an active, auto-posting template still has to post by `today`: those after its
 * `postedThrough` and not after today, oldest first.
 */
export function dueOccurrences(t: RecurringInfo, today: string): string[] {
  if (t.status !== "active" || !t.autoPost || t.postedThrough >= today) return [];
  return occurrencesBetween(t.rrule, addDays(t.postedThrough, 1), today);
}

/**
 * The occurrence a template shows as next: the first not done yet that is not in the past (a
 * template that posts may have one due today or earlier that the materialiser has not reached).
 * Null when paused or when the schedule has ended.
 */
export function nextDue(t: RecurringInfo, today: string): string | null {
  if (t.status !== "active") return null;
  const after = addDays(t.postedThrough, 1);
  return nextOccurrence(t.rrule, t.autoPost || after > today ? after : today);
}

/** One occurrence to come, with what it is of its template. */
export interface UpcomingOccurrence extends Omit<RecurringInfo, "rrule" | "status" | "postedThrough"> {
  date: string;
}

export interface UpcomingTotal {
  currency: string;
  /** What leaves the budget: the expenses. */
  expense: number;
  income: number;
  /** Money moved between accounts (card payments among them). */
  transfer: number;
  count: number;
}

/**
 * The occurrences of active templates from `from` to `to` (both included) that are not done yet,
 * by date then name, with their totals per currency, each kind apart.
 */
export function upcoming(
  templates: readonly RecurringInfo[],
  from: string,
  to: string,
): { items: UpcomingOccurrence[]; totals: UpcomingTotal[] } {
  const items: UpcomingOccurrence[] = [];
  for (const t of templates) {
    if (t.status !== "active") continue;
    const start = t.postedThrough >= from ? addDays(t.postedThrough, 1) : from;
    for (const date of occurrencesBetween(t.rrule, start, to)) {
      items.push({
        recurringId: t.recurringId,
        name: t.name,
        date,
        amount: t.amount,
        kind: t.kind,
        accountId: t.accountId,
        toAccountId: t.toAccountId,
        categoryId: t.categoryId,
        merchant: t.merchant,
        currency: t.currency,
        autoPost: t.autoPost,
      });
    }
  }
  items.sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      a.name.localeCompare(b.name) ||
      a.recurringId.localeCompare(b.recurringId),
  );
  const byCurrency = new Map<string, UpcomingTotal>();
  for (const o of items) {
    const total = byCurrency.get(o.currency) ?? {
      currency: o.currency,
      expense: 0,
      income: 0,
      transfer: 0,
      count: 0,
    };
    total[o.kind] += o.amount;
    total.count += 1;
    byCurrency.set(o.currency, total);
  }
  return { items, totals: [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency)) };
}

/**
 * How much of each category a month commits to recurring bills: every occurrence that month of
 * the active expense templates in that category and currency, posted or not. Transfers and income
 * commit no spending.
 */
export function committedByCategory(
  templates: readonly RecurringInfo[],
  month: string,
  currency: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of templates) {
    if (t.status !== "active" || t.kind !== "expense" || !t.categoryId || t.currency !== currency) continue;
    const n = occurrencesBetween(t.rrule, dayOfMonth(month, 1), dayOfMonth(month, daysInMonth(month))).length;
    if (n) out[t.categoryId] = (out[t.categoryId] ?? 0) + n * t.amount;
  }
  return out;
}

/** A recorded transaction as far as recognising a bill in it goes. */
export interface RecordedMovement {
  transactionId: string;
  accountId: string;
  date: string;
  amount: number;
  /** Money into the account (+1) or out of it (-1). */
  direction: 1 | -1;
  merchantKey: string;
  /** Already the occurrence of a template: it cannot be another's. */
  linked: boolean;
}

export interface OccurrenceToFind {
  date: string;
  amount: number;
  /** The account the bill takes money from (or brings it to, for income). */
  accountId: string;
  direction: 1 | -1;
  /** A transfer's other account: the bill may have been recorded from that side (money in). */
  toAccountId: string | null;
  merchantKey: string;
  /** Cents the recorded amount may differ by. */
  tolerance: number;
  windowDays: number;
}

/**
 * The recorded transaction that is already this occurrence, if any: in its account (or, for a
 * transfer, the other account, money in), the same direction, the amount within the tolerance and
 * the date within the window, not yet any template's occurrence nor in `claimed`. A similar
 * merchant first, then the nearest date, then the nearest amount.
 */
export function findRecorded(
  o: OccurrenceToFind,
  recorded: readonly RecordedMovement[],
  claimed: ReadonlySet<string> = new Set(),
): RecordedMovement | undefined {
  const fits = (r: RecordedMovement) =>
    (r.accountId === o.accountId && r.direction === o.direction) ||
    (o.toAccountId !== null && r.accountId === o.toAccountId && r.direction === 1);
  const scored = recorded
    .filter(
      (r) =>
        !r.linked &&
        !claimed.has(r.transactionId) &&
        fits(r) &&
        Math.abs(r.amount - o.amount) <= o.tolerance &&
        Math.abs(daysBetween(o.date, r.date)) <= o.windowDays,
    )
    .map((r) => ({
      r,
      merchant: similarMerchants(o.merchantKey, r.merchantKey) ? 0 : 1,
      days: Math.abs(daysBetween(o.date, r.date)),
      cents: Math.abs(r.amount - o.amount),
    }))
    .sort(
      (a, b) =>
        a.merchant - b.merchant ||
        a.days - b.days ||
        a.cents - b.cents ||
        a.r.transactionId.localeCompare(b.r.transactionId),
    );
  return scored[0]?.r;
}
