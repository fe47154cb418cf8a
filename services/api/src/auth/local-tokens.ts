import { randomUUID } from "node:crypto";
import { errors, jwtVerify, SignJWT } from "jose";
import { type Authenticator, type Principal, type SessionClaims, sessionPrincipal } from "./principal";
import { checkLifetime } from "./token-lifetime";

const ISSUER = "tyche-local";
const AUDIENCE = "tyche";
export const TOKEN_TTL_SECONDS = 12 * 60 * 60;

export class InvalidTokenError extends Error {}

/** Local accounts: HS256 JWTs signed with a key kept in the data dir. */
export class LocalTokens implements Authenticator {
  readonly mode = "local" as const;
  constructor(
    private readonly key: Uint8Array,
    /** The most a token may live (`TOKEN_TTL_SECONDS`); a token claiming longer is refused. */
    readonly ttlSeconds = TOKEN_TTL_SECONDS,
  ) {}

  /** The key, for what else this server signs (device cookies). */
  get signingKey(): Uint8Array {
    return this.key;
  }

  async issue(p: SessionClaims, now = new Date()): Promise<{ token: string; expiresAt: string }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.ttlSeconds;
    const token = await new SignJWT({ tid: p.tenantId, email: p.email, name: p.name })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(p.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(randomUUID())
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async verify(token: string, now = Date.now()): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ["HS256"],
        requiredClaims: ["iat", "exp", "jti"],
        currentDate: new Date(now),
      });
      if (
        typeof payload.sub !== "string" ||
        typeof payload.tid !== "string" ||
        typeof payload.email !== "string" ||
        typeof payload.jti !== "string"
      ) {
        throw new InvalidTokenError("token lacks its subject, tenant, e-mail or id");
      }
      const session = checkLifetime(payload, this.ttlSeconds, now);
      return {
        ...sessionPrincipal({
          userId: payload.sub,
          tenantId: payload.tid,
          email: payload.email,
          ...(typeof payload.name === "string" ? { name: payload.name } : {}),
        }),
        session: { ...session, jti: payload.jti },
      };
    } catch (err) {
      if (err instanceof errors.JOSEError || err instanceof InvalidTokenError) {
        throw new InvalidTokenError(
          err instanceof errors.JWTExpired ? "token expired" : "token is not valid",
        );
      }
      throw err;
    }
  }
}
