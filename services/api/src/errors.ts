/**
 * What can go wrong, in the domain's words. Repositories and services throw these; the HTTP layer
 * turns each kind into its status and problem+json once (`http/problem.ts`), so nothing below the
 * handlers knows a status code.
 */
export type Failure =
  /** The thing does not exist, or belongs to someone else: the two answer alike. */
  | "not-found"
  /** The caller's If-Match named a version that is no longer current. */
  | "version-mismatch"
  /** The request clashes with what is stored (a taken e-mail, a month that exists, a running import). */
  | "conflict"
  /** Well-formed input that the domain refuses, naming the field. */
  | "invalid"
  /** Input that is malformed (a bad cursor, a range the wrong way round), naming the field. */
  | "malformed"
  | "too-large"
  | "unsupported-media"
  | "too-many-attempts"
  | "wrong-credentials"
  /** Nothing is wrong with the request, but it cannot be served now (see Retry-After); nothing was done. */
  | "unavailable";

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly failure: Failure,
    readonly detail: string,
    readonly extra: {
      /** A more specific problem type than the failure's own, e.g. `import-running`. */
      slug?: string;
      title?: string;
      errors?: FieldError[];
      retryAfterSeconds?: number;
    } = {},
  ) {
    super(detail);
  }
}

export const notFound = (what: string) => new DomainError("not-found", `${what} was not found`);

export const invalidField = (path: string, message: string, failure: "invalid" | "malformed" = "invalid") =>
  new DomainError(failure, `${path} ${message}`, { errors: [{ path, message }] });

export const versionMismatch = () =>
  new DomainError("version-mismatch", "The resource changed since you read it; fetch it again and retry");

export const conflict = (detail: string, slug?: string, title?: string) =>
  new DomainError("conflict", detail, { ...(slug ? { slug } : {}), ...(title ? { title } : {}) });

export const isFailure = (err: unknown, failure: Failure): err is DomainError =>
  err instanceof DomainError && err.failure === failure;

/**
 * DynamoDB kept cancelling a transaction because others were writing the same items, through every
 * retry. Nothing was written, and the same request will most likely pass in a moment: 503 with
 * Retry-After rather than a 409, which would tell the client its request clashes with the data.
 */
export const contention = () =>
  new DomainError("unavailable", "Too many changes to the same data at once; try again", {
    slug: "write-contention",
    title: "Busy",
    retryAfterSeconds: 1,
  });

export const isContention = (err: unknown) =>
  err instanceof DomainError && err.extra.slug === "write-contention";
