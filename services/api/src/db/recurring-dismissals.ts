import { SuggestionDismissal } from "@tyche/types";
import { z } from "zod";
import { Entity } from "./entity";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import type { Store } from "./store";
import type { WriteOp } from "./transact";

/** A dismissal as stored: what was dismissed, so a list of them can name it, and a version to delete by. */
export const StoredDismissal = SuggestionDismissal.extend({ version: z.number().int().min(1) });
export type StoredDismissal = z.infer<typeof StoredDismissal>;

/**
 * Dismissed recurring suggestions (`RECURRING_DISMISSED#<key>` in tyche-budgets). Their prefix
 * is not `RECURRING#`, so a query of the recurring templates never meets them.
 */
export class RecurringDismissalRepository {
  private readonly dismissals: Entity<StoredDismissal>;

  constructor(store: Store) {
    this.dismissals = new Entity(store, {
      name: "recurringDismissal",
      table: "budgets",
      schema: StoredDismissal,
      key: (o, d) => keys.recurringDismissed(o, d.key),
    });
  }

  list(owner: Owner): Promise<StoredDismissal[]> {
    return this.dismissals.query(ownerKey(owner), prefixes.recurringDismissed);
  }

  /** Strongly consistent: for deciding a write. */
  latest(owner: Owner, key: string): Promise<StoredDismissal | undefined> {
    return this.dismissals.latest(keys.recurringDismissed(owner, key));
  }

  createOp(owner: Owner, dismissal: StoredDismissal, onExists: () => Error): WriteOp {
    return this.dismissals.createOp(owner, dismissal, onExists);
  }

  deleteOp(owner: Owner, current: StoredDismissal): WriteOp {
    return this.dismissals.deleteOp(owner, current);
  }
}
