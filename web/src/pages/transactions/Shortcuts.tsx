import { useEffect, useRef } from "react";

/** Keys typed into a field are the field's: shortcuts only act elsewhere. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/** `n` opens the new-transaction form, `/` goes to the search field. */
export function useShortcuts(actions: { onNew: () => void; onSearch: () => void }): void {
  const latest = useRef(actions);
  latest.current = actions;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (e.key === "n" || e.key === "N") {
        e.preventDefault();
        latest.current.onNew();
      } else if (e.key === "/") {
        e.preventDefault();
        latest.current.onSearch();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}

/** The shortcuts, said on the page. */
export function Shortcuts() {
  return (
    <p className="shortcuts muted">
      Keyboard shortcuts: <kbd>n</kbd> new transaction, <kbd>/</kbd> search (when you are not typing in a
      field). In a form, <kbd>Esc</kbd> cancels.
    </p>
  );
}
