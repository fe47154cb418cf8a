import { resolve } from "node:path";
import { type TableNames, tableNames } from "./db/tables";

export interface Config {
  port: number;
  dataDir: string;
  db: "file" | "memory";
  dynamodbEndpoint?: string;
  region: string;
  auth: { mode: "local" } | { mode: "cognito"; userPoolId: string; clientId: string };
  tables: TableNames;
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
    auth = { mode, userPoolId, clientId };
  } else throw new ConfigError(`AUTH_MODE must be "local" or "cognito", not "${mode}"`);
  return {
    port,
    dataDir: resolve(env.TYCHE_DATA_DIR ?? ".tyche"),
    db,
    ...(env.DYNAMODB_ENDPOINT ? { dynamodbEndpoint: env.DYNAMODB_ENDPOINT } : {}),
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1",
    auth,
    tables: tableNames(env),
  };
}
