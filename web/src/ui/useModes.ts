import { useEffect, useRef, useState } from "react";

/**
 * What an item shows: itself ("view") or one of its forms or questions, each opened by a button
 * that takes `button(mode)` as its ref. Back in "view", the focus returns to the button that opened
 * the mode just closed, so a keyboard or a screen reader carries on from where it was.
 */
export function useModes<M extends string>() {
  const [mode, setMode] = useState<M | "view">("view");
  const buttons = useRef<Partial<Record<M, HTMLButtonElement | null>>>({});
  const opened = useRef<M | "view">("view");
  useEffect(() => {
    if (mode !== "view") opened.current = mode;
    else if (opened.current !== "view") {
      buttons.current[opened.current]?.focus();
      opened.current = "view";
    }
  }, [mode]);
  const button = (m: M) => (el: HTMLButtonElement | null) => {
    buttons.current[m] = el;
  };
  return { mode, setMode, button };
}
