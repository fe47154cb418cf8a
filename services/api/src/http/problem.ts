import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";
import { isDatabaseUnavailable } from "../db/unavailable";
import { DomainError, type Failure, type FieldError } from "../errors";
import { log } from "../log";

export type { FieldError };

/** An error that answers as RFC 9457 problem+json. Thrown anywhere; rendered once, in onError. */
export class ProblemError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 422 | 428 | 429 | 500 | 503,
    readonly slug: string,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
}

/** Each domain failure's status and problem type, in one place. */
const FAILURES: Record<Failure, { status: ProblemError["status"]; slug: string; title: string }> = {
  "not-found": { status: 404, slug: "not-found", title: "Not found" },
  "version-mismatch": { status: 412, slug: "precondition-failed", title: "Precondition failed" },
  conflict: { status: 409, slug: "conflict", title: "Conflict" },
  invalid: { status: 422, slug: "validation-error", title: "Invalid request" },
  malformed: { status: 400, slug: "validation-error", title: "Invalid request" },
  "too-large": { status: 413, slug: "payload-too-large", title: "Payload too large" },
  "unsupported-media": { status: 415, slug: "unsupported-media-type", title: "Unsupported media type" },
  "too-many-attempts": { status: 429, slug: "too-many-attempts", title: "Too many attempts" },
  "wrong-credentials": { status: 401, slug: "invalid-credentials", title: "Unauthorized" },
  unavailable: { status: 503, slug: "unavailable", title: "Service unavailable" },
};

/** How long a client is asked to wait before trying again while the database is out of reach. */
export const DATABASE_RETRY_AFTER_SECONDS = 3;

export const databaseUnavailable = () =>
  new ProblemError(
    503,
    "database-unavailable",
    "Service unavailable",
    "The database could not be reached or did not answer in time; try again shortly (a create retried with its Idempotency-Key is not doubled)",
    undefined,
    { "retry-after": String(DATABASE_RETRY_AFTER_SECONDS) },
  );

function fromDomain(err: DomainError): ProblemError {
  const f = FAILURES[err.failure];
  const retry = err.extra.retryAfterSeconds;
  return new ProblemError(
    f.status,
    err.extra.slug ?? f.slug,
    err.extra.title ?? f.title,
    err.detail,
    err.extra.errors,
    retry !== undefined ? { "retry-after": String(retry) } : {},
  );
}

export function zodFieldErrors(error: ZodError): FieldError[] {
  const at = (path: PropertyKey[]) => path.map(String).join(".") || "body";
  return error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: at([...issue.path, key]), message: "is not a known field" }))
      : [{ path: at(issue.path), message: issue.message }],
  );
}

export function validationProblem(errors: FieldError[]): ProblemError {
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join("; ");
  return new ProblemError(400, "validation-error", "Invalid request", detail, errors);
}

export function renderProblem(problem: ProblemError): Response {
  const body = {
    type: `/problems/${problem.slug}`,
    title: problem.title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { "content-type": "application/problem+json", ...problem.headers },
  });
}

let lastWarnedAt = Number.NEGATIVE_INFINITY;
let unwarned = 0;

/** One line, not a stack, and at most one every 10 s: during an outage every request says the same. */
function warnUnavailable(err: unknown) {
  const now = Date.now();
  if (now - lastWarnedAt < 10_000) {
    unwarned += 1;
    return;
  }
  const more = unwarned ? ` (and ${unwarned} more since the last such line)` : "";
  log().warn(
    `database unavailable: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}${more}`,
  );
  lastWarnedAt = now;
  unwarned = 0;
}

const TITLES: Record<number, string> = {
  401: "Unauthorized",
  404: "Not found",
  413: "Payload too large",
  415: "Unsupported media type",
};

/** Turns anything thrown into problem+json; unexpected errors are logged and answered as 500. */
export function toProblem(
  err: unknown,
  report: (err: unknown) => void = (e) => log().error({ err: e }, "unexpected error"),
): ProblemError {
  if (err instanceof ProblemError) return err;
  if (err instanceof DomainError) return fromDomain(err);
  if (err instanceof HTTPException && err.status < 500) {
    // Hono's own 400 is a body it could not parse, e.g. malformed JSON.
    if (err.status === 400) return validationProblem([{ path: "body", message: err.message }]);
    const status = err.status as ProblemError["status"];
    const title = TITLES[status] ?? "Bad request";
    return new ProblemError(status, title.toLowerCase().replaceAll(" ", "-"), title, err.message);
  }
  if (isDatabaseUnavailable(err)) {
    warnUnavailable(err);
    return databaseUnavailable();
  }
  report(err);
  return new ProblemError(500, "internal-error", "Internal server error", "Something went wrong on our side");
}
