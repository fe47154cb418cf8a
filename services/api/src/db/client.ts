import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

/**
 * How long one call to DynamoDB may take. Without these a frozen or unreachable database holds a
 * request for as long as the OS keeps the socket (minutes). A call that times out is retried by the
 * SDK's standard strategy (exponential backoff with full jitter, as for throttling), so one call
 * costs at most ATTEMPTS × (connect + answer) plus the waits between; the request deadline
 * (http/deadline.ts) bounds the whole request below that.
 */
export interface DbTimeouts {
  /** To open a TCP connection: DynamoDB Local or a regional endpoint answers in milliseconds. */
  connectionTimeoutMs: number;
  /** From sending a request to its whole answer, per attempt. */
  requestTimeoutMs: number;
  /** Attempts per call, the first included. */
  maxAttempts: number;
}

export const DEFAULT_DB_TIMEOUTS: DbTimeouts = {
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 5_000,
  maxAttempts: 3,
};

export interface DbOptions {
  /** DynamoDB Local or another endpoint; unset means real DynamoDB with the default credential chain. */
  endpoint?: string;
  region?: string;
  timeouts?: Partial<DbTimeouts>;
}

export function createDynamoClient({ endpoint, region, timeouts }: DbOptions): DynamoDBClient {
  const t = { ...DEFAULT_DB_TIMEOUTS, ...timeouts };
  return new DynamoDBClient({
    region: region ?? process.env.AWS_REGION ?? "us-east-1",
    maxAttempts: t.maxAttempts,
    retryMode: "standard",
    requestHandler: {
      connectionTimeout: t.connectionTimeoutMs,
      requestTimeout: t.requestTimeoutMs,
      // Without it the SDK only logs a warning when requestTimeout passes and keeps waiting.
      throwOnRequestTimeout: true,
    },
    ...(endpoint ? { endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
  });
}

export function createDocumentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}
