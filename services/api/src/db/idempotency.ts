import { createHash } from "node:crypto";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { DomainError } from "../errors";
import { keys, type Owner } from "./keys";
import type { Store } from "./store";
import { type WriteOp, writeOne } from "./transact";

/** How long a retry with the same key gets the first answer. */
const TTL_SECONDS = 24 * 60 * 60;

export interface StoredAnswer {
  status: number;
  body: unknown;
}

export class IdempotentReplay extends Error {}

export const requestHash = (body: unknown) =>
  createHash("sha256").update(JSON.stringify(body)).digest("base64url");

/**
 * `Idempotency-Key` records: written in the same transaction as the change they answer for, so a
 * retry either finds the first answer or the change never happened.
 */
export class IdempotencyStore {
  constructor(private readonly store: Store) {}

  async find(owner: Owner, scope: string, key: string, hash: string): Promise<StoredAnswer | undefined> {
    const { Item } = await this.store.db.send(
      new GetCommand({
        TableName: this.store.tables.transactionDetails,
        Key: keys.idempotency(owner, scope, key),
        ConsistentRead: true,
      }),
    );
    if (!Item || Number(Item.ttl) * 1000 < Date.now()) return undefined;
    if (Item.requestHash !== hash) {
      throw new DomainError("invalid", "This Idempotency-Key was used for a different request", {
        slug: "idempotency-key-reused",
        title: "Idempotency key reused",
        errors: [{ path: "Idempotency-Key", message: "was used for a different request" }],
      });
    }
    return { status: Number(Item.status), body: Item.body };
  }

  /**
   * Claims a key on its own, for work too large for one transaction (imports): the first claim
   * wins, a concurrent retry gets IdempotentReplay. `settle` then stores the final answer.
   */
  async claim(owner: Owner, scope: string, key: string, hash: string, answer: StoredAnswer): Promise<void> {
    await writeOne(this.store.db, this.recordOp(owner, scope, key, hash, answer));
  }

  async settle(owner: Owner, scope: string, key: string, hash: string, answer: StoredAnswer): Promise<void> {
    await this.store.db.send(
      new PutCommand({
        TableName: this.store.tables.transactionDetails,
        Item: this.record(owner, scope, key, hash, answer),
      }),
    );
  }

  recordOp(owner: Owner, scope: string, key: string, hash: string, answer: StoredAnswer): WriteOp {
    return {
      item: {
        Put: {
          TableName: this.store.tables.transactionDetails,
          Item: this.record(owner, scope, key, hash, answer),
          // An expired record may linger until DynamoDB's TTL sweep; it no longer counts.
          ConditionExpression: "attribute_not_exists(PK) OR #ttl < :now",
          ExpressionAttributeNames: { "#ttl": "ttl" },
          ExpressionAttributeValues: { ":now": Math.floor(Date.now() / 1000) },
        },
      },
      onConditionFailed: () => new IdempotentReplay(),
    };
  }

  private record(owner: Owner, scope: string, key: string, hash: string, answer: StoredAnswer) {
    return {
      ...keys.idempotency(owner, scope, key),
      entity: "idempotency",
      requestHash: hash,
      status: answer.status,
      body: answer.body,
      ttl: Math.floor(Date.now() / 1000) + TTL_SECONDS,
    };
  }
}
