import type {
  AccountType,
  ColumnRole,
  CsvDelimiter,
  DateFormat,
  DecimalSeparator,
  ImportRecord,
  ImportSkipReason,
  SignConvention,
  StatementGuesses,
  TextEncoding,
} from "@tyche/types";

/** The import page's words for what the API names with codes. */

export const ROLE_WORDS: Record<ColumnRole, string> = {
  date: "Date",
  amount: "Amount (one signed column)",
  debit: "Money out",
  credit: "Money in",
  description: "Description",
  merchant: "Merchant or payee",
  memo: "Memo",
  category: "The bank's category",
  type: "Debit/credit indicator or type",
  fee: "Fee",
  state: "Status (completed, pending, declined)",
  reference: "The bank's reference",
  currency: "Currency",
};
export const ROLES = Object.keys(ROLE_WORDS) as ColumnRole[];

export const DATE_FORMAT_WORDS: Record<DateFormat, string> = {
  iso: "Year first: YYYY-MM-DD",
  us: "Month first: MM/DD/YYYY",
  eu: "Day first: DD/MM/YYYY or DD.MM.YYYY",
};

export const DECIMAL_WORDS: Record<DecimalSeparator, string> = {
  ".": "Decimal point: 1,234.56",
  ",": "Decimal comma: 1.234,56",
};

export const DELIMITER_WORDS: Record<CsvDelimiter, string> = {
  ",": "Comma",
  ";": "Semicolon",
  "\t": "Tab",
  "|": "Vertical bar",
};

export const ENCODING_WORDS: Record<TextEncoding, string> = {
  "utf-8": "UTF-8",
  "utf-16le": "UTF-16 (little-endian)",
  "utf-16be": "UTF-16 (big-endian)",
  "windows-1252": "Windows-1252 (Western European)",
  "iso-8859-1": "ISO-8859-1 (Latin-1)",
};

export function signWords(convention: SignConvention, account: AccountType | undefined): string {
  const out = account === "credit-card" ? "charges" : "money out";
  return convention === "negative-is-expense" ? `Negative amounts are ${out}` : `Positive amounts are ${out}`;
}

type Source = StatementGuesses["encoding"]["source"];

/** Where a guess came from; an option the user did not give now was remembered from the account. */
export function sourceWords(source: Source, givenNow: boolean): string {
  switch (source) {
    case "option":
      return givenNow ? "Your choice" : "Remembered from this account's last import";
    case "layout":
      return "From the bank's layout";
    case "detected":
      return "Detected from the file";
    case "default":
      return "Nothing in the file told; the usual choice";
    case "format":
      return "Fixed by the file format";
  }
}

export const KIND_WORDS = { expense: "Expense", income: "Income", refund: "Refund", transfer: "Transfer" };

export const OUTCOME_WORDS = {
  new: "New",
  duplicate: "Already imported",
  matched: "Matches one already there",
  ambiguous: "Ambiguous: not added",
};

export const SKIP_WORDS: Record<ImportSkipReason, string> = {
  declined: "the bank declined it",
  reverted: "the bank reverted it",
  cancelled: "it was cancelled",
  failed: "it failed at the bank",
};

export type Counts = ImportRecord["counts"];
export type CountName = Exclude<keyof Counts, "rows">;

/** Each count of an import in words, as a preview (what will happen) or a result (what did). */
export function countWords(name: CountName, n: number, phase: "preview" | "result"): string {
  const rows = n === 1 ? "row" : "rows";
  const will = phase === "preview";
  const isAre = will ? (n === 1 ? "is" : "are") : n === 1 ? "was" : "were";
  switch (name) {
    case "imported":
      return will
        ? `${n === 1 ? "transaction" : "transactions"} will be added`
        : `${n === 1 ? "transaction" : "transactions"} added`;
    case "matched":
      return `${rows} ${will ? (n === 1 ? "matches" : "match") : n === 1 ? "was matched to" : "were matched to"} ${will ? "a transaction already in the account and will be linked to it" : "transactions already in the account and linked"}`;
    case "duplicates":
      return `${rows} ${isAre} already imported (duplicates) and ${will ? "will be" : n === 1 ? "was" : "were"} skipped`;
    case "ambiguous":
      return `${rows} could be more than one transaction already there, so ${will ? "will not be" : n === 1 ? "it was not" : "they were not"} added`;
    case "skipped":
      return `${rows} ${isAre} marked declined, reverted or cancelled by the bank and ${will ? "will be" : n === 1 ? "was" : "were"} skipped`;
    case "failed":
      return `${rows} could not be read`;
  }
}

export const COUNT_NAMES: CountName[] = [
  "imported",
  "matched",
  "duplicates",
  "ambiguous",
  "skipped",
  "failed",
];
