import { type AttributeValue, ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "./keys";
import type { Store } from "./store";

/**
 * Login attempts allowed per e-mail within one window. Every attempt counts, right or wrong, so this
 * is also the most passwords ever verified for one e-mail per window, however many arrive at once.
 */
export const MAX_FAILURES = 5;
export const WINDOW_SECONDS = 15 * 60;

/**
 * Login attempts per e-mail, kept in DynamoDB so every API process (and every Lambda) sees the same
 * count. Items expire through the table's TTL.
 */
export class LoginThrottle {
  constructor(private readonly store: Store) {}

  /**
   * Counts one login attempt before its password is verified. Answers 0 when the attempt may go on,
   * or the seconds until the window ends. The check and the count are one conditional write: a
   * read-then-write would let every guess of a parallel burst read the same count and pass.
   */
  async attempt(email: string, now = Date.now()): Promise<number> {
    const windowMs = WINDOW_SECONDS * 1000;
    const cutoff = now - windowMs;
    const ttl = Math.floor(now / 1000) + 2 * WINDOW_SECONDS;
    // Each turn either counts, refuses, or loses a race to start the new window to another attempt;
    // after such a loss the next turn finds the new window. The bound is only against a bug looping.
    for (let turn = 0; turn < 10; turn++) {
      let windowStart: number | undefined;
      try {
        await this.store.db.send(
          new UpdateCommand({
            TableName: this.store.tables.users,
            Key: keys.loginThrottle(email),
            UpdateExpression:
              "ADD attempts :one SET windowStart = if_not_exists(windowStart, :now), #ttl = :ttl",
            ConditionExpression:
              "attribute_not_exists(attempts) OR (windowStart > :cutoff AND attempts < :max)",
            ExpressionAttributeNames: { "#ttl": "ttl" },
            ExpressionAttributeValues: {
              ":one": 1,
              ":now": now,
              ":ttl": ttl,
              ":cutoff": cutoff,
              ":max": MAX_FAILURES,
            },
            ReturnValuesOnConditionCheckFailure: "ALL_OLD",
          }),
        );
        return 0;
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
        // The condition fails only on an existing item, which the failure returns (ALL_OLD).
        windowStart = numberAttribute(err.Item?.windowStart);
      }
      if (windowStart === undefined) continue;
      if (windowStart > cutoff) return Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
      // The window is over. Only the attempt that still sees the old window may start the new one;
      // a blind reset by each of a parallel burst would hand each of them a fresh allowance.
      try {
        await this.store.db.send(
          new UpdateCommand({
            TableName: this.store.tables.users,
            Key: keys.loginThrottle(email),
            UpdateExpression: "SET attempts = :one, windowStart = :now, #ttl = :ttl",
            ConditionExpression: "windowStart = :old",
            ExpressionAttributeNames: { "#ttl": "ttl" },
            ExpressionAttributeValues: { ":one": 1, ":now": now, ":ttl": ttl, ":old": windowStart },
          }),
        );
        return 0;
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException)) throw err;
      }
    }
    throw new Error("login throttle: no decision after 10 conditional writes");
  }

  /** Called after a correct password: earlier attempts no longer count against the e-mail. */
  async clear(email: string): Promise<void> {
    await this.store.db.send(
      new DeleteCommand({ TableName: this.store.tables.users, Key: keys.loginThrottle(email) }),
    );
  }
}

/** The error's old item is in the wire format: the document client does not convert errors. */
function numberAttribute(value: AttributeValue | undefined): number | undefined {
  return value?.N !== undefined ? Number(value.N) : undefined;
}
