import { errors, jwtVerify, SignJWT } from "jose";
import { type Authenticator, type Principal, type SessionClaims, sessionPrincipal } from "./principal";

const ISSUER = "tyche-local";
const AUDIENCE = "tyche";
export const TOKEN_TTL_SECONDS = 12 * 60 * 60;

export class InvalidTokenError extends Error {}

/** Local accounts: HS256 JWTs signed with a key kept in the data dir. */
export class LocalTokens implements Authenticator {
  readonly mode = "local" as const;
  constructor(private readonly key: Uint8Array) {}

  async issue(p: SessionClaims, now = new Date()): Promise<{ token: string; expiresAt: string }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + TOKEN_TTL_SECONDS;
    const token = await new SignJWT({ tid: p.tenantId, email: p.email, name: p.name })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(p.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000).toISOString() };
  }

  async verify(token: string): Promise<Principal> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ["HS256"],
      });
      if (
        typeof payload.sub !== "string" ||
        typeof payload.tid !== "string" ||
        typeof payload.email !== "string"
      ) {
        throw new InvalidTokenError("token lacks its subject, tenant or e-mail");
      }
      return sessionPrincipal({
        userId: payload.sub,
        tenantId: payload.tid,
        email: payload.email,
        ...(typeof payload.name === "string" ? { name: payload.name } : {}),
      });
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
