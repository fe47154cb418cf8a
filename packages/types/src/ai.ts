import { z } from "zod";
import { Id, Instant } from "./primitives";

/** Who wrote an answer: the built-in advisor (no model configured) or a language model. */
export const AdvisorKind = z.enum(["built-in", "model"]);
export type AdvisorKind = z.infer<typeof AdvisorKind>;

export const MAX_CHAT_MESSAGE_CHARS = 2000;

export const ChatRequest = z.strictObject({
  message: z
    .string()
    .trim()
    .min(1, { error: "must not be empty" })
    .max(MAX_CHAT_MESSAGE_CHARS, { error: `must be at most ${MAX_CHAT_MESSAGE_CHARS} characters` })
    .describe("The question, in the user's words"),
  conversationId: Id.optional().describe("Continue this conversation; a new one starts without it"),
});
export type ChatRequest = z.infer<typeof ChatRequest>;

/**
 * One server-sent event of `POST /v1/ai/chat`: the SSE `event:` field is `type`, `data:` is this
 * object as JSON. In order: one `start`, then `text`, `tool-call`, `tool-result` and `tool-error`
 * as they happen (a tool's call always before its result), then `done` or `error`, last.
 */
export const ChatEvent = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("start"),
    conversationId: Id,
    turnId: Id,
    advisor: AdvisorKind,
    /** The model's id when `advisor` is `model`, e.g. `anthropic:claude-sonnet-4-5`. */
    model: z.string().optional(),
  }),
  z.object({ type: z.literal("text"), delta: z.string() }),
  z.object({
    type: z.literal("tool-call"),
    callId: z.string(),
    tool: z.string(),
    input: z.unknown(),
  }),
  z.object({
    type: z.literal("tool-result"),
    callId: z.string(),
    tool: z.string(),
    output: z.unknown(),
  }),
  z.object({
    type: z.literal("tool-error"),
    callId: z.string(),
    tool: z.string(),
    error: z.string(),
  }),
  z.object({ type: z.literal("done"), turnId: Id }),
  z.object({ type: z.literal("error"), detail: z.string() }),
]);
export type ChatEvent = z.infer<typeof ChatEvent>;

/** A tool the advisor called in a turn, with what it returned, kept so an answer can be traced. */
export const ChatToolUse = z.object({
  callId: z.string(),
  tool: z.string(),
  input: z.unknown(),
  output: z.unknown().optional(),
  error: z.string().optional(),
});
export type ChatToolUse = z.infer<typeof ChatToolUse>;

/** One question and its answer. */
export const ChatTurn = z.object({
  turnId: Id,
  question: z.string(),
  answer: z.string(),
  advisor: AdvisorKind,
  model: z.string().optional(),
  tools: z.array(ChatToolUse),
  at: Instant,
});
export type ChatTurn = z.infer<typeof ChatTurn>;

export const ConversationSummary = z.object({
  conversationId: Id,
  title: z.string().describe("The first question, shortened"),
  createdAt: Instant,
  updatedAt: Instant,
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const Conversation = ConversationSummary.extend({ turns: z.array(ChatTurn) });
export type Conversation = z.infer<typeof Conversation>;

/** What the assistant page needs before the first question: which advisor answers, and what it can do. */
export const AssistantInfo = z.object({
  advisor: AdvisorKind,
  model: z.string().optional(),
  tools: z.array(z.object({ name: z.string(), description: z.string(), write: z.boolean() })),
  suggestions: z.array(z.string()).describe("Questions worth asking, from the user's own data"),
});
export type AssistantInfo = z.infer<typeof AssistantInfo>;
