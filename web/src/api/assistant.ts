import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type AssistantInfo,
  ChatEvent,
  type ChatRequest,
  type Conversation,
  type ConversationSummary,
} from "@tyche/types";
import { api } from "./client";
import { keys } from "./queries";
import { readSse } from "./sse";

/** Which advisor answers, its tools and the questions worth asking now (they follow the user's data). */
export const useAssistantInfo = () =>
  useQuery({
    queryKey: keys.assistant,
    queryFn: ({ signal }) => api.get<AssistantInfo>("/v1/ai/assistant", signal),
  });

/** The user's conversations, as the API lists them. */
export const useConversations = () =>
  useQuery({
    queryKey: keys.conversations,
    queryFn: ({ signal }) => api.get<{ items: ConversationSummary[] }>("/v1/ai/conversations", signal),
    select: (r) => r.items,
  });

/** One conversation with every turn, read when it is reopened. */
export const useConversation = (id: string | undefined) =>
  useQuery({
    queryKey: keys.conversation(id ?? ""),
    queryFn: ({ signal }) => api.get<Conversation>(`/v1/ai/conversations/${id}`, signal),
    enabled: id !== undefined,
    // A conversation only grows by this tab's own questions, which the page holds already.
    staleTime: Number.POSITIVE_INFINITY,
  });

export function useDeleteConversation() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.send<unknown>("DELETE", `/v1/ai/conversations/${id}`),
    onSuccess: (_, id) => {
      queries.removeQueries({ queryKey: keys.conversation(id) });
      void queries.invalidateQueries({ queryKey: keys.conversations });
    },
  });
}

/** Said when the stream ends before its `done` or `error`: the connection dropped mid-answer. */
export const CUT_OFF = "The answer was cut off before it was complete. Check your connection and try again.";

/**
 * Asks a question and hands each event of the answer to `onEvent` as it arrives. Resolves after
 * the last event; a refusal before the stream (bad input, a missing conversation) is an ApiError
 * as any other call gives it, a stream that stops short gives an `error` event (CUT_OFF). An abort
 * through `signal` rejects with its AbortError. Events the page does not know yet are skipped.
 */
export async function streamChat(
  request: ChatRequest,
  signal: AbortSignal,
  onEvent: (event: ChatEvent) => void,
): Promise<void> {
  const body = await api.stream("/v1/ai/chat", request, signal);
  let ended = false;
  try {
    for await (const sse of readSse(body)) {
      let json: unknown;
      try {
        json = JSON.parse(sse.data);
      } catch {
        continue;
      }
      const parsed = ChatEvent.safeParse(json);
      if (!parsed.success) continue;
      onEvent(parsed.data);
      if (parsed.data.type === "done" || parsed.data.type === "error") {
        ended = true;
        break;
      }
    }
  } catch (err) {
    // Anything else that breaks the stream (the network, mostly) is said as a cut-off answer below.
    if (signal.aborted) throw err;
  }
  if (!ended) {
    if (signal.aborted) throw new DOMException("The question was stopped", "AbortError");
    onEvent({ type: "error", detail: CUT_OFF });
  }
}
