import {
  type CsvDialect,
  detectFormat,
  ImportFormatError,
  type ImportRowError,
  type OfxRow,
  type ParsedRow,
  parseCsv,
  parseOfx,
} from "@tyche/core";
import type { ImportOptions } from "@tyche/types";
import { invalidField } from "../errors";
import { isTycheExport, readTycheExport, type TycheExportRow } from "./tyche-export";

/**
 * What a bank file holds, read and nothing else: plain data, so it crosses from the parsing
 * worker to the request thread by structured clone.
 */
export type Statement =
  | {
      format: "ofx";
      rows: OfxRow[];
      errors: ImportRowError[];
      /** The first statement's account, for rows that name none. */
      accountId: string | null;
    }
  | { format: "csv"; rows: ParsedRow[]; errors: ImportRowError[]; dialect: CsvDialect }
  /** Tyche's own export (imports/export-csv.ts), recognised by its header: read whole or refused. */
  | { format: "tyche"; rows: TycheExportRow[]; errors: [] };

/** Bank files decode as UTF-8 when they are; older European exports are Windows-1252. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/**
 * Reads a bank file's bytes into its rows. The one function the parsing worker runs (and the only
 * place that changes when the reader does): a file that cannot be imported throws the field error
 * on `file` the import route answers with.
 */
export function parseStatementTask(
  bytes: Uint8Array,
  fileName: string | undefined,
  options: ImportOptions,
): Statement {
  const text = decodeText(bytes);
  try {
    if (isTycheExport(text)) return { format: "tyche", rows: readTycheExport(text), errors: [] };
    if (detectFormat(fileName, text) === "ofx") {
      const { rows, errors, accountId } = parseOfx(text);
      return { format: "ofx", rows, errors, accountId };
    }
    const { rows, errors, dialect } = parseCsv(text, options);
    return { format: "csv", rows, errors, dialect };
  } catch (err) {
    if (err instanceof ImportFormatError) throw invalidField("file", err.message);
    throw err;
  }
}
