import type { ColumnRole, DateFormat } from "@tyche/types";
import { normHeader } from "../text";
import { type ColumnMapping, looksLikeAmount, looksLikeDate } from "./columns";

/**
 * Bank exports Tyche knows by their header. A known layout says which column plays which role (the
 * merchant from N26's "Partner Name", never its "Partner Iban"; Barclays' "Memo", never its
 * "Subcategory"), what its dates look like when every day is 12 or less, and, for card exports with
 * one signed amount, which sign the bank gives a charge: used when no row reads like a payment.
 */
export interface BankLayout {
  name: string;
  /** Headers, as normHeader spells them, that must all be there. */
  requires: readonly string[];
  /** The header is exactly `requires`, nothing more (a layout too common to name otherwise). */
  exact?: boolean;
  /** Role -> header, as normHeader spells it. */
  columns: Partial<Record<ColumnRole, string>>;
  charges?: "positive" | "negative";
  dateFormat?: DateFormat;
  note?: string;
}

export const BANK_LAYOUTS: readonly BankLayout[] = [
  {
    name: "American Express",
    requires: [
      "date",
      "description",
      "amount",
      "extended details",
      "appears on your statement as",
      "reference",
      "category",
    ],
    columns: {
      date: "date",
      description: "description",
      amount: "amount",
      reference: "reference",
      category: "category",
    },
    charges: "positive",
  },
  {
    name: "American Express",
    requires: ["date", "description", "amount"],
    exact: true,
    columns: { date: "date", description: "description", amount: "amount" },
    note: "Date, Description, Amount is how American Express writes its card export; other banks use it too, so its signs are read from the rows.",
  },
  {
    name: "Discover",
    requires: ["trans date", "post date", "description", "amount", "category"],
    columns: { date: "trans date", description: "description", amount: "amount", category: "category" },
    charges: "positive",
  },
  {
    name: "Chase card",
    requires: ["transaction date", "post date", "description", "category", "type", "amount", "memo"],
    columns: {
      date: "transaction date",
      description: "description",
      category: "category",
      type: "type",
      amount: "amount",
      memo: "memo",
    },
    charges: "negative",
  },
  {
    name: "Chase checking",
    requires: ["details", "posting date", "description", "amount", "type", "balance", "check or slip"],
    columns: { date: "posting date", description: "description", amount: "amount", type: "details" },
  },
  {
    name: "Citi",
    requires: ["status", "date", "description", "debit", "credit"],
    columns: { state: "status", date: "date", description: "description", debit: "debit", credit: "credit" },
  },
  {
    name: "Capital One card",
    requires: ["transaction date", "posted date", "card no", "description", "category", "debit", "credit"],
    columns: {
      date: "transaction date",
      description: "description",
      category: "category",
      debit: "debit",
      credit: "credit",
    },
  },
  {
    name: "Capital One 360",
    requires: [
      "account number",
      "transaction description",
      "transaction date",
      "transaction type",
      "transaction amount",
      "balance",
    ],
    columns: {
      date: "transaction date",
      description: "transaction description",
      type: "transaction type",
      amount: "transaction amount",
    },
  },
  {
    name: "Revolut",
    requires: [
      "type",
      "product",
      "started date",
      "completed date",
      "description",
      "amount",
      "fee",
      "currency",
      "state",
      "balance",
    ],
    columns: {
      type: "type",
      date: "started date",
      description: "description",
      amount: "amount",
      fee: "fee",
      currency: "currency",
      state: "state",
    },
  },
  {
    name: "N26",
    requires: [
      "booking date",
      "value date",
      "partner name",
      "partner iban",
      "type",
      "payment reference",
      "account name",
      "amount eur",
    ],
    columns: {
      date: "booking date",
      merchant: "partner name",
      type: "type",
      description: "payment reference",
      amount: "amount eur",
    },
  },
  {
    name: "N26 (before 2024)",
    requires: ["date", "payee", "account number", "transaction type", "payment reference", "amount eur"],
    columns: {
      date: "date",
      merchant: "payee",
      type: "transaction type",
      description: "payment reference",
      amount: "amount eur",
    },
  },
  {
    name: "Barclays",
    requires: ["number", "date", "account", "amount", "subcategory", "memo"],
    // Memo names the counterparty; Subcategory is the bank's code (PAYMENT, DIRECTDEP, FT).
    columns: { date: "date", amount: "amount", merchant: "memo" },
    dateFormat: "eu",
  },
  {
    name: "DKB (German)",
    requires: [
      "buchungstag",
      "wertstellung",
      "buchungstext",
      "auftraggeber begunstigter",
      "verwendungszweck",
      "kontonummer",
      "blz",
      "betrag eur",
    ],
    columns: {
      date: "buchungstag",
      merchant: "auftraggeber begunstigter",
      description: "verwendungszweck",
      amount: "betrag eur",
    },
    dateFormat: "eu",
  },
  {
    name: "Sparkasse (German)",
    requires: [
      "auftragskonto",
      "buchungstag",
      "valutadatum",
      "buchungstext",
      "verwendungszweck",
      "beguenstigter zahlungspflichtiger",
      "kontonummer iban",
      "betrag",
      "waehrung",
      "info",
    ],
    columns: {
      date: "buchungstag",
      merchant: "beguenstigter zahlungspflichtiger",
      description: "verwendungszweck",
      amount: "betrag",
      currency: "waehrung",
      state: "info",
    },
    dateFormat: "eu",
  },
  {
    name: "Bank of America",
    requires: ["date", "description", "amount", "running bal"],
    exact: true,
    columns: { date: "date", description: "description", amount: "amount" },
  },
];

/** The layout a header belongs to: every required header there, the one requiring most winning. */
export function recogniseLayout(headers: readonly string[]): BankLayout | null {
  const norm = new Set(headers.map(normHeader).filter((h) => h !== ""));
  let best: BankLayout | null = null;
  for (const layout of BANK_LAYOUTS) {
    if (!layout.requires.every((h) => norm.has(h))) continue;
    if (layout.exact && norm.size !== layout.requires.length) continue;
    if (!best || layout.requires.length > best.requires.length) best = layout;
  }
  return best;
}

/** Whether a record is the header of a known layout, however few of its names are generic aliases. */
export function isLayoutHeader(cells: readonly string[]): boolean {
  return recogniseLayout(cells) !== null;
}

/** The layout's roles as column indexes of this header. */
export function layoutColumns(layout: BankLayout, headers: readonly string[]): ColumnMapping {
  const norm = headers.map(normHeader);
  const out: ColumnMapping = {};
  for (const [role, header] of Object.entries(layout.columns) as [ColumnRole, string][]) {
    const i = norm.indexOf(header);
    if (i >= 0) out[role] = i;
  }
  return out;
}

/** A layout known by its shape alone, for exports without a header. */
export interface HeaderlessLayout {
  name: string;
  matches: (rows: readonly string[][]) => boolean;
  columns: ColumnMapping;
}

export const HEADERLESS_LAYOUTS: readonly HeaderlessLayout[] = [
  {
    // "10/31/2024","-15.99","*","","RECURRING PAYMENT AUTHORIZED ON 10/30 NETFLIX.COM ..."
    name: "Wells Fargo",
    matches: (rows) =>
      rows.length > 0 &&
      rows.every(
        (r) =>
          r.length === 5 && r[2]?.trim() === "*" && looksLikeDate(r[0] ?? "") && looksLikeAmount(r[1] ?? ""),
      ),
    columns: { date: 0, amount: 1, description: 4 },
  },
];

export function recogniseHeaderless(rows: readonly string[][]): HeaderlessLayout | null {
  const sample = rows.slice(0, 50);
  return HEADERLESS_LAYOUTS.find((l) => l.matches(sample)) ?? null;
}
