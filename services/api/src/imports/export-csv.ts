import { accountFlow, centsToDecimal, minorUnitDigits } from "@tyche/core";
import { type Category, TYCHE_EXPORT_HEADER } from "@tyche/types";
import Papa from "papaparse";
import type { StoredAccount } from "../db/accounts";
import type { TransactionRecord } from "../db/transactions";

export { TYCHE_EXPORT_HEADER } from "@tyche/types";

export type TycheExportColumn = (typeof TYCHE_EXPORT_HEADER)[number];

export const TYCHE_EXPORT_HEADER_LINE = TYCHE_EXPORT_HEADER.join(",");

/**
 * The file's rows, one per record (no header; CRLF between rows). Amounts are signed as the
 * account sees them (money out negative, on a card too: a charge is money out of the card), in the
 * account's currency with its own number of decimals. Text cells that a spreadsheet would run as a
 * formula are protected (`protectCell`), and the reader takes off exactly that.
 */
export function exportRows(
  records: readonly TransactionRecord[],
  ctx: {
    categories: ReadonlyMap<string, Category>;
    accounts: ReadonlyMap<string, StoredAccount>;
  },
): string {
  const categoryName = (id: string) => ctx.categories.get(id)?.name ?? id;
  return Papa.unparse(
    records.map((r) => {
      const account = ctx.accounts.get(r.accountId);
      const currency = account?.currency ?? "USD";
      const other = r.transfer
        ? r.transfer.direction === "out"
          ? r.transfer.toAccountId
          : r.transfer.fromAccountId
        : null;
      const row: Record<TycheExportColumn, string> = {
        "Tyche Id": r.transactionId,
        Date: r.date,
        Account: protectCell(account?.name ?? ""),
        "Account Id": r.accountId,
        Kind: r.type,
        Amount: centsToDecimal(accountFlow(r), minorUnitDigits(currency)),
        Currency: currency,
        Category: protectCell(!r.splits && r.categoryId ? categoryName(r.categoryId) : ""),
        Splits: protectCell(
          r.splits
            ? encodeSplits(
                r.splits.map((s) => ({
                  category: categoryName(s.categoryId),
                  amount: centsToDecimal(s.amount, minorUnitDigits(currency)),
                  ...(s.note !== undefined ? { note: s.note } : {}),
                })),
              )
            : "",
        ),
        Merchant: protectCell(r.merchantRaw ?? r.merchant ?? ""),
        "Merchant Name": protectCell(r.merchant ?? ""),
        Description: protectCell(r.description),
        Tags: protectCell(encodeTags(r.tags)),
        Notes: protectCell(r.notes),
        Pending: String(r.pending),
        Cleared: String(r.cleared),
        "Bank Id": protectCell(r.bankId ?? ""),
        "Transfer Account": protectCell(other ? (ctx.accounts.get(other)?.name ?? "") : ""),
        "Transfer Account Id": other ?? "",
        "Linked Id": r.transfer?.linkedTransactionId ?? "",
      };
      return TYCHE_EXPORT_HEADER.map((column) => row[column]);
    }),
    { newline: "\r\n" },
  );
}

// --- Cells: each encoder here has its decoder beside it, and decode(encode(x)) === x. ---

/**
 * A cell's first visible character: spreadsheets skip whitespace, control and invisible format
 * characters (a zero-width space, a BOM) before deciding that a cell is a formula. A tab, CR or
 * LF is not skipped: it is a lead itself.
 */
const FIRST_VISIBLE = /^(?:(?![\t\r\n])[\s\p{Cc}\p{Cf}\p{Z}])*(.)/su;

/**
 * The leads OWASP's CSV-injection guidance lists (= + - @, a tab, a CR, a LF), the apostrophe that
 * is the escape itself, and their compatibility forms (fullwidth ＝, small ﹦, superscript ⁼, and
 * the minus sign), which some spreadsheets fold to the ASCII ones.
 */
const LEADS = new Set(["=", "+", "-", "@", "\t", "\r", "\n", "'", "\u2212"]);

/** Whether a spreadsheet could read `value` as a formula, or it already starts with the escape. */
function guarded(value: string): boolean {
  const first = FIRST_VISIBLE.exec(value)?.[1];
  if (first === undefined) return false;
  return LEADS.has(first) || LEADS.has(first.normalize("NFKC").charAt(0));
}

/**
 * Text a spreadsheet would run as a formula gets a leading apostrophe (see `guarded`). So that the
 * reader can take off exactly what was added, text that itself starts with an apostrophe gets one
 * too: a note `'=1` is written `''=1` and read back as `'=1`.
 */
export function protectCell(value: string): string {
  return guarded(value) ? `'${value}` : value;
}

/**
 * The inverse of protectCell: one leading apostrophe comes off when what follows it is something
 * protectCell guards. Any other apostrophe was in the text (protectCell never adds one before
 * anything else), so a hand-written `'hello` stays as it is.
 */
export function unprotectCell(cell: string): string {
  return cell.startsWith("'") && guarded(cell.slice(1)) ? cell.slice(1) : cell;
}

/** Text between double quotes, a quote inside doubled: `"a ""b"""` is `a "b"`. */
const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** Tags separated by a space; a tag with whitespace or a quote in it is quoted. */
export function encodeTags(tags: readonly string[]): string {
  return tags.map((t) => (t === "" || /[\s"]/.test(t) ? quote(t) : t)).join(" ");
}

/** The inverse of encodeTags; throws a plain Error (the reader adds the line) for a broken cell. */
export function decodeTags(cell: string): string[] {
  const scan = new Scanner(cell);
  const tags: string[] = [];
  for (scan.skipSpaces(); !scan.done(); scan.skipSpaces()) {
    tags.push(scan.peek() === '"' ? scan.quoted() : scan.until((c) => /\s/.test(c)));
  }
  return tags;
}

/** One part of a split as the file writes it: the category's name and the amount as a decimal. */
export interface SplitCell {
  category: string;
  /** Positive, as a decimal in the currency's units: "12.34". */
  amount: string;
  note?: string;
}

/**
 * Parts as `Name=12.34`, separated by `; `. A name with `=`, `;`, a quote or surrounding spaces (or
 * an empty one) is quoted; a part's note follows its amount after a space, always quoted:
 * `Groceries=40.00; "Home; garden"=10.00 "for the fence"`.
 */
export function encodeSplits(parts: readonly SplitCell[]): string {
  return parts
    .map((p) => {
      const name = p.category === "" || /[=;"\r\n]|^\s|\s$/.test(p.category) ? quote(p.category) : p.category;
      return `${name}=${p.amount}${p.note !== undefined ? ` ${quote(p.note)}` : ""}`;
    })
    .join("; ");
}

/** The inverse of encodeSplits; throws a plain Error (the reader adds the line) for a broken cell. */
export function decodeSplits(cell: string): SplitCell[] {
  const scan = new Scanner(cell);
  const parts: SplitCell[] = [];
  while (!scan.done()) {
    const category = scan.peek() === '"' ? scan.quoted() : scan.until((c) => c === "=" || c === ";");
    scan.expect("=", `after the category "${category}"`);
    const amount = scan.until((c) => /\s/.test(c) || c === ";");
    if (!/^\d+(?:\.\d+)?$/.test(amount)) throw new Error(`"${amount}" is not an amount (in "${category}")`);
    scan.skipSpaces();
    const note = scan.peek() === '"' ? scan.quoted() : undefined;
    parts.push({ category, amount, ...(note !== undefined ? { note } : {}) });
    scan.skipSpaces();
    if (scan.done()) break;
    scan.expect(";", `after the part "${category}"`);
    scan.skipSpaces();
    if (scan.done()) throw new Error("ends with a separator and no part after it");
  }
  return parts;
}

/** A left-to-right reader of one cell: every method moves forward, so reading is linear. */
class Scanner {
  private i = 0;
  constructor(private readonly s: string) {}
  done() {
    return this.i >= this.s.length;
  }
  peek(ahead = 0) {
    return this.s[this.i + ahead];
  }
  take() {
    return this.s[this.i++];
  }
  skipSpaces() {
    while (!this.done() && /\s/.test(this.s[this.i] as string)) this.i++;
  }
  until(stop: (c: string) => boolean): string {
    const start = this.i;
    while (!this.done() && !stop(this.s[this.i] as string)) this.i++;
    return this.s.slice(start, this.i);
  }
  expect(c: string, where: string) {
    if (this.take() !== c) throw new Error(`expected "${c}" ${where}`);
  }
  quoted(): string {
    this.expect('"', "to open a quoted text");
    let out = "";
    for (;;) {
      out += this.until((c) => c === '"');
      if (this.done()) throw new Error("a quoted text is not closed");
      this.take();
      if (this.peek() !== '"') return out;
      out += '"';
      this.take();
    }
  }
}
