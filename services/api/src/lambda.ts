import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { SQSClient } from "@aws-sdk/client-sqs";
import { CognitoAuthenticator, cognitoGlobalSignOut } from "./auth/cognito";
import { loadConfig } from "./config";
import { createDocumentClient, createDynamoClient } from "./db/client";
import { SqsImportQueue } from "./imports/import-job";
import { lambdaStatementPool } from "./imports/statement-reader";
import { createLambdaHandler } from "./lambda-handler";
import { createS3Client, S3FileStorage } from "./storage/files";

/** The same Hono app behind API Gateway: Cognito tokens, real DynamoDB, tables made by CDK. */
const config = loadConfig();
if (config.auth.mode !== "cognito") throw new Error("The Lambda runs with AUTH_MODE=cognito");
const bucket = process.env.RECEIPTS_BUCKET;
if (!bucket) throw new Error("The Lambda needs RECEIPTS_BUCKET for receipts and uploads");
const queueUrl = process.env.IMPORT_QUEUE_URL;
if (!queueUrl) throw new Error("The Lambda needs IMPORT_QUEUE_URL for imports answered with 202");

export const handler = createLambdaHandler({
  db: createDocumentClient(createDynamoClient({ region: config.region })),
  tables: config.tables,
  authenticator: new CognitoAuthenticator(config.auth),
  globalSignOut: cognitoGlobalSignOut(
    new CognitoIdentityProviderClient({ region: config.region }),
    config.auth.userPoolId,
  ),
  files: new S3FileStorage(createS3Client({ region: config.region }), bucket),
  // Frozen once it has answered, a Lambda cannot write an import after its 202: the worker does.
  importQueue: new SqsImportQueue(new SQSClient({ region: config.region }), queueUrl),
  ai: config.ai,
  region: config.region,
  corsOrigins: config.corsOrigins,
  ...(config.requestTimeoutMs !== undefined ? { requestTimeoutMs: config.requestTimeoutMs } : {}),
  statements: lambdaStatementPool(config.imports),
});
