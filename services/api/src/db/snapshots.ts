import { FinancialSnapshot } from "@tyche/types";
import { isFailure } from "../errors";
import { Entity } from "./entity";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import { queryRange } from "./query";
import type { Store } from "./store";
import { type WriteOp, writeOne } from "./transact";

/** Monthly debt snapshots (`SNAPSHOT#<YYYY-MM>` in tyche-financial-snapshots). */
export class SnapshotRepository {
  private readonly snapshots: Entity<FinancialSnapshot>;

  constructor(private readonly store: Store) {
    this.snapshots = new Entity(store, {
      name: "financialSnapshot",
      table: "financialSnapshots",
      schema: FinancialSnapshot,
      key: (o, s) => keys.snapshot(o, s.month),
    });
  }

  /** The stored snapshots of `from` to `to`, oldest first. */
  async range(owner: Owner, from: string, to: string): Promise<FinancialSnapshot[]> {
    const out: FinancialSnapshot[] = [];
    for await (const item of queryRange(this.store.db, {
      table: this.snapshots.table,
      pk: ownerKey(owner),
      low: `${prefixes.snapshot}${from}`,
      high: `${prefixes.snapshot}${to}`,
    })) {
      out.push(this.snapshots.parse(item));
    }
    return out;
  }

  /**
   * Keeps a closed month's snapshot once: written only where there is none, or where the one there
   * was taken while the month was still open. A lost race leaves the other writer's, which was
   * computed from the same closed month.
   */
  async keepClosed(owner: Owner, snapshot: FinancialSnapshot): Promise<void> {
    const op: WriteOp = {
      item: {
        Put: {
          TableName: this.snapshots.table,
          Item: this.snapshots.item(owner, snapshot),
          ConditionExpression: "attribute_not_exists(PK) OR closed = :open",
          ExpressionAttributeValues: { ":open": false },
        },
      },
    };
    try {
      await writeOne(this.store.db, op);
    } catch (err) {
      if (!isFailure(err, "conflict")) throw err;
    }
  }

  /** A snapshot taken on demand replaces the month's. */
  async put(owner: Owner, snapshot: FinancialSnapshot): Promise<void> {
    await writeOne(this.store.db, {
      item: { Put: { TableName: this.snapshots.table, Item: this.snapshots.item(owner, snapshot) } },
    });
  }
}
