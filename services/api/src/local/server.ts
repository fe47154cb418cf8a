import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import type { Jwks } from "aws-jwt-verify/jwk";
import { createApp } from "../app";
import { CognitoAuthenticator } from "../auth/cognito";
import { LocalTokens } from "../auth/local-tokens";
import type { Authenticator } from "../auth/principal";
import { type Config, ConfigError, loadConfig } from "../config";
import { createDocumentClient, createDynamoClient } from "../db/client";
import { ensureTables } from "../db/create-tables";
import { webAppCsp } from "../http/security-headers";
import { StatementPool } from "../imports/statement-reader";
import { type RecurringTimer, startRecurringTimer } from "../recurring/timer";
import {
  createFirstAccountMigration,
  createMaterialiser,
  createRecovery,
  startAnalyticsRefresh,
} from "../services";
import { LocalFileStorage } from "../storage/files";
import { UPLOADS_KEPT_MS } from "../storage/uploads";
import { type DynamoDbLocal, JavaMissingError, startDynamoDbLocal, waitForDynamo } from "./dynamodb-local";
import { shutDown } from "./shutdown";
import { loadSigningKey } from "./signing-key";
import { webAssets, webConnectSources } from "./web-assets";
import { ensureWebBuilt } from "./web-build";
import { webConfigAnswer, webConfigFor } from "./web-config";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
/**
 * Paths the API answers (MCP clients' included); everything else is the web app. `/.well-known` is
 * the API's too, so an MCP client looking for OAuth metadata after a 401 gets a JSON 404, not the
 * web app's HTML.
 */
const API_PATH = /^\/(v1|docs|mcp|\.well-known)(\/|$)/;

function authenticatorFor(config: Config): Authenticator {
  if (config.auth.mode === "cognito") {
    const { userPoolId, clientId } = config.auth;
    // COGNITO_JWKS_FILE: a key set trusted instead of the pool's (the browser test's stand-in signs with it).
    const jwks = config.cognitoJwksFile ? readJwks(config.cognitoJwksFile) : undefined;
    return new CognitoAuthenticator({ userPoolId, clientId, ...(jwks ? { jwks } : {}) });
  }
  return new LocalTokens(loadSigningKey(config.dataDir, config.db === "file"), config.tokenTtlSeconds);
}

/** A JSON Web Key Set from a file; anything else stops the start with a sentence that says so. */
function readJwks(path: string): Jwks {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new ConfigError(`COGNITO_JWKS_FILE could not be read as JSON (${path}): ${String(err)}`);
  }
  const keys = parsed && typeof parsed === "object" && "keys" in parsed ? parsed.keys : undefined;
  if (!Array.isArray(keys) || keys.length === 0)
    throw new ConfigError(`COGNITO_JWKS_FILE must hold a key set, {"keys": [...]} (${path})`);
  // aws-jwt-verify checks each key's fields (kty, alg, use) when it verifies with it.
  return parsed as Jwks;
}

/**
 * The local entry: listens at once (health answers 503 "starting"), starts DynamoDB Local unless
 * DYNAMODB_ENDPOINT names one, creates missing tables, then reports ready. Ctrl-C or SIGTERM stops
 * the HTTP server and DynamoDB Local; no Java process outlives it.
 */
async function main(): Promise<void> {
  const startedAt = performance.now();
  const config = loadConfig();
  const dynamo: DynamoDbLocal | undefined = config.dynamodbEndpoint
    ? undefined
    : await startDynamoDbLocal(config.db === "file" ? { dbPath: join(config.dataDir, "dynamodb") } : {});
  const endpoint = config.dynamodbEndpoint ?? dynamo?.endpoint;
  const client = createDynamoClient({ ...(endpoint ? { endpoint } : {}), region: config.region });

  const receiptsDir =
    config.db === "file" ? join(config.dataDir, "receipts") : mkdtempSync(join(tmpdir(), "tyche-receipts-"));
  if (config.db === "memory")
    process.once("exit", () => rmSync(receiptsDir, { recursive: true, force: true }));
  const files = new LocalFileStorage(receiptsDir);
  // As the bucket's lifecycle does on AWS: a bank file sent ahead and never used does not stay.
  void files
    .removeOlderThan("uploads", UPLOADS_KEPT_MS)
    .catch((err) => console.warn("old uploads were not removed", err));
  let ready = false;
  const store = { db: createDocumentClient(client), tables: config.tables };
  const statements = new StatementPool(config.imports);
  // Analytics are refreshed in this process after each write that changes a month (on AWS, by the
  // table's stream).
  const refresh = startAnalyticsRefresh(store);
  const app = createApp({
    ...store,
    authenticator: authenticatorFor(config),
    // In memory, nothing is kept: receipts go to a temporary folder, removed on the way out.
    files,
    isReady: () => ready,
    statements,
    refresh,
    ai: config.ai,
    region: config.region,
    corsOrigins: config.corsOrigins,
    ...(config.requestTimeoutMs !== undefined ? { requestTimeoutMs: config.requestTimeoutMs } : {}),
    trustProxy: config.trustProxy,
  });
  // The web app, built now if its sources changed since `npm ci` built it (in parallel with the rest
  // of start-up); until then its pages answer 503 like health does.
  let web: ((req: Request) => Promise<Response>) | undefined;
  const webConfig = webConfigAnswer(webConfigFor(config.auth));
  const webReady = ensureWebBuilt(REPO_ROOT).then((how) => {
    web = webAssets(join(REPO_ROOT, "web", "dist"), webAppCsp(webConnectSources(config)));
    return how;
  });
  const server = serve({
    fetch: (req) => {
      const { pathname } = new URL(req.url);
      if (API_PATH.test(pathname)) return app.fetch(req);
      // How the web app signs in, asked before it shows a page; on AWS a file the stack writes.
      if (pathname === "/config.json") return webConfig(req);
      return web && ready
        ? web(req)
        : new Response("Tyche is starting…", { status: 503, headers: { "retry-after": "1" } });
    },
    port: config.port,
  });

  let recurring: RecurringTimer | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await shutDown({
      server,
      background: [recurring, refresh],
      client,
      dynamo: dynamo && {
        stop: dynamo.stop,
        ...(config.db === "file" ? { barrierTable: config.tables.users } : {}),
      },
      statements,
      warn: console.warn,
    });
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  server.on("error", (err: NodeJS.ErrnoException) => {
    console.error(
      err.code === "EADDRINUSE"
        ? `Port ${config.port} is in use: stop what uses it or set PORT.`
        : String(err),
    );
    void stop(1);
  });

  const died = dynamo?.exited.then(() => {
    throw new Error(`DynamoDB Local stopped during start:\n${dynamo.output()}`);
  });
  await Promise.race([waitForDynamo(client), ...(died ? [died] : [])]);
  const created = await ensureTables(client, config.tables);
  // Imports a stopped server cut off are repaired before the first request can see their months.
  // A DynamoDB Local this process spawned has no other writer, so every lease in it is a dead one's.
  const repaired = await createRecovery(store).recoverAll({ embedded: dynamo !== undefined });
  // Transactions from before accounts are put in each user's first account, balances with them.
  const migrated = await createFirstAccountMigration(store).runAll();
  const webBuild = await webReady;
  ready = true;
  // Recurring bills due are posted now and then on a timer, in the background (on AWS, an
  // EventBridge schedule runs the same function: recurring-lambda.ts).
  if (config.recurringIntervalMs > 0)
    recurring = startRecurringTimer(createMaterialiser(store), { intervalMs: config.recurringIntervalMs });
  void dynamo?.exited.then(() => {
    if (!stopping) {
      console.error(`DynamoDB Local stopped unexpectedly:\n${dynamo.output()}`);
      void stop(1);
    }
  });

  const where = dynamo
    ? config.db === "memory"
      ? "DynamoDB Local in memory"
      : `DynamoDB Local with data in ${join(config.dataDir, "dynamodb")}`
    : `DynamoDB at ${endpoint ?? "AWS"}`;
  console.log(
    `Tyche is ready on http://localhost:${config.port} (${where}; ${created.length} tables created` +
      `${repaired.recovered ? `; ${repaired.recovered} interrupted imports repaired` : ""}` +
      `${migrated ? `; ${migrated} transactions moved into first accounts` : ""}` +
      `${webBuild === "built" ? "; web app rebuilt from changed sources" : ""}` +
      `${repaired.failed ? `; ${repaired.failed} could not be repaired, see above` : ""}) ` +
      `in ${Math.round(performance.now() - startedAt)} ms. Open http://localhost:${config.port}/ (API docs at /docs)`,
  );
}

main().catch((err) => {
  console.error(err instanceof ConfigError || err instanceof JavaMissingError ? err.message : err);
  process.exit(1);
});
