import { MONTH_NAMES, minorUnitDigits } from "@tyche/core";

/**
 * How the built-in advisor writes a tool's figures. Each writes exactly the value it is given, so
 * that grounding.ts reads back the very integer a tool returned: an amount is never rounded (cents
 * are dropped only when there are none), a month or a date is only spelled out.
 */

const group = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/**
 * Minor units as money: "$1,234.56" and "$80" in US dollars, "EUR 1,234.56" for any other currency
 * (an ISO code is never ambiguous, where "$" alone could be several dollars). The sign is dropped:
 * the sentence says which way the money goes.
 */
export function money(minor: number, currency: string): string {
  const digits = minorUnitDigits(currency);
  const unit = 10 ** digits;
  const abs = Math.abs(minor);
  const fraction = abs % unit;
  const text = `${group(Math.floor(abs / unit))}${fraction ? `.${String(fraction).padStart(digits, "0")}` : ""}`;
  return currency === "USD" ? `$${text}` : `${currency} ${text}`;
}

/** "2030-02" as "February 2030". */
export function monthName(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1] ?? month.slice(5, 7)} ${month.slice(0, 4)}`;
}

/** "2030-01-20" as "January 20, 2030". */
export function dateName(date: string): string {
  return `${MONTH_NAMES[Number(date.slice(5, 7)) - 1] ?? date.slice(5, 7)} ${Number(date.slice(8, 10))}, ${date.slice(0, 4)}`;
}

/** Basis points as a percentage: 1200 is "12%", 2499 "24.99%". */
export function percent(basisPoints: number): string {
  const whole = Math.floor(basisPoints / 100);
  const rest = basisPoints % 100;
  return `${whole}${rest ? `.${String(rest).padStart(2, "0").replace(/0$/, "")}` : ""}%`;
}

/** "a", "a and b", "a, b and c". */
export function list(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** "1 month", "3 months". */
export const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
