import { monthIndex } from "../month";
import { aprFor, monthlyInterest } from "./card-month";
import { planPayoff } from "./plan";
import type { PayoffInput, PayoffStrategy } from "./types";
import { MAX_HORIZON_MONTHS, validatePayoffInput } from "./validate";

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * The least monthly amount, in cents, with which planPayoff gets debt-free by `targetMonth`
 * (its debtFreeMonth at or before it). 0 when nothing is owed, whatever the target; null when the
 * target is before startMonth. The input's horizonMonths is not used: each plan is cut at the
 * target, and at MAX_HORIZON_MONTHS for a target further out, since no plan runs longer.
 *
 * A binary search over cents. Paying every card's balance and first month's interest in month
 * one always clears them, so that sum U is an upper bound. It runs ⌈log2(U + 1)⌉ plans plus one
 * to confirm U (21 for ten thousand dollars owed, 42 for one card at the largest balance and APR
 * accepted), each at most (target − start + 1) months long.
 *
 * The search finds the least amount because with avalanche, snowball and custom the debt-free
 * month does not get later as the amount grows (the property tests check it on random plans).
 * With highest-interest it can: the order follows each month's
 * interest in cents, so a cent more can tip a tie towards a large low-rate balance and leave the
 * high-rate one to accrue a month longer. Then the answer still meets the target and a cent less
 * does not, but a smaller amount may meet it too, and a larger one may miss it.
 */
export function requiredMonthly(
  input: Omit<PayoffInput, "monthlyAmount" | "strategy"> & {
    strategy: Exclude<PayoffStrategy, "minimum-only">;
  },
  targetMonth: string,
): number | null {
  if (!MONTH.test(targetMonth))
    throw new RangeError(`targetMonth must be a YYYY-MM month, not "${targetMonth}"`);
  const base: PayoffInput = { ...input, monthlyAmount: 0 };
  validatePayoffInput(base);
  if (input.cards.every((c) => c.balance === 0)) return 0;
  const months = monthIndex(targetMonth) - monthIndex(input.startMonth) + 1;
  if (months < 1) return null;
  const horizonMonths = Math.min(months, MAX_HORIZON_MONTHS);

  const meets = (monthlyAmount: number) => {
    const plan = planPayoff({ ...base, monthlyAmount, horizonMonths });
    return plan.end === "debt-free" && plan.debtFreeMonth !== null && plan.debtFreeMonth <= targetMonth;
  };

  let upper = 0;
  for (const c of input.cards) upper += c.balance + monthlyInterest(c.balance, aprFor(c, input.startMonth));
  // Cannot miss (see above); checked rather than assumed, so a wrong bound is null, not a wrong answer.
  if (!meets(upper)) return null;
  // lo is known to miss the target (−1 standing for "below any amount"), hi to meet it.
  let lo = -1;
  let hi = upper;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (meets(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
