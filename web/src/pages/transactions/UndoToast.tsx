import { useEffect, useId, useRef, useState } from "react";

export const UNDO_SECONDS = 8;

/**
 * "Deleted … Undo": offered for UNDO_SECONDS, a time that stands still while the pointer or the
 * keyboard focus is on the toast (so nobody has to race it). Focus moves to Undo when it opens, as
 * the row it replaces is gone; when it closes, focus goes to `returnFocus`.
 */
export function UndoToast({
  message,
  onUndo,
  onClose,
  returnFocus,
  busy,
}: {
  message: string;
  onUndo: () => void;
  onClose: () => void;
  returnFocus: () => void;
  busy: boolean;
}) {
  const [left, setLeft] = useState(UNDO_SECONDS);
  const [held, setHeld] = useState({ hover: false, focus: false });
  const undo = useRef<HTMLButtonElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const messageId = useId();
  const paused = held.hover || held.focus || busy;

  useEffect(() => {
    undo.current?.focus();
  }, []);
  useEffect(() => {
    if (paused) return;
    if (left <= 0) {
      const hadFocus = box.current?.contains(document.activeElement);
      onClose();
      if (hadFocus) returnFocus();
      return;
    }
    const t = setTimeout(() => setLeft((s) => s - 1), 1000);
    return () => clearTimeout(t);
  }, [left, paused, onClose, returnFocus]);

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: hovering only pauses the timer; nothing is activated
    <div
      ref={box}
      className="toast"
      onMouseEnter={() => setHeld((h) => ({ ...h, hover: true }))}
      onMouseLeave={() => setHeld((h) => ({ ...h, hover: false }))}
      onFocus={() => setHeld((h) => ({ ...h, focus: true }))}
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null))
          setHeld((h) => ({ ...h, focus: false }));
      }}
    >
      <p id={messageId}>{message}</p>
      <button
        type="button"
        ref={undo}
        className="primary"
        aria-describedby={messageId}
        onClick={onUndo}
        disabled={busy}
      >
        {busy ? "Restoring…" : "Undo"}
      </button>
      <button
        type="button"
        onClick={() => {
          onClose();
          returnFocus();
        }}
      >
        Dismiss
      </button>
      <span className="muted toast-timer">{paused ? "Paused" : `${left} s`}</span>
    </div>
  );
}
