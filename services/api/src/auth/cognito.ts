import { CognitoJwtVerifier } from "aws-jwt-verify";
import type { Jwks } from "aws-jwt-verify/jwk";
import { InvalidTokenError } from "./local-tokens";
import { type Authenticator, type Principal, sessionPrincipal } from "./principal";

export interface CognitoOptions {
  userPoolId: string;
  clientId: string;
  /** A key set to trust without fetching it: tests pass a locally made one. */
  jwks?: Jwks;
}

/**
 * Amazon Cognito ID tokens: they carry the `custom:tenantId` attribute (access tokens do not), so
 * the tenant comes from the user pool, never from the request.
 */
export class CognitoAuthenticator implements Authenticator {
  readonly mode = "cognito" as const;
  private readonly verifier;

  constructor(options: CognitoOptions) {
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
    return sessionPrincipal({
      userId: payload.sub,
      tenantId,
      email: typeof payload.email === "string" ? payload.email.toLowerCase() : "",
      ...(typeof payload.name === "string" ? { name: payload.name } : {}),
    });
  }
}
