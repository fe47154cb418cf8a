import { useQueryClient } from "@tanstack/react-query";
import { type AssistantInfo, MAX_CHAT_MESSAGE_CHARS } from "@tyche/types";
import { type FormEvent, type KeyboardEvent, useCallback, useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { useAssistantInfo, useConversation, useConversations } from "../../api/assistant";
import { keys, refreshMoney } from "../../api/queries";
import { LoadFailed } from "../../ui/ErrorMessage";
import { Field } from "../../ui/Field";
import { usePageTitle, useStatusLine } from "../../ui/page";
import { ConversationList } from "./ConversationList";
import { TurnView } from "./Turn";
import { type Turn, useChat } from "./useChat";
import { advisorIntro } from "./words";
import "./assistant.css";

/** What the status line says while an answer is under way. */
function progressWords(turn: Turn | undefined): string {
  if (!turn) return "";
  if (turn.state === "waiting") return "Waiting for the answer…";
  if (turn.state !== "streaming") return "";
  return turn.tools.some((t) => t.output === undefined && t.error === undefined)
    ? "Looking at your numbers…"
    : "Answering…";
}

/**
 * The assistant (`/assistant`): questions about the user's money answered from their own numbers,
 * by a model with Tyche's tools or by the built-in advisor, streamed as they are written, with the
 * figures each answer used as cards beside its words. Conversations are kept: continued, started
 * afresh, reopened (by `?conversation=`) and deleted.
 */
export default function AssistantPage() {
  const queries = useQueryClient();
  const info = useAssistantInfo();
  const [params, setParams] = useSearchParams();
  const urlId = params.get("conversation") ?? undefined;
  const { say, line } = useStatusLine();
  usePageTitle("Assistant");

  const onAnswered = useCallback(
    (turn: Turn, conversationId: string | undefined) => {
      void queries.invalidateQueries({ queryKey: keys.conversations });
      if (conversationId) queries.removeQueries({ queryKey: keys.conversation(conversationId) });
      // A write tool changed the user's data: everything that shows it is read again.
      const tools = queries.getQueryData<AssistantInfo>(keys.assistant)?.tools ?? [];
      const writes = new Set(tools.filter((t) => t.write).map((t) => t.name));
      if (turn.tools.some((t) => writes.has(t.tool) && t.output !== undefined)) {
        void refreshMoney(queries);
        void queries.invalidateQueries({ queryKey: keys.goals });
        void queries.invalidateQueries({ queryKey: keys.assistant });
      }
    },
    [queries],
  );
  // The conversation the address named when last looked at: only the address moving (a link in
  // the list, back or forward, a reload) asks for another conversation to be opened.
  const seenUrl = useRef<string | undefined>(undefined);
  const onStarted = useCallback(
    (conversationId: string) => {
      seenUrl.current = conversationId;
      setParams({ conversation: conversationId }, { replace: true, preventScrollReset: true });
    },
    [setParams],
  );
  const { state, busy, ask: askChat, stop, retry, open, currentId } = useChat(onStarted, onAnswered);

  // The conversation the address asks for, until it is read and opened.
  const [asked, setAsked] = useState<string>();
  useEffect(() => {
    if (urlId === seenUrl.current) return;
    seenUrl.current = urlId;
    if (urlId === currentId()) return;
    if (urlId === undefined) {
      setAsked(undefined);
      open();
    } else {
      // An answer still arriving belongs to the conversation being left.
      stop();
      setAsked(urlId);
    }
  }, [urlId, currentId, open, stop]);
  const reopened = useConversation(asked);
  const chatHeading = useRef<HTMLHeadingElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (!asked || reopened.data?.conversationId !== asked) return;
    open(reopened.data);
    setAsked(undefined);
    chatHeading.current?.focus();
  }, [asked, reopened.data, open]);
  const conversations = useConversations();
  const title = conversations.data?.find((c) => c.conversationId === state.conversationId)?.title;

  const [draft, setDraft] = useState("");
  const [invalid, setInvalid] = useState<string>();
  const ask = (question: string) => {
    const text = question.trim();
    if (!text) {
      setInvalid("Type a question first, or choose one of the suggestions.");
      input.current?.focus();
      return;
    }
    setInvalid(undefined);
    setDraft("");
    askChat(text);
    input.current?.focus();
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!busy) ask(draft);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends, as in any chat; Shift+Enter is a new line, and an IME's Enter picks its word.
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      if (!busy) ask(draft);
    }
  };
  const startNew = () => {
    open();
    setAsked(undefined);
    seenUrl.current = undefined;
    setParams({}, { preventScrollReset: true });
    setDraft("");
    input.current?.focus();
  };

  const last = state.turns.at(-1);
  const advisor = info.data;
  const suggestions = advisor?.suggestions ?? [];

  return (
    <div className="assistant-page">
      <h1>Assistant</h1>
      {line}
      {info.isError ? (
        <div className="card">
          <h2>The assistant could not be reached</h2>
          <LoadFailed query={info} />
        </div>
      ) : advisor ? (
        <p className={`advisor-intro card advisor-${advisor.advisor}`} data-testid="advisor-intro">
          {advisorIntro(advisor.advisor, advisor.model)}
        </p>
      ) : (
        <p className="loading">Loading the assistant…</p>
      )}
      <div className="assistant-layout">
        <section className="card chat" aria-labelledby="chat-heading">
          <h2 id="chat-heading" ref={chatHeading} tabIndex={-1}>
            {state.turns.length === 0 ? "Ask about your money" : (title ?? "This conversation")}
          </h2>
          {state.turns.length === 0 && !asked && (
            <p className="chat-intro">
              Ask about your budget, your spending, your cards or your goals. The answer is worked out from
              your own data, and the figures it used are shown under it.
            </p>
          )}
          {asked && reopened.isPending && (
            <p className="loading" role="status">
              Opening the conversation…
            </p>
          )}
          {asked && reopened.isError && <LoadFailed query={reopened} />}
          <div
            className="chat-log"
            role="log"
            aria-live="polite"
            aria-busy={busy}
            aria-label="Questions and answers"
            data-testid="chat-log"
          >
            {state.turns.map((t) => (
              <TurnView
                key={t.key}
                turn={t}
                canRetry={!busy}
                onRetry={(turn) => {
                  retry(turn);
                  input.current?.focus();
                }}
              />
            ))}
          </div>
          {suggestions.length > 0 && (
            <fieldset className="suggestions">
              <legend>{state.turns.length === 0 ? "Try asking:" : "Or ask:"}</legend>
              <ul>
                {suggestions.map((s) => (
                  <li key={s}>
                    <button type="button" disabled={busy} onClick={() => ask(s)}>
                      {s}
                    </button>
                  </li>
                ))}
              </ul>
            </fieldset>
          )}
          <form className="ask-form" onSubmit={onSubmit} noValidate aria-label="Ask the assistant">
            <Field
              label="Your question"
              error={invalid}
              hint="Enter sends it; Shift+Enter starts a new line."
            >
              {(p) => (
                <textarea
                  {...p}
                  ref={input}
                  rows={3}
                  value={draft}
                  maxLength={MAX_CHAT_MESSAGE_CHARS}
                  onChange={(e) => {
                    setDraft(e.target.value);
                    if (invalid) setInvalid(undefined);
                  }}
                  onKeyDown={onKeyDown}
                  placeholder="How do I get out of debt?"
                />
              )}
            </Field>
            <div className="button-row">
              {busy ? (
                <button
                  type="button"
                  onClick={() => {
                    stop();
                    input.current?.focus();
                  }}
                >
                  Stop
                </button>
              ) : (
                <button type="submit" className="primary">
                  Ask
                </button>
              )}
              <p role="status" className="chat-status" data-testid="chat-status">
                {progressWords(last)}
              </p>
            </div>
          </form>
        </section>
        <ConversationList
          openId={state.conversationId}
          onNew={startNew}
          onDeleted={(c) => {
            if (c.conversationId === state.conversationId) startNew();
            say(`The conversation “${c.title}” was deleted.`, true);
          }}
        />
      </div>
    </div>
  );
}
