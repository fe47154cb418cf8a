import type { z } from "zod";
import type { Principal } from "../../auth/principal";
import type { Owner } from "../../db/keys";

/** What a tool knows of its caller: the verified principal and nothing from the model. */
export interface ToolContext {
  principal: Principal;
  owner: Owner;
  /** Today as `YYYY-MM-DD` (the server's clock, or a test's). */
  today: string;
  /** The call's id where the caller has one (chat, MCP): a write tool's idempotency key. */
  callId?: string;
}

/**
 * A typed function the chat model, the built-in advisor and MCP clients call alike. `input` is the
 * zod schema the model is shown and every call is parsed with; `run` reads only `ctx.owner`'s data
 * through the same services as the API, so a tool can neither see another tenant nor skip a rule.
 * A result holds money as integer cents with its `currency`: figures are computed here, exactly,
 * never left to the model.
 */
export interface TycheTool<I extends z.ZodType = z.ZodType, O = unknown> {
  name: string;
  /** For the model: what the tool answers and when to call it. */
  description: string;
  input: I;
  /** A write tool changes data; it is offered only to a principal that may write. */
  write: boolean;
  run(ctx: ToolContext, input: z.output<I>): Promise<O>;
}

/** Keeps the input type of a tool's `run` tied to its schema. */
export const defineTool = <I extends z.ZodType, O>(tool: TycheTool<I, O>): TycheTool<I, O> => tool;

// biome-ignore lint/suspicious/noExplicitAny: a list of tools of different input and output types
export type AnyTool = TycheTool<any, any>;

/** A tool context for a verified principal: its owner is the principal's tenant and user, nothing else. */
export const toolContext = (principal: Principal, today: string): ToolContext => ({
  principal,
  owner: { tenantId: principal.tenantId, userId: principal.userId },
  today,
});
