import type { AdvisorKind, ChatEvent, ChatToolUse, Conversation } from "@tyche/types";
import { useCallback, useEffect, useReducer, useRef } from "react";
import { streamChat } from "../../api/assistant";
import { errorText } from "../../ui/ErrorMessage";

/** One question and its answer as the page shows it: finished, or arriving. */
export interface Turn {
  /** Tells the turns apart on the page: the turn's id for one read back, a local one for one asked here. */
  key: string;
  /** The turn's id, once the stream named it. */
  turnId?: string;
  question: string;
  answer: string;
  advisor?: AdvisorKind;
  model?: string;
  /** The tools called, in order; a call without output or error is still running. */
  tools: ChatToolUse[];
  state: "waiting" | "streaming" | "done" | "error" | "stopped";
  /** What went wrong, in words (a problem's detail, or the stream's `error`). */
  error?: string;
}

export interface ChatState {
  conversationId?: string;
  turns: Turn[];
}

type Action =
  | { type: "open"; conversation?: Conversation }
  | { type: "ask"; key: string; question: string }
  | { type: "event"; key: string; event: ChatEvent }
  | { type: "fail"; key: string; error: string }
  | { type: "stop"; key: string }
  | { type: "drop"; key: string };

const opened = (conversation: Conversation | undefined): ChatState =>
  conversation
    ? {
        conversationId: conversation.conversationId,
        turns: conversation.turns.map((t) => ({
          key: t.turnId,
          turnId: t.turnId,
          question: t.question,
          answer: t.answer,
          advisor: t.advisor,
          ...(t.model ? { model: t.model } : {}),
          tools: t.tools,
          state: "done",
        })),
      }
    : { turns: [] };

/** A tool's call with what came back for it; a result for a call never announced is kept too. */
function withTool(tools: ChatToolUse[], callId: string, tool: string, patch: Partial<ChatToolUse>) {
  const i = tools.findIndex((t) => t.callId === callId);
  if (i < 0) return [...tools, { callId, tool, input: undefined, ...patch }];
  return tools.map((t, j) => (j === i ? { ...t, ...patch } : t));
}

function applyEvent(turn: Turn, event: ChatEvent): Turn {
  switch (event.type) {
    case "start":
      return {
        ...turn,
        turnId: event.turnId,
        advisor: event.advisor,
        ...(event.model ? { model: event.model } : {}),
        state: "streaming",
      };
    case "text":
      return { ...turn, answer: turn.answer + event.delta, state: "streaming" };
    case "tool-call":
      return { ...turn, tools: withTool(turn.tools, event.callId, event.tool, { input: event.input }) };
    case "tool-result":
      return { ...turn, tools: withTool(turn.tools, event.callId, event.tool, { output: event.output }) };
    case "tool-error":
      return { ...turn, tools: withTool(turn.tools, event.callId, event.tool, { error: event.error }) };
    case "done":
      return { ...turn, state: "done" };
    case "error":
      return { ...turn, state: "error", error: event.detail };
  }
}

function reduce(state: ChatState, action: Action): ChatState {
  const update = (key: string, f: (t: Turn) => Turn) => ({
    ...state,
    turns: state.turns.map((t) => (t.key === key ? f(t) : t)),
  });
  switch (action.type) {
    case "open":
      return opened(action.conversation);
    case "ask":
      return {
        ...state,
        turns: [
          ...state.turns,
          { key: action.key, question: action.question, answer: "", tools: [], state: "waiting" },
        ],
      };
    case "event": {
      const next = update(action.key, (t) => applyEvent(t, action.event));
      return action.event.type === "start" ? { ...next, conversationId: action.event.conversationId } : next;
    }
    case "fail":
      return update(action.key, (t) => ({ ...t, state: "error", error: action.error }));
    case "stop":
      return update(action.key, (t) => ({ ...t, state: "stopped" }));
    case "drop":
      return { ...state, turns: state.turns.filter((t) => t.key !== action.key) };
  }
}

/**
 * The conversation on the page: its turns, asking (one question at a time, its answer streamed in
 * as it comes), stopping an answer, asking a failed question again, opening another conversation.
 * `onStarted` hears of the conversation an answer belongs to as soon as the stream names it;
 * `onAnswered` of each turn that ended (answered, failed or stopped), with its conversation.
 */
export function useChat(
  onStarted: (conversationId: string) => void,
  onAnswered: (turn: Turn, conversationId: string | undefined) => void,
) {
  const [state, dispatch] = useReducer(reduce, { turns: [] });
  const running = useRef<AbortController>(undefined);
  // Kept beside the state for the next question: a question asked the moment an answer ended must
  // continue its conversation, before React has drawn it.
  const conversation = useRef<string>(undefined);
  // Numbers the questions asked here, for their keys on the page.
  const asked = useRef(0);
  const answered = useRef(onAnswered);
  const started = useRef(onStarted);
  useEffect(() => {
    answered.current = onAnswered;
    started.current = onStarted;
  });

  // Leaving the page stops the answer being read: nothing is left to show it.
  useEffect(() => () => running.current?.abort(), []);

  const ask = useCallback((question: string) => {
    if (running.current) return;
    const controller = new AbortController();
    running.current = controller;
    asked.current += 1;
    // The page's copy of the turn, followed here too, so that its end can be told without the state.
    let turn: Turn = {
      key: `asked-${asked.current}`,
      question,
      answer: "",
      tools: [],
      state: "waiting",
    };
    const key = turn.key;
    dispatch({ type: "ask", key, question });
    const conversationId = conversation.current;
    let answeredIn = conversationId;
    const end = (last?: Action) => {
      if (last) dispatch(last);
      if (last?.type === "fail") turn = { ...turn, state: "error", error: last.error };
      if (last?.type === "stop") turn = { ...turn, state: "stopped" };
      // Another conversation opened meanwhile: this answer is no longer the page's to follow,
      // though the API kept what it answered.
      if (running.current === controller) running.current = undefined;
      answered.current(turn, answeredIn);
    };
    streamChat(
      { message: question, ...(conversationId ? { conversationId } : {}) },
      controller.signal,
      (event) => {
        if (controller.signal.aborted) return;
        turn = applyEvent(turn, event);
        dispatch({ type: "event", key, event });
        if (event.type === "start") {
          answeredIn = event.conversationId;
          conversation.current = event.conversationId;
          started.current(event.conversationId);
        }
      },
    ).then(
      () => end(),
      (err: unknown) =>
        end(controller.signal.aborted ? { type: "stop", key } : { type: "fail", key, error: errorText(err) }),
    );
  }, []);

  const stop = useCallback(() => running.current?.abort(), []);

  /** Asks a failed or stopped question again, in place of its answer. */
  const retry = useCallback(
    (failed: Turn) => {
      if (running.current) return;
      dispatch({ type: "drop", key: failed.key });
      ask(failed.question);
    },
    [ask],
  );

  /** Shows a conversation (none: a new one), stopping any answer still arriving. */
  const open = useCallback((next?: Conversation) => {
    const was = running.current;
    running.current = undefined;
    was?.abort();
    conversation.current = next?.conversationId;
    dispatch({ type: "open", ...(next ? { conversation: next } : {}) });
  }, []);

  /** The conversation the next question continues: the one shown, or the one an answer just started. */
  const currentId = useCallback(() => conversation.current, []);

  return {
    state,
    currentId,
    busy: state.turns.some((t) => t.state === "waiting" || t.state === "streaming"),
    ask,
    stop,
    retry,
    open,
  };
}
