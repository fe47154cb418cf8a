import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TABLES, type TableKey } from "@tyche/api/tables";
import {
  type Duration,
  type aws_dynamodb as dynamodb,
  aws_iam as iam,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_lambda_nodejs as nodejs,
  RemovalPolicy,
} from "aws-cdk-lib";
import { Construct } from "constructs";
import type { FunctionAccess } from "./access";
import { isProduction, resourceName, type Stage, tableName } from "./stage";

/** The repository root: esbuild's working directory, where package-lock.json and node_modules are. */
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const API_SRC = join(REPO_ROOT, "services/api/src");
const ESBUILD = join(REPO_ROOT, "node_modules/.bin/esbuild");

/**
 * An ESM bundle still meets CommonJS dependencies (papaparse, parts of the AWS SDK) that call `require` for
 * Node's built-ins, which ESM does not define.
 */
const REQUIRE_SHIM =
  "import{createRequire as __tycheRequire}from'node:module';const require=__tycheRequire(import.meta.url);";

const ESBUILD_FLAGS = [
  "--bundle",
  "--platform=node",
  "--format=esm",
  "--target=node20",
  "--main-fields=module,main",
  "--minify",
  "--sourcemap",
  `--banner:js=${JSON.stringify(REQUIRE_SHIM)}`,
];

const quote = (path: string) => `'${path.replace(/'/g, "'\\''")}'`;

/**
 * The bank-file parsing worker as `statement-worker.mjs` beside index.mjs, where `imports/statement-reader.ts`
 * starts it from (docs/ARCHITECTURE.md, Bank imports): every function that reads bank files needs it.
 */
function statementWorkerBundle(inputDir: string, outputDir: string): string {
  return [
    quote(ESBUILD),
    quote(join(inputDir, "services/api/src/imports/statement-worker.ts")),
    ...ESBUILD_FLAGS.map((flag) => quote(flag)),
    "--log-level=warning",
    quote(`--outfile=${join(outputDir, "statement-worker.mjs")}`),
  ].join(" ");
}

/**
 * What the API bundle needs beside index.mjs: the parsing worker, and Swagger UI's files where
 * `handlers/docs.ts` resolves them from, because the bundle has no node_modules of its own.
 */
function apiAfterBundling(inputDir: string, outputDir: string): string[] {
  const swagger = dirname(
    createRequire(join(API_SRC, "handlers/docs.ts")).resolve("swagger-ui-dist/package.json"),
  );
  const target = join(outputDir, "node_modules/swagger-ui-dist");
  return [
    statementWorkerBundle(inputDir, outputDir),
    `mkdir -p ${quote(target)}`,
    `cp ${["package.json", "swagger-ui.css", "swagger-ui-bundle.js"].map((f) => quote(join(swagger, f))).join(" ")} ${quote(target)}`,
  ];
}

export interface TycheFunctionProps {
  stage: Stage;
  /** The function's name after `tyche-<stage>-`. */
  name: string;
  /** The entry under services/api/src. */
  entry: string;
  description: string;
  tables: Readonly<Record<TableKey, dynamodb.ITableV2>>;
  access: FunctionAccess;
  environment?: Record<string, string>;
  memorySize: number;
  timeout: Duration;
  /** Extra files the bundle needs (the parsing worker, Swagger UI). */
  afterBundling?: (inputDir: string, outputDir: string) => string[];
}

/**
 * One of Tyche's Lambda functions: Node 22 on arm64 (Graviton: about 20% cheaper per GB-second than x86),
 * not Node 20, whose Lambda runtime is deprecated since 2026-04-30 (the bundle still targets Node 20, the
 * oldest Node the code base supports, so it runs on either), bundled by the locally installed esbuild (never Docker, so synth works offline and in CI), JSON logs into a
 * log group of its own with the stage's retention, every table name in the brief's environment variables, and
 * exactly the table access `access.ts` gives it.
 */
export class TycheFunction extends Construct {
  readonly fn: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TycheFunctionProps) {
    super(scope, id);
    const functionName = resourceName(props.stage, props.name);
    const prod = isProduction(props.stage);
    this.logGroup = new logs.LogGroup(this, "Logs", {
      logGroupName: `/tyche/${props.stage}/${props.name}`,
      retention: prod ? logs.RetentionDays.THREE_MONTHS : logs.RetentionDays.ONE_WEEK,
      removalPolicy: prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const afterBundling = props.afterBundling;
    this.fn = new nodejs.NodejsFunction(this, "Function", {
      functionName,
      description: props.description,
      entry: join(API_SRC, props.entry),
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, "package-lock.json"),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      environment: {
        // Every table, not only the ones this function reads: an unset variable would fall back to the local
        // default name, which belongs to no stage. IAM, not the environment, decides what it may touch.
        ...Object.fromEntries(TABLES.map((def) => [def.envVar, tableName(props.stage, def)])),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        ...props.environment,
      },
      bundling: {
        format: nodejs.OutputFormat.ESM,
        target: "node20",
        mainFields: ["module", "main"],
        minify: true,
        sourceMap: true,
        banner: REQUIRE_SHIM,
        // The SDK version the tests ran with, not whichever the runtime ships.
        externalModules: [],
        forceDockerBundling: false,
        logLevel: nodejs.LogLevel.WARNING,
        ...(afterBundling
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling,
              },
            }
          : {}),
      },
    });
    grantTables(this.fn, props.tables, props.access);
  }
}

export const API_AFTER_BUNDLING = apiAfterBundling;
/** The import worker parses the files it is given with the same worker thread as the API, and serves no docs. */
export const IMPORT_WORKER_AFTER_BUNDLING = (inputDir: string, outputDir: string): string[] => [
  statementWorkerBundle(inputDir, outputDir),
];

/**
 * One statement per table: its actions on the table, and Query on exactly the indexes it reads. Never a
 * wildcard resource, and never `index/*`.
 */
export function grantTables(
  fn: lambda.IFunction,
  tables: Readonly<Record<TableKey, dynamodb.ITableV2>>,
  access: FunctionAccess,
): void {
  for (const [key, grant] of Object.entries(access) as [TableKey, FunctionAccess[TableKey]][]) {
    if (!grant) continue;
    const table = tables[key];
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: grant.actions.map((action) => `dynamodb:${action}`),
        resources: [table.tableArn],
      }),
    );
    if (grant.indexes?.length) {
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ["dynamodb:Query"],
          resources: grant.indexes.map((index) => `${table.tableArn}/index/${index}`),
        }),
      );
    }
  }
}
