import { daysInMonth, occurrencesBetween } from "@tyche/core";
import type { Recurring, RecurringKind } from "@tyche/types";
import { money, plural } from "../../ui/format";

export interface Occurrence {
  template: Recurring;
  date: string;
}

export interface KindTotals {
  currency: string;
  expense: number;
  income: number;
  transfer: number;
  count: number;
}

const pad = (n: number) => String(n).padStart(2, "0");

export const firstDay = (month: string) => `${month}-01`;
export const lastDay = (month: string) => `${month}-${pad(daysInMonth(month))}`;

/**
 * A month's occurrences of the active templates, posted or not, by date then name: what the
 * budget counts as committed, read from each template's rule with core's own expansion (the code
 * the API runs), so past and future months alike. Paused templates have none.
 */
export function occurrencesIn(templates: readonly Recurring[], month: string): Occurrence[] {
  const from = firstDay(month);
  const to = lastDay(month);
  const out: Occurrence[] = [];
  for (const t of templates) {
    if (t.status !== "active") continue;
    for (const date of occurrencesBetween(t.schedule.rrule, from, to)) out.push({ template: t, date });
  }
  return out.sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      a.template.name.localeCompare(b.template.name) ||
      a.template.recurringId.localeCompare(b.template.recurringId),
  );
}

/** Sums per currency, each kind apart (amounts in two currencies are never added). */
export function totalsOf(items: readonly { amount: number; kind: RecurringKind; currency: string }[]) {
  const by = new Map<string, KindTotals>();
  for (const o of items) {
    const t = by.get(o.currency) ?? { currency: o.currency, expense: 0, income: 0, transfer: 0, count: 0 };
    t[o.kind] += o.amount;
    t.count += 1;
    by.set(o.currency, t);
  }
  return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** "$1,515.99 in 3 bills, $200.00 in 1 transfer, $3,000.00 of income". */
export function totalWords(t: KindTotals, counts: Record<RecurringKind, number>): string {
  const parts: string[] = [];
  if (counts.expense || (!counts.transfer && !counts.income))
    parts.push(`${money(t.expense, t.currency)} in ${plural(counts.expense, "bill")}`);
  if (counts.transfer)
    parts.push(`${money(t.transfer, t.currency)} in ${plural(counts.transfer, "transfer")}`);
  if (counts.income) parts.push(`${money(t.income, t.currency)} of income`);
  return parts.join(", ");
}

/** How many occurrences of each kind, per currency. */
export function kindCounts(items: readonly { kind: RecurringKind; currency: string }[], currency: string) {
  const counts: Record<RecurringKind, number> = { expense: 0, income: 0, transfer: 0 };
  for (const o of items) if (o.currency === currency) counts[o.kind] += 1;
  return counts;
}
