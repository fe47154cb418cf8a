import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { TABLES, type TableDefinition, type TableNames } from "./tables";

export function createTableInput(def: TableDefinition, name: string): CreateTableCommandInput {
  const attributes = new Set([
    def.partitionKey,
    def.sortKey,
    ...def.indexes.flatMap((i) => [i.partitionKey, i.sortKey]),
  ]);
  return {
    TableName: name,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: "S" })),
    KeySchema: [
      { AttributeName: def.partitionKey, KeyType: "HASH" },
      { AttributeName: def.sortKey, KeyType: "RANGE" },
    ],
    ...(def.indexes.length
      ? {
          GlobalSecondaryIndexes: def.indexes.map((i) => ({
            IndexName: i.name,
            KeySchema: [
              { AttributeName: i.partitionKey, KeyType: "HASH" },
              { AttributeName: i.sortKey, KeyType: "RANGE" },
            ],
            Projection: { ProjectionType: "ALL" },
          })),
        }
      : {}),
    ...(def.stream
      ? { StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" } }
      : {}),
  };
}

async function enableTtl(client: DynamoDBClient, name: string, def: TableDefinition): Promise<void> {
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
    }),
  );
}

async function existingTables(client: DynamoDBClient): Promise<Set<string>> {
  const names = new Set<string>();
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    for (const n of page.TableNames ?? []) names.add(n);
    start = page.LastEvaluatedTableName;
  } while (start);
  return names;
}

/**
 * Adds the indexes a definition gained after the table was made (an older data dir), one at a
 * time as DynamoDB requires, and waits until each is active: a query of a new index must not
 * meet one still being built.
 */
async function addMissingIndexes(client: DynamoDBClient, name: string, def: TableDefinition): Promise<void> {
  const describe = () => client.send(new DescribeTableCommand({ TableName: name }));
  const present = new Set(((await describe()).Table?.GlobalSecondaryIndexes ?? []).map((i) => i.IndexName));
  for (const index of def.indexes.filter((i) => !present.has(i.name))) {
    try {
      await client.send(
        new UpdateTableCommand({
          TableName: name,
          AttributeDefinitions: [index.partitionKey, index.sortKey].map((AttributeName) => ({
            AttributeName,
            AttributeType: "S",
          })),
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: index.name,
                KeySchema: [
                  { AttributeName: index.partitionKey, KeyType: "HASH" },
                  { AttributeName: index.sortKey, KeyType: "RANGE" },
                ],
                Projection: { ProjectionType: "ALL" },
              },
            },
          ],
        }),
      );
    } catch (err) {
      // Another process is adding it: wait for it below like for our own.
      if (!(err instanceof ResourceInUseException)) throw err;
    }
    for (let i = 0; i < 600; i++) {
      const table = (await describe()).Table;
      const status = table?.GlobalSecondaryIndexes?.find((g) => g.IndexName === index.name)?.IndexStatus;
      if (status === "ACTIVE" && table?.TableStatus === "ACTIVE") break;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Creates whatever tables are missing, and brings older ones up to their definition (TTL, indexes
 * added later); safe to run on every start and from parallel processes.
 */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<string[]> {
  const existing = await existingTables(client);
  const missing = TABLES.filter((def) => !existing.has(names[def.key]));
  await Promise.all(
    TABLES.filter((def) => def.ttlAttribute && existing.has(names[def.key])).map(async (def) => {
      const { TimeToLiveDescription: ttl } = await client.send(
        new DescribeTimeToLiveCommand({ TableName: names[def.key] }),
      );
      if (ttl?.TimeToLiveStatus === "DISABLED") await enableTtl(client, names[def.key], def);
    }),
  );
  await Promise.all(
    TABLES.filter((def) => existing.has(names[def.key])).map((def) =>
      addMissingIndexes(client, names[def.key], def),
    ),
  );
  await Promise.all(
    missing.map(async (def) => {
      const name = names[def.key];
      try {
        await client.send(new CreateTableCommand(createTableInput(def, name)));
      } catch (err) {
        if (!(err instanceof ResourceInUseException)) throw err;
      }
      await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: name });
      if (def.ttlAttribute) await enableTtl(client, name, def);
    }),
  );
  return missing.map((def) => names[def.key]);
}
