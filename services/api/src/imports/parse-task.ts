import { ImportFormatError, readStatement, type StatementReading } from "@tyche/core";
import type { AccountType, ImportOptions } from "@tyche/types";
import { invalidField } from "../errors";

/**
 * What a bank file holds, read and nothing else: plain data, so it crosses from the parsing
 * worker to the request thread by structured clone.
 */
export type Statement = StatementReading;

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
    return readStatement(bytes, { ...(fileName ? { fileName } : {}), ...request });
  } catch (err) {
    if (err instanceof ImportFormatError) throw invalidField("file", err.message);
    throw err;
  }
}
