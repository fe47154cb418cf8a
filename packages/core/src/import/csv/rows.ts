import type { AccountType, ColumnRole, DateFormat, DecimalSeparator, ImportRowDirection } from "@tyche/types";
import { parseAmount } from "../amounts";
import { parseDate } from "../dates";
import { classifyRow, type RowText, typeWord } from "../kinds";
import { INDICATOR_EXTRA, INDICATOR_WORDS, type RowState, STATE_WORDS } from "../patterns";
import { collapse } from "../text";
import type { ImportRowError, ParsedRow, SkippedRow } from "../types";
import type { ColumnMapping } from "./columns";
import type { CsvRecord } from "./records";

/** A row read from its cells, before the file as a whole has said which sign is money out. */
export interface DraftRow {
  line: number;
  date: string;
  /** Cents as written in a signed amount column; undefined with debit/credit columns. */
  signed?: number;
  /** Direction the row itself states: its debit or credit column, or a Debit/Credit indicator. */
  stated?: ImportRowDirection;
  /** Cents without sign. */
  magnitude: number;
  /** Cents of fee (always money out), 0 when none. */
  fee: number;
  text: RowText;
  merchantRaw: string;
  description: string;
  category?: string;
  bankId?: string;
  currency?: string;
  pending: boolean;
}

export interface RowContext {
  columns: ColumnMapping;
  columnCount: number;
  headers: string[] | null;
  dateFormat: DateFormat;
  /** The date format as the file writes it, for messages. */
  dateLabel: string;
  decimal: DecimalSeparator;
  /** The type column is a Debit/Credit indicator: its value states each row's direction. */
  indicator: boolean;
}

export interface DraftResult {
  drafts: DraftRow[];
  skipped: SkippedRow[];
  errors: ImportRowError[];
  /** "Beginning balance" lines with no amount: information, not transactions. */
  balanceLines: number;
}

const BALANCE_LINE = /^(?:beginning|opening|starting|ending|closing) balance\b/i;

export function cellOf(cells: readonly string[], columns: ColumnMapping, role: ColumnRole): string {
  const i = columns[role];
  return i === undefined ? "" : (cells[i] ?? "").trim();
}

/** Whether most values of a type column are Debit/Credit words, so that it states directions. */
export function isIndicatorColumn(values: readonly string[]): boolean {
  const filled = values.filter((v) => v !== "");
  const known = filled.filter((v) => INDICATOR_WORDS[typeWord(v)] !== undefined).length;
  return filled.length > 0 && known * 2 > filled.length;
}

/** A bank's row id as its value, without the apostrophe some banks add to keep spreadsheets off it. */
function cleanId(s: string): string {
  // A scan, not /['"\s]+$/: that pattern retries along every run of spaces inside the cell.
  const junk = (c: string) => c === "'" || c === '"' || c.trim() === "";
  let start = 0;
  let end = s.length;
  while (start < end && junk(s.charAt(start))) start++;
  while (end > start && junk(s.charAt(end - 1))) end--;
  return s.slice(start, end);
}

function stateOf(text: string): RowState | null {
  if (text === "") return "settled";
  return STATE_WORDS[typeWord(text)] ?? null;
}

/**
 * Reads each record's cells into a DraftRow, or a skipped row (declined, reverted, cancelled, failed),
 * or an error with its line. Nothing here depends on other rows.
 */
export function draftRows(records: readonly CsvRecord[], ctx: RowContext): DraftResult {
  const drafts: DraftRow[] = [];
  const skipped: SkippedRow[] = [];
  const errors: ImportRowError[] = [];
  let balanceLines = 0;

  for (const record of records) {
    const reason = draftRow(record, ctx, drafts, skipped);
    if (reason === "balance") balanceLines++;
    else if (reason !== null) errors.push({ line: record.line, reason });
  }
  return { drafts, skipped, errors, balanceLines };
}

/**
 * One record into `drafts` or `skipped`; returns null then, "balance" for a balance line, else why the
 * row cannot be read.
 */
function draftRow(
  record: CsvRecord,
  ctx: RowContext,
  drafts: DraftRow[],
  skipped: SkippedRow[],
): string | null {
  const { columns, columnCount, headers, dateFormat, dateLabel, decimal } = ctx;
  const split = columns.amount === undefined;
  const { cells, line } = record;
  const cell = (role: ColumnRole) => cellOf(cells, columns, role);
  if (record.badQuotes) {
    return "a quoted field has text after its closing quote";
  }
  // A trailing delimiter more or less than the header has is not a broken row.
  const extraEmpty = cells.length > columnCount && cells.slice(columnCount).every((c) => c.trim() === "");
  const missingUnnamed =
    headers !== null && cells.length < columnCount && headers.slice(cells.length).every((h) => h === "");
  if (cells.length !== columnCount && !extraEmpty && !missingUnnamed) {
    return `expected ${columnCount} columns, found ${cells.length}`;
  }

  const merchant = collapse(cell("merchant"));
  const desc = collapse(cell("description"));
  const memo = collapse(cell("memo"));
  const merchantRaw = merchant || desc || memo;
  const description = [desc, memo].filter((s) => s !== "").join(" - ") || merchantRaw;

  const stateText = cell("state");
  const state = stateOf(stateText);
  if (state === null) {
    return `the state "${stateText.slice(0, 40)}" is not one Tyche knows (such as COMPLETED, PENDING or DECLINED)`;
  }
  if (state !== "settled" && state !== "pending") {
    skipped.push({ line, reason: state, text: merchantRaw.slice(0, 200) });
    return null;
  }

  const moneyEmpty = split ? cell("debit") === "" && cell("credit") === "" : cell("amount") === "";
  if (moneyEmpty && BALANCE_LINE.test(desc || merchantRaw)) return "balance";

  const dateText = cell("date");
  if (dateText === "") {
    return "the date is empty";
  }
  const date = parseDate(dateText, dateFormat);
  if (date === null) {
    return `"${dateText.slice(0, 40)}" is not a valid date (expected ${dateLabel})`;
  }

  let signed: number | undefined;
  let stated: ImportRowDirection | undefined;
  let magnitude: number;
  if (!split) {
    const parsed = parseAmount(cell("amount"), decimal);
    if (!parsed.ok) {
      return parsed.reason;
    }
    signed = parsed.cents;
    magnitude = Math.abs(parsed.cents);
    if (ctx.indicator) {
      const w = typeWord(cell("type"));
      stated = INDICATOR_WORDS[w] ?? INDICATOR_EXTRA[w];
    }
  } else {
    const debitText = cell("debit");
    const creditText = cell("credit");
    const debit = debitText === "" ? null : parseAmount(debitText, decimal);
    const credit = creditText === "" ? null : parseAmount(creditText, decimal);
    if (debit && !debit.ok) {
      return `debit: ${debit.reason}`;
    }
    if (credit && !credit.ok) {
      return `credit: ${credit.reason}`;
    }
    if (debit === null && credit === null) {
      return "no amount: debit and credit are both empty";
    }
    // Citi writes credits as negative numbers in its Credit column: the column, not the sign, decides.
    const d = debit?.ok ? Math.abs(debit.cents) : 0;
    const c = credit?.ok ? Math.abs(credit.cents) : 0;
    if (d !== 0 && c !== 0) {
      return "both debit and credit have an amount";
    }
    magnitude = d || c;
    stated = d !== 0 ? "debit" : "credit";
  }

  let fee = 0;
  const feeText = cell("fee");
  if (feeText !== "") {
    const parsed = parseAmount(feeText, decimal);
    if (!parsed.ok) {
      return `fee: ${parsed.reason}`;
    }
    fee = Math.abs(parsed.cents);
  }
  if (magnitude === 0 && fee === 0) {
    return "the amount is zero";
  }

  const typeText = cell("type");
  const draft: DraftRow = {
    line,
    date,
    magnitude,
    fee,
    text: { merchant: merchantRaw, description, ...(typeText ? { type: typeText } : {}) },
    merchantRaw,
    description,
    pending: state === "pending",
  };
  if (signed !== undefined) draft.signed = signed;
  if (stated !== undefined) draft.stated = stated;
  const category = collapse(cell("category"));
  if (category !== "") draft.category = category;
  const bankId = cleanId(cell("reference"));
  if (bankId !== "") draft.bankId = bankId;
  const currency = cell("currency").toUpperCase();
  if (/^[A-Z]{3}$/.test(currency)) draft.currency = currency;
  drafts.push(draft);
  return null;
}

/**
 * The rows once the file has said which are money out: a fee is always money out, so it adds to a
 * debit and comes off a credit; the kind follows from the direction, the account and the text.
 */
export function finishRows(
  drafts: readonly DraftRow[],
  directionOf: (row: DraftRow) => ImportRowDirection,
  account: AccountType,
): { rows: ParsedRow[]; errors: ImportRowError[] } {
  const rows: ParsedRow[] = [];
  const errors: ImportRowError[] = [];
  for (const d of drafts) {
    const net = (directionOf(d) === "debit" ? d.magnitude : -d.magnitude) + d.fee;
    if (net === 0) {
      errors.push({ line: d.line, reason: "the amount is zero once the fee is counted" });
      continue;
    }
    const direction: ImportRowDirection = net > 0 ? "debit" : "credit";
    const { kind, paymentLike } = classifyRow(direction, account, d.text);
    const row: ParsedRow = {
      line: d.line,
      date: d.date,
      amount: Math.abs(net),
      direction,
      kind,
      merchantRaw: d.merchantRaw,
      description: d.description,
      pending: d.pending,
      paymentLike,
      type: direction === "debit" ? "expense" : "income",
    };
    if (d.category !== undefined) row.category = d.category;
    if (d.bankId !== undefined) row.bankId = d.bankId;
    if (d.fee > 0) row.fee = d.fee;
    rows.push(row);
  }
  return { rows, errors };
}
