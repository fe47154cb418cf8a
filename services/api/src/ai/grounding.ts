import { MONTH_NAMES, minorUnitDigits } from "@tyche/core";

/**
 * Whether an answer's figures come from its tools. Every amount ("$1,234.56", "$80", and in other
 * currencies "EUR 1,234.56", "1,234.56 EUR", "€80", "£80") and every date or month ("2027-03-15",
 * "2027-03", "March 2027") written in an answer must appear in a tool call of that turn, in its
 * input (what the user asked about) or its output (what Tyche computed). Amounts are compared in
 * minor units: "$1,234.56" is grounded by the integer 123456 anywhere in a tool's JSON, "JPY 1,200"
 * by 1200. The built-in advisor is held to it by tests; a model's answer is checked the same way.
 */

const MONTHS = MONTH_NAMES.map((m) => m.toLowerCase());

export interface Figure {
  /** As written in the answer. */
  text: string;
  kind: "amount" | "date" | "month";
  /** Minor units (cents) for an amount, `YYYY-MM-DD` or `YYYY-MM` for a date or a month. */
  value: number | string;
}

const AMOUNT = /-?\$\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?/g;
const NUMBER = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?`;
// Upper case only, and only ISO 4217 codes: "ALL" is the lek, but "all 3 cards" is no amount.
const CODE_FIRST = new RegExp(String.raw`\b([A-Z]{3})\s?-?${NUMBER}(?![\d,.]*\d)`, "g");
// Not when a number follows the code: "January 2030 EUR 1,200" is one amount, in the code-first form.
const CODE_AFTER = new RegExp(String.raw`(?<![\d,.$€£-])${NUMBER}\s?([A-Z]{3})\b(?!\s?-?\d)`, "g");
const SYMBOL = new RegExp(String.raw`-?([€£])\s?${NUMBER}`, "g");
const SYMBOL_CURRENCY: Record<string, string> = { "€": "EUR", "£": "GBP" };
const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
const ISO_MONTH = /\b(\d{4})-(\d{2})\b(?!-\d)/g;
const NAMED_DATE = new RegExp(`\\b(${MONTHS.join("|")})\\s+(\\d{1,2}),\\s+(\\d{4})\\b`, "gi");
const NAMED_MONTH = new RegExp(`\\b(${MONTHS.join("|")})\\s+(\\d{4})\\b`, "gi");

/** "1,234.56" in a currency as minor units; NaN (never grounded) when it has more decimals than the currency. */
function minorUnits(whole: string, fraction: string | undefined, currency: string): number {
  const digits = minorUnitDigits(currency);
  const decimals = fraction ?? "";
  if (decimals.length > digits) return Number.NaN;
  return Number(whole.replaceAll(",", "")) * 10 ** digits + Number(decimals.padEnd(digits, "0") || "0");
}
const pad = (n: number) => String(n).padStart(2, "0");
const monthNumber = (name: string) => MONTHS.indexOf(name.toLowerCase()) + 1;

/** The amounts, dates and months an answer states. */
export function figuresIn(text: string): Figure[] {
  const found: Figure[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const whole = Number((m[1] as string).replaceAll(",", ""));
    found.push({ text: m[0], kind: "amount", value: whole * 100 + Number(m[2] ?? "0") });
  }
  for (const m of text.matchAll(CODE_FIRST)) {
    const code = m[1] as string;
    if (CURRENCIES.has(code))
      found.push({ text: m[0], kind: "amount", value: minorUnits(m[2] as string, m[3], code) });
  }
  for (const m of text.matchAll(CODE_AFTER)) {
    const code = m[3] as string;
    if (CURRENCIES.has(code))
      found.push({ text: m[0], kind: "amount", value: minorUnits(m[1] as string, m[2], code) });
  }
  for (const m of text.matchAll(SYMBOL)) {
    const code = SYMBOL_CURRENCY[m[1] as string] as string;
    found.push({ text: m[0], kind: "amount", value: minorUnits(m[2] as string, m[3], code) });
  }
  // Named dates first, then named months outside them, so "March 5, 2027" is one date.
  let rest = text;
  for (const m of text.matchAll(NAMED_DATE)) {
    found.push({
      text: m[0],
      kind: "date",
      value: `${m[3]}-${pad(monthNumber(m[1] as string))}-${pad(Number(m[2]))}`,
    });
    rest = rest.replace(m[0], " ");
  }
  for (const m of rest.matchAll(NAMED_MONTH)) {
    found.push({ text: m[0], kind: "month", value: `${m[2]}-${pad(monthNumber(m[1] as string))}` });
  }
  for (const m of text.matchAll(ISO_DATE)) found.push({ text: m[0], kind: "date", value: m[0] });
  for (const m of text.replaceAll(ISO_DATE, " ").matchAll(ISO_MONTH)) {
    found.push({ text: m[0], kind: "month", value: m[0] });
  }
  return found;
}

/** Every integer and string in some JSON values, deep. */
function collect(values: readonly unknown[]): { numbers: Set<number>; strings: Set<string> } {
  const numbers = new Set<number>();
  const strings = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v === "number" && Number.isInteger(v)) numbers.add(Math.abs(v));
    else if (typeof v === "string") strings.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  values.forEach(walk);
  return { numbers, strings };
}

/**
 * The figures of `answer` that no tool input or output of the turn holds: empty when every one is
 * grounded. A month is grounded by the month itself or by a date in it; a date only by itself.
 */
export function ungroundedFigures(answer: string, toolValues: readonly unknown[]): Figure[] {
  const { numbers, strings } = collect(toolValues);
  const months = new Set([...strings].filter((s) => /^\d{4}-\d{2}/.test(s)).map((s) => s.slice(0, 7)));
  return figuresIn(answer).filter((f) => {
    if (f.kind === "amount") return !numbers.has(Math.abs(f.value as number));
    if (f.kind === "month") return !months.has(f.value as string);
    return ![...strings].some((s) => s.startsWith(f.value as string));
  });
}
