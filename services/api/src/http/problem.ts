import { HTTPException } from "hono/http-exception";
import type { ZodError } from "zod";

export interface FieldError {
  path: string;
  message: string;
}

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

export const notFound = (what: string) =>
  new ProblemError(404, "not-found", "Not found", `${what} was not found`);

export const invalidField = (path: string, message: string, status: 400 | 422 = 422) =>
  new ProblemError(status, "validation-error", "Invalid request", `${path} ${message}`, [{ path, message }]);

export const preconditionFailed = () =>
  new ProblemError(
    412,
    "precondition-failed",
    "Precondition failed",
    "The resource changed since you read it; fetch it again and retry",
  );

export const conflict = (detail: string) => new ProblemError(409, "conflict", "Conflict", detail);

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

const TITLES: Record<number, string> = {
  401: "Unauthorized",
  404: "Not found",
  413: "Payload too large",
  415: "Unsupported media type",
};

/** Turns anything thrown into problem+json; unexpected errors are logged and answered as 500. */
export function toProblem(err: unknown): ProblemError {
  if (err instanceof ProblemError) return err;
  if (err instanceof HTTPException && err.status < 500) {
    // Hono's own 400 is a body it could not parse, e.g. malformed JSON.
    if (err.status === 400) return validationProblem([{ path: "body", message: err.message }]);
    const status = err.status as ProblemError["status"];
    const title = TITLES[status] ?? "Bad request";
    return new ProblemError(status, title.toLowerCase().replaceAll(" ", "-"), title, err.message);
  }
  console.error(err);
  return new ProblemError(500, "internal-error", "Internal server error", "Something went wrong on our side");
}
