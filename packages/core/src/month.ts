/** Months are `YYYY-MM` strings; lexical order is chronological order. */
export function addMonths(month: string, delta: number): string {
  const index = monthIndex(month) + delta;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** Every month from `from` to `to`, both included, oldest first; empty when `from` is later. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

/** How many days a month has (28 to 31). */
export function daysInMonth(month: string): number {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The `YYYY-MM-DD` of a day of a month. */
export const dayOfMonth = (month: string, day: number) => `${month}-${String(day).padStart(2, "0")}`;

/** A month as a count of months since year 0: the difference of two is how many months apart they are. */
export function monthIndex(month: string): number {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return y * 12 + m - 1;
}

/** The months' English names, January first: how the advisor writes a month and reads one back. */
export const MONTH_NAMES: readonly string[] = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];
