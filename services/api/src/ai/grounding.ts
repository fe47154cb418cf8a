/**
 * Whether an answer's figures come from its tools. Every amount ("$1,234.56", "$80") and every
 * date or month ("2027-03-15", "2027-03", "March 2027") written in an answer must appear in a tool
 * call of that turn, in its input (what the user asked about) or its output (what Tyche computed).
 * Amounts are compared as cents: "$1,234.56" is grounded by the integer 123456 anywhere in a tool's
 * JSON. The built-in advisor is held to it by tests; a model's answer is checked the same way.
 */

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

export interface Figure {
  /** As written in the answer. */
  text: string;
  kind: "amount" | "date" | "month";
  /** Cents for an amount, `YYYY-MM-DD` or `YYYY-MM` for a date or a month. */
  value: number | string;
}

const AMOUNT = /-?\$\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?/g;
const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/g;
const ISO_MONTH = /\b(\d{4})-(\d{2})\b(?!-\d)/g;
const NAMED_DATE = new RegExp(`\\b(${MONTHS.join("|")})\\s+(\\d{1,2}),\\s+(\\d{4})\\b`, "gi");
const NAMED_MONTH = new RegExp(`\\b(${MONTHS.join("|")})\\s+(\\d{4})\\b`, "gi");

const pad = (n: number) => String(n).padStart(2, "0");
const monthNumber = (name: string) => MONTHS.indexOf(name.toLowerCase()) + 1;

/** The amounts, dates and months an answer states. */
export function figuresIn(text: string): Figure[] {
  const found: Figure[] = [];
  for (const m of text.matchAll(AMOUNT)) {
    const whole = Number((m[1] as string).replaceAll(",", ""));
    found.push({ text: m[0], kind: "amount", value: whole * 100 + Number(m[2] ?? "0") });
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
