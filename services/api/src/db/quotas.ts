import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { conflict, contention, DomainError } from "../errors";
import { type Owner, ownerKey, prefixes } from "./keys";
import type { Store } from "./store";
import type { TableKey } from "./tables";
import type { WriteOp } from "./transact";

/**
 * How many of each thing one user may keep. Generous for a person's own books (a household has a
 * dozen accounts and a few dozen categories), small enough that one user cannot make every list
 * they load, and every write that reads one, slow for themselves or costly for the service.
 */
export const LIMITS = {
  rules: 200,
  categories: 200,
  /** Cards are accounts (`credit-card`), so they count here too. */
  accounts: 100,
  /** Live ones: a revoked or expired token frees its place. */
  tokens: 25,
} as const;
export type QuotaKind = keyof typeof LIMITS;

const WORDS: Record<QuotaKind, string> = {
  rules: "rules",
  categories: "categories (archived ones included)",
  accounts: "accounts (cards and closed accounts included)",
  tokens: "live personal access tokens",
};

/** What one kind counts: its items under the owner, in which table, and which of them are live. */
const COUNTED: Record<
  QuotaKind,
  {
    table: TableKey;
    prefix: string;
    live?: (now: string) => { expression: string; values: Record<string, unknown> };
  }
> = {
  rules: { table: "budgets", prefix: prefixes.rule },
  categories: { table: "budgets", prefix: prefixes.category },
  accounts: { table: "budgets", prefix: prefixes.account },
  tokens: {
    table: "users",
    prefix: prefixes.token,
    live: (now) => ({
      expression: "attribute_not_exists(revokedAt) AND (attribute_not_exists(expiresAt) OR expiresAt > :now)",
      values: { ":now": now },
    }),
  },
};

/** A counter's item: beside the owner's categories and rules in tyche-budgets, `QUOTA#<kind>`. */
const counterKey = (owner: Owner, kind: QuotaKind) => ({ PK: ownerKey(owner), SK: `QUOTA#${kind}` });

/** The counter was missing or at the limit when a create meant to take a place: count, then decide. */
class RecountNeeded extends Error {}

export const limitReached = (kind: QuotaKind) =>
  conflict(
    `You have ${LIMITS[kind]} ${WORDS[kind]}, the most one user may keep (limit ${kind}: ${LIMITS[kind]}); delete one first`,
    "limit-reached",
    "Limit reached",
  );

/**
 * Per-user caps, held under concurrency by a counter item that every create moves in its own
 * DynamoDB transaction, on the condition that it stays under the limit: two creates racing for
 * the last place cannot both land, as the transaction that loses finds the counter moved. Deletes
 * move it back in theirs.
 *
 * A user from before the caps has no counter; nor is the counter moved by everything that makes
 * such items (sign-up's starter kit, the first-account migration) or by a token expiring. So a
 * create that finds the counter missing or full counts the items themselves (strongly consistent)
 * and sets the counter to that, conditional on it not having moved meanwhile, then tries again:
 * the count is the truth, the counter a fast, race-safe copy of it.
 */
export class Quotas {
  constructor(private readonly store: Store) {}

  /**
   * Runs `write` with the op that takes one place of `kind`, which it must put in its transaction.
   * Refuses with 409 `limit-reached` when the user has the most they may keep.
   */
  async take<T>(owner: Owner, kind: QuotaKind, write: (take: WriteOp) => Promise<T>, places = 1): Promise<T> {
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        return await write(this.takeOp(owner, kind, places));
      } catch (err) {
        if (!(err instanceof RecountNeeded)) throw err;
      }
      if ((await this.recount(owner, kind)) + places > LIMITS[kind]) throw limitReached(kind);
    }
    throw contention();
  }

  /**
   * The op that gives a place back, for a delete's (or revoke's) transaction. The counter is made
   * first when missing, so that the delete has one to move.
   */
  async releaseOp(owner: Owner, kind: QuotaKind): Promise<WriteOp> {
    await this.ensure(owner, kind);
    return {
      item: {
        Update: {
          TableName: this.store.tables.budgets,
          Key: counterKey(owner, kind),
          UpdateExpression: "SET #n = #n - :one",
          ConditionExpression: "attribute_exists(#n)",
          ExpressionAttributeNames: { "#n": "n" },
          ExpressionAttributeValues: { ":one": 1 },
        },
      },
      // Only if the counter vanished between its read and this write, which nothing does.
      onConditionFailed: () => conflict("The change conflicts with the stored data; try again"),
    };
  }

  /** The counter's value; undefined for a user who never had one. Strongly consistent. */
  async counted(owner: Owner, kind: QuotaKind): Promise<number | undefined> {
    const res = await this.store.db.send(
      new GetCommand({
        TableName: this.store.tables.budgets,
        Key: counterKey(owner, kind),
        ConsistentRead: true,
      }),
    );
    return res.Item ? (res.Item.n as number) : undefined;
  }

  private takeOp(owner: Owner, kind: QuotaKind, places: number): WriteOp {
    return {
      item: {
        Update: {
          TableName: this.store.tables.budgets,
          Key: counterKey(owner, kind),
          UpdateExpression: "SET #n = #n + :places",
          ConditionExpression: "attribute_exists(#n) AND #n <= :most",
          ExpressionAttributeNames: { "#n": "n" },
          ExpressionAttributeValues: { ":places": places, ":most": LIMITS[kind] - places },
        },
      },
      onConditionFailed: () => new RecountNeeded(),
    };
  }

  private async ensure(owner: Owner, kind: QuotaKind): Promise<void> {
    if ((await this.counted(owner, kind)) === undefined) await this.recount(owner, kind);
  }

  /**
   * Counts the items and sets the counter to the count, unless a write moved it since it was read
   * (then the next attempt reads it again). Read before counting, so any create or delete that
   * lands during the count has moved the counter and makes this write's condition fail.
   */
  private async recount(owner: Owner, kind: QuotaKind): Promise<number> {
    const before = await this.counted(owner, kind);
    const live = await this.countItems(owner, kind);
    const Key = counterKey(owner, kind);
    try {
      if (before === undefined) {
        await this.store.db.send(
          new PutCommand({
            TableName: this.store.tables.budgets,
            Item: { ...Key, n: live },
            ConditionExpression: "attribute_not_exists(PK)",
          }),
        );
      } else if (before !== live) {
        await this.store.db.send(
          new UpdateCommand({
            TableName: this.store.tables.budgets,
            Key,
            UpdateExpression: "SET #n = :live",
            ConditionExpression: "#n = :before",
            ExpressionAttributeNames: { "#n": "n" },
            ExpressionAttributeValues: { ":live": live, ":before": before },
          }),
        );
      }
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
    return live;
  }

  private async countItems(owner: Owner, kind: QuotaKind): Promise<number> {
    const { table, prefix, live } = COUNTED[kind];
    const filter = live?.(new Date().toISOString());
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.store.db.send(
        new QueryCommand({
          TableName: this.store.tables[table],
          KeyConditionExpression: "PK = :pk AND begins_with(SK, :prefix)",
          ExpressionAttributeValues: { ":pk": ownerKey(owner), ":prefix": prefix, ...filter?.values },
          ...(filter ? { FilterExpression: filter.expression } : {}),
          Select: "COUNT",
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      count += page.Count ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
    return count;
  }
}

/** For the domain's own error checks: a refusal for a full quota. */
export const isLimitReached = (err: unknown) =>
  err instanceof DomainError && err.extra.slug === "limit-reached";

/**
 * Every counter, at what `ops` create, for the transaction that gives a new user their first items
 * (the starter kit): their first create or delete then needs no recount.
 */
export function startingCounters(tableName: string, owner: Owner, ops: readonly WriteOp[]): WriteOp[] {
  return (Object.keys(LIMITS) as QuotaKind[]).map((kind) => {
    const n = ops.filter((op) => String(op.item.Put?.Item?.SK ?? "").startsWith(COUNTED[kind].prefix)).length;
    return { item: { Put: { TableName: tableName, Item: { ...counterKey(owner, kind), n } } } };
  });
}
