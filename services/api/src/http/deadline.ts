import type { MiddlewareHandler } from "hono";
import { log } from "../log";
import { DATABASE_RETRY_AFTER_SECONDS, ProblemError, renderProblem } from "./problem";

/** How long a request may take before it is answered 503, unless TYCHE_REQUEST_TIMEOUT_MS says otherwise. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Routes whose work is long by nature and bounded by their own means: an import or its undo runs
 * through thousands of rows under a lease that recovery repairs (each DynamoDB call inside still
 * has the client's timeouts), a chat turn streams its answer, a file body arrives at the client's
 * pace. Streams elsewhere (the CSV export) return their Response at once, so the deadline only
 * ever covers the time to their first byte.
 */
const LONG = /^\/v1\/(imports(\/[^/]+)?$|ai\/chat$|files\/)|\/receipt$/;

export const isLongRunning = (method: string, path: string) =>
  (method === "POST" || method === "DELETE" || method === "PUT") && LONG.test(path);

/**
 * Answers 503 with Retry-After when the handler has not answered within `ms`, so a frozen database
 * holds no request past the deadline. The handler is not cancelled: it ends on its own when its
 * DynamoDB calls time out. What it may still write is safe: each change is one DynamoDB
 * transaction (change, totals, balances and audit record together, or nothing), and a create's
 * Idempotency-Key record rides in the same transaction, so a client retrying after this 503 is
 * answered with the first result rather than a second copy.
 */
export function deadline(ms: number): MiddlewareHandler {
  return async (c, next) => {
    if (isLongRunning(c.req.method, c.req.path)) return next();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => {
      timer = setTimeout(() => resolve("late"), ms);
    });
    const work = next().then(() => "done" as const);
    // Whatever the abandoned handler still throws is its own; it must not surface as unhandled.
    work.catch(() => {});
    try {
      if ((await Promise.race([work, late])) === "done") return;
    } finally {
      clearTimeout(timer);
    }
    log().warn(
      { method: c.req.method, path: c.req.path, deadlineMs: ms },
      "request passed its deadline; answered 503",
    );
    return renderProblem(
      new ProblemError(
        503,
        "request-timeout",
        "Service unavailable",
        `The request was not done within ${ms / 1000} s; try again shortly (a create retried with its Idempotency-Key is not doubled)`,
        undefined,
        { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) },
      ),
    );
  };
}
