import { resolve } from "node:path";
import { type TableNames, tableNames } from "./db/tables";

export interface Config {
  port: number;
  dataDir: string;
  db: "file" | "memory";
  dynamodbEndpoint?: string;
  region: string;
  auth:
    | { mode: "local" }
    | {
        mode: "cognito";
        userPoolId: string;
        clientId: string;
        /** The user-pool API the web app talks to, when not AWS's own (a stand-in in tests). */
        endpoint?: string;
      };
  /**
   * The local server only (the Lambda never reads it): a JSON key set to trust for Cognito ID tokens
   * instead of fetching the pool's, so that a test can sign tokens with a key of its own.
   */
  cognitoJwksFile?: string;
  /** TOKEN_TTL_SECONDS: how long a local session token lives; a token claiming longer is refused. */
  tokenTtlSeconds: number;
  /**
   * TYCHE_TRUST_PROXY=1: the server sits behind one reverse proxy, so the client is the last address
   * of X-Forwarded-For (the one that proxy appended). Unset, the header is ignored: anyone can write it.
   */
  trustProxy: boolean;
  tables: TableNames;
  /** The bank-file parsing pool's options (`imports/statement-reader.ts`); unset: its defaults. */
  imports: { workers?: number; timeLimitMs?: number };
  /** How often the local server posts due recurring bills (ms); 0: never, not even at start. */
  recurringIntervalMs: number;
  /** Who answers the assistant: the built-in advisor (`none`) or a language model. */
  ai: AiConfig;
  /** Browser origins other than the API's own allowed CORS (TYCHE_WEB_ORIGIN); none by default. */
  corsOrigins: string[];
  /** TYCHE_REQUEST_TIMEOUT_MS: a request not answered by then answers 503 (http/deadline.ts); unset: its default. */
  requestTimeoutMs?: number;
}

export type AiConfig =
  | { provider: "none" }
  | {
      provider: "anthropic" | "bedrock" | "openai";
      model: string;
      /** openai: the OpenAI-compatible endpoint (OpenAI, Ollama's /v1, a gateway). */
      baseUrl?: string;
      /** openai: the key, when the endpoint wants one (Ollama does not). anthropic reads ANTHROPIC_API_KEY. */
      apiKey?: string;
    };

/** The model each provider uses unless AI_MODEL names another. */
export const DEFAULT_MODELS = {
  anthropic: "claude-sonnet-4-5",
  bedrock: "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
} as const;

/** AI_PROVIDER and its companions (DESIGN.md, Environment). */
export function loadAiConfig(env: Readonly<Record<string, string | undefined>>): AiConfig {
  const provider = env.AI_PROVIDER ?? "none";
  if (provider === "none") return { provider };
  if (provider === "anthropic" || provider === "bedrock") {
    return { provider, model: env.AI_MODEL ?? DEFAULT_MODELS[provider] };
  }
  if (provider === "openai") {
    const baseUrl = env.AI_BASE_URL ?? "https://api.openai.com/v1";
    if (!/^https?:\/\//.test(baseUrl))
      throw new ConfigError(`AI_BASE_URL must be an http(s) URL, not "${baseUrl}"`);
    if (!env.AI_MODEL) {
      throw new ConfigError('AI_PROVIDER=openai needs AI_MODEL (e.g. "gpt-4.1" or, for Ollama, "llama3.1")');
    }
    return { provider, model: env.AI_MODEL, baseUrl, ...(env.AI_API_KEY ? { apiKey: env.AI_API_KEY } : {}) };
  }
  throw new ConfigError(`AI_PROVIDER must be "none", "anthropic", "bedrock" or "openai", not "${provider}"`);
}

export class ConfigError extends Error {}

/** Reads DESIGN.md's environment variables; a wrong value stops the start with a sentence that says which. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be a port number, not "${env.PORT}"`);
  const db = env.TYCHE_DB ?? "file";
  if (db !== "file" && db !== "memory")
    throw new ConfigError(`TYCHE_DB must be "file" or "memory", not "${db}"`);
  const mode = env.AUTH_MODE ?? "local";
  let auth: Config["auth"];
  if (mode === "local") auth = { mode };
  else if (mode === "cognito") {
    const { COGNITO_USER_POOL_ID: userPoolId, COGNITO_CLIENT_ID: clientId } = env;
    if (!userPoolId || !clientId)
      throw new ConfigError("AUTH_MODE=cognito needs COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID");
    const endpoint = env.COGNITO_ENDPOINT;
    if (endpoint !== undefined && !/^https?:\/\/[^/]/.test(endpoint))
      throw new ConfigError(`COGNITO_ENDPOINT must be an http(s) URL, not "${endpoint}"`);
    auth = { mode, userPoolId, clientId, ...(endpoint ? { endpoint } : {}) };
  } else throw new ConfigError(`AUTH_MODE must be "local" or "cognito", not "${mode}"`);
  const imports: Config["imports"] = {};
  if (env.TYCHE_IMPORT_WORKERS !== undefined) {
    imports.workers = Number(env.TYCHE_IMPORT_WORKERS);
    if (!Number.isInteger(imports.workers) || imports.workers < 1 || imports.workers > 64)
      throw new ConfigError(
        `TYCHE_IMPORT_WORKERS must be a whole number from 1 to 64, not "${env.TYCHE_IMPORT_WORKERS}"`,
      );
  }
  if (env.TYCHE_IMPORT_TIMEOUT_MS !== undefined) {
    imports.timeLimitMs = Number(env.TYCHE_IMPORT_TIMEOUT_MS);
    if (!Number.isInteger(imports.timeLimitMs) || imports.timeLimitMs < 1)
      throw new ConfigError(
        `TYCHE_IMPORT_TIMEOUT_MS must be a positive whole number of milliseconds, not "${env.TYCHE_IMPORT_TIMEOUT_MS}"`,
      );
  }
  const recurringIntervalMs = Number(env.TYCHE_RECURRING_INTERVAL_MS ?? 3_600_000);
  // setInterval takes at most 2^31 - 1 ms (about 24.8 days).
  if (
    !Number.isInteger(recurringIntervalMs) ||
    recurringIntervalMs < 0 ||
    recurringIntervalMs > 2_147_483_647
  )
    throw new ConfigError(
      `TYCHE_RECURRING_INTERVAL_MS must be a whole number of milliseconds (0 turns it off), not "${env.TYCHE_RECURRING_INTERVAL_MS}"`,
    );
  const tokenTtlSeconds = Number(env.TOKEN_TTL_SECONDS ?? 12 * 60 * 60);
  if (!Number.isInteger(tokenTtlSeconds) || tokenTtlSeconds < 60 || tokenTtlSeconds > 30 * 24 * 60 * 60)
    throw new ConfigError(
      `TOKEN_TTL_SECONDS must be a whole number of seconds from 60 to 2592000, not "${env.TOKEN_TTL_SECONDS}"`,
    );
  const trustProxy = env.TYCHE_TRUST_PROXY === "1" || env.TYCHE_TRUST_PROXY === "true";
  const requestTimeoutMs =
    env.TYCHE_REQUEST_TIMEOUT_MS === undefined ? undefined : Number(env.TYCHE_REQUEST_TIMEOUT_MS);
  if (requestTimeoutMs !== undefined && (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs < 1))
    throw new ConfigError(
      `TYCHE_REQUEST_TIMEOUT_MS must be a positive whole number of milliseconds, not "${env.TYCHE_REQUEST_TIMEOUT_MS}"`,
    );
  return {
    port,
    dataDir: resolve(env.TYCHE_DATA_DIR ?? ".tyche"),
    db,
    ...(env.DYNAMODB_ENDPOINT ? { dynamodbEndpoint: env.DYNAMODB_ENDPOINT } : {}),
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    auth,
    ...(auth.mode === "cognito" && env.COGNITO_JWKS_FILE ? { cognitoJwksFile: env.COGNITO_JWKS_FILE } : {}),
    tokenTtlSeconds,
    trustProxy,
    tables: tableNames(env),
    imports,
    recurringIntervalMs,
    ai: loadAiConfig(env),
    corsOrigins: corsOrigins(env),
    ...(requestTimeoutMs !== undefined ? { requestTimeoutMs } : {}),
  };
}

/**
 * TYCHE_WEB_ORIGIN: comma-separated origins of a web app served from elsewhere than the API (e.g.
 * Vite's dev server). Unset means none: the local server and CloudFront both serve the web app from
 * the API's own origin, and a same-origin page needs no CORS. Each entry must be exactly an origin.
 */
export function corsOrigins(env: Readonly<Record<string, string | undefined>>): string[] {
  const list = (env.TYCHE_WEB_ORIGIN ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const origin of list) {
    let parsed: string | undefined;
    try {
      parsed = new URL(origin).origin;
    } catch {
      parsed = undefined;
    }
    if (parsed !== origin || origin === "null") {
      throw new ConfigError(
        `TYCHE_WEB_ORIGIN must list origins such as https://app.example.com, not "${origin}"`,
      );
    }
  }
  return list;
}
