/** A problem as zod names it: the path of the field, and what is wrong with it. */
interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/** Zod issues as a field → first message map, the way the forms show them. */
export function issuesByField(issues: readonly Issue[]) {
  const out: Record<string, string> = {};
  for (const i of issues) out[i.path.map(String).join(".")] ??= i.message;
  return out;
}

/** A form's draft checked: what to send, or a message for each field in error, by the API's path. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problems: Record<string, string> };

/**
 * The API's own schema's answer on a draft, with the form's own problems on top (the fields it
 * could not even read, which the schema saw as placeholders).
 */
export function checkedBy<T>(
  result: { success: true; data: T } | { success: false; error: { issues: readonly Issue[] } },
  own: Record<string, string>,
  byField: (issues: readonly Issue[]) => Record<string, string> = issuesByField,
): Checked<T> {
  const problems = { ...(result.success ? {} : byField(result.error.issues)), ...own };
  if (!result.success || Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, value: result.data };
}
