import type {
  AssistantInfo,
  ChatEvent,
  ChatRequest,
  ChatToolUse,
  ChatTurn,
  Conversation,
  ConversationSummary,
} from "@tyche/types";
import { ulid } from "ulid";
import type { Principal } from "../../auth/principal";
import type { ConversationRepository } from "../../db/conversations";
import { notFound } from "../../errors";
import { log } from "../../log";
import type { Advisor } from "../advisor";
import { type AnyTool, toolsFor } from "../tools";
import { toolContext } from "../tools/tool";

/** A title short enough for a list: the first question, cut at a word. */
const TITLE_CHARS = 80;

export interface ChatDeps {
  conversations: ConversationRepository;
  tools: readonly AnyTool[];
  advisor: Advisor;
  /** Questions worth asking, from the caller's own data (the built-in advisor's suggestQuestions). */
  suggestions: (principal: Principal, tools: readonly AnyTool[]) => Promise<string[]>;
  today: () => string;
  log?: (message: string, err: unknown) => void;
}

const titleOf = (question: string) => {
  const flat = question.replace(/\s+/g, " ").trim();
  if (flat.length <= TITLE_CHARS) return flat;
  const cut = flat.slice(0, TITLE_CHARS);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(" "), TITLE_CHARS / 2))}…`;
};

/**
 * A question answered as a stream of events, and kept: the turn (question, answer, which advisor,
 * every tool call with its input and result) is stored once the answer ends, so the conversation
 * can be reopened with the figures' sources, and continued with its history.
 */
export class ChatService {
  private readonly log: (message: string, err: unknown) => void;

  constructor(private readonly d: ChatDeps) {
    this.log = d.log ?? ((m, err) => log().error({ err }, m));
  }

  async info(principal: Principal): Promise<AssistantInfo> {
    const tools = toolsFor(this.d.tools, principal);
    return {
      advisor: this.d.advisor.kind,
      ...(this.d.advisor.model ? { model: this.d.advisor.model } : {}),
      tools: tools.map((t) => ({ name: t.name, description: t.description, write: t.write })),
      suggestions: await this.d.suggestions(principal, tools),
    };
  }

  list(principal: Principal): Promise<ConversationSummary[]> {
    return this.d.conversations.list(principal);
  }

  async get(principal: Principal, conversationId: string): Promise<Conversation> {
    const summary = await this.d.conversations.get(principal, conversationId);
    if (!summary) throw notFound("Conversation");
    return { ...summary, turns: await this.d.conversations.turnsOf(principal, conversationId) };
  }

  async remove(principal: Principal, conversationId: string): Promise<void> {
    if (!(await this.d.conversations.remove(principal, conversationId))) throw notFound("Conversation");
  }

  /**
   * Checks what can be refused before a byte is streamed (a conversation that is not the caller's
   * answers 404 like a missing one), then gives the turn's events. The caller's `signal` stops the
   * advisor; what was answered by then is still kept.
   */
  async ask(
    principal: Principal,
    request: ChatRequest,
    signal?: AbortSignal,
  ): Promise<AsyncIterable<ChatEvent>> {
    const conversationId = request.conversationId ?? ulid();
    const history = request.conversationId ? await this.history(principal, request.conversationId) : [];
    return this.run(principal, conversationId, history, request.message, signal);
  }

  private async history(principal: Principal, conversationId: string): Promise<ChatTurn[]> {
    const summary = await this.d.conversations.get(principal, conversationId);
    if (!summary) throw notFound("Conversation");
    return this.d.conversations.turnsOf(principal, conversationId);
  }

  private async *run(
    principal: Principal,
    conversationId: string,
    history: ChatTurn[],
    question: string,
    signal: AbortSignal | undefined,
  ): AsyncGenerator<ChatEvent> {
    const { advisor } = this.d;
    const turnId = ulid();
    yield {
      type: "start",
      conversationId,
      turnId,
      advisor: advisor.kind,
      ...(advisor.model ? { model: advisor.model } : {}),
    };
    const tools = toolsFor(this.d.tools, principal);
    const uses = new Map<string, ChatToolUse>();
    let answer = "";
    let failure: string | undefined;
    try {
      const events = advisor.answer({
        ctx: toolContext(principal, this.d.today()),
        tools,
        question,
        history,
        ...(signal ? { signal } : {}),
      });
      for await (const e of events) {
        if (e.type === "text") answer += e.delta;
        else if (e.type === "tool-call")
          uses.set(e.callId, { callId: e.callId, tool: e.tool, input: e.input });
        else {
          const use = uses.get(e.callId) ?? { callId: e.callId, tool: e.tool, input: null };
          uses.set(
            e.callId,
            e.type === "tool-result" ? { ...use, output: e.output } : { ...use, error: e.error },
          );
        }
        yield e;
      }
    } catch (err) {
      if (!signal?.aborted) {
        this.log(`chat: the ${advisor.kind} advisor failed`, err);
        failure = "The advisor could not finish this answer. Try again in a moment.";
      }
    }
    if (signal?.aborted) answer += answer ? " [stopped]" : "[stopped]";
    else if (failure) answer += answer ? `\n\n${failure}` : failure;
    const turn: ChatTurn = {
      turnId,
      question,
      answer,
      advisor: advisor.kind,
      ...(advisor.model ? { model: advisor.model } : {}),
      tools: [...uses.values()],
      at: new Date().toISOString(),
    };
    try {
      await this.d.conversations.saveTurn(principal, conversationId, turn, titleOf(question));
    } catch (err) {
      this.log("chat: the turn could not be kept", err);
      failure ??= "This answer could not be saved to the conversation.";
    }
    yield failure ? { type: "error", detail: failure } : { type: "done", turnId };
  }
}
