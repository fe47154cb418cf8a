import { ImportFormatError, MAX_IMPORT_ROWS, minorUnitDigits } from "@tyche/core";
import { Id, IsoDate, TransactionType } from "@tyche/types";
import Papa from "papaparse";
import {
  decodeSplits,
  decodeTags,
  TYCHE_EXPORT_HEADER,
  TYCHE_EXPORT_HEADER_LINE,
  type TycheExportColumn,
  unprotectCell,
} from "./export-csv";

/**
 * Reading Tyche's own export (the layout `export-csv.ts` writes) back into what each row says.
 * Pure: no I/O, no ids, no categories looked up; `tyche-import.ts` turns rows into records.
 */

/** An account as a row names it: by id (in the user who exported it) and by name. */
export interface NamedAccount {
  id: string | null;
  name: string;
}

export interface TycheExportRow {
  /** 1-based line the row starts on (a note with line breaks spans several). */
  line: number;
  /** The transaction's id where it was exported from; null in a row added by hand. */
  transactionId: string | null;
  date: string;
  account: NamedAccount;
  kind: TransactionType;
  /** Positive minor units (cents); `direction` says which way the money went for `account`. */
  amount: number;
  direction: "out" | "in";
  currency: string;
  /** The category's name; null for none and for a split. */
  category: string | null;
  /** The parts of a split by category name, amounts in minor units; null when not split. */
  splits: { category: string; amount: number; note?: string }[] | null;
  /** As the user or the bank wrote it ("" for none). */
  merchant: string;
  /** The name Tyche shows for it (cleaned up from a bank's text, or a rule's renaming; "" for none). */
  merchantName: string;
  description: string;
  tags: string[];
  notes: string;
  pending: boolean;
  cleared: boolean;
  bankId: string | null;
  /** A transfer's other account: where the money went (out) or came from (in). */
  transferAccount: NamedAccount | null;
  /** The other leg's transaction id, for a transfer. */
  linkedId: string | null;
}

/** The file starts with Tyche's header (after a byte-order mark, if a spreadsheet added one). */
export function isTycheExport(text: string): boolean {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!text.startsWith(TYCHE_EXPORT_HEADER_LINE, start)) return false;
  const after = text.slice(
    start + TYCHE_EXPORT_HEADER_LINE.length,
    start + TYCHE_EXPORT_HEADER_LINE.length + 2,
  );
  return after === "" || after === "\r\n" || after.startsWith("\n");
}

/**
 * The rows of a file's bytes when it is a Tyche export, else null (it is a bank's file). Only the
 * first bytes are looked at for a bank file. Tyche writes UTF-8; a spreadsheet that saved it again
 * as Windows-1252 is read too.
 */
export function readTycheExportFile(
  bytes: Uint8Array,
): { rows: TycheExportRow[]; encoding: "utf-8" | "windows-1252" } | null {
  const head = new TextDecoder("utf-8").decode(bytes.subarray(0, TYCHE_EXPORT_HEADER_LINE.length + 8));
  if (!isTycheExport(head)) return null;
  let text: string;
  let encoding: "utf-8" | "windows-1252" = "utf-8";
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    text = new TextDecoder("windows-1252").decode(bytes);
    encoding = "windows-1252";
  }
  return { rows: readTycheExport(text), encoding };
}

/** A broken file: refused whole, with the line and the column where it broke. */
const broken = (line: number, message: string) => new ImportFormatError(`line ${line}: ${message}`);

const column = (name: TycheExportColumn) => TYCHE_EXPORT_HEADER.indexOf(name);

/**
 * Every row of a Tyche export, in file order. Throws ImportFormatError naming the line for anything
 * the writer would not have written (a cell it cannot read, a row cut short, an unclosed quote),
 * so a damaged file is refused before anything is written.
 */
export function readTycheExport(text: string): TycheExportRow[] {
  if (!isTycheExport(text)) throw new ImportFormatError("Not a Tyche export: the header is not Tyche's");
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const newline = body.charAt(TYCHE_EXPORT_HEADER_LINE.length) === "\r" ? "\r\n" : "\n";
  const rows: TycheExportRow[] = [];
  let failure: Error | undefined;
  let line = 1;
  let scanned = 0;
  let start = 0;
  let first = true;
  Papa.parse<string[]>(body, {
    delimiter: ",",
    newline,
    quoteChar: '"',
    skipEmptyLines: false,
    step: (result, parser) => {
      // Lines start after every newline before this record's first character.
      for (; scanned < start; scanned++) {
        const ch = body.charCodeAt(scanned);
        if (ch === 10 || (ch === 13 && body.charCodeAt(scanned + 1) !== 10)) line++;
      }
      const at = line;
      start = result.meta.cursor;
      try {
        if (first) {
          first = false;
          return;
        }
        const cells = result.data;
        if (cells.length === 1 && cells[0] === "") return;
        if (result.errors.some((e) => e.type === "Quotes"))
          throw broken(at, "a quoted cell is not closed (is the file cut off?)");
        if (cells.length !== TYCHE_EXPORT_HEADER.length) {
          throw broken(
            at,
            `has ${cells.length} cells, not ${TYCHE_EXPORT_HEADER.length} like the header (is the file cut off?)`,
          );
        }
        if (rows.length >= MAX_IMPORT_ROWS) {
          throw new ImportFormatError(
            `The file has more than ${MAX_IMPORT_ROWS.toLocaleString("en-US")} rows; export a shorter range.`,
          );
        }
        rows.push(readRow(cells, at));
      } catch (err) {
        failure = err instanceof Error ? err : new Error(String(err));
        parser.abort();
      }
    },
  });
  if (failure) throw failure;
  return rows;
}

/** One data row's cells, checked as the writer writes them. */
export function readRow(cells: readonly string[], line: number): TycheExportRow {
  const raw = (name: TycheExportColumn) => cells[column(name)] ?? "";
  const text = (name: TycheExportColumn) => unprotectCell(raw(name));
  const fail = (name: TycheExportColumn, message: string) => broken(line, `${name} ${message}`);
  const id = (name: TycheExportColumn): string | null => {
    const value = raw(name).trim();
    if (value === "") return null;
    if (!Id.safeParse(value).success) throw fail(name, `"${value}" is not a Tyche id`);
    return value;
  };
  const flag = (name: TycheExportColumn): boolean => {
    const value = raw(name).trim().toLowerCase();
    if (value === "true") return true;
    if (value === "false" || value === "") return false;
    throw fail(name, `"${raw(name)}" is neither true nor false`);
  };

  const date = raw("Date").trim();
  if (!IsoDate.safeParse(date).success) throw fail("Date", `"${raw("Date")}" is not a date as YYYY-MM-DD`);
  const kind = TransactionType.safeParse(raw("Kind").trim());
  if (!kind.success) throw fail("Kind", `"${raw("Kind")}" is not one of expense, income, refund, transfer`);
  const currency = raw("Currency").trim().toUpperCase();
  const digits = currencyDigits(currency);
  if (digits === undefined) throw fail("Currency", `"${raw("Currency")}" is not a currency code`);

  const signed = decimalToMinor(raw("Amount").trim(), digits, true);
  if (signed === undefined) throw fail("Amount", `"${raw("Amount")}" is not an amount like -12.34`);
  if (signed === 0) throw fail("Amount", "is zero");
  const direction = signed < 0 ? "out" : "in";
  const expected = kind.data === "expense" ? "out" : kind.data === "transfer" ? direction : "in";
  if (direction !== expected) {
    throw fail(
      "Amount",
      `of ${kind.data === "expense" ? "an expense" : `a ${kind.data}`} must be ${
        expected === "out" ? "negative (money out)" : "positive (money in)"
      }`,
    );
  }
  const amount = Math.abs(signed);

  const category = text("Category");
  const splitsCell = text("Splits");
  let splits: TycheExportRow["splits"] = null;
  if (splitsCell !== "") {
    if (category !== "") throw fail("Splits", "cannot be given together with a Category");
    if (kind.data === "transfer") throw fail("Splits", "cannot be given for a transfer");
    let parts: ReturnType<typeof decodeSplits>;
    try {
      parts = decodeSplits(splitsCell);
    } catch (err) {
      throw fail("Splits", `cannot be read: ${(err as Error).message}`);
    }
    splits = parts.map((p) => {
      const cents = decimalToMinor(p.amount, digits, false);
      if (cents === undefined || cents === 0) throw fail("Splits", `"${p.amount}" is not an amount`);
      if (p.category.trim() === "") throw fail("Splits", "has a part without a category name");
      return { category: p.category, amount: cents, ...(p.note !== undefined ? { note: p.note } : {}) };
    });
    const total = splits.reduce((s, p) => s + p.amount, 0);
    if (total !== amount) throw fail("Splits", `add up to ${total}, not to the amount ${amount}`);
  }

  let tags: string[];
  try {
    tags = decodeTags(text("Tags"));
  } catch (err) {
    throw fail("Tags", `cannot be read: ${(err as Error).message}`);
  }

  const transferAccount: NamedAccount = { id: id("Transfer Account Id"), name: text("Transfer Account") };
  const hasCounterpart = transferAccount.id !== null || transferAccount.name.trim() !== "";
  if (kind.data === "transfer" && !hasCounterpart)
    throw fail("Transfer Account", "is required for a transfer (by name or id)");
  if (kind.data !== "transfer" && hasCounterpart) throw fail("Transfer Account", "is only for a transfer");
  const bankId = text("Bank Id");

  return {
    line,
    transactionId: id("Tyche Id"),
    date,
    account: { id: id("Account Id"), name: text("Account") },
    kind: kind.data,
    amount,
    direction,
    currency,
    category: category === "" || splits ? null : category,
    splits,
    merchant: text("Merchant"),
    merchantName: text("Merchant Name"),
    description: text("Description"),
    tags,
    notes: text("Notes"),
    pending: flag("Pending"),
    cleared: flag("Cleared"),
    bankId: bankId === "" ? null : bankId,
    transferAccount: kind.data === "transfer" ? transferAccount : null,
    linkedId: kind.data === "transfer" ? id("Linked Id") : null,
  };
}

function currencyDigits(code: string): number | undefined {
  if (!/^[A-Z]{3}$/.test(code)) return undefined;
  try {
    return minorUnitDigits(code);
  } catch {
    return undefined;
  }
}

/**
 * A plain decimal ("-1234.56", what centsToDecimal writes) as minor units with integer arithmetic:
 * no thousands separators, no currency signs, at most `digits` decimals (fewer are padded, as a
 * spreadsheet that saved 12.50 as 12.5 would write). Undefined when it is not one.
 */
export function decimalToMinor(text: string, digits: number, signed: boolean): number | undefined {
  const m = (signed ? /^([+-]?)(\d{1,15})(?:\.(\d*))?$/ : /^()(\d{1,15})(?:\.(\d*))?$/).exec(text);
  if (!m) return undefined;
  const fraction = m[3] ?? "";
  if (fraction.length > digits) return undefined;
  const value = Number(m[2]) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  if (!Number.isSafeInteger(value)) return undefined;
  return m[1] === "-" ? -value : value;
}
