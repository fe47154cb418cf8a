import { z } from "zod";
import { Id, Instant } from "./primitives";

/**
 * Personal access tokens: long-lived bearer tokens a person makes for a client of their own (the
 * MCP server `tyche-mcp`, a script). The secret is shown once, when made; Tyche keeps only its hash.
 */

/** Every personal access token begins with this, so it can be told from a session JWT (and found by secret scanners). */
export const PAT_PREFIX = "tyche_pat_";

/** The longest a token may live: a year, or a day more so that "a year from today" is always allowed. */
export const MAX_TOKEN_LIFETIME_DAYS = 366;

export const TOKEN_SCOPES = ["read", "write"] as const;
/**
 * `read`: GET and HEAD only. `write`: everything a signed-in user can do, except managing tokens.
 * Session tokens (login, Cognito) are `write`.
 */
export const TokenScope = z.enum(TOKEN_SCOPES, { error: 'must be "read" or "write"' });
export type TokenScope = z.infer<typeof TokenScope>;

const DATE_OR_INSTANT =
  /^\d{4}-\d{2}-\d{2}(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?$/;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The moment a requested expiry names: a date is the start of that day in UTC, an instant is
 * itself. Undefined when it is neither, or its date is not a real calendar date.
 */
export function expiryInstant(value: string): Date | undefined {
  if (!DATE_OR_INSTANT.test(value)) return undefined;
  const day = value.slice(0, 10);
  // Date rolls 2025-02-30 over to March; a real date reads back as itself.
  const midnight = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(midnight.getTime()) || midnight.toISOString().slice(0, 10) !== day) return undefined;
  const at = value.length === 10 ? midnight : new Date(value);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export const TokenExpiry = z
  .string()
  .transform((value, ctx) => {
    const at = expiryInstant(value);
    if (!at) {
      ctx.addIssue({ code: "custom", message: "must be a date (YYYY-MM-DD) or an ISO 8601 instant" });
      return z.NEVER;
    }
    const now = Date.now();
    if (at.getTime() <= now) {
      ctx.addIssue({ code: "custom", message: "must be in the future" });
      return z.NEVER;
    }
    if (at.getTime() > now + MAX_TOKEN_LIFETIME_DAYS * DAY_MS) {
      ctx.addIssue({ code: "custom", message: `must be at most ${MAX_TOKEN_LIFETIME_DAYS} days from now` });
      return z.NEVER;
    }
    return at.toISOString();
  })
  .describe(
    `When the token stops working: a date (YYYY-MM-DD, meaning 00:00 UTC that day) or an ISO 8601 instant, in the future and at most ${MAX_TOKEN_LIFETIME_DAYS} days away. Omitted: the token does not expire`,
  );

export const TokenCreate = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, { error: "must not be empty" })
    .max(100, { error: "must be at most 100 characters" })
    .describe('What the token is for, e.g. "Claude Desktop"'),
  scope: TokenScope.default("read").describe("read (the default): GET and HEAD only; write: changes too"),
  expiresAt: TokenExpiry.optional(),
});
export type TokenCreate = z.input<typeof TokenCreate>;
export type TokenCreateParsed = z.output<typeof TokenCreate>;

export const TokenStatus = z.enum(["active", "expired", "revoked"]);
export type TokenStatus = z.infer<typeof TokenStatus>;

/** What Tyche shows of a token after it is made: never the secret, never its hash. */
export const PersonalAccessToken = z.object({
  tokenId: Id,
  name: z.string(),
  scope: TokenScope,
  prefix: z.string().describe("The token's public start, `tyche_pat_<tokenId>_`, to recognise it by"),
  last4: z.string().describe("The secret's last four characters, to recognise it by"),
  createdAt: Instant,
  lastUsedAt: Instant.nullable().describe("Last request made with it, to within a minute or so"),
  expiresAt: Instant.nullable(),
  revokedAt: Instant.nullable(),
  status: TokenStatus,
});
export type PersonalAccessToken = z.infer<typeof PersonalAccessToken>;

/** The answer to creating a token: the only time its secret is shown. */
export const CreatedPersonalAccessToken = PersonalAccessToken.extend({
  token: z
    .string()
    .describe("The bearer token, `tyche_pat_<tokenId>_<secret>`: shown this once; Tyche keeps only a hash"),
});
export type CreatedPersonalAccessToken = z.infer<typeof CreatedPersonalAccessToken>;
