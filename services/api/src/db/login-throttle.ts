import { type AttributeValue, ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { DeleteCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { keys } from "./keys";
import type { Store } from "./store";

export const WINDOW_SECONDS = 15 * 60;

/**
 * Login attempts allowed within one window, per scope (OWASP's authentication and credential
 * stuffing guidance):
 * - `pair`, one account from one client: the strict limit against guessing one password. It is also
 *   the most passwords ever verified for one account from one client per window, however many
 *   arrive at once, and what answers a flood from one client.
 * - `account`, from every client: against guessing spread over many clients. A client holding a
 *   device cookie for the account (signed, issued at a successful login) is exempt, so an attacker
 *   who knows the e-mail cannot lock its owner out of a device they have used before.
 * - `client`, across every account: against password spraying. A successful login gives its attempt
 *   back, so it counts failures, and many people behind one address who know their passwords are
 *   not refused.
 */
export const LIMITS = { pair: 5, account: 20, client: 100 } as const;
export type LoginScope = keyof typeof LIMITS;
/** The attempts one client has at one account per window. */
export const MAX_FAILURES = LIMITS.pair;

/**
 * Windowed counters kept in DynamoDB (the users table, items expiring through its TTL), so every
 * API process and every Lambda sees the same counts.
 */
export class LoginCounters {
  constructor(private readonly store: Store) {}

  /**
   * Counts one attempt. Answers 0 when it may go on, or the seconds until the window ends. The
   * check and the count are one conditional write: a read-then-write would let every guess of a
   * parallel burst read the same count and pass.
   */
  async attempt(key: Record<string, string>, max: number, now = Date.now()): Promise<number> {
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
            Key: key,
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
              ":max": max,
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
      // Clamped: a window started by an attempt that began after this one is at most one window away.
      if (windowStart > cutoff)
        return Math.min(WINDOW_SECONDS, Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)));
      // The window is over. Only the attempt that still sees the old window may start the new one;
      // a blind reset by each of a parallel burst would hand each of them a fresh allowance.
      try {
        await this.store.db.send(
          new UpdateCommand({
            TableName: this.store.tables.users,
            Key: key,
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

  async clear(key: Record<string, string>): Promise<void> {
    await this.store.db.send(new DeleteCommand({ TableName: this.store.tables.users, Key: key }));
  }

  /** Gives one attempt back (never below zero). */
  async refund(key: Record<string, string>): Promise<void> {
    try {
      await this.store.db.send(
        new UpdateCommand({
          TableName: this.store.tables.users,
          Key: key,
          UpdateExpression: "ADD attempts :minus",
          ConditionExpression: "attempts > :zero",
          ExpressionAttributeValues: { ":minus": -1, ":zero": 0 },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
}

/** Who is trying to log in, from where. */
export interface LoginAttempt {
  email: string;
  /** The client's address (http/client-address.ts). */
  client: string;
  /** The client holds a valid device cookie naming this account. */
  trustedDevice: boolean;
}

export const counterKey = (scope: LoginScope, a: Pick<LoginAttempt, "email" | "client">) =>
  keys.loginCounter(
    scope,
    scope === "pair" ? `${a.email} ${a.client}` : scope === "account" ? a.email : a.client,
  );

/** Remembered refusals kept in memory at most; past this the expired ones go, then all. */
const MAX_NOTES = 10_000;

/**
 * The login policy (LIMITS) over the counters. A refusal is also noted in memory until its window
 * ends, so that a flood from one client or at one account is answered without a DynamoDB call.
 */
export class LoginThrottle {
  readonly counters: LoginCounters;
  private readonly refusedUntil = new Map<string, number>();

  constructor(store: Store) {
    this.counters = new LoginCounters(store);
  }

  private scopes(a: LoginAttempt): LoginScope[] {
    return a.trustedDevice ? ["client", "pair"] : ["client", "pair", "account"];
  }

  /**
   * Counts one login attempt before its password is verified. Answers 0 when the attempt may go on,
   * or the seconds until the client may try this account again.
   */
  async attempt(a: LoginAttempt, now = Date.now()): Promise<number> {
    const scopes = this.scopes(a);
    for (const scope of scopes) {
      const note = this.refusedUntil.get(noteKey(scope, a));
      if (note !== undefined && note > now) return Math.max(1, Math.ceil((note - now) / 1000));
    }
    for (const scope of scopes) {
      const wait = await this.counters.attempt(counterKey(scope, a), LIMITS[scope], now);
      if (wait > 0) {
        this.note(noteKey(scope, a), now + wait * 1000, now);
        return wait;
      }
    }
    return 0;
  }

  /** After a correct password: the account's and the pair's attempts no longer count, the client's one is given back. */
  async succeeded(a: LoginAttempt): Promise<void> {
    await Promise.all([
      this.counters.clear(counterKey("pair", a)),
      this.counters.clear(counterKey("account", a)),
      this.counters.refund(counterKey("client", a)),
    ]);
  }

  private note(key: string, until: number, now: number): void {
    if (this.refusedUntil.size >= MAX_NOTES) {
      for (const [k, t] of this.refusedUntil) if (t <= now) this.refusedUntil.delete(k);
      if (this.refusedUntil.size >= MAX_NOTES) this.refusedUntil.clear();
    }
    this.refusedUntil.set(key, until);
  }
}

const noteKey = (scope: LoginScope, a: Pick<LoginAttempt, "email" | "client">) =>
  JSON.stringify(counterKey(scope, a));

/** The error's old item is in the wire format: the document client does not convert errors. */
function numberAttribute(value: AttributeValue | undefined): number | undefined {
  return value?.N !== undefined ? Number(value.N) : undefined;
}
