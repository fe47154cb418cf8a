import { ImportFormatError, readStatement, type StatementReading } from "@tyche/core";
import type { AccountType, ImportOptions } from "@tyche/types";
import { invalidField } from "../errors";
import { readTycheExportFile, type TycheExportRow } from "./tyche-export";

/**
 * What a bank file holds, read and nothing else: plain data, so it crosses from the parsing
 * worker to the request thread by structured clone.
 */
export type Statement = StatementReading | TycheStatement;

/** Tyche's own export (imports/export-csv.ts), recognised by its header: read whole or refused. */
export interface TycheStatement {
  format: "tyche";
  rows: TycheExportRow[];
  encoding: "utf-8" | "windows-1252";
}

/** What the reading of a file needs besides its bytes: the overrides, and the account's kind. */
export interface ReadRequest {
  options: ImportOptions;
  accountType: AccountType;
}

/**
 * Reads a bank file's bytes into its rows. The one function the parsing worker runs (and the only
 * place that changes when the reader does): a file that cannot be imported throws the field error
 * on `file` the import route answers with.
 */
export function parseStatementTask(
  bytes: Uint8Array,
  fileName: string | undefined,
  request: ReadRequest,
): Statement {
  try {
    // Tyche's own export is recognised by its header, before the bank readers guess anything.
    const tyche = readTycheExportFile(bytes);
    if (tyche) return { format: "tyche", ...tyche };
    return readStatement(bytes, { ...(fileName ? { fileName } : {}), ...request });
  } catch (err) {
    if (err instanceof ImportFormatError) throw invalidField("file", err.message);
    throw err;
  }
}
