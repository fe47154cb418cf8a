import { mulDivHalfUp } from "./arithmetic";
import type { PayoffCard } from "./types";

/** Twelve months × 10,000 basis points: APR in basis points to a monthly fraction. */
const MONTHLY_APR_DIVISOR = 120_000;
const BASIS_POINTS = 10_000;

/** The APR of a month: the promotional one up to and including its `until`, then the regular one. */
export function aprFor(card: PayoffCard, month: string): number {
  return card.promo && month <= card.promo.until ? card.promo.aprBasisPoints : card.aprBasisPoints;
}

/** A month's interest: balance × APR / 12, rounded half-up to the cent. */
export function monthlyInterest(balance: number, aprBasisPoints: number): number {
  return mulDivHalfUp(balance, aprBasisPoints, MONTHLY_APR_DIVISOR);
}

/**
 * The month's minimum on a balance that has already accrued `interest`, capped at the balance:
 * a fixed amount, or max(floor, round-half-up(balance × percent) [+ interest]).
 */
export function minimumPayment(card: PayoffCard, balance: number, interest: number): number {
  const rule = card.minimum;
  let due: number;
  if (rule.kind === "fixed") due = rule.amount;
  else {
    const share = mulDivHalfUp(balance, rule.percentBasisPoints, BASIS_POINTS);
    due = Math.max(rule.floor, share + (rule.plusInterest ? interest : 0));
  }
  return Math.min(due, balance);
}
