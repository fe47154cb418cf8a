import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";
import type { Advisor } from "../../src/ai/advisor";
import type { RefreshOptions, RefreshQueue } from "../../src/analytics/refresh-queue";
import { createApp } from "../../src/app";
import { LocalTokens } from "../../src/auth/local-tokens";
import type { Authenticator } from "../../src/auth/principal";
import { createDocumentClient, createDynamoClient } from "../../src/db/client";
import type { Owner } from "../../src/db/keys";
import type { Store } from "../../src/db/store";
import { tableNames } from "../../src/db/tables";
import type { ImportQueue } from "../../src/imports/import-job";
import { StatementPool, type StatementReader } from "../../src/imports/statement-reader";
import type { Logger } from "../../src/log";
import { startAnalyticsRefresh } from "../../src/services";
import { LocalFileStorage } from "../../src/storage/files";
import { ownerItems } from "./owner-items";

export { ownerItems };

export interface Reply {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers and assert on them
  body: any;
}

export interface SentCommand {
  name: string;
  input: Record<string, unknown>;
  /** When it was sent and when its answer came (performance.now()), to tell parallel from sequential. */
  sentAt: number;
  answeredAt: number;
}

export interface Harness {
  store: Store;
  receiptsDir: string;
  /**
   * Every DynamoDB command the app sent, to prove which index or key range a request used; without
   * authentication's read of the user's logouts, the same fixed cost before every session request.
   */
  commands: SentCommand[];
  /** Those reads of the logouts record (`SESSIONS`), counted on their own. */
  sessionChecks: SentCommand[];
  tokens: LocalTokens;
  /** The app as a fetch function, for clients such as Hono's typed `hc`. */
  fetch: typeof fetch;
  call(
    method: string,
    path: string,
    opts?: {
      token?: string;
      body?: unknown;
      raw?: string | Uint8Array | FormData;
      headers?: Record<string, string>;
      /** The client's address, as the socket would give it; default: this harness's own. */
      client?: string;
    },
  ): Promise<Reply>;
  /** The address this harness's requests come from unless a call names another. */
  client: string;
  /** The in-process analytics refresh, when the harness was asked for one. */
  refresh?: RefreshQueue;
  /** Stops the parsing workers the harness started, the analytics refresh and the DynamoDB client. */
  close(): Promise<void>;
}

/**
 * The real app on the run's DynamoDB Local, called in-process through Hono's fetch. `statements`
 * replaces the parsing pool (and stays its caller's to close).
 */
export function harness(
  authenticator?: Authenticator,
  options: {
    statements?: StatementReader;
    refresh?: RefreshOptions;
    today?: () => string;
    advisor?: Advisor;
    /** Imports answered with 202 go here, as on AWS, instead of being written in this process. */
    importQueue?: ImportQueue;
    /** Browser origins allowed CORS (TYCHE_WEB_ORIGIN); none unless given. */
    corsOrigins?: readonly string[];
    /** Cognito's AdminUserGlobalSignOut, as log-out-everywhere calls it. */
    globalSignOut?: (userId: string) => Promise<void>;
    /** Where the app's request and error lines go; the process's (silent under vitest) unless given. */
    log?: Logger;
  } = {},
): Harness {
  // The suite runs many files at once on one DynamoDB Local, often many times slower than any
  // deployment: bounds that generous keep slowness from reading as an outage here. The real
  // bounds are held to in database-faults.test.ts, on a DynamoDB Local of its own.
  const client = createDynamoClient({
    endpoint: inject("dynamoEndpoint"),
    timeouts: { requestTimeoutMs: TEST_DB_REQUEST_TIMEOUT_MS },
  });
  const store: Store = { db: createDocumentClient(client), tables: tableNames({}) };
  const commands: SentCommand[] = [];
  const sessionChecks: SentCommand[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const sent: SentCommand = {
        name: String(context.commandName),
        input: args.input as Record<string, unknown>,
        sentAt: performance.now(),
        answeredAt: Number.POSITIVE_INFINITY,
      };
      const isSessionCheck = (sent.input.Key as { SK?: unknown } | undefined)?.SK === "SESSIONS";
      (isSessionCheck ? sessionChecks : commands).push(sent);
      try {
        return await next(args);
      } finally {
        sent.answeredAt = performance.now();
      }
    },
    { step: "initialize", name: "recordCommands" },
  );
  const tokens = new LocalTokens(randomBytes(32));
  const receiptsDir = mkdtempSync(join(tmpdir(), "tyche-receipts-"));
  const own = options.statements ? undefined : new StatementPool();
  // Off unless asked for: its background reads would mix into the commands other tests count.
  const refresh = options.refresh ? startAnalyticsRefresh(store, options.refresh) : undefined;
  const app = createApp({
    ...store,
    ...(refresh ? { refresh } : {}),
    authenticator: authenticator ?? tokens,
    requestTimeoutMs: TEST_REQUEST_TIMEOUT_MS,
    files: new LocalFileStorage(receiptsDir),
    statements: options.statements ?? own,
    ...(options.today ? { today: options.today } : {}),
    ...(options.advisor ? { advisor: options.advisor } : {}),
    ...(options.importQueue ? { importQueue: options.importQueue } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.globalSignOut ? { globalSignOut: options.globalSignOut } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  // One address per harness: login counters per client live in the run's shared DynamoDB Local.
  const address = `10.${randomBytes(3).join(".")}`;
  const env = (from: string) => ({ incoming: { socket: { remoteAddress: from } } });
  return {
    store,
    receiptsDir,
    commands,
    sessionChecks,
    client: address,
    tokens,
    ...(refresh ? { refresh } : {}),
    async close() {
      await refresh?.close();
      await own?.close();
      client.destroy();
    },
    fetch: async (input, init) =>
      app.request(input instanceof URL ? input.href : input, init as RequestInit | undefined, env(address)),
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      // Node's fetch takes any Uint8Array; the DOM typing asks for an ArrayBuffer-backed one.
      let body = opts.raw as BodyInit | undefined;
      if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers["content-type"] ??= "application/json";
      }
      const res = await app.request(
        path,
        { method, headers, ...(body !== undefined ? { body } : {}) },
        env(opts.client ?? address),
      );
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
  };
}

export const TEST_DB_REQUEST_TIMEOUT_MS = 20_000;
export const TEST_REQUEST_TIMEOUT_MS = 30_000;

let counter = 0;
export function uniqueEmail(prefix = "user"): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}.${counter}.${randomBytes(3).toString("hex")}@example.com`;
}

export interface Account {
  token: string;
  owner: Owner;
  email: string;
  password: string;
}

export async function signup(h: Harness, name = "Test User"): Promise<Account> {
  const email = uniqueEmail();
  const password = "correct horse battery staple";
  const res = await h.call("POST", "/v1/auth/signup", { body: { email, password, name } });
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    token: res.body.token,
    owner: { tenantId: res.body.user.tenantId, userId: res.body.user.userId },
    email,
    password,
  };
}

export async function auditActions(store: Store, owner: Owner): Promise<string[]> {
  const items = await ownerItems(store, owner);
  return items.filter((i) => i.table === store.tables.auditLogs).map((i) => String(i.action));
}

/**
 * How many sequential round trips a list of commands took: a command sent before the previous
 * round's first answer arrived rode in that round, in parallel.
 */
export function roundTrips(commands: readonly SentCommand[]): number {
  let rounds = 0;
  let roundEnds = Number.NEGATIVE_INFINITY;
  for (const c of [...commands].sort((a, b) => a.sentAt - b.sentAt)) {
    if (c.sentAt >= roundEnds) {
      rounds += 1;
      roundEnds = c.answeredAt;
    } else roundEnds = Math.min(roundEnds, c.answeredAt);
  }
  return rounds;
}
