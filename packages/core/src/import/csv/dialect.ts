import type { DateFormat, DecimalSeparator, StatementGuesses } from "@tyche/types";
import { decimalVote, detectDecimalSeparator } from "../amounts";
import { describeDateFormat, detectDateFormat, parseDate } from "../dates";
import { aliasHits, looksLikeAmount, looksLikeDate } from "./columns";
import { isLayoutHeader } from "./layouts";
import type { CsvRecord } from "./records";

/** A header is looked for in this many records from the top: a preamble is never longer. */
export const PREAMBLE_SEARCH = 20;

/**
 * Index of the header record, or -1. A known layout's header, or a record of two or more known header
 * names with no date or amount in it, wins anywhere in the first PREAMBLE_SEARCH records (what is above
 * it is the bank's account summary); else the first record when it reads like names.
 */
export function findHeader(records: readonly CsvRecord[], forced: boolean | undefined): number {
  if (forced === false) return -1;
  const limit = Math.min(records.length, PREAMBLE_SEARCH);
  for (let i = 0; i < limit; i++) {
    const cells = records[i]?.cells ?? [];
    if (isLayoutHeader(cells)) return i;
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

export function headerGuess(
  headerRecord: CsvRecord | undefined,
  headers: string[] | null,
  skippedLines: number,
  options: { hasHeader?: boolean; skipLines?: number },
): NonNullable<StatementGuesses["header"]> {
  const overrideWith = ["hasHeader", "skipLines"];
  const value = { hasHeader: headers !== null, line: headerRecord?.line ?? null, skippedLines, headers };
  const skipped =
    skippedLines > 0
      ? ` The ${skippedLines === 1 ? "line" : `${skippedLines} lines`} above it (the bank's account summary) ${skippedLines === 1 ? "is" : "are"} not read as rows.`
      : "";
  if (options.hasHeader !== undefined || options.skipLines !== undefined) {
    const what = headerRecord ? `the header is line ${headerRecord.line}` : "there is no header";
    return { value, source: "option", evidence: `As asked, ${what}.${skipped}`, overrideWith };
  }
  if (!headerRecord || !headers) {
    return {
      value,
      source: "detected",
      evidence: "No line names the columns: the first one already holds a date or an amount.",
      overrideWith,
    };
  }
  const shown = headers.filter((h) => h !== "").slice(0, 4);
  return {
    value,
    source: "detected",
    evidence: `Line ${headerRecord.line} names the columns (${shown.join(", ")}${headers.length > shown.length ? ", ..." : ""}).${skipped}`,
    overrideWith,
  };
}

/** One sample that shows the date order unmistakably, for the evidence. */
function tellingDate(samples: readonly string[], format: DateFormat): string | undefined {
  return samples.find((s) => {
    const other: DateFormat = format === "us" ? "eu" : "us";
    return parseDate(s, format) !== null && (format === "iso" || parseDate(s, other) === null);
  });
}

export function dateFormatGuess(
  samples: readonly string[],
  forced: DateFormat | undefined,
  decimal: DecimalSeparator,
  layout: { name: string; dateFormat?: DateFormat } | null,
): NonNullable<StatementGuesses["dateFormat"]> {
  const overrideWith = ["dateFormat"];
  const label = (f: DateFormat) => describeDateFormat(f, samples[0]);
  if (forced) {
    return {
      value: forced,
      source: "option",
      evidence: `Dates read as ${label(forced)}, as asked.`,
      overrideWith,
      ambiguous: false,
    };
  }
  const detected = detectDateFormat(samples);
  if (!detected) {
    return {
      value: "iso",
      source: "default",
      evidence: "No date could be read in any format; YYYY-MM-DD is assumed.",
      overrideWith,
      ambiguous: false,
    };
  }
  if (!detected.ambiguous) {
    const example = tellingDate(samples, detected.format);
    const why =
      detected.format === "iso"
        ? "they start with the year"
        : example
          ? `${example} can only be read ${detected.format === "us" ? "month-first" : "day-first"}`
          : "that order reads the most of them";
    return {
      value: detected.format,
      source: "detected",
      evidence: `Dates read as ${label(detected.format)}: ${why}.`,
      overrideWith,
      ambiguous: false,
    };
  }
  // Day and month both fit every date. A known bank's order, else a decimal comma (day-first
  // countries), else the delimiter ("/" is month-first) decides.
  let value = detected.format;
  let why = `the dates are written with "${samples[0]?.includes("/") ? "/" : "."}"`;
  let source: "layout" | "detected" = "detected";
  if (layout?.dateFormat) {
    value = layout.dateFormat;
    why = `${layout.name} writes them ${value === "eu" ? "day-first" : "month-first"}`;
    source = "layout";
  } else if (decimal === ",") {
    value = "eu";
    why = "amounts use a decimal comma";
  }
  return {
    value,
    source,
    evidence: `Every date could be month-first or day-first (no day is above 12); read as ${label(value)} because ${why}.`,
    overrideWith,
    ambiguous: true,
  };
}

export function decimalGuess(
  samples: readonly string[],
  forced: DecimalSeparator | undefined,
): NonNullable<StatementGuesses["decimalSeparator"]> {
  const overrideWith = ["decimalSeparator"];
  if (forced) {
    return {
      value: forced,
      source: "option",
      evidence: `Amounts read with "${forced}" as decimal separator, as asked.`,
      overrideWith,
    };
  }
  const value = detectDecimalSeparator(samples);
  const example = samples.find((s) => decimalVote(s) === value);
  if (!example) {
    return {
      value,
      source: "default",
      evidence: "No amount shows its decimal separator; a point is assumed.",
      overrideWith,
    };
  }
  return {
    value,
    source: "detected",
    evidence: `Amounts such as ${example.trim()} use a decimal ${value === "," ? "comma" : "point"}.`,
    overrideWith,
  };
}
