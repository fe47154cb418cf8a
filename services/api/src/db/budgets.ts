import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { z } from "zod";
import { Entity } from "./entity";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import { decodeCursor, encodeCursor, sameAs, startKeyRefused } from "./paging";
import type { Store } from "./store";
import type { WriteOp } from "./transact";

/** A month's plan as stored. What was actually spent lives in the month's totals item. */
export const BudgetRecord = z.object({
  month: z.string(),
  currency: z.string(),
  status: z.enum(["active", "archived"]),
  totalIncome: z.number().int(),
  allocations: z.array(z.object({ categoryId: z.string(), limit: z.number().int() })),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type BudgetRecord = z.infer<typeof BudgetRecord>;

/** A budget list's start key: a month's budget item as GSI1 returns it, in the caller's partition. */
function decodeBudgetCursor(cursor: string | undefined, owner: Owner) {
  return decodeCursor(cursor, {
    PK: ownerKey(owner),
    SK: (sk) => sk.startsWith(prefixes.budget) && /^\d{4}-\d{2}$/.test(sk.slice(prefixes.budget.length)),
    GSI1PK: ownerKey(owner),
    GSI1SK: sameAs("SK"),
  });
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export class BudgetRepository {
  private readonly budgets: Entity<BudgetRecord>;

  constructor(private readonly store: Store) {
    this.budgets = new Entity(store, {
      name: "budget",
      table: "budgets",
      schema: BudgetRecord,
      key: (o, b) => keys.budget(o, b.month),
      // GSI1 is sparse: only budget items carry its keys, so the index lists months and nothing else.
      indexKeys: (o, b) => ({ GSI1PK: ownerKey(o), GSI1SK: keys.budget(o, b.month).SK }),
    });
  }

  get(owner: Owner, month: string): Promise<BudgetRecord | undefined> {
    return this.budgets.get(keys.budget(owner, month));
  }

  /** Strongly consistent: for deciding a write. */
  latest(owner: Owner, month: string): Promise<BudgetRecord | undefined> {
    return this.budgets.latest(keys.budget(owner, month));
  }

  createOp(owner: Owner, record: BudgetRecord, onExists: () => Error): WriteOp {
    return this.budgets.createOp(owner, record, onExists);
  }

  /** The new plan, if the stored one is still `current` (and still has `current`'s status). */
  replaceOp(owner: Owner, current: BudgetRecord, next: BudgetRecord): WriteOp {
    return this.budgets.replaceOp(owner, current, next, {
      condition: "#status = :status",
      names: { "#status": "status" },
      values: { ":status": current.status },
    });
  }

  /** The user's months through GSI1, newest first. */
  async list(
    owner: Owner,
    opts: { includeArchived: boolean; limit: number; cursor?: string },
  ): Promise<Page<BudgetRecord>> {
    const items: BudgetRecord[] = [];
    let start: Record<string, unknown> | undefined = decodeBudgetCursor(opts.cursor, owner);
    do {
      const page = await this.store.db
        .send(
          new QueryCommand({
            TableName: this.store.tables.budgets,
            IndexName: "GSI1",
            KeyConditionExpression: "GSI1PK = :pk AND begins_with(GSI1SK, :sk)",
            ...(opts.includeArchived ? {} : { FilterExpression: "#s = :active" }),
            ExpressionAttributeValues: {
              ":pk": ownerKey(owner),
              ":sk": prefixes.budget,
              ...(opts.includeArchived ? {} : { ":active": "active" }),
            },
            ...(opts.includeArchived ? {} : { ExpressionAttributeNames: { "#s": "status" } }),
            ScanIndexForward: false,
            Limit: opts.limit - items.length,
            ExclusiveStartKey: start,
          }),
        )
        .catch(startKeyRefused);
      for (const item of page.Items ?? []) items.push(this.budgets.parse(item));
      start = page.LastEvaluatedKey;
    } while (start && items.length < opts.limit);
    return { items, ...(start ? { nextCursor: encodeCursor(start) } : {}) };
  }
}
