import { useState } from "react";

/**
 * Copies `text` to the clipboard and says so beside the button (read out by screen readers). Where
 * the browser refuses the clipboard, it says so, and the text stays on the page to copy by hand.
 */
export function CopyButton({
  text,
  label = "Copy",
  describedBy,
}: {
  text: string;
  label?: string;
  describedBy?: string;
}) {
  // What was said, and of which text: a message about an earlier text is not shown for a new one.
  const [said, setSaid] = useState<{ text: string; message: string }>();
  // Through a promise: where there is no clipboard at all (a page not served securely) it throws.
  const copy = () =>
    Promise.resolve()
      .then(() => navigator.clipboard.writeText(text))
      .then(
        () => setSaid({ text, message: "Copied." }),
        () => setSaid({ text, message: "The browser would not copy it: select it and copy it yourself." }),
      );
  return (
    <span className="copy">
      <button
        type="button"
        onClick={() => void copy()}
        {...(describedBy ? { "aria-describedby": describedBy } : {})}
      >
        {label}
      </button>{" "}
      <span role="status" className="copy-said">
        {said?.text === text ? said.message : ""}
      </span>
    </span>
  );
}
