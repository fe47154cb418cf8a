import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
} from "@aws-sdk/client-dynamodb";
import { describe, expect, inject, it } from "vitest";
import { createDynamoClient } from "../src/db/client";
import { createTableInput, ensureTables } from "../src/db/create-tables";
import { TABLES, tableNames } from "../src/db/tables";

describe("ensureTables", () => {
  it("creates only what is missing, with the keys and indexes of the definitions", async () => {
    const client = createDynamoClient({ endpoint: inject("dynamoEndpoint") });
    const prefix = `t${Date.now().toString(36)}-`;
    const env = Object.fromEntries(TABLES.map((t) => [t.envVar, `${prefix}${t.defaultName}`]));
    const names = tableNames(env);

    // An older data dir: the transaction table exists, made before it had a TTL attribute.
    const details = TABLES.find((t) => t.key === "transactionDetails");
    if (!details) throw new Error("no transactionDetails definition");
    await client.send(new CreateTableCommand(createTableInput(details, names.transactionDetails)));

    const created = await ensureTables(client, names);
    expect(created.sort()).toEqual(
      TABLES.filter((t) => t.key !== "transactionDetails")
        .map((t) => names[t.key])
        .sort(),
    );
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: names.transactionDetails }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: "ENABLED", AttributeName: "ttl" });

    const { Table } = await client.send(new DescribeTableCommand({ TableName: names.budgets }));
    expect(Table?.KeySchema).toEqual([
      { AttributeName: "PK", KeyType: "HASH" },
      { AttributeName: "SK", KeyType: "RANGE" },
    ]);
    expect(Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName)).toEqual(["GSI1"]);

    expect(await ensureTables(client, names)).toEqual([]);
    client.destroy();
  });
});
