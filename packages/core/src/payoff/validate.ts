import type { PayoffInput } from "./types";

/** The largest balance accepted, in cents (ten billion dollars). */
export const MAX_INPUT_BALANCE = 1e12;
/** The highest APR accepted, in basis points (1,000 %). */
export const MAX_APR_BASIS_POINTS = 100_000;
/** The longest horizon accepted, in months (100 years). */
export const MAX_HORIZON_MONTHS = 1_200;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function cents(value: number, what: string, max = Number.MAX_SAFE_INTEGER) {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${what} must be a whole number of cents from 0 to ${max}, not ${value}`);
  }
}

function basisPoints(value: number, what: string) {
  if (!Number.isInteger(value) || value < 0 || value > MAX_APR_BASIS_POINTS) {
    throw new RangeError(
      `${what} must be whole basis points from 0 to ${MAX_APR_BASIS_POINTS}, not ${value}`,
    );
  }
}

function month(value: string, what: string) {
  if (!MONTH.test(value)) throw new RangeError(`${what} must be a YYYY-MM month, not "${value}"`);
}

/** Refuses input the engine's exactness does not cover, naming the field; nothing is clamped. */
export function validatePayoffInput(input: PayoffInput): void {
  month(input.startMonth, "startMonth");
  cents(input.monthlyAmount, "monthlyAmount");
  const horizon = input.horizonMonths;
  if (horizon !== undefined && (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON_MONTHS)) {
    throw new RangeError(
      `horizonMonths must be a whole number from 1 to ${MAX_HORIZON_MONTHS}, not ${horizon}`,
    );
  }
  const ids = new Set<string>();
  for (const card of input.cards) {
    if (ids.has(card.cardId)) throw new RangeError(`card ${card.cardId} is listed twice`);
    ids.add(card.cardId);
    cents(card.balance, `balance of ${card.cardId}`, MAX_INPUT_BALANCE);
    basisPoints(card.aprBasisPoints, `aprBasisPoints of ${card.cardId}`);
    if (card.promo) {
      basisPoints(card.promo.aprBasisPoints, `promo aprBasisPoints of ${card.cardId}`);
      month(card.promo.until, `promo until of ${card.cardId}`);
    }
    const rule = card.minimum;
    if (rule.kind === "fixed") cents(rule.amount, `minimum of ${card.cardId}`);
    else {
      if (
        !Number.isInteger(rule.percentBasisPoints) ||
        rule.percentBasisPoints < 0 ||
        rule.percentBasisPoints > 10_000
      ) {
        throw new RangeError(`minimum percent of ${card.cardId} must be 0 to 10000 basis points`);
      }
      cents(rule.floor, `minimum floor of ${card.cardId}`);
    }
  }
  for (const s of input.snowflakes ?? []) {
    month(s.month, "snowflake month");
    cents(s.amount, `snowflake of ${s.month}`);
  }
  if (input.strategy === "custom" && !input.customOrder)
    throw new RangeError("custom strategy needs a customOrder");
  const listed = new Set<string>();
  for (const id of input.customOrder ?? []) {
    if (!ids.has(id)) throw new RangeError(`customOrder names unknown card ${id}`);
    if (listed.has(id)) throw new RangeError(`customOrder lists ${id} twice`);
    listed.add(id);
  }
}
