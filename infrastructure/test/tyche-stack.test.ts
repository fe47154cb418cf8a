import { awsConnectSources, webAppCsp } from "@tyche/api/security-headers";
import { TABLES, type TableDefinition, type TableKey } from "@tyche/api/tables";
import { describe, expect, it } from "vitest";
import { ACCESS, type FunctionKey } from "../lib/access";
import { parseStage, STAGES, tableName } from "../lib/stage";
import {
  GATED_ROUTES,
  IMPORT_WORKER_TIMEOUT,
  kebab,
  PASSWORD_MIN_LENGTH,
  PRIVATE_ROUTES,
  PUBLIC_ROUTES,
  watchedOperations,
} from "../lib/tyche-stack";
import { type CfnResource, ofType, only, type Synth, synth } from "./synth";

const TABLE_TYPE = "AWS::DynamoDB::GlobalTable";
const FUNCTIONS: readonly FunctionKey[] = ["api", "analytics", "recurring", "signup", "importWorker", "gate"];

// Synthesised once per stage up front: synthesis dominates the run time and every test only reads the result.
const stacks = Object.fromEntries(STAGES.map((stage) => [stage, synth(stage)])) as Record<string, Synth>;

const keySchema = (partitionKey: string, sortKey: string) => [
  { AttributeName: partitionKey, KeyType: "HASH" },
  { AttributeName: sortKey, KeyType: "RANGE" },
];

const keyAttributes = (def: TableDefinition) => [
  def.partitionKey,
  def.sortKey,
  ...def.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
];

/** The logical id of the table a definition became. */
const tableId = (s: Synth, key: TableKey) =>
  s.stack.getLogicalId(s.stack.tables[key].node.defaultChild as never);

/** The function construct's CloudFormation resource and its logical id. */
function fnResource(s: Synth, key: FunctionKey): [string, CfnResource] {
  const fn = s.stack.functions[key].fn;
  const id = s.stack.getLogicalId(fn.node.defaultChild as never);
  return [id, s.resources[id] as CfnResource];
}

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Effect: string;
  Condition?: unknown;
}

/** The logical id of a construct's CloudFormation resource. */
const idOf = (s: Synth, construct: { node: { defaultChild?: unknown } }) =>
  s.stack.getLogicalId(construct.node.defaultChild as never);

/** Every statement of every policy attached to a function's role. */
function statementsOf(s: Synth, key: FunctionKey): Statement[] {
  const [, fn] = fnResource(s, key);
  const role = (fn.Properties.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
  return ofType(s, "AWS::IAM::Policy")
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === role))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const actionsOf = (st: Statement) => (Array.isArray(st.Action) ? st.Action : [st.Action]);
const resourcesOf = (st: Statement) => (Array.isArray(st.Resource) ? st.Resource : [st.Resource]);

/**
 * What a statement's resource points at, read back from CloudFormation: `table:<logical id>`,
 * `index:<logical id>/<index>`, `stream:<logical id>`, or the JSON of anything else.
 */
function target(resource: unknown): string {
  const json = resource as Record<string, unknown>;
  const getAtt = json["Fn::GetAtt"] as [string, string] | undefined;
  if (getAtt?.[1] === "Arn") return `table:${getAtt[0]}`;
  if (getAtt?.[1] === "StreamArn") return `stream:${getAtt[0]}`;
  const join = json["Fn::Join"] as [string, unknown[]] | undefined;
  const [base, suffix] = join?.[1] ?? [];
  const baseAtt = (base as Record<string, [string, string]> | undefined)?.["Fn::GetAtt"];
  if (baseAtt?.[1] === "Arn" && typeof suffix === "string" && suffix.startsWith("/index/"))
    return `index:${baseAtt[0]}${suffix.slice("/index".length)}`;
  return JSON.stringify(resource);
}

/** The DynamoDB grants a function's role holds, as `<action> <target>` lines. */
function dynamoGrants(s: Synth, key: FunctionKey): string[] {
  return statementsOf(s, key)
    .filter((st) => actionsOf(st).some((a) => a.startsWith("dynamodb:")))
    .flatMap((st) => actionsOf(st).flatMap((a) => resourcesOf(st).map((r) => `${a} ${target(r)}`)))
    .sort();
}

describe.each(STAGES)("%s stack", (stage) => {
  const s = stacks[stage] as Synth;
  const { template } = s;
  const prod = stage === "prod";

  describe("tables", () => {
    it("has exactly one table per definition, named tyche-<stage>-<table>", () => {
      template.resourceCountIs(TABLE_TYPE, TABLES.length);
      template.resourceCountIs("AWS::DynamoDB::Table", 0);
      const names = ofType(s, TABLE_TYPE).map(([, r]) => r.Properties.TableName);
      expect(names.sort()).toEqual(TABLES.map((def) => `tyche-${stage}-${def.defaultName.slice(6)}`).sort());
    });

    it("exposes every table under its definition's key", () => {
      expect(Object.keys(s.stack.tables).sort()).toEqual(TABLES.map((def) => def.key).sort());
    });

    describe.each(TABLES.map((def) => [def.key, def] as const))("%s", (_key, def) => {
      const [logicalId, resource] = only(s, TABLE_TYPE, { TableName: tableName(stage, def) });
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
        const outputs = Object.values(template.findOutputs("*")) as { Value: unknown }[];
        expect(
          outputs.filter((output) => JSON.stringify(output.Value) === JSON.stringify({ Ref: logicalId })),
        ).toHaveLength(1);
      });

      if (prod) {
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

  describe("functions", () => {
    it("are the API, the stream consumer, the materialiser, the sign-up trigger, the import worker and the /mcp gate, and nothing else of ours", () => {
      const ours = ofType(s, "AWS::Lambda::Function")
        .map(([, r]) => r.Properties.FunctionName as string | undefined)
        .filter((name): name is string => typeof name === "string" && name.startsWith("tyche-"));
      expect(ours.sort()).toEqual(FUNCTIONS.map((f) => `tyche-${stage}-${kebab(f)}`).sort());
    });

    describe.each(FUNCTIONS)("%s", (key) => {
      const [, fn] = fnResource(s, key);
      const env = fn.Properties.Environment.Variables as Record<string, unknown>;

      it("runs Node 22 on arm64 with JSON logs", () => {
        expect(fn.Properties.Runtime).toBe("nodejs22.x");
        expect(fn.Properties.Architectures).toEqual(["arm64"]);
        expect(fn.Properties.LoggingConfig).toMatchObject({ LogFormat: "JSON", ApplicationLogLevel: "INFO" });
        expect(fn.Properties.Handler).toBe("index.handler");
      });

      it(`logs into a log group of its own kept ${prod ? "90" : "7"} days`, () => {
        const group = (fn.Properties.LoggingConfig.LogGroup as { Ref: string }).Ref;
        const logGroup = s.resources[group] as CfnResource;
        expect(logGroup.Type).toBe("AWS::Logs::LogGroup");
        expect(logGroup.Properties).toMatchObject({
          LogGroupName: `/tyche/${stage}/${kebab(key)}`,
          RetentionInDays: prod ? 90 : 7,
        });
      });

      it("gets every table's stage name through the brief's environment variables", () => {
        for (const def of TABLES) expect(env[def.envVar]).toBe(tableName(stage, def));
      });

      it("holds exactly the DynamoDB grants access.ts gives it, on its tables and queried indexes only", () => {
        const expected = Object.entries(ACCESS[key]).flatMap(([table, grant]) => {
          const id = tableId(s, table as TableKey);
          return [
            ...(grant?.actions ?? []).map((a) => `dynamodb:${a} table:${id}`),
            ...(grant?.indexes ?? []).map((index) => `dynamodb:Query index:${id}/${index}`),
          ];
        });
        const streams =
          key === "analytics"
            ? ["DescribeStream", "GetRecords", "GetShardIterator", "ListStreams"].map(
                (a) => `dynamodb:${a} stream:${tableId(s, "budgets")}`,
              )
            : [];
        expect(dynamoGrants(s, key)).toEqual([...expected, ...streams].sort());
      });

      it("never gets a wildcard, a Scan or a table-management action", () => {
        for (const st of statementsOf(s, key)) {
          expect(st.Effect).toBe("Allow");
          for (const action of actionsOf(st)) {
            expect(action).not.toMatch(/\*|Scan|DescribeTable|CreateTable|DeleteTable|UpdateTable|PartiQL/);
          }
          for (const resource of resourcesOf(st)) {
            expect(resource).not.toBe("*");
            expect(target(resource)).not.toMatch(/index\/\*|^"\*"$/);
          }
        }
      });
    });

    it("keeps the audit log append-only and the two tables no code uses out of reach", () => {
      for (const key of FUNCTIONS) {
        const grants = dynamoGrants(s, key);
        const audit = grants.filter((g) => g.endsWith(`table:${tableId(s, "auditLogs")}`));
        expect(audit.every((g) => g.startsWith("dynamodb:PutItem "))).toBe(true);
        for (const unused of ["transactions", "userAnalytics"] as const)
          expect(grants.filter((g) => g.includes(tableId(s, unused)))).toEqual([]);
      }
    });

    it("lets the stream consumer write nothing but analytics", () => {
      const writes = dynamoGrants(s, "analytics").filter((g) =>
        /PutItem|UpdateItem|DeleteItem|BatchWriteItem/.test(g),
      );
      expect(writes).toEqual([`dynamodb:PutItem table:${tableId(s, "spendingAnalytics")}`]);
    });

    it("gives the API Cognito mode, its user pool and client, and the receipts bucket", () => {
      const [, fn] = fnResource(s, "api");
      const env = fn.Properties.Environment.Variables;
      const pool = s.stack.getLogicalId(s.stack.userPool.node.defaultChild as never);
      const [clientId] = only(s, "AWS::Cognito::UserPoolClient");
      const bucket = s.stack.getLogicalId(s.stack.receipts.node.defaultChild as never);
      expect(env).toMatchObject({
        AUTH_MODE: "cognito",
        COGNITO_USER_POOL_ID: { Ref: pool },
        COGNITO_CLIENT_ID: { Ref: clientId },
        RECEIPTS_BUCKET: { Ref: bucket },
      });
      expect(fn.Properties).toMatchObject({ MemorySize: 1024, Timeout: 29 });
    });

    it("lets the API read, write and delete receipt objects, and nothing else in S3", () => {
      const s3 = statementsOf(s, "api").filter((st) => actionsOf(st).some((a) => a.startsWith("s3:")));
      const bucket = s.stack.getLogicalId(s.stack.receipts.node.defaultChild as never);
      expect(s3).toEqual([
        {
          Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
          Effect: "Allow",
          Resource: { "Fn::Join": ["", [{ "Fn::GetAtt": [bucket, "Arn"] }, "/*"]] },
        },
      ]);
      for (const key of FUNCTIONS.filter((f) => f !== "api" && f !== "importWorker"))
        expect(
          statementsOf(s, key)
            .flatMap(actionsOf)
            .filter((a) => a.startsWith("s3:")),
        ).toEqual([]);
    });

    describe("import worker", () => {
      const [workerId, worker] = fnResource(s, "importWorker");
      const queueId = idOf(s, s.stack.importQueue);
      const bucket = idOf(s, s.stack.receipts);

      it("has the tables and the files bucket, and no Cognito, AI or queue settings", () => {
        const env = worker.Properties.Environment.Variables as Record<string, unknown>;
        expect(env).toEqual({
          ...Object.fromEntries(TABLES.map((def) => [def.envVar, tableName(stage, def)])),
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
          RECEIPTS_BUCKET: { Ref: bucket },
        });
        expect(Object.keys(env).filter((k) => /^(COGNITO_|AI_|AUTH_MODE)/.test(k))).toEqual([]);
      });

      it("has 2 GB (half for the parsing worker's heap) and Lambda's longest timeout", () => {
        expect(worker.Properties).toMatchObject({
          MemorySize: 2048,
          Timeout: 900,
          Description: expect.stringContaining("import"),
        });
      });

      it("takes one job at a time from the imports queue, reports failed jobs, and runs at most 10 at once", () => {
        const [, mapping] = only(s, "AWS::Lambda::EventSourceMapping", { FunctionName: { Ref: workerId } });
        expect(mapping.Properties).toEqual({
          BatchSize: 1,
          EventSourceArn: { "Fn::GetAtt": [queueId, "Arn"] },
          FunctionName: { Ref: workerId },
          FunctionResponseTypes: ["ReportBatchItemFailures"],
          ScalingConfig: { MaximumConcurrency: 10 },
        });
      });

      it("may read and delete uploads, and nothing else in S3", () => {
        const s3 = statementsOf(s, "importWorker").filter((st) =>
          actionsOf(st).some((a) => a.startsWith("s3:")),
        );
        expect(s3).toEqual([
          {
            Action: ["s3:GetObject", "s3:DeleteObject"],
            Effect: "Allow",
            Resource: { "Fn::Join": ["", [{ "Fn::GetAtt": [bucket, "Arn"] }, "/uploads/*"]] },
          },
        ]);
      });

      it("consumes the imports queue and no other", () => {
        const sqs = statementsOf(s, "importWorker").filter((st) =>
          actionsOf(st).some((a) => a.startsWith("sqs:")),
        );
        expect(sqs).toHaveLength(1);
        expect(sqs[0]?.Resource).toEqual({ "Fn::GetAtt": [queueId, "Arn"] });
        expect(actionsOf(sqs[0] as Statement).sort()).toEqual(
          [
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ReceiveMessage",
          ].sort(),
        );
        expect(statementsOf(s, "importWorker").flatMap(actionsOf)).not.toContain("sqs:SendMessage");
      });

      it("reaches the budgets, transaction details and audit tables only, on no index, and deletes no budget item", () => {
        const on = (key: TableKey, actions: string[]) =>
          actions.map((a) => `dynamodb:${a} table:${tableId(s, key)}`);
        expect(dynamoGrants(s, "importWorker")).toEqual(
          [
            ...on("budgets", ["GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem"]),
            ...on("transactionDetails", [
              "GetItem",
              "BatchGetItem",
              "Query",
              "PutItem",
              "UpdateItem",
              "DeleteItem",
              "BatchWriteItem",
            ]),
            ...on("auditLogs", ["PutItem"]),
          ].sort(),
        );
      });

      it("holds statements for its tables, its queue and its uploads only", () => {
        const services = new Set(
          statementsOf(s, "importWorker")
            .flatMap(actionsOf)
            .map((a) => a.split(":")[0]),
        );
        expect([...services].sort()).toEqual(["dynamodb", "s3", "sqs"]);
      });
    });

    it("lets the API send to the imports queue, and only the API", () => {
      const queueId = idOf(s, s.stack.importQueue);
      const [, fn] = fnResource(s, "api");
      expect(fn.Properties.Environment.Variables.IMPORT_QUEUE_URL).toEqual({ Ref: queueId });
      const sqs = statementsOf(s, "api").filter((st) => actionsOf(st).some((a) => a.startsWith("sqs:")));
      expect(sqs).toEqual([
        {
          Action: ["sqs:SendMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
          Effect: "Allow",
          Resource: { "Fn::GetAtt": [queueId, "Arn"] },
        },
      ]);
      for (const key of FUNCTIONS.filter((f) => f !== "api"))
        expect(
          statementsOf(s, key)
            .filter((st) => actionsOf(st).includes("sqs:SendMessage"))
            .flatMap(resourcesOf),
        ).not.toContainEqual({ "Fn::GetAtt": [queueId, "Arn"] });
    });

    it("feeds the analytics consumer from the budgets stream, reporting failed records, with a dead-letter queue", () => {
      const [, mapping] = only(s, "AWS::Lambda::EventSourceMapping", {
        FunctionName: { Ref: fnResource(s, "analytics")[0] },
      });
      expect(mapping.Properties).toMatchObject({
        EventSourceArn: { "Fn::GetAtt": [tableId(s, "budgets"), "StreamArn"] },
        FunctionName: { Ref: fnResource(s, "analytics")[0] },
        FunctionResponseTypes: ["ReportBatchItemFailures"],
        BisectBatchOnFunctionError: true,
        StartingPosition: "TRIM_HORIZON",
      });
      expect(mapping.Properties.DestinationConfig.OnFailure.Destination).toBeDefined();
    });

    it("runs the materialiser every hour", () => {
      const [, rule] = only(s, "AWS::Events::Rule");
      expect(rule.Properties.ScheduleExpression).toBe("rate(1 hour)");
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({ Arn: { "Fn::GetAtt": [fnResource(s, "recurring")[0], "Arn"] } }),
      ]);
    });
  });

  describe("import queues", () => {
    const queueId = idOf(s, s.stack.importQueue);
    const failuresId = idOf(s, s.stack.importFailures);
    const queue = s.resources[queueId] as CfnResource;
    const failures = s.resources[failuresId] as CfnResource;

    it("queue imports for six times the worker's timeout, a day at most, and give a job up after two receives", () => {
      expect(queue.Properties).toEqual({
        QueueName: `tyche-${stage}-imports`,
        SqsManagedSseEnabled: true,
        VisibilityTimeout: 6 * IMPORT_WORKER_TIMEOUT.toSeconds(),
        MessageRetentionPeriod: 86_400,
        RedrivePolicy: { deadLetterTargetArn: { "Fn::GetAtt": [failuresId, "Arn"] }, maxReceiveCount: 2 },
      });
      // Shorter than the uploads' lifetime, so a waiting job's file is still there.
      const receipts = s.resources[idOf(s, s.stack.receipts)] as CfnResource;
      const uploads = receipts.Properties.LifecycleConfiguration.Rules.find(
        (r: { Prefix?: string }) => r.Prefix === "uploads/",
      );
      expect(queue.Properties.MessageRetentionPeriod).toBeLessThan(uploads.ExpirationInDays * 86_400);
    });

    it("keep failed jobs 14 days", () => {
      expect(failures.Properties).toEqual({
        QueueName: `tyche-${stage}-imports-failed`,
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 14 * 86_400,
      });
    });

    it.each([
      ["imports", queueId],
      ["imports-failed", failuresId],
    ])("%s refuses anything but TLS", (_name, id) => {
      const [, policy] = only(s, "AWS::SQS::QueuePolicy", { Queues: [{ Ref: id }] });
      expect(policy.Properties.PolicyDocument.Statement).toEqual([
        expect.objectContaining({
          Effect: "Deny",
          Action: "sqs:*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        }),
      ]);
    });

    it("are no function's to read but the worker's, and the failed jobs nobody's", () => {
      for (const key of FUNCTIONS) {
        const reads = statementsOf(s, key).filter((st) => actionsOf(st).includes("sqs:ReceiveMessage"));
        const targets = reads.flatMap(resourcesOf);
        if (key === "importWorker") expect(targets).toEqual([{ "Fn::GetAtt": [queueId, "Arn"] }]);
        else expect(targets).not.toContainEqual({ "Fn::GetAtt": [queueId, "Arn"] });
        expect(JSON.stringify(statementsOf(s, key))).not.toContain(failuresId);
      }
    });
  });

  describe("HTTP API", () => {
    const routes = ofType(s, "AWS::ApiGatewayV2::Route").map(([, r]) => r.Properties);

    it("has exactly the public and the private routes, all to the API function", () => {
      expect(routes.map((r) => r.RouteKey).sort()).toEqual([...PUBLIC_ROUTES, ...PRIVATE_ROUTES].sort());
      const integrations = ofType(s, "AWS::ApiGatewayV2::Integration");
      expect(integrations).toHaveLength(1);
      expect(integrations[0]?.[1].Properties).toMatchObject({
        IntegrationType: "AWS_PROXY",
        PayloadFormatVersion: "2.0",
        IntegrationUri: { "Fn::GetAtt": [fnResource(s, "api")[0], "Arn"] },
      });
    });

    it("checks the Cognito token on every route but health, the OpenAPI document and Swagger UI", () => {
      const [authorizerId, authorizer] = only(s, "AWS::ApiGatewayV2::Authorizer", { AuthorizerType: "JWT" });
      const [gateId, gate] = only(s, "AWS::ApiGatewayV2::Authorizer", { AuthorizerType: "REQUEST" });
      // /mcp: a Lambda authorizer that lets a Cognito ID token or a personal access token through.
      expect(gate.Properties).toMatchObject({
        IdentitySource: ["$request.header.Authorization"],
        EnableSimpleResponses: true,
        AuthorizerPayloadFormatVersion: "2.0",
        AuthorizerResultTtlInSeconds: 300,
      });
      expect(JSON.stringify(gate.Properties.AuthorizerUri)).toContain(fnResource(s, "gate")[0]);
      const pool = s.stack.getLogicalId(s.stack.userPool.node.defaultChild as never);
      const [clientId] = only(s, "AWS::Cognito::UserPoolClient");
      expect(authorizer.Properties).toMatchObject({
        AuthorizerType: "JWT",
        IdentitySource: ["$request.header.Authorization"],
        JwtConfiguration: {
          Audience: [{ Ref: clientId }],
          Issuer: { "Fn::Join": ["", ["https://cognito-idp.us-east-1.amazonaws.com/", { Ref: pool }]] },
        },
      });
      for (const route of routes) {
        if (PUBLIC_ROUTES.includes(route.RouteKey)) {
          expect(route.AuthorizationType).toBe("NONE");
          expect(route.AuthorizerId).toBeUndefined();
        } else if (GATED_ROUTES.includes(route.RouteKey)) {
          expect(route).toMatchObject({ AuthorizationType: "CUSTOM", AuthorizerId: { Ref: gateId } });
        } else {
          expect(route).toMatchObject({ AuthorizationType: "JWT", AuthorizerId: { Ref: authorizerId } });
        }
      }
      // Local sign-up and login answer 404 with Cognito; they stay behind the authorizer.
      expect(PUBLIC_ROUTES.filter((r) => r.includes("/auth/"))).toEqual([]);
    });

    it("logs every request as JSON, kept as long as the functions' logs", () => {
      const [, stageResource] = only(s, "AWS::ApiGatewayV2::Stage");
      const format = JSON.parse(stageResource.Properties.AccessLogSettings.Format);
      expect(format).toMatchObject({ requestId: "$context.requestId", status: "$context.status" });
      const [, group] = only(s, "AWS::Logs::LogGroup", { LogGroupName: `/tyche/${stage}/api-access` });
      expect(group.Properties.RetentionInDays).toBe(prod ? 90 : 7);
    });
  });

  describe("identity", () => {
    const [poolId, pool] = only(s, "AWS::Cognito::UserPool");
    const [, client] = only(s, "AWS::Cognito::UserPoolClient");

    it("keeps custom:tenantId, which the trigger sets and no app client may write", () => {
      expect(pool.Properties.Schema).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Name: "tenantId", AttributeDataType: "String", Mutable: true }),
        ]),
      );
      expect(client.Properties.ReadAttributes).toContain("custom:tenantId");
      expect(client.Properties.WriteAttributes).not.toContain("custom:tenantId");
      expect(client.Properties.WriteAttributes.every((a: string) => !a.startsWith("custom:"))).toBe(true);
      expect(client.Properties.GenerateSecret).toBe(false);
    });

    it("founds the tenant after a confirmed sign-up, allowed to update that pool's users only", () => {
      expect(pool.Properties.LambdaConfig).toEqual({
        PostConfirmation: { "Fn::GetAtt": [fnResource(s, "signup")[0], "Arn"] },
      });
      const cognito = statementsOf(s, "signup").filter((st) =>
        actionsOf(st).some((a) => a.startsWith("cognito")),
      );
      expect(cognito).toEqual([
        {
          Action: "cognito-idp:AdminUpdateUserAttributes",
          Effect: "Allow",
          Resource: { "Fn::GetAtt": [poolId, "Arn"] },
        },
      ]);
      const apiCognito = statementsOf(s, "api").filter((st) =>
        actionsOf(st).some((a) => a.startsWith("cognito")),
      );
      // Log out everywhere: AdminUserGlobalSignOut on this pool, nothing else.
      expect(apiCognito).toEqual([
        {
          Action: "cognito-idp:AdminUserGlobalSignOut",
          Effect: "Allow",
          Resource: { "Fn::GetAtt": [poolId, "Arn"] },
        },
      ]);
      for (const key of FUNCTIONS.filter((f) => f !== "signup" && f !== "api"))
        expect(
          statementsOf(s, key)
            .flatMap(actionsOf)
            .filter((a) => a.startsWith("cognito")),
        ).toEqual([]);
    });

    it(prod ? "is retained and protected from deletion" : "is deleted with the stack", () => {
      expect(pool.DeletionPolicy).toBe(prod ? "Retain" : "Delete");
      expect(pool.Properties.DeletionProtection).toBe(prod ? "ACTIVE" : "INACTIVE");
    });
  });

  describe("buckets", () => {
    const receiptsId = s.stack.getLogicalId(s.stack.receipts.node.defaultChild as never);
    const buckets = ofType(s, "AWS::S3::Bucket");

    it("block public access, encrypt, and refuse anything but TLS", () => {
      expect(buckets).toHaveLength(2);
      for (const [id, bucket] of buckets) {
        expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
          { ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } },
        ]);
        const [, policy] = only(s, "AWS::S3::BucketPolicy", { Bucket: { Ref: id } });
        expect(policy.Properties.PolicyDocument.Statement).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              Effect: "Deny",
              Action: "s3:*",
              Principal: { AWS: "*" },
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            }),
          ]),
        );
      }
    });

    it("expire abandoned uploads and incomplete multipart uploads in the receipts bucket", () => {
      const receipts = s.resources[receiptsId] as CfnResource;
      expect(receipts.Properties.LifecycleConfiguration.Rules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ Prefix: "uploads/", ExpirationInDays: 2, Status: "Enabled" }),
          expect.objectContaining({
            AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
            Status: "Enabled",
          }),
        ]),
      );
      expect(receipts.DeletionPolicy).toBe(prod ? "Retain" : "Delete");
    });

    // The origin names the distribution, which depends on nothing that names this bucket; Template.fromStack
    // refuses a template with a dependency cycle, so synthesising at all proves there is none.
    it("let the web app's origin, and no other, PUT uploads and GET receipts with presigned URLs", () => {
      const receipts = s.resources[receiptsId] as CfnResource;
      const [distributionId] = only(s, "AWS::CloudFront::Distribution");
      expect(receipts.Properties.CorsConfiguration).toEqual({
        CorsRules: [
          {
            AllowedOrigins: [
              { "Fn::Join": ["", ["https://", { "Fn::GetAtt": [distributionId, "DomainName"] }]] },
            ],
            AllowedMethods: ["PUT", "GET", "HEAD"],
            AllowedHeaders: ["content-type"],
            ExposedHeaders: ["ETag"],
            MaxAge: 3600,
          },
        ],
      });
      const web = buckets.find(([id]) => id !== receiptsId)?.[1] as CfnResource;
      expect(web.Properties.CorsConfiguration).toBeUndefined();
    });
  });

  describe("web", () => {
    const [, distribution] = only(s, "AWS::CloudFront::Distribution");
    const config = distribution.Properties.DistributionConfig;

    it("writes config.json beside the web app, naming the stack's user pool and client", () => {
      const [, deployment] = only(s, "Custom::CDKBucketDeployment");
      const pool = s.stack.getLogicalId(s.stack.userPool.node.defaultChild as never);
      const [clientId] = only(s, "AWS::Cognito::UserPoolClient");
      // The second source is the JSON: its markers are filled in at deploy time with these references.
      const markers = Object.values(deployment.Properties.SourceMarkers[1] as Record<string, unknown>);
      expect(markers).toEqual(expect.arrayContaining([{ Ref: pool }, { Ref: clientId }]));
      const [, userPool] = only(s, "AWS::Cognito::UserPool");
      expect(userPool.Properties.Policies.PasswordPolicy).toMatchObject({
        MinimumLength: PASSWORD_MIN_LENGTH,
        RequireUppercase: false,
        RequireLowercase: false,
        RequireNumbers: false,
        RequireSymbols: false,
      });
    });

    it("sends the web app with the local server's CSP, naming Cognito's API and the uploads bucket of its region", () => {
      const [policyId, policy] = only(s, "AWS::CloudFront::ResponseHeadersPolicy");
      expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
      const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
      const csp = s.stack.resolve(headers.ContentSecurityPolicy.ContentSecurityPolicy);
      const expected = s.stack.resolve(webAppCsp(awsConnectSources(s.stack.region)));
      expect(csp).toEqual(expected);
      const text = JSON.stringify(csp);
      for (const part of [
        "default-src 'self'",
        "script-src 'self';",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ]) {
        expect(text).toContain(part);
      }
      expect(text).toContain("https://cognito-idp.");
      expect(text).toContain("https://*.s3.");
      expect(headers.ContentSecurityPolicy.Override).toBe(true);
      expect(headers.ContentTypeOptions.Override).toBe(true);
      expect(headers.FrameOptions.FrameOption).toBe("DENY");
      expect(headers.ReferrerPolicy.ReferrerPolicy).toBe("no-referrer");
    });

    it("serves the web app from its private bucket through origin access control", () => {
      const s3Origin = config.Origins.find((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig);
      expect(s3Origin.OriginAccessControlId).toBeDefined();
      expect(config.DefaultRootObject).toBe("index.html");
      expect(config.DefaultCacheBehavior.TargetOriginId).toBe(s3Origin.Id);
      expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe("redirect-to-https");
      expect(config.DefaultCacheBehavior.FunctionAssociations).toHaveLength(1);
    });

    it("puts the API under the same origin: /v1/*, /mcp and the docs to the HTTP API, keyed by the token", () => {
      const apiOrigin = config.Origins.find((o: { CustomOriginConfig?: unknown }) => o.CustomOriginConfig);
      expect(apiOrigin.CustomOriginConfig.OriginProtocolPolicy).toBe("https-only");
      expect(JSON.stringify(apiOrigin.DomainName)).toContain(
        s.stack.getLogicalId(s.stack.httpApi.node.defaultChild as never),
      );
      const behaviors = config.CacheBehaviors as Record<string, unknown>[];
      expect(behaviors.map((b) => b.PathPattern).sort()).toEqual(["/docs", "/docs/*", "/mcp", "/v1/*"]);
      const [cacheId, cache] = only(s, "AWS::CloudFront::CachePolicy");
      expect(cache.Properties.CachePolicyConfig).toMatchObject({
        DefaultTTL: 0,
        MinTTL: 0,
        ParametersInCacheKeyAndForwardedToOrigin: { HeadersConfig: { Headers: ["Authorization"] } },
      });
      for (const b of behaviors) {
        expect(b).toMatchObject({
          TargetOriginId: apiOrigin.Id,
          ViewerProtocolPolicy: "https-only",
          AllowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"],
          CachePolicyId: { Ref: cacheId },
        });
      }
    });
  });

  describe("alarms", () => {
    const alarms = ofType(s, "AWS::CloudWatch::Alarm").map(([, r]) => r.Properties);
    const named = (suffix: string) => {
      const found = alarms.find((a) => a.AlarmName === `tyche-${stage}-${suffix}`);
      if (!found) throw new Error(`no alarm ${suffix}`);
      return found;
    };
    const [topicId] = only(s, "AWS::SNS::Topic");

    it("all notify the stage's topic", () => {
      for (const alarm of alarms) expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
    });

    it("watch the API's 5xx answers", () => {
      expect(named("api-5xx")).toMatchObject({
        Namespace: "AWS/ApiGateway",
        MetricName: "5xx",
        Threshold: 5,
      });
    });

    it.each(FUNCTIONS)("watch %s's errors and throttles", (key) => {
      const fnId = fnResource(s, key)[0];
      for (const metric of ["Errors", "Throttles"]) {
        expect(named(`${kebab(key)}-${metric.toLowerCase()}`)).toMatchObject({
          Namespace: "AWS/Lambda",
          MetricName: metric,
          Dimensions: [{ Name: "FunctionName", Value: { Ref: fnId } }],
          Threshold: 1,
        });
      }
    });

    it("watch how far the stream consumer lags, and the batches it gave up on", () => {
      expect(named("analytics-iterator-age")).toMatchObject({
        MetricName: "IteratorAge",
        Statistic: "Maximum",
        Threshold: 300_000,
      });
      expect(named("analytics-failed-batches")).toMatchObject({ Namespace: "AWS/SQS" });
    });

    it("watch imports given up on and imports kept waiting", () => {
      const queue = {
        Name: "QueueName",
        Value: { "Fn::GetAtt": [idOf(s, s.stack.importQueue), "QueueName"] },
      };
      const failed = {
        Name: "QueueName",
        Value: { "Fn::GetAtt": [idOf(s, s.stack.importFailures), "QueueName"] },
      };
      expect(named("imports-failed")).toMatchObject({
        Namespace: "AWS/SQS",
        MetricName: "ApproximateNumberOfMessagesVisible",
        Dimensions: [failed],
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
      });
      expect(named("imports-waiting")).toMatchObject({
        Namespace: "AWS/SQS",
        MetricName: "ApproximateAgeOfOldestMessage",
        Dimensions: [queue],
        Statistic: "Maximum",
        // Seconds: the worker's 15 minutes and 5 more.
        Threshold: 1_200,
      });
    });

    const used = TABLES.filter((def) => !["transactions", "userAnalytics"].includes(def.key));
    if (prod) {
      it.each(used.map((def) => [def.defaultName, def] as const))(
        "watch %s's throttles and system errors",
        (_n, def) => {
          const short = def.defaultName.slice("tyche-".length);
          const metricsOf = (alarm: Record<string, unknown>) =>
            (alarm.Metrics as { MetricStat?: { Metric: { MetricName: string; Dimensions: unknown[] } } }[])
              .filter((m) => m.MetricStat)
              .map((m) => m.MetricStat?.Metric);
          const tableRef = { Name: "TableName", Value: { Ref: tableId(s, def.key) } };
          const throttles = metricsOf(named(`${short}-throttles`));
          expect(throttles.map((m) => m?.MetricName).sort()).toEqual([
            "ReadThrottleEvents",
            "WriteThrottleEvents",
          ]);
          for (const m of throttles) expect(m?.Dimensions).toEqual([tableRef]);
          const errors = metricsOf(named(`${short}-system-errors`));
          const operations = errors.map(
            (m) =>
              ((m?.Dimensions ?? []) as { Name: string; Value: string }[]).find((d) => d.Name === "Operation")
                ?.Value,
          );
          expect(operations.sort()).toEqual(watchedOperations(def.key).map(String).sort());
          // An alarm's metric math takes at most 10 metrics.
          expect(errors.length).toBeLessThanOrEqual(10);
          for (const m of errors) {
            expect(m?.MetricName).toBe("SystemErrors");
            expect(m?.Dimensions).toEqual(expect.arrayContaining([tableRef]));
          }
        },
      );

      it("watch no table that no function uses", () => {
        expect(alarms.filter((a) => /transactions-|user-analytics-/.test(a.AlarmName))).toEqual([]);
        expect(watchedOperations("transactions")).toEqual([]);
        expect(watchedOperations("auditLogs").sort()).toEqual(["PutItem", "TransactWriteItems"]);
      });
    } else {
      it("leave the tables to production's alarms", () => {
        expect(alarms.filter((a) => a.Namespace === "AWS/DynamoDB" || a.Metrics)).toEqual([]);
        expect(alarms).toHaveLength(17);
      });
    }
  });

  it("outputs the API URL, the web URL, the user pool and its client, and the import queues", () => {
    const outputs = template.findOutputs("*");
    for (const name of [
      "ApiUrl",
      "WebUrl",
      "UserPoolId",
      "UserPoolClientId",
      "ReceiptsBucket",
      "ImportQueueUrl",
      "ImportFailuresUrl",
    ])
      expect(outputs[name]).toBeDefined();
    expect(outputs.UserPoolClientId?.Value).toEqual({ Ref: only(s, "AWS::Cognito::UserPoolClient")[0] });
  });
});

const UNIQUE_NAMES = /^(Table|Function|LogGroup|Queue|Topic|Alarm|UserPool|Client|CachePolicy)Name$|^Name$/;

describe("two stages in one account", () => {
  it("share no physical name", () => {
    const names = (stage: string) => {
      const s = stage in stacks ? (stacks[stage] as Synth) : synth(stage);
      // The names an account and region hold once; an authorizer's or a policy's name is only its parent's.
      return Object.values(s.resources)
        .filter((r) => r.Type !== "AWS::ApiGatewayV2::Authorizer")
        .flatMap((r) =>
          [...Object.entries(r.Properties ?? {}), ["CachePolicyName", r.Properties?.CachePolicyConfig?.Name]]
            .filter(([k, v]) => UNIQUE_NAMES.test(k) && typeof v === "string")
            .map(([, v]) => v as string),
        );
    };
    const [dev, prod, alice] = [names("dev"), names("prod"), names("alice")];
    expect(dev.length).toBeGreaterThan(TABLES.length);
    expect(dev.filter((n) => prod.includes(n) || alice.includes(n))).toEqual([]);
    expect(prod.filter((n) => alice.includes(n))).toEqual([]);
  });

  it("sends alarm e-mail only when an address is given", () => {
    const withEmail = synth("bob", { alarmEmail: "ops@example.com" });
    expect(only(withEmail, "AWS::SNS::Subscription")[1].Properties).toMatchObject({
      Protocol: "email",
      Endpoint: "ops@example.com",
    });
    expect(ofType(stacks.dev as Synth, "AWS::SNS::Subscription")).toEqual([]);
  });
});

describe("parseStage", () => {
  it("defaults to dev when no stage is given", () => {
    expect(parseStage(undefined)).toBe("dev");
  });

  it.each([...STAGES, "alice", "pr42"])("accepts %s", (stage) => {
    expect(parseStage(stage)).toBe(stage);
  });

  it.each(["", "Prod", "4dev", "my-stage", "a_b", "averyverylongname", 1, null, true])(
    "rejects %j",
    (value) => {
      expect(() => parseStage(value)).toThrow(
        /Invalid stage .*-c stage=dev, -c stage=prod or a name of your own/,
      );
    },
  );
});

// The template's own text, for what no property names: nothing may grant dynamodb:* or Scan anywhere.
describe("the whole template", () => {
  it.each(STAGES)("%s grants no DynamoDB wildcard and no Scan", (stage) => {
    const text = JSON.stringify((stacks[stage] as Synth).template.toJSON());
    expect(text).not.toMatch(/"dynamodb:\*"|"dynamodb:Scan"/);
  });
});
