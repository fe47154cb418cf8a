/** Adds integer cents, refusing anything that is not a safe integer so rounding can never creep in. */
export function sumCents(values: Iterable<number>): number {
  let total = 0;
  for (const v of values) {
    if (!Number.isSafeInteger(v)) throw new RangeError(`not a whole number of cents: ${v}`);
    total += v;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError("sum of cents exceeds the safe integer range");
  return total;
}

/** The number of minor units a currency uses (2 for USD, 0 for JPY, 3 for BHD), from Intl. */
export function minorUnitDigits(currency: string): number {
  return (
    new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** Formats minor units for display. Division happens once, at the edge, for humans only. */
export function formatCents(cents: number, currency: string, locale = "en-US"): string {
  const digits = minorUnitDigits(currency);
  return new Intl.NumberFormat(locale, { style: "currency", currency }).format(cents / 10 ** digits);
}

/** Cents as a plain decimal string for files ("-1234.56"), with integer arithmetic only. */
export function centsToDecimal(cents: number, digits = 2): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const abs = Math.abs(cents);
  const unit = 10 ** digits;
  const whole = Math.floor(abs / unit);
  const fraction = digits ? `.${String(abs % unit).padStart(digits, "0")}` : "";
  return `${cents < 0 ? "-" : ""}${whole}${fraction}`;
}
