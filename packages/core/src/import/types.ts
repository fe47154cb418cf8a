/** The most transactions one import may carry (CSV data rows, OFX STMTTRNs). */
export const MAX_IMPORT_ROWS = 50_000;

/** One transaction read from an imported file. */
export interface ParsedRow {
  /** 1-based line in the file where the row starts. */
  line: number;
  /** YYYY-MM-DD */
  date: string;
  /** Positive cents; `type` says which way the money went. */
  amount: number;
  type: "expense" | "income";
  /** Payee as the bank wrote it ("" when the file has none). */
  merchantRaw: string;
  description: string;
  /** The bank's own category, when the file has one. */
  category?: string;
}

/** A row that could not be read; the rest of the file still is. */
export interface ImportRowError {
  /** 1-based line in the file. */
  line: number;
  reason: string;
}

/** The file as a whole cannot be imported: not a CSV/OFX at all, too big, or nothing readable in it. */
export class ImportFormatError extends Error {
  override readonly name = "ImportFormatError";
}
