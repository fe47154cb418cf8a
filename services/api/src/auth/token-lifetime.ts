import { InvalidTokenError } from "./local-tokens";

/** Clocks of the issuer and of this server may differ this much. */
export const CLOCK_SKEW_SECONDS = 60;

/**
 * A session token's `iat` and `exp`, held to the lifetime its issuer grants: a token without them,
 * issued in the future, or claiming to live longer than `maxLifetimeSeconds` was not made by the
 * issuer as configured (a leaked key, or a bug), and a token that never expires cannot be revoked
 * by waiting.
 */
export function checkLifetime(
  payload: { iat?: unknown; exp?: unknown },
  maxLifetimeSeconds: number,
  now = Date.now(),
): { issuedAt: number; expiresAt: number } {
  const { iat, exp } = payload;
  if (typeof iat !== "number" || typeof exp !== "number" || !Number.isFinite(iat) || !Number.isFinite(exp))
    throw new InvalidTokenError("token lacks its issue or expiry time");
  if (iat > now / 1000 + CLOCK_SKEW_SECONDS) throw new InvalidTokenError("token is issued in the future");
  if (exp <= iat || exp - iat > maxLifetimeSeconds)
    throw new InvalidTokenError("token lives longer than this server grants");
  return { issuedAt: iat, expiresAt: exp };
}
