import type {
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
} from "aws-lambda";
import type { Authenticator } from "./principal";

export interface GatewayContext {
  tenantId: string;
  userId: string;
  via: string;
}

/**
 * API Gateway's gate for `/mcp`, whose clients (Claude Desktop, `npx tyche-mcp`) hold personal
 * access tokens, which the Cognito JWT authorizer of the other private routes cannot verify: a
 * Cognito ID token or a personal access token is let through, anything else is refused before the
 * API function runs. The gate only sheds strangers; the app verifies the token again on every
 * request, so a revoked token stops at once even while the gateway's cached answer lasts.
 */
export function createGatewayAuthorizer(authenticator: Authenticator) {
  return async (
    event: Pick<APIGatewayRequestAuthorizerEventV2, "headers" | "identitySource">,
  ): Promise<APIGatewaySimpleAuthorizerWithContextResult<GatewayContext | Record<string, never>>> => {
    const header = event.headers?.authorization ?? event.identitySource?.[0] ?? "";
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) return { isAuthorized: false, context: {} };
    try {
      const principal = await authenticator.verify(match[1]);
      return {
        isAuthorized: true,
        context: { tenantId: principal.tenantId, userId: principal.userId, via: principal.via },
      };
    } catch {
      return { isAuthorized: false, context: {} };
    }
  };
}
