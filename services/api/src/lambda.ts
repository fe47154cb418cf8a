import { handle } from "hono/aws-lambda";
import { createApp } from "./app";
import { CognitoAuthenticator } from "./auth/cognito";
import { loadConfig } from "./config";
import { createDocumentClient, createDynamoClient } from "./db/client";

/** The same Hono app behind API Gateway: Cognito tokens, real DynamoDB, tables made by CDK. */
const config = loadConfig();
if (config.auth.mode !== "cognito") throw new Error("The Lambda runs with AUTH_MODE=cognito");

export const handler = handle(
  createApp({
    db: createDocumentClient(createDynamoClient({ region: config.region })),
    tables: config.tables,
    authenticator: new CognitoAuthenticator(config.auth),
  }),
);
