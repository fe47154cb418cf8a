/** `part` as a percentage of `whole`, two decimals; null when `whole` is not above zero. */
export function percentOf(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  return Math.round((part / whole) * 10_000) / 100;
}
