import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_CSV_ROWS, parseCsv } from "../src/import/csv";
import { ImportFormatError } from "../src/import/types";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../services/api/test/fixtures/${name}`, import.meta.url), "utf8");

describe("parseCsv on a Chase-like card export (us-signed.csv)", () => {
  const result = parseCsv(fixture("us-signed.csv"));

  it("detects the dialect", () => {
    expect(result.dialect).toMatchObject({
      delimiter: ",",
      hasHeader: true,
      headerLine: 1,
      columnCount: 7,
      dateFormat: "us",
      dateFormatAmbiguous: false,
      decimalSeparator: ".",
      amountMode: "signed",
      signConvention: "negative-is-expense",
      allAmountsPositive: false,
      typeFromColumn: false,
    });
    // Transaction Date wins over Post Date; Type is known but the signs decide.
    expect(result.dialect.columns).toEqual({
      date: 0,
      category: 3,
      description: 2,
      type: 4,
      amount: 5,
      memo: 6,
    });
  });

  it("reads every row", () => {
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(25);
    expect(result.rows.filter((r) => r.type === "income")).toHaveLength(3);
  });

  it("reads exact cents, signs, categories and memos", () => {
    expect(result.rows[0]).toEqual({
      line: 2,
      date: "2025-02-28",
      amount: 575,
      type: "expense",
      merchantRaw: "SQ *BLUE BOTTLE COFFEE",
      description: "SQ *BLUE BOTTLE COFFEE",
      category: "Food & Drink",
    });
    const payment = result.rows.find((r) => r.line === 8);
    expect(payment).toEqual({
      line: 8,
      date: "2025-02-21",
      amount: 50000,
      type: "income",
      merchantRaw: "AUTOMATIC PAYMENT - THANK YOU",
      description: "AUTOMATIC PAYMENT - THANK YOU",
    });
    const flight = result.rows.find((r) => r.line === 16);
    expect(flight).toMatchObject({
      amount: 120460,
      type: "expense",
      description: "DELTA AIR LINES - Flight SEA-JFK",
    });
    expect(result.rows.find((r) => r.line === 11)).toMatchObject({ amount: 1999, type: "income" });
    expect(result.rows.at(-1)).toMatchObject({ line: 26, date: "2025-02-01", amount: 2500, type: "income" });
  });

  it("keeps identical rows as separate rows", () => {
    const coffees = result.rows.filter((r) => r.date === "2025-02-03");
    expect(coffees.map((r) => r.line)).toEqual([24, 25]);
  });
});

describe("parseCsv on a debit/credit bank export with broken rows (debit-credit.csv)", () => {
  const result = parseCsv(fixture("debit-credit.csv"));

  it("detects the dialect", () => {
    expect(result.dialect).toMatchObject({
      delimiter: ",",
      hasHeader: true,
      headers: ["Date", "Description", "Debit", "Credit", "Balance"],
      dateFormat: "eu",
      decimalSeparator: ".",
      amountMode: "debit-credit",
      columns: { date: 0, description: 1, debit: 2, credit: 3 },
    });
  });

  it("reports each broken row with its line and reason, and reads the rest", () => {
    expect(result.errors).toEqual([
      { line: 11, reason: '"30/02/2025" is not a valid date (expected DD/MM/YYYY)' },
      { line: 15, reason: 'debit: "12..50" is not an amount' },
      { line: 20, reason: "no amount: debit and credit are both empty" },
      { line: 21, reason: "expected 5 columns, found 4" },
    ]);
    expect(result.rows).toHaveLength(21);
  });

  it("reads debits as expenses and credits as income, in exact cents", () => {
    expect(result.rows[0]).toEqual({
      line: 2,
      date: "2025-03-01",
      amount: 2345,
      type: "expense",
      merchantRaw: "TESCO STORES 3217, LONDON",
      description: "TESCO STORES 3217, LONDON",
    });
    expect(result.rows.find((r) => r.line === 4)).toMatchObject({ amount: 245000, type: "income" });
    expect(result.rows.find((r) => r.line === 19)).toMatchObject({ amount: 42, type: "income" });
    expect(result.rows.at(-1)).toMatchObject({
      line: 28,
      date: "2025-03-31",
      amount: 125000,
      type: "expense",
    });
  });

  it("handles quoted commas, escaped quotes, a field spanning two lines and a blank line", () => {
    expect(result.rows.find((r) => r.line === 14)?.merchantRaw).toBe('DELIVEROO "FRIDAY" ORDER');
    expect(result.rows.find((r) => r.line === 16)).toMatchObject({
      date: "2025-03-18",
      amount: 340,
      merchantRaw: "COFFEE #1, BRISTOL ROAD",
    });
    expect(result.rows.find((r) => r.line === 18)?.merchantRaw).toBe("BOOTS 1234");
    expect(result.rows.some((r) => r.line === 8)).toBe(false);
    expect(result.rows.find((r) => r.line === 9)?.date).toBe("2025-03-12");
  });
});

describe("parseCsv on a German export (european.csv)", () => {
  const result = parseCsv(fixture("european.csv"));

  it("detects semicolons, day-first dates and decimal commas, past a BOM and CRLF", () => {
    expect(result.dialect).toMatchObject({
      delimiter: ";",
      hasHeader: true,
      dateFormat: "eu",
      decimalSeparator: ",",
      amountMode: "signed",
      signConvention: "negative-is-expense",
      columns: { date: 0, merchant: 2, description: 3, amount: 4 },
    });
    expect(result.dialect.headers?.[0]).toBe("Buchungstag");
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(20);
  });

  it("reads exact cents and texts", () => {
    expect(result.rows[0]).toEqual({
      line: 2,
      date: "2025-03-31",
      amount: 250000,
      type: "income",
      merchantRaw: "ACME GmbH",
      description: "Gehalt März 2025",
    });
    expect(result.rows.find((r) => r.line === 3)).toMatchObject({
      amount: 5437,
      type: "expense",
      description: "REWE SAGT DANKE; Karte 1234",
    });
    expect(result.rows.find((r) => r.line === 7)).toMatchObject({ amount: 123456, type: "expense" });
    expect(result.rows.find((r) => r.line === 6)).toMatchObject({ amount: 1250, type: "expense" });
    expect(result.rows.find((r) => r.line === 16)).toMatchObject({ amount: 104512, type: "income" });
  });
});

describe("parseCsv sign conventions", () => {
  it("treats all-positive amounts without a type column as expenses and says so", () => {
    const r = parseCsv("Date,Payee,Amount\n2025-01-02,Coffee,4.50\n2025-01-03,Lunch,12.00\n");
    expect(r.dialect.signConvention).toBe("positive-is-expense");
    expect(r.dialect.allAmountsPositive).toBe(true);
    expect(r.dialect.notes.join(" ")).toMatch(/every row is read as an expense/);
    expect(r.rows.map((x) => [x.amount, x.type])).toEqual([
      [450, "expense"],
      [1200, "expense"],
    ]);
  });

  it("takes the type column when every amount is positive", () => {
    const r = parseCsv(
      "Date,Description,Amount,Transaction Type\n2025-01-02,Coffee,4.50,DR\n2025-01-03,Salary,2000.00,CR\n2025-01-04,Refund,3.00,credit\n2025-01-05,Odd,1.00,XYZ\n",
    );
    expect(r.dialect.typeFromColumn).toBe(true);
    expect(r.dialect.columns.type).toBe(3);
    expect(r.rows.map((x) => x.type)).toEqual(["expense", "income", "income", "expense"]);
  });

  it("lets the sign decide when there are negatives, whatever the type column says", () => {
    const r = parseCsv(
      "Date,Description,Amount,Type\n2025-01-02,Coffee,-4.50,Sale\n2025-01-03,Payment,500,Payment\n",
    );
    expect(r.dialect.typeFromColumn).toBe(false);
    expect(r.rows.map((x) => x.type)).toEqual(["expense", "income"]);
  });

  it("follows a forced sign convention", () => {
    const r = parseCsv("Date,Description,Amount\n2025-01-02,Coffee,4.50\n2025-01-03,Refund,-3.00\n", {
      signConvention: "positive-is-expense",
    });
    expect(r.dialect.signConvention).toBe("positive-is-expense");
    expect(r.dialect.allAmountsPositive).toBe(false);
    expect(r.rows.map((x) => x.type)).toEqual(["expense", "income"]);
    const neg = parseCsv("Date,Description,Amount\n2025-01-02,Salary,4.50\n", {
      signConvention: "negative-is-expense",
    });
    expect(neg.rows[0]?.type).toBe("income");
  });
});

describe("parseCsv detection", () => {
  it("reads files without a header by sniffing the columns", () => {
    const r = parseCsv("2025-01-02,STARBUCKS #123,-4.50,1000.00\n2025-01-03,PAYROLL ACME,2000.00,3000.00\n");
    expect(r.dialect.hasHeader).toBe(false);
    expect(r.dialect.headers).toBeNull();
    expect(r.dialect.columns).toEqual({ date: 0, amount: 2, description: 1 });
    expect(r.rows).toEqual([
      {
        line: 1,
        date: "2025-01-02",
        amount: 450,
        type: "expense",
        merchantRaw: "STARBUCKS #123",
        description: "STARBUCKS #123",
      },
      {
        line: 2,
        date: "2025-01-03",
        amount: 200000,
        type: "income",
        merchantRaw: "PAYROLL ACME",
        description: "PAYROLL ACME",
      },
    ]);
  });

  it("sniffs debit/credit columns without a header", () => {
    const r = parseCsv("02/01/2025,Shop,12.00,\n02/02/2025,Pay,,100.00\n02/03/2025,Cafe,3.50,\n");
    expect(r.dialect.amountMode).toBe("debit-credit");
    expect(r.rows.map((x) => [x.amount, x.type])).toEqual([
      [1200, "expense"],
      [10000, "income"],
      [350, "expense"],
    ]);
  });

  it("skips preamble lines above the header", () => {
    const text =
      "Account:;DE12 3456\nFrom:;01.01.2025\n\nDatum;Empfänger;Verwendungszweck;Betrag (EUR)\n02.01.2025;REWE;Einkauf;-12,50\n";
    const r = parseCsv(text);
    expect(r.dialect.headerLine).toBe(4);
    expect(r.dialect.notes).toContain("The header is on line 4; 2 row(s) above it were skipped.");
    expect(r.rows).toEqual([
      {
        line: 5,
        date: "2025-01-02",
        amount: 1250,
        type: "expense",
        merchantRaw: "REWE",
        description: "Einkauf",
      },
    ]);
  });

  it.each([
    ["\t", "Date\tDescription\tAmount\n2025-01-02\tCoffee\t-4.50\n"],
    ["|", "Date|Description|Amount\n2025-01-02|Coffee|-4.50\n"],
    [";", "Date;Description;Amount\n2025-01-02;Coffee, large;-4,50\n"],
  ])("detects %j as the delimiter", (delimiter, text) => {
    const r = parseCsv(text);
    expect(r.dialect.delimiter).toBe(delimiter);
    expect(r.rows[0]?.amount).toBe(450);
  });

  it("reports ambiguous day/month order and honours an override", () => {
    const text = "Date,Description,Amount\n01/02/2025,Coffee,-4.50\n03/04/2025,Tea,-3.00\n";
    const detected = parseCsv(text);
    expect(detected.dialect).toMatchObject({ dateFormat: "us", dateFormatAmbiguous: true });
    expect(detected.dialect.notes.join(" ")).toMatch(/MM\/DD\/YYYY/);
    expect(detected.rows.map((r) => r.date)).toEqual(["2025-01-02", "2025-03-04"]);
    const forced = parseCsv(text, { dateFormat: "eu" });
    expect(forced.dialect).toMatchObject({ dateFormat: "eu", dateFormatAmbiguous: false });
    expect(forced.rows.map((r) => r.date)).toEqual(["2025-02-01", "2025-04-03"]);
  });

  it("maps headers with units, accents and other languages", () => {
    const r = parseCsv("Fecha;Concepto;Importe (EUR);Saldo\n02/01/2025;Mercadona;-23,10;100,00\n");
    expect(r.dialect.columns).toEqual({ date: 0, description: 1, amount: 2 });
    // "/" alone would say month-first; the decimal comma says day-first.
    expect(r.dialect).toMatchObject({ dateFormat: "eu", dateFormatAmbiguous: true, decimalSeparator: "," });
    expect(r.rows[0]).toMatchObject({ date: "2025-01-02", amount: 2310, type: "expense" });
    const money = parseCsv("Posted Date,Payee,Memo,Money Out,Money In\n2025-01-02,Shop,,9.99,\n");
    expect(money.dialect.columns).toEqual({ date: 0, merchant: 1, memo: 2, debit: 3, credit: 4 });
  });

  it("never takes a balance column as the amount", () => {
    expect(() => parseCsv("Date,Description,Balance\n2025-01-02,Coffee,100.00\n")).toThrow(
      /no amount column/,
    );
  });

  it("accepts a trailing delimiter on every line", () => {
    const r = parseCsv("Date,Description,Amount,\n2025-01-02,Coffee,-4.50,\n2025-01-03,Tea,-3.00\n");
    expect(r.rows).toHaveLength(2);
    expect(r.errors).toEqual([]);
  });

  it("counts lines through CRLF, blank and whitespace-only lines", () => {
    const r = parseCsv(
      "Date,Description,Amount\r\n\r\n2025-01-02,Coffee,-4.50\r\n   \r\n,,\r\n2025-01-03,Tea,-3.00\r\n",
    );
    expect(r.errors).toEqual([]);
    expect(r.rows.map((x) => x.line)).toEqual([3, 6]);
  });
});

describe("parseCsv overrides", () => {
  const text = "When;What;Out;In;Kind\n2025-01-02;Coffee;4,50;;x\n2025-01-03;Salary;;2.000,00;y\n";

  it("maps columns by header name or index and forces delimiter, header and separator", () => {
    const r = parseCsv(text, {
      delimiter: ";",
      hasHeader: true,
      decimalSeparator: ",",
      columns: { date: "when", description: 1, debit: "OUT", credit: 3 },
    });
    expect(r.dialect.columns).toEqual({ date: 0, description: 1, debit: 2, credit: 3 });
    expect(r.rows.map((x) => [x.date, x.amount, x.type, x.description])).toEqual([
      ["2025-01-02", 450, "expense", "Coffee"],
      ["2025-01-03", 200000, "income", "Salary"],
    ]);
  });

  it("switches a detected debit/credit layout to a signed amount column and back", () => {
    const base = "Date,Description,Debit,Credit,Net\n2025-01-02,Coffee,4.50,,-4.50\n";
    expect(parseCsv(base).dialect.amountMode).toBe("debit-credit");
    const signed = parseCsv(base, { columns: { amount: "Net" } });
    expect(signed.dialect.amountMode).toBe("signed");
    expect(signed.dialect.columns).toEqual({ date: 0, description: 1, amount: 4 });
    expect(signed.rows[0]).toMatchObject({ amount: 450, type: "expense" });
  });

  it("removes a role mapped to null and reads a header row as data when told there is none", () => {
    const r = parseCsv("Date,Description,Amount,Category\n2025-01-02,Coffee,-4.50,Food\n", {
      columns: { category: null },
    });
    expect(r.rows[0]?.category).toBeUndefined();
    const noHeader = parseCsv("2025-01-02,Coffee,-4.50\n", {
      hasHeader: false,
      columns: { date: 0, amount: 2, description: 1 },
    });
    expect(noHeader.rows).toHaveLength(1);
  });

  it("refuses columns that do not exist", () => {
    expect(() => parseCsv(text, { columns: { date: "Datum" } })).toThrow(ImportFormatError);
    expect(() => parseCsv(text, { columns: { date: 9 } })).toThrow(/does not exist/);
    expect(() => parseCsv("2025-01-02,Coffee,-4.50\n", { columns: { date: "Date" } })).toThrow(
      /no header row/,
    );
  });

  it("forces the decimal separator", () => {
    const text = 'Date,Description,Amount\n2025-01-02,Coffee,"1,234"\n2025-01-03,Tea,"1,5"\n';
    expect(parseCsv(text, { decimalSeparator: "." }).rows.map((r) => r.amount)).toEqual([123400]);
    const comma = parseCsv(text, { decimalSeparator: "," });
    expect(comma.errors).toEqual([{ line: 2, reason: '"1,234" has more than 2 decimals' }]);
    expect(comma.rows.map((r) => r.amount)).toEqual([150]);
  });
});

describe("parseCsv row errors", () => {
  it("reports zero and missing values and unclosed quotes, and still reads the rest", () => {
    const text = [
      "Date,Description,Amount",
      "2025-01-02,Zero,0.00",
      ",No date,-1.00",
      "2025-01-03,No amount,",
      "2025-01-04,Good,-2.00",
      '2025-01-05,"Unclosed,-3.00',
    ].join("\n");
    const r = parseCsv(text);
    expect(r.rows.map((x) => x.line)).toEqual([5]);
    expect(r.errors).toEqual([
      { line: 2, reason: "the amount is zero" },
      { line: 3, reason: "the date is empty" },
      { line: 4, reason: "the amount is empty" },
      { line: 6, reason: "a quoted field is not closed" },
    ]);
  });
});

describe("parseCsv refuses what is not a CSV statement", () => {
  it.each([
    ["empty", ""],
    ["whitespace", "  \n\n  "],
    ["NUL bytes", "Date,Amount\n2025-01-02\u0000,1.00\n"],
    ["UTF-16 read as UTF-8", "D\u0000a\u0000t\u0000e\u0000"],
    ["control characters", "\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008abc"],
    ["prose", "Dear customer,\nyour statement is attached.\nKind regards\n"],
    ["a header and no rows", "Date,Description,Amount\n"],
    ["no readable row", "Date,Description,Amount\nsoon,Coffee,-4.50\nlater,Tea,-1.00\n"],
  ])("%s", (_name, text) => {
    expect(() => parseCsv(text)).toThrow(ImportFormatError);
  });

  it("names the first problem when no row can be read", () => {
    expect(() => parseCsv("Date,Description,Amount\n2025-02-30,Coffee,-4.50\n")).toThrow(
      'No row has a readable date and amount (line 2: "2025-02-30" is not a valid date (expected YYYY-MM-DD)).',
    );
  });

  it(`reads ${MAX_CSV_ROWS} rows and refuses one more`, () => {
    const row = "2025-01-02,Coffee,-4.50\n";
    const ok = parseCsv(`Date,Description,Amount\n${row.repeat(MAX_CSV_ROWS)}`);
    expect(ok.rows).toHaveLength(MAX_CSV_ROWS);
    expect(ok.rows.at(-1)?.line).toBe(MAX_CSV_ROWS + 1);
    expect(() => parseCsv(`Date,Description,Amount\n${row.repeat(MAX_CSV_ROWS + 1)}`)).toThrow(
      /more than 50,000 rows/,
    );
  });
});
