import { TYCHE_EXPORT_HEADER } from "@tyche/types";

/*
 * Tyche's own CSV export (docs/ARCHITECTURE.md, "CSV export, and importing it back"), cut into
 * files the target's import takes in one request. Pure: text in, texts out.
 *
 * Why cut it here rather than ask the source for one month at a time: nothing in the API says which
 * months an account has transactions in, and the source (normally the local server) streams a
 * whole account's export in one answer. The target is the one with a limit: Lambda refuses request
 * bodies over 6 MB (base64 in the event makes that about 4 MB of file), and a request has 29 s.
 * Rows may be cut anywhere: the import gives each row an id from the target account and the row's
 * Tyche Id alone, and a transfer's legs ids from the pair, so which file a row travels in changes
 * nothing.
 */

const HEADER_LINE = TYCHE_EXPORT_HEADER.join(",");
const DATE = TYCHE_EXPORT_HEADER.indexOf("Date");
const TRANSFER_ACCOUNT_ID = TYCHE_EXPORT_HEADER.indexOf("Transfer Account Id");

export interface ExportRecord {
  /** The record's CSV text, without its line break. */
  text: string;
  date: string;
  /** The other account of a transfer row, as the source knows it. */
  transferAccountId: string | null;
}

export interface ExportFile {
  /** The header, the rows, CRLF after each, as the export writes them. */
  text: string;
  rows: number;
  bytes: number;
  months: string[];
}

export interface FileLimits {
  maxBytes: number;
  maxRows: number;
}

/**
 * About 1 MiB and 2,000 rows: well under Lambda's body limit after base64, and few enough rows for
 * the import to finish inside API Gateway's 29 s.
 */
export const DEFAULT_FILE_LIMITS: FileLimits = { maxBytes: 1024 * 1024, maxRows: 2000 };

const utf8 = new TextEncoder();
const byteLength = (s: string) => utf8.encode(s).length;

/** The cells of one CSV record (RFC 4180: quoted cells, doubled quotes). */
export function cellsOf(record: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < record.length; i++) {
    const ch = record[i];
    if (quoted) {
      if (ch === '"' && record[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      cells.push(cell);
      cell = "";
    } else cell += ch;
  }
  cells.push(cell);
  return cells;
}

/**
 * The records of an export, header checked. A line break inside quotes (a note of several lines)
 * belongs to its cell, so records are cut only at line breaks outside quotes.
 */
export function readExport(csv: string): ExportRecord[] {
  const lines: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const ch = csv[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === "\n" && !quoted) {
      lines.push(csv.slice(start, csv[i - 1] === "\r" ? i - 1 : i));
      start = i + 1;
    }
  }
  if (quoted) throw new Error("The export ends inside a quoted cell: it was cut off");
  if (start < csv.length) lines.push(csv.slice(start));
  const [header, ...rows] = lines.filter((l) => l !== "");
  if (header?.replace(/^\uFEFF/, "") !== HEADER_LINE) {
    throw new Error("The source's export does not begin with Tyche's export header (version 1)");
  }
  return rows.map((text) => {
    const cells = cellsOf(text);
    const date = cells[DATE] ?? "";
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date))
      throw new Error(`An exported row has no date: ${text.slice(0, 80)}`);
    return { text, date, transferAccountId: cells[TRANSFER_ACCOUNT_ID] || null };
  });
}

/**
 * The records cut into files within the limits: whole months together while they fit, a month too
 * large for one file cut by rows (in date order, as exported). Months stay whole where they can so
 * that an import interrupted midway leaves whole months behind it.
 */
export function cutIntoFiles(records: readonly ExportRecord[], limits: FileLimits): ExportFile[] {
  const headerBytes = byteLength(HEADER_LINE) + 2;
  const files: ExportFile[] = [];
  let rows: ExportRecord[] = [];
  let bytes = headerBytes;
  const flush = () => {
    if (!rows.length) return;
    files.push({
      text: `${[HEADER_LINE, ...rows.map((r) => r.text)].join("\r\n")}\r\n`,
      rows: rows.length,
      bytes,
      months: [...new Set(rows.map((r) => r.date.slice(0, 7)))],
    });
    rows = [];
    bytes = headerBytes;
  };
  const byMonth = new Map<string, ExportRecord[]>();
  for (const r of records) {
    const month = r.date.slice(0, 7);
    const list = byMonth.get(month) ?? [];
    list.push(r);
    byMonth.set(month, list);
  }
  for (const month of [...byMonth.keys()].sort()) {
    const monthRows = byMonth.get(month) ?? [];
    const monthBytes = monthRows.reduce((sum, r) => sum + byteLength(r.text) + 2, 0);
    if (rows.length + monthRows.length <= limits.maxRows && bytes + monthBytes <= limits.maxBytes) {
      rows.push(...monthRows);
      bytes += monthBytes;
      continue;
    }
    flush();
    for (const r of monthRows) {
      const size = byteLength(r.text) + 2;
      if (headerBytes + size > limits.maxBytes) {
        throw new Error(
          `An exported row of ${r.date} is larger than a whole file may be (${limits.maxBytes} bytes)`,
        );
      }
      if (rows.length + 1 > limits.maxRows || bytes + size > limits.maxBytes) flush();
      rows.push(r);
      bytes += size;
    }
    // The next month starts a file of its own only if it must: a cut month's tail may share.
  }
  flush();
  return files;
}
