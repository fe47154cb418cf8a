import { z } from "zod";
import { currencyProblem } from "./currency";

/** Largest amount Tyche accepts in one field: ten billion in major units, far inside 2^53. */
export const MAX_CENTS = 1_000_000_000_000;

export const Cents = z
  .number({ error: "must be a whole number of cents" })
  .int({ error: "must be a whole number of cents" })
  .min(0, { error: "must not be negative" })
  .max(MAX_CENTS, { error: `must be at most ${MAX_CENTS} cents` })
  .describe("Amount in minor units (cents), a non-negative integer");

export const Month = z
  .string()
  .regex(/^(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])$/, { error: "must be a month as YYYY-MM" })
  .describe("Calendar month, YYYY-MM");
export type Month = z.infer<typeof Month>;

export const CurrencyCode = z
  .string()
  .superRefine((code, ctx) => {
    const problem = currencyProblem(code);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .describe("ISO 4217 currency code whose minor unit has 2 decimals (others are not supported yet)");

/** Ids are ULIDs: sortable by creation time, safe in keys. */
export const Id = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { error: "must be an id" });

export const Version = z.number().int().min(1).describe("Optimistic concurrency version; also sent as ETag");

export const Instant = z.string().describe("ISO 8601 UTC instant");

export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a date as YYYY-MM-DD" })
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    {
      error: "must be a real calendar date",
    },
  )
  .refine((d) => d >= "1970-01-01" && d <= "2999-12-31", { error: "must be between 1970 and 2999" })
  .describe("Calendar date, YYYY-MM-DD");
