import { createAnalyticsStreamHandler } from "./analytics/stream-handler";
import { loadConfig } from "./config";
import { createDocumentClient, createDynamoClient } from "./db/client";
import { createAnalytics } from "./services";

/** The analytics refresh on AWS: the tyche-budgets table's stream, batch by batch (docs/ANALYTICS.md). */
const config = loadConfig();
export const handler = createAnalyticsStreamHandler(
  createAnalytics({
    db: createDocumentClient(createDynamoClient({ region: config.region })),
    tables: config.tables,
  }),
);
