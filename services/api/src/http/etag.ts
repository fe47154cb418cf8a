import { ProblemError } from "./problem";

export const etagOf = (version: number) => `"${version}"`;

/**
 * The version an If-Match header demands, or undefined when the client sent none (last writer
 * wins). `*` matches any existing version. Weak validators are accepted: versions are exact.
 */
export function expectedVersion(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === "*") return undefined;
  const match = /^\s*(?:W\/)?"(\d+)"\s*$/.exec(ifMatch);
  if (!match) {
    throw new ProblemError(
      400,
      "validation-error",
      "Invalid request",
      'If-Match must be an ETag such as "3"',
      [{ path: "If-Match", message: 'must be an ETag such as "3"' }],
    );
  }
  return Number(match[1]);
}
