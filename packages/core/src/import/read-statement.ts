import type { AccountType, ImportOptions, StatementGuesses } from "@tyche/types";
import { parseCsv } from "./csv";
import { decodeStatement } from "./decode";
import { detectFormat } from "./detect";
import { parseOfx } from "./ofx";
import {
  ImportFormatError,
  MAX_STATEMENT_BYTES,
  type StatementAccount,
  type StatementReading,
} from "./types";

export interface StatementRequest {
  fileName?: string;
  /** The type of the account the file goes into: it decides how a card's signs and payments read. */
  accountType: AccountType;
  options: ImportOptions;
}

const CSV_ONLY: (keyof ImportOptions)[] = [
  "skipLines",
  "delimiter",
  "hasHeader",
  "dateFormat",
  "decimalSeparator",
  "columns",
];

/** Files people upload by mistake, told by their first bytes, so the answer can say what to do. */
function refuseOtherFormats(bytes: Uint8Array): void {
  const starts = (...b: number[]) => b.every((v, i) => bytes[i] === v);
  if (starts(0x50, 0x4b, 0x03, 0x04)) {
    throw new ImportFormatError(
      "This is a zip archive or an Excel workbook, not a CSV or OFX file. Export the statement as CSV or OFX (or save the sheet as CSV).",
    );
  }
  if (starts(0x25, 0x50, 0x44, 0x46)) {
    throw new ImportFormatError("This is a PDF. Export the statement as CSV or OFX instead.");
  }
  if (starts(0xd0, 0xcf, 0x11, 0xe0)) {
    throw new ImportFormatError(
      "This is an old Excel workbook (.xls). Save it as CSV, or export CSV or OFX from the bank.",
    );
  }
}

/**
 * Reads one bank file: decodes its bytes (byte-order mark, strict UTF-8, else Windows-1252), tells CSV
 * from OFX/QFX, and reads every transaction with its direction, kind, pending state and fee, along with
 * what it guessed and why. Pure and synchronous, its input and output plain data: it runs as it is in a
 * worker thread. Throws ImportFormatError (never anything else for bad input) for a file that cannot be
 * imported as a whole: not CSV or OFX, broken or cut off (the message names the line), too big.
 */
export function readStatement(bytes: Uint8Array, request: StatementRequest): StatementReading {
  if (bytes.byteLength > MAX_STATEMENT_BYTES) {
    throw new ImportFormatError(
      `The file is ${(bytes.byteLength / 1024 / 1024).toFixed(1)} MB; bank files are limited to ${MAX_STATEMENT_BYTES / 1024 / 1024} MB.`,
    );
  }
  if (bytes.byteLength === 0) throw new ImportFormatError("The file is empty.");
  refuseOtherFormats(bytes);
  const { options, accountType } = request;
  const decoded = decodeStatement(bytes, options.encoding);
  const format = detectFormat(request.fileName, decoded.text);

  if (format === "csv") {
    const { rows, skipped, errors, guesses, account } = parseCsv(decoded.text, options, {
      accountType,
      encoding: decoded.encoding,
    });
    return { format, rows, skipped, errors, guesses, ...(account ? { account } : {}) };
  }

  const ofx = parseOfx(decoded.text, {
    accountType,
    ...(options.signConvention ? { signConvention: options.signConvention } : {}),
  });
  const notes: string[] = [];
  const ignored = CSV_ONLY.filter((k) => options[k] !== undefined);
  if (ignored.length > 0) notes.push(`${ignored.join(", ")} only apply to CSV files; this is OFX.`);
  if (ofx.rows.some((r) => r.accountId !== ofx.accountId)) {
    notes.push("The file holds statements of more than one account; every row goes into this one.");
  }
  const guesses: StatementGuesses = {
    layout: ofx.layout,
    encoding: decoded.encoding,
    delimiter: null,
    header: null,
    columns: null,
    dateFormat: null,
    decimalSeparator: null,
    signConvention: ofx.signConvention,
    notes,
  };
  const account: StatementAccount = {};
  if (ofx.accountId) account.bankAccountId = ofx.accountId;
  if (ofx.currency) account.currency = ofx.currency;
  if (ofx.ledgerBalance) account.ledgerBalance = ofx.ledgerBalance;
  // OfxRow's accountId and fitId are for the older callers of parseOfx; the reading keeps bankId.
  const rows = ofx.rows.map(({ accountId: _a, fitId: _f, ...row }) => row);
  return { format, rows, skipped: [], errors: ofx.errors, guesses, account };
}
