import type { PayoffStrategy } from "./types";

/** What the ordering knows of a card in the month, once interest and minimums are in. */
export interface OrderingState {
  cardId: string;
  /** Index in the input: custom order's fallback. */
  index: number;
  /** The month's APR (promotional while it lasts). */
  apr: number;
  /** Owed after the month's interest and minimum. */
  balance: number;
  /** Interest accrued this month. */
  interest: number;
}

const byId = (a: OrderingState, b: OrderingState) => (a.cardId < b.cardId ? -1 : a.cardId > b.cardId ? 1 : 0);

/**
 * Sorts the month's cards into the order extra money reaches them:
 * - avalanche: highest APR first; ties: smaller balance, then cardId;
 * - snowball: smallest balance first; ties: higher APR, then cardId;
 * - highest-interest: most interest accrued this month first; ties: cardId;
 * - custom: `rank` (from customOrder; unlisted cards after, in input order).
 * Recomputed every month, because promotions end and balances move.
 */
export function orderCards(
  states: OrderingState[],
  strategy: PayoffStrategy,
  rank: ReadonlyMap<string, number>,
): OrderingState[] {
  switch (strategy) {
    case "avalanche":
      return states.sort((a, b) => b.apr - a.apr || a.balance - b.balance || byId(a, b));
    case "snowball":
      return states.sort((a, b) => a.balance - b.balance || b.apr - a.apr || byId(a, b));
    case "highest-interest":
      return states.sort((a, b) => b.interest - a.interest || byId(a, b));
    case "custom":
      return states.sort((a, b) => (rank.get(a.cardId) ?? 0) - (rank.get(b.cardId) ?? 0));
    case "minimum-only":
      return states;
  }
}

/** Each card's place for `custom`: its place in customOrder, else after all of them in input order. */
export function customRank(
  cardIds: readonly string[],
  order: readonly string[] | undefined,
): Map<string, number> {
  const rank = new Map<string, number>();
  (order ?? []).forEach((id, i) => {
    rank.set(id, i);
  });
  cardIds.forEach((id, i) => {
    if (!rank.has(id)) rank.set(id, (order?.length ?? 0) + i);
  });
  return rank;
}
