import { readFileSync } from "node:fs";
import { StatementGuesses } from "@tyche/types";
import { describe, expect, it } from "vitest";
import { decodeStatement } from "../src/import/decode";
import { readStatement } from "../src/import/read-statement";
import { ImportFormatError, MAX_STATEMENT_BYTES } from "../src/import/types";

const CSV = "Date,Description,Amount\r\n2025-01-02,Café Müller,-4.50\r\n2025-01-03,Salary,100.00\r\n";

function utf16(text: string, bigEndian: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  let at = 0;
  const put = (code: number) => {
    out[at++] = bigEndian ? code >> 8 : code & 0xff;
    out[at++] = bigEndian ? code & 0xff : code >> 8;
  };
  if (bom) put(0xfeff);
  for (let i = 0; i < text.length; i++) put(text.charCodeAt(i));
  return out;
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from([...text].map((c) => c.charCodeAt(0)));
}

describe("decodeStatement", () => {
  it("reads UTF-8 with and without a byte-order mark", () => {
    const plain = new TextEncoder().encode(CSV);
    expect(decodeStatement(plain)).toMatchObject({
      text: CSV,
      encoding: { value: "utf-8", source: "detected" },
    });
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...plain]);
    const decoded = decodeStatement(bom);
    expect(decoded.text).toBe(CSV);
    expect(decoded.encoding.evidence).toBe("The file starts with a UTF-8 byte-order mark.");
  });

  it("reads UTF-16 by its byte-order mark, either way round, and without one by its zero bytes", () => {
    expect(decodeStatement(utf16(CSV, false, true))).toMatchObject({
      text: CSV,
      encoding: { value: "utf-16le" },
    });
    expect(decodeStatement(utf16(CSV, true, true))).toMatchObject({
      text: CSV,
      encoding: { value: "utf-16be" },
    });
    const bare = decodeStatement(utf16(CSV, false, false));
    expect(bare).toMatchObject({ text: CSV, encoding: { value: "utf-16le" } });
    expect(bare.encoding.evidence).toMatch(/Every other byte is zero/);
  });

  it("falls back to ISO-8859-1, or Windows-1252 when its own characters are there, and says where UTF-8 failed", () => {
    const iso = decodeStatement(latin1(CSV));
    expect(iso.text).toBe(CSV);
    expect(iso.encoding).toMatchObject({ value: "iso-8859-1", source: "detected" });
    expect(iso.encoding.evidence).toBe(
      `Not UTF-8 (byte 0xE9 at offset ${CSV.indexOf("é")}), so read as ISO-8859-1, as older European bank exports are.`,
    );
    // 0x80 is the euro sign in Windows-1252 and a control character in ISO-8859-1.
    const cp1252 = decodeStatement(
      new Uint8Array([...latin1("Betrag;"), 0x80, ...latin1(" 5,00 caf\u00e9")]),
    );
    expect(cp1252.text).toBe("Betrag;€ 5,00 café");
    expect(cp1252.encoding.value).toBe("windows-1252");
  });

  it("decodes with the encoding it is told, even against the evidence", () => {
    const forced = decodeStatement(new TextEncoder().encode("Caf\u00e9"), "windows-1252");
    expect(forced).toMatchObject({ text: "CafÃ©", encoding: { value: "windows-1252", source: "option" } });
    expect(decodeStatement(latin1("Caf\u00e9"), "utf-8").text).toBe("Caf\ufffd");
  });
});

describe("readStatement", () => {
  const read = (b: Uint8Array, fileName?: string) =>
    readStatement(b, { ...(fileName ? { fileName } : {}), accountType: "checking", options: {} });

  it("reads an ISO-8859-1 CSV from its bytes and reports how it decoded them", () => {
    const r = read(latin1(CSV), "export.csv");
    expect(r.format).toBe("csv");
    expect(r.guesses.encoding.value).toBe("iso-8859-1");
    expect(r.rows.map((x) => [x.line, x.merchantRaw, x.amount, x.direction])).toEqual([
      [2, "Café Müller", 450, "debit"],
      [3, "Salary", 10000, "credit"],
    ]);
  });

  it("returns plain data that crosses a worker boundary unchanged, and guesses the schema accepts", () => {
    for (const file of ["revolut.csv", "dkb.csv", "chase-card.qfx", "card-2.1.1.ofx"]) {
      const r = read(
        new Uint8Array(readFileSync(new URL(`./fixtures/banks/${file}`, import.meta.url))),
        file,
      );
      expect(structuredClone(r)).toEqual(r);
      expect(StatementGuesses.parse(r.guesses)).toEqual(r.guesses);
      expect(Object.keys(r).sort()).toEqual(
        ["account", "errors", "format", "guesses", "rows", "skipped"].filter(
          (k) => k !== "account" || r.account !== undefined,
        ),
      );
    }
  });

  it("says when rows are in more than one currency, and names the account's currency when they are not", () => {
    const text =
      "Type,Product,Started Date,Completed Date,Description,Amount,Fee,Currency,State,Balance\n" +
      "CARD_PAYMENT,Current,2025-03-02 12:15:33,2025-03-03 09:01:12,Tesco,-12.50,0.00,GBP,COMPLETED,1.00\n" +
      "CARD_PAYMENT,Current,2025-03-04 12:15:33,2025-03-05 09:01:12,Fnac,-20.00,0.00,EUR,COMPLETED,2.00\n";
    const mixed = read(new TextEncoder().encode(text));
    expect(mixed.account).toBeUndefined();
    expect(mixed.guesses.notes).toContain(
      "Rows are in GBP and EUR: one account holds one currency, so check the rows before importing.",
    );
  });

  it("says CSV options do not apply to an OFX file", () => {
    const bytes = new Uint8Array(
      readFileSync(new URL("./fixtures/banks/checking-1.0.2.ofx", import.meta.url)),
    );
    const r = readStatement(bytes, {
      accountType: "checking",
      options: { delimiter: ";", dateFormat: "eu" },
    });
    expect(r.guesses.notes).toEqual(["delimiter, dateFormat only apply to CSV files; this is OFX."]);
  });

  it.each([
    ["an Excel workbook", [0x50, 0x4b, 0x03, 0x04, 0x14, 0x00], /Excel workbook, not a CSV or OFX file/],
    ["a PDF", [...latin1("%PDF-1.7\n")], /This is a PDF/],
    ["an old Excel file", [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1], /old Excel workbook/],
    ["nothing", [], /The file is empty/],
  ])("refuses %s with a message saying what to do", (_what, b, message) => {
    expect(() => read(new Uint8Array(b))).toThrow(message);
  });

  it("refuses a file over the size limit without reading it", () => {
    const big = new Uint8Array(MAX_STATEMENT_BYTES + 1);
    expect(() => read(big)).toThrow("The file is 10.0 MB; bank files are limited to 10 MB.");
  });

  it("refuses what cannot be read only with ImportFormatError", () => {
    const inputs = [
      "Dear customer,\nyour statement is attached.\n",
      "OFXHEADER:100\n\n<OFX><BANKMSGSRSV1></OFX>",
      "<OFX>&#99999999999;</OFX>",
      '<?xml version="1.0"?>\n<OFX><A>&#x110000;<B>x</B></A></OFX>',
      'Date,Amount\n2025-01-02,"1.00\n',
    ];
    for (const text of inputs) {
      let error: unknown;
      try {
        read(new TextEncoder().encode(text), "x.ofx");
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(ImportFormatError);
    }
  });
});
