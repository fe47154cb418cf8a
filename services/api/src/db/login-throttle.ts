import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "./keys";
import type { Store } from "./store";

/** After this many wrong passwords for one e-mail within the window, logins are refused until it ends. */
export const MAX_FAILURES = 5;
export const WINDOW_SECONDS = 15 * 60;

/**
 * Failed logins per e-mail, kept in DynamoDB so every API process (and every Lambda) sees the same
 * count. Items expire through the table's TTL.
 */
export class LoginThrottle {
  constructor(private readonly store: Store) {}

  /** Seconds until logins for this e-mail are allowed again, or 0. */
  async retryAfter(email: string, now = Date.now()): Promise<number> {
    const { Item } = await this.store.db.send(
      new GetCommand({
        TableName: this.store.tables.users,
        Key: keys.loginThrottle(email),
        ConsistentRead: true,
      }),
    );
    const lockedUntil = typeof Item?.lockedUntil === "number" ? Item.lockedUntil : 0;
    return lockedUntil > now ? Math.ceil((lockedUntil - now) / 1000) : 0;
  }

  async recordFailure(email: string, now = Date.now()): Promise<void> {
    const ttl = Math.floor(now / 1000) + 2 * WINDOW_SECONDS;
    const { Attributes } = await this.store.db.send(
      new UpdateCommand({
        TableName: this.store.tables.users,
        Key: keys.loginThrottle(email),
        UpdateExpression: "ADD failures :one SET windowStart = if_not_exists(windowStart, :now), #ttl = :ttl",
        ExpressionAttributeNames: { "#ttl": "ttl" },
        ExpressionAttributeValues: { ":one": 1, ":now": now, ":ttl": ttl },
        ReturnValues: "ALL_NEW",
      }),
    );
    const windowStart = Number(Attributes?.windowStart ?? now);
    const failures = Number(Attributes?.failures ?? 1);
    if (now - windowStart > WINDOW_SECONDS * 1000) {
      // The old window is over: this failure starts a new one.
      await this.store.db.send(
        new PutCommand({
          TableName: this.store.tables.users,
          Item: { ...keys.loginThrottle(email), failures: 1, windowStart: now, ttl },
        }),
      );
    } else if (failures >= MAX_FAILURES) {
      await this.store.db.send(
        new UpdateCommand({
          TableName: this.store.tables.users,
          Key: keys.loginThrottle(email),
          UpdateExpression: "SET lockedUntil = :until",
          ExpressionAttributeValues: { ":until": now + WINDOW_SECONDS * 1000 },
        }),
      );
    }
  }

  async clear(email: string): Promise<void> {
    await this.store.db.send(
      new DeleteCommand({ TableName: this.store.tables.users, Key: keys.loginThrottle(email) }),
    );
  }
}
