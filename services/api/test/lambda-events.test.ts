import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChatEvent } from "@tyche/types";
import type { APIGatewayProxyEventV2, Context, PostConfirmationTriggerEvent, SQSEvent } from "aws-lambda";
import type { LambdaEvent } from "hono/aws-lambda";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CognitoAuthenticator } from "../src/auth/cognito";
import { createSignupTrigger } from "../src/auth/cognito-signup";
import { createDocumentClient, createDynamoClient } from "../src/db/client";
import type { Store } from "../src/db/store";
import { tableNames } from "../src/db/tables";
import { fileRoutes } from "../src/handlers/files";
import type { ImportQueue } from "../src/imports/import-job";
import { createImportWorker } from "../src/imports/import-worker";
import { StatementPool } from "../src/imports/statement-reader";
import { createLambdaHandler } from "../src/lambda-handler";
import { createCognitoProvisioner, createImportService } from "../src/services";
import { LocalFileStorage } from "../src/storage/files";
import { type Reply, TEST_DB_REQUEST_TIMEOUT_MS, uniqueEmail } from "./support/harness";

/**
 * The API Lambda's handler, built as lambda.ts builds it, invoked with the events API Gateway's HTTP
 * API sends (payload v2), on DynamoDB Local, with ID tokens signed by a key set made here in place
 * of the user pool's; users come into being through the post-confirmation trigger, as on AWS.
 */
const REGION = "us-east-1";
const POOL = `${REGION}_LambdaPool`;
const CLIENT = "lambdaclient";
const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`;
const MONTH = "2025-01";

const client = createDynamoClient({
  endpoint: inject("dynamoEndpoint"),
  timeouts: { requestTimeoutMs: TEST_DB_REQUEST_TIMEOUT_MS },
});
const store: Store = { db: createDocumentClient(client), tables: tableNames({}) };
const statements = new StatementPool({ workers: 1 });
let handler: ReturnType<typeof createLambdaHandler>;
/**
 * S3, played by a stand-in behind the same storage interface: the local file store, whose signed
 * URLs its own small app serves (handlers/files.ts), apart from the Lambda, as S3 is on AWS.
 */
const files = new LocalFileStorage(mkdtempSync(join(tmpdir(), "tyche-lambda-files-")));
const s3 = fileRoutes(files);
/** SQS, as the test sees it: the jobs the API sent, to hand to the worker's handler. */
const jobs: string[] = [];
const queue: ImportQueue = {
  send: async (job) => {
    jobs.push(JSON.stringify(job));
  },
};
/** The import worker's handler, built as import-worker-lambda.ts builds it. */
const worker = createImportWorker(createImportService(store, { files, statements }));
let poolKey: CryptoKey;
let strangerKey: CryptoKey;

beforeAll(async () => {
  const pool = await generateKeyPair("RS256");
  const stranger = await generateKeyPair("RS256");
  poolKey = pool.privateKey;
  strangerKey = stranger.privateKey;
  const jwk: JWK = { ...(await exportJWK(pool.publicKey)), kid: "pool-key", alg: "RS256", use: "sig" };
  handler = createLambdaHandler({
    ...store,
    // Cast: jose's JWK allows fields absent, aws-jwt-verify's Jwk types them as required.
    authenticator: new CognitoAuthenticator({
      userPoolId: POOL,
      clientId: CLIENT,
      jwks: { keys: [jwk as never] },
    }),
    files,
    importQueue: queue,
    statements,
  });
});
afterAll(async () => {
  await statements.close();
  client.destroy();
});

interface Claims {
  sub: string;
  email: string;
  "custom:tenantId": string;
}

function sign(claims: Claims, opts: { key?: CryptoKey; kid?: string; exp?: number } = {}): Promise<string> {
  return new SignJWT({ token_use: "id", aud: CLIENT, ...claims })
    .setProtectedHeader({ alg: "RS256", kid: opts.kid ?? "pool-key" })
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 3600)
    .sign(opts.key ?? poolKey);
}

/** A user confirmed by the pool: the trigger founds the tenant, and what it would set on the user is kept. */
async function signUp(name: string): Promise<Claims> {
  const sub = crypto.randomUUID();
  const email = uniqueEmail("Lambda");
  const set: string[] = [];
  const trigger = createSignupTrigger({
    provisioner: createCognitoProvisioner(store),
    setTenant: async (_pool, _user, tenantId) => {
      set.push(tenantId);
    },
  });
  const event = {
    version: "1",
    region: REGION,
    userPoolId: POOL,
    userName: sub,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: CLIENT },
    triggerSource: "PostConfirmation_ConfirmSignUp",
    request: {
      userAttributes: { sub, email, name, "cognito:user_status": "CONFIRMED", email_verified: "true" },
    },
    response: {},
  } as PostConfirmationTriggerEvent;
  expect(await trigger(event)).toBe(event);
  expect(set).toHaveLength(1);
  return { sub, email, "custom:tenantId": set[0] as string };
}

const context: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: "tyche-test-api",
  functionVersion: "$LATEST",
  invokedFunctionArn: `arn:aws:lambda:${REGION}:123456789012:function:tyche-test-api`,
  memoryLimitInMB: "1024",
  awsRequestId: "request",
  logGroupName: "/aws/lambda/tyche-test-api",
  logStreamName: "stream",
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

interface Invocation {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

function httpEvent(method: string, path: string, opts: Invocation): APIGatewayProxyEventV2 {
  const [rawPath = path, rawQueryString = ""] = path.split("?");
  const headers: Record<string, string> = {
    host: "api.example.com",
    "user-agent": "vitest",
    ...opts.headers,
  };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath,
    rawQueryString,
    headers,
    requestContext: {
      accountId: "123456789012",
      apiId: "api",
      domainName: "api.example.com",
      domainPrefix: "api",
      http: { method, path: rawPath, protocol: "HTTP/1.1", sourceIp: "192.0.2.1", userAgent: "vitest" },
      requestId: crypto.randomUUID(),
      routeKey: "$default",
      stage: "$default",
      time: "01/Jan/2025:00:00:00 +0000",
      timeEpoch: Date.now(),
    },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    isBase64Encoded: false,
  };
}

/**
 * Invokes the handler and reads its answer as API Gateway does, decoding a base64 body: Hono counts
 * text/event-stream as binary, so the chat comes back base64 and reaches the client as its bytes.
 */
async function invoke(method: string, path: string, opts: Invocation = {}) {
  // Hono's own event type differs from @types/aws-lambda's in what its adapter never reads (a body
  // typed null when absent, a required authorizer), so the real event shape goes in through unknown.
  const res = await handler(httpEvent(method, path, opts) as unknown as LambdaEvent, context);
  const text = res.isBase64Encoded ? Buffer.from(res.body, "base64").toString("utf8") : res.body;
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return {
    status: res.statusCode,
    type: String(res.headers?.["content-type"] ?? ""),
    text,
    body: body as Reply["body"],
  };
}

let ada: Claims;
let adaToken: string;
let budgetPath: string;
let transactionPath: string;

describe("the API Lambda's handler with API Gateway v2 events", () => {
  it("answers health without a token", async () => {
    const res = await invoke("GET", "/v1/health");
    expect(res).toMatchObject({ status: 200, body: { status: "ok" } });
  });

  it("knows a user the sign-up trigger founded, by the pool's ID token", async () => {
    ada = await signUp("Ada");
    adaToken = await sign(ada);
    const me = await invoke("GET", "/v1/me", { token: adaToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      userId: ada.sub,
      tenantId: ada["custom:tenantId"],
      email: ada.email.toLowerCase(),
      name: "Ada",
    });
  });

  it("plans a budget, records a transaction and reads the spending back", async () => {
    const categories = await invoke("GET", "/v1/categories", { token: adaToken });
    expect(categories.body.items).toHaveLength(11);
    const groceries = categories.body.items.find((c: { type: string }) => c.type === "groceries").categoryId;

    const budget = await invoke("POST", "/v1/budgets", {
      token: adaToken,
      body: { month: MONTH, totalIncome: 400_000, categories: [{ categoryId: groceries, limit: 60_000 }] },
    });
    expect(budget.status, budget.text).toBe(201);
    budgetPath = `/v1/budgets/${MONTH}`;

    const txn = await invoke("POST", "/v1/transactions", {
      token: adaToken,
      body: { date: `${MONTH}-05`, amount: 4_250, categoryId: groceries, merchant: "WHOLEFDS MKT 10234" },
    });
    expect(txn.status, txn.text).toBe(201);
    expect(txn.body).toMatchObject({ amount: 4_250, type: "expense", categoryType: "groceries" });
    transactionPath = `/v1/transactions/${txn.body.transactionId}`;

    const after = await invoke("GET", budgetPath, { token: adaToken });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ month: MONTH, totalActualExpenses: 4_250 });
    expect(after.body.categories.find((c: { type: string }) => c.type === "groceries")).toMatchObject({
      limit: 60_000,
      spent: 4_250,
      remaining: 55_750,
    });
    expect((await invoke("GET", transactionPath, { token: adaToken })).status).toBe(200);
  });

  it("refuses a token signed by another key, or expired", async () => {
    const forged = await sign(ada, { key: strangerKey });
    const expired = await sign(ada, { exp: Math.floor(Date.now() / 1000) - 60 });
    for (const token of [forged, expired]) {
      const res = await invoke("GET", budgetPath, { token });
      expect(res).toMatchObject({ status: 401, type: "application/problem+json" });
    }
  });

  it("shows another tenant's user nothing of the first one's", async () => {
    const grace = await signUp("Grace");
    expect(grace["custom:tenantId"]).not.toBe(ada["custom:tenantId"]);
    const token = await sign(grace);
    expect((await invoke("GET", "/v1/me", { token })).body).toMatchObject({
      userId: grace.sub,
      name: "Grace",
    });
    expect((await invoke("GET", budgetPath, { token })).status).toBe(404);
    expect((await invoke("GET", transactionPath, { token })).status).toBe(404);
    expect((await invoke("GET", "/v1/transactions", { token })).body.items).toEqual([]);
  });

  it("imports a bank file over Lambda's 6 MB through a presigned upload, written by a worker invocation of its own", async () => {
    // 2,000 rows, each with a long memo the import does not keep: a statement past what a Lambda
    // request may carry, which therefore never passes through the API function.
    const lines = ["Date,Description,Amount,Memo"];
    for (let i = 0; i < 2_000; i++) {
      lines.push(
        `${MONTH}-${String(1 + (i % 28)).padStart(2, "0")},Shop ${i},-${(i % 90) + 1}.25,${"x".repeat(3_300)}`,
      );
    }
    const csv = Buffer.from(lines.join("\n"));
    expect(csv.byteLength).toBeGreaterThan(6 * 1024 * 1024);

    const upload = await invoke("POST", "/v1/uploads", {
      token: adaToken,
      body: { size: csv.byteLength, contentType: "text/csv" },
    });
    expect(upload.status, upload.text).toBe(201);
    const put = await s3.request(upload.body.url, { method: "PUT", headers: upload.body.headers, body: csv });
    expect(put.status).toBe(200);

    const accounts = await invoke("GET", "/v1/accounts", { token: adaToken });
    const accountId = accounts.body.items[0].accountId;
    const started = await invoke("POST", `/v1/imports?accountId=${accountId}`, {
      token: adaToken,
      headers: { prefer: "respond-async" },
      body: { uploadId: upload.body.uploadId, fileName: "big-statement.csv" },
    });
    expect(started.status, started.text).toBe(202);
    expect(started.body).toMatchObject({ status: "running", total: 2_000, processed: 0 });
    // The API answered without writing a row: the job went to the queue, small beside the file.
    expect(jobs).toHaveLength(1);
    expect((jobs[0] as string).length).toBeLessThan(256 * 1024);
    const before = await invoke("GET", budgetPath, { token: adaToken });
    expect(before.body.totalActualExpenses).toBe(4_250);

    const sqs = {
      Records: [{ messageId: "m-1", receiptHandle: "h-1", body: jobs[0], eventSource: "aws:sqs" }],
    } as unknown as SQSEvent;
    expect(await worker(sqs)).toEqual({ batchItemFailures: [] });
    const record = await invoke("GET", `/v1/imports/${started.body.importId}`, { token: adaToken });
    expect(record.body).toMatchObject({
      status: "completed",
      processed: 2_000,
      fileName: "big-statement.csv",
    });
    let spent = 0;
    for (let i = 0; i < 2_000; i++) spent += ((i % 90) + 1) * 100 + 25;
    const after = await invoke("GET", budgetPath, { token: adaToken });
    expect(after.body.totalActualExpenses).toBe(4_250 + spent);
    // Written, the file is let go.
    expect(
      await files.size(`uploads/${ada["custom:tenantId"]}/${ada.sub}/${upload.body.uploadId}`),
    ).toBeUndefined();
  });

  it("attaches a receipt through a presigned upload and opens it through a presigned URL", async () => {
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
      "base64",
    );
    const upload = await invoke("POST", "/v1/uploads", {
      token: adaToken,
      body: { size: png.byteLength, contentType: "image/png" },
    });
    await s3.request(upload.body.url, { method: "PUT", headers: upload.body.headers, body: png });
    const attached = await invoke("PUT", `${transactionPath}/receipt`, {
      token: adaToken,
      body: { uploadId: upload.body.uploadId },
    });
    expect(attached.status, attached.text).toBe(200);
    const redirect = await handler(
      httpEvent("GET", `${transactionPath}/receipt`, { token: adaToken }) as unknown as LambdaEvent,
      context,
    );
    expect(redirect.statusCode).toBe(303);
    const opened = await s3.request(String(redirect.headers?.location));
    expect(opened.status).toBe(200);
    expect(opened.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await opened.arrayBuffer()).equals(png)).toBe(true);
  });

  it("answers the assistant as a server-sent event stream, buffered by Lambda, from start to done", async () => {
    const res = await invoke("POST", "/v1/ai/chat", {
      token: adaToken,
      body: { message: "How is my budget?" },
    });
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/event-stream/);
    const events = res.text
      .split("\n\n")
      .filter((frame) => frame.trim() && !frame.startsWith(":"))
      .map((frame) => JSON.parse(/^data: (.+)$/m.exec(frame)?.[1] ?? "null") as ChatEvent);
    expect(events[0]).toMatchObject({ type: "start", advisor: "built-in" });
    expect(events.at(-1)).toMatchObject({ type: "done" });
  });
});
