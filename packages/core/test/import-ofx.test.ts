import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectFormat } from "../src/import/detect";
import { MAX_OFX_DEPTH, parseOfx, sgmlToXml } from "../src/import/ofx";
import { ImportFormatError } from "../src/import/types";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../services/api/test/fixtures/${name}`, import.meta.url), "utf8");

const SGML_HEADER =
  "OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\nSECURITY:NONE\nENCODING:USASCII\nCHARSET:1252\n\n";

function sgml(transactions: string, acct = "<CCACCTFROM><ACCTID>9999</CCACCTFROM>"): string {
  return `${SGML_HEADER}<OFX>
<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>1<STATUS><CODE>0<SEVERITY>INFO</STATUS>
<CCSTMTRS><CURDEF>EUR
${acct}
<BANKTRANLIST><DTSTART>20250101<DTEND>20250131
${transactions}
</BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1></OFX>`;
}

describe("parseOfx on an OFX 1.x SGML credit-card statement (statement.ofx)", () => {
  const result = parseOfx(fixture("statement.ofx"));

  it("reads the account, currency and every transaction", () => {
    expect(result.accountId).toBe("4111222233334444");
    expect(result.currency).toBe("USD");
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(15);
    expect(result.rows.filter((r) => r.direction === "credit").map((r) => r.fitId)).toEqual([
      "320250208006",
      "320250213010",
    ]);
    expect(result.layout.name).toBe("OFX 1.0.2 (SGML)");
    expect(result.signConvention).toMatchObject({ value: "negative-is-expense", decidedBy: "ofx" });
  });

  it("reads exact cents, dates, names and memos, empty elements included", () => {
    expect(result.rows[0]).toEqual({
      line: 42,
      date: "2025-02-03",
      amount: 475,
      direction: "debit",
      kind: "expense",
      type: "expense",
      merchantRaw: "SQ *BLUE BOTTLE COFFEE",
      description: "SQ *BLUE BOTTLE COFFEE",
      bankId: "320250203001",
      pending: false,
      paymentLike: false,
      fitId: "320250203001",
      accountId: "4111222233334444",
    });
    expect(result.rows[1]).toMatchObject({
      line: 50,
      merchantRaw: "H&M 0123 NEW YORK",
      description: "Clothing",
    });
    expect(result.rows[5]).toMatchObject({
      amount: 75000,
      direction: "credit",
      kind: "income",
      merchantRaw: "PAYMENT - THANK YOU",
    });
    // The same row on the card it belongs to is a payment into the card.
    expect(parseOfx(fixture("statement.ofx"), { accountType: "credit-card" }).rows[5]).toMatchObject({
      kind: "transfer",
      paymentLike: true,
    });
    expect(result.rows[7]).toMatchObject({ date: "2025-02-11", amount: 120460, direction: "debit" });
    expect(result.rows[11]).toMatchObject({ merchantRaw: "APPLE.COM/BILL", description: "iCloud <200GB>" });
    expect(result.rows[13]).toMatchObject({ merchantRaw: "LATE FEE", amount: 3900, direction: "debit" });
    expect(result.rows.at(-1)).toMatchObject({ line: 152, fitId: "320250220015", amount: 2783 });
  });
});

describe("parseOfx on an OFX 2.x XML bank statement (statement-v2.qfx)", () => {
  const result = parseOfx(fixture("statement-v2.qfx"));

  it("reads the account, currency and every transaction", () => {
    expect(result.accountId).toBe("000123456789");
    expect(result.currency).toBe("USD");
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(16);
    const income = result.rows.filter((r) => r.direction === "credit");
    expect(income.map((r) => r.amount)).toEqual([315000, 4500, 87]);
    expect(result.layout.name).toBe("QFX (Quicken, INTU.BID 12345)");
    expect(result.layout.evidence).toContain("OFX 2.2.0 (XML)");
  });

  it("reads exact rows, a PAYEE aggregate and entities", () => {
    expect(result.rows[0]).toEqual({
      line: 36,
      date: "2025-03-01",
      amount: 315000,
      direction: "credit",
      kind: "income",
      type: "income",
      merchantRaw: "ACME CORP PAYROLL",
      description: "PPD ID: 1234567890",
      bankId: "2025030100001",
      pending: false,
      paymentLike: false,
      fitId: "2025030100001",
      accountId: "000123456789",
    });
    expect(result.rows[5]).toMatchObject({
      merchantRaw: "PG&E WEB ONLINE",
      amount: 8640,
      direction: "debit",
    });
    expect(result.rows[9]).toMatchObject({ merchantRaw: "VENMO", description: "VENMO CASHOUT", line: 109 });
    expect(result.rows[15]).toMatchObject({ description: "Beans & cups", amount: 2950, line: 157 });
  });
});

describe("parseOfx edge cases", () => {
  it("reads one transaction (not an array) and mixed closed/unclosed SGML leaves", () => {
    const r = parseOfx(
      sgml(
        "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20250105<TRNAMT>-12,50<FITID>A1</FITID><NAME>Café &amp; Co<MEMO></MEMO></STMTTRN>",
      ),
    );
    expect(r.currency).toBe("EUR");
    expect(r.accountId).toBe("9999");
    expect(r.rows).toEqual([
      {
        line: 13,
        date: "2025-01-05",
        amount: 1250,
        direction: "debit",
        kind: "expense",
        type: "expense",
        merchantRaw: "Café & Co",
        description: "Café & Co",
        bankId: "A1",
        pending: false,
        paymentLike: false,
        fitId: "A1",
        accountId: "9999",
      },
    ]);
  });

  it("reports unreadable transactions with their line and keeps the rest", () => {
    const r = parseOfx(
      sgml(
        [
          "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250230<TRNAMT>-1.00<FITID>B1<NAME>Bad date</STMTTRN>",
          "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250102<TRNAMT>0.00<FITID>B2<NAME>Zero</STMTTRN>",
          "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250103<TRNAMT>-1.00<NAME>No id</STMTTRN>",
          "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250104<TRNAMT>abc<FITID>B4<NAME>Bad amount</STMTTRN>",
          "<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20250105<TRNAMT>+7.5<FITID>B5<MEMO>Memo only</STMTTRN>",
        ].join("\n"),
      ),
    );
    expect(r.errors).toEqual([
      { line: 13, reason: '"20250230" is not a valid date' },
      { line: 14, reason: "the amount is zero" },
      { line: 15, reason: "the transaction has no FITID" },
      { line: 16, reason: '"abc" is not an amount' },
    ]);
    expect(r.rows).toMatchObject([
      { line: 17, amount: 750, direction: "credit", merchantRaw: "Memo only", description: "Memo only" },
    ]);
  });

  it("reads bank and card statements from one file, each row with its account", () => {
    const text = `${SGML_HEADER}<OFX>
<BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STMTRS><CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>CHK-1<ACCTTYPE>CHECKING</BANKACCTFROM>
<BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250101<TRNAMT>-1.00<FITID>X<NAME>One</STMTTRN>
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250102<TRNAMT>-2.00<FITID>Y<NAME>Two</STMTTRN></BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1>
<CREDITCARDMSGSRSV1><CCSTMTTRNRS><TRNUID>2<CCSTMTRS><CURDEF>USD<CCACCTFROM><ACCTID>CC-2</CCACCTFROM>
<BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250103<TRNAMT>-3.00<FITID>X<NAME>Three</STMTTRN></BANKTRANLIST></CCSTMTRS></CCSTMTTRNRS></CREDITCARDMSGSRSV1>
</OFX>`;
    const r = parseOfx(text);
    expect(r.accountId).toBe("CHK-1");
    expect(r.rows.map((x) => [x.line, x.accountId, x.fitId, x.amount])).toEqual([
      [10, "CHK-1", "X", 100],
      [11, "CHK-1", "Y", 200],
      [13, "CC-2", "X", 300],
    ]);
  });

  it("keeps line numbers right when an investment statement comes first", () => {
    const text = `${SGML_HEADER}<OFX>
<INVSTMTMSGSRSV1><INVSTMTTRNRS><INVSTMTRS><INVTRANLIST><INVBANKTRAN>
<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>20250101<TRNAMT>9.00<FITID>I</STMTTRN>
</INVBANKTRAN></INVTRANLIST></INVSTMTRS></INVSTMTTRNRS></INVSTMTMSGSRSV1>
<BANKMSGSRSV1><STMTTRNRS><STMTRS><BANKACCTFROM><ACCTID>1</BANKACCTFROM><BANKTRANLIST>
<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250102<TRNAMT>-1.00<FITID>B<NAME>Bank</STMTTRN>
</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`;
    expect(parseOfx(text).rows.map((r) => [r.line, r.fitId])).toEqual([[13, "B"]]);
  });

  it("reads XML with lower-case tags, and XML that is not well-formed", () => {
    const xml = `<?xml version="1.0"?><?OFX OFXHEADER="200" VERSION="211"?>
<ofx><bankmsgsrsv1><stmttrnrs><stmtrs><curdef>CAD</curdef><bankacctfrom><acctid>42</acctid></bankacctfrom>
<banktranlist><stmttrn><trntype>DEBIT</trntype><dtposted>20250101</dtposted><trnamt>-5.00</trnamt><fitid>F</fitid><name>Tim Hortons</name></stmttrn></banktranlist>
</stmtrs></stmttrnrs></bankmsgsrsv1></ofx>`;
    expect(parseOfx(xml).rows).toMatchObject([{ line: 3, amount: 500, merchantRaw: "Tim Hortons" }]);
    const broken = xml.replace("<name>Tim Hortons</name>", "<name>Tim & Co<memo></memo>");
    expect(parseOfx(broken).rows).toMatchObject([{ amount: 500, merchantRaw: "Tim & Co" }]);
  });

  // It reads 100,001 transactions in all; on a busy machine that passes vitest's 5 s. Speed is measured
  // by bench/reader.ts, not here.
  it("refuses more than 50,000 transactions", { timeout: 60_000 }, () => {
    const one = "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20250102<TRNAMT>-1.00<FITID>F<NAME>X</STMTTRN>\n";
    expect(parseOfx(sgml(one.repeat(50_000))).rows).toHaveLength(50_000);
    expect(() => parseOfx(sgml(one.repeat(50_001)))).toThrow(/more than 50,000 transactions/);
  });

  it("returns no rows for a statement without transactions", () => {
    const r = parseOfx(sgml(""));
    expect(r).toMatchObject({
      accountId: "9999",
      currency: "EUR",
      ledgerBalance: null,
      rows: [],
      skipped: [],
      errors: [],
    });
  });

  it("refuses what is not a bank or card statement", () => {
    expect(() => parseOfx("Date,Amount\n2025-01-01,1.00\n")).toThrow(ImportFormatError);
    expect(() => parseOfx("")).toThrow(/no <OFX> element/);
    expect(() =>
      parseOfx(`${SGML_HEADER}<OFX><SIGNONMSGSRSV1><SONRS><LANGUAGE>ENG</SONRS></SIGNONMSGSRSV1></OFX>`),
    ).toThrow(/no bank or credit-card statement/);
    expect(() =>
      parseOfx(
        `${SGML_HEADER}<OFX><INVSTMTMSGSRSV1><INVSTMTTRNRS><TRNUID>1</INVSTMTTRNRS></INVSTMTMSGSRSV1></OFX>`,
      ),
    ).toThrow(/investment statement/);
  });
});

describe("sgmlToXml", () => {
  it("closes leaves, keeps aggregates and turns skipped-over open elements into empty leaves", () => {
    expect(sgmlToXml("<A><B>1<C><D>x &amp; y</D><E></A>")).toBe("<A><B>1</B><C/><D>x &amp; y</D><E/></A>");
    expect(sgmlToXml("<A><B>1 < 2?</B></A>")).toBe("<A><B>1 &lt; 2?</B></A>");
    expect(sgmlToXml("<A><B/>\n<C>v</A></Z>")).toBe("<A><B/><C>v</C></A>");
  });

  it("keeps what a truncated file holds", () => {
    expect(sgmlToXml("<OFX><A><B>1<C>")).toBe("<OFX><A><B>1</B><C/></A></OFX>");
  });
});

describe("detectFormat", () => {
  it("tells OFX by content, and by extension when the content does not say", () => {
    expect(detectFormat("x.csv", fixture("statement.ofx"))).toBe("ofx");
    expect(detectFormat(undefined, fixture("statement-v2.qfx"))).toBe("ofx");
    expect(detectFormat(undefined, "\uFEFF  <OFX><BANKMSGSRSV1>")).toBe("ofx");
    expect(detectFormat("export.QFX", "garbage")).toBe("ofx");
    expect(detectFormat("statement.ofx ", "")).toBe("ofx");
    expect(detectFormat("statement.csv", fixture("us-signed.csv"))).toBe("csv");
    expect(detectFormat(undefined, fixture("european.csv"))).toBe("csv");
  });

  it("refuses elements nested deeper than any statement, naming the line, in SGML and in XML", () => {
    const sgml = `OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>\n${"<A>".repeat(100_000)}\n</OFX>`;
    expect(() => parseOfx(sgml)).toThrow(`nests elements more than ${MAX_OFX_DEPTH} deep (line 6)`);
    const xml = `<?xml version="1.0"?>\n<?OFX OFXHEADER="200" VERSION="211"?>\n<OFX>\n${"<A>".repeat(50_000)}x${"</A>".repeat(50_000)}</OFX>`;
    expect(() => parseOfx(xml)).toThrow(ImportFormatError);
  });
});
