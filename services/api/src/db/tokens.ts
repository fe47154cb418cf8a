import { UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { TokenScope } from "@tyche/types";
import { z } from "zod";
import { Entity } from "./entity";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import type { Store } from "./store";
import type { WriteOp } from "./transact";

const DAY_S = 24 * 60 * 60;
/** How long a revoked or expired token stays in its owner's list before DynamoDB's TTL removes it. */
export const KEEP_LISTED_DAYS = 90;

/** What the owner sees of a token (`<o>` / `PAT#<id>`): no secret, no hash. */
export const TokenRecord = z.object({
  tokenId: z.string(),
  name: z.string(),
  scope: TokenScope,
  last4: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().optional(),
  revokedAt: z.string().optional(),
  lastUsedAt: z.string().optional(),
});
export type TokenRecord = z.infer<typeof TokenRecord>;

/**
 * What a request needs to authenticate with a token (`PAT#<id>` / `PAT`): the owner, the hash of
 * the whole token, the scope and the expiry. Revoking deletes it, so a revoked token is unknown.
 */
export const TokenCredential = z.object({
  tokenId: z.string(),
  tenantId: z.string(),
  userId: z.string(),
  email: z.string(),
  name: z.string().optional(),
  /** base64url SHA-256 of the token (see auth/personal-access-tokens.ts for why not scrypt). */
  hash: z.string(),
  scope: TokenScope,
  expiresAt: z.string().optional(),
});
export type TokenCredential = z.infer<typeof TokenCredential>;

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/**
 * Personal access tokens in tyche-users: a credential item outside every owner partition, keyed by
 * the token's id so the token alone finds it, and a listing item in the owner's partition. Both are
 * written in one transaction.
 */
export class TokenRepository {
  private readonly records: Entity<TokenRecord>;
  private readonly credentials: Entity<TokenCredential>;

  constructor(private readonly store: Store) {
    this.records = new Entity(store, {
      name: "token",
      table: "users",
      schema: TokenRecord,
      key: (o, t) => keys.token(o, t.tokenId),
      // An expired token leaves the list some time after it expires (DynamoDB TTL is lazy; the
      // status is computed from expiresAt, never from the item's presence).
      derived: (t) => (t.expiresAt ? { ttl: epochSeconds(t.expiresAt) + KEEP_LISTED_DAYS * DAY_S } : {}),
    });
    this.credentials = new Entity(store, {
      name: "tokenCredential",
      table: "users",
      schema: TokenCredential,
      key: (_o, c) => keys.tokenCredential(c.tokenId),
      // Gone a day after it expires; until then the verifier refuses it by expiresAt.
      derived: (c) => (c.expiresAt ? { ttl: epochSeconds(c.expiresAt) + DAY_S } : {}),
    });
  }

  /** The two items of a new token, for one transaction with its audit record. */
  createOps(owner: Owner, record: TokenRecord, credential: TokenCredential): WriteOp[] {
    return [this.records.createOp(owner, record), this.credentials.createOp(owner, credential)];
  }

  /** The owner's tokens, oldest first (ids are ULIDs). */
  list(owner: Owner): Promise<TokenRecord[]> {
    return this.records.query(ownerKey(owner), prefixes.token);
  }

  /** Strongly consistent: for deciding a revocation. */
  latest(owner: Owner, tokenId: string): Promise<TokenRecord | undefined> {
    return this.records.latest(keys.token(owner, tokenId));
  }

  /**
   * The credential behind a presented token: one strongly consistent GetItem, so a token revoked a
   * moment ago is already unknown.
   */
  credential(tokenId: string): Promise<TokenCredential | undefined> {
    return this.credentials.latest(keys.tokenCredential(tokenId));
  }

  /**
   * Revocation: the listing item marked (only if not yet revoked) and kept a while for the owner to
   * see, the credential deleted (only if it is this owner's; a credential TTL already removed is
   * fine). `onRaced` answers a listing item revoked or removed since it was read.
   */
  revokeOps(owner: Owner, tokenId: string, now: Date, onRaced: () => Error): WriteOp[] {
    const revokedAt = now.toISOString();
    return [
      {
        item: {
          Update: {
            TableName: this.store.tables.users,
            Key: keys.token(owner, tokenId),
            UpdateExpression: "SET revokedAt = :at, #ttl = :ttl",
            ConditionExpression: "attribute_exists(PK) AND attribute_not_exists(revokedAt)",
            ExpressionAttributeNames: { "#ttl": "ttl" },
            ExpressionAttributeValues: {
              ":at": revokedAt,
              ":ttl": epochSeconds(revokedAt) + KEEP_LISTED_DAYS * DAY_S,
            },
          },
        },
        onConditionFailed: onRaced,
      },
      {
        item: {
          Delete: {
            TableName: this.store.tables.users,
            Key: keys.tokenCredential(tokenId),
            ConditionExpression: "attribute_not_exists(PK) OR (tenantId = :t AND userId = :u)",
            ExpressionAttributeValues: { ":t": owner.tenantId, ":u": owner.userId },
          },
        },
        onConditionFailed: onRaced,
      },
    ];
  }

  /**
   * Records a use: sets `lastUsedAt` unless it is already later than `notBefore` (another request,
   * perhaps in another process, recorded one lately) or the token was revoked. Bookkeeping without an
   * audit record; resolves to whether it wrote.
   */
  async touch(owner: Owner, tokenId: string, now: Date, notBefore: Date): Promise<boolean> {
    try {
      await this.store.db.send(
        new UpdateCommand({
          TableName: this.store.tables.users,
          Key: keys.token(owner, tokenId),
          UpdateExpression: "SET lastUsedAt = :now",
          ConditionExpression:
            "attribute_exists(PK) AND attribute_not_exists(revokedAt) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :notBefore)",
          ExpressionAttributeValues: { ":now": now.toISOString(), ":notBefore": notBefore.toISOString() },
        }),
      );
      return true;
    } catch (err) {
      if ((err as { name?: string }).name === "ConditionalCheckFailedException") return false;
      throw err;
    }
  }
}
