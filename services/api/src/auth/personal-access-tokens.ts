import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { PAT_PREFIX } from "@tyche/types";
import { ulid } from "ulid";
import type { Owner } from "../db/keys";
import type { Store } from "../db/store";
import { TokenRepository } from "../db/tokens";
import { InvalidTokenError } from "./local-tokens";
import type { Authenticator, Principal } from "./principal";

/**
 * Personal access tokens: `tyche_pat_<tokenId>_<secret>`, where tokenId is a ULID (26 characters,
 * the key of the credential item, so one GetItem finds it from the token alone) and the secret is 32
 * random bytes in base64url (43 characters).
 *
 * Stored is only a SHA-256 of the whole token. A password needs a slow, salted hash (scrypt,
 * passwords.ts) because people choose guessable ones; this secret is 256 bits from the system's
 * CSPRNG, so nobody holding the hash can guess their way back to it, and a fast hash keeps every
 * request's check cheap. The hash covers the id too, so a secret moved onto another id fails.
 */
export const SECRET_BYTES = 32;
const FORMAT = new RegExp(`^${PAT_PREFIX}([0-9A-HJKMNP-TV-Z]{26})_([A-Za-z0-9_-]{43})$`);
/** lastUsedAt is written at most this often per token (per process, and by a condition across them). */
export const LAST_USED_INTERVAL_MS = 60_000;

/** A bearer token shaped like one of ours is verified as one; anything else is a session token. */
export const isPersonalAccessToken = (token: string): boolean => token.startsWith(PAT_PREFIX);

export const hashToken = (token: string): string => createHash("sha256").update(token).digest("base64url");

export interface MintedToken {
  tokenId: string;
  token: string;
  hash: string;
  last4: string;
}

/** A new token: its id, the bearer string to show once, and what is kept of it. */
export function mintToken(now = new Date()): MintedToken {
  const tokenId = ulid(now.getTime());
  const secret = randomBytes(SECRET_BYTES).toString("base64url");
  const token = `${PAT_PREFIX}${tokenId}_${secret}`;
  return { tokenId, token, hash: hashToken(token), last4: secret.slice(-4) };
}

/** The id in a well-formed token; undefined for anything else. */
export function parseToken(token: string): { tokenId: string } | undefined {
  const m = FORMAT.exec(token);
  return m ? { tokenId: m[1] as string } : undefined;
}

/** The token's public start, to recognise it by in a list. */
export const tokenPrefix = (tokenId: string) => `${PAT_PREFIX}${tokenId}_`;

const DECOY = Buffer.alloc(32);

/**
 * Compares digests in constant time. An unknown token is compared too (with zeros), so it takes the
 * same steps as a wrong secret; a stored value of another length is corrupt and never matches.
 */
function sameHash(presented: string, stored: string | undefined): boolean {
  const a = Buffer.from(presented, "base64url");
  const b = stored === undefined ? DECOY : Buffer.from(stored, "base64url");
  const equal = a.length === b.length && timingSafeEqual(a, b);
  return equal && stored !== undefined;
}

export interface VerifyOptions {
  now?: Date;
  /** Record the use in lastUsedAt (best effort, in the background). Default true. */
  recordUse?: boolean;
}

/**
 * Verifies personal access tokens against tyche-users. Every failure (malformed, unknown, wrong
 * secret, revoked, expired) is the same InvalidTokenError, so the answer gives no hint which.
 */
export class PersonalAccessTokenVerifier {
  private readonly tokens: TokenRepository;
  /** When this process last recorded each token's use: spares the write on most requests. */
  private readonly recorded = new Map<string, number>();

  constructor(
    store: Store,
    private readonly intervalMs = LAST_USED_INTERVAL_MS,
    /** What every verify does unless told otherwise (a gate that only reads records no use). */
    private readonly defaults: Pick<VerifyOptions, "recordUse"> = {},
  ) {
    this.tokens = new TokenRepository(store);
  }

  async verify(token: string, options: VerifyOptions = {}): Promise<Principal> {
    const now = options.now ?? new Date();
    const parsed = parseToken(token);
    if (!parsed) throw new InvalidTokenError("token is not valid");
    const credential = await this.tokens.credential(parsed.tokenId);
    const matches = sameHash(hashToken(token), credential?.hash);
    if (!credential || !matches) throw new InvalidTokenError("token is not valid");
    if (credential.expiresAt !== undefined && Date.parse(credential.expiresAt) <= now.getTime())
      throw new InvalidTokenError("token is not valid");
    const owner = { tenantId: credential.tenantId, userId: credential.userId };
    if (options.recordUse ?? this.defaults.recordUse ?? true)
      void this.recordUse(owner, credential.tokenId, now).catch(() => undefined);
    return {
      ...owner,
      email: credential.email,
      ...(credential.name !== undefined ? { name: credential.name } : {}),
      scope: credential.scope,
      via: "personal-access-token",
      tokenId: credential.tokenId,
    };
  }

  /**
   * Best effort and off the request's path: at most one write per token per interval from this
   * process, and none when another process wrote within it. Resolves to whether it wrote.
   */
  async recordUse(owner: Owner, tokenId: string, now: Date): Promise<boolean> {
    const last = this.recorded.get(tokenId);
    if (last !== undefined && now.getTime() - last < this.intervalMs) return false;
    if (this.recorded.size >= 10_000) this.recorded.clear();
    this.recorded.set(tokenId, now.getTime());
    return this.tokens.touch(owner, tokenId, now, new Date(now.getTime() - this.intervalMs));
  }
}

/** Session tokens as before, and personal access tokens beside them, in either AUTH_MODE. */
export class WithPersonalAccessTokens implements Authenticator {
  readonly mode: Authenticator["mode"];
  constructor(
    private readonly sessions: Authenticator,
    private readonly pats: PersonalAccessTokenVerifier,
  ) {
    this.mode = sessions.mode;
  }

  verify(token: string): Promise<Principal> {
    return isPersonalAccessToken(token) ? this.pats.verify(token) : this.sessions.verify(token);
  }
}

const verifiers = new WeakMap<Store, PersonalAccessTokenVerifier>();

/**
 * For clients outside the HTTP app (the stdio MCP server, `npx tyche-mcp`): the principal a personal
 * access token stands for, with its `scope`, or an InvalidTokenError when the token is malformed,
 * unknown, wrong, revoked or expired. One strongly consistent GetItem; the use is recorded in the
 * background. Call it again before each action to notice a revocation.
 */
export function verifyPersonalAccessToken(
  store: Store,
  token: string,
  options: VerifyOptions = {},
): Promise<Principal> {
  let verifier = verifiers.get(store);
  if (!verifier) {
    verifier = new PersonalAccessTokenVerifier(store);
    verifiers.set(store, verifier);
  }
  return verifier.verify(token, options);
}
