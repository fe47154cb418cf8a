import { addMonths, dayOfMonth, daysInMonth } from "../month";
import { aprFor, minimumPayment, monthlyInterest } from "./card-month";
import type { MinimumRule, PayoffCard } from "./types";

const BASIS_POINTS = 10_000;

/** A card's terms as the API keeps them: the promotion ends on a date, not a month. */
export interface CardTermsInput {
  aprBasisPoints: number;
  creditLimit: number;
  dueDay: number;
  minimum: MinimumRule;
  promo: { aprBasisPoints: number; until: string } | null;
}

export interface CardStatus {
  currentAprBasisPoints: number;
  monthlyInterest: number;
  minimumDue: number;
  utilisationBasisPoints: number | null;
  availableCredit: number | null;
  nextDueDate: string;
}

/**
 * The last month a promotion ending on `until` (`YYYY-MM-DD`) covers: a month accrues at the
 * promotional rate only when the promotion lasts to its last day, so a rate ending mid-month
 * leaves that month at the regular APR. Null when it covers no month from `fromMonth` on.
 */
export function promoLastMonth(until: string, fromMonth?: string): string | null {
  const month = until.slice(0, 7);
  const last = until === dayOfMonth(month, daysInMonth(month)) ? month : addMonths(month, -1);
  return fromMonth !== undefined && last < fromMonth ? null : last;
}

/** The card as the payoff engine takes it, owing `balance` (at least 0) from `month` on. */
export function toPayoffCard(
  cardId: string,
  name: string,
  balance: number,
  terms: CardTermsInput,
  month: string,
): PayoffCard {
  const promoUntil = terms.promo ? promoLastMonth(terms.promo.until, month) : null;
  return {
    cardId,
    name,
    balance: Math.max(0, balance),
    aprBasisPoints: terms.aprBasisPoints,
    minimum: terms.minimum,
    ...(terms.promo && promoUntil
      ? { promo: { aprBasisPoints: terms.promo.aprBasisPoints, until: promoUntil } }
      : {}),
  };
}

/** The day a payment falls due in `month`: the due day, or the month's last day when it is shorter. */
export function dueDateIn(month: string, dueDay: number): string {
  return dayOfMonth(month, Math.min(dueDay, daysInMonth(month)));
}

/** The first due date on or after `today` (`YYYY-MM-DD`). */
export function nextDueDate(today: string, dueDay: number): string {
  const month = today.slice(0, 7);
  const due = dueDateIn(month, dueDay);
  if (due >= today) return due;
  return dueDateIn(addMonths(month, 1), dueDay);
}

/**
 * What a card owes this month by the payoff convention (docs/PAYOFF.md): the month's interest on
 * the balance at the rate of the month, and the minimum on the balance with that interest, capped
 * at it. A card in credit (balance at or below 0) owes nothing.
 */
export function cardStatus(balance: number, terms: CardTermsInput, today: string): CardStatus {
  const month = today.slice(0, 7);
  const card = toPayoffCard("card", "card", balance, terms, month);
  const apr = aprFor(card, month);
  const owed = Math.max(0, balance);
  const interest = owed > 0 ? monthlyInterest(owed, apr) : 0;
  return {
    currentAprBasisPoints: apr,
    monthlyInterest: interest,
    minimumDue: owed > 0 ? minimumPayment(card, owed + interest, interest) : 0,
    utilisationBasisPoints: utilisation(balance, terms.creditLimit),
    availableCredit: terms.creditLimit > 0 ? terms.creditLimit - balance : null,
    nextDueDate: nextDueDate(today, terms.dueDay),
  };
}

/** Owed over limit in basis points, rounded half-up; null without a limit; 0 when in credit. */
export function utilisation(balance: number, creditLimit: number): number | null {
  if (creditLimit <= 0) return null;
  if (balance <= 0) return 0;
  // Both below 2^53 / 10^4 in practice (limits ≤ 10^12 cents); BigInt keeps it exact regardless.
  const num = BigInt(balance) * BigInt(BASIS_POINTS) * 2n + BigInt(creditLimit);
  return Number(num / (BigInt(creditLimit) * 2n));
}
