import type { ColumnRole } from "@tyche/types";
import { parseAmount } from "../amounts";
import { detectDateFormat } from "../dates";
import { normHeader } from "../text";
import { ImportFormatError } from "../types";

export type { ColumnRole };
/** A header name (matched case- and accent-insensitively) or a 0-based column index. */
export type ColumnRef = string | number;
export type ColumnMapping = Partial<Record<ColumnRole, number>>;

/** Header names per role, as normHeader spells them; earlier names win. */
export const ALIASES: Record<ColumnRole, string[]> = {
  date: [
    "transaction date",
    "trans date",
    "date",
    "booking date",
    "started date",
    "buchungstag",
    "buchungsdatum",
    "datum",
    "fecha",
    "fecha operacion",
    "fecha de operacion",
    "date operation",
    "date de l operation",
    "data",
    "data operazione",
    "posted date",
    "posting date",
    "post date",
    "posted",
    "completed date",
    "value date",
    "valuta",
    "valutadatum",
    "wertstellung",
    "fecha valor",
  ],
  amount: [
    "amount",
    "transaction amount",
    "amount eur",
    "amount gbp",
    "amount usd",
    "betrag",
    "betrag eur",
    "betrag euro",
    "umsatz",
    "importe",
    "importe eur",
    "value",
    "montant",
    "bedrag",
    "importo",
    "valor",
    "sum",
    "summe",
  ],
  debit: [
    "debit",
    "debits",
    "debit amount",
    "withdrawal",
    "withdrawals",
    "withdrawal amount",
    "money out",
    "paid out",
    "out",
    "soll",
    "ausgang",
    "ausgaben",
    "cargo",
    "cargos",
    "debe",
  ],
  credit: [
    "credit",
    "credits",
    "credit amount",
    "deposit",
    "deposits",
    "deposit amount",
    "money in",
    "paid in",
    "in",
    "haben",
    "eingang",
    "einnahmen",
    "abono",
    "abonos",
    "haber",
  ],
  description: [
    "description",
    "transaction description",
    "details",
    "transaction details",
    "narrative",
    "verwendungszweck",
    "buchungstext",
    "concepto",
    "libelle",
    "omschrijving",
    "particulars",
    "payment reference",
    "reference",
    "text",
  ],
  merchant: [
    "payee",
    "payee name",
    "merchant",
    "merchant name",
    "name",
    "partner name",
    "counterparty",
    "counter party",
    "counterparty name",
    "beguenstigter zahlungspflichtiger",
    "begunstigter zahlungspflichtiger",
    "auftraggeber begunstigter",
    "beguenstigter",
    "begunstigter",
    "zahlungsempfanger",
    "zahlungsempfaenger",
    "empfanger",
    "empfaenger",
    "auftraggeber empfanger",
    "auftraggeber empfaenger",
    "auftraggeber",
    "beneficiario",
    "beneficiary",
  ],
  memo: ["memo", "notes", "note", "comment", "comments", "remarks"],
  category: ["category", "kategorie", "categoria", "categorie", "category name"],
  type: [
    "type",
    "transaction type",
    "trans type",
    "dr cr",
    "cr dr",
    "debit credit",
    "credit debit",
    "d c",
    "soll haben",
    "s h",
  ],
  fee: ["fee", "fees", "fee amount", "gebuhr", "gebuehr", "gebuhren", "commission", "comision"],
  state: ["state", "status", "transaction status", "buchungsstatus", "estado"],
  reference: [
    "transaction id",
    "transaction reference",
    "transaction number",
    "trans id",
    "reference number",
    "reference no",
    "ref no",
    "bank reference",
    "fitid",
    "id",
    "transaktions id",
  ],
  currency: ["currency", "ccy", "waehrung", "wahrung"],
};

/** Second pass: a header containing one of these words, for roles the exact names left open. */
const CONTAINS: [ColumnRole, string[]][] = [
  ["date", ["date", "datum", "fecha"]],
  ["type", ["type", "indicator"]],
  ["debit", ["debit", "withdrawal", "withdrawals"]],
  ["credit", ["credit", "deposit", "deposits"]],
  ["amount", ["amount", "betrag", "importe", "montant"]],
  ["description", ["description", "verwendungszweck", "narrative", "details"]],
  ["merchant", ["payee", "merchant"]],
  ["memo", ["memo"]],
  ["category", ["category", "kategorie"]],
];
const MONEY_ROLES = new Set<ColumnRole>(["amount", "debit", "credit", "fee"]);
/** Words in a header that make it never the amount: a balance, or the amount in another currency. */
const NEVER_MONEY = new Set([
  "balance",
  "bal",
  "saldo",
  "kontostand",
  "running",
  "original",
  "foreign",
  "exchange",
]);
const EXACT_ORDER: ColumnRole[] = [
  "date",
  "debit",
  "credit",
  "amount",
  "fee",
  "type",
  "state",
  "category",
  "reference",
  "currency",
  "description",
  "merchant",
  "memo",
];

export function looksLikeDate(s: string): boolean {
  return s.trim() !== "" && detectDateFormat([s]) !== null;
}

export function looksLikeAmount(s: string): boolean {
  const t = s.trim();
  if (t === "" || !/\d/.test(t)) return false;
  return parseAmount(t, ".").ok || parseAmount(t, ",").ok;
}

/** Money with cents written out ("12.50", "-1.234,56"): what tells an amount from a check number. */
function hasDecimals(s: string): boolean {
  return /\d[.,]\d{1,2}(?:\D*)$/.test(s.trim().slice(-24));
}

const ALL_ALIASES = new Set(Object.values(ALIASES).flat());

/** How many cells are known header names. */
export function aliasHits(cells: string[]): number {
  let hits = 0;
  for (const cell of cells) {
    const n = normHeader(cell);
    if (n !== "" && ALL_ALIASES.has(n)) hits++;
  }
  return hits;
}

/** Roles from header names: exact names first, then a header containing a role's word. */
export function mapHeaders(headers: string[]): ColumnMapping {
  const norm = headers.map(normHeader);
  const used = new Set<number>();
  const mapping: ColumnMapping = {};
  const take = (role: ColumnRole, index: number) => {
    mapping[role] = index;
    used.add(index);
  };
  for (const role of EXACT_ORDER) {
    for (const alias of ALIASES[role]) {
      const i = norm.findIndex((n, idx) => n === alias && !used.has(idx));
      if (i >= 0) {
        take(role, i);
        break;
      }
    }
  }
  for (const [role, words] of CONTAINS) {
    if (mapping[role] !== undefined) continue;
    const i = norm.findIndex((n, idx) => {
      if (used.has(idx)) return false;
      const parts = n.split(" ");
      if (MONEY_ROLES.has(role) && parts.some((p) => NEVER_MONEY.has(p))) return false;
      return words.some((w) => parts.includes(w));
    });
    if (i >= 0) take(role, i);
  }
  // Both a signed amount and debit/credit: a debit AND a credit column win, a lone one is noise.
  if (mapping.amount !== undefined && (mapping.debit !== undefined || mapping.credit !== undefined)) {
    if (mapping.debit !== undefined && mapping.credit !== undefined) delete mapping.amount;
    else {
      delete mapping.debit;
      delete mapping.credit;
    }
  }
  return mapping;
}

/**
 * Fills date, amount (or debit/credit) and description from the content where the header did not:
 * a column of dates, one or two columns of money with cents (a check-number column has none), and
 * the column of the longest text.
 */
export function sniffColumns(
  rows: string[][],
  columnCount: number,
  headers: string[] | null,
  mapping: ColumnMapping,
): { mapping: ColumnMapping; sniffed: ColumnRole[] } {
  const out: ColumnMapping = { ...mapping };
  const sniffed: ColumnRole[] = [];
  const used = new Set(Object.values(out));
  // A balance column reads as money but is never the amount.
  headers?.forEach((h, i) => {
    if (
      normHeader(h)
        .split(" ")
        .some((w) => NEVER_MONEY.has(w))
    )
      used.add(i);
  });
  const sample = rows.slice(0, 200);
  const values = (i: number) => sample.map((r) => (r[i] ?? "").trim());
  const free = () => [...Array(columnCount).keys()].filter((i) => !used.has(i));
  const take = (role: ColumnRole, i: number) => {
    out[role] = i;
    used.add(i);
    sniffed.push(role);
  };

  if (out.date === undefined) {
    const i = free().find((c) => {
      const v = values(c).filter((s) => s !== "");
      return v.length * 2 >= sample.length && v.filter(looksLikeDate).length >= v.length * 0.8;
    });
    if (i !== undefined) take("date", i);
  }
  if (out.amount === undefined && out.debit === undefined && out.credit === undefined) {
    const money = free().filter((c) => {
      const v = values(c).filter((s) => s !== "");
      return (
        v.length > 0 &&
        v.filter(looksLikeAmount).length >= v.length * 0.8 &&
        v.filter(hasDecimals).length * 2 >= v.length &&
        !v.every(looksLikeDate)
      );
    });
    const [a, b] = money;
    if (a !== undefined && b !== undefined) {
      const va = values(a);
      const vb = values(b);
      const exclusive = sample.filter((_r, k) => (va[k] === "") !== (vb[k] === "")).length;
      if (exclusive >= sample.length * 0.8) {
        take("debit", a);
        take("credit", b);
      }
    }
    if (out.debit === undefined && a !== undefined) take("amount", a);
  }
  if (out.description === undefined && out.merchant === undefined && out.memo === undefined) {
    let bestLen = 0;
    let best: number | undefined;
    for (const c of free()) {
      const v = values(c).filter((s) => s !== "");
      const texty = v.filter((s) => /\p{L}/u.test(s) && !looksLikeAmount(s) && !looksLikeDate(s));
      if (v.length === 0 || texty.length * 2 < v.length) continue;
      const avg = texty.reduce((sum, s) => sum + s.length, 0) / texty.length;
      if (avg > bestLen) {
        bestLen = avg;
        best = c;
      }
    }
    if (best !== undefined) take("description", best);
  }
  return { mapping: out, sniffed };
}

export function resolveRef(ref: ColumnRef, headers: string[] | null, columnCount: number): number {
  if (typeof ref === "number") {
    if (!Number.isInteger(ref) || ref < 0 || ref >= columnCount) {
      throw new ImportFormatError(
        `Column ${ref} does not exist: the file has ${columnCount} columns (0-based).`,
      );
    }
    return ref;
  }
  if (!headers)
    throw new ImportFormatError(`Column "${ref}": the file has no header row; use a 0-based index.`);
  const i = headers.findIndex((h) => normHeader(h) === normHeader(ref));
  if (i < 0) {
    const shown = headers.length > 20 ? `${headers.slice(0, 20).join(", ")}, ...` : headers.join(", ");
    throw new ImportFormatError(`Column "${ref}" is not in the header (${shown}).`);
  }
  return i;
}

/** The caller's column choices over the detected ones. */
export function applyOverride(
  detected: ColumnMapping,
  columns: Partial<Record<ColumnRole, ColumnRef | null>> | undefined,
  headers: string[] | null,
  columnCount: number,
): ColumnMapping {
  if (!columns) return detected;
  const out: ColumnMapping = { ...detected };
  const given = Object.entries(columns) as [ColumnRole, ColumnRef | null | undefined][];
  if (given.some(([r, v]) => r === "amount" && v !== undefined && v !== null)) {
    delete out.debit;
    delete out.credit;
  }
  if (given.some(([r, v]) => (r === "debit" || r === "credit") && v !== undefined && v !== null))
    delete out.amount;
  for (const [role, ref] of given) {
    if (ref === undefined) continue;
    if (ref === null) {
      delete out[role];
      continue;
    }
    const index = resolveRef(ref, headers, columnCount);
    for (const [other, i] of Object.entries(out) as [ColumnRole, number][]) {
      if (i === index && other !== role && columns[other] === undefined) delete out[other];
    }
    out[role] = index;
  }
  return out;
}
