import type { ReactNode } from "react";

/** A block of an answer: a paragraph, or a list of items. */
export type Block = { kind: "p"; lines: string[] } | { kind: "ul" | "ol"; items: string[] };

const BULLET = /^\s*[-*•]\s+/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+/;

/**
 * An answer's text as blocks: paragraphs split by blank lines, and runs of "- " (or "1. ") lines
 * as lists. A line that carries on a list item without a marker is part of that item.
 */
export function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  let last: Block | undefined;
  const push = (b: Block) => {
    blocks.push(b);
    last = b;
  };
  for (const raw of text.replace(/\r\n?/g, "\n").split("\n")) {
    const line = raw.trimEnd();
    if (line.trim() === "") {
      last = undefined;
      continue;
    }
    const kind = BULLET.test(line) ? "ul" : NUMBERED.test(line) ? "ol" : undefined;
    if (kind) {
      const item = line.replace(kind === "ul" ? BULLET : NUMBERED, "");
      if (last?.kind === kind) last.items.push(item);
      else push({ kind, items: [item] });
    } else if (last && last.kind !== "p" && /^\s+/.test(raw)) {
      const items = last.items;
      items[items.length - 1] = `${items[items.length - 1] ?? ""} ${line.trim()}`;
    } else if (last?.kind === "p") last.lines.push(line);
    else push({ kind: "p", lines: [line] });
  }
  return blocks;
}

/** `**bold**` as strong words; everything else as the text it is (React escapes it: no HTML gets in). */
function inline(text: string): ReactNode[] {
  return text.split(/(\*\*[^*]+\*\*)/g).map((part, i) =>
    part.startsWith("**") && part.endsWith("**") && part.length > 4 ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string, in order
      <strong key={i}>{part.slice(2, -2)}</strong>
    ) : (
      part
    ),
  );
}

/** An answer as paragraphs and lists: plain text, never markup from the answer itself. */
export function AnswerText({ text }: { text: string }) {
  return (
    <>
      {blocksOf(text).map((b, i) =>
        b.kind === "p" ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks only grow at the end as the answer streams
          <p key={i}>
            {b.lines.map((l, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the lines of one paragraph, in order
              <span key={j}>
                {j > 0 && <br />}
                {inline(l)}
              </span>
            ))}
          </p>
        ) : b.kind === "ul" ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks only grow at the end as the answer streams
          <ul key={i}>
            {b.items.map((item, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the items of one list, in order
              <li key={j}>{inline(item)}</li>
            ))}
          </ul>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks only grow at the end as the answer streams
          <ol key={i}>
            {b.items.map((item, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the items of one list, in order
              <li key={j}>{inline(item)}</li>
            ))}
          </ol>
        ),
      )}
    </>
  );
}
