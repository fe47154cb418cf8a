import { z } from "zod";
import { FromUpload } from "./uploads";

/*
 * What a bank file is read with (ImportOptions), what the reader guessed about it (StatementGuesses) and
 * what a preview shows per row. The reader lives in @tyche/core (readStatement); these schemas are the
 * contract the API validates and documents.
 */

export const ColumnRole = z
  .enum([
    "date",
    "amount",
    "debit",
    "credit",
    "description",
    "merchant",
    "memo",
    "category",
    "type",
    "fee",
    "state",
    "reference",
    "currency",
  ])
  .describe(
    "What a column holds. date: the transaction date; amount: one signed amount; debit/credit: money out and money in in two columns; " +
      "description: the bank's text; merchant: the column that names the counterparty (payee, partner name, Barclays' Memo); " +
      "memo: extra text; category: the bank's category; type: a Debit/Credit indicator or the bank's transaction type; " +
      "fee: a fee added to the amount; state: a status such as COMPLETED, PENDING or DECLINED; " +
      "reference: the bank's unique id for the row; currency: the row's currency code",
  );
export type ColumnRole = z.infer<typeof ColumnRole>;

export const CsvDelimiter = z.enum([",", ";", "\t", "|"]).describe("Field separator of a CSV file");
export type CsvDelimiter = z.infer<typeof CsvDelimiter>;

export const DateFormat = z
  .enum(["iso", "us", "eu"])
  .describe("iso YYYY-MM-DD, us MM/DD/YYYY (month first), eu DD.MM.YYYY or DD/MM/YYYY (day first)");
export type DateFormat = z.infer<typeof DateFormat>;

export const DecimalSeparator = z
  .enum([".", ","])
  .describe("The decimal separator of amounts: 1,234.56 or 1.234,56");
export type DecimalSeparator = z.infer<typeof DecimalSeparator>;

export const SignConvention = z
  .enum(["negative-is-expense", "positive-is-expense"])
  .describe(
    "How one signed amount column is read. negative-is-expense: a negative amount is money out, or a charge on a card " +
      "(Chase, Citi, most bank accounts); positive-is-expense: a positive amount is money out or a charge (American Express, Discover)",
  );
export type SignConvention = z.infer<typeof SignConvention>;

export const TextEncoding = z
  .enum(["utf-8", "utf-16le", "utf-16be", "windows-1252", "iso-8859-1"])
  .describe("Character encoding of the file's bytes");
export type TextEncoding = z.infer<typeof TextEncoding>;

const ColumnRef = z.union([z.string().min(1).max(100), z.number().int().min(0).max(500), z.null()]);

/** Overrides for what the reader would guess; anything left out is detected. */
export const ImportOptions = z
  .strictObject({
    encoding: TextEncoding.optional().describe(
      "Decode the file with this encoding instead of the detected one (a byte-order mark, else strict UTF-8, else Windows-1252)",
    ),
    skipLines: z
      .number()
      .int()
      .min(0)
      .max(1000)
      .optional()
      .describe(
        "Ignore this many lines at the top of a CSV (a bank's account summary above the header); detected when left out",
      ),
    delimiter: CsvDelimiter.optional().describe("CSV field separator; detected when left out"),
    hasHeader: z
      .boolean()
      .optional()
      .describe("Whether the CSV's first row (after skipLines) names the columns; detected when left out"),
    dateFormat: DateFormat.optional().describe(
      "Read dates as iso YYYY-MM-DD, us MM/DD/YYYY or eu DD.MM.YYYY (or DD/MM/YYYY); detected when left out",
    ),
    decimalSeparator: DecimalSeparator.optional().describe(
      'The decimal separator of amounts, "." (1,234.56) or "," (1.234,56); detected when left out',
    ),
    columns: z
      .partialRecord(ColumnRole, ColumnRef)
      .optional()
      .describe(
        "Column per role, by header name or 0-based index; null drops a detected role. Mapping amount drops debit/credit and vice versa",
      ),
    transferAccountId: z
      .string()
      .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { error: "must be an id" })
      .optional()
      .describe(
        "The other account of rows that read as payments or transfers (a card payment's checking account). Left out: " +
          "for a card, your first open checking account; for another account, your only card (or only other account)",
      ),
    signConvention: SignConvention.optional().describe(
      "How a signed amount column is read; wins over every detected sign. Left out, it is detected from the account type, " +
        "the rows that read like card payments, the share of positive amounts and a Debit/Credit column",
    ),
  })
  .describe("Overrides for what the reader guesses about a bank file; anything left out is detected");
export type ImportOptions = z.infer<typeof ImportOptions>;

export const GuessSource = z
  .enum(["option", "layout", "detected", "default", "format"])
  .describe(
    "Where a guess came from. option: an ImportOptions field; layout: a recognised bank layout; detected: the file's content; " +
      "default: nothing in the file told; format: fixed by the file format (OFX)",
  );
export type GuessSource = z.infer<typeof GuessSource>;

function guess<T extends z.ZodType>(value: T) {
  return z.object({
    value,
    source: GuessSource,
    evidence: z.string().describe("Why this was chosen, in plain language"),
    overrideWith: z.array(z.string()).describe("The ImportOptions fields that change this guess"),
  });
}

export const ColumnAssignment = z.object({
  header: z.string().nullable().describe("The column's header, null when the file has no header row"),
  index: z.number().int().describe("0-based column index"),
});

export const SignDecidedBy = z
  .enum(["option", "type-column", "debit-credit-columns", "payment-rows", "share-of-signs", "layout", "ofx"])
  .describe(
    "What decided which rows are money out: the signConvention option, a Debit/Credit indicator column, separate debit and credit " +
      "columns, the sign the card-payment rows carry, the share of positive amounts, the recognised bank layout, or the OFX standard",
  );

/** Everything the reader guessed about a file, each with its evidence and the options that change it. */
export const StatementGuesses = z
  .object({
    layout: z
      .object({
        name: z
          .string()
          .describe(
            'e.g. "American Express", "Chase card", "Revolut", "N26", "Barclays", "OFX 1.0.2 (SGML)"',
          ),
        evidence: z.string(),
      })
      .nullable()
      .describe("The bank layout recognised, null when none was"),
    encoding: guess(TextEncoding),
    delimiter: guess(CsvDelimiter).nullable().describe("null for OFX"),
    header: guess(
      z.object({
        hasHeader: z.boolean(),
        line: z.number().int().nullable().describe("1-based line of the header row"),
        skippedLines: z
          .number()
          .int()
          .describe("Lines above the header (or above the first row) that were ignored"),
        headers: z.array(z.string()).nullable(),
      }),
    )
      .nullable()
      .describe("null for OFX"),
    columns: guess(z.partialRecord(ColumnRole, ColumnAssignment))
      .extend({
        unused: z.array(ColumnAssignment).describe("Columns no role reads, which could be mapped"),
      })
      .nullable()
      .describe("Role per column; null for OFX"),
    dateFormat: guess(DateFormat)
      .extend({ ambiguous: z.boolean().describe("Both month-first and day-first read every date") })
      .nullable()
      .describe("null for OFX"),
    decimalSeparator: guess(DecimalSeparator).nullable().describe("null for OFX"),
    signConvention: guess(SignConvention).extend({ decidedBy: SignDecidedBy }),
    notes: z.array(z.string()).describe("Other things the reader did, such as lines it skipped"),
  })
  .describe(
    "What the reader guessed about the file, to show in a preview and to override with ImportOptions",
  );
export type StatementGuesses = z.infer<typeof StatementGuesses>;

export const ImportRowKind = z
  .enum(["expense", "income", "refund", "transfer"])
  .describe(
    "expense: spending; income; refund: a merchant's money back, lowers spending; transfer: between the user's own accounts (a card payment is one)",
  );
export type ImportRowKind = z.infer<typeof ImportRowKind>;

export const ImportRowDirection = z
  .enum(["debit", "credit"])
  .describe(
    "debit: money out of a cash account, or a charge on a card; credit: money in, or a payment or refund on a card",
  );
export type ImportRowDirection = z.infer<typeof ImportRowDirection>;

export const ImportSkipReason = z.enum(["declined", "reverted", "cancelled", "failed"]);
export type ImportSkipReason = z.infer<typeof ImportSkipReason>;

export const ImportSkippedRow = z
  .object({
    line: z.number().int(),
    reason: ImportSkipReason.describe("What the row's state column said"),
    text: z.string().describe("The row's merchant or description, to recognise it"),
  })
  .describe("A row the bank marks as not having happened; never imported");
export type ImportSkippedRow = z.infer<typeof ImportSkippedRow>;

/** The fields a preview row takes from the reader beyond date, amount and text. */
export const ImportPreviewRowReading = z.object({
  direction: ImportRowDirection,
  pending: z.boolean().describe("The bank has not settled the row yet"),
  fee: z.number().int().nullable().describe("Fee in cents, already included in amount"),
  bankId: z.string().nullable().describe("The bank's id for the row (OFX FITID, a CSV reference column)"),
  paymentLike: z.boolean().describe("Reads as a card payment or a transfer between the user's own accounts"),
});

export const ImportRowError = z.object({ line: z.number().int(), reason: z.string() });

export const ImportCounts = z.object({
  rows: z.number().int().describe("Rows read from the file"),
  imported: z.number().int().describe("Added as new transactions"),
  matched: z
    .number()
    .int()
    .default(0)
    .describe(
      "Linked to a transaction already in the account (entered by hand, pending, or from another file)",
    ),
  duplicates: z.number().int().describe("Already recorded from this same row, skipped"),
  ambiguous: z
    .number()
    .int()
    .default(0)
    .describe("Could be more than one transaction already there: not added; see ambiguous"),
  skipped: z
    .number()
    .int()
    .default(0)
    .describe("Rows the bank marks declined, reverted, cancelled or failed"),
  failed: z.number().int().describe("Rows that could not be read; see errors"),
});

export const AmbiguousRow = z.object({
  line: z.number().int(),
  candidates: z.array(z.string()).describe("Ids of the transactions it could be"),
});

export const ImportStatus = z.enum(["running", "completed", "failed", "undone"]);

export const ImportRecord = z.object({
  importId: z.string(),
  status: ImportStatus,
  fileName: z.string().nullable(),
  format: z.enum(["csv", "ofx"]),
  total: z.number().int().describe("Rows to write after duplicates were set aside"),
  processed: z.number().int().describe("Rows written so far: progress is processed / total"),
  counts: ImportCounts,
  errors: z.array(ImportRowError).describe("Unreadable rows by line (the first 500)"),
  ambiguous: z
    .array(AmbiguousRow)
    .default([])
    .describe("Rows not added because they fit several transactions"),
  skipped: z
    .array(ImportSkippedRow)
    .default([])
    .describe("Rows the bank marks as not having happened (the first 500)"),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  failure: z.string().nullable(),
  accountId: z.string().nullable().default(null).describe("The account the file was imported into"),
  months: z.array(z.string()).default([]).describe("Months whose transactions the import added or linked"),
  undoneAt: z.string().nullable().default(null).describe("When DELETE /v1/imports/{id} took it back"),
});
export type ImportRecord = z.infer<typeof ImportRecord>;

/** POST /v1/imports as JSON: a bank file sent ahead with POST /v1/uploads (any size up to 10 MB). */
export const ImportFromUpload = FromUpload.extend({
  fileName: z.string().max(255).optional().describe("The file's name, kept on the import record"),
  options: ImportOptions.optional().describe(
    "Overrides of what the reader guessed, as in the form's `options`",
  ),
});
export type ImportFromUpload = z.infer<typeof ImportFromUpload>;

export const ImportPreviewRow = z.object({
  line: z.number().int(),
  date: z.string(),
  amount: z.number().int().describe("Positive cents, fees included"),
  type: ImportRowKind,
  merchant: z.string().nullable(),
  merchantRaw: z.string().nullable(),
  description: z.string(),
  categoryId: z.string().nullable(),
  categorizedBy: z.enum(["user", "rule", "merchant-history", "none"]),
  duplicate: z.boolean(),
  outcome: z.enum(["new", "duplicate", "matched", "ambiguous"]),
  matchedTransactionId: z.string().nullable().describe("The transaction a matched row is linked to"),
  ...ImportPreviewRowReading.shape,
});

export const ImportPreview = z.object({
  dryRun: z.literal(true),
  format: z.enum(["csv", "ofx"]),
  dialect: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe("Deprecated: the same as guesses, kept for older clients"),
  guesses: StatementGuesses,
  counts: ImportCounts,
  rows: z
    .array(ImportPreviewRow)
    .describe("Every readable row (the first 1,000), with its suggested category"),
  skipped: z.array(ImportSkippedRow).describe("Rows the bank marks declined, reverted, cancelled or failed"),
  errors: z.array(ImportRowError),
  ambiguous: z.array(AmbiguousRow),
});
export type ImportPreview = z.infer<typeof ImportPreview>;
