import type { SQSBatchResponse, SQSEvent } from "aws-lambda";
import { loadConfig } from "./config";
import { createDocumentClient, createDynamoClient } from "./db/client";
import { createImportWorker } from "./imports/import-worker";
import { lambdaStatementPool } from "./imports/statement-reader";
import { createImportService } from "./services";
import { createS3Client, S3FileStorage } from "./storage/files";

/** Imports the API answered with 202, each written in an invocation of its own (imports/import-job.ts). */
const config = loadConfig();
const bucket = process.env.RECEIPTS_BUCKET;
if (!bucket) throw new Error("The import worker needs RECEIPTS_BUCKET, where the files wait");
const store = {
  db: createDocumentClient(createDynamoClient({ region: config.region })),
  tables: config.tables,
};

export const handler: (event: SQSEvent) => Promise<SQSBatchResponse> = createImportWorker(
  createImportService(store, {
    files: new S3FileStorage(createS3Client({ region: config.region }), bucket),
    statements: lambdaStatementPool(config.imports),
  }),
);
