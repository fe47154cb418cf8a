import { CognitoAuthenticator } from "./auth/cognito";
import { createGatewayAuthorizer } from "./auth/gateway-authorizer";
import { PersonalAccessTokenVerifier, WithPersonalAccessTokens } from "./auth/personal-access-tokens";
import { loadConfig } from "./config";
import { createDocumentClient, createDynamoClient } from "./db/client";

/** The HTTP API's Lambda authorizer for `/mcp` (auth/gateway-authorizer.ts). */
const config = loadConfig();
if (config.auth.mode !== "cognito") throw new Error("The authorizer runs with AUTH_MODE=cognito");
const store = {
  db: createDocumentClient(createDynamoClient({ region: config.region })),
  tables: config.tables,
};

export const handler = createGatewayAuthorizer(
  new WithPersonalAccessTokens(
    new CognitoAuthenticator(config.auth),
    // The app records a token's use; the gate only reads, so it needs no write on the users table.
    new PersonalAccessTokenVerifier(store, Number.POSITIVE_INFINITY, { recordUse: false }),
  ),
);
