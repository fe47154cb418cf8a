import { S3Client } from "@aws-sdk/client-s3";
import { CognitoAuthenticator } from "./auth/cognito";
import { loadConfig } from "./config";
import { createDocumentClient, createDynamoClient } from "./db/client";
import { StatementPool } from "./imports/statement-reader";
import { createLambdaHandler } from "./lambda-handler";
import { S3ReceiptStorage } from "./storage/receipts";

/** The same Hono app behind API Gateway: Cognito tokens, real DynamoDB, tables made by CDK. */
const config = loadConfig();
if (config.auth.mode !== "cognito") throw new Error("The Lambda runs with AUTH_MODE=cognito");
const bucket = process.env.RECEIPTS_BUCKET;
if (!bucket) throw new Error("The Lambda needs RECEIPTS_BUCKET for receipts");

export const handler = createLambdaHandler({
  db: createDocumentClient(createDynamoClient({ region: config.region })),
  tables: config.tables,
  authenticator: new CognitoAuthenticator(config.auth),
  receipts: new S3ReceiptStorage(new S3Client({ region: config.region }), bucket),
  ai: config.ai,
  region: config.region,
  // One request at a time per Lambda environment: one worker, there for its time limit and its
  // heap bound, which must leave the function room of its own (half of its memory). Its entry is
  // the bundle `statement-worker.mjs` beside this one (docs/ARCHITECTURE.md, Bank imports).
  statements: new StatementPool({
    ...config.imports,
    workers: 1,
    maxHeapMb: Math.max(128, Math.floor(Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? 1024) / 2)),
  }),
});
