/** Parsing money text into integer cents with string arithmetic only: no parseFloat, no * 100. */

export type DecimalSeparator = "." | ",";

export type AmountParse = { ok: true; cents: number } | { ok: false; reason: string };

/** The largest magnitude accepted: 10 billion in major units. */
export const MAX_AMOUNT_CENTS = 1_000_000_000_000;

/**
 * No amount is written in more characters, however it is decorated ("EUR -1.234.567,89 DR"); longer
 * text is not read, which also keeps every pattern below linear in its input.
 */
export const MAX_AMOUNT_TEXT = 64;

const SPACES = /[\s\u00a0\u2007\u2009\u202f]+/g;
const CURRENCY_SYMBOL = /^\p{Sc}/u;
const CURRENCY_SYMBOL_END = /\p{Sc}$/u;
const CURRENCY_CODE = /^[A-Z]{3}(?![A-Z])/;
const CURRENCY_CODE_END = /(?<![A-Z])[A-Z]{3}$/;

/**
 * Peels currency symbols/codes, signs, parentheses and a DR/CR suffix off both ends, leaving the digits.
 * Returns null when two signs are given.
 */
function peel(input: string): { core: string; negative: boolean } | null {
  let s = input.replace(SPACES, " ").trim();
  let signs = 0;
  let negative = false;
  const sign = (neg: boolean) => {
    signs++;
    negative = neg;
  };
  if (/^\(.*\)$/.test(s)) {
    sign(true);
    s = s.slice(1, -1).trim();
  }
  const suffix = /\s*\b(CR|DR)$/i.exec(s);
  if (suffix?.[1] && /\d/.test(s.slice(0, suffix.index))) {
    if (suffix[1].toUpperCase() === "DR") sign(true);
    else sign(false);
    s = s.slice(0, suffix.index).trim();
  }
  for (let changed = true; changed; ) {
    changed = false;
    const before = s;
    if (CURRENCY_SYMBOL.test(s)) s = s.replace(CURRENCY_SYMBOL, "");
    else if (CURRENCY_SYMBOL_END.test(s)) s = s.replace(CURRENCY_SYMBOL_END, "");
    else if (CURRENCY_CODE.test(s)) s = s.replace(CURRENCY_CODE, "");
    else if (CURRENCY_CODE_END.test(s)) s = s.replace(CURRENCY_CODE_END, "");
    else if (/^[-\u2212]/.test(s)) {
      sign(true);
      s = s.slice(1);
    } else if (/^\+/.test(s)) {
      sign(false);
      s = s.slice(1);
    } else if (/\d[-\u2212]$/.test(s)) {
      sign(true);
      s = s.slice(0, -1);
    }
    s = s.trim();
    changed = s !== before;
  }
  if (signs > 1) return null;
  return { core: s, negative };
}

/**
 * Parses money text to signed integer cents: "1,234.56", "1.234,56" (with ","), "-12.50", "(12.50)",
 * "$1,234.56", "€ 12,50", "1 234,56", "+5.00", "12.5", "12.50-", "12.50 DR". More than two decimals
 * are refused unless the extra ones are zeros, as is anything over MAX_AMOUNT_CENTS.
 */
export function parseAmount(text: string, decimal: DecimalSeparator = "."): AmountParse {
  if (text.trim() === "") return { ok: false, reason: "the amount is empty" };
  if (text.length > MAX_AMOUNT_TEXT) return { ok: false, reason: "the amount is not a number (too long)" };
  const peeled = peel(text);
  if (!peeled) return { ok: false, reason: `"${text.trim()}" has more than one sign` };
  const { core, negative } = peeled;
  const bad: AmountParse = { ok: false, reason: `"${text.trim()}" is not an amount` };

  const parts = core.split(decimal);
  if (parts.length > 2) return bad;
  const intText = parts[0] ?? "";
  const fracText = parts[1];
  if (fracText !== undefined && !/^\d*$/.test(fracText)) return bad;
  if (intText === "" && (fracText === undefined || fracText === "")) return bad;

  let intDigits: string;
  if (/^\d*$/.test(intText)) {
    intDigits = intText;
  } else {
    // Thousands groups with one consistent separator: "1,234,567", "1.234", "1 234", "1'234".
    const group = decimal === "." ? "[, ']" : "[. ']";
    const m = new RegExp(`^\\d{1,3}(${group})\\d{3}(?:\\1\\d{3})*$`).exec(intText);
    if (!m?.[1]) return bad;
    intDigits = intText.split(m[1]).join("");
  }

  let frac = fracText ?? "";
  if (frac.length > 2) {
    if (!/^0+$/.test(frac.slice(2)))
      return { ok: false, reason: `"${text.trim()}" has more than 2 decimals` };
    frac = frac.slice(0, 2);
  }
  frac = frac.padEnd(2, "0");

  intDigits = intDigits.replace(/^0+(?=\d)/, "");
  if (intDigits.length > 11) return { ok: false, reason: `"${text.trim()}" is too large` };
  const cents = Number(intDigits || "0") * 100 + Number(frac);
  if (cents > MAX_AMOUNT_CENTS) return { ok: false, reason: `"${text.trim()}" is too large` };
  return { ok: true, cents: negative && cents !== 0 ? -cents : cents };
}

/**
 * The decimal separator one sample shows, or null when it shows none. A value with both "." and ","
 * tells by the last one; "12,50" says ","; "1,234,567" says "."; a lone "1,234" or "1.234" says nothing.
 */
export function decimalVote(sample: string): DecimalSeparator | null {
  const s = sample.slice(0, MAX_AMOUNT_TEXT).replace(/[^\d.,]/g, "");
  const lastDot = s.lastIndexOf(".");
  const lastComma = s.lastIndexOf(",");
  if (lastDot >= 0 && lastComma >= 0) return lastComma > lastDot ? "," : ".";
  const sep = lastDot >= 0 ? "." : lastComma >= 0 ? "," : null;
  if (sep === null) return null;
  const count = s.split(sep).length - 1;
  const after = s.length - s.lastIndexOf(sep) - 1;
  // Several of one separator are thousands groups, so the other is the decimal.
  if (count > 1) return sep === "." ? "," : ".";
  if (after === 1 || after === 2) return sep;
  return null; // exactly three digits after a single separator: ambiguous
}

/** Which decimal separator a column uses, by the votes of its samples (decimalVote); ties prefer ".". */
export function detectDecimalSeparator(samples: Iterable<string>): DecimalSeparator {
  let dot = 0;
  let comma = 0;
  for (const sample of samples) {
    const vote = decimalVote(sample);
    if (vote === ".") dot++;
    else if (vote === ",") comma++;
  }
  return comma > dot ? "," : ".";
}
