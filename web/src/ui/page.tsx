import { useEffect, useRef, useState } from "react";

/** The tab's title while a page is shown: "Debt payoff · Tyche". */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Tyche`;
  }, [title]);
}

/**
 * A page's status line: what the last action did, read out by screen readers. `say(text, true)`
 * also moves the focus to it, for when the item acted on is gone and the focus must go somewhere.
 */
export function useStatusLine() {
  const [message, setMessage] = useState<{ text: string; focus: boolean }>();
  const status = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (message?.focus) status.current?.focus();
  }, [message]);
  const say = (text: string, focus = false) => setMessage({ text, focus });
  const line = (
    <p ref={status} role="status" className={message ? "notice page-status" : "page-status"} tabIndex={-1}>
      {message?.text}
    </p>
  );
  return { say, line };
}
