/** Months are `YYYY-MM` strings; lexical order is chronological order. */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  const year = Math.floor(index / 12);
  return `${String(year).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}
