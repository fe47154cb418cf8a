import type { ConversationSummary } from "@tyche/types";
import { Link } from "react-router";
import { useConversations, useDeleteConversation } from "../../api/assistant";
import { Confirm } from "../../ui/Confirm";
import { ErrorMessage, LoadFailed } from "../../ui/ErrorMessage";
import { instantLabel } from "../../ui/format";
import { useModes } from "../../ui/useModes";

/**
 * The user's conversations, newest first: each reopens by its link (an address of its own, so a
 * reload or the back button keeps it), and can be deleted after a question.
 */
export function ConversationList({
  openId,
  onNew,
  onDeleted,
}: {
  openId: string | undefined;
  onNew: () => void;
  onDeleted: (conversation: ConversationSummary) => void;
}) {
  const list = useConversations();
  const items = list.data ?? [];
  return (
    <aside className="card conversations" aria-labelledby="conversations-heading">
      <h2 id="conversations-heading">Your conversations</h2>
      <button type="button" onClick={onNew}>
        New conversation
      </button>
      {list.isPending ? (
        <p className="loading">Loading your conversations…</p>
      ) : list.isError ? (
        <LoadFailed query={list} />
      ) : items.length === 0 ? (
        <p className="muted" data-testid="conversations-empty">
          None yet: your questions and their answers are kept here.
        </p>
      ) : (
        <ul className="conversation-list">
          {items.map((c) => (
            <ConversationItem
              key={c.conversationId}
              conversation={c}
              open={c.conversationId === openId}
              onDeleted={onDeleted}
            />
          ))}
        </ul>
      )}
    </aside>
  );
}

function ConversationItem({
  conversation: c,
  open,
  onDeleted,
}: {
  conversation: ConversationSummary;
  open: boolean;
  onDeleted: (conversation: ConversationSummary) => void;
}) {
  const { mode, setMode, button } = useModes<"confirm-delete">();
  const remove = useDeleteConversation();
  return (
    <li data-testid="conversation">
      <Link
        to={`?conversation=${c.conversationId}`}
        aria-current={open ? "page" : undefined}
        className="conversation-link"
      >
        <span className="conversation-title">{c.title}</span>
        <span className="muted conversation-when">{instantLabel(c.updatedAt)}</span>
      </Link>
      {mode === "confirm-delete" ? (
        <Confirm
          question={`Delete the conversation “${c.title}”? This cannot be undone.`}
          error={<ErrorMessage error={remove.error} />}
          pending={remove.isPending}
          no="Keep it"
          onYes={() =>
            remove.mutateAsync(c.conversationId).then(
              () => onDeleted(c),
              () => undefined,
            )
          }
          onNo={() => setMode("view")}
        />
      ) : (
        <button
          ref={button("confirm-delete")}
          type="button"
          className="conversation-delete"
          onClick={() => {
            remove.reset();
            setMode("confirm-delete");
          }}
          aria-label={`Delete “${c.title}”`}
        >
          Delete
        </button>
      )}
    </li>
  );
}
