import { TransactionCanceledException } from "@aws-sdk/client-dynamodb";

/** Node's words for a connection that could not be made or was cut. */
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** DynamoDB's own words for "too much right now", still so after the SDK's retries. */
const THROTTLED = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "ServiceUnavailable",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);

/** A transaction DynamoDB cancelled for capacity rather than for a condition or a conflict. */
const THROTTLED_REASONS = new Set(["ThrottlingError", "ProvisionedThroughputExceeded"]);

interface Shaped {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

/**
 * Whether an error says the database could not be reached or would not serve now, so that the
 * same request may well succeed in a moment: a refused or cut connection, a timeout, a 5xx from the
 * service, throttling the SDK's retries did not outlast. Anything else (a bad request, a failed
 * condition) is not the database's absence.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const s = e as Shaped;
    if (typeof s.code === "string" && NETWORK_CODES.has(s.code)) return true;
    if (typeof s.name === "string" && THROTTLED.has(s.name)) return true;
    if (e instanceof TransactionCanceledException)
      return (e.CancellationReasons ?? []).some((r) => r.Code !== undefined && THROTTLED_REASONS.has(r.Code));
    const status = s.$metadata?.httpStatusCode;
    if (s.$fault === "server" && (typeof status !== "number" || status >= 500)) return true;
    e = s.cause;
  }
  return false;
}
