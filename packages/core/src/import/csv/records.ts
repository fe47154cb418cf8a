import type { CsvDelimiter, StatementGuesses } from "@tyche/types";
import Papa from "papaparse";
import { lineCounter } from "../text";
import { ImportFormatError, MAX_CELL_CHARS } from "../types";

/**
 * No bank export has more columns (they have five to twenty); ImportOptions.columns takes indexes up
 * to the same bound. A file of a million commas would otherwise cost seconds in column detection.
 */
export const MAX_CSV_COLUMNS = 500;

/**
 * Refuses a line with more delimiters than MAX_CSV_COLUMNS allows, before papaparse builds its row:
 * counted on the raw line, quotes and all, which a real statement never comes near.
 */
function assertColumnBound(text: string, delimiter: CsvDelimiter): void {
  const d = delimiter.charCodeAt(0);
  let line = 1;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === d) {
      if (++count >= MAX_CSV_COLUMNS) {
        throw new ImportFormatError(
          `Line ${line} has more than ${MAX_CSV_COLUMNS} fields; no bank statement has that many columns.`,
          line,
        );
      }
    } else if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      count = 0;
    }
  }
}

/** One non-blank CSV record and the 1-based line it starts on. */
export interface CsvRecord {
  cells: string[];
  line: number;
  /** A quoted field with text after its closing quote: the row is unreliable, the file is not. */
  badQuotes: boolean;
}

const DELIMITERS: CsvDelimiter[] = [",", ";", "\t", "|"];
const DELIMITER_NAMES: Record<CsvDelimiter, string> = {
  ",": "Commas",
  ";": "Semicolons",
  "\t": "Tabs",
  "|": "Vertical bars",
};

/** Refuses text that is not a CSV at all: empty, binary, or mostly unreadable. */
export function assertText(text: string): void {
  if (text.trim() === "") throw new ImportFormatError("The file is empty.");
  const head = text.slice(0, 8192);
  if (head.includes("\u0000")) {
    throw new ImportFormatError(
      "This is not a CSV file: it contains binary data (NUL bytes). Export the statement as CSV or OFX.",
    );
  }
  let odd = 0;
  for (const ch of head) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c < 0x20 && ch !== "\t" && ch !== "\n" && ch !== "\r") || c === 0x7f || c === 0xfffd) odd++;
  }
  if (odd > head.length * 0.1) {
    throw new ImportFormatError("This is not a CSV file: most of it is not readable text.");
  }
}

/**
 * The delimiter that splits the first lines into the same number of fields most often (more fields
 * break a tie). A preamble of short lines does not mislead it: the statement's rows are the majority.
 */
export function detectDelimiter(text: string): StatementGuesses["delimiter"] & object {
  const sample = text.slice(0, 65536);
  let best: { d: CsvDelimiter; share: number; fields: number; lines: number } | undefined;
  for (const d of DELIMITERS) {
    const parsed = Papa.parse<string[]>(sample, { delimiter: d, preview: 60, skipEmptyLines: "greedy" });
    const counts = parsed.data.map((r) => r.length);
    if (counts.length === 0) continue;
    const freq = new Map<number, number>();
    for (const c of counts) freq.set(c, (freq.get(c) ?? 0) + 1);
    let mode = 0;
    let modeCount = 0;
    for (const [c, n] of freq) {
      if (n > modeCount || (n === modeCount && c > mode)) {
        mode = c;
        modeCount = n;
      }
    }
    if (mode < 2) continue;
    const share = modeCount / counts.length;
    if (!best || share > best.share + 1e-9 || (Math.abs(share - best.share) <= 1e-9 && mode > best.fields)) {
      best = { d, share, fields: mode, lines: modeCount };
    }
  }
  if (!best) {
    return {
      value: ",",
      source: "default",
      evidence: "No delimiter splits the lines into fields; a comma is assumed.",
      overrideWith: ["delimiter"],
    };
  }
  return {
    value: best.d,
    source: "detected",
    evidence: `${DELIMITER_NAMES[best.d]} split ${best.lines === 1 ? "the line" : `${best.lines} of the first lines`} into ${best.fields} fields.`,
    overrideWith: ["delimiter"],
  };
}

/**
 * Every non-blank record with the 1-based line it starts on, tokenised by papaparse; stops past `limit`
 * records. A cell longer than MAX_CELL_CHARS, a line of more than MAX_CSV_COLUMNS fields, or a quoted
 * field that is never closed (the rest of the file would become one cell: a cut-off or broken file)
 * refuses the file with its line.
 */
export function readRecords(
  text: string,
  delimiter: CsvDelimiter,
  limit: number,
): { records: CsvRecord[]; more: boolean } {
  const records: CsvRecord[] = [];
  let more = false;
  let start = 0;
  let failure: ImportFormatError | undefined;
  assertColumnBound(text, delimiter);
  const lineAt = lineCounter(text);
  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: false,
    step: (result, parser) => {
      const line = lineAt(start);
      start = result.meta.cursor;
      const cells = result.data;
      if (result.errors.some((e) => e.code === "MissingQuotes")) {
        failure = new ImportFormatError(
          `Line ${line}: a quoted field is never closed, so the rest of the file cannot be read. The file may be cut off; export it again.`,
          line,
        );
        parser.abort();
        return;
      }
      const long = cells.findIndex((c) => c.length > MAX_CELL_CHARS);
      if (long >= 0) {
        failure = new ImportFormatError(
          `Line ${line}: field ${long + 1} is ${cells[long]?.length.toLocaleString("en-US")} characters long; no bank statement has a field over ${MAX_CELL_CHARS.toLocaleString("en-US")}.`,
          line,
        );
        parser.abort();
        return;
      }
      if (!cells.some((c) => c.trim() !== "")) return;
      if (records.length >= limit) {
        more = true;
        parser.abort();
        return;
      }
      records.push({ cells, line, badQuotes: result.errors.some((e) => e.type === "Quotes") });
    },
  });
  if (failure) throw failure;
  return { records, more };
}
