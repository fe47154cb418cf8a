import { CardTerms } from "@tyche/types";
import { z } from "zod";
import { Entity } from "./entity";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import type { Store } from "./store";
import type { WriteOp } from "./transact";

/**
 * A card's terms as stored in tyche-credit-cards, keyed by the id of its credit-card account. What
 * is owed is not here: it is the account's balance, moved by every transaction in that account's
 * own write, so there is one balance and it cannot drift from the ledger.
 */
export const StoredCardTerms = CardTerms.extend({
  cardId: z.string(),
  version: z.number().int().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StoredCardTerms = z.infer<typeof StoredCardTerms>;

export class CardRepository {
  private readonly cards: Entity<StoredCardTerms>;

  constructor(store: Store) {
    this.cards = new Entity(store, {
      name: "cardTerms",
      table: "creditCards",
      schema: StoredCardTerms,
      key: (o, c) => keys.card(o, c.cardId),
    });
  }

  /** Every card's terms of the user, closed cards' too. */
  list(owner: Owner, consistent = false): Promise<StoredCardTerms[]> {
    return this.cards.query(ownerKey(owner), prefixes.card, consistent);
  }

  get(owner: Owner, cardId: string): Promise<StoredCardTerms | undefined> {
    return this.cards.get(keys.card(owner, cardId));
  }

  latest(owner: Owner, cardId: string): Promise<StoredCardTerms | undefined> {
    return this.cards.latest(keys.card(owner, cardId));
  }

  createOp(owner: Owner, terms: StoredCardTerms, onExists?: () => Error): WriteOp {
    return this.cards.createOp(owner, terms, onExists);
  }

  replaceOp(owner: Owner, current: StoredCardTerms, next: StoredCardTerms): WriteOp {
    return this.cards.replaceOp(owner, current, next);
  }

  deleteOp(owner: Owner, current: StoredCardTerms): WriteOp {
    return this.cards.deleteOp(owner, current);
  }
}
