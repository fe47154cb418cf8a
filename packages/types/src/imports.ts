import { z } from "zod";

const COLUMN_ROLES = [
  "date",
  "amount",
  "debit",
  "credit",
  "description",
  "merchant",
  "memo",
  "category",
  "type",
] as const;

/** Overrides for what CSV detection would choose; anything left out is detected. */
export const ImportOptions = z.strictObject({
  delimiter: z.enum([",", ";", "\t", "|"]).optional(),
  hasHeader: z.boolean().optional(),
  dateFormat: z.enum(["iso", "us", "eu"]).optional().describe("iso YYYY-MM-DD, us MM/DD/YYYY, eu DD.MM.YYYY"),
  decimalSeparator: z.enum([".", ","]).optional(),
  columns: z
    .partialRecord(
      z.enum(COLUMN_ROLES),
      z.union([z.string().min(1).max(100), z.number().int().min(0).max(500), z.null()]),
    )
    .optional()
    .describe("Column per role, by header name or 0-based index; null drops a detected role"),
  signConvention: z.enum(["negative-is-expense", "positive-is-expense"]).optional(),
});
export type ImportOptions = z.infer<typeof ImportOptions>;

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
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  failure: z.string().nullable(),
  accountId: z.string().nullable().default(null).describe("The account the file was imported into"),
  months: z.array(z.string()).default([]).describe("Months whose transactions the import added or linked"),
  undoneAt: z.string().nullable().default(null).describe("When DELETE /v1/imports/{id} took it back"),
});
export type ImportRecord = z.infer<typeof ImportRecord>;

export const ImportPreviewRow = z.object({
  line: z.number().int(),
  date: z.string(),
  amount: z.number().int(),
  type: z.enum(["expense", "income"]),
  merchant: z.string().nullable(),
  merchantRaw: z.string().nullable(),
  description: z.string(),
  categoryId: z.string().nullable(),
  categorizedBy: z.enum(["user", "rule", "merchant-history", "none"]),
  duplicate: z.boolean(),
  outcome: z.enum(["new", "duplicate", "matched", "ambiguous"]),
  matchedTransactionId: z.string().nullable().describe("The transaction a matched row is linked to"),
});

export const ImportPreview = z.object({
  dryRun: z.literal(true),
  format: z.enum(["csv", "ofx"]),
  dialect: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe("What CSV detection chose, to show and override"),
  counts: ImportCounts,
  rows: z
    .array(ImportPreviewRow)
    .describe("Every readable row (the first 1,000), with its suggested category"),
  errors: z.array(ImportRowError),
  ambiguous: z.array(AmbiguousRow),
});
export type ImportPreview = z.infer<typeof ImportPreview>;
