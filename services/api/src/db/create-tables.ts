import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
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

/** Creates whatever tables are missing; safe to run on every start and from parallel processes. */
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<string[]> {
  const existing = await existingTables(client);
  const missing = TABLES.filter((def) => !existing.has(names[def.key]));
  await Promise.all(
    missing.map(async (def) => {
      const name = names[def.key];
      try {
        await client.send(new CreateTableCommand(createTableInput(def, name)));
      } catch (err) {
        if (!(err instanceof ResourceInUseException)) throw err;
      }
      await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: name });
      if (def.ttlAttribute) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
          }),
        );
      }
    }),
  );
  return missing.map((def) => names[def.key]);
}
