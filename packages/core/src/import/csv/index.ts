import type {
  AccountType,
  ColumnRole,
  CsvDelimiter,
  ImportOptions,
  SignConvention,
  StatementGuesses,
} from "@tyche/types";
import { describeDateFormat } from "../dates";
import { article } from "../text";
import {
  ImportFormatError,
  type ImportRowError,
  MAX_IMPORT_ROWS,
  type ParsedRow,
  type SkippedRow,
  type StatementAccount,
} from "../types";
import { applyOverride, type ColumnMapping, mapHeaders, sniffColumns } from "./columns";
import { dateFormatGuess, decimalGuess, findHeader, headerGuess, PREAMBLE_SEARCH } from "./dialect";
import { type BankLayout, layoutColumns, recogniseHeaderless, recogniseLayout } from "./layouts";
import { accountFromPreamble } from "./preamble";
import { assertText, detectDelimiter, readRecords } from "./records";
import { cellOf, draftRows, finishRows, isIndicatorColumn } from "./rows";
import { decideSigns } from "./signs";

export type { ColumnMapping, ColumnRef, ColumnRole } from "./columns";
export { ALIASES } from "./columns";
export { BANK_LAYOUTS, type BankLayout, HEADERLESS_LAYOUTS } from "./layouts";
export type { CsvDelimiter, SignConvention };

/** @deprecated The options are ImportOptions; this name is kept for older callers. */
export type CsvOverride = ImportOptions;
/** @deprecated What CSV detection chose is now StatementGuesses; this name is kept for older callers. */
export type CsvDialect = StatementGuesses;

/** The most data rows one import may carry. */
export const MAX_CSV_ROWS = MAX_IMPORT_ROWS;

const SAMPLE_ROWS = 1000;

export interface CsvContext {
  /** How signs and payments are read; checking when not given. */
  accountType?: AccountType;
  /** How the bytes were decoded, for the guesses (readStatement fills it). */
  encoding?: StatementGuesses["encoding"];
}

export interface CsvReading {
  rows: ParsedRow[];
  skipped: SkippedRow[];
  errors: ImportRowError[];
  guesses: StatementGuesses;
  account?: StatementAccount;
  /** @deprecated The same object as `guesses`, for callers of the old shape. */
  dialect: StatementGuesses;
}

const DELIMITER_WORDS: Record<CsvDelimiter, string> = {
  ",": "commas",
  ";": "semicolons",
  "\t": "tabs",
  "|": "bars",
};

function modeOf(counts: number[]): number {
  const freq = new Map<number, number>();
  let mode = 0;
  let best = 0;
  for (const c of counts) {
    const n = (freq.get(c) ?? 0) + 1;
    freq.set(c, n);
    if (n > best || (n === best && c > mode)) {
      mode = c;
      best = n;
    }
  }
  return mode;
}

/** The headers for a message: the first twenty, quoted. */
function listHeaders(headers: readonly string[]): string {
  const shown = headers.slice(0, 20).map((h) => `"${h.slice(0, 60)}"`);
  return headers.length > 20 ? `${shown.join(", ")} and ${headers.length - 20} more` : shown.join(", ");
}

function columnName(headers: string[] | null, index: number): string {
  const h = headers?.[index];
  return h ? `"${h}"` : `column ${index + 1}`;
}

function columnsGuess(
  mapping: ColumnMapping,
  headers: string[] | null,
  columnCount: number,
  how: { layout: BankLayout | null; headerless: string | null; sniffed: ColumnRole[]; forced: boolean },
): NonNullable<StatementGuesses["columns"]> {
  const value: NonNullable<StatementGuesses["columns"]>["value"] = {};
  for (const [role, index] of Object.entries(mapping) as [ColumnRole, number][]) {
    value[role] = { header: headers?.[index] ?? null, index };
  }
  const used = new Set(Object.values(mapping));
  const unused = [...Array(columnCount).keys()]
    .filter((i) => !used.has(i))
    .map((index) => ({ header: headers?.[index] ?? null, index }));
  const list = (roles: ColumnRole[]) =>
    roles.map((r) => `${r} from ${columnName(headers, mapping[r] ?? 0)}`).join(", ");
  const roles = Object.keys(mapping) as ColumnRole[];
  let evidence: string;
  if (how.layout) evidence = `The header is that of ${article(how.layout.name)} export: ${list(roles)}.`;
  else if (how.headerless)
    evidence = `The rows have the shape of ${article(how.headerless)} export, which has no header: ${list(roles)}.`;
  else {
    const byName = roles.filter((r) => !how.sniffed.includes(r));
    const parts = [];
    if (byName.length > 0) parts.push(`by header name, ${list(byName)}`);
    if (how.sniffed.length > 0) parts.push(`by what the cells hold, ${list(how.sniffed)}`);
    evidence = `Columns found ${parts.join("; ")}.`;
  }
  if (how.forced) evidence = `${evidence} The columns option changed some of them.`;
  return {
    value,
    source: how.forced ? "option" : how.layout || how.headerless ? "layout" : "detected",
    evidence,
    overrideWith: ["columns"],
    unused,
  };
}

/**
 * Reads a bank's CSV export. Delimiter, header (past a preamble), columns (by a known bank layout, the
 * header names, or the cells), date format, decimal separator and which rows are money out are
 * detected, each overridable by `options`; the account type tells a card's payments and charges apart.
 * Rows in a declined, reverted, cancelled or failed state go to `skipped`; unreadable rows to `errors`
 * with their line, and the rest still parse. Throws ImportFormatError when the text is not a CSV at all,
 * is broken (an unclosed quote, an oversized cell), has more than MAX_CSV_ROWS rows, or has no row with
 * a date and an amount.
 */
export function parseCsv(input: string, options: ImportOptions = {}, context: CsvContext = {}): CsvReading {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  assertText(text);
  const account = context.accountType ?? "checking";
  const notes: string[] = [];

  const delimiter = options.delimiter
    ? {
        value: options.delimiter,
        source: "option" as const,
        evidence: `Fields split at ${DELIMITER_WORDS[options.delimiter]}, as asked.`,
        overrideWith: ["delimiter"],
      }
    : detectDelimiter(text);
  const read = readRecords(text, delimiter.value, MAX_CSV_ROWS + PREAMBLE_SEARCH + 1);
  const skipLines = options.skipLines ?? 0;
  const records = read.records.filter((r) => r.line > skipLines);
  const headerIndex = findHeader(records, options.hasHeader);
  const headerRecord = headerIndex >= 0 ? records[headerIndex] : undefined;
  const preamble = [
    ...read.records.filter((r) => r.line <= skipLines),
    ...records.slice(0, Math.max(headerIndex, 0)),
  ];
  const data = records.slice(headerIndex + 1);
  if (read.more || data.length > MAX_CSV_ROWS) {
    throw new ImportFormatError(
      `The file has more than ${MAX_CSV_ROWS.toLocaleString("en-US")} rows; split it into smaller files.`,
    );
  }

  const headers = headerRecord ? headerRecord.cells.map((h) => h.trim()) : null;
  const firstLine = headerRecord?.line ?? data[0]?.line ?? 1;
  const header = headerGuess(headerRecord, headers, Math.max(firstLine - 1, skipLines), options);
  const columnCount = headers ? headers.length : modeOf(data.map((r) => r.cells.length));
  const dataCells = data.map((r) => r.cells);

  const layout = headers ? recogniseLayout(headers) : null;
  const headerless = headers ? null : recogniseHeaderless(dataCells);
  let detected: ColumnMapping;
  let sniffed: ColumnRole[] = [];
  if (layout && headers) detected = layoutColumns(layout, headers);
  else if (headerless) detected = { ...headerless.columns };
  else
    ({ mapping: detected, sniffed } = sniffColumns(
      dataCells,
      columnCount,
      headers,
      headers ? mapHeaders(headers) : {},
    ));
  const columns = applyOverride(detected, options.columns, headers, columnCount);
  if (
    columns.date === undefined ||
    (columns.amount === undefined && columns.debit === undefined && columns.credit === undefined)
  ) {
    const missing = columns.date === undefined ? "date" : "amount";
    throw new ImportFormatError(
      `This does not look like a bank statement CSV: no ${missing} column was found${headers ? ` among ${listHeaders(headers)}` : ""}. Map the columns by hand.`,
    );
  }
  const columnGuess = columnsGuess(columns, headers, columnCount, {
    layout,
    headerless: headerless?.name ?? null,
    sniffed,
    forced: options.columns !== undefined,
  });
  if (layout?.note) notes.push(layout.note);

  const sampleOf = (role: ColumnRole) =>
    dataCells
      .slice(0, SAMPLE_ROWS)
      .map((c) => cellOf(c, columns, role))
      .filter((s) => s !== "");
  const decimal = decimalGuess(
    [...sampleOf("amount"), ...sampleOf("debit"), ...sampleOf("credit"), ...sampleOf("fee")],
    options.decimalSeparator,
  );
  const dateSamples = sampleOf("date");
  const dateFormat = dateFormatGuess(dateSamples, options.dateFormat, decimal.value, layout);

  const split = columns.amount === undefined;
  const indicator =
    !split &&
    columns.type !== undefined &&
    isIndicatorColumn(dataCells.map((c) => cellOf(c, columns, "type")));
  const drafted = draftRows(data, {
    columns,
    columnCount,
    headers,
    dateFormat: dateFormat.value,
    dateLabel: describeDateFormat(dateFormat.value, dateSamples[0]),
    decimal: decimal.value,
    indicator,
  });
  if (drafted.balanceLines > 0) {
    notes.push(
      `${drafted.balanceLines === 1 ? "One line states" : `${drafted.balanceLines} lines state`} a beginning or ending balance with no amount: not transactions, not read as rows.`,
    );
  }
  const signs = decideSigns(drafted.drafts, {
    account,
    option: options.signConvention,
    layout,
    split: split
      ? { debit: columnName(headers, columns.debit ?? 0), credit: columnName(headers, columns.credit ?? 0) }
      : null,
    indicator: indicator ? columnName(headers, columns.type ?? 0) : null,
  });
  if (split && options.signConvention) {
    notes.push(
      "signConvention reads one signed amount column; this file has separate debit and credit columns.",
    );
  }
  const finished = finishRows(drafted.drafts, signs.directionOf, account);
  const rows = finished.rows;
  const errors = [...drafted.errors, ...finished.errors].sort((a, b) => a.line - b.line);

  if (rows.length === 0 && drafted.skipped.length === 0) {
    const first = errors[0];
    throw new ImportFormatError(
      `No row has a readable date and amount${first ? ` (line ${first.line}: ${first.reason})` : ""}.`,
      first?.line,
    );
  }

  const statementAccount = accountFromPreamble(preamble, dateFormat.value, decimal.value);
  const currencies = [...new Set(drafted.drafts.map((d) => d.currency).filter((c) => c !== undefined))];
  const amountHeader = headers?.[columns.amount ?? columns.debit ?? -1] ?? "";
  const headerCurrency = /\((?:([A-Z]{3})|(€))\)/.exec(amountHeader);
  if (currencies.length === 1) statementAccount.currency = currencies[0];
  else if (currencies.length > 1) {
    notes.push(
      `Rows are in ${currencies.join(" and ")}: one account holds one currency, so check the rows before importing.`,
    );
  } else if (headerCurrency) statementAccount.currency = headerCurrency[1] ?? "EUR";

  const guesses: StatementGuesses = {
    layout: layout
      ? { name: layout.name, evidence: `The header is that of ${article(layout.name)} export.` }
      : headerless
        ? {
            name: headerless.name,
            evidence: `No header, and the rows have the shape of ${article(headerless.name)} export.`,
          }
        : null,
    encoding: context.encoding ?? {
      value: "utf-8",
      source: "default",
      evidence: "The file was given as text.",
      overrideWith: ["encoding"],
    },
    delimiter,
    header,
    columns: columnGuess,
    dateFormat,
    decimalSeparator: decimal,
    signConvention: signs.guess,
    notes,
  };
  const reading: CsvReading = { rows, skipped: drafted.skipped, errors, guesses, dialect: guesses };
  if (Object.keys(statementAccount).length > 0) reading.account = statementAccount;
  return reading;
}
