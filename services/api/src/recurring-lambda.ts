import { loadConfig } from "./config";
import { createDocumentClient, createDynamoClient } from "./db/client";
import type { MaterialiseReport } from "./recurring/materialiser";
import { createMaterialiser } from "./services";

/**
 * Recurring bills on AWS: an EventBridge schedule (hourly, say) invokes this, which posts every
 * user's due occurrences, as the local server does at start and on its timer. Not in the CDK stack
 * yet. Runs never double a bill, so an overlapping or retried invocation is harmless.
 */
const config = loadConfig();
const materialiser = createMaterialiser({
  db: createDocumentClient(createDynamoClient({ region: config.region })),
  tables: config.tables,
});

export const handler = (): Promise<MaterialiseReport> => materialiser.runAll();
