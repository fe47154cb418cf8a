import { lineCounter } from "./text";
import { ImportFormatError, MAX_CELL_CHARS } from "./types";

const again = "The file is incomplete; export it from the bank again.";

/**
 * Refuses an OFX file that is not whole, so that a statement cut off in transfer is never imported as
 * if it were complete: it must end with </OFX>, not stop inside a tag, close every <BANKTRANLIST> and
 * close each <STMTTRN> before the next begins (OFX 1.x SGML leaves elements open, never aggregates).
 * Also refuses a value longer than MAX_CELL_CHARS. One pass over the text, naming the line.
 */
export function assertOfxComplete(text: string): void {
  const lineAt = lineCounter(text);
  const lastOpen = text.lastIndexOf("<");
  if (lastOpen >= 0 && text.indexOf(">", lastOpen) < 0) {
    const line = lineAt(lastOpen);
    throw new ImportFormatError(`This OFX file stops in the middle of a tag (line ${line}). ${again}`, line);
  }

  let listLine = 0;
  let trnLine = 0;
  let previous = 0;
  const tags = /<(\/?)(STMTTRN|BANKTRANLIST)>/gi;
  // Values between tags are scanned with indexOf, not a pattern, so a huge one costs one pass.
  for (let m = tags.exec(text); m; m = tags.exec(text)) {
    checkValues(text, previous, m.index, lineAt);
    previous = m.index + m[0].length;
    const closing = m[1] === "/";
    const name = (m[2] ?? "").toUpperCase();
    const line = lineAt(m.index);
    if (name === "BANKTRANLIST") {
      if (!closing) {
        if (listLine > 0) {
          throw new ImportFormatError(
            `This OFX file's transaction list at line ${listLine} is not closed before the next one (line ${line}). ${again}`,
            listLine,
          );
        }
        listLine = line;
        continue;
      }
      if (trnLine > 0) {
        throw new ImportFormatError(
          `This OFX file's transaction at line ${trnLine} is not closed (</STMTTRN>) before its list ends. ${again}`,
          trnLine,
        );
      }
      listLine = 0;
      continue;
    }
    if (!closing) {
      if (trnLine > 0) {
        throw new ImportFormatError(
          `This OFX file's transaction at line ${trnLine} is not closed (</STMTTRN>) before the next one (line ${line}). ${again}`,
          trnLine,
        );
      }
      trnLine = line;
    } else trnLine = 0;
  }
  checkValues(text, previous, text.length, lineAt);
  if (trnLine > 0) {
    throw new ImportFormatError(
      `This OFX file's transaction at line ${trnLine} is never closed. ${again}`,
      trnLine,
    );
  }
  if (listLine > 0) {
    throw new ImportFormatError(
      `This OFX file's transaction list at line ${listLine} is never closed (</BANKTRANLIST>). ${again}`,
      listLine,
    );
  }
  if (text.trimEnd().slice(-6).toUpperCase() !== "</OFX>") {
    const line = lineAt(text.trimEnd().length);
    throw new ImportFormatError(`This OFX file ends at line ${line} without </OFX>. ${again}`, line);
  }
}

/** Refuses a value (text between two tags) longer than MAX_CELL_CHARS in text[from, to). */
function checkValues(text: string, from: number, to: number, lineAt: (offset: number) => number): void {
  let start = from;
  while (start < to) {
    const lt = text.indexOf("<", start);
    const end = lt < 0 || lt > to ? to : lt;
    // Whitespace between tags is layout, not a value: only a run that is long once trimmed counts.
    const length = end - start > MAX_CELL_CHARS ? text.slice(start, end).trim().length : 0;
    if (length > MAX_CELL_CHARS) {
      const line = lineAt(start);
      throw new ImportFormatError(
        `This OFX file has a value of ${length.toLocaleString("en-US")} characters at line ${line}; no statement has one over ${MAX_CELL_CHARS.toLocaleString("en-US")}.`,
        line,
      );
    }
    if (end >= to) break;
    const gt = text.indexOf(">", end);
    start = gt < 0 || gt >= to ? to : gt + 1;
  }
}
