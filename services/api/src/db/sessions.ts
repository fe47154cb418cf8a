import { GetCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { keys, type Owner } from "./keys";
import type { Store } from "./store";

/** What revokes a user's session tokens: everything issued up to `notBefore`, and these ids. */
export interface SessionRecord {
  /** Epoch seconds: a token issued at or before it is logged out. */
  notBefore: number;
  /** Session token id -> its expiry (epoch seconds), for tokens logged out one by one. */
  revoked: Record<string, number>;
}

/**
 * Past this many tokens logged out one by one and not yet expired, a logout logs out everywhere
 * instead: the record stays one small item that a single GetItem reads.
 */
export const MAX_REVOKED = 100;

/**
 * The per-user record of logged-out sessions, in the users table. Read with one strongly consistent
 * GetItem per authenticated request, so a logout holds at once in every process and every Lambda,
 * even on eventually consistent DynamoDB. The item's TTL outlives every token it can revoke.
 */
export class SessionRepository {
  constructor(
    private readonly store: Store,
    /** The longest a session token lives: the TTL keeps the record until its tokens have expired. */
    private readonly maxLifetimeSeconds: number,
  ) {}

  async get(owner: Owner): Promise<SessionRecord> {
    const { Item } = await this.store.db.send(
      new GetCommand({ TableName: this.store.tables.users, Key: keys.sessions(owner), ConsistentRead: true }),
    );
    return {
      notBefore: typeof Item?.notBefore === "number" ? Item.notBefore : 0,
      revoked: (Item?.revoked as Record<string, number> | undefined) ?? {},
    };
  }

  /** Logs out every session token issued up to `nowSeconds`; the revoked list is no longer needed. */
  async revokeAll(owner: Owner, nowSeconds: number): Promise<void> {
    await this.store.db
      .send(
        new UpdateCommand({
          TableName: this.store.tables.users,
          Key: keys.sessions(owner),
          // Never moves back: a late, slow request must not undo a newer log-out.
          UpdateExpression: "SET notBefore = :nb, revoked = :empty, #ttl = :ttl",
          ConditionExpression: "attribute_not_exists(notBefore) OR notBefore <= :nb",
          ExpressionAttributeNames: { "#ttl": "ttl" },
          ExpressionAttributeValues: { ":nb": nowSeconds, ":empty": {}, ":ttl": this.ttl(nowSeconds) },
        }),
      )
      .catch((err) => {
        if ((err as Error).name !== "ConditionalCheckFailedException") throw err;
      });
  }

  /** Logs out one session token; expired entries are pruned on the way. */
  async revoke(owner: Owner, jti: string, expiresAt: number, nowSeconds: number): Promise<void> {
    const current = await this.get(owner);
    const expired = Object.entries(current.revoked)
      .filter(([, exp]) => exp < nowSeconds)
      .map(([id]) => id);
    if (Object.keys(current.revoked).length - expired.length >= MAX_REVOKED) {
      await this.revokeAll(owner, nowSeconds);
      return;
    }
    const { users } = this.store.tables;
    // A map's entry can only be set once the map exists; two logouts at once may both create it.
    await this.store.db.send(
      new UpdateCommand({
        TableName: users,
        Key: keys.sessions(owner),
        UpdateExpression:
          "SET revoked = if_not_exists(revoked, :empty), notBefore = if_not_exists(notBefore, :zero)",
        ExpressionAttributeValues: { ":empty": {}, ":zero": 0 },
      }),
    );
    const names: Record<string, string> = { "#ttl": "ttl", "#j": jti };
    expired.forEach((id, i) => {
      names[`#x${i}`] = id;
    });
    const remove = expired.length ? ` REMOVE ${expired.map((_, i) => `revoked.#x${i}`).join(", ")}` : "";
    await this.store.db.send(
      new UpdateCommand({
        TableName: users,
        Key: keys.sessions(owner),
        UpdateExpression: `SET revoked.#j = :exp, #ttl = :ttl${remove}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ":exp": expiresAt, ":ttl": this.ttl(nowSeconds) },
      }),
    );
  }

  private ttl(nowSeconds: number): number {
    return nowSeconds + this.maxLifetimeSeconds + 120;
  }
}

export const isRevoked = (record: SessionRecord, token: { jti: string; issuedAt: number }): boolean =>
  token.issuedAt <= record.notBefore || (token.jti !== "" && record.revoked[token.jti] !== undefined);
