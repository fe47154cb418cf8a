import type { Category } from "@tyche/types";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { TransactionRecord } from "../src/db/transactions";
import { type TransactionDeps, TransactionService, transferPair } from "../src/domain/transactions";
import {
  decodeSplits,
  decodeTags,
  encodeSplits,
  encodeTags,
  exportRows,
  protectCell,
  TYCHE_EXPORT_HEADER_LINE,
  unprotectCell,
} from "../src/imports/export-csv";
import { decimalToMinor, isTycheExport, readTycheExport } from "../src/imports/tyche-export";
import { rowsForAccount, tycheCandidateIds, tycheExportRecords } from "../src/imports/tyche-import";
import { storedAccount, storedCategory, transactionRecord } from "./support/records";

const CHECKING = storedAccount("01JAAAAAAAAAAAAAAAAAAAAAAA", "Checking");
const CARD = storedAccount("01JBBBBBBBBBBBBBBBBBBBBBBB", "Visa", { type: "credit-card" });
const OTHER = storedAccount("01JCCCCCCCCCCCCCCCCCCCCCCC", "New checking");
const accounts = new Map([CHECKING, CARD, OTHER].map((a) => [a.accountId, a]));
const GROCERIES = storedCategory("01JDDDDDDDDDDDDDDDDDDDDDDD", "Groceries", "groceries");
const HOME = storedCategory("01JEEEEEEEEEEEEEEEEEEEEEEE", 'Home; "garden" = yard', "home");
const categories = new Map([GROCERIES, HOME].map((c) => [c.categoryId, c]));

const record = (id: string, extra: Partial<TransactionRecord>) =>
  transactionRecord(id, CHECKING.accountId, extra);

const file = (records: TransactionRecord[]) =>
  `${TYCHE_EXPORT_HEADER_LINE}\r\n${exportRows(records, { categories, accounts })}\r\n`;

/** A service only for buildNew, which reads nothing. */
const service = new TransactionService({} as TransactionDeps);
const build: TransactionService["buildNew"] = (input, cats, extra) => service.buildNew(input, cats, extra);

describe("cells", () => {
  it("takes off exactly the apostrophe that CSV-injection protection added", () => {
    for (const value of [
      "=1+1",
      "+1",
      "-5",
      "@SUM(A1)",
      "\tx",
      "\rx",
      "'=1",
      "'hello",
      "''",
      "'",
      "plain",
      "",
    ]) {
      expect(unprotectCell(protectCell(value))).toBe(value);
    }
    expect(protectCell("=cmd")).toBe("'=cmd");
    expect(protectCell("'=1")).toBe("''=1");
    expect(protectCell("'hello")).toBe("''hello");
    // an apostrophe the writer did not add stays
    expect(unprotectCell("'hello")).toBe("'hello");
    fc.assert(fc.property(fc.string(), (s) => unprotectCell(protectCell(s)) === s));
  });

  it("reads tags and split parts back as they were written", () => {
    expect(encodeTags(["trip", "road trip", 'say "hi"'])).toBe('trip "road trip" "say ""hi"""');
    expect(decodeTags('trip "road trip" "say ""hi"""')).toEqual(["trip", "road trip", 'say "hi"']);
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1 })), (tags) => {
        expect(decodeTags(encodeTags(tags))).toEqual(tags);
      }),
    );
    const parts = [
      { category: "Groceries", amount: "40.00" },
      { category: 'Home; "garden" = yard', amount: "10.00", note: 'for the "fence"; and gate' },
      { category: " spaced ", amount: "0.50" },
    ];
    expect(encodeSplits(parts)).toBe(
      'Groceries=40.00; "Home; ""garden"" = yard"=10.00 "for the ""fence""; and gate"; " spaced "=0.50',
    );
    expect(decodeSplits(encodeSplits(parts))).toEqual(parts);
    const part = fc.record(
      { category: fc.string({ minLength: 1 }), amount: fc.constantFrom("1.00", "12.34", "0.01") },
      { requiredKeys: ["category", "amount"] },
    );
    const withNote = fc
      .tuple(part, fc.option(fc.string()))
      .map(([p, note]) => (note === null ? p : { ...p, note }));
    fc.assert(
      fc.property(fc.array(withNote, { minLength: 1, maxLength: 5 }), (ps) => {
        expect(decodeSplits(encodeSplits(ps))).toEqual(ps);
      }),
    );
    expect(() => decodeSplits("Groceries=12.34; ")).toThrow(/separator/);
    expect(() => decodeSplits('"Groceries=12.34')).toThrow(/not closed/);
    expect(() => decodeSplits("Groceries")).toThrow(/expected "="/);
  });

  it("reads amounts with integer arithmetic only", () => {
    expect(decimalToMinor("-1234.56", 2, true)).toBe(-123456);
    expect(decimalToMinor("12.5", 2, true)).toBe(1250);
    expect(decimalToMinor("1234", 0, true)).toBe(1234);
    expect(decimalToMinor("0.1", 3, false)).toBe(100);
    expect(decimalToMinor("12.345", 2, true)).toBeUndefined();
    expect(decimalToMinor("1,234.00", 2, true)).toBeUndefined();
    expect(decimalToMinor("-1.00", 2, false)).toBeUndefined();
  });
});

describe("readTycheExport", () => {
  const tricky = [
    'a note, with "quotes"',
    "two\nlines\r\nand a lone\rCR",
    '=HYPERLINK("http://x")',
    "'=already quoted by its author",
    "'just an apostrophe",
    "-minus first",
    "  spaces around  ",
  ];

  it("reads back every field the writer wrote", () => {
    const records = [
      record("01JF0000000000000000000001", {
        categoryId: GROCERIES.categoryId,
        merchantRaw: "WHOLEFDS #123",
        merchant: "Wholefds",
        description: "weekly shop",
        tags: ["food", "road trip"],
        notes: tricky.join(" | "),
        pending: true,
        bankId: "-FITID-42",
      }),
      ...tricky.map((notes, i) =>
        record(`01JF00000000000000000001${i}0`, {
          type: "income",
          amount: 100 + i,
          notes,
          merchantRaw: notes,
        }),
      ),
      record("01JF0000000000000000000002", {
        amount: 5000,
        splits: [
          { categoryId: GROCERIES.categoryId, amount: 4000 },
          { categoryId: HOME.categoryId, amount: 1000, note: "fence; gate" },
        ],
        cleared: true,
      }),
      record("01JF0000000000000000000003", { type: "refund", amount: 250, categoryId: HOME.categoryId }),
    ];
    const [out] = transferPair(
      record("01JF0000000000000000000004", { amount: 30000, merchantRaw: "Card payment" }),
      CHECKING,
      CARD,
      "01JF0000000000000000000005",
    );
    const text = file([...records, out]);
    expect(isTycheExport(text)).toBe(true);
    const rows = readTycheExport(text);
    expect(rows).toHaveLength(records.length + 1);
    expect(rows[0]).toMatchObject({
      line: 2,
      transactionId: "01JF0000000000000000000001",
      date: "2025-02-03",
      account: { id: CHECKING.accountId, name: "Checking" },
      kind: "expense",
      amount: 1234,
      direction: "out",
      currency: "USD",
      category: "Groceries",
      splits: null,
      merchant: "WHOLEFDS #123",
      description: "weekly shop",
      tags: ["food", "road trip"],
      notes: tricky.join(" | "),
      pending: true,
      cleared: false,
      bankId: "-FITID-42",
      transferAccount: null,
      linkedId: null,
    });
    tricky.forEach((notes, i) => {
      expect(rows[1 + i]).toMatchObject({
        notes,
        merchant: notes,
        kind: "income",
        direction: "in",
        amount: 100 + i,
      });
    });
    // each row's line is where it starts, counting the line breaks inside notes before it
    expect(rows[1]?.line).toBe(6);
    expect(rows[2]?.line).toBe(7);
    expect(rows[3]?.line).toBe(14);
    expect(rows[tricky.length + 1]).toMatchObject({
      category: null,
      splits: [
        { category: "Groceries", amount: 4000 },
        { category: HOME.name, amount: 1000, note: "fence; gate" },
      ],
      cleared: true,
    });
    expect(rows[tricky.length + 2]).toMatchObject({ kind: "refund", direction: "in", category: HOME.name });
    expect(rows[tricky.length + 3]).toMatchObject({
      kind: "transfer",
      direction: "out",
      amount: 30000,
      transferAccount: { id: CARD.accountId, name: "Visa" },
      linkedId: "01JF0000000000000000000005",
    });
    // a formula never reaches a spreadsheet as one
    expect(text).not.toMatch(/(^|,)"?=/m);
  });

  it("recognises its own header only", () => {
    expect(isTycheExport(`\uFEFF${TYCHE_EXPORT_HEADER_LINE}\n`)).toBe(true);
    expect(isTycheExport(TYCHE_EXPORT_HEADER_LINE)).toBe(true);
    expect(isTycheExport(`${TYCHE_EXPORT_HEADER_LINE},Extra\r\n`)).toBe(false);
    expect(isTycheExport("Date,Amount,Type,Category,Merchant,Description,Tags,Notes\r\n")).toBe(false);
    expect(readTycheExport(`${TYCHE_EXPORT_HEADER_LINE}\n`)).toEqual([]);
  });

  it("refuses a broken file with the line where it broke", () => {
    const good = file([
      record("01JF0000000000000000000001", { notes: "one\ntwo" }),
      record("01JF0000000000000000000002", { amount: 500 }),
    ]);
    const lines = good.split("\r\n");
    const withLast = (last: string) => [...lines.slice(0, 2), last].join("\r\n");
    const second = lines[2] as string;
    expect(() => readTycheExport(good.slice(0, good.length - 30))).toThrow(/^line 4: has \d+ cells/);
    expect(() => readTycheExport(good.slice(0, good.indexOf("two") + 2))).toThrow(/^line 2: a quoted cell/);
    expect(() => readTycheExport(withLast(second.replace("2025-02-03", "2025-02-30")))).toThrow(
      /^line 4: Date "2025-02-30"/,
    );
    expect(() => readTycheExport(withLast(second.replace("-5.00", "5.00")))).toThrow(
      /^line 4: Amount of an expense must be negative/,
    );
    expect(() => readTycheExport(withLast(second.replace(",expense,", ",gift,")))).toThrow(
      /^line 4: Kind "gift"/,
    );
    expect(() => readTycheExport(withLast(second.replace(",false,", ",maybe,")))).toThrow(/^line 4: Pending/);
    const split = file([
      record("01JF0000000000000000000003", {
        amount: 500,
        splits: [
          { categoryId: GROCERIES.categoryId, amount: 300 },
          { categoryId: HOME.categoryId, amount: 200 },
        ],
      }),
    ]);
    expect(() => readTycheExport(split.replace("=3.00", "=3.50"))).toThrow(/^line 2: Splits add up to 550/);
    expect(() => readTycheExport(split.replace("=3.00", "=x"))).toThrow(/^line 2: Splits cannot be read/);
  });
});

describe("tycheExportRecords", () => {
  const month = [
    record("01JF0000000000000000000001", {
      categoryId: GROCERIES.categoryId,
      merchantRaw: "Shop",
      tags: ["food"],
    }),
    record("01JF0000000000000000000002", {
      amount: 5000,
      splits: [
        { categoryId: GROCERIES.categoryId, amount: 4000 },
        { categoryId: HOME.categoryId, amount: 1000 },
      ],
    }),
    ...transferPair(
      record("01JF0000000000000000000003", { amount: 20000 }),
      CHECKING,
      CARD,
      "01JF0000000000000000000004",
    ),
  ];
  // the checking account's export: its own rows and the out leg of the transfer
  const rows = readTycheExport(file(month.filter((r) => r.accountId === CHECKING.accountId)));

  it("keeps each row's own id in the account it came from, so a re-import finds them all", () => {
    const ctx = { account: CHECKING, accounts };
    expect(tycheCandidateIds(rows, ctx)).toEqual([
      "01JF0000000000000000000001",
      "01JF0000000000000000000002",
      "01JF0000000000000000000003",
      "01JF0000000000000000000004",
    ]);
    const again = tycheExportRecords(rows, {
      ...ctx,
      categories,
      existing: new Set(tycheCandidateIds(rows, ctx)),
      build,
    });
    expect(again.duplicate).toEqual([true, true, true]);
    expect(again.records).toEqual([null, null, null]);
    expect(again.linked).toEqual([]);
    expect(again.categories).toEqual({ create: [], restore: [] });
  });

  it("recreates the rows in another account with ids of their own, categories by name, the transfer as a pair", () => {
    const ctx = { account: OTHER, accounts };
    const ids = tycheCandidateIds(rows, ctx);
    expect(ids).toEqual(tycheCandidateIds(rows, ctx));
    expect(new Set(ids).size).toBe(4);
    expect(ids.some((id) => month.some((r) => r.transactionId === id))).toBe(false);
    // categories are found by name, whatever their case
    const renamed = new Map([[GROCERIES.categoryId, { ...GROCERIES, name: "GROCERIES" }]]);
    const built = tycheExportRecords(rows, { ...ctx, categories: renamed, existing: new Set(), build });
    expect(built.duplicate).toEqual([false, false, false]);
    const [shop, split, transfer] = built.records;
    expect(shop).toMatchObject({
      accountId: OTHER.accountId,
      categoryId: GROCERIES.categoryId,
      merchantRaw: "Shop",
      tags: ["food"],
      categorizedBy: "user",
    });
    // the category it did not have is planned, with a slug of its own
    expect(built.categories.create).toEqual([
      expect.objectContaining({ name: HOME.name, type: "home-garden-yard" }),
    ]);
    const home = built.categories.create[0] as Category;
    expect(split?.splits).toEqual([
      { categoryId: GROCERIES.categoryId, amount: 4000 },
      { categoryId: home.categoryId, amount: 1000 },
    ]);
    expect(transfer).toMatchObject({
      type: "transfer",
      accountId: OTHER.accountId,
      transfer: {
        direction: "out",
        fromAccountId: OTHER.accountId,
        toAccountId: CARD.accountId,
        debtPayment: false,
      },
    });
    expect(built.linked).toEqual([
      expect.objectContaining({
        accountId: CARD.accountId,
        transfer: expect.objectContaining({
          direction: "in",
          debtPayment: true,
          linkedTransactionId: transfer?.transactionId,
        }),
      }),
    ]);
  });

  it("imports the card's in leg into a new card account as a transfer from checking", () => {
    const cardRows = readTycheExport(file(month.filter((r) => r.accountId === CARD.accountId)));
    const newCard = storedAccount("01JGGGGGGGGGGGGGGGGGGGGGGG", "New card", { type: "credit-card" });
    const all = new Map([...accounts, [newCard.accountId, newCard]]);
    const built = tycheExportRecords(cardRows, {
      account: newCard,
      accounts: all,
      categories,
      existing: new Set(),
      build,
    });
    expect(built.records[0]).toMatchObject({
      accountId: newCard.accountId,
      transfer: { direction: "in", fromAccountId: CHECKING.accountId, toAccountId: newCard.accountId },
    });
    expect(built.linked[0]).toMatchObject({ accountId: CHECKING.accountId, transfer: { direction: "out" } });
  });

  it("gives a transfer the same pair of ids from either account's file, so restoring both adds it once", () => {
    // a fresh user with accounts of the same names
    const checking = storedAccount("01JHHHHHHHHHHHHHHHHHHHHHHH", "Checking");
    const visa = storedAccount("01JJJJJJJJJJJJJJJJJJJJJJJJ", "visa", { type: "credit-card" });
    const theirs = new Map([checking, visa].map((a) => [a.accountId, a]));
    const cardRows = readTycheExport(file(month.filter((r) => r.accountId === CARD.accountId)));
    const fromChecking = tycheCandidateIds(rows, { account: checking, accounts: theirs });
    const fromCard = tycheCandidateIds(cardRows, { account: visa, accounts: theirs });
    expect(fromCard).toHaveLength(2);
    expect(fromChecking.slice(2).sort()).toEqual([...fromCard].sort());
    const built = tycheExportRecords(cardRows, {
      account: visa,
      accounts: theirs,
      categories,
      existing: new Set(),
      build,
    });
    expect(built.records[0]).toMatchObject({
      accountId: visa.accountId,
      transfer: { direction: "in", fromAccountId: checking.accountId, debtPayment: true },
    });
  });

  it("keeps the merchant's name as Tyche showed it: typed, cleaned up from a bank's text, or renamed by a rule", () => {
    const named = readTycheExport(
      file([
        record("01JF0000000000000000000011", {
          merchantRaw: "Transfer to Savings",
          merchant: "Transfer to Savings",
        }),
        record("01JF0000000000000000000012", {
          merchantRaw: "NETFLIX.COM 866-579-7172 CA",
          merchant: "Netflix",
        }),
      ]),
    );
    const built = tycheExportRecords(named, {
      account: OTHER,
      accounts,
      categories,
      existing: new Set(),
      build,
    });
    expect(built.records.map((r) => [r?.merchantRaw, r?.merchant])).toEqual([
      ["Transfer to Savings", "Transfer to Savings"],
      ["NETFLIX.COM 866-579-7172 CA", "Netflix"],
    ]);
    expect(built.records[1]?.merchantKey).toBe("netflix");
  });

  it("turns a transfer to an account this user does not have into an expense, and says so", () => {
    const stranger = new Map([[OTHER.accountId, OTHER]]);
    const built = tycheExportRecords(rows, {
      account: OTHER,
      accounts: stranger,
      categories,
      existing: new Set(),
      build,
    });
    expect(built.records[2]).toMatchObject({
      type: "expense",
      amount: 20000,
      accountId: OTHER.accountId,
      transfer: null,
    });
    expect(built.linked).toEqual([]);
    expect(built.notes.join("\n")).toMatch(/line 4: the transfer to "Visa" is imported as an expense/);
  });

  it("restores an archived category of the same name instead of making a second one", () => {
    const archived = new Map([
      [GROCERIES.categoryId, GROCERIES],
      [HOME.categoryId, { ...HOME, archived: true }],
    ]);
    const built = tycheExportRecords(rows, {
      account: OTHER,
      accounts,
      categories: archived,
      existing: new Set(),
      build,
    });
    expect(built.categories.create).toEqual([]);
    expect(built.categories.restore).toEqual([
      {
        before: expect.objectContaining({ archived: true }),
        after: expect.objectContaining({ archived: false, version: 2 }),
      },
    ]);
  });

  it("reads only the target account's rows of a file of several accounts", () => {
    const both = readTycheExport(file(month));
    expect(rowsForAccount(both, CARD).rows.map((r) => r.transactionId)).toEqual([
      "01JF0000000000000000000004",
    ]);
    expect(rowsForAccount(both, { ...OTHER, name: "checking" }).rows).toHaveLength(3);
    expect(() => rowsForAccount(both, OTHER)).toThrow(/holds the transactions of 2 accounts/);
    expect(rowsForAccount(rows, OTHER).rows).toHaveLength(3);
  });

  it("refuses rows in another currency than the account's", () => {
    const euro = { ...OTHER, currency: "EUR" };
    expect(() =>
      tycheExportRecords(rows, {
        account: euro,
        accounts: new Map([[euro.accountId, euro]]),
        categories,
        existing: new Set(),
        build,
      }),
    ).toThrow(/line 2: the amounts are in USD/);
  });
});
