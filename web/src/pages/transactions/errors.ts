import { ApiError } from "../../api/client";

/** Someone (another tab, another device) wrote the transaction after this page read it. */
export const isStale = (error: unknown) => error instanceof ApiError && error.status === 412;

export const STALE_MESSAGE =
  "This transaction was changed elsewhere (in another tab or on another device) since this page loaded it. Reload the row to see it as it is now, then make your change again.";

/** An error in words, for the places that show one line (the list, a toast). */
export function inWords(error: unknown): string {
  if (isStale(error)) return STALE_MESSAGE;
  if (error instanceof ApiError) {
    if (error.status === 404)
      return "This transaction is no longer there; it may have been deleted elsewhere.";
    const first = error.problem.errors?.[0];
    if (first) return `${error.problem.title}: ${first.path} ${first.message}`;
    return error.problem.detail ? `${error.problem.title}: ${error.problem.detail}` : error.problem.title;
  }
  return error instanceof Error ? error.message : String(error);
}
