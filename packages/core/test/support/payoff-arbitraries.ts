import fc from "fast-check";
import { addMonths } from "../../src/month";
import type { PayoffCard, Snowflake } from "../../src/payoff";

/** The first month of every generated plan. */
export const START = "2025-01";

export interface CardShape {
  /** Only fixed minimums (more money under avalanche then never owes more in a month). */
  fixedMinimums?: boolean;
  promos?: boolean;
  /** The largest percentage minimum, in basis points. */
  maxPercentBasisPoints?: number;
}

/**
 * Card `i` of a generated plan: mostly everyday balances and rates, now and then the largest the
 * engine takes. Ids sort against their index, so an id tie-break never agrees with input order.
 */
export function payoffCard(i: number, shape: CardShape = {}): fc.Arbitrary<PayoffCard> {
  const { fixedMinimums = false, promos = true, maxPercentBasisPoints = 500 } = shape;
  const fixed = fc.record({
    kind: fc.constant("fixed" as const),
    amount: fc.integer({ min: 0, max: 20_000 }),
  });
  return fc.record({
    cardId: fc.constant(`card-${String.fromCharCode(100 - i)}`),
    name: fc.constant(`Card ${i}`),
    balance: fc.oneof(
      { weight: 5, arbitrary: fc.integer({ min: 0, max: 2_000_000 }) },
      fc.integer({ min: 0, max: 1e12 }),
    ),
    aprBasisPoints: fc.oneof(
      { weight: 5, arbitrary: fc.integer({ min: 0, max: 3500 }) },
      fc.integer({ min: 0, max: 100_000 }),
    ),
    minimum: fixedMinimums
      ? fixed
      : fc.oneof(
          fixed,
          fc.record({
            kind: fc.constant("percent" as const),
            percentBasisPoints: fc.integer({ min: 0, max: maxPercentBasisPoints }),
            plusInterest: fc.boolean(),
            floor: fc.integer({ min: 0, max: 5000 }),
          }),
        ),
    promo: promos
      ? fc.option(
          fc.record({
            aprBasisPoints: fc.integer({ min: 0, max: 1500 }),
            until: fc.integer({ min: 0, max: 24 }).map((k) => addMonths(START, k)),
          }),
          { nil: undefined },
        )
      : fc.constant(undefined),
  });
}

/** One to `most` cards. */
export const payoffCards = (most: number, shape: CardShape = {}) =>
  fc
    .integer({ min: 1, max: most })
    .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => payoffCard(i, shape))));

/** Up to three one-off payments in the plan's first three years. */
export const snowflakes: fc.Arbitrary<Snowflake[]> = fc.array(
  fc.record({
    month: fc.integer({ min: 0, max: 36 }).map((k) => addMonths(START, k)),
    amount: fc.integer({ min: 0, max: 100_000 }),
  }),
  { maxLength: 3 },
);
