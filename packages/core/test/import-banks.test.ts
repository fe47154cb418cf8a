import { readFileSync } from "node:fs";
import type { AccountType, ImportOptions } from "@tyche/types";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { readStatement } from "../src/import/read-statement";
import { ImportFormatError, type StatementReading } from "../src/import/types";
import { normalizeMerchant } from "../src/merchants";

/*
 * Each bank's export as that bank writes it (test/fixtures/banks, described in its README), read through
 * readStatement from its bytes, and checked row by row: line, date, cents, direction, kind, the merchant
 * as the bank wrote it and as it is shown.
 */

const bytes = (name: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/banks/${name}`, import.meta.url)));

function read(name: string, accountType: AccountType, options: ImportOptions = {}): StatementReading {
  return readStatement(bytes(name), { fileName: name, accountType, options });
}

type Row = [
  line: number,
  date: string,
  cents: number,
  direction: string,
  kind: string,
  raw: string,
  shown: string,
];

const table = (r: StatementReading): Row[] =>
  r.rows.map((x) => [
    x.line,
    x.date,
    x.amount,
    x.direction,
    x.kind,
    x.merchantRaw,
    normalizeMerchant(x.merchantRaw).name,
  ]);

/**
 * The bank's own running balance moves by exactly each row's signed amount: the strongest evidence that
 * directions and fees were read right. `newestFirst` is the order the bank lists rows in.
 */
function expectBalancesFollow(r: StatementReading, file: string, column: number, newestFirst: boolean): void {
  const text = new TextDecoder().decode(bytes(file)).replace(/^\uFEFF/, "");
  // These fixtures have no cell spanning lines, so record n is line n.
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  const balanceAt = new Map<number, number>();
  let line = 1;
  for (const cells of parsed.data) {
    const value = cells[column]?.replace(/[",]/g, "");
    if (value && /^-?\d+\.\d{2}$/.test(value)) balanceAt.set(line, Math.round(Number(value) * 100));
    line++;
  }
  const settled = r.rows.filter((x) => balanceAt.has(x.line));
  expect(settled.length).toBeGreaterThan(2);
  for (let i = 1; i < settled.length; i++) {
    const [older, newer] = newestFirst ? [settled[i], settled[i - 1]] : [settled[i - 1], settled[i]];
    if (!older || !newer) continue;
    const signed = newer.direction === "credit" ? newer.amount : -newer.amount;
    expect(balanceAt.get(newer.line), `line ${newer.line}`).toBe((balanceAt.get(older.line) ?? 0) + signed);
  }
}

describe("American Express (charges positive, Date,Description,Amount)", () => {
  const r = read("amex.csv", "credit-card");

  it("says why charges are positive, in words", () => {
    expect(r.format).toBe("csv");
    expect(r.guesses.layout?.name).toBe("American Express");
    expect(r.guesses.signConvention).toMatchObject({
      value: "positive-is-expense",
      decidedBy: "payment-rows",
      overrideWith: ["signConvention"],
      evidence:
        "12 of 14 amounts are positive and the two negative rows read AUTOPAY PAYMENT - THANK YOU and ONLINE PAYMENT - THANK YOU: charges look positive.",
    });
    expect(r.guesses.dateFormat).toMatchObject({ value: "us", ambiguous: false });
  });

  it("reads charges as expenses and payments as transfers into the card, row by row", () => {
    expect(r.errors).toEqual([]);
    expect(r.skipped).toEqual([]);
    expect(table(r)).toEqual([
      [2, "2025-03-28", 575, "debit", "expense", "BLUE BOTTLE COFFEE OAKLAND CA", "Blue Bottle Coffee"],
      [3, "2025-03-27", 4218, "debit", "expense", "AMAZON MARKETPLACE NA PA", "Amazon"],
      [
        4,
        "2025-03-26",
        125000,
        "credit",
        "transfer",
        "AUTOPAY PAYMENT - THANK YOU",
        "Autopay Payment - Thank You",
      ],
      [5, "2025-03-25", 41260, "debit", "expense", "DELTA AIR LINES ATLANTA", "Delta Air Lines Atlanta"],
      [6, "2025-03-24", 2345, "debit", "expense", "UBER *TRIP HELP.UBER.COM", "Uber"],
      [7, "2025-03-22", 8712, "debit", "expense", "WHOLEFDS MKT 10234 SEATTLE WA", "Whole Foods Market"],
      [8, "2025-03-20", 1549, "debit", "expense", "NETFLIX.COM LOS GATOS CA", "Netflix"],
      [9, "2025-03-18", 1800, "debit", "expense", "SQ *JOES PIZZA NEW YORK NY", "Joes Pizza"],
      [10, "2025-03-15", 5430, "debit", "expense", "SHELL OIL 57444212500 SEATTLE WA", "Shell Oil"],
      [
        11,
        "2025-03-14",
        30000,
        "credit",
        "transfer",
        "ONLINE PAYMENT - THANK YOU",
        "Online Payment - Thank You",
      ],
      [12, "2025-03-12", 9640, "debit", "expense", "TST* THE PINK DOOR SEATTLE WA", "The Pink Door"],
      [13, "2025-03-10", 299, "debit", "expense", "APPLE.COM/BILL 866-712-7753 CA", "Apple"],
      [14, "2025-03-08", 6321, "debit", "expense", "TRADER JOE'S #552 SEATTLE WA", "Trader Joe's"],
      [
        15,
        "2025-03-05",
        123456,
        "debit",
        "expense",
        "AMEX EXPRESS CHECKOUT 800-555-1212",
        "Amex Express Checkout",
      ],
    ]);
    expect(r.rows.filter((x) => x.paymentLike).map((x) => x.line)).toEqual([4, 11]);
    expect(r.rows.every((x) => !x.pending && x.fee === undefined)).toBe(true);
  });

  it("follows signConvention when told the signs are the other way", () => {
    const flipped = read("amex.csv", "credit-card", { signConvention: "negative-is-expense" });
    expect(flipped.guesses.signConvention).toMatchObject({ source: "option", decidedBy: "option" });
    expect(flipped.rows[0]).toMatchObject({ direction: "credit", kind: "refund" });
    expect(flipped.rows[2]).toMatchObject({ direction: "debit", kind: "expense" });
  });
});

describe("American Express extended export (Extended Details, Reference, multi-line cells)", () => {
  const r = read("amex-extended.csv", "credit-card");

  it("reads each row across its multi-line cells, with the Reference as bank id and the category", () => {
    expect(r.errors).toEqual([]);
    expect(table(r)).toEqual([
      [2, "2025-04-03", 575, "debit", "expense", "BLUE BOTTLE COFFEE OAKLAND CA", "Blue Bottle Coffee"],
      [
        6,
        "2025-04-02",
        98000,
        "credit",
        "transfer",
        "AUTOPAY PAYMENT - THANK YOU",
        "Autopay Payment - Thank You",
      ],
      [7, "2025-04-01", 1999, "credit", "refund", "AMAZON MARKETPLACE NA PA", "Amazon"],
      [11, "2025-03-30", 8712, "debit", "expense", "WHOLEFDS MKT 10234 SEATTLE WA", "Whole Foods Market"],
      [15, "2025-03-29", 41260, "debit", "expense", "DELTA AIR LINES ATLANTA", "Delta Air Lines Atlanta"],
    ]);
    expect(r.rows.map((x) => x.bankId)).toEqual([
      "320250930123456789",
      "320250920000000001",
      "320250910456789012",
      "320250890111111111",
      "320250880222222222",
    ]);
    expect(r.rows[0]?.category).toBe("Restaurant-Restaurant");
    expect(r.guesses.signConvention.evidence).toBe(
      "3 of 5 amounts are positive and one of the two negative rows reads like a card payment (AUTOPAY PAYMENT - THANK YOU): charges look positive.",
    );
  });

  it("never takes the card member, the address or the city for the merchant", () => {
    const unused = r.guesses.columns?.unused.map((c) => c.header);
    expect(unused).toEqual(
      expect.arrayContaining(["Card Member", "Account #", "Address", "City/State", "Zip Code", "Country"]),
    );
  });

  it("knows the layout's charges are positive even on an account that is not a card", () => {
    const onChecking = read("amex-extended.csv", "checking");
    expect(onChecking.guesses.signConvention).toMatchObject({
      value: "positive-is-expense",
      decidedBy: "layout",
    });
    expect(onChecking.guesses.signConvention.evidence).toContain("(the account is checking, not a card)");
    expect(onChecking.rows[0]).toMatchObject({ direction: "debit", kind: "expense" });
  });
});

describe("Discover (charges positive, Trans. Date,Post Date,Description,Amount,Category)", () => {
  const r = read("discover.csv", "credit-card");

  it("reads charges, payments, a merchant credit and a cashback credit", () => {
    expect(r.guesses.layout?.name).toBe("Discover");
    expect(r.guesses.signConvention).toMatchObject({
      value: "positive-is-expense",
      decidedBy: "payment-rows",
    });
    expect(r.guesses.signConvention.evidence).toBe(
      "6 of 10 amounts are positive and two of the four negative rows read like card payments (INTERNET PAYMENT - THANK YOU and DIRECTPAY FULL BALANCE): charges look positive.",
    );
    expect(table(r)).toEqual([
      [2, "2025-03-02", 4567, "debit", "expense", "SAFEWAY #1234 SEATTLE WA", "Safeway"],
      [
        3,
        "2025-03-04",
        50000,
        "credit",
        "transfer",
        "INTERNET PAYMENT - THANK YOU",
        "Internet Payment - Thank You",
      ],
      [4, "2025-03-06", 3820, "debit", "expense", "SHELL OIL 57444212500 SEATTLE WA", "Shell Oil"],
      [5, "2025-03-09", 2999, "debit", "expense", "AMAZON.COM*2K4LL1 AMZN.COM/BILLWA", "Amazon"],
      [6, "2025-03-12", 2999, "credit", "refund", "AMAZON.COM*2K4LL1 AMZN.COM/BILLWA", "Amazon"],
      [
        7,
        "2025-03-15",
        2500,
        "credit",
        "refund",
        "CASHBACK BONUS REDEMPTION PYMT/STMT CRDT",
        "Cashback Bonus Redemption Pymt/Stmt Crdt",
      ],
      [8, "2025-03-18", 575, "debit", "expense", "SQ *BLUE BOTTLE COFFEE OAKLAND CA", "Blue Bottle Coffee"],
      [9, "2025-03-21", 8999, "debit", "expense", "COMCAST CABLE COMM 800-266-2278 WA", "Comcast Cable Comm"],
      [10, "2025-03-25", 15000, "credit", "transfer", "DIRECTPAY FULL BALANCE", "Directpay Full Balance"],
      [11, "2025-03-28", 21040, "debit", "expense", "ALASKA AIR 0272123456789 SEATTLE WA", "Alaska Air"],
    ]);
    expect(r.rows[1]?.category).toBe("Payments and Credits");
  });
});

describe("Chase card (charges negative, Transaction Date,Post Date,Description,Category,Type,Amount,Memo)", () => {
  const r = read("chase-card.csv", "credit-card");

  it("reads charges as expenses, payments as transfers and a return as a refund", () => {
    expect(r.guesses.layout?.name).toBe("Chase card");
    expect(r.guesses.signConvention).toMatchObject({
      value: "negative-is-expense",
      decidedBy: "payment-rows",
    });
    expect(r.guesses.signConvention.evidence).toBe(
      "8 of 11 amounts are negative and two of the three positive rows read like card payments (AUTOMATIC PAYMENT - THANK YOU and Payment Thank You-Mobile): charges look negative.",
    );
    expect(table(r)).toEqual([
      [2, "2025-03-28", 575, "debit", "expense", "SQ *BLUE BOTTLE COFFEE", "Blue Bottle Coffee"],
      [3, "2025-03-27", 4218, "debit", "expense", "AMZN Mktp US*2K4LL1", "Amazon"],
      [
        4,
        "2025-03-25",
        150000,
        "credit",
        "transfer",
        "AUTOMATIC PAYMENT - THANK YOU",
        "Automatic Payment - Thank You",
      ],
      [5, "2025-03-24", 645, "debit", "expense", "STARBUCKS STORE 01234 SEATTLE WA", "Starbucks"],
      [6, "2025-03-22", 1549, "debit", "expense", "PAYPAL *NETFLIX", "Netflix"],
      [7, "2025-03-20", 1999, "credit", "refund", "AMZN Mktp US*2K4LL1", "Amazon"],
      [8, "2025-03-18", 120460, "debit", "expense", "DELTA AIR LINES, ATLANTA", "Delta Air Lines, Atlanta"],
      [9, "2025-03-15", 9500, "debit", "expense", "ANNUAL MEMBERSHIP FEE", "Annual Membership Fee"],
      [10, "2025-03-12", 1800, "debit", "expense", "TST* JOES PIZZA #123", "Joes Pizza"],
      [11, "2025-03-10", 8712, "debit", "expense", "WHOLEFDS MKT 10234", "Whole Foods Market"],
      [12, "2025-03-05", 25000, "credit", "transfer", "Payment Thank You-Mobile", "Payment Thank You-Mobile"],
    ]);
    expect(r.rows.find((x) => x.line === 8)?.description).toBe("DELTA AIR LINES, ATLANTA - Flight SEA-JFK");
  });

  it("reads the same statement as QFX the same way, with the bank's FITID, dated by posting", () => {
    const qfx = read("chase-card.qfx", "credit-card");
    expect(qfx.format).toBe("ofx");
    expect(qfx.guesses.layout).toEqual({
      name: "QFX (Quicken, INTU.BID 10898)",
      evidence:
        "The file is OFX 1.0.2 (SGML) with Intuit's INTU.BID element, as Quicken Web Connect files are.",
    });
    expect(qfx.account).toEqual({
      bankAccountId: "4111222233331234",
      currency: "USD",
      ledgerBalance: { amount: -170495, date: "2025-03-31" },
    });
    expect(table(qfx)).toEqual([
      [42, "2025-03-30", 575, "debit", "expense", "SQ *BLUE BOTTLE COFFEE", "Blue Bottle Coffee"],
      [49, "2025-03-28", 4218, "debit", "expense", "AMZN Mktp US*2K4LL1", "Amazon"],
      [
        56,
        "2025-03-25",
        150000,
        "credit",
        "transfer",
        "AUTOMATIC PAYMENT - THANK",
        "Automatic Payment - Thank",
      ],
      [63, "2025-03-26", 645, "debit", "expense", "STARBUCKS STORE 01234 SEATT", "Starbucks"],
      [70, "2025-03-22", 1549, "debit", "expense", "PAYPAL *NETFLIX", "Netflix"],
      [78, "2025-03-22", 1999, "credit", "refund", "AMZN Mktp US*2K4LL1", "Amazon"],
      [85, "2025-03-19", 120460, "debit", "expense", "DELTA AIR LINES, ATLANTA", "Delta Air Lines, Atlanta"],
      [93, "2025-03-15", 9500, "debit", "expense", "ANNUAL MEMBERSHIP FEE", "Annual Membership Fee"],
      [100, "2025-03-13", 1800, "debit", "expense", "TST* JOES PIZZA #123", "Joes Pizza"],
      [107, "2025-03-11", 8712, "debit", "expense", "WHOLEFDS MKT 10234", "Whole Foods Market"],
      [
        114,
        "2025-03-05",
        25000,
        "credit",
        "transfer",
        "Payment Thank You-Mobile",
        "Payment Thank You-Mobile",
      ],
    ]);
    expect(qfx.rows[0]?.bankId).toBe("2025033024692165089000001");
    // Row for row the CSV's amounts, directions and kinds: what reconciliation needs to match them.
    const key = (x: { amount: number; direction: string; kind: string }) =>
      `${x.amount} ${x.direction} ${x.kind}`;
    expect(qfx.rows.map(key)).toEqual(r.rows.map(key));
  });
});

describe("Chase checking (Details,Posting Date,...; a trailing comma on every row)", () => {
  const r = read("chase-checking.csv", "checking");

  it("lets the Details column decide, and tells card payments and own transfers from spending", () => {
    expect(r.guesses.layout?.name).toBe("Chase checking");
    expect(r.guesses.signConvention).toMatchObject({ decidedBy: "type-column" });
    expect(r.guesses.signConvention.evidence).toContain(
      'The "Details" column says debit or credit on 11 of 11 rows',
    );
    expect(r.errors).toEqual([]);
    expect(table(r)).toEqual([
      [
        2,
        "2024-11-15",
        245000,
        "credit",
        "income",
        "ACME CORP PAYROLL PPD ID: 1234567890",
        "Acme Corp Payroll",
      ],
      [
        3,
        "2024-11-14",
        150000,
        "debit",
        "transfer",
        "CHASE CREDIT CRD AUTOPAY PPD ID: 4760039224",
        "Chase Credit CRD Autopay",
      ],
      [
        4,
        "2024-11-13",
        25000,
        "debit",
        "transfer",
        "Payment to Chase card ending in 1234 11/13",
        "Payment To Chase Card Ending In",
      ],
      [
        5,
        "2024-11-12",
        50000,
        "debit",
        "transfer",
        "Online Transfer to SAV ...5678 transaction#: 12345678901 11/12",
        "Online Transfer To SAV",
      ],
      [
        6,
        "2024-11-08",
        575,
        "debit",
        "expense",
        "SQ *BLUE BOTTLE COFFEE OAKLAND CA 11/07",
        "Blue Bottle Coffee",
      ],
      [7, "2024-11-07", 120000, "debit", "expense", "CHECK 1042", "Check"],
      [8, "2024-11-06", 4218, "credit", "refund", "AMAZON.COM REFUND AMZN.COM/BILL WA 11/05", "Amazon"],
      [9, "2024-11-05", 30000, "credit", "income", "REMOTE ONLINE DEPOSIT # 1", "Remote Online Deposit"],
      [
        10,
        "2024-11-04",
        6000,
        "credit",
        "income",
        "Zelle payment from JOHN SMITH WFCT0ABC1234",
        "John Smith",
      ],
      [11, "2024-11-04", 4000, "debit", "expense", "Zelle payment to Jane Doe JPM99abc1234", "Jane Doe"],
      [12, "2024-11-01", 1200, "debit", "expense", "MONTHLY SERVICE FEE", "Monthly Service Fee"],
    ]);
    expect(r.rows.filter((x) => x.paymentLike).map((x) => x.line)).toEqual([3, 4, 5]);
  });

  it("moves the bank's running balance by exactly each row", () => {
    expectBalancesFollow(r, "chase-checking.csv", 5, true);
  });
});

describe("Citi (Status,Date,Description,Debit,Credit; credits negative in the Credit column)", () => {
  const r = read("citi.csv", "credit-card");

  it("takes the column, not the sign, and marks the pending row", () => {
    expect(r.guesses.layout?.name).toBe("Citi");
    expect(r.guesses.signConvention).toMatchObject({ decidedBy: "debit-credit-columns" });
    expect(table(r)).toEqual([
      [2, "2025-03-29", 2345, "debit", "expense", "UBER *TRIP HELP.UBER.COM CA", "Uber"], // pending
      [
        3,
        "2025-03-27",
        50000,
        "credit",
        "transfer",
        "ONLINE PAYMENT, THANK YOU",
        "Online Payment, Thank You",
      ],
      [4, "2025-03-25", 8712, "debit", "expense", "WHOLEFDS MKT 10234 SEATTLE WA", "Whole Foods Market"],
      [5, "2025-03-22", 1999, "credit", "refund", "AMAZON.COM*AB1CD2EF3 AMZN.COM/BILL WA", "Amazon"],
      [6, "2025-03-20", 1099, "debit", "expense", "PAYPAL *SPOTIFY 4029357733 CA", "Spotify"],
      [7, "2025-03-18", 105430, "debit", "expense", "SHELL OIL 57444212500 SEATTLE WA", "Shell Oil"],
    ]);
    expect(r.rows.map((x) => x.pending)).toEqual([true, false, false, false, false, false]);
  });
});

describe("Capital One card (Transaction Date,Posted Date,Card No.,Description,Category,Debit,Credit)", () => {
  const r = read("capital-one.csv", "credit-card");

  it("reads Debit as charges and Credit as payments or refunds, never the card number", () => {
    expect(r.guesses.layout?.name).toBe("Capital One card");
    expect(r.guesses.columns?.unused.map((c) => c.header)).toEqual(["Posted Date", "Card No."]);
    expect(table(r)).toEqual([
      [2, "2025-03-28", 1800, "debit", "expense", "TST* JOES PIZZA", "Joes Pizza"],
      [3, "2025-03-27", 50000, "credit", "transfer", "CAPITAL ONE MOBILE PYMT", "Capital One Mobile Pymt"],
      [4, "2025-03-25", 1549, "debit", "expense", "NETFLIX.COM", "Netflix"],
      [5, "2025-03-22", 6432, "debit", "expense", "TARGET 00012345", "Target"],
      [6, "2025-03-21", 1200, "credit", "refund", "TARGET 00012345", "Target"],
      [7, "2025-03-18", 575, "debit", "expense", "SQ *BLUE BOTTLE COFFEE", "Blue Bottle Coffee"],
      [8, "2025-03-15", 25000, "credit", "transfer", "CAPITAL ONE AUTOPAY PYMT", "Capital One Autopay Pymt"],
    ]);
  });
});

describe("Capital One 360 checking, saved again by Excel: UTF-8 BOM, CRLF, a Debit/Credit type column", () => {
  const r = read("capital-one-360-bom-crlf.csv", "checking");

  it("drops the BOM, counts CRLF lines and lets Transaction Type decide over unsigned amounts", () => {
    expect(r.guesses.encoding).toMatchObject({
      value: "utf-8",
      evidence: "The file starts with a UTF-8 byte-order mark.",
    });
    expect(r.guesses.header?.value.headers?.[0]).toBe("Account Number");
    expect(r.guesses.signConvention.decidedBy).toBe("type-column");
    expect(r.guesses.dateFormat).toMatchObject({ value: "us" });
    expect(table(r)).toEqual([
      [2, "2025-03-15", 245000, "credit", "income", "Deposit from ACME CORP PAYROLL", "Acme Corp Payroll"],
      [
        3,
        "2025-03-14",
        6321,
        "debit",
        "expense",
        "Debit Card Purchase - TRADER JOE S #552 SEATTLE WA",
        "Trader Joe's",
      ],
      [
        4,
        "2025-03-12",
        50000,
        "debit",
        "transfer",
        "Withdrawal to 360 Performance Savings XXXXXXX4321",
        "Withdrawal To",
      ],
      [
        5,
        "2025-03-10",
        3850,
        "debit",
        "expense",
        "Debit Card Purchase - CAFÉ FLORA SEATTLE WA",
        "Café Flora",
      ],
      [6, "2025-03-01", 42, "credit", "income", "Monthly Interest Paid", "Monthly Interest Paid"],
    ]);
    expectBalancesFollow(r, "capital-one-360-bom-crlf.csv", 5, true);
  });
});

describe("Revolut (states, fees, date-times)", () => {
  const r = read("revolut.csv", "checking");

  it("skips declined, reverted and failed rows and counts them", () => {
    expect(r.skipped).toEqual([
      { line: 4, reason: "declined", text: "Deliveroo" },
      { line: 7, reason: "reverted", text: "Pret A Manger" },
      { line: 12, reason: "failed", text: "Payment from Jane Doe" },
    ]);
  });

  it("adds fees to the amount, marks pending rows, takes the merchant from Description", () => {
    expect(r.guesses.layout?.name).toBe("Revolut");
    expect(r.account).toEqual({ currency: "GBP" });
    expect(table(r)).toEqual([
      [2, "2025-03-01", 100000, "credit", "transfer", "Top-Up by *1234", "Top-Up By"],
      [3, "2025-03-02", 1250, "debit", "expense", "Tesco", "Tesco"],
      [5, "2025-03-04", 10200, "debit", "expense", "Cash at Barclays Bank", "Cash At Barclays Bank"], // fee 200
      [6, "2025-03-05", 20100, "debit", "transfer", "Exchanged to EUR", "Exchanged To EUR"], // fee 100
      [8, "2025-03-08", 1599, "credit", "refund", "Amazon", "Amazon"],
      [9, "2025-03-09", 5000, "debit", "expense", "To John Smith", "To John Smith"],
      [10, "2025-03-10", 1820, "debit", "expense", "Uber", "Uber"],
      [11, "2025-03-12", 3140, "debit", "expense", "Sainsbury's", "Sainsbury's"], // pending
      [13, "2025-03-13", 1299, "debit", "expense", "Metal plan fee", "Metal Plan Fee"],
    ]);
    expect(r.rows.filter((x) => x.fee !== undefined).map((x) => [x.line, x.fee])).toEqual([
      [5, 200],
      [6, 100],
    ]);
    expect(r.rows.filter((x) => x.pending).map((x) => x.line)).toEqual([11]);
  });

  it("moves Revolut's balance by exactly each settled row, fees included", () => {
    expectBalancesFollow(r, "revolut.csv", 9, false);
  });

  it("refuses a state it does not know rather than guess it happened", () => {
    const text =
      "Type,Product,Started Date,Completed Date,Description,Amount,Fee,Currency,State,Balance\nCARD_PAYMENT,Current,2025-03-02 12:15:33,,Tesco,-12.50,0.00,GBP,ON_HOLD,\nCARD_PAYMENT,Current,2025-03-02 12:15:33,,Aldi,-2.50,0.00,GBP,COMPLETED,1.00\n";
    const odd = readStatement(new TextEncoder().encode(text), { accountType: "checking", options: {} });
    expect(odd.errors).toEqual([
      {
        line: 2,
        reason: 'the state "ON_HOLD" is not one Tyche knows (such as COMPLETED, PENDING or DECLINED)',
      },
    ]);
    expect(odd.rows.map((x) => x.line)).toEqual([3]);
  });
});

describe("N26 (2024 layout)", () => {
  const r = read("n26.csv", "checking");

  it("takes the merchant from Partner Name, never the IBAN, and the EUR amount, never the original", () => {
    expect(r.guesses.layout?.name).toBe("N26");
    expect(r.guesses.columns?.value).toMatchObject({
      merchant: { header: "Partner Name" },
      description: { header: "Payment Reference" },
      amount: { header: "Amount (EUR)" },
    });
    expect(r.guesses.columns?.unused.map((c) => c.header)).toEqual(
      expect.arrayContaining(["Partner Iban", "Account Name", "Original Amount", "Exchange Rate"]),
    );
    expect(r.account).toEqual({ currency: "EUR" });
    expect(table(r)).toEqual([
      [2, "2024-06-03", 2345, "debit", "expense", "REWE Markt GmbH", "Rewe Markt GmbH"],
      [3, "2024-06-03", 250000, "credit", "income", "ACME GmbH", "Acme GmbH"],
      [4, "2024-06-05", 3999, "debit", "expense", "Vodafone GmbH", "Vodafone GmbH"],
      [5, "2024-06-07", 587, "debit", "expense", "PRET A MANGER", "Pret A Manger"],
      [6, "2024-06-10", 85000, "debit", "expense", "Anna Schmidt", "Anna Schmidt"],
      [7, "2024-06-12", 4995, "credit", "refund", "Zalando SE", "Zalando SE"],
      [8, "2024-06-14", 10000, "debit", "expense", "Sparen", "Sparen"],
    ]);
    expect(r.rows.find((x) => x.line === 3)?.description).toBe("Gehalt Juni 2024");
  });
});

describe("Barclays (UK: Number,Date,Account,Amount,Subcategory,Memo)", () => {
  const r = read("barclays.csv", "checking");

  it("reads day-first dates and the merchant from Memo, never PAYMENT or the account", () => {
    expect(r.guesses.layout?.name).toBe("Barclays");
    expect(r.guesses.dateFormat).toMatchObject({ value: "eu", ambiguous: true, source: "layout" });
    expect(r.guesses.dateFormat?.evidence).toContain("Barclays writes them day-first");
    expect(table(r)).toEqual([
      [2, "2025-02-03", 1099, "debit", "expense", "NETFLIX.COM ON 02 FEB BCC", "Netflix"],
      [3, "2025-02-05", 245000, "credit", "income", "ACME LTD SALARY BGC", "Acme Ltd Salary"],
      [4, "2025-02-07", 5130, "debit", "expense", "TESCO STORES 3021 ON 06 FEB BCC", "Tesco Stores"],
      [5, "2025-02-10", 4500, "debit", "expense", "EE LIMITED Q12345678 DDR", "EE Limited"],
      [6, "2025-02-11", 12000, "debit", "expense", "CHEQUE 000123", "Cheque"],
      [7, "2025-02-12", 2157, "debit", "expense", "DELIVEROO ON 11 FEB CPM", "Deliveroo"],
      [8, "2025-02-12", 25000, "debit", "expense", "J SMITH RENT SHARE FT", "J Smith Rent Share"],
    ]);
    expect(r.rows.some((x) => /payment|directdep|20-32-06/i.test(x.merchantRaw))).toBe(false);
  });

  it("can be told the dates are month-first", () => {
    const us = read("barclays.csv", "checking", { dateFormat: "us" });
    expect(us.rows[0]?.date).toBe("2025-03-02");
  });
});

describe("DKB (German: ISO-8859-1, semicolons, 1.234,56, an account summary above the header)", () => {
  const r = read("dkb.csv", "checking");

  it("decodes ISO-8859-1, skips the summary and reads what it says about the account", () => {
    expect(r.guesses.encoding).toMatchObject({ value: "iso-8859-1", source: "detected" });
    expect(r.guesses.encoding.evidence).toMatch(
      /^Not UTF-8 \(byte 0xFC at offset \d+\), so read as ISO-8859-1/,
    );
    expect(r.guesses.layout?.name).toBe("DKB (German)");
    expect(r.guesses.delimiter?.value).toBe(";");
    expect(r.guesses.decimalSeparator).toMatchObject({ value: "," });
    expect(r.guesses.header?.value).toMatchObject({ line: 7, skippedLines: 6 });
    expect(r.account).toEqual({
      bankAccountId: "DE12120300001234567890",
      currency: "EUR",
      ledgerBalance: { amount: 234567, date: "2024-03-31" },
    });
  });

  it("reads umlauts, thousands, the own-account Umbuchung and a Rückerstattung, row by row", () => {
    expect(table(r)).toEqual([
      [8, "2024-03-28", 5437, "debit", "expense", "REWE Markt GmbH", "Rewe Markt GmbH"],
      [9, "2024-03-27", 325000, "credit", "income", "Müller & Söhne GmbH", "Müller & Söhne GmbH"],
      [10, "2024-03-25", 123456, "debit", "expense", "Hausverwaltung Weiß", "Hausverwaltung Weiß"],
      [11, "2024-03-22", 480, "debit", "expense", "Bäckerei Schäfer", "Bäckerei Schäfer"],
      [12, "2024-03-20", 50000, "debit", "transfer", "Tagesgeld", "Tagesgeld"],
      [13, "2024-03-18", 2995, "credit", "refund", "Zalando SE", "Zalando SE"],
    ]);
    expect(r.rows.find((x) => x.line === 11)?.description).toBe("2024-03-21 Debitk.12 VISA Debit");
  });
});

describe("Sparkasse (German CSV-CAMT: two-digit years, Info says booked or not yet)", () => {
  const r = read("sparkasse.csv", "checking");

  it("marks the not-yet-booked row pending and takes the merchant, never the IBAN", () => {
    expect(r.guesses.layout?.name).toBe("Sparkasse (German)");
    expect(r.guesses.encoding.value).toBe("iso-8859-1");
    expect(table(r)).toEqual([
      [2, "2024-04-05", 7800, "debit", "expense", "Stadtwerke München GmbH", "Stadtwerke München GmbH"],
      [3, "2024-04-04", 102345, "debit", "expense", "EDEKA Südbayern", "Edeka Südbayern"],
      [4, "2024-04-08", 6120, "debit", "expense", "Aral Tankstelle", "Aral Tankstelle"], // pending
      [
        5,
        "2024-04-03",
        289010,
        "credit",
        "income",
        "Bayerische Versicherung AG",
        "Bayerische Versicherung AG",
      ],
    ]);
    expect(r.rows.map((x) => x.pending)).toEqual([false, false, true, false]);
  });
});

describe("Bank of America checking (a summary above the header, ACH text)", () => {
  const r = read("bank-of-america.csv", "checking");

  it("skips the summary and the beginning-balance line, and cuts ACH noise from the merchant", () => {
    expect(r.guesses.layout?.name).toBe("Bank of America");
    expect(r.guesses.header?.value).toMatchObject({ line: 7, skippedLines: 6 });
    expect(r.guesses.notes).toContain(
      "One line states a beginning or ending balance with no amount: not transactions, not read as rows.",
    );
    expect(r.errors).toEqual([]);
    expect(r.account).toEqual({ ledgerBalance: { amount: 265808, date: "2025-01-31" } });
    expect(table(r)).toEqual([
      [
        9,
        "2025-01-02",
        1549,
        "debit",
        "expense",
        "NETFLIX DES:NETFLIX.COM ID:XXXXX12345 INDN:JANE DOE CO ID:XXXXX45678 WEB",
        "Netflix",
      ],
      [
        10,
        "2025-01-03",
        250000,
        "credit",
        "income",
        "ACME CORP DES:PAYROLL ID:XXXXX98765 INDN:JANE DOE CO ID:XXXXX11111 PPD",
        "Acme Corp",
      ],
      [
        11,
        "2025-01-05",
        100000,
        "debit",
        "transfer",
        "AMEX EPAYMENT DES:ACH PMT ID:W1234 INDN:JANE DOE CO ID:XXXXX22222 WEB",
        "Amex Epayment",
      ],
      [
        12,
        "2025-01-09",
        6099,
        "debit",
        "expense",
        "CHECKCARD 0108 SAFEWAY #1234 SEATTLE WA 24492155008012345678901",
        "Safeway",
      ],
    ]);
    expectBalancesFollow(r, "bank-of-america.csv", 3, false);
  });
});

describe("Wells Fargo checking (no header row at all)", () => {
  const r = read("wells-fargo.csv", "checking");

  it("knows the layout by its shape and unwraps PURCHASE AUTHORIZED ON and its card references", () => {
    expect(r.guesses.layout?.name).toBe("Wells Fargo");
    expect(r.guesses.header?.value).toMatchObject({ hasHeader: false, line: null });
    expect(r.guesses.columns?.value).toEqual({
      date: { header: null, index: 0 },
      amount: { header: null, index: 1 },
      description: { header: null, index: 4 },
    });
    expect(table(r)).toEqual([
      [
        1,
        "2024-10-31",
        1599,
        "debit",
        "expense",
        "RECURRING PAYMENT AUTHORIZED ON 10/30 NETFLIX.COM NETFLIX.COM CA S384304567890123 CARD 1234",
        "Netflix",
      ],
      [
        2,
        "2024-10-30",
        987,
        "debit",
        "expense",
        "PURCHASE AUTHORIZED ON 10/29 CHIPOTLE 1234 SEATTLE WA S464304567891234 CARD 1234",
        "Chipotle",
      ],
      [
        3,
        "2024-10-29",
        210000,
        "credit",
        "income",
        "ACME CORP PAYROLL 241029 XXXXX1234 JANE DOE",
        "Acme Corp Payroll",
      ],
      [
        4,
        "2024-10-28",
        80000,
        "debit",
        "transfer",
        "ONLINE TRANSFER TO DOE J SAVINGS XXXXXX5678 REF #IB0ABCDEFG ON 10/28/24",
        "Online Transfer To DOE J Savings",
      ],
      [5, "2024-10-25", 6500, "debit", "expense", "CHECK # 4512", "Check"],
      [
        6,
        "2024-10-24",
        35000,
        "debit",
        "transfer",
        "DISCOVER E-PAYMENT 241024 1234 DOE JANE",
        "Discover E-Payment",
      ],
      [
        7,
        "2024-10-22",
        1240,
        "credit",
        "refund",
        "PURCHASE RETURN AUTHORIZED ON 10/21 TARGET T-1234 SEATTLE WA S304304567890000 CARD 1234",
        "Target",
      ],
    ]);
  });
});

describe("OFX 1.0.2 SGML checking statement (elements left open)", () => {
  const r = read("checking-1.0.2.ofx", "checking");

  it("reads the account, its balance and every transaction with its FITID", () => {
    expect(r.guesses.layout?.name).toBe("OFX 1.0.2 (SGML)");
    expect(r.guesses.signConvention).toMatchObject({ source: "format", decidedBy: "ofx" });
    expect(r.guesses.delimiter).toBeNull();
    expect(r.account).toEqual({
      bankAccountId: "000123456789",
      currency: "USD",
      ledgerBalance: { amount: 321920, date: "2025-03-31" },
    });
    expect(table(r)).toEqual([
      [43, "2025-03-03", 245000, "credit", "income", "ACME CORP PAYROLL", "Acme Corp Payroll"],
      [51, "2025-03-04", 575, "debit", "expense", "SQ *BLUE BOTTLE COFFEE", "Blue Bottle Coffee"],
      [59, "2025-03-05", 35000, "debit", "transfer", "DISCOVER E-PAYMENT 1234", "Discover E-Payment"],
      [
        67,
        "2025-03-06",
        50000,
        "debit",
        "transfer",
        "ONLINE TRANSFER TO SAVINGS 5678",
        "Online Transfer To Savings",
      ],
      [75, "2025-03-07", 120000, "debit", "expense", "CHECK 1042", "Check"],
      [84, "2025-03-10", 8712, "debit", "expense", "WHOLEFDS MKT 10234", "Whole Foods Market"],
      [92, "2025-03-11", 4218, "credit", "refund", "AMAZON.COM REFUND", "Amazon"],
      [100, "2025-03-12", 6000, "debit", "expense", "ATM WITHDRAWAL 1ST AVE", "ATM Withdrawal 1st Ave"],
      [108, "2025-03-31", 1200, "debit", "expense", "MONTHLY SERVICE FEE", "Monthly Service Fee"],
    ]);
    expect(r.rows.map((x) => x.bankId)).toEqual(
      r.rows.map((_x, i) => `202503${["03", "04", "05", "06", "07", "10", "11", "12", "31"][i]}-000${i + 1}`),
    );
    expect(r.rows.every((x) => !x.pending)).toBe(true);
  });
});

describe("OFX 2.1.1 XML credit-card statement", () => {
  const r = read("card-2.1.1.ofx", "credit-card");

  it("reads charges, the payment as a transfer, the return as a refund, entities decoded", () => {
    expect(r.guesses.layout?.name).toBe("OFX 2.1.1 (XML)");
    expect(r.account).toEqual({
      bankAccountId: "4111222233334444",
      currency: "USD",
      ledgerBalance: { amount: -168976, date: "2025-03-31" },
    });
    expect(table(r)).toEqual([
      [21, "2025-03-02", 4218, "debit", "expense", "AMZN Mktp US*2K4LL1", "Amazon"],
      [29, "2025-03-04", 8640, "debit", "expense", "PG&E WEB ONLINE", "PG&E Web Online"],
      [37, "2025-03-05", 50000, "credit", "transfer", "PAYMENT - THANK YOU", "Payment - Thank You"],
      [45, "2025-03-08", 2345, "debit", "expense", "UBER *TRIP", "Uber"],
      [53, "2025-03-10", 1999, "credit", "refund", "AMZN Mktp US*RT5XY1", "Amazon"],
      [61, "2025-03-15", 3900, "debit", "expense", "LATE FEE", "Late Fee"],
      [
        69,
        "2025-03-31",
        1872,
        "debit",
        "expense",
        "INTEREST CHARGE ON PURCHASES",
        "Interest Charge On Purchases",
      ],
    ]);
    expect(r.rows[3]?.description).toBe("HELP.UBER.COM CA");
  });
});

describe("an OFX file cut off", () => {
  const refusal = (text: string) => {
    try {
      readStatement(new TextEncoder().encode(text), {
        fileName: "x.ofx",
        accountType: "checking",
        options: {},
      });
    } catch (e) {
      if (e instanceof ImportFormatError) return { message: e.message, line: e.line };
      throw e;
    }
    return null;
  };
  const whole = new TextDecoder().decode(bytes("checking-1.0.2.ofx"));

  it("is refused as a whole in the middle of a transaction, naming the line", () => {
    expect(() => read("checking-cut-off.ofx", "checking")).toThrow(
      "This OFX file's transaction at line 84 is never closed. The file is incomplete; export it from the bank again.",
    );
  });

  it("is refused in the middle of a tag, without </BANKTRANLIST>, or without </OFX>", () => {
    expect(refusal(whole.slice(0, whole.indexOf("<TRNAMT>-87.12") + 5))).toEqual({
      message:
        "This OFX file stops in the middle of a tag (line 87). The file is incomplete; export it from the bank again.",
      line: 87,
    });
    const afterList = whole.indexOf("</BANKTRANLIST>");
    expect(refusal(whole.slice(0, afterList))?.message).toMatch(
      /transaction list at line 40 is never closed/,
    );
    const beforeEnd = whole.indexOf("</OFX>");
    expect(refusal(whole.slice(0, beforeEnd))).toEqual({
      message:
        "This OFX file ends at line 127 without </OFX>. The file is incomplete; export it from the bank again.",
      line: 127,
    });
    expect(refusal(whole)).toBeNull();
  });

  it("is refused when a transaction runs into the next one", () => {
    const merged = whole.replace("<MEMO>SEATTLE WA\r\n</STMTTRN>", "<MEMO>SEATTLE WA\r\n");
    expect(refusal(merged)?.message).toMatch(
      /^This OFX file's transaction at line 84 is not closed \(<\/STMTTRN>\) before the next one \(line 92\)/,
    );
  });
});
