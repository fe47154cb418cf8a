import type { ReactNode } from "react";

/**
 * A question asked before a delete (or a close): its words, what went wrong with the answer, and
 * the two answers. The first takes the focus, as the question was just asked.
 */
export function Confirm({
  question,
  error,
  pending,
  yes = "Delete it",
  no = "Cancel",
  onYes,
  onNo,
}: {
  question: ReactNode;
  /** The failed answer in words (an ErrorMessage, or the item's own words for a conflict). */
  error: ReactNode;
  pending: boolean;
  yes?: string;
  no?: string;
  onYes: () => void;
  onNo: () => void;
}) {
  return (
    <fieldset className="confirm-question">
      <legend>{question}</legend>
      {error}
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={pending}
          // biome-ignore lint/a11y/noAutofocus: the question was just asked; its answer takes the focus
          autoFocus
          onClick={onYes}
        >
          {pending ? "One moment…" : yes}
        </button>
        <button type="button" onClick={onNo}>
          {no}
        </button>
      </div>
    </fieldset>
  );
}
