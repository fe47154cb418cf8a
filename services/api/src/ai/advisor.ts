import type { AdvisorKind, ChatTurn } from "@tyche/types";
import type { AnyTool, ToolContext } from "./tools";

/** What an advisor streams while it answers: words, and each tool it calls with what it returned. */
export type AdvisorEvent =
  | { type: "text"; delta: string }
  | { type: "tool-call"; callId: string; tool: string; input: unknown }
  | { type: "tool-result"; callId: string; tool: string; output: unknown }
  | { type: "tool-error"; callId: string; tool: string; error: string };

export interface AdvisorRequest {
  ctx: ToolContext;
  /** The tools this caller may use (toolsFor: no write tools for a read token). */
  tools: readonly AnyTool[];
  question: string;
  /** The conversation's earlier turns, oldest first. */
  history: readonly ChatTurn[];
  signal?: AbortSignal;
}

/**
 * Who answers a question: the built-in advisor (no model: intents and templates over the tools) or
 * a language model with the same tools. Either way every figure comes from a tool result.
 */
export interface Advisor {
  readonly kind: AdvisorKind;
  /** The model's id, for a model advisor. */
  readonly model?: string;
  answer(request: AdvisorRequest): AsyncIterable<AdvisorEvent>;
}
