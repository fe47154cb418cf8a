import Papa from "papaparse";
import { type DecimalSeparator, detectDecimalSeparator, parseAmount } from "./amounts";
import { type DateFormat, describeDateFormat, detectDateFormat, parseDate } from "./dates";
import { ImportFormatError, type ImportRowError, MAX_IMPORT_ROWS, type ParsedRow } from "./types";

export type CsvDelimiter = "," | ";" | "\t" | "|";
export type SignConvention = "negative-is-expense" | "positive-is-expense";
export type ColumnRole =
  | "date"
  | "amount"
  | "debit"
  | "credit"
  | "description"
  | "merchant"
  | "memo"
  | "category"
  | "type";
/** A header name (matched case- and accent-insensitively) or a 0-based column index. */
export type ColumnRef = string | number;
export type ColumnMapping = Partial<Record<ColumnRole, number>>;

/** What the caller forces instead of detecting; anything not given is detected. */
export interface CsvOverride {
  delimiter?: CsvDelimiter;
  hasHeader?: boolean;
  dateFormat?: DateFormat;
  decimalSeparator?: DecimalSeparator;
  /** Roles to (re)map; null removes a detected role. Mapping amount drops debit/credit and vice versa. */
  columns?: Partial<Record<ColumnRole, ColumnRef | null>>;
  signConvention?: SignConvention;
}

/** What was detected or forced, so the caller can show it and offer overrides. */
export interface CsvDialect {
  delimiter: CsvDelimiter;
  hasHeader: boolean;
  /** 1-based line of the header row, when there is one. */
  headerLine: number | null;
  headers: string[] | null;
  /** Fields per row (the header's, else the most common count). */
  columnCount: number;
  dateFormat: DateFormat;
  /** US and European order both read every date; `dateFormat` was chosen by the delimiter. */
  dateFormatAmbiguous: boolean;
  decimalSeparator: DecimalSeparator;
  /** 0-based column index per role. */
  columns: ColumnMapping;
  /** One signed amount column, or separate debit and credit columns. */
  amountMode: "signed" | "debit-credit";
  /** How signed amounts were read (not used in debit-credit mode). */
  signConvention: SignConvention;
  /** Every amount was positive, no type column: all treated as expenses. */
  allAmountsPositive: boolean;
  /** Expense/income came from the type column (its values, with unsigned amounts). */
  typeFromColumn: boolean;
  /** Plain-language notes about choices made, for the import preview. */
  notes: string[];
}

export interface CsvParseResult {
  dialect: CsvDialect;
  rows: ParsedRow[];
  errors: ImportRowError[];
}

/** The most data rows one import may carry. */
export const MAX_CSV_ROWS = MAX_IMPORT_ROWS;

const DELIMITERS: CsvDelimiter[] = [",", ";", "\t", "|"];
const PREAMBLE_SEARCH = 20;
const SAMPLE_ROWS = 1000;

/** Header names per role, normalised (see normHeader); earlier names win. */
const ALIASES: Record<ColumnRole, string[]> = {
  date: [
    "transaction date",
    "trans date",
    "date",
    "booking date",
    "buchungstag",
    "buchungsdatum",
    "datum",
    "fecha",
    "fecha operacion",
    "fecha de operacion",
    "date operation",
    "date de l operation",
    "data",
    "data operazione",
    "posted date",
    "posting date",
    "post date",
    "posted",
    "value date",
    "valuta",
    "valutadatum",
    "wertstellung",
    "fecha valor",
  ],
  amount: [
    "amount",
    "transaction amount",
    "betrag",
    "betrag eur",
    "betrag euro",
    "umsatz",
    "importe",
    "importe eur",
    "value",
    "montant",
    "bedrag",
    "importo",
    "valor",
    "sum",
    "summe",
  ],
  debit: [
    "debit",
    "debits",
    "debit amount",
    "withdrawal",
    "withdrawals",
    "withdrawal amount",
    "money out",
    "paid out",
    "out",
    "soll",
    "ausgang",
    "ausgaben",
    "cargo",
    "cargos",
    "debe",
  ],
  credit: [
    "credit",
    "credits",
    "credit amount",
    "deposit",
    "deposits",
    "deposit amount",
    "money in",
    "paid in",
    "in",
    "haben",
    "eingang",
    "einnahmen",
    "abono",
    "abonos",
    "haber",
  ],
  description: [
    "description",
    "transaction description",
    "details",
    "transaction details",
    "narrative",
    "verwendungszweck",
    "buchungstext",
    "concepto",
    "libelle",
    "omschrijving",
    "particulars",
    "reference",
    "text",
  ],
  merchant: [
    "payee",
    "payee name",
    "merchant",
    "merchant name",
    "name",
    "beguenstigter zahlungspflichtiger",
    "beguenstigter",
    "zahlungsempfanger",
    "zahlungsempfaenger",
    "empfanger",
    "empfaenger",
    "auftraggeber empfanger",
    "auftraggeber empfaenger",
    "auftraggeber",
    "beneficiario",
    "beneficiary",
    "counterparty",
    "counter party",
  ],
  memo: ["memo", "notes", "note", "comment", "comments", "remarks"],
  category: ["category", "kategorie", "categoria", "categorie", "category name"],
  type: [
    "type",
    "transaction type",
    "trans type",
    "dr cr",
    "cr dr",
    "debit credit",
    "credit debit",
    "d c",
    "soll haben",
    "s h",
  ],
};

/** Second pass: a header containing one of these words, for roles the exact names left open. */
const CONTAINS: [ColumnRole, string[]][] = [
  ["date", ["date", "datum", "fecha"]],
  ["type", ["type", "indicator"]],
  ["debit", ["debit", "withdrawal", "withdrawals"]],
  ["credit", ["credit", "deposit", "deposits"]],
  ["amount", ["amount", "betrag", "importe", "montant"]],
  ["description", ["description", "verwendungszweck", "narrative", "details"]],
  ["merchant", ["payee", "merchant"]],
  ["memo", ["memo"]],
  ["category", ["category", "kategorie"]],
];
const MONEY_ROLES = new Set<ColumnRole>(["amount", "debit", "credit"]);
const NEVER_MONEY = new Set(["balance", "saldo", "kontostand", "running"]);
const EXACT_ORDER: ColumnRole[] = [
  "date",
  "debit",
  "credit",
  "amount",
  "type",
  "category",
  "description",
  "merchant",
  "memo",
];

const TYPE_VALUES = new Map<string, "expense" | "income">(
  Object.entries({
    debit: "expense",
    dr: "expense",
    d: "expense",
    withdrawal: "expense",
    sale: "expense",
    purchase: "expense",
    expense: "expense",
    charge: "expense",
    fee: "expense",
    out: "expense",
    soll: "expense",
    s: "expense",
    lastschrift: "expense",
    belastung: "expense",
    cargo: "expense",
    credit: "income",
    cr: "income",
    c: "income",
    deposit: "income",
    refund: "income",
    return: "income",
    income: "income",
    in: "income",
    haben: "income",
    h: "income",
    gutschrift: "income",
    abono: "income",
  }) as [string, "expense" | "income"][],
);

/** Lowercase, accents and punctuation removed: "Auftraggeber/Empfänger" -> "auftraggeber empfanger". */
function normHeader(h: string): string {
  return h
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/ß/g, "ss")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

function collapse(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

interface CsvRecord {
  cells: string[];
  line: number;
  quoteError: boolean;
}

function assertText(text: string): void {
  if (text.trim() === "") throw new ImportFormatError("The file is empty.");
  const head = text.slice(0, 8192);
  if (head.includes("\u0000")) {
    throw new ImportFormatError(
      "This is not a CSV file: it contains binary data (NUL bytes). Export the statement as CSV or OFX; a UTF-16 CSV must be saved as UTF-8.",
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

function detectDelimiter(text: string): CsvDelimiter {
  const sample = text.slice(0, 65536);
  let best: { d: CsvDelimiter; share: number; fields: number } | undefined;
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
      best = { d, share, fields: mode };
    }
  }
  return best?.d ?? ",";
}

/** Every non-blank record with the 1-based line it starts on; stops past `limit` records. */
function readRecords(
  text: string,
  delimiter: CsvDelimiter,
  limit: number,
): { records: CsvRecord[]; more: boolean } {
  const records: CsvRecord[] = [];
  let more = false;
  let line = 1;
  let scanned = 0;
  let start = 0;
  Papa.parse<string[]>(text, {
    delimiter,
    skipEmptyLines: false,
    step: (result, parser) => {
      // Lines start after every newline before this record's first character.
      for (; scanned < start; scanned++) {
        const ch = text.charCodeAt(scanned);
        if (ch === 10 || (ch === 13 && text.charCodeAt(scanned + 1) !== 10)) line++;
      }
      const cells = result.data;
      if (cells.some((c) => c.trim() !== "")) {
        if (records.length >= limit) {
          more = true;
          parser.abort();
          return;
        }
        records.push({ cells, line, quoteError: result.errors.some((e) => e.type === "Quotes") });
      }
      start = result.meta.cursor;
    },
  });
  return { records, more };
}

function looksLikeDate(s: string): boolean {
  return s.trim() !== "" && detectDateFormat([s]) !== null;
}

function looksLikeAmount(s: string): boolean {
  const t = s.trim();
  if (t === "" || !/\d/.test(t)) return false;
  return parseAmount(t, ".").ok || parseAmount(t, ",").ok;
}

function aliasHits(cells: string[]): number {
  let hits = 0;
  for (const cell of cells) {
    const n = normHeader(cell);
    if (n !== "" && Object.values(ALIASES).some((names) => names.includes(n))) hits++;
  }
  return hits;
}

/** Index of the header record, or -1. */
function findHeader(records: CsvRecord[], forced: boolean | undefined): number {
  if (forced === false) return -1;
  const limit = Math.min(records.length, PREAMBLE_SEARCH);
  for (let i = 0; i < limit; i++) {
    const cells = records[i]?.cells ?? [];
    if (aliasHits(cells) >= 2 && !cells.some(looksLikeDate) && !cells.some(looksLikeAmount)) return i;
  }
  const first = records[0]?.cells;
  if (!first) return -1;
  if (forced === true) return 0;
  const filled = first.filter((c) => c.trim() !== "");
  const named = filled.filter((c) => /\p{L}/u.test(c) && c.trim().length <= 60);
  const dataLike = first.some((c) => looksLikeDate(c) || looksLikeAmount(c));
  return !dataLike && filled.length > 0 && named.length * 2 >= first.length ? 0 : -1;
}

function mapHeaders(headers: string[]): ColumnMapping {
  const norm = headers.map(normHeader);
  const used = new Set<number>();
  const mapping: ColumnMapping = {};
  const take = (role: ColumnRole, index: number) => {
    mapping[role] = index;
    used.add(index);
  };
  for (const role of EXACT_ORDER) {
    for (const alias of ALIASES[role]) {
      const i = norm.findIndex((n, idx) => n === alias && !used.has(idx));
      if (i >= 0) {
        take(role, i);
        break;
      }
    }
  }
  for (const [role, words] of CONTAINS) {
    if (mapping[role] !== undefined) continue;
    const i = norm.findIndex((n, idx) => {
      if (used.has(idx)) return false;
      const parts = n.split(" ");
      if (MONEY_ROLES.has(role) && parts.some((p) => NEVER_MONEY.has(p))) return false;
      return words.some((w) => parts.includes(w));
    });
    if (i >= 0) take(role, i);
  }
  // Both a signed amount and debit/credit: a debit AND a credit column win, a lone one is noise.
  if (mapping.amount !== undefined && (mapping.debit !== undefined || mapping.credit !== undefined)) {
    if (mapping.debit !== undefined && mapping.credit !== undefined) delete mapping.amount;
    else {
      delete mapping.debit;
      delete mapping.credit;
    }
  }
  return mapping;
}

/** Fills date, amount (or debit/credit) and description from the content where the header did not. */
function sniffColumns(
  rows: string[][],
  columnCount: number,
  headers: string[] | null,
  mapping: ColumnMapping,
): ColumnMapping {
  const out: ColumnMapping = { ...mapping };
  const used = new Set(Object.values(out));
  // A balance column reads as money but is never the amount.
  headers?.forEach((h, i) => {
    if (
      normHeader(h)
        .split(" ")
        .some((w) => NEVER_MONEY.has(w))
    )
      used.add(i);
  });
  const sample = rows.slice(0, 200);
  const values = (i: number) => sample.map((r) => (r[i] ?? "").trim());
  const free = () => [...Array(columnCount).keys()].filter((i) => !used.has(i));

  if (out.date === undefined) {
    const i = free().find((c) => {
      const v = values(c).filter((s) => s !== "");
      return v.length * 2 >= sample.length && v.filter(looksLikeDate).length >= v.length * 0.8;
    });
    if (i !== undefined) {
      out.date = i;
      used.add(i);
    }
  }
  if (out.amount === undefined && out.debit === undefined && out.credit === undefined) {
    const money = free().filter((c) => {
      const v = values(c).filter((s) => s !== "");
      return v.length > 0 && v.filter(looksLikeAmount).length >= v.length * 0.8 && !v.every(looksLikeDate);
    });
    const [a, b] = money;
    if (a !== undefined && b !== undefined) {
      const va = values(a);
      const vb = values(b);
      const exclusive = sample.filter((_r, k) => (va[k] === "") !== (vb[k] === "")).length;
      if (exclusive >= sample.length * 0.8) {
        out.debit = a;
        out.credit = b;
        used.add(a).add(b);
      }
    }
    if (out.debit === undefined && a !== undefined) {
      out.amount = a;
      used.add(a);
    }
  }
  if (out.description === undefined && out.merchant === undefined) {
    let bestLen = 0;
    for (const c of free()) {
      const v = values(c).filter((s) => s !== "");
      const texty = v.filter((s) => /\p{L}/u.test(s) && !looksLikeAmount(s) && !looksLikeDate(s));
      if (v.length === 0 || texty.length * 2 < v.length) continue;
      const avg = texty.reduce((sum, s) => sum + s.length, 0) / texty.length;
      if (avg > bestLen) {
        bestLen = avg;
        out.description = c;
      }
    }
  }
  return out;
}

function resolveRef(ref: ColumnRef, headers: string[] | null, columnCount: number): number {
  if (typeof ref === "number") {
    if (!Number.isInteger(ref) || ref < 0 || ref >= columnCount) {
      throw new ImportFormatError(
        `Column ${ref} does not exist: the file has ${columnCount} columns (0-based).`,
      );
    }
    return ref;
  }
  if (!headers)
    throw new ImportFormatError(`Column "${ref}": the file has no header row; use a 0-based index.`);
  const i = headers.findIndex((h) => normHeader(h) === normHeader(ref));
  if (i < 0) throw new ImportFormatError(`Column "${ref}" is not in the header (${headers.join(", ")}).`);
  return i;
}

function applyOverride(
  detected: ColumnMapping,
  columns: CsvOverride["columns"],
  headers: string[] | null,
  columnCount: number,
): ColumnMapping {
  if (!columns) return detected;
  const out: ColumnMapping = { ...detected };
  const given = Object.entries(columns) as [ColumnRole, ColumnRef | null | undefined][];
  if (given.some(([r, v]) => r === "amount" && v !== undefined && v !== null)) {
    delete out.debit;
    delete out.credit;
  }
  if (given.some(([r, v]) => (r === "debit" || r === "credit") && v !== undefined && v !== null))
    delete out.amount;
  for (const [role, ref] of given) {
    if (ref === undefined) continue;
    if (ref === null) {
      delete out[role];
      continue;
    }
    const index = resolveRef(ref, headers, columnCount);
    for (const [other, i] of Object.entries(out) as [ColumnRole, number][]) {
      if (i === index && other !== role && columns[other] === undefined) delete out[other];
    }
    out[role] = index;
  }
  return out;
}

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

/**
 * Reads a bank's CSV export: delimiter, header, columns, date format, decimal separator and sign
 * convention are detected (or forced by `override`). Unreadable rows go to `errors` with their line and
 * the rest still parse; blank lines are skipped. Throws ImportFormatError when the text is not a CSV
 * at all, has more than MAX_CSV_ROWS rows, or has no row with a date and an amount.
 */
export function parseCsv(input: string, override: CsvOverride = {}): CsvParseResult {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  assertText(text);
  const notes: string[] = [];

  const delimiter = override.delimiter ?? detectDelimiter(text);
  const { records, more } = readRecords(text, delimiter, MAX_CSV_ROWS + PREAMBLE_SEARCH + 1);

  const headerIndex = findHeader(records, override.hasHeader);
  const headerRecord = headerIndex >= 0 ? records[headerIndex] : undefined;
  const data = records.slice(headerIndex + 1);
  if (more || data.length > MAX_CSV_ROWS) {
    throw new ImportFormatError(
      `The file has more than ${MAX_CSV_ROWS.toLocaleString("en-US")} rows; split it into smaller files.`,
    );
  }
  if (headerRecord && headerIndex > 0) {
    notes.push(`The header is on line ${headerRecord.line}; ${headerIndex} row(s) above it were skipped.`);
  }

  const headers = headerRecord ? headerRecord.cells.map((h) => h.trim()) : null;
  const columnCount = headers ? headers.length : modeOf(data.map((r) => r.cells.length));
  const dataCells = data.map((r) => r.cells);

  let columns = sniffColumns(dataCells, columnCount, headers, headers ? mapHeaders(headers) : {});
  columns = applyOverride(columns, override.columns, headers, columnCount);
  const amountMode: CsvDialect["amountMode"] = columns.amount !== undefined ? "signed" : "debit-credit";
  if (
    columns.date === undefined ||
    (columns.amount === undefined && columns.debit === undefined && columns.credit === undefined)
  ) {
    const missing = columns.date === undefined ? "date" : "amount";
    throw new ImportFormatError(
      `This does not look like a bank statement CSV: no ${missing} column was found${headers ? ` among ${headers.map((h) => `"${h}"`).join(", ")}` : ""}. Map the columns by hand.`,
    );
  }

  const cellOf = (cells: string[], role: ColumnRole): string => {
    const i = columns[role];
    return i === undefined ? "" : (cells[i] ?? "").trim();
  };
  const sampleOf = (role: ColumnRole) =>
    dataCells
      .slice(0, SAMPLE_ROWS)
      .map((c) => cellOf(c, role))
      .filter((s) => s !== "");

  const decimalSeparator =
    override.decimalSeparator ??
    detectDecimalSeparator([...sampleOf("amount"), ...sampleOf("debit"), ...sampleOf("credit")]);

  const dateSamples = sampleOf("date");
  const detectedDate = detectDateFormat(dateSamples);
  let dateFormat = override.dateFormat ?? detectedDate?.format ?? "iso";
  const dateFormatAmbiguous = override.dateFormat === undefined && (detectedDate?.ambiguous ?? false);
  if (dateFormatAmbiguous) {
    // Day and month both fit. The delimiter decided; decimal commas are a stronger sign of day-first.
    const why = decimalSeparator === "," ? "amounts use a decimal comma" : "of the date delimiter";
    if (decimalSeparator === ",") dateFormat = "eu";
    notes.push(
      `Dates could be month-first or day-first; read as ${describeDateFormat(dateFormat, dateSamples[0])} because ${why}.`,
    );
  }
  const dateLabel = describeDateFormat(dateFormat, dateSamples[0]);

  // Sign convention: from the override, else negatives mean expenses, else (all positive) a type column
  // decides, else everything is an expense.
  let signConvention: SignConvention = override.signConvention ?? "negative-is-expense";
  let allAmountsPositive = false;
  let typeFromColumn = false;
  if (amountMode === "signed" && override.signConvention === undefined) {
    const anyNegative = dataCells.some((c) => {
      const parsed = parseAmount(cellOf(c, "amount"), decimalSeparator);
      return parsed.ok && parsed.cents < 0;
    });
    if (!anyNegative) {
      if (columns.type !== undefined) {
        typeFromColumn = true;
        notes.push("All amounts are positive: expense or income comes from the type column.");
      } else {
        signConvention = "positive-is-expense";
        allAmountsPositive = true;
        notes.push("All amounts are positive and there is no type column: every row is read as an expense.");
      }
    }
  }

  const rows: ParsedRow[] = [];
  const errors: ImportRowError[] = [];
  for (const record of data) {
    const { cells, line } = record;
    const fail = (reason: string) => errors.push({ line, reason });
    if (record.quoteError) {
      fail("a quoted field is not closed");
      continue;
    }
    // A trailing delimiter more or less than the header has is not a broken row.
    const extraEmpty = cells.length > columnCount && cells.slice(columnCount).every((c) => c.trim() === "");
    const missingUnnamed =
      headers !== null && cells.length < columnCount && headers.slice(cells.length).every((h) => h === "");
    if (cells.length !== columnCount && !extraEmpty && !missingUnnamed) {
      fail(`expected ${columnCount} columns, found ${cells.length}`);
      continue;
    }

    const dateText = cellOf(cells, "date");
    if (dateText === "") {
      fail("the date is empty");
      continue;
    }
    const date = parseDate(dateText, dateFormat);
    if (date === null) {
      fail(`"${dateText}" is not a valid date (expected ${dateLabel})`);
      continue;
    }

    let cents: number;
    let type: "expense" | "income";
    if (amountMode === "signed") {
      const parsed = parseAmount(cellOf(cells, "amount"), decimalSeparator);
      if (!parsed.ok) {
        fail(parsed.reason);
        continue;
      }
      cents = Math.abs(parsed.cents);
      const negative = parsed.cents < 0;
      const fromColumn = typeFromColumn ? TYPE_VALUES.get(normHeader(cellOf(cells, "type"))) : undefined;
      if (fromColumn) type = fromColumn;
      else if (signConvention === "negative-is-expense")
        type = negative || typeFromColumn ? "expense" : "income";
      else type = negative ? "income" : "expense";
    } else {
      const debitText = cellOf(cells, "debit");
      const creditText = cellOf(cells, "credit");
      const debit = debitText === "" ? null : parseAmount(debitText, decimalSeparator);
      const credit = creditText === "" ? null : parseAmount(creditText, decimalSeparator);
      if (debit && !debit.ok) {
        fail(`debit: ${debit.reason}`);
        continue;
      }
      if (credit && !credit.ok) {
        fail(`credit: ${credit.reason}`);
        continue;
      }
      const d = debit?.ok ? Math.abs(debit.cents) : 0;
      const c = credit?.ok ? Math.abs(credit.cents) : 0;
      if (d !== 0 && c !== 0) {
        fail("both debit and credit have an amount");
        continue;
      }
      if (debit === null && credit === null) {
        fail("no amount: debit and credit are both empty");
        continue;
      }
      cents = d || c;
      type = d !== 0 ? "expense" : "income";
    }
    if (cents === 0) {
      fail("the amount is zero");
      continue;
    }

    const merchant = collapse(cellOf(cells, "merchant"));
    const desc = collapse(cellOf(cells, "description"));
    const memo = collapse(cellOf(cells, "memo"));
    const merchantRaw = merchant || desc || memo;
    const row: ParsedRow = {
      line,
      date,
      amount: cents,
      type,
      merchantRaw,
      description: [desc, memo].filter((s) => s !== "").join(" - ") || merchantRaw,
    };
    const category = collapse(cellOf(cells, "category"));
    if (category !== "") row.category = category;
    rows.push(row);
  }

  if (rows.length === 0) {
    const first = errors[0];
    throw new ImportFormatError(
      `No row has a readable date and amount${first ? ` (line ${first.line}: ${first.reason})` : ""}.`,
    );
  }

  return {
    dialect: {
      delimiter,
      hasHeader: headers !== null,
      headerLine: headerRecord?.line ?? null,
      headers,
      columnCount,
      dateFormat,
      dateFormatAmbiguous,
      decimalSeparator,
      columns,
      amountMode,
      signConvention,
      allAmountsPositive,
      typeFromColumn,
      notes,
    },
    rows,
    errors,
  };
}
