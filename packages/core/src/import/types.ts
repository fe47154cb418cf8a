import type { ImportRowDirection, ImportRowKind, ImportSkipReason, StatementGuesses } from "@tyche/types";

/** The most transactions one import may carry (CSV data rows, OFX STMTTRNs). */
export const MAX_IMPORT_ROWS = 50_000;

/**
 * The longest CSV cell or OFX value accepted. Real statements stay far below it (an American Express
 * "Extended Details" cell is a few hundred characters); a longer one is a broken or hostile file, and the
 * whole file is refused rather than imported with text cut at an arbitrary point.
 */
export const MAX_CELL_CHARS = 10_000;

/** The largest file readStatement reads, the API's own upload limit. */
export const MAX_STATEMENT_BYTES = 10 * 1024 * 1024;

/** One transaction read from an imported file. */
export interface ParsedRow {
  /** 1-based line in the file where the row starts. */
  line: number;
  /** YYYY-MM-DD */
  date: string;
  /** Positive cents, fees included; `direction` says which way the money went. */
  amount: number;
  /** debit: money out of a cash account, or a charge on a card. */
  direction: ImportRowDirection;
  kind: ImportRowKind;
  /** Payee as the bank wrote it ("" when the file has none). */
  merchantRaw: string;
  description: string;
  /** The bank's own category, when the file has one. */
  category?: string;
  /** The bank's id for the row: OFX FITID, or a CSV reference / transaction-id column. */
  bankId?: string;
  /** The bank has not settled the row yet. */
  pending: boolean;
  /** Cents of fee, already included in `amount`. */
  fee?: number;
  /** Reads as a card payment or a transfer between the user's own accounts. */
  paymentLike: boolean;
  /**
   * @deprecated The old two-way reading, kept so callers written before kinds keep working (and CSV
   * fingerprints built from it stay stable): "expense" for a debit, "income" for a credit. Use
   * `kind` and `direction`.
   */
  type: "expense" | "income";
}

/** A row the bank marks as not having happened: counted, never imported. */
export interface SkippedRow {
  line: number;
  reason: ImportSkipReason;
  /** The row's merchant or description, so a person can recognise it. */
  text: string;
}

/** A row that could not be read; the rest of the file still is. */
export interface ImportRowError {
  /** 1-based line in the file. */
  line: number;
  reason: string;
}

/** What the statement says about its account, when it says anything. */
export interface StatementAccount {
  /** The bank's account number or IBAN as the file writes it. */
  bankAccountId?: string;
  /** ISO 4217 code. */
  currency?: string;
  /** The balance the bank reports, in signed cents as the file writes it, and its date. */
  ledgerBalance?: { amount: number; date: string };
}

/** Everything read from one file; plain data, so it crosses a worker boundary as it is. */
export interface StatementReading {
  format: "csv" | "ofx";
  rows: ParsedRow[];
  skipped: SkippedRow[];
  errors: ImportRowError[];
  guesses: StatementGuesses;
  account?: StatementAccount;
}

/**
 * The file as a whole cannot be imported: not a CSV/OFX at all, cut off, too big, or nothing readable in
 * it. `line` is the 1-based line where it broke, when there is one (it is in the message too).
 */
export class ImportFormatError extends Error {
  override readonly name = "ImportFormatError";
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}
