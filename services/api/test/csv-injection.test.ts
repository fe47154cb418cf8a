import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { exportRows, protectCell, TYCHE_EXPORT_HEADER_LINE, unprotectCell } from "../src/imports/export-csv";
import { readTycheExport } from "../src/imports/tyche-export";
import { storedAccount, transactionRecord } from "./support/records";

/**
 * The test's own model of what a spreadsheet runs as a formula, written from OWASP's CSV-injection
 * guidance and not from the writer: skip whitespace and invisible characters, then a cell whose
 * first character is = + - @ (or a compatibility form of one), a tab, a CR or a LF is a formula.
 */
const INVISIBLE = new Set([
  0x00ad, 0x061c, 0x180e, 0x200b, 0x200c, 0x200d, 0x200e, 0x200f, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064,
  0xfeff, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069,
]);
const FORMULA_LEADS = new Map<number, string>([
  [0x3d, "="],
  [0xff1d, "="],
  [0xfe66, "="],
  [0x207c, "="],
  [0x208c, "="],
  [0x2b, "+"],
  [0xff0b, "+"],
  [0xfe62, "+"],
  [0x207a, "+"],
  [0x208a, "+"],
  [0x2d, "-"],
  [0xff0d, "-"],
  [0xfe63, "-"],
  [0x2212, "-"],
  [0x207b, "-"],
  [0x208b, "-"],
  [0x40, "@"],
  [0xff20, "@"],
  [0xfe6b, "@"],
  [0x09, "tab"],
  [0x0d, "cr"],
  [0x0a, "lf"],
]);
const isBlank = (cp: number) =>
  cp === 0x20 ||
  cp === 0xa0 ||
  cp === 0x3000 ||
  (cp >= 0x2000 && cp <= 0x200a) ||
  cp === 0x2028 ||
  cp === 0x2029 ||
  cp === 0x202f ||
  cp === 0x205f ||
  cp === 0x0b ||
  cp === 0x0c ||
  cp < 0x20 ||
  (cp >= 0x7f && cp <= 0x9f);

function runsAsFormula(cell: string): boolean {
  for (const ch of cell) {
    const cp = ch.codePointAt(0) as number;
    if (FORMULA_LEADS.has(cp)) return true;
    if (isBlank(cp) || INVISIBLE.has(cp)) continue;
    return false;
  }
  return false;
}

const PROBE = [
  "=1+1",
  " =1+1",
  "   +1",
  "\u200b=1+1",
  "\ufeff=1+1",
  "\u2060@SUM(A1)",
  "＝1+1",
  "﹦1+1",
  "＋1",
  "－1",
  "＠SUM(A1)",
  "\n=1+1",
  "\r=1+1",
  "\t=1+1",
  "\u00a0\u3000=1",
  "−5",
];

/** Strings made mostly of the characters that matter here, so the property meets them often. */
const tricky = fc
  .array(
    fc.oneof(
      fc.constantFrom(" ", "\t", "\r", "\n", "\u200b", "\ufeff", "\u00a0", "\u2060", "'", "=", "+", "-", "@"),
      fc.constantFrom("＝", "﹦", "＋", "－", "＠", "−", "⁼", "a", "1", '"', ","),
      fc.string({ maxLength: 3, unit: "grapheme" }),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(""));

const ACCOUNT = storedAccount("01JAAAAAAAAAAAAAAAAAAAAAAA", "Checking");
/** One row with `text` in every free-text column. */
const record = (i: number, text: string) =>
  transactionRecord(`01JF${String(i).padStart(22, "0")}`, ACCOUNT.accountId, {
    amount: 100 + i,
    merchant: text,
    merchantRaw: text,
    description: text,
    notes: text,
  });

const csv = (texts: readonly string[]) =>
  `${TYCHE_EXPORT_HEADER_LINE}\r\n${exportRows(
    texts.map((t, i) => record(i, t)),
    { categories: new Map(), accounts: new Map([[ACCOUNT.accountId, ACCOUNT]]) },
  )}\r\n`;

describe("CSV export against formula injection", () => {
  it("neutralises every lead the probe found, and reads each back as written", () => {
    for (const value of PROBE) {
      expect(runsAsFormula(value), JSON.stringify(value)).toBe(true);
      expect(protectCell(value), JSON.stringify(value)).toBe(`'${value}`);
      expect(unprotectCell(protectCell(value))).toBe(value);
    }
    const rows = readTycheExport(csv(PROBE));
    expect(rows.map((r) => r.notes)).toEqual(PROBE);
    expect(rows.map((r) => r.description)).toEqual(PROBE);
    expect(rows.map((r) => r.merchant)).toEqual(PROBE);
  });

  it("leaves ordinary text alone", () => {
    for (const value of ["Coffee", " coffee ", "a=b", "1+1", "\u200bcafe", "", "’quote"]) {
      expect(protectCell(value)).toBe(value);
    }
  });

  it("never writes a cell the model reads as a formula, and the reader gets back exactly what was written", () => {
    fc.assert(
      fc.property(tricky, (value) => {
        const written = protectCell(value);
        // what a spreadsheet sees: the escape first, or nothing that starts a formula
        if (runsAsFormula(value)) expect(written).toBe(`'${value}`);
        expect(written.startsWith("'") || !runsAsFormula(written)).toBe(true);
        expect(unprotectCell(written)).toBe(value);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.array(tricky, { minLength: 1, maxLength: 5 }), (values) => {
        const rows = readTycheExport(csv(values));
        expect(rows.map((r) => [r.notes, r.description, r.merchant])).toEqual(values.map((v) => [v, v, v]));
      }),
      { numRuns: 300 },
    );
  });
});
