import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import type { Logger } from "../log";

/** A caller's own request id is kept when it is a plain token; anything else gets a fresh one. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One line a request: method, path (ids in it, never the query string, which may name a
 * merchant), status, duration and request id, which the answer carries back as X-Request-Id.
 * Neither headers nor bodies are logged.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const given = c.req.header("x-request-id");
    const requestId = given && REQUEST_ID.test(given) ? given : randomUUID();
    c.set("requestId", requestId);
    try {
      await next();
    } finally {
      const status = c.res.status;
      const line = {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      };
      if (status >= 500) logger.error(line, "request failed");
      else logger.info(line, "request");
      c.res.headers.set("x-request-id", requestId);
    }
  };
}
