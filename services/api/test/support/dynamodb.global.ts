import type { TestProject } from "vitest/node";
import { createDynamoClient } from "../../src/db/client";
import { ensureTables } from "../../src/db/create-tables";
import { tableNames } from "../../src/db/tables";
import { startDynamoDbLocal, waitForDynamo } from "../../src/local/dynamodb-local";

declare module "vitest" {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** Starts DynamoDB Local in memory once per run and creates the tables, exactly as `npm start` does. */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDbLocal({});
  const client = createDynamoClient({ endpoint: dynamo.endpoint });
  await waitForDynamo(client);
  await ensureTables(client, tableNames({}));
  client.destroy();
  project.provide("dynamoEndpoint", dynamo.endpoint);
  return () => dynamo.stop();
}
