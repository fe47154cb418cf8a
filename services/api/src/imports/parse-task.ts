import {
  ImportFormatError,
  type NormalizedMerchant,
  normalizeMerchant,
  readStatement,
  type StatementReading,
} from "@tyche/core";
import type { AccountType, ImportOptions } from "@tyche/types";
import { invalidField } from "../errors";
import { csvFingerprints, importTransactionId, ofxFingerprint } from "./fingerprint";
import { readTycheExportFile, type TycheExportRow } from "./tyche-export";

/**
 * What a bank file holds, read and nothing else: plain data, so it crosses from the parsing
 * worker to the request thread by structured clone.
 */
/** A bank file's reading, with the per-row work done in the worker too. */
export type BankStatement = StatementReading & {
  /** Per row: the id its content gives it in the account (see fingerprint.ts). */
  ids: string[];
  /** Per row: the bank's text as shown, and its key ("" when the row names no merchant). */
  merchants: NormalizedMerchant[];
};

export type Statement = BankStatement | TycheStatement;

/** Tyche's own export (imports/export-csv.ts), recognised by its header: read whole or refused. */
export interface TycheStatement {
  format: "tyche";
  rows: TycheExportRow[];
  encoding: "utf-8" | "windows-1252";
}

/** What the reading of a file needs besides its bytes. */
export interface ReadRequest {
  options: ImportOptions;
  /** The kind of account the file goes into: how a card's signs and payments read. */
  accountType: AccountType;
  /** What ids are derived within: "" for a user's first account, else `<accountId>#`. */
  idScope?: string;
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
    const { idScope = "", ...reading } = request;
    const statement = readStatement(bytes, { ...(fileName ? { fileName } : {}), ...reading });
    // Per-row work that needs nothing but the rows is done here too, off the request thread.
    const fingerprints =
      statement.format === "ofx"
        ? statement.rows.map((r) => ofxFingerprint(statement.account?.bankAccountId ?? null, r.bankId ?? ""))
        : csvFingerprints(statement.rows);
    return {
      ...statement,
      ids: statement.rows.map((r, i) =>
        importTransactionId(r.date, `${idScope}${fingerprints[i] as string}`),
      ),
      merchants: statement.rows.map((r) =>
        r.merchantRaw ? normalizeMerchant(r.merchantRaw) : { name: "", key: "" },
      ),
    };
  } catch (err) {
    if (err instanceof ImportFormatError) throw invalidField("file", err.message);
    throw err;
  }
}
