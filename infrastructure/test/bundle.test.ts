import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { WebConfig } from "@tyche/types";
import { describe, expect, it } from "vitest";

/**
 * The bundles `npm run synth` built into cdk.out (it runs before vitest in `npm test`), loaded in plain Node as
 * Lambda loads them: no TypeScript, no node_modules but what the bundle carries, and the environment the
 * template gives each function.
 */
const OUT = fileURLToPath(new URL("../cdk.out", import.meta.url));
const TEMPLATE = join(OUT, "Tyche-dev.template.json");
if (!existsSync(TEMPLATE)) throw new Error(`${TEMPLATE} is missing: run \`npm run synth\` first`);

interface Fn {
  Type: string;
  Properties: {
    FunctionName?: string;
    Code?: { S3Key?: string };
    Environment?: { Variables: Record<string, unknown> };
  };
}
const resources = Object.values(JSON.parse(readFileSync(TEMPLATE, "utf8")).Resources as Record<string, Fn>);
/** Which folder of cdk.out each asset (by its hash, the S3 key's name) was staged in. */
const assets = JSON.parse(readFileSync(join(OUT, "Tyche-dev.assets.json"), "utf8")).files as Record<
  string,
  { source: { path: string } }
>;

/** A function's bundle folder and its environment, tokens (pool id, bucket) replaced by stand-ins. */
function bundle(name: string) {
  const fn = resources.find((r) => r.Type === "AWS::Lambda::Function" && r.Properties.FunctionName === name);
  const dir = assets[fn?.Properties.Code?.S3Key?.replace(/\.zip$/, "") ?? ""]?.source.path;
  if (!fn || !dir) throw new Error(`no bundled function ${name} in ${TEMPLATE}`);
  const env = Object.fromEntries(
    Object.entries(fn.Properties.Environment?.Variables ?? {}).map(([k, v]) => [
      k,
      typeof v === "string" ? v : `stand-in-${k.toLowerCase()}`,
    ]),
  );
  return { dir: join(OUT, dir), env };
}

const run = promisify(execFile);

/** Imports the bundle's index.mjs in a fresh Node and prints what `script` returns, as JSON. */
async function invoke(name: string, script: string, extraEnv: Record<string, string> = {}): Promise<unknown> {
  const { dir, env } = bundle(name);
  const { stdout } = await run(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `const { handler } = await import(${JSON.stringify(join(dir, "index.mjs"))});
       const out = await (async () => { ${script} })();
       process.stdout.write("\\n" + JSON.stringify(out));`,
    ],
    {
      cwd: dir,
      // Only what Lambda would set: no credentials are needed, as nothing here reaches AWS.
      env: {
        PATH: process.env.PATH,
        AWS_REGION: "us-east-1",
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
        ...env,
        COGNITO_USER_POOL_ID: "us-east-1_StandIn1",
        ...extraEnv,
      },
      timeout: 60_000,
    },
  );
  // The functions log JSON lines on stdout too (services/api/src/log.ts); the answer is the last line.
  const lines = stdout.split("\n").filter(Boolean);
  for (const line of lines.slice(0, -1)) expect(JSON.parse(line)).toHaveProperty("msg");
  return JSON.parse(lines.at(-1) ?? "");
}

const httpEvent = (method: string, path: string) => ({
  version: "2.0",
  routeKey: `${method} ${path}`,
  rawPath: path,
  rawQueryString: "",
  headers: { host: "api.example.com" },
  requestContext: {
    accountId: "123456789012",
    apiId: "api",
    domainName: "api.example.com",
    domainPrefix: "api",
    http: { method, path, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "test" },
    requestId: "r",
    routeKey: `${method} ${path}`,
    stage: "$default",
    time: "01/Jan/2026:00:00:00 +0000",
    timeEpoch: 0,
  },
  isBase64Encoded: false,
});

describe("the web app's config.json", () => {
  it("is staged with the deployment and reads as a Cognito WebConfig once its markers are filled", () => {
    const staged = Object.values(assets)
      .map((a) => join(OUT, a.source.path, "config.json"))
      .filter((file) => existsSync(file));
    expect(staged).toHaveLength(1);
    const filled = readFileSync(staged[0] as string, "utf8").replace(
      /<<marker:0xbaba:(\d+)>>/g,
      (_m, i) => ["us-east-1", "us-east-1_Pool", "client"][Number(i)] ?? "",
    );
    expect(WebConfig.parse(JSON.parse(filled))).toEqual({
      auth: "cognito",
      region: "us-east-1",
      userPoolId: "us-east-1_Pool",
      clientId: "client",
      passwordMinLength: 12,
    });
  });
});

describe("the synthesised bundles", () => {
  it("give the API its parsing worker and Swagger UI's files beside index.mjs", () => {
    const { dir } = bundle("tyche-dev-api");
    for (const file of [
      "index.mjs",
      "statement-worker.mjs",
      "node_modules/swagger-ui-dist/package.json",
      "node_modules/swagger-ui-dist/swagger-ui.css",
      "node_modules/swagger-ui-dist/swagger-ui-bundle.js",
    ])
      expect(existsSync(join(dir, file)), file).toBe(true);
  });

  it("answer API Gateway v2 events with the API: health (no database here), the OpenAPI document, Swagger UI and a 401", async () => {
    const events = ["/v1/health", "/v1/openapi.json", "/docs/assets/swagger-ui.css", "/v1/me"].map((path) => [
      path,
      httpEvent("GET", path),
    ]);
    const answers = (await invoke(
      "tyche-dev-api",
      `const answers = {};
       for (const [path, event] of ${JSON.stringify(events)}) {
         const r = await handler(event, {});
         answers[path] = { status: r.statusCode, type: r.headers["content-type"], body: String(r.body).slice(0, 200) };
       }
       return answers;`,
      // Health reads DynamoDB: pointed at a port where nothing listens, it must say so at once.
      {
        AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:9",
        AWS_ACCESS_KEY_ID: "none",
        AWS_SECRET_ACCESS_KEY: "none",
      },
    )) as Record<string, { status: number; type: string; body: string }>;
    expect(answers["/v1/health"]).toMatchObject({ status: 503 });
    expect(JSON.parse(answers["/v1/health"]?.body ?? "")).toEqual({
      status: "unavailable",
      database: "unreachable",
    });
    expect(answers["/v1/openapi.json"]?.body).toMatch(/^\{"openapi":"3\.1\.0"/);
    expect(answers["/docs/assets/swagger-ui.css"]).toMatchObject({
      status: 200,
      type: "text/css; charset=utf-8",
    });
    expect(answers["/v1/me"]).toMatchObject({ status: 401, type: "application/problem+json" });
  });

  it("load the stream consumer, which answers an empty batch without reading anything", async () => {
    expect(await invoke("tyche-dev-analytics", "return handler({ Records: [] });")).toEqual({
      batchItemFailures: [],
    });
  });

  it("load the sign-up trigger, which lets a confirmed password reset through untouched", async () => {
    const event = {
      triggerSource: "PostConfirmation_ConfirmForgotPassword",
      request: { userAttributes: {} },
    };
    expect(await invoke("tyche-dev-signup", `return handler(${JSON.stringify(event)});`)).toEqual(event);
  });

  it("give the import worker the parsing worker beside index.mjs, and no Swagger UI", () => {
    const { dir } = bundle("tyche-dev-import-worker");
    for (const file of ["index.mjs", "statement-worker.mjs"])
      expect(existsSync(join(dir, file)), file).toBe(true);
    expect(existsSync(join(dir, "node_modules"))).toBe(false);
  });

  it("load the import worker, which answers an empty batch without reading anything", async () => {
    expect(await invoke("tyche-dev-import-worker", "return handler({ Records: [] });")).toEqual({
      batchItemFailures: [],
    });
  });

  it("load the materialiser", async () => {
    expect(await invoke("tyche-dev-recurring", "return typeof handler;")).toBe("function");
  });
});
