import { formatCents, minorUnitDigits } from "@tyche/core";

/** Cents as the user reads them, in the currency of the budget or account they belong to. */
export const money = (cents: number, currency = "USD") => formatCents(cents, currency, navigator.language);

/** A change to a balance with its sign written out: "+$12.00", "−$4.50". */
export const signedMoney = (cents: number, currency: string) =>
  cents > 0 ? `+${money(cents, currency)}` : money(cents, currency);

/** Major units typed by a person ("12.5", "1,234.56") as integer cents; undefined when not a number. */
export function parseMoney(text: string, currency = "USD"): number | undefined {
  const cleaned = text.replace(/[\s,]/g, "").replace(/^[^\d.-]+/, "");
  if (!/^-?\d*(\.\d*)?$/.test(cleaned) || cleaned === "" || cleaned === "." || cleaned === "-")
    return undefined;
  const digits = minorUnitDigits(currency);
  const [whole = "0", fraction = ""] = cleaned.replace("-", "").split(".");
  if (fraction.length > digits) return undefined;
  const cents = Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  return cleaned.startsWith("-") ? -cents : cents;
}

/** Cents as the plain number an input shows ("1234.50"). */
export const centsToInput = (cents: number, currency = "USD") => {
  const digits = minorUnitDigits(currency);
  return (cents / 10 ** digits).toFixed(digits);
};

export const monthLabel = (month: string) =>
  new Intl.DateTimeFormat(navigator.language, { month: "long", year: "numeric", timeZone: "UTC" }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

/** A date with its year: "12 Mar 2026" (in the reader's own order). */
export const fullDate = (date: string) =>
  new Intl.DateTimeFormat(navigator.language, {
    day: "numeric",
    month: "short",
    year: "numeric",
    timeZone: "UTC",
  }).format(new Date(`${date}T00:00:00Z`));

export const dateLabel = (date: string) =>
  new Intl.DateTimeFormat(navigator.language, { day: "numeric", month: "short", timeZone: "UTC" }).format(
    new Date(`${date}T00:00:00Z`),
  );

export const currentMonth = () => new Date().toISOString().slice(0, 7);
export const today = () => new Date().toISOString().slice(0, 10);

const MONTH = /^(19[7-9]\d|2\d{3})-(0[1-9]|1[0-2])$/;
/** A month as the address and the API write it, "2026-03", from 1970 on. */
export const isMonth = (m: string | null | undefined): m is string => Boolean(m && MONTH.test(m));

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** An instant as a day and a time in the reader's own zone: "12 Mar 2026, 14:05". */
export const instantLabel = (instant: string) =>
  new Intl.DateTimeFormat(navigator.language, {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "numeric",
    minute: "2-digit",
  }).format(new Date(instant));
