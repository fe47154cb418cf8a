import { ApiError } from "../api/client";

/** An error in words: the problem's title and detail, or what the error says. */
export const errorText = (error: unknown) =>
  error instanceof ApiError
    ? error.problem.detail && error.problem.detail !== error.problem.title
      ? `${error.problem.title}: ${error.problem.detail}`
      : error.problem.title
    : error instanceof Error
      ? error.message
      : String(error);

/** An error in words, announced to screen readers. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p role="alert" className="error">
      {errorText(error)}
    </p>
  );
}

/** A read that failed: what went wrong, and a button to read it again. */
export function LoadFailed({ query }: { query: { error: unknown; refetch: () => unknown } }) {
  return (
    <>
      <ErrorMessage error={query.error} />
      <button type="button" onClick={() => query.refetch()}>
        Try again
      </button>
    </>
  );
}

/** The message the API gave for one field, for showing beside it. */
export const fieldError = (error: unknown, path: string) =>
  error instanceof ApiError ? error.fieldError(path) : undefined;

/** An error to say under a form: none when it names one of the form's fields (it is said beside that one). */
export const formError = (error: unknown, fields: readonly string[]) =>
  error && !fields.some((f) => fieldError(error, f)) ? error : undefined;
