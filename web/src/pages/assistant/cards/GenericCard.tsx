import { money } from "../../../ui/format";
import { Facts, ToolCard, toolLabel } from "./ToolCard";

/** How many figures a generic card lists: it is a summary; the rest is under "Everything it returned". */
const MAX_FACTS = 10;
const MONEY_KEY =
  /amount|balance|income|expense|spent|limit|owed|due|interest|paid|budgeted|remaining|available|total|payment|saving|freed|missing|cut/i;
const NOT_MONEY_KEY = /count|days|months|percent|basispoints|rows|ratio|rate/i;
const HIDDEN_KEY = /(^|[a-z])(Id|id)$|^cursor$|^nextCursor$/;

/** A key as words: "availableForDebtPayoff" → "Available for debt payoff". */
export const keyWords = (key: string) => {
  const words = key
    .replace(/[_-]+/g, " ")
    .replace(/([a-z\d])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function figure(key: string, value: unknown, currency: string): string | undefined {
  if (value === null) return "None";
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "string") return value.length > 80 ? `${value.slice(0, 79)}…` : value;
  if (typeof value === "number") {
    if (Number.isInteger(value) && MONEY_KEY.test(key) && !NOT_MONEY_KEY.test(key))
      return money(value, currency);
    return new Intl.NumberFormat(navigator.language).format(value);
  }
  if (Array.isArray(value)) return value.length === 1 ? "1 item" : `${value.length} items`;
  return undefined;
}

/** The figures of an output: its own scalars, and those of the objects in it one level down. */
export function factsOf(output: unknown): [string, string][] {
  if (!isRecord(output)) {
    const f = figure("", output, "USD");
    return f === undefined ? [] : [["Result", f]];
  }
  const currency =
    typeof output.currency === "string" && /^[A-Z]{3}$/.test(output.currency) ? output.currency : "USD";
  const out: [string, string][] = [];
  for (const [key, value] of Object.entries(output)) {
    if (HIDDEN_KEY.test(key) || key === "currency") continue;
    if (isRecord(value)) {
      for (const [inner, v] of Object.entries(value)) {
        if (HIDDEN_KEY.test(inner) || isRecord(v)) continue;
        const f = figure(inner, v, currency);
        if (f !== undefined) out.push([`${keyWords(key)}: ${keyWords(inner).toLowerCase()}`, f]);
      }
      continue;
    }
    const f = figure(key, value, currency);
    if (f !== undefined) out.push([keyWords(key), f]);
  }
  return out;
}

/** Any tool's result, named by the tool: a few key figures, and the whole of it on request. */
export function GenericCard({ tool, output }: { tool: string; output: unknown }) {
  const facts = factsOf(output).slice(0, MAX_FACTS);
  let whole: string;
  try {
    whole = JSON.stringify(output, null, 2) ?? String(output);
  } catch {
    whole = String(output);
  }
  return (
    <ToolCard title={toolLabel(tool)} tool={tool} className="tool-generic">
      {facts.length > 0 ? <Facts items={facts} /> : <p>Nothing to show.</p>}
      <details className="tool-raw">
        <summary>Everything it returned</summary>
        <pre>{whole}</pre>
      </details>
    </ToolCard>
  );
}
