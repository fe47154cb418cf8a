import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";

/**
 * CORS for exactly those origins: any other gets no Access-Control-Allow-Origin, so its page cannot
 * read an answer. Bearer tokens, not cookies, carry identity, so credentials are never allowed.
 */
export function corsFor(origins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(origins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
    allowHeaders: ["authorization", "content-type", "if-match", "idempotency-key", "prefer"],
    exposeHeaders: ["etag", "location", "retry-after"],
    maxAge: 600,
  });
}
