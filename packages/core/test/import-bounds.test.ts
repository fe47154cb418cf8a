import { describe, expect, it } from "vitest";
import { parseAmount } from "../src/import/amounts";
import { MAX_OFX_DEPTH } from "../src/import/ofx";
import { readStatement } from "../src/import/read-statement";
import { ImportFormatError, MAX_CELL_CHARS } from "../src/import/types";
import { normalizeMerchant } from "../src/merchants";

/*
 * Files built to make a reader slow: every step is linear in the input, so each of these is refused or
 * read at once. The assertions are on what happens; how fast is bench/reader.ts's business.
 */

const read = (text: string, fileName = "x.csv") =>
  readStatement(new TextEncoder().encode(text), { fileName, accountType: "checking", options: {} });

function refusal(text: string, fileName?: string): ImportFormatError {
  try {
    read(text, fileName);
  } catch (e) {
    if (e instanceof ImportFormatError) return e;
    throw e;
  }
  throw new Error("the file was read");
}

const SGML_HEADER = "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n";

describe("deeply nested OFX", () => {
  it("refuses 600 KB of nested tags by their depth, naming the line", () => {
    const text = `${SGML_HEADER}<OFX>\n${"<A>".repeat(200_000)}\n</OFX>`;
    expect(text.length).toBeGreaterThan(600_000);
    const e = refusal(text, "deep.ofx");
    expect(e.message).toBe(`This OFX file nests elements more than ${MAX_OFX_DEPTH} deep (line 6).`);
  });

  it("refuses the same nesting written as XML, with its end tags", () => {
    const text = `<?xml version="1.0"?>\n<?OFX OFXHEADER="200" VERSION="211"?>\n<OFX>\n${"<A>".repeat(100_000)}x${"</A>".repeat(100_000)}</OFX>`;
    expect(refusal(text, "deep.ofx").message).toMatch(/nests elements more than 32 deep \(line 4\)/);
  });

  it("refuses 600 KB of nested tags that never end as cut off", () => {
    const text = `${SGML_HEADER}<OFX>\n${"<A>".repeat(200_000)}`;
    expect(refusal(text, "deep.ofx").message).toMatch(/ends at line 6 without <\/OFX>/);
  });

  it("reads a tag name thousands of letters long without backtracking", () => {
    const text = `<?xml version="1.0"?>\n<OFX><A>x</B><${"A".repeat(5000)}!>y</OFX>`;
    expect(refusal(text, "x.ofx").message).toBe("This OFX file has no bank or credit-card statement.");
  });

  it("crosses text full of '<' that are not tags once", () => {
    const text = `${SGML_HEADER}<OFX><BANKMSGSRSV1>${"<".repeat(200_000)} x</BANKMSGSRSV1></OFX>`;
    expect(refusal(text, "x.ofx")).toBeInstanceOf(ImportFormatError);
  });

  it(`refuses an OFX value longer than ${MAX_CELL_CHARS.toLocaleString("en-US")} characters, naming its line`, () => {
    const text = `${SGML_HEADER}<OFX>\n<BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKTRANLIST>\n<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250101<TRNAMT>-1.00<FITID>F<NAME>${"x".repeat(20_000)}\n</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`;
    expect(refusal(text, "x.ofx").message).toMatch(
      /^This OFX file has a value of 20,000 characters at line 7/,
    );
  });
});

describe("huge CSV cells", () => {
  it("refuses a 150,000-character punctuation run in a cell, naming the line and field", () => {
    const cell = `A${"-.".repeat(75_000)}B`;
    const e = refusal(`Date,Description,Amount\n2025-01-02,Coffee,-1.00\n2025-01-03,${cell},-4.50\n`);
    expect(e.message).toBe(
      "Line 3: field 2 is 150,002 characters long; no bank statement has a field over 10,000.",
    );
    expect(e.line).toBe(3);
  });

  it("reads a punctuation run just under the bound, the merchant cut to its first words", () => {
    const cell = `A${"-.".repeat(4_900)}B`;
    const r = read(`Date,Description,Amount\n2025-01-03,${cell},-4.50\n`);
    expect(r.rows).toHaveLength(1);
    expect(r.rows[0]?.merchantRaw).toBe(cell);
    expect(normalizeMerchant(cell)).toEqual({ name: "A", key: "a" });
  });

  it("refuses a 5 MB single-cell file, quoted or not", () => {
    const huge = "x".repeat(5 * 1024 * 1024);
    expect(refusal(huge).message).toMatch(/^Line 1: field 1 is 5,242,880 characters long/);
    expect(refusal(`Date,Description,Amount\n2025-01-02,"${huge}",-1.00\n`).message).toMatch(
      /^Line 2: field 2 is 5,242,880 characters long/,
    );
    expect(refusal(`Date,Description,Amount\n2025-01-02,"${huge}`).message).toMatch(
      /^Line 2: a quoted field is never closed/,
    );
  });

  it("refuses a line of more than 500 fields before splitting it, and a file of 5 MB of commas", () => {
    const wide = `Date,Description,Amount,${Array.from({ length: 600 }, (_, i) => `x${i}`).join(",")}\n2025-01-02,Coffee,-1.00\n`;
    expect(refusal(wide).message).toBe(
      "Line 1 has more than 500 fields; no bank statement has that many columns.",
    );
    expect(refusal(`Date,Description,Amount\n${",".repeat(5 * 1024 * 1024)}`).line).toBe(2);
    const fine = `Date,Description,Amount${",x".repeat(496)}\n2025-01-02,Coffee,-1.00${",".repeat(496)}\n`;
    expect(read(fine).rows).toHaveLength(1);
  });

  it("names at most twenty headers when it cannot find a column", () => {
    const text = `${Array.from({ length: 400 }, (_, i) => `c${i}`).join(",")}\n${"x,".repeat(399)}x\n`;
    const message = refusal(text).message;
    expect(message).toContain('"c19" and 380 more. Map the columns by hand.');
    expect(message.length).toBeLessThan(400);
  });

  it("reads an amount cell of thousands of spaces as a bad amount, not by backtracking", () => {
    expect(parseAmount(`${" ".repeat(9000)}x DR`)).toEqual({
      ok: false,
      reason: "the amount is not a number (too long)",
    });
    const r = read(
      `Date,Description,Amount\n2025-01-02,Coffee,"${" ".repeat(9000)}x DR"\n2025-01-03,Tea,-1.00\n`,
    );
    // The cell is trimmed first, which a scan does in one pass.
    expect(r.errors).toEqual([{ line: 2, reason: '"x DR" is not an amount' }]);
    expect(r.rows.map((x) => x.line)).toEqual([3]);
  });

  it("reads 10,000 rows whose texts are all noise, and normalises each merchant", () => {
    const row = `2025-01-02,"${"SQ *".repeat(10)}${" STORE 1".repeat(10)} ON 02 JAN BCC",-4.50\n`;
    const r = read(`Date,Description,Amount\n${row.repeat(10_000)}`);
    expect(r.rows).toHaveLength(10_000);
    // Eight processor prefixes are taken off at most; what is left before the next "*" is the name.
    const names = new Set(r.rows.map((x) => normalizeMerchant(x.merchantRaw).name));
    expect([...names]).toEqual(["SQ"]);
  });
});
