import { centsToDecimal } from "@tyche/core";
import type { Category } from "@tyche/types";
import Papa from "papaparse";
import type { TransactionRecord } from "../db/transactions";

export const EXPORT_HEADER = [
  "Date",
  "Amount",
  "Type",
  "Category",
  "Merchant",
  "Description",
  "Tags",
  "Notes",
];

/**
 * CSV rows that Tyche's own importer reads back: ISO dates, one signed amount column (expenses
 * negative), the merchant as the bank wrote it, so a re-import normalises it the same way.
 */
export function exportRows(
  records: readonly TransactionRecord[],
  categories: ReadonlyMap<string, Category>,
): string {
  return Papa.unparse(
    records.map((r) => [
      r.date,
      centsToDecimal(r.type === "expense" ? -r.amount : r.amount),
      r.type,
      text(r.splits ? "Split" : r.categoryId ? (categories.get(r.categoryId)?.name ?? "") : ""),
      text(r.merchantRaw ?? r.merchant ?? ""),
      text(r.description),
      text(r.tags.join(" ")),
      text(r.notes),
    ]),
    { newline: "\r\n" },
  );
}

/**
 * Text that a spreadsheet would run as a formula gets a leading apostrophe (CSV injection). Only
 * text columns: a negative amount must stay a number.
 */
const text = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
