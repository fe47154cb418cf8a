/** Codes this runtime's Intl knows: its ISO 4217 list, and the only codes it can format. */
const KNOWN = new Set(Intl.supportedValuesOf("currency"));

/** Amounts are integer hundredths of the currency everywhere (storage, API, imports, display). */
export const SUPPORTED_MINOR_UNITS = 2;

const digitsByCode = new Map<string, number>();

/**
 * Decimal places of a currency's minor unit (USD 2, JPY 0, BHD 3), or undefined for a code that is
 * not a currency. Taken from Intl, the same source the app formats amounts with, so a currency
 * accepted here is also displayed with the two decimals its amounts are stored in.
 */
export function currencyMinorUnits(code: string): number | undefined {
  if (!KNOWN.has(code)) return undefined;
  let digits = digitsByCode.get(code);
  if (digits === undefined) {
    digits =
      new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions()
        .maximumFractionDigits ?? SUPPORTED_MINOR_UNITS;
    digitsByCode.set(code, digits);
  }
  return digits;
}

/** Why a budget cannot use this currency (yet), or undefined when it can. */
export function currencyProblem(code: string): string | undefined {
  const digits = currencyMinorUnits(code);
  if (digits === undefined) return "must be an ISO 4217 currency code such as USD";
  if (digits === SUPPORTED_MINOR_UNITS) return undefined;
  return (
    `${code} has ${digits} decimal place${digits === 1 ? "" : "s"}; ` +
    `only currencies with ${SUPPORTED_MINOR_UNITS} are supported for now`
  );
}
