import type { RecurringCharge } from "@tyche/types";
import type { z } from "zod";
import { minorUnitDigits } from "../money";
import type { PriorCharge } from "./input";

/** A charge is like another within this share of its amount, or one major unit for small ones. */
export const RECURRING_TOLERANCE_PERCENT = 10;
/** Of the three months before, at least this many must have had a like charge. */
export const RECURRING_MIN_PRIOR_MONTHS = 2;
/** A merchant charged more often than this in the month is a habit (coffee), not a bill. */
export const RECURRING_MAX_CHARGES_IN_MONTH = 2;
/** At most this many are listed, the largest: the stored month stays far below DynamoDB's item size. */
export const RECURRING_LISTED = 50;

export interface MonthCharge {
  transactionId: string;
  date: string;
  merchant: string;
  merchantKey: string;
  amount: number;
  categoryId: string | null;
}

const like = (a: number, b: number, unit: number) =>
  Math.abs(a - b) <= Math.max(Math.round((b * RECURRING_TOLERANCE_PERCENT) / 100), unit);

/**
 * The month's charges that recur: a merchant charged here at most twice, at an amount like one it
 * charged in at least two of the three months before (subscriptions, bills, memberships). One
 * entry per merchant: its charge that most months match, the earliest on a tie; ordered by date.
 */
export function recurringCharges(
  charges: readonly MonthCharge[],
  prior: readonly PriorCharge[],
  currency: string,
): z.infer<typeof RecurringCharge>[] {
  const unit = 10 ** minorUnitDigits(currency);
  // Lists grow in place: copying one on every charge made a month of many charges of a few
  // merchants quadratic (bench/analytics.ts).
  const priorByMerchant = new Map<string, Map<string, number[]>>();
  for (const p of prior) {
    const months = priorByMerchant.get(p.merchantKey) ?? new Map<string, number[]>();
    const amounts = months.get(p.month);
    if (amounts) amounts.push(p.amount);
    else months.set(p.month, [p.amount]);
    priorByMerchant.set(p.merchantKey, months);
  }
  const byMerchant = new Map<string, MonthCharge[]>();
  for (const c of charges) {
    const mine = byMerchant.get(c.merchantKey);
    if (mine) mine.push(c);
    else byMerchant.set(c.merchantKey, [c]);
  }

  const out: z.infer<typeof RecurringCharge>[] = [];
  for (const [key, mine] of byMerchant) {
    const months = priorByMerchant.get(key);
    if (!months || mine.length > RECURRING_MAX_CHARGES_IN_MONTH) continue;
    let best: { charge: MonthCharge; matched: number } | undefined;
    for (const charge of [...mine].sort((a, b) => a.date.localeCompare(b.date))) {
      let matched = 0;
      for (const amounts of months.values()) if (amounts.some((a) => like(charge.amount, a, unit))) matched++;
      if (!best || matched > best.matched) best = { charge, matched };
    }
    if (!best || best.matched < RECURRING_MIN_PRIOR_MONTHS) continue;
    out.push({
      merchant: best.charge.merchant,
      merchantKey: key,
      transactionId: best.charge.transactionId,
      date: best.charge.date,
      amount: best.charge.amount,
      categoryId: best.charge.categoryId,
      monthsSeen: best.matched + 1,
    });
  }
  return out
    .sort((a, b) => b.amount - a.amount || a.merchantKey.localeCompare(b.merchantKey))
    .slice(0, RECURRING_LISTED)
    .sort((a, b) => a.date.localeCompare(b.date) || a.merchant.localeCompare(b.merchant));
}
