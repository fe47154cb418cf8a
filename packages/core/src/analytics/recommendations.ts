import type { CategoryAnalytics, Recommendation } from "@tyche/types";
import { formatCents, minorUnitDigits } from "../money";

/** A discretionary category is "above its history" past this rise over its average... */
export const HISTORY_RISE_PERCENT = 20;
/** ...and by at least this many major units (10 dollars), so noise makes no advice. */
export const HISTORY_MIN_UNITS = 10;
/** Overspending smaller than one major unit is rounding, not advice. */
export const OVER_BUDGET_MIN_UNITS = 1;

export interface MonthProgress {
  currency: string;
  daysInMonth: number;
  /** Days of the month the figures cover: 0 before it starts, daysInMonth once it is over. */
  daysElapsed: number;
  /** False for a month without a plan: its limits of 0 are no limits, so nothing is over them. */
  planned: boolean;
}

/**
 * What a category will have spent by the month's end at its pace so far: the room it can give
 * away is what its limit leaves after that, not what is unspent on the 5th.
 */
export function projectedSpending(
  spent: number,
  p: Pick<MonthProgress, "daysInMonth" | "daysElapsed">,
): number {
  if (spent <= 0 || p.daysElapsed <= 0 || p.daysElapsed >= p.daysInMonth) return spent;
  return Math.ceil((spent * p.daysInMonth) / p.daysElapsed);
}

/**
 * Concrete, explained changes that free money for the cards (docs/ANALYTICS.md):
 *
 * 1. over-budget: in a planned month, a category outside the debt group spent more than its
 *    limit. The overspending is covered by moving limit from essential or discretionary categories
 *    that will not use theirs at their pace (the most room first), one `reallocate` per donor. What no room covers
 *    becomes a `cut` when the category is discretionary (essentials are not cut by a rule).
 * 2. above-history: a discretionary category within its limit spent more than its average of
 *    the months before, by over 20 % and at least 10 major units: a `cut` back to the average.
 *
 * The largest first; `potentialSavings` adds the amounts up.
 */
export function recommend(categories: readonly CategoryAnalytics[], p: MonthProgress): Recommendation[] {
  const unit = 10 ** minorUnitDigits(p.currency);
  const money = (cents: number) => formatCents(cents, p.currency);
  const out: Recommendation[] = [];

  const room = new Map<string, number>();
  for (const c of categories) {
    if ((c.group !== "essential" && c.group !== "discretionary") || c.budgeted <= 0) continue;
    // Refunds beyond its spending free no more than the whole limit: a limit cannot go below 0.
    const free = c.budgeted - Math.max(0, projectedSpending(c.spent, p));
    if (free > 0) room.set(c.categoryId, free);
  }
  const byId = new Map(categories.map((c) => [c.categoryId, c]));

  const over = categories
    .filter((c) => p.planned && c.group !== "debt" && c.spent - c.budgeted >= OVER_BUDGET_MIN_UNITS * unit)
    .sort((a, b) => b.spent - b.budgeted - (a.spent - a.budgeted) || a.name.localeCompare(b.name));
  for (const c of over) {
    room.delete(c.categoryId);
    let need = c.spent - c.budgeted;
    const overBy = `${c.name} is ${money(need)} over its ${money(c.budgeted)} limit`;
    while (need > 0) {
      const donor = [...room].sort(
        ([a, x], [b, y]) => y - x || (byId.get(a)?.name ?? "").localeCompare(byId.get(b)?.name ?? ""),
      )[0];
      if (!donor) break;
      const [fromId, free] = donor;
      const amount = Math.min(need, free);
      const from = byId.get(fromId) as CategoryAnalytics;
      out.push({
        categoryId: c.categoryId,
        action: "reallocate",
        amount,
        fromCategoryId: fromId,
        rule: "over-budget",
        reason:
          `${overBy}; at its pace ${from.name} will leave ${money(free)} of its limit unused. ` +
          `Moving ${money(amount)} of that limit to ${c.name} covers the overspending, instead of it coming out of the money for your cards.`,
      });
      need -= amount;
      if (free > amount) room.set(fromId, free - amount);
      else room.delete(fromId);
    }
    if (need > 0 && c.group === "discretionary") {
      out.push({
        categoryId: c.categoryId,
        action: "cut",
        amount: need,
        rule: "over-budget",
        reason:
          `${overBy}, and no other category has room to cover ${money(need)}. ` +
          `Spending that much less on ${c.name} brings it back to its limit and the money back to your cards.`,
      });
    }
  }

  const flagged = new Set(over.map((c) => c.categoryId));
  for (const c of categories) {
    const average = c.threeMonthAverage.average;
    if (c.group !== "discretionary" || flagged.has(c.categoryId) || average === null || average <= 0)
      continue;
    const rise = c.spent - average;
    if (rise * 100 <= average * HISTORY_RISE_PERCENT || rise < HISTORY_MIN_UNITS * unit) continue;
    const months = c.threeMonthAverage.months;
    out.push({
      categoryId: c.categoryId,
      action: "cut",
      amount: rise,
      rule: "above-history",
      reason:
        `${c.name} has spent ${money(c.spent)} this month against an average of ${money(average)} ` +
        `over the ${months === 1 ? "month" : `${months} months`} before. ` +
        `Back at its average, ${money(rise)} more goes to your cards.`,
    });
  }

  return out.sort((a, b) => b.amount - a.amount || a.categoryId.localeCompare(b.categoryId));
}
