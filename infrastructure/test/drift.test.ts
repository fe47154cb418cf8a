import type {
  CreateTableCommandInput,
  DynamoDBClient,
  UpdateTimeToLiveCommandInput,
} from "@aws-sdk/client-dynamodb";
import { TABLES, type TableNames, tableNames } from "@tyche/api/tables";
import { describe, expect, it } from "vitest";
import { ensureTables } from "../../services/api/src/db/create-tables";
import { STAGES } from "../lib/stage";
import { ofType, type Synth, synth } from "./synth";

/**
 * What the local app asks DynamoDB for when it starts on an empty data dir: `ensureTables` run against a
 * DynamoDB that has no tables and answers every call, recording the CreateTable and UpdateTimeToLive inputs.
 */
async function localTables(names: TableNames) {
  const created: CreateTableCommandInput[] = [];
  const ttl: UpdateTimeToLiveCommandInput[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      switch (command.constructor.name) {
        case "ListTablesCommand":
          return { TableNames: [] };
        case "CreateTableCommand":
          created.push(command.input as CreateTableCommandInput);
          return {};
        case "DescribeTableCommand":
          return { Table: { TableStatus: "ACTIVE" } };
        case "UpdateTimeToLiveCommand":
          ttl.push(command.input as UpdateTimeToLiveCommandInput);
          return {};
        default:
          throw new Error(
            `ensureTables sent ${command.constructor.name}, which this stand-in does not answer`,
          );
      }
    },
  };
  // A stand-in for the client: ensureTables only calls send, and the switch above answers each command it sends.
  await ensureTables(client as unknown as DynamoDBClient, names);
  return { created, ttl };
}

const sortBy = <T>(items: readonly T[] | undefined, key: (t: T) => string) =>
  [...(items ?? [])].sort((a, b) => key(a).localeCompare(key(b)));

/** A table as both sides can describe it, in one shape. */
interface Shape {
  keys: unknown;
  attributes: unknown;
  indexes: unknown;
  stream: string | undefined;
  ttl: string | undefined;
  billing: string | undefined;
}

describe.each(STAGES)("the %s stack's tables and the local app's", (stage) => {
  const s: Synth = synth(stage);
  const [, api] = ofType(s, "AWS::Lambda::Function").find(
    ([, r]) => r.Properties.FunctionName === `tyche-${stage}-api`,
  ) ?? [undefined, undefined];
  // The names the deployed API is given: the local app creates tables under exactly these when they are set.
  const names = tableNames(api?.Properties.Environment.Variables ?? {});

  it("are the same tables, by name, key, index, stream and TTL", async () => {
    const local = await localTables(names);
    const localShapes = Object.fromEntries(
      local.created.map((input): [string, Shape] => [
        input.TableName as string,
        {
          keys: input.KeySchema,
          attributes: sortBy(input.AttributeDefinitions, (a) => a.AttributeName ?? ""),
          indexes: sortBy(input.GlobalSecondaryIndexes, (i) => i.IndexName ?? "").map((i) => ({
            IndexName: i.IndexName,
            KeySchema: i.KeySchema,
            Projection: i.Projection,
          })),
          stream: input.StreamSpecification?.StreamEnabled
            ? input.StreamSpecification.StreamViewType
            : undefined,
          ttl: local.ttl.find((t) => t.TableName === input.TableName)?.TimeToLiveSpecification?.AttributeName,
          billing: input.BillingMode,
        },
      ]),
    );
    const cloudShapes = Object.fromEntries(
      ofType(s, "AWS::DynamoDB::GlobalTable").map(([, r]): [string, Shape] => {
        const p = r.Properties;
        return [
          p.TableName,
          {
            keys: p.KeySchema,
            attributes: sortBy(p.AttributeDefinitions as { AttributeName: string }[], (a) => a.AttributeName),
            indexes: sortBy(
              p.GlobalSecondaryIndexes as { IndexName: string }[] | undefined,
              (i) => i.IndexName,
            ),
            stream: p.StreamSpecification?.StreamViewType,
            ttl: p.TimeToLiveSpecification?.Enabled ? p.TimeToLiveSpecification.AttributeName : undefined,
            billing: p.BillingMode,
          },
        ];
      }),
    );
    expect(Object.keys(localShapes)).toHaveLength(TABLES.length);
    expect(cloudShapes).toEqual(localShapes);
  });

  it("are named for the stage, never with the local default names", () => {
    for (const def of TABLES) {
      expect(names[def.key]).toBe(`tyche-${stage}-${def.defaultName.slice("tyche-".length)}`);
      expect(names[def.key]).not.toBe(def.defaultName);
    }
  });
});
