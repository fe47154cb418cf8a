import { TABLES, type TableDefinition } from "@tyche/api/tables";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { parseStage, STAGES, type Stage } from "../lib/stage";
import { TycheStack } from "../lib/tyche-stack";

const TABLE_TYPE = "AWS::DynamoDB::GlobalTable";

interface Resource {
  Type: string;
  Properties: Record<string, unknown> & { Replicas: Record<string, unknown>[] };
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

function synth(stage: Stage) {
  const stack = new TycheStack(new App(), `Tyche-${stage}`, { stage });
  return { stack, template: Template.fromStack(stack) };
}

// Synthesised once per stage up front: synthesis dominates the run time and every test only reads the result.
const stacks = Object.fromEntries(STAGES.map((stage) => [stage, synth(stage)])) as Record<
  Stage,
  ReturnType<typeof synth>
>;

function tableNamed(template: Template, name: string): [string, Resource] {
  const found = Object.entries(template.findResources(TABLE_TYPE, { Properties: { TableName: name } }));
  const [only] = found;
  if (!only || found.length > 1)
    throw new Error(`Expected exactly one table named ${name}, found ${found.length}`);
  return only as [string, Resource];
}

const keySchema = (partitionKey: string, sortKey: string) => [
  { AttributeName: partitionKey, KeyType: "HASH" },
  { AttributeName: sortKey, KeyType: "RANGE" },
];

const keyAttributes = (def: TableDefinition) => [
  def.partitionKey,
  def.sortKey,
  ...def.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
];

describe.each(STAGES)("%s stack", (stage) => {
  const { stack, template } = stacks[stage];

  it("has exactly one table per definition and nothing else", () => {
    template.resourceCountIs(TABLE_TYPE, TABLES.length);
    template.resourceCountIs("AWS::DynamoDB::Table", 0);
    expect(Object.keys(template.toJSON().Resources).sort()).toEqual(
      Object.keys(template.findResources(TABLE_TYPE)).sort(),
    );
  });

  it("exposes every table under its definition's key", () => {
    expect(Object.keys(stack.tables).sort()).toEqual(TABLES.map((def) => def.key).sort());
  });

  describe.each(TABLES.map((def) => [def.key, def] as const))("table %s", (_key, def) => {
    const [logicalId, resource] = tableNamed(template, def.defaultName);
    const props = resource.Properties;
    const replica = props.Replicas[0];

    it("has the table's keys and declares every key attribute as a string", () => {
      expect(props.KeySchema).toEqual(keySchema(def.partitionKey, def.sortKey));
      expect(props.AttributeDefinitions).toEqual(
        expect.arrayContaining(
          keyAttributes(def).map((name) => ({ AttributeName: name, AttributeType: "S" })),
        ),
      );
      expect(props.AttributeDefinitions).toHaveLength(new Set(keyAttributes(def)).size);
    });

    it("bills on demand, keeps point-in-time recovery and encrypts with the AWS-managed key", () => {
      expect(props.BillingMode).toBe("PAY_PER_REQUEST");
      expect(props.Replicas).toHaveLength(1);
      expect(replica?.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
      expect(props.SSESpecification).toEqual({ SSEEnabled: true, SSEType: "KMS" });
    });

    it("has exactly the defined global secondary indexes, projecting all attributes", () => {
      const expected = def.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: "ALL" },
      }));
      expect(props.GlobalSecondaryIndexes ?? []).toEqual(expected);
    });

    it(def.ttlAttribute ? `expires items by ${def.ttlAttribute}` : "has no TTL", () => {
      expect(props.TimeToLiveSpecification).toEqual(
        def.ttlAttribute ? { AttributeName: def.ttlAttribute, Enabled: true } : undefined,
      );
    });

    it(def.stream ? "streams new and old images" : "has no stream", () => {
      expect(props.StreamSpecification).toEqual(
        def.stream ? { StreamViewType: "NEW_AND_OLD_IMAGES" } : undefined,
      );
    });

    it("outputs the table name", () => {
      const outputs = Object.values(template.findOutputs("*"));
      expect(
        outputs.filter((output) => JSON.stringify(output.Value) === JSON.stringify({ Ref: logicalId })),
      ).toHaveLength(1);
    });

    if (stage === "prod") {
      it("is retained and protected from deletion", () => {
        expect(resource.DeletionPolicy).toBe("Retain");
        expect(resource.UpdateReplacePolicy).toBe("Retain");
        expect(replica?.DeletionProtectionEnabled).toBe(true);
      });
    } else {
      it("is deleted with the stack and not protected", () => {
        expect(resource.DeletionPolicy).toBe("Delete");
        expect(resource.UpdateReplacePolicy).toBe("Delete");
        expect(replica?.DeletionProtectionEnabled).not.toBe(true);
      });
    }
  });
});

describe("parseStage", () => {
  it("defaults to dev when no stage is given", () => {
    expect(parseStage(undefined)).toBe("dev");
  });

  it.each(STAGES)("accepts %s", (stage) => {
    expect(parseStage(stage)).toBe(stage);
  });

  it.each(["", "prd", "Prod", "staging", 1, null, true])("rejects %j", (value) => {
    expect(() => parseStage(value)).toThrow(/Invalid stage .*-c stage=dev or -c stage=prod/);
  });
});
