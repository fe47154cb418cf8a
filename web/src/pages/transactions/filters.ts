import { parseMoney } from "../../ui/format";

/** The list's filters, as kept in the URL query string (amounts as the person typed them). */
export interface Filters {
  month: string;
  account: string;
  category: string;
  merchant: string;
  tag: string;
  kind: string;
  q: string;
  min: string;
  max: string;
}

export const FILTER_NAMES = [
  "month",
  "account",
  "category",
  "merchant",
  "tag",
  "kind",
  "q",
  "min",
  "max",
] as const;

export const readFilters = (params: URLSearchParams): Filters =>
  Object.fromEntries(FILTER_NAMES.map((n) => [n, params.get(n) ?? ""])) as unknown as Filters;

export const hasFilters = (f: Filters) => FILTER_NAMES.some((n) => f[n] !== "");

/** A category filter reads month by month; without a month it covers the last three years. */
export const CATEGORY_MONTHS = 36;

function monthsBack(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - n, 1));
  return d.toISOString().slice(0, 7);
}

function lastDay(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export interface ApiQuery {
  /** The query string for GET /v1/transactions (no limit, no cursor). */
  query: string;
  /** Filters that could not be read, in words, by filter name. */
  invalid: Partial<Record<keyof Filters, string>>;
}

/** The API's query for the filters; amounts typed in major units of `currency` are sent as cents. */
export function toApiQuery(f: Filters, currency: string, now = new Date()): ApiQuery {
  const p = new URLSearchParams();
  const invalid: ApiQuery["invalid"] = {};
  if (f.month) {
    if (/^\d{4}-\d{2}$/.test(f.month)) p.set("month", f.month);
    else invalid.month = "must be a month such as 2025-03";
  }
  if (f.account) p.set("accountId", f.account);
  if (f.category) {
    p.set("category", f.category);
    if (!p.has("month")) {
      const current = now.toISOString().slice(0, 7);
      p.set("from", `${monthsBack(current, CATEGORY_MONTHS - 1)}-01`);
      p.set("to", lastDay(current));
    }
  }
  if (f.merchant.trim()) p.set("merchant", f.merchant.trim());
  if (f.tag.trim()) p.set("tag", f.tag.trim().toLowerCase());
  if (f.kind) p.set("type", f.kind);
  if (f.q.trim()) p.set("q", f.q.trim());
  for (const [name, param] of [
    ["min", "minAmount"],
    ["max", "maxAmount"],
  ] as const) {
    if (!f[name].trim()) continue;
    const cents = parseMoney(f[name], currency);
    if (cents === undefined || cents < 0) invalid[name] = "must be an amount such as 12.50";
    else p.set(param, String(cents));
  }
  const min = p.get("minAmount");
  const max = p.get("maxAmount");
  if (min !== null && max !== null && Number(min) > Number(max)) {
    invalid.max = "must not be less than the minimum";
    p.delete("maxAmount");
  }
  return { query: p.toString(), invalid };
}
