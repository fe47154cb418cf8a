import {
  AdminUserGlobalSignOutCommand,
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import type { Jwks } from "aws-jwt-verify/jwk";
import { InvalidTokenError } from "./local-tokens";
import { type Authenticator, type Principal, sessionPrincipal } from "./principal";
import { checkLifetime } from "./token-lifetime";

/** The longest a user pool lets an ID token live (its "ID token expiration" tops out at one day). */
export const COGNITO_MAX_ID_TOKEN_SECONDS = 24 * 60 * 60;

export interface CognitoOptions {
  userPoolId: string;
  clientId: string;
  /** A key set to trust without fetching it: tests pass a locally made one. */
  jwks?: Jwks;
  /** The pool's ID token lifetime; a token claiming longer is refused. Default: Cognito's maximum. */
  maxLifetimeSeconds?: number;
}

/**
 * Amazon Cognito ID tokens: they carry the `custom:tenantId` attribute (access tokens do not), so
 * the tenant comes from the user pool, never from the request.
 */
export class CognitoAuthenticator implements Authenticator {
  readonly mode = "cognito" as const;
  private readonly verifier;
  private readonly maxLifetimeSeconds: number;

  constructor(options: CognitoOptions) {
    this.maxLifetimeSeconds = options.maxLifetimeSeconds ?? COGNITO_MAX_ID_TOKEN_SECONDS;
    this.verifier = CognitoJwtVerifier.create({
      userPoolId: options.userPoolId,
      clientId: options.clientId,
      tokenUse: "id",
    });
    if (options.jwks) this.verifier.cacheJwks(options.jwks);
  }

  async verify(token: string): Promise<Principal> {
    let payload: Awaited<ReturnType<typeof this.verifier.verify>>;
    try {
      payload = await this.verifier.verify(token);
    } catch {
      throw new InvalidTokenError("token is not valid");
    }
    const tenantId = payload["custom:tenantId"];
    if (typeof tenantId !== "string" || tenantId === "") throw new InvalidTokenError("token has no tenant");
    const times = checkLifetime(payload, this.maxLifetimeSeconds);
    // Cognito puts a jti in its ID tokens; without one the token can still be revoked by logout-all.
    const jti = typeof payload.jti === "string" && payload.jti !== "" ? payload.jti : undefined;
    return {
      ...sessionPrincipal({
        userId: payload.sub,
        tenantId,
        email: typeof payload.email === "string" ? payload.email.toLowerCase() : "",
        ...(typeof payload.name === "string" ? { name: payload.name } : {}),
      }),
      session: { ...times, jti: jti ?? "" },
    };
  }
}

/**
 * Log-out-everywhere's part in the pool: ends the user's refresh tokens, so no new ID token is
 * issued to a session that was logged out. The user's pool username is their `sub` here.
 */
export const cognitoGlobalSignOut =
  (client: CognitoIdentityProviderClient, userPoolId: string) =>
  async (userId: string): Promise<void> => {
    await client.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: userId }));
  };
