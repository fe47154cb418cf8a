import { ZodError } from "zod";
import { canWrite } from "../../auth/principal";
import { DomainError } from "../../errors";
import { ProblemError, zodFieldErrors } from "../../http/problem";
import type { AnyTool, ToolContext } from "./tool";

/** A tool's answer: its output, or an error a model can read and act on (never a thrown crash). */
export type ToolOutcome = { ok: true; output: unknown } | { ok: false; error: string };

/**
 * Parses the input with the tool's schema and runs it. Bad input, a refused write and a domain
 * failure (not found, invalid) come back as `{ ok: false }` naming the field; anything else is a
 * fault and is rethrown for the caller to report.
 */
export async function runTool(tool: AnyTool, ctx: ToolContext, rawInput: unknown): Promise<ToolOutcome> {
  if (tool.write && !canWrite(ctx.principal)) {
    return {
      ok: false,
      error: `${tool.name} changes data, and this token's scope is ${ctx.principal.scope}: it needs scope write`,
    };
  }
  const parsed = tool.input.safeParse(rawInput ?? {});
  if (!parsed.success) return { ok: false, error: `Invalid input: ${describe(parsed.error)}` };
  try {
    return { ok: true, output: await tool.run(ctx, parsed.data) };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, error: withFields(err.detail, err.extra.errors) };
    if (err instanceof ProblemError)
      return { ok: false, error: withFields(err.detail ?? err.title, err.errors) };
    if (err instanceof ZodError) return { ok: false, error: `Invalid input: ${describe(err)}` };
    throw err;
  }
}

const describe = (error: ZodError) =>
  zodFieldErrors(error)
    .map((e) => `${e.path}: ${e.message}`)
    .join("; ");

const withFields = (detail: string, errors: { path: string; message: string }[] | undefined) =>
  errors?.length ? `${detail} (${errors.map((e) => `${e.path}: ${e.message}`).join("; ")})` : detail;
