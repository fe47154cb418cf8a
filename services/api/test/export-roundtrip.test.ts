import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Transaction } from "@tyche/types";
import { beforeAll, describe, expect, it } from "vitest";
import { firstAccountId, ownerKey } from "../src/db/keys";
import { TYCHE_EXPORT_HEADER_LINE } from "../src/imports/export-csv";
import { type Harness, harness, ownerItems, signup, type Account as User } from "./support/harness";

/**
 * Issue 15, item 6: the export re-imports into the same account adding nothing, and into an empty
 * account (the same user's, or another user's with categories of other ids) recreates the same
 * transactions, categories by name, tags, notes, splits and transfers.
 */

let h: Harness;
beforeAll(() => {
  h = harness();
});

const MONTH = "2025-02";
const RANGE = "from=2025-01-01&to=2025-12-31";

async function ok(method: string, path: string, u: User, body?: unknown, status = [200, 201]) {
  const res = await h.call(method, path, { token: u.token, body });
  expect(status, `${method} ${path}: ${JSON.stringify(res.body)}`).toContain(res.status);
  return res.body;
}

const record = (u: User, body: Record<string, unknown>): Promise<Transaction> =>
  ok("POST", "/v1/transactions", u, body);

async function openAccount(u: User, body: Record<string, unknown>): Promise<string> {
  return (await ok("POST", "/v1/accounts", u, body)).accountId;
}

async function categoryIds(u: User): Promise<Map<string, string>> {
  const items: { categoryId: string; name: string }[] = (await ok("GET", "/v1/categories", u)).items;
  return new Map(items.map((c) => [c.name, c.categoryId]));
}

async function transactionsOf(u: User, accountId: string): Promise<Transaction[]> {
  const out: Transaction[] = [];
  let cursor: string | undefined;
  do {
    const page = await ok(
      "GET",
      `/v1/transactions?accountId=${accountId}&limit=500${cursor ? `&cursor=${cursor}` : ""}`,
      u,
    );
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

async function exportCsv(u: User, accountId?: string): Promise<string> {
  const res = await h.call(
    "GET",
    `/v1/transactions/export?${RANGE}${accountId ? `&accountId=${accountId}` : ""}`,
    {
      token: u.token,
    },
  );
  expect(res.status, String(res.body)).toBe(200);
  expect(res.headers.get("content-type")).toContain("text/csv");
  return String(res.body);
}

function upload(u: User, csv: string, accountId: string, dryRun = false) {
  const form = new FormData();
  form.set("file", new File([csv], "tyche-export.csv"));
  return h.call("POST", `/v1/imports?accountId=${accountId}${dryRun ? "&dryRun=true" : ""}`, {
    token: u.token,
    raw: form,
  });
}

async function importCsv(u: User, csv: string, accountId: string) {
  const res = await upload(u, csv, accountId);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body).toMatchObject({ status: "completed", failure: null });
  return res.body.counts as Record<string, number>;
}

/** An import's counts: what was added and what was already there, nothing matched, skipped or failed. */
const counts = (rows: number, imported: number, duplicates = rows - imported) => ({
  rows,
  imported,
  matched: 0,
  duplicates,
  ambiguous: 0,
  skipped: 0,
  failed: 0,
});

/** What a person sees of a transaction, with categories and accounts by name. */
function shape(t: Transaction, categories: Map<string, string>, accounts: Map<string, string>) {
  const names = new Map([...categories].map(([name, id]) => [id, name]));
  const name = (id: string | null) => (id ? (names.get(id) ?? `?${id}`) : null);
  return {
    date: t.date,
    amount: t.amount,
    type: t.type,
    category: name(t.categoryId),
    splits: t.splits?.map((s) => ({ category: name(s.categoryId), amount: s.amount, note: s.note })) ?? null,
    merchant: t.merchant,
    merchantRaw: t.merchantRaw,
    description: t.description,
    tags: t.tags,
    notes: t.notes,
    pending: t.pending,
    cleared: t.cleared,
    bankId: t.bankId,
    transfer: t.transfer
      ? { from: accounts.get(t.transfer.fromAccountId), to: accounts.get(t.transfer.toAccountId) }
      : null,
  };
}

async function shapes(u: User, accountId: string) {
  const [categories, accounts] = await Promise.all([categoryIds(u), accountNames(u)]);
  return (await transactionsOf(u, accountId))
    .map((t) => shape(t, categories, accounts))
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

async function accountNames(u: User): Promise<Map<string, string>> {
  const items: { accountId: string; name: string }[] = (await ok("GET", "/v1/accounts", u)).items;
  return new Map(items.map((a) => [a.accountId, a.name]));
}

async function balances(u: User) {
  const items: { name: string; balance: number; transactionCount: number }[] = (
    await ok("GET", "/v1/accounts", u)
  ).items;
  return Object.fromEntries(items.map((a) => [a.name, { balance: a.balance, count: a.transactionCount }]));
}

/** The month's totals, categories by name. */
async function monthTotals(u: User) {
  const b = await ok("GET", `/v1/budgets/${MONTH}`, u);
  return {
    actualIncome: b.actualIncome,
    totalActualExpenses: b.totalActualExpenses,
    availableForDebtPayoff: b.availableForDebtPayoff,
    paidToDebt: b.paidToDebt,
    spent: Object.fromEntries(
      (b.categories as { name: string; spent: number }[])
        .filter((c) => c.spent !== 0)
        .map((c) => [c.name, c.spent]),
    ),
  };
}

const NOTES = {
  commas: 'Bought "organic", eggs, milk',
  lines: "line one\nline two\r\nline three",
  formula: "=cmd|' /C calc'!A0",
  apostrophe: "'quoted by me",
  quotedFormula: "'=1+1",
};

interface Books {
  user: User;
  checking: string;
  visa: string;
  transfer: Transaction;
}

/** A varied month: income, expenses with categories, a refund, a split in three, a pending one, a card and its payment. */
async function varyMonth(): Promise<Books> {
  const user = await signup(h);
  const checking = firstAccountId(ownerKey(user.owner));
  const visa = await openAccount(user, { name: "Visa", type: "credit-card", openingBalance: 50_000 });
  await ok("POST", "/v1/categories", user, { name: 'Pets, "Rex" & co', group: "discretionary" });
  await ok("POST", "/v1/budgets", user, { month: MONTH, totalIncome: 250_000 });
  const cat = await categoryIds(user);
  const id = (name: string) => cat.get(name) as string;

  await record(user, {
    date: "2025-02-01",
    amount: 250_000,
    type: "income",
    merchant: "ACME Payroll",
    description: "February salary",
  });
  await record(user, {
    date: "2025-02-03",
    amount: 4_567,
    categoryId: id("Groceries"),
    merchant: "Whole Foods Market",
    tags: ["food", "weekly"],
    notes: NOTES.commas,
  });
  await record(user, {
    date: "2025-02-05",
    amount: 2_300,
    categoryId: id("Dining"),
    merchant: "Joe's Pizza",
    notes: NOTES.formula,
  });
  await record(user, {
    date: "2025-02-07",
    amount: 500,
    type: "refund",
    categoryId: id("Groceries"),
    merchant: "Whole Foods Market",
    notes: NOTES.lines,
  });
  await record(user, {
    date: "2025-02-10",
    amount: 12_000,
    merchant: "Target",
    tags: ["-x", "road trip"],
    notes: NOTES.apostrophe,
    splits: [
      { categoryId: id("Groceries"), amount: 6_000 },
      { categoryId: id("Shopping"), amount: 4_000 },
      { categoryId: id('Pets, "Rex" & co'), amount: 2_000, note: "for Rex; the dog" },
    ],
  });
  const pending = await record(user, {
    date: "2025-02-12",
    amount: 999,
    merchant: "Corner Shop",
    notes: NOTES.quotedFormula,
  });
  await ok("PUT", `/v1/transactions/${pending.transactionId}`, user, { pending: true });
  const transfer = await record(user, {
    date: "2025-02-15",
    amount: 30_000,
    type: "transfer",
    toAccountId: visa,
    merchant: "Card payment",
    description: "February payment",
  });
  await record(user, {
    date: "2025-02-20",
    amount: 1_500,
    categoryId: id("Shopping"),
    merchant: "=Weird Merchant",
    description: "-minus first",
  });
  // The card: a bank statement (bank ids, cleared) and a charge entered by hand.
  const form = new FormData();
  form.set(
    "file",
    new File([readFileSync(join(import.meta.dirname, "fixtures", "statement.ofx"))], "visa.ofx"),
  );
  const ofx = await h.call("POST", `/v1/imports?accountId=${visa}`, { token: user.token, raw: form });
  expect(ofx.status, JSON.stringify(ofx.body)).toBe(201);
  await record(user, {
    date: "2025-02-18",
    amount: 8_000,
    accountId: visa,
    categoryId: id("Transport"),
    merchant: "Shell",
  });
  return { user, checking, visa, transfer };
}

async function snapshot(b: Books) {
  return {
    checking: await transactionsOf(b.user, b.checking),
    visa: await transactionsOf(b.user, b.visa),
    checkingShapes: await shapes(b.user, b.checking),
    visaShapes: await shapes(b.user, b.visa),
    balances: await balances(b.user),
    month: await monthTotals(b.user),
    categories: (await ok("GET", "/v1/categories", b.user)).items,
  };
}

describe("export that round-trips", () => {
  let books: Books;
  let before: Awaited<ReturnType<typeof snapshot>>;
  let checkingCsv: string;
  let visaCsv: string;
  /** The rows of each account's export. */
  const rowsIn = { checking: 0, visa: 0 };
  /** Checking's transfers into the card: one entered by hand, one the card's statement made. */
  let transfers: Transaction[];

  beforeAll(async () => {
    books = await varyMonth();
    before = await snapshot(books);
    checkingCsv = await exportCsv(books.user, books.checking);
    visaCsv = await exportCsv(books.user, books.visa);
    rowsIn.checking = before.checking.length;
    rowsIn.visa = before.visa.length;
    transfers = before.checking.filter((t) => t.type === "transfer");
  }, 120_000);

  it("writes every field in Tyche's own layout, formulas defused", () => {
    // the card statement's payment became a transfer from checking, its bank id on the card's leg
    expect(transfers.map((t) => t.merchantRaw).sort()).toEqual(["Card payment", expect.any(String)]);
    expect(before.visa.filter((t) => t.type === "transfer" && t.bankId)).toHaveLength(1);
    expect(checkingCsv.split("\r\n").filter((l) => /^[0-9A-Z]{26},/.test(l))).toHaveLength(rowsIn.checking);
    const lines = checkingCsv.split("\r\n");
    expect(lines[0]).toBe(TYCHE_EXPORT_HEADER_LINE);
    expect(lines[0]).toBe(
      "Tyche Id,Date,Account,Account Id,Kind,Amount,Currency,Category,Splits,Merchant,Merchant Name,Description,Tags,Notes," +
        "Pending,Cleared,Bank Id,Transfer Account,Transfer Account Id,Linked Id",
    );
    expect(checkingCsv).toContain(
      `${books.transfer.transactionId},2025-02-15,Checking,${books.checking},transfer,-300.00,USD`,
    );
    expect(checkingCsv).toContain(`,Visa,${books.visa},${books.transfer.transfer?.linkedTransactionId}`);
    expect(checkingCsv).toContain(
      ',"Groceries=60.00; Shopping=40.00; ""Pets, """"Rex"""" & co""=20.00 ""for Rex; the dog"""',
    );
    expect(checkingCsv).toContain(',"\'-x ""road trip"""');
    expect(checkingCsv).toContain(",'=cmd|' /C calc'!A0,");
    expect(checkingCsv).toContain(",'=Weird Merchant,'=Weird Merchant,'-minus first,");
    expect(checkingCsv).toContain(",''quoted by me,");
    expect(checkingCsv).toContain(",true,false,,,,");
    // no cell starts a formula
    expect(checkingCsv).not.toMatch(/(^|,)"?[=+@]/m);
    expect(visaCsv).toContain(",Card payment,Card payment,February payment,,,false,false,,Checking,");
  });

  it("adds nothing when re-imported into the same account, from either account's file or one of all accounts", async () => {
    const preview = await upload(books.user, checkingCsv, books.checking, true);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.guesses).toMatchObject({
      layout: { name: "Tyche export (version 1)" },
      dateFormat: { value: "iso", source: "layout" },
    });
    expect(preview.body.counts).toEqual(counts(rowsIn.checking, 0));
    expect(preview.body.rows.every((r: { duplicate: boolean }) => r.duplicate)).toBe(true);

    expect(await importCsv(books.user, checkingCsv, books.checking)).toEqual(counts(rowsIn.checking, 0));
    expect(await importCsv(books.user, visaCsv, books.visa)).toMatchObject(counts(rowsIn.visa, 0));
    const everything = await exportCsv(books.user);
    expect(await importCsv(books.user, everything, books.checking)).toEqual(counts(rowsIn.checking, 0));
    expect(await importCsv(books.user, everything, books.visa)).toEqual(counts(rowsIn.visa, 0));

    const after = await snapshot(books);
    expect(after.checking).toEqual(before.checking);
    expect(after.visa).toEqual(before.visa);
    expect(after.balances).toEqual(before.balances);
    expect(after.month).toEqual(before.month);
    expect(after.categories).toEqual(before.categories);
  });

  it("recreates the same transactions in a new account of the same user, once however often it is imported", async () => {
    const fresh = await openAccount(books.user, { name: "Second checking" });
    expect(await importCsv(books.user, checkingCsv, fresh)).toEqual(counts(rowsIn.checking, rowsIn.checking));
    const copy = await shapes(books.user, fresh);
    const rename = (s: (typeof copy)[number]) =>
      s.transfer
        ? {
            ...s,
            transfer: {
              ...s.transfer,
              from: s.transfer.from === "Second checking" ? "Checking" : s.transfer.from,
            },
          }
        : s;
    expect(copy.map(rename)).toEqual(before.checkingShapes);
    expect((await ok("GET", "/v1/categories", books.user)).items).toEqual(before.categories);
    // the card received its payments a second time, from the new account
    const visa = await shapes(books.user, books.visa);
    expect(visa).toHaveLength(before.visaShapes.length + transfers.length);
    expect(visa).toContainEqual(
      expect.objectContaining({
        type: "transfer",
        amount: 30_000,
        transfer: { from: "Second checking", to: "Visa" },
      }),
    );
    const paid = transfers.reduce((sum, t) => sum + t.amount, 0);
    expect((await balances(books.user)).Visa?.balance).toBe((before.balances.Visa?.balance ?? 0) - paid);
    expect((await monthTotals(books.user)).paidToDebt).toBe(before.month.paidToDebt * 2);

    expect(await importCsv(books.user, checkingCsv, fresh)).toEqual(counts(rowsIn.checking, 0));
    expect(await shapes(books.user, fresh)).toEqual(copy);
  });

  it("recreates the same books for another user: categories by name (the missing one created), splits, tags, notes, the transfer", async () => {
    const other = await signup(h);
    const checking = firstAccountId(ownerKey(other.owner));
    const visa = await openAccount(other, { name: "visa", type: "credit-card", openingBalance: 50_000 });
    await ok("POST", "/v1/budgets", other, { month: MONTH, totalIncome: 250_000 });
    const theirs = await categoryIds(other);
    expect(theirs.has('Pets, "Rex" & co')).toBe(false);

    expect(await importCsv(other, checkingCsv, checking)).toEqual(counts(rowsIn.checking, rowsIn.checking));
    // the card's own file: the in legs of the payments are the pairs already written from checking's
    // file; the statement's one brings its bank id and clearing to the leg written without them
    expect(await importCsv(other, visaCsv, visa)).toEqual(
      counts(rowsIn.visa, rowsIn.visa - transfers.length),
    );

    const categories = await categoryIds(other);
    const pets = categories.get('Pets, "Rex" & co');
    expect(pets).toBeDefined();
    expect(pets).not.toBe((await categoryIds(books.user)).get('Pets, "Rex" & co'));
    expect(categories.get("Groceries")).toBe(theirs.get("Groceries"));
    expect(categories.size).toBe(theirs.size + 1);

    const renameVisa = (list: Awaited<ReturnType<typeof shapes>>) =>
      list.map((s) => (s.transfer ? { ...s, transfer: { from: s.transfer.from, to: "Visa" } } : s));
    expect(renameVisa(await shapes(other, checking))).toEqual(before.checkingShapes);
    expect(renameVisa(await shapes(other, visa))).toEqual(before.visaShapes);
    const theirBalances = await balances(other);
    expect(theirBalances.Checking).toEqual(before.balances.Checking);
    expect(theirBalances.visa).toEqual(before.balances.Visa);
    expect(await monthTotals(other)).toEqual(before.month);

    // and once more: nothing new
    expect(await importCsv(other, checkingCsv, checking)).toEqual(counts(rowsIn.checking, 0));
    expect(await importCsv(other, visaCsv, visa)).toEqual(counts(rowsIn.visa, 0));
  });

  it("turns a transfer to an account the user does not have into an expense, and says so in the preview", async () => {
    const other = await signup(h);
    const checking = firstAccountId(ownerKey(other.owner));
    const preview = await upload(other, checkingCsv, checking, true);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.counts).toEqual(counts(rowsIn.checking, rowsIn.checking));
    const notes = preview.body.guesses.notes.join("\n");
    expect(notes.match(/the transfer to "Visa" is imported as an expense/g)).toHaveLength(transfers.length);
    expect(preview.body.guesses.notes.join("\n")).toMatch(/Categories created: "Pets, \\?"Rex\\?" & co"/);
    await importCsv(other, checkingCsv, checking);
    const payment = (await transactionsOf(other, checking)).find((t) => t.merchantRaw === "Card payment");
    expect(payment).toMatchObject({ type: "expense", amount: 30_000, transfer: null, toAccountId: null });
  });

  it("refuses a cut-off or damaged file with the line where it broke, writing nothing", async () => {
    const other = await signup(h);
    const checking = firstAccountId(ownerKey(other.owner));
    const savings = await openAccount(other, { name: "Savings", type: "savings" });
    const untouched = await ownerItems(h.store, other.owner);
    const lines = checkingCsv.split("\r\n");
    const cut = checkingCsv.slice(0, checkingCsv.indexOf("line two"));
    const damaged = [
      ...lines.slice(0, 3),
      (lines[3] as string).replace(",2025-02-", ",2025-13-"),
      ...lines.slice(4),
    ].join("\r\n");
    for (const [csv, line] of [
      [cut, /^file line \d+: a quoted cell is not closed/],
      [damaged, /^file line 4: Date "2025-13-/],
    ] as const) {
      const res = await upload(other, csv, checking);
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body.detail).toMatch(line);
      expect(res.body.errors[0].path).toBe("file");
    }
    // a file of several accounts into an account that is none of them (by id or by name)
    const everything = await exportCsv(books.user);
    const res = await upload(other, everything, savings);
    expect(res.status).toBe(422);
    expect(res.body.detail).toMatch(
      /holds the transactions of 3 accounts \(Checking, Second checking, Visa\)/,
    );
    expect(await ownerItems(h.store, other.owner)).toEqual(untouched);
  });

  it("exports one account only for its owner", async () => {
    const other = await signup(h);
    const res = await h.call("GET", `/v1/transactions/export?${RANGE}&accountId=${books.checking}`, {
      token: other.token,
    });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe("accountId");
  });
});
