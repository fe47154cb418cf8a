/** Parsing bank date text into YYYY-MM-DD, and telling US from European day/month order. */

import type { DateFormat } from "@tyche/types";

export type { DateFormat };

export interface DateDetection {
  format: DateFormat;
  /** Both US and European order read every sample (every day <= 12): chosen by the delimiter. */
  ambiguous: boolean;
}

/** How each format is written, for messages. */
export const DATE_FORMAT_LABELS: Record<DateFormat, string> = {
  iso: "YYYY-MM-DD",
  us: "MM/DD/YYYY",
  eu: "DD.MM.YYYY",
};

const TIME = String.raw`(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?: ?[AP]M)?(?:Z|[+-]\d{2}:?\d{2})?)?`;
const ISO = new RegExp(String.raw`^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})${TIME}$`, "i");
const ISO_BASIC = /^(\d{4})(\d{2})(\d{2})$/;
const DMY_OR_MDY = new RegExp(String.raw`^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})${TIME}$`, "i");

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/** A real calendar date between 1970 and 2999 as YYYY-MM-DD, or null. */
export function makeDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null;
  if (year < 1970 || year > 2999 || month < 1 || month > 12 || day < 1) return null;
  if (day > daysInMonth(year, month)) return null;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Two-digit years: 00-69 are 20xx, 70-99 are 19xx. */
function fullYear(text: string): number {
  const y = Number(text);
  if (text.length === 4) return y;
  return y < 70 ? 2000 + y : 1900 + y;
}

/**
 * Parses a date written in the given format; a time part after the date is ignored (the date is taken
 * as written, not converted between time zones). Returns null for anything else, impossible dates
 * (2025-02-30) included.
 */
export function parseDate(text: string, format: DateFormat): string | null {
  // A date with its time is never longer; the bound keeps the patterns below linear.
  if (text.length > 64) return null;
  const s = text.trim();
  if (format === "iso") {
    const m = ISO.exec(s) ?? ISO_BASIC.exec(s);
    if (!m) return null;
    const [y, mo, d] = m.length === 4 ? [m[1], m[2], m[3]] : [m[1], m[3], m[4]];
    return makeDate(Number(y), Number(mo), Number(d));
  }
  const m = DMY_OR_MDY.exec(s);
  if (!m?.[1] || !m[3] || !m[4]) return null;
  const first = Number(m[1]);
  const second = Number(m[3]);
  const year = fullYear(m[4]);
  return format === "us" ? makeDate(year, first, second) : makeDate(year, second, first);
}

const FORMATS: DateFormat[] = ["iso", "us", "eu"];

/**
 * The format that reads the most samples (all of them, in a clean file). When US and European order
 * both read them all (every day <= 12), the delimiter decides: "/" is US, "." and "-" European; the
 * result says `ambiguous` so the caller can show it and let the user override. Null when no format
 * reads any sample.
 */
export function detectDateFormat(samples: Iterable<string>): DateDetection | null {
  const values = [...samples].map((s) => s.trim()).filter((s) => s !== "");
  const scores = FORMATS.map((f) => values.filter((v) => parseDate(v, f) !== null).length);
  const best = Math.max(...scores);
  if (best === 0) return null;
  const winners = FORMATS.filter((_f, i) => scores[i] === best);
  if (winners.length === 1 && winners[0]) return { format: winners[0], ambiguous: false };
  if (winners.includes("iso")) return { format: "iso", ambiguous: false };
  const slashes = values.filter((v) => /^\d{1,2}\/\d/.test(v)).length;
  return { format: slashes * 2 > values.length ? "us" : "eu", ambiguous: true };
}

/** The format as the user would write it, taking the delimiter from a sample. */
export function describeDateFormat(format: DateFormat, sample?: string): string {
  const label = DATE_FORMAT_LABELS[format];
  const delim = sample ? /\d([-/.])\d/.exec(sample.trim())?.[1] : undefined;
  if (!delim || format === "iso") return label;
  return label.replace(/[/.]/g, delim);
}
