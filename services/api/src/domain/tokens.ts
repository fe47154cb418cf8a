import type { CreatedPersonalAccessToken, PersonalAccessToken, TokenCreateParsed } from "@tyche/types";
import { mintToken, tokenPrefix } from "../auth/personal-access-tokens";
import type { Principal } from "../auth/principal";
import type { Owner } from "../db/keys";
import { Quotas } from "../db/quotas";
import type { Store } from "../db/store";
import type { TokenRecord, TokenRepository } from "../db/tokens";
import { commit } from "../db/transact";
import { notFound } from "../errors";

/** How a token shows to its owner, its status as of `now`. */
export function tokenView(r: TokenRecord, now = new Date()): PersonalAccessToken {
  const expired = r.expiresAt !== undefined && Date.parse(r.expiresAt) <= now.getTime();
  return {
    tokenId: r.tokenId,
    name: r.name,
    scope: r.scope,
    prefix: tokenPrefix(r.tokenId),
    last4: r.last4,
    createdAt: r.createdAt,
    lastUsedAt: r.lastUsedAt ?? null,
    expiresAt: r.expiresAt ?? null,
    revokedAt: r.revokedAt ?? null,
    status: r.revokedAt !== undefined ? "revoked" : expired ? "expired" : "active",
  };
}

/** The token was revoked (or removed) between the read and the write. */
class Raced extends Error {}
const RACED = () => new Raced();

/** Personal access tokens: made (the secret shown once), listed and revoked by their owner. */
export class TokenService {
  constructor(
    private readonly store: Store,
    private readonly tokens: TokenRepository,
  ) {}

  /**
   * A new token for the caller. The credential (hash, owner, scope, expiry), the owner's listing
   * item and the audit record are one transaction; the secret exists only in this answer.
   */
  async create(principal: Principal, input: TokenCreateParsed): Promise<CreatedPersonalAccessToken> {
    const now = new Date();
    const owner: Owner = { tenantId: principal.tenantId, userId: principal.userId };
    const minted = mintToken(now);
    const record: TokenRecord = {
      tokenId: minted.tokenId,
      name: input.name,
      scope: input.scope,
      last4: minted.last4,
      createdAt: now.toISOString(),
      ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
    };
    const view = tokenView(record, now);
    await new Quotas(this.store).take(owner, "tokens", (take) =>
      commit(this.store, { owner, action: "token.create", entityId: record.tokenId, after: view }, [
        ...this.tokens.createOps(owner, record, {
          tokenId: minted.tokenId,
          ...owner,
          email: principal.email,
          ...(principal.name !== undefined ? { name: principal.name } : {}),
          hash: minted.hash,
          scope: record.scope,
          ...(record.expiresAt !== undefined ? { expiresAt: record.expiresAt } : {}),
        }),
        take,
      ]),
    );
    return { ...view, token: minted.token };
  }

  /** The caller's tokens, newest first, revoked and expired ones included until they age out. */
  async list(owner: Owner): Promise<PersonalAccessToken[]> {
    const now = new Date();
    return (await this.tokens.list(owner)).reverse().map((r) => tokenView(r, now));
  }

  /**
   * Revokes one of the caller's tokens: from this moment it authenticates nothing. Another user's
   * token answers 404 like a missing one. Revoking a revoked token changes nothing.
   */
  async revoke(owner: Owner, tokenId: string): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const current = await this.tokens.latest(owner, tokenId);
      if (!current) throw notFound("Token");
      if (current.revokedAt !== undefined) return;
      const now = new Date();
      const after: TokenRecord = { ...current, revokedAt: now.toISOString() };
      try {
        await commit(
          this.store,
          {
            owner,
            action: "token.revoke",
            entityId: tokenId,
            before: tokenView(current, now),
            after: tokenView(after, now),
          },
          [
            ...this.tokens.revokeOps(owner, tokenId, now, RACED),
            // An expired token is no longer live: a recount frees its place, so its revoke must not again.
            ...(current.expiresAt === undefined || current.expiresAt > now.toISOString()
              ? [await new Quotas(this.store).releaseOp(owner, "tokens")]
              : []),
          ],
        );
        return;
      } catch (err) {
        // Revoked by a concurrent request since the read: read again, which finds it revoked.
        if (!(err instanceof Raced)) throw err;
      }
    }
    throw notFound("Token");
  }
}
