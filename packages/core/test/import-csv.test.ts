import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_CSV_ROWS, parseCsv } from "../src/import/csv";
import { ImportFormatError } from "../src/import/types";

const fixture = (name: string) =>
  readFileSync(new URL(`../../../services/api/test/fixtures/${name}`, import.meta.url), "utf8");

/** What a debit row and a credit row carry beyond their own fields, on an account where nothing is pending. */
const debit = { direction: "debit", type: "expense", pending: false, paymentLike: false } as const;
const credit = { direction: "credit", type: "income", pending: false, paymentLike: false } as const;

describe("parseCsv on a Chase-like card export (us-signed.csv)", () => {
  const result = parseCsv(fixture("us-signed.csv"));
  const card = parseCsv(fixture("us-signed.csv"), {}, { accountType: "credit-card" });

  it("detects the dialect", () => {
    const g = result.guesses;
    expect(g.layout?.name).toBe("Chase card");
    expect(g.delimiter).toMatchObject({ value: ",", source: "detected" });
    expect(g.header?.value).toMatchObject({ hasHeader: true, line: 1, skippedLines: 0 });
    expect(g.header?.value.headers).toHaveLength(7);
    expect(g.dateFormat).toMatchObject({ value: "us", ambiguous: false });
    expect(g.decimalSeparator?.value).toBe(".");
    expect(g.signConvention.value).toBe("negative-is-expense");
    // Transaction Date wins over Post Date; Type is known but the signs decide.
    expect(g.columns?.value).toEqual({
      date: { header: "Transaction Date", index: 0 },
      description: { header: "Description", index: 2 },
      category: { header: "Category", index: 3 },
      type: { header: "Type", index: 4 },
      amount: { header: "Amount", index: 5 },
      memo: { header: "Memo", index: 6 },
    });
    expect(g.columns?.unused).toEqual([{ header: "Post Date", index: 1 }]);
    // The same guesses under the old name, for older callers.
    expect(result.dialect).toBe(result.guesses);
  });

  it("reads every row", () => {
    expect(result.errors).toEqual([]);
    expect(result.skipped).toEqual([]);
    expect(result.rows).toHaveLength(25);
    expect(result.rows.filter((r) => r.direction === "credit")).toHaveLength(3);
    expect(result.rows.every((r) => r.type === (r.direction === "debit" ? "expense" : "income"))).toBe(true);
  });

  it("reads exact cents, signs, categories and memos", () => {
    expect(result.rows[0]).toEqual({
      ...debit,
      line: 2,
      date: "2025-02-28",
      amount: 575,
      kind: "expense",
      merchantRaw: "SQ *BLUE BOTTLE COFFEE",
      description: "SQ *BLUE BOTTLE COFFEE",
      category: "Food & Drink",
    });
    const payment = result.rows.find((r) => r.line === 8);
    expect(payment).toEqual({
      ...credit,
      line: 8,
      date: "2025-02-21",
      amount: 50000,
      kind: "income",
      merchantRaw: "AUTOMATIC PAYMENT - THANK YOU",
      description: "AUTOMATIC PAYMENT - THANK YOU",
    });
    const flight = result.rows.find((r) => r.line === 16);
    expect(flight).toMatchObject({
      amount: 120460,
      direction: "debit",
      description: "DELTA AIR LINES - Flight SEA-JFK",
    });
    expect(result.rows.find((r) => r.line === 11)).toMatchObject({ amount: 1999, direction: "credit" });
    expect(result.rows.at(-1)).toMatchObject({
      line: 26,
      date: "2025-02-01",
      amount: 2500,
      direction: "credit",
    });
  });

  it("on a card account, reads the payment as a transfer into the card and other credits as refunds", () => {
    expect(card.rows.find((r) => r.line === 8)).toMatchObject({ kind: "transfer", paymentLike: true });
    expect(card.rows.find((r) => r.line === 11)).toMatchObject({ kind: "refund", paymentLike: false });
    expect(card.rows.find((r) => r.line === 26)).toMatchObject({ kind: "refund" });
    expect(card.rows.filter((r) => r.direction === "debit").every((r) => r.kind === "expense")).toBe(true);
    expect(card.guesses.signConvention).toMatchObject({
      value: "negative-is-expense",
      decidedBy: "payment-rows",
    });
  });

  it("keeps identical rows as separate rows", () => {
    const coffees = result.rows.filter((r) => r.date === "2025-02-03");
    expect(coffees.map((r) => r.line)).toEqual([24, 25]);
  });
});

describe("parseCsv on a debit/credit bank export with broken rows (debit-credit.csv)", () => {
  const result = parseCsv(fixture("debit-credit.csv"));

  it("detects the dialect", () => {
    const g = result.guesses;
    expect(g.layout).toBeNull();
    expect(g.delimiter?.value).toBe(",");
    expect(g.header?.value).toMatchObject({
      hasHeader: true,
      headers: ["Date", "Description", "Debit", "Credit", "Balance"],
    });
    expect(g.dateFormat?.value).toBe("eu");
    expect(g.decimalSeparator?.value).toBe(".");
    expect(g.signConvention.decidedBy).toBe("debit-credit-columns");
    expect(g.columns?.value).toEqual({
      date: { header: "Date", index: 0 },
      description: { header: "Description", index: 1 },
      debit: { header: "Debit", index: 2 },
      credit: { header: "Credit", index: 3 },
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

  it("reads debits as expenses and credits as income (a refund as a refund), in exact cents", () => {
    expect(result.rows[0]).toEqual({
      ...debit,
      line: 2,
      date: "2025-03-01",
      amount: 2345,
      kind: "expense",
      merchantRaw: "TESCO STORES 3217, LONDON",
      description: "TESCO STORES 3217, LONDON",
    });
    expect(result.rows.find((r) => r.line === 4)).toMatchObject({
      amount: 245000,
      ...credit,
      kind: "income",
    });
    expect(result.rows.find((r) => r.line === 19)).toMatchObject({
      amount: 42,
      direction: "credit",
      kind: "income",
    });
    expect(result.rows.find((r) => r.line === 23)).toMatchObject({
      amount: 2999,
      direction: "credit",
      kind: "refund",
      merchantRaw: "REFUND ASOS",
    });
    // Money from another person is income, not a transfer between one's own accounts.
    expect(result.rows.find((r) => r.line === 10)).toMatchObject({ kind: "income", paymentLike: false });
    expect(result.rows.at(-1)).toMatchObject({
      line: 28,
      date: "2025-03-31",
      amount: 125000,
      direction: "debit",
      kind: "expense",
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
    const g = result.guesses;
    expect(g.delimiter?.value).toBe(";");
    expect(g.header?.value.hasHeader).toBe(true);
    expect(g.header?.value.headers?.[0]).toBe("Buchungstag");
    expect(g.dateFormat?.value).toBe("eu");
    expect(g.decimalSeparator?.value).toBe(",");
    expect(g.signConvention).toMatchObject({ value: "negative-is-expense", decidedBy: "share-of-signs" });
    expect(g.columns?.value).toMatchObject({
      date: { index: 0 },
      merchant: { index: 2 },
      description: { index: 3 },
      amount: { index: 4 },
      currency: { header: "Währung", index: 5 },
    });
    expect(result.account).toEqual({ currency: "EUR" });
    expect(result.errors).toEqual([]);
    expect(result.rows).toHaveLength(20);
  });

  it("reads exact cents and texts", () => {
    expect(result.rows[0]).toEqual({
      ...credit,
      line: 2,
      date: "2025-03-31",
      amount: 250000,
      kind: "income",
      merchantRaw: "ACME GmbH",
      description: "Gehalt März 2025",
    });
    expect(result.rows.find((r) => r.line === 3)).toMatchObject({
      amount: 5437,
      direction: "debit",
      description: "REWE SAGT DANKE; Karte 1234",
    });
    expect(result.rows.find((r) => r.line === 7)).toMatchObject({ amount: 123456, direction: "debit" });
    expect(result.rows.find((r) => r.line === 6)).toMatchObject({ amount: 1250, direction: "debit" });
    expect(result.rows.find((r) => r.line === 16)).toMatchObject({ amount: 104512, direction: "credit" });
  });
});

describe("parseCsv sign conventions", () => {
  it("treats all-positive amounts without a type column as expenses and says so", () => {
    const r = parseCsv("Date,Payee,Amount\n2025-01-02,Coffee,4.50\n2025-01-03,Lunch,12.00\n");
    expect(r.guesses.signConvention).toMatchObject({
      value: "positive-is-expense",
      decidedBy: "share-of-signs",
    });
    expect(r.guesses.signConvention.evidence).toMatch(/every row is read as an expense/);
    expect(r.rows.map((x) => [x.amount, x.direction, x.kind])).toEqual([
      [450, "debit", "expense"],
      [1200, "debit", "expense"],
    ]);
  });

  it("takes the type column when it says debit or credit, unknown values going by the sign", () => {
    const r = parseCsv(
      "Date,Description,Amount,Transaction Type\n2025-01-02,Coffee,4.50,DR\n2025-01-03,Salary,2000.00,CR\n2025-01-04,Refund,3.00,credit\n2025-01-05,Odd,1.00,XYZ\n",
    );
    expect(r.guesses.signConvention.decidedBy).toBe("type-column");
    expect(r.guesses.columns?.value.type?.index).toBe(3);
    expect(r.rows.map((x) => x.direction)).toEqual(["debit", "credit", "credit", "debit"]);
    expect(r.rows.map((x) => x.kind)).toEqual(["expense", "income", "refund", "expense"]);
  });

  it("lets the type column win over signs when it is a Debit/Credit indicator", () => {
    const r = parseCsv(
      "Date,Description,Amount,DR/CR\n2025-01-02,Coffee,-4.50,DR\n2025-01-03,Salary,-2000.00,CR\n2025-01-04,Tea,3.00,DR\n",
    );
    expect(r.guesses.signConvention.decidedBy).toBe("type-column");
    expect(r.guesses.signConvention.evidence).toContain(
      'The "DR/CR" column says debit or credit on 3 of 3 rows',
    );
    expect(r.rows.map((x) => [x.amount, x.direction])).toEqual([
      [450, "debit"],
      [200000, "credit"],
      [300, "debit"],
    ]);
  });

  it("lets the sign decide when the type column names transaction types, not debit or credit", () => {
    const r = parseCsv(
      "Date,Description,Amount,Type\n2025-01-02,Coffee,-4.50,Sale\n2025-01-03,Payment,500,Payment\n",
    );
    expect(r.guesses.signConvention.decidedBy).toBe("share-of-signs");
    expect(r.rows.map((x) => x.direction)).toEqual(["debit", "credit"]);
  });

  it("follows a forced sign convention", () => {
    const r = parseCsv("Date,Description,Amount\n2025-01-02,Coffee,4.50\n2025-01-03,Refund,-3.00\n", {
      signConvention: "positive-is-expense",
    });
    expect(r.guesses.signConvention).toMatchObject({
      value: "positive-is-expense",
      source: "option",
      decidedBy: "option",
    });
    expect(r.rows.map((x) => [x.direction, x.kind])).toEqual([
      ["debit", "expense"],
      ["credit", "refund"],
    ]);
    const neg = parseCsv("Date,Description,Amount\n2025-01-02,Salary,4.50\n", {
      signConvention: "negative-is-expense",
    });
    expect(neg.rows[0]).toMatchObject({ direction: "credit", kind: "income" });
  });
});

describe("parseCsv detection", () => {
  it("reads files without a header by sniffing the columns", () => {
    const r = parseCsv("2025-01-02,STARBUCKS #123,-4.50,1000.00\n2025-01-03,PAYROLL ACME,2000.00,3000.00\n");
    expect(r.guesses.header?.value).toMatchObject({ hasHeader: false, line: null, headers: null });
    expect(r.guesses.columns?.value).toEqual({
      date: { header: null, index: 0 },
      amount: { header: null, index: 2 },
      description: { header: null, index: 1 },
    });
    expect(r.guesses.columns?.evidence).toMatch(/by what the cells hold/);
    expect(r.rows).toEqual([
      {
        ...debit,
        line: 1,
        date: "2025-01-02",
        amount: 450,
        kind: "expense",
        merchantRaw: "STARBUCKS #123",
        description: "STARBUCKS #123",
      },
      {
        ...credit,
        line: 2,
        date: "2025-01-03",
        amount: 200000,
        kind: "income",
        merchantRaw: "PAYROLL ACME",
        description: "PAYROLL ACME",
      },
    ]);
  });

  it("sniffs debit/credit columns without a header", () => {
    const r = parseCsv("02/01/2025,Shop,12.00,\n02/02/2025,Pay,,100.00\n02/03/2025,Cafe,3.50,\n");
    expect(r.guesses.signConvention.decidedBy).toBe("debit-credit-columns");
    expect(r.rows.map((x) => [x.amount, x.direction])).toEqual([
      [1200, "debit"],
      [10000, "credit"],
      [350, "debit"],
    ]);
  });

  it("does not take a column of check numbers for a second money column", () => {
    const r = parseCsv("01/02/2025,-12.00,1001,Shop\n01/03/2025,-3.50,,Cafe\n01/04/2025,100.00,,Pay\n");
    expect(r.guesses.columns?.value.amount?.index).toBe(1);
    expect(r.guesses.columns?.value.debit).toBeUndefined();
    expect(r.rows.map((x) => [x.amount, x.direction])).toEqual([
      [1200, "debit"],
      [350, "debit"],
      [10000, "credit"],
    ]);
  });

  it("skips preamble lines above the header", () => {
    const text =
      "Account:;DE12 3456\nFrom:;01.01.2025\n\nDatum;Empfänger;Verwendungszweck;Betrag (EUR)\n02.01.2025;REWE;Einkauf;-12,50\n";
    const r = parseCsv(text);
    expect(r.guesses.header?.value).toMatchObject({ line: 4, skippedLines: 3 });
    expect(r.guesses.header?.evidence).toContain(
      "The 3 lines above it (the bank's account summary) are not read",
    );
    expect(r.account).toEqual({ bankAccountId: "DE12 3456", currency: "EUR" });
    expect(r.rows).toEqual([
      {
        ...debit,
        line: 5,
        date: "2025-01-02",
        amount: 1250,
        kind: "expense",
        merchantRaw: "REWE",
        description: "Einkauf",
      },
    ]);
  });

  it("skips the lines it is told to, and reads the header after them", () => {
    const text =
      "Date,Description,Amount\nsummary,of,nothing\nDate,Description,Amount\n2025-01-02,Coffee,-4.50\n";
    const r = parseCsv(text, { skipLines: 2 });
    expect(r.guesses.header).toMatchObject({ source: "option", value: { line: 3, skippedLines: 2 } });
    expect(r.rows.map((x) => x.line)).toEqual([4]);
  });

  it.each([
    ["\t", "Date\tDescription\tAmount\n2025-01-02\tCoffee\t-4.50\n"],
    ["|", "Date|Description|Amount\n2025-01-02|Coffee|-4.50\n"],
    [";", "Date;Description;Amount\n2025-01-02;Coffee, large;-4,50\n"],
  ])("detects %j as the delimiter", (delimiter, text) => {
    const r = parseCsv(text);
    expect(r.guesses.delimiter?.value).toBe(delimiter);
    expect(r.rows[0]?.amount).toBe(450);
  });

  it("reports ambiguous day/month order and honours an override", () => {
    const text = "Date,Description,Amount\n01/02/2025,Coffee,-4.50\n03/04/2025,Tea,-3.00\n";
    const detected = parseCsv(text);
    expect(detected.guesses.dateFormat).toMatchObject({
      value: "us",
      ambiguous: true,
      overrideWith: ["dateFormat"],
    });
    expect(detected.guesses.dateFormat?.evidence).toMatch(/MM\/DD\/YYYY/);
    expect(detected.rows.map((r) => r.date)).toEqual(["2025-01-02", "2025-03-04"]);
    const forced = parseCsv(text, { dateFormat: "eu" });
    expect(forced.guesses.dateFormat).toMatchObject({ value: "eu", ambiguous: false, source: "option" });
    expect(forced.rows.map((r) => r.date)).toEqual(["2025-02-01", "2025-04-03"]);
  });

  it("maps headers with units, accents and other languages", () => {
    const r = parseCsv("Fecha;Concepto;Importe (EUR);Saldo\n02/01/2025;Mercadona;-23,10;100,00\n");
    expect(r.guesses.columns?.value).toEqual({
      date: { header: "Fecha", index: 0 },
      description: { header: "Concepto", index: 1 },
      amount: { header: "Importe (EUR)", index: 2 },
    });
    // "/" alone would say month-first; the decimal comma says day-first.
    expect(r.guesses.dateFormat).toMatchObject({ value: "eu", ambiguous: true });
    expect(r.guesses.dateFormat?.evidence).toContain("amounts use a decimal comma");
    expect(r.guesses.decimalSeparator?.value).toBe(",");
    expect(r.rows[0]).toMatchObject({ date: "2025-01-02", amount: 2310, direction: "debit" });
    const money = parseCsv("Posted Date,Payee,Memo,Money Out,Money In\n2025-01-02,Shop,,9.99,\n");
    expect(money.guesses.columns?.value).toEqual({
      date: { header: "Posted Date", index: 0 },
      merchant: { header: "Payee", index: 1 },
      memo: { header: "Memo", index: 2 },
      debit: { header: "Money Out", index: 3 },
      credit: { header: "Money In", index: 4 },
    });
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
    expect(r.guesses.columns?.value).toEqual({
      date: { header: "When", index: 0 },
      description: { header: "What", index: 1 },
      debit: { header: "Out", index: 2 },
      credit: { header: "In", index: 3 },
    });
    expect(r.guesses.columns?.source).toBe("option");
    expect(r.guesses.delimiter?.source).toBe("option");
    expect(r.guesses.decimalSeparator?.source).toBe("option");
    expect(r.rows.map((x) => [x.date, x.amount, x.direction, x.description])).toEqual([
      ["2025-01-02", 450, "debit", "Coffee"],
      ["2025-01-03", 200000, "credit", "Salary"],
    ]);
  });

  it("switches a detected debit/credit layout to a signed amount column and back", () => {
    const base = "Date,Description,Debit,Credit,Net\n2025-01-02,Coffee,4.50,,-4.50\n";
    expect(parseCsv(base).guesses.signConvention.decidedBy).toBe("debit-credit-columns");
    const signed = parseCsv(base, { columns: { amount: "Net" } });
    expect(signed.guesses.signConvention.decidedBy).toBe("share-of-signs");
    expect(signed.guesses.columns?.value).toEqual({
      date: { header: "Date", index: 0 },
      description: { header: "Description", index: 1 },
      amount: { header: "Net", index: 4 },
    });
    expect(signed.rows[0]).toMatchObject({ amount: 450, direction: "debit" });
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
  it("reports zero and missing values and stray quotes, and still reads the rest", () => {
    const text = [
      "Date,Description,Amount",
      "2025-01-02,Zero,0.00",
      ",No date,-1.00",
      "2025-01-03,No amount,",
      "2025-01-04,Good,-2.00",
      '2025-01-05,"Stray" quote",-3.00',
    ].join("\n");
    const r = parseCsv(text);
    expect(r.rows.map((x) => x.line)).toEqual([5]);
    expect(r.errors).toEqual([
      { line: 2, reason: "the amount is zero" },
      { line: 3, reason: "the date is empty" },
      { line: 4, reason: "the amount is empty" },
      { line: 6, reason: "a quoted field has text after its closing quote" },
    ]);
  });

  // It used to be one broken row; but an unclosed quote swallows every line after it into one cell,
  // and is what a file cut off inside a quoted field looks like: the file is refused, with its line.
  it("refuses a file whose quoted field is never closed, naming its line", () => {
    const text =
      'Date,Description,Amount\n2025-01-04,Good,-2.00\n2025-01-05,"Unclosed,-3.00\n2025-01-06,Lost,-1.00\n';
    expect(() => parseCsv(text)).toThrow(/^Line 3: a quoted field is never closed/);
    try {
      parseCsv(text);
    } catch (e) {
      expect(e).toBeInstanceOf(ImportFormatError);
      expect((e as ImportFormatError).line).toBe(3);
    }
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

  // 100,001 rows in all; see the note on the OFX one: speed is bench/reader.ts's business.
  it(`reads ${MAX_CSV_ROWS} rows and refuses one more`, { timeout: 60_000 }, () => {
    const row = "2025-01-02,Coffee,-4.50\n";
    const ok = parseCsv(`Date,Description,Amount\n${row.repeat(MAX_CSV_ROWS)}`);
    expect(ok.rows).toHaveLength(MAX_CSV_ROWS);
    expect(ok.rows.at(-1)?.line).toBe(MAX_CSV_ROWS + 1);
    expect(() => parseCsv(`Date,Description,Amount\n${row.repeat(MAX_CSV_ROWS + 1)}`)).toThrow(
      /more than 50,000 rows/,
    );
  });
});
