import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AccountRepository } from "../src/db/accounts";
import { CategoryRepository } from "../src/db/categories";
import { IdempotencyStore } from "../src/db/idempotency";
import { ImportLeases } from "../src/db/imports";
import { keys, type Owner, prefixes } from "../src/db/keys";
import { MerchantRepository } from "../src/db/merchants";
import { RecurringRepository } from "../src/db/recurring";
import { RuleRepository } from "../src/db/rules";
import type { Store } from "../src/db/store";
import { TransactionRepository } from "../src/db/transactions";
import { TransactionService } from "../src/domain/transactions";
import { occurrenceTransactionId } from "../src/recurring/materialiser";
import { createMaterialiser } from "../src/services";
import { LocalFileStorage } from "../src/storage/files";
import {
  auditActions,
  type Harness,
  harness,
  ownerItems,
  signup,
  type Account as User,
} from "./support/harness";

const TODAY = "2025-03-15";
const quiet = () => undefined;

let h: Harness;
/** A second app with its own client on the same DynamoDB Local: another process, as far as the data knows. */
let other: Harness;
beforeAll(() => {
  h = harness(undefined, { today: () => TODAY });
  other = harness(undefined, { today: () => TODAY });
});
afterAll(async () => {
  await h.close();
  await other.close();
});

const materialiser = (store: Store = h.store, today = TODAY) =>
  createMaterialiser(store, { today: () => today, log: quiet });

interface Setup {
  u: User;
  checking: string;
  card: string;
  utilities: string;
}

async function setup(): Promise<Setup> {
  const u = await signup(h);
  const checking = (await h.call("GET", "/v1/accounts", { token: u.token })).body.items[0].accountId;
  const card = await h.call("POST", "/v1/accounts", {
    token: u.token,
    body: { name: "Visa", type: "credit-card", openingBalance: 100_000, openingDate: "2024-01-01" },
  });
  expect(card.status).toBe(201);
  const categories = (await h.call("GET", "/v1/categories", { token: u.token })).body.items;
  const utilities = categories.find((c: { type: string }) => c.type === "utilities").categoryId;
  return { u, checking, card: card.body.accountId, utilities };
}

async function template(s: Setup, body: Record<string, unknown>, app: Harness = h) {
  const res = await app.call("POST", "/v1/recurring", { token: s.u.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const power = (s: Setup, over: Record<string, unknown> = {}) => ({
  name: "City Power",
  amount: 8_000,
  accountId: s.checking,
  categoryId: s.utilities,
  merchant: "City Power",
  matchTolerance: 500,
  matchWindowDays: 3,
  schedule: { frequency: "monthly", startDate: "2025-01-01", byMonthDay: 1 },
  backfill: true,
  ...over,
});

async function transactions(s: Setup) {
  const res = await h.call("GET", "/v1/transactions?limit=500", { token: s.u.token });
  expect(res.status).toBe(200);
  return res.body.items as {
    transactionId: string;
    date: string;
    amount: number;
    type: string;
    accountId: string;
    categoryId: string | null;
    bankId: string | null;
    cleared: boolean;
    recurring?: { recurringId: string; date: string };
  }[];
}

const balance = async (s: Setup, accountId: string) =>
  (await h.call("GET", `/v1/accounts/${accountId}`, { token: s.u.token })).body.balance as number;

async function totals(s: Setup, month: string) {
  const item = (await ownerItems(h.store, s.u.owner)).find(
    (i) => i.SK === keys.monthTotals(s.u.owner, month).SK,
  );
  return item as Record<string, number> | undefined;
}

const get = async (s: Setup, id: string) =>
  (await h.call("GET", `/v1/recurring/${id}`, { token: s.u.token })).body;

function ofx(rows: { date: string; amount: string; fitId: string; name: string }[]): string {
  const trn = rows
    .map(
      (r) =>
        `<STMTTRN>\n<TRNTYPE>${r.amount.startsWith("-") ? "DEBIT" : "CREDIT"}\n<DTPOSTED>${r.date.replaceAll("-", "")}\n<TRNAMT>${r.amount}\n<FITID>${r.fitId}\n<NAME>${r.name}\n</STMTTRN>`,
    )
    .join("\n");
  return `OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX>
<BANKMSGSRSV1>
<STMTTRNRS>
<TRNUID>1
<STATUS>
<CODE>0
<SEVERITY>INFO
</STATUS>
<STMTRS>
<CURDEF>USD
<BANKACCTFROM>
<BANKID>121000248
<ACCTID>000111222
<ACCTTYPE>CHECKING
</BANKACCTFROM>
<BANKTRANLIST>
<DTSTART>20250101
<DTEND>20250331
${trn}
</BANKTRANLIST>
</STMTRS>
</STMTTRNRS>
</BANKMSGSRSV1>
</OFX>
`;
}

async function importOfx(s: Setup, text: string) {
  const f = new FormData();
  f.set("file", new File([text], "checking.ofx"));
  const res = await h.call("POST", `/v1/imports?accountId=${s.checking}`, { token: s.u.token, raw: f });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe("the materialiser", () => {
  it("posts every due occurrence once, under ids derived from template and date, with totals, balances and audit", async () => {
    const s = await setup();
    const t = await template(s, power(s, { schedule: { frequency: "monthly", startDate: "2025-01-31" } }));
    expect(t.postedThrough).toBe("2025-01-30");
    const m = materialiser();
    expect(await m.runOwner(s.u.owner)).toMatchObject({ posted: 2, found: 0, failed: 0, deferred: 0 });
    const posted = await transactions(s);
    expect(posted.map((r) => [r.transactionId, r.date, r.amount, r.type, r.categoryId])).toEqual([
      [occurrenceTransactionId(t.recurringId, "2025-02-28"), "2025-02-28", 8_000, "expense", s.utilities],
      [occurrenceTransactionId(t.recurringId, "2025-01-31"), "2025-01-31", 8_000, "expense", s.utilities],
    ]);
    expect(posted[0]?.recurring).toEqual({ recurringId: t.recurringId, date: "2025-02-28" });
    expect(await balance(s, s.checking)).toBe(-16_000);
    expect(await totals(s, "2025-01")).toMatchObject({
      expenses: 8_000,
      count: 1,
      [`spent#${s.utilities}`]: 8_000,
    });
    expect(await totals(s, "2025-02")).toMatchObject({ expenses: 8_000, count: 1 });
    const after = await get(s, t.recurringId);
    expect(after).toMatchObject({ postedThrough: "2025-02-28", nextOccurrence: "2025-03-31", version: 1 });
    expect((await auditActions(h.store, s.u.owner)).filter((a) => a === "recurring.post")).toHaveLength(2);
    // The category counts the template and the two transactions.
    const category = (await ownerItems(h.store, s.u.owner)).find(
      (i) => i.SK === keys.category(s.u.owner, s.utilities).SK,
    );
    expect(category?.useCount).toBe(3);

    // Run again, and again later the same day: nothing new.
    expect(await m.runOwner(s.u.owner)).toMatchObject({ posted: 0, found: 0 });
    expect(await materialiser(other.store).runOwner(s.u.owner)).toMatchObject({ posted: 0, found: 0 });
    expect(await transactions(s)).toHaveLength(2);
    expect(await balance(s, s.checking)).toBe(-16_000);
  });

  it("reads the user's categories and accounts once a run, however many occurrences it posts", async () => {
    const s = await setup();
    // Every Monday from 2025-01-06: ten occurrences to 2025-03-10.
    await template(s, power(s, { name: "Gym", schedule: { frequency: "weekly", startDate: "2025-01-06" } }));
    h.commands.length = 0;
    expect(await materialiser().runOwner(s.u.owner)).toMatchObject({ posted: 10, failed: 0 });
    const reads = (prefix: string) =>
      h.commands.filter(
        (c) =>
          c.name === "QueryCommand" &&
          (c.input.ExpressionAttributeValues as Record<string, unknown>)[":sk"] === prefix,
      );
    expect(reads(prefixes.category)).toHaveLength(1);
    expect(reads(prefixes.account)).toHaveLength(1);
  });

  it("posts from the day a template is made unless asked to backfill, and nothing before its start", async () => {
    const s = await setup();
    await template(
      s,
      power(s, {
        name: "Today",
        backfill: false,
        schedule: { frequency: "monthly", startDate: "2025-01-15" },
      }),
    );
    await template(
      s,
      power(s, { name: "Future", schedule: { frequency: "monthly", startDate: "2025-04-01" } }),
    );
    await template(s, power(s, { name: "Reminder", autoPost: false }));
    expect(await materialiser().runOwner(s.u.owner)).toMatchObject({ posted: 1 });
    expect((await transactions(s)).map((r) => r.date)).toEqual(["2025-03-15"]);
  });

  it("posts a transfer as both legs: a card payment lowers what is owed and counts as paid to debt", async () => {
    const s = await setup();
    const t = await template(s, {
      name: "Visa payment",
      amount: 25_000,
      kind: "transfer",
      accountId: s.checking,
      toAccountId: s.card,
      schedule: { frequency: "monthly", startDate: "2025-03-10" },
      backfill: true,
    });
    expect(await materialiser().runOwner(s.u.owner)).toMatchObject({ posted: 1 });
    const legs = await transactions(s);
    expect(legs.map((r) => [r.accountId, r.transactionId]).sort()).toEqual(
      [
        [s.checking, occurrenceTransactionId(t.recurringId, "2025-03-10")],
        [s.card, occurrenceTransactionId(t.recurringId, "2025-03-10", "in")],
      ].sort(),
    );
    expect(await balance(s, s.checking)).toBe(-25_000);
    expect(await balance(s, s.card)).toBe(75_000);
    expect(await totals(s, "2025-03")).toMatchObject({ paidToDebt: 25_000 });
  });

  it("never posts again an occurrence whose transaction was deleted", async () => {
    const s = await setup();
    await template(s, power(s, { schedule: { frequency: "monthly", startDate: "2025-03-01" } }));
    const m = materialiser();
    await m.runOwner(s.u.owner);
    const [posted] = await transactions(s);
    expect(
      (await h.call("DELETE", `/v1/transactions/${posted?.transactionId}`, { token: s.u.token })).status,
    ).toBe(204);
    expect(await m.runOwner(s.u.owner)).toMatchObject({ posted: 0 });
    expect(await transactions(s)).toEqual([]);
    expect(await balance(s, s.checking)).toBe(0);
  });

  it("records why an occurrence cannot be posted, and posts it once the cause is gone", async () => {
    const s = await setup();
    const savings = await h.call("POST", "/v1/accounts", {
      token: s.u.token,
      body: { name: "Savings", type: "savings" },
    });
    const t = await template(
      s,
      power(s, {
        accountId: savings.body.accountId,
        schedule: { frequency: "monthly", startDate: "2025-03-01" },
      }),
    );
    await h.call("PUT", `/v1/accounts/${savings.body.accountId}`, {
      token: s.u.token,
      body: { closed: true },
    });
    const m = materialiser();
    expect(await m.runOwner(s.u.owner)).toMatchObject({ posted: 0, failed: 1 });
    const failed = await get(s, t.recurringId);
    expect(failed.lastFailure).toMatchObject({
      date: "2025-03-01",
      message: expect.stringContaining("accountId"),
    });
    expect(failed.postedThrough).toBe("2025-02-28");
    // Failing again the same way writes nothing more.
    await m.runOwner(s.u.owner);
    expect((await auditActions(h.store, s.u.owner)).filter((a) => a === "recurring.fail")).toHaveLength(1);
    await h.call("PUT", `/v1/accounts/${savings.body.accountId}`, {
      token: s.u.token,
      body: { closed: false },
    });
    expect(await m.runOwner(s.u.owner)).toMatchObject({ posted: 1, failed: 0 });
    expect(await get(s, t.recurringId)).toMatchObject({ lastFailure: null, postedThrough: "2025-03-01" });
  });

  it("posts uncategorised (for rules to choose) when the template's category was archived since", async () => {
    const s = await setup();
    const c = await h.call("POST", "/v1/categories", {
      token: s.u.token,
      body: { name: "Power", group: "essential" },
    });
    await template(
      s,
      power(s, {
        categoryId: c.body.categoryId,
        schedule: { frequency: "monthly", startDate: "2025-03-01" },
      }),
    );
    expect(
      (await h.call("DELETE", `/v1/categories/${c.body.categoryId}`, { token: s.u.token })).body.result,
    ).toBe("archived");
    expect(await materialiser().runOwner(s.u.owner)).toMatchObject({ posted: 1 });
    expect((await transactions(s))[0]?.categoryId).toBeNull();
  });
});

describe("exactly once under concurrency", () => {
  /** A weekly bill and a monthly card payment, due many times over since December. */
  async function busy(s: Setup) {
    await template(
      s,
      power(s, {
        name: "Gym",
        amount: 1_500,
        categoryId: null,
        merchant: "Gym",
        schedule: { frequency: "weekly", startDate: "2024-12-02" },
      }),
    );
    await template(s, {
      name: "Visa payment",
      amount: 10_000,
      kind: "transfer",
      accountId: s.checking,
      toAccountId: s.card,
      schedule: { frequency: "monthly", startDate: "2024-12-05" },
      backfill: true,
    });
  }
  // Mondays from 2024-12-02 to 2025-03-10, and the 5th of December to March.
  const GYM = 15;
  const PAYMENTS = 4;

  async function expectEachOnce(s: Setup) {
    const all = await transactions(s);
    expect(all).toHaveLength(GYM + 2 * PAYMENTS);
    expect(new Set(all.map((r) => r.transactionId)).size).toBe(all.length);
    expect(await balance(s, s.checking)).toBe(-(GYM * 1_500 + PAYMENTS * 10_000));
    expect(await balance(s, s.card)).toBe(100_000 - PAYMENTS * 10_000);
    const march = await totals(s, "2025-03");
    expect(march).toMatchObject({ expenses: 2 * 1_500, paidToDebt: 10_000, count: 2 + 2 });
  }

  it("two runs at once in one process, and a third from another app on the same DynamoDB, post each occurrence once", async () => {
    const s = await setup();
    await busy(s);
    const reports = await Promise.all([
      materialiser().runAll(),
      materialiser().runAll(),
      materialiser(other.store).runAll(),
      // These wait for the user's lease instead of leaving the user to the next run.
      materialiser().runOwner(s.u.owner, { waitMs: 20_000 }),
      materialiser(other.store).runOwner(s.u.owner, { waitMs: 20_000 }),
    ]);
    expect(reports.reduce((n, r) => n + r.posted, 0)).toBeGreaterThanOrEqual(GYM + PAYMENTS);
    await expectEachOnce(s);
    expect((await auditActions(h.store, s.u.owner)).filter((a) => a === "recurring.post")).toHaveLength(
      GYM + PAYMENTS,
    );
  });

  it("without the lease, the derived ids and postedThrough's conditions alone still post each once", async () => {
    const s = await setup();
    await busy(s);
    /** A lease always granted: runs that truly overlap, in two processes. */
    const open: ImportLeases = {
      acquire: async () => undefined,
      refresh: async () => undefined,
      release: async () => undefined,
    } as unknown as ImportLeases;
    const unguarded = (store: Store) =>
      createMaterialiser(store, { leases: open, today: () => TODAY, log: quiet });
    // Runs that lose a race stop and leave the rest to the next run: run until nothing is left.
    for (let round = 0; round < 30; round++) {
      const reports = await Promise.all([
        unguarded(h.store).runOwner(s.u.owner),
        unguarded(h.store).runOwner(s.u.owner),
        unguarded(other.store).runOwner(s.u.owner),
      ]);
      if (reports.every((r) => r.posted === 0 && r.deferred === 0)) break;
    }
    await expectEachOnce(s);
  });

  it("one occurrence written by many at once: one transaction, the rest write nothing", async () => {
    const s = await setup();
    const t = await template(s, power(s, { schedule: { frequency: "monthly", startDate: "2025-03-01" } }));
    const service = (store: Store) =>
      new TransactionService({
        store,
        transactions: new TransactionRepository(store),
        categories: new CategoryRepository(store),
        accounts: new AccountRepository(store),
        rules: new RuleRepository(store),
        merchants: new MerchantRepository(store),
        idempotency: new IdempotencyStore(store),
        files: new LocalFileStorage(h.receiptsDir),
      });
    const ids = {
      transactionId: occurrenceTransactionId(t.recurringId, "2025-03-01"),
      pairId: occurrenceTransactionId(t.recurringId, "2025-03-01", "in"),
      recordedAt: Date.parse("2025-03-01T00:00:00Z"),
    };
    const input = { date: "2025-03-01", amount: 8_000, type: "expense" as const, accountId: s.checking };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        service(i % 2 ? other.store : h.store).createDerived(s.u.owner, input, ids, "recurring.post"),
      ),
    );
    expect(results.filter((r) => r !== undefined)).toHaveLength(1);
    expect(await transactions(s)).toHaveLength(1);
    expect(await balance(s, s.checking)).toBe(-8_000);
    expect(await totals(s, "2025-03")).toMatchObject({ expenses: 8_000, count: 1 });
  });
});

describe("a bill the bank also brings ends as one transaction", () => {
  it("posted first, then imported: the import links the row to the occurrence, within the tolerance, with the bank's id and amount", async () => {
    const s = await setup();
    const t = await template(s, power(s, { schedule: { frequency: "monthly", startDate: "2025-03-01" } }));
    await materialiser().runOwner(s.u.owner);
    const result = await importOfx(
      s,
      ofx([{ date: "2025-03-03", amount: "-83.17", fitId: "F-POWER-0303", name: "CITY POWER CO" }]),
    );
    expect(result.counts).toMatchObject({ rows: 1, imported: 0, matched: 1 });
    const all = await transactions(s);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      transactionId: occurrenceTransactionId(t.recurringId, "2025-03-01"),
      date: "2025-03-01",
      amount: 8_317,
      bankId: "F-POWER-0303",
      cleared: true,
      recurring: { recurringId: t.recurringId, date: "2025-03-01" },
    });
    expect(await balance(s, s.checking)).toBe(-8_317);
    expect(await totals(s, "2025-03")).toMatchObject({
      expenses: 8_317,
      count: 1,
      [`spent#${s.utilities}`]: 8_317,
    });
    // The same file again adds nothing.
    expect(
      (
        await importOfx(
          s,
          ofx([{ date: "2025-03-03", amount: "-83.17", fitId: "F-POWER-0303", name: "CITY POWER CO" }]),
        )
      ).counts,
    ).toMatchObject({ imported: 0 });
    expect(await transactions(s)).toHaveLength(1);

    // Undone, the import gives the bill its own amount back.
    const undo = await h.call("DELETE", `/v1/imports/${result.importId}`, { token: s.u.token });
    expect(undo.status, JSON.stringify(undo.body)).toBe(200);
    expect((await transactions(s))[0]).toMatchObject({ amount: 8_000, bankId: null, cleared: false });
    expect(await balance(s, s.checking)).toBe(-8_000);
    expect(await totals(s, "2025-03")).toMatchObject({ expenses: 8_000, count: 1 });
  });

  it("a bank amount beyond the tolerance, or a date beyond the window, is another transaction", async () => {
    const s = await setup();
    await template(s, power(s, { schedule: { frequency: "monthly", startDate: "2025-03-01" } }));
    await materialiser().runOwner(s.u.owner);
    const result = await importOfx(
      s,
      ofx([
        { date: "2025-03-02", amount: "-85.01", fitId: "F1", name: "CITY POWER CO" },
        { date: "2025-03-05", amount: "-80.50", fitId: "F2", name: "CITY POWER CO" },
      ]),
    );
    expect(result.counts).toMatchObject({ imported: 2, matched: 0 });
    expect(await transactions(s)).toHaveLength(3);
  });

  it("a posted card payment is matched by the checking file's row and both legs take the bank's amount", async () => {
    const s = await setup();
    await template(s, {
      name: "Visa payment",
      amount: 25_000,
      kind: "transfer",
      accountId: s.checking,
      toAccountId: s.card,
      matchTolerance: 1_000,
      schedule: { frequency: "monthly", startDate: "2025-03-10" },
      backfill: true,
    });
    await materialiser().runOwner(s.u.owner);
    const result = await importOfx(
      s,
      ofx([{ date: "2025-03-11", amount: "-255.00", fitId: "PAY1", name: "VISA PAYMENT" }]),
    );
    expect(result.counts).toMatchObject({ imported: 0, matched: 1 });
    const legs = await transactions(s);
    expect(legs.map((l) => l.amount)).toEqual([25_500, 25_500]);
    expect(await balance(s, s.checking)).toBe(-25_500);
    expect(await balance(s, s.card)).toBe(100_000 - 25_500);
    expect(await totals(s, "2025-03")).toMatchObject({ paidToDebt: 25_500 });
  });

  it("imported first, then materialised: the occurrence is found already recorded and not posted", async () => {
    const s = await setup();
    const file = ofx([
      { date: "2025-02-27", amount: "-81.00", fitId: "F-POWER-0227", name: "CITY POWER CO" },
    ]);
    await importOfx(s, file);
    const imported = await transactions(s);
    expect(imported).toHaveLength(1);
    const t = await template(s, power(s, { schedule: { frequency: "monthly", startDate: "2025-03-01" } }));
    expect(await materialiser().runOwner(s.u.owner)).toMatchObject({ posted: 0, found: 1 });
    const all = await transactions(s);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      transactionId: imported[0]?.transactionId,
      amount: 8_100,
      bankId: "F-POWER-0227",
      recurring: { recurringId: t.recurringId, date: "2025-03-01" },
    });
    expect(await get(s, t.recurringId)).toMatchObject({
      postedThrough: "2025-03-01",
      nextOccurrence: "2025-04-01",
    });
    expect(await balance(s, s.checking)).toBe(-8_100);
    expect(await auditActions(h.store, s.u.owner)).toContain("recurring.found");
    // Later runs, and the same file again, change nothing.
    expect(await materialiser().runOwner(s.u.owner)).toMatchObject({ posted: 0, found: 0 });
    await importOfx(s, file);
    expect(await transactions(s)).toHaveLength(1);
  });

  it("typed first, found, then imported: the bank row links to it, and what the person wrote stays", async () => {
    const s = await setup();
    const typed = await h.call("POST", "/v1/transactions", {
      token: s.u.token,
      body: {
        date: "2025-03-01",
        amount: 8_000,
        type: "expense",
        accountId: s.checking,
        categoryId: s.utilities,
        merchant: "City Power",
      },
    });
    expect(typed.status, JSON.stringify(typed.body)).toBe(201);
    const t = await template(s, power(s, { schedule: { frequency: "monthly", startDate: "2025-03-01" } }));
    expect(await materialiser().runOwner(s.u.owner)).toMatchObject({ posted: 0, found: 1 });
    const result = await importOfx(
      s,
      ofx([{ date: "2025-03-03", amount: "-83.17", fitId: "F-POWER-0303", name: "CITY POWER CO" }]),
    );
    // Within the bill's tolerance it is the same bill: not doubled, and not given the bank's amount.
    expect(result.counts).toMatchObject({ rows: 1, imported: 0, matched: 1 });
    const all = await transactions(s);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      transactionId: typed.body.transactionId,
      amount: 8_000,
      bankId: "F-POWER-0303",
      cleared: true,
      recurring: { recurringId: t.recurringId, date: "2025-03-01" },
    });
    expect(await balance(s, s.checking)).toBe(-8_000);
    expect(await totals(s, "2025-03")).toMatchObject({ expenses: 8_000, count: 1 });
  });

  it("one bank row is one occurrence: a second template of the same bill cannot take it too", async () => {
    const s = await setup();
    await importOfx(s, ofx([{ date: "2025-03-01", amount: "-80.00", fitId: "ONLY", name: "CITY POWER" }]));
    await template(
      s,
      power(s, { name: "Power A", schedule: { frequency: "monthly", startDate: "2025-03-01" } }),
    );
    await template(
      s,
      power(s, { name: "Power B", schedule: { frequency: "monthly", startDate: "2025-03-01" } }),
    );
    expect(await materialiser().runOwner(s.u.owner)).toMatchObject({ posted: 1, found: 1 });
    expect(await transactions(s)).toHaveLength(2);
  });
});

describe("editing a template changes future occurrences only", () => {
  // Another app on the same data, whose today is later; it verifies the same tokens.
  const later = (day: string) => harness(h.tokens, { today: () => day });

  it("due occurrences are posted as the template was, then the change applies to the next ones", async () => {
    const s = await setup();
    const t = await template(s, power(s, { schedule: { frequency: "monthly", startDate: "2025-03-01" } }));
    // Due on March 1 and not posted yet: the edit posts it at 80.00 first.
    const put = await h.call("PUT", `/v1/recurring/${t.recurringId}`, {
      token: s.u.token,
      headers: { "if-match": '"1"' },
      body: { amount: 9_000 },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body).toMatchObject({ amount: 9_000, postedThrough: "2025-03-01", version: 2 });
    expect((await transactions(s)).map((r) => [r.date, r.amount])).toEqual([["2025-03-01", 8_000]]);
    // A month later, April's is posted with the new amount; March's stays.
    const april = later("2025-04-02");
    try {
      expect(await materialiser(april.store, "2025-04-02").runOwner(s.u.owner)).toMatchObject({ posted: 1 });
    } finally {
      await april.close();
    }
    expect((await transactions(s)).map((r) => [r.date, r.amount])).toEqual([
      ["2025-04-01", 9_000],
      ["2025-03-01", 8_000],
    ]);
  });

  it("a new schedule starts from the day of the edit: nothing before it is posted by the new rule", async () => {
    const s = await setup();
    const t = await template(s, power(s, { schedule: { frequency: "monthly", startDate: "2025-03-01" } }));
    await materialiser().runOwner(s.u.owner);
    // From the 1st to the 10th on the 15th: March 10 is before the edit and is not posted.
    const put = await h.call("PUT", `/v1/recurring/${t.recurringId}`, {
      token: s.u.token,
      body: { schedule: { frequency: "monthly", startDate: "2025-01-01", byMonthDay: 10 } },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ postedThrough: "2025-03-14", nextOccurrence: "2025-04-10" });
    expect(await materialiser().runOwner(s.u.owner)).toMatchObject({ posted: 0 });
    expect((await transactions(s)).map((r) => r.date)).toEqual(["2025-03-01"]);
  });

  it("a paused template posts nothing, and once resumed starts from that day", async () => {
    const s = await setup();
    const t = await template(s, power(s, { schedule: { frequency: "weekly", startDate: "2025-03-03" } }));
    // Pausing first posts what was due (March 3 and 10).
    await h.call("PUT", `/v1/recurring/${t.recurringId}`, { token: s.u.token, body: { status: "paused" } });
    expect((await transactions(s)).map((r) => r.date)).toEqual(["2025-03-10", "2025-03-03"]);
    const afterwards = later("2025-04-02");
    try {
      expect(await materialiser(afterwards.store, "2025-04-02").runOwner(s.u.owner)).toMatchObject({
        posted: 0,
      });
      const resumed = await afterwards.call("PUT", `/v1/recurring/${t.recurringId}`, {
        token: s.u.token,
        body: { status: "active" },
      });
      expect(resumed.body).toMatchObject({
        status: "active",
        postedThrough: "2025-04-01",
        nextOccurrence: "2025-04-07",
      });
      expect(await materialiser(afterwards.store, "2025-04-08").runOwner(s.u.owner)).toMatchObject({
        posted: 1,
      });
    } finally {
      await afterwards.close();
    }
    expect((await transactions(s)).map((r) => r.date)).toEqual(["2025-04-07", "2025-03-10", "2025-03-03"]);
  });

  it("deleting a template posts what was due, keeps what it posted, and posts nothing more", async () => {
    const s = await setup();
    const t = await template(s, power(s, { schedule: { frequency: "monthly", startDate: "2025-03-01" } }));
    expect((await h.call("DELETE", `/v1/recurring/${t.recurringId}`, { token: s.u.token })).status).toBe(204);
    expect((await transactions(s)).map((r) => r.date)).toEqual(["2025-03-01"]);
    expect(await materialiser(h.store, "2025-05-15").runOwner(s.u.owner)).toMatchObject({ posted: 0 });
    expect(await transactions(s)).toHaveLength(1);
  });

  it("an edit waits for an import of the same user, and answers 409 if it does not end", async () => {
    const s = await setup();
    const t = await template(s, power(s, { schedule: { frequency: "monthly", startDate: "2025-03-01" } }));
    const leases = new ImportLeases(h.store);
    await leases.acquire(s.u.owner, "someone-importing");
    const started = Date.now();
    const put = await h.call("PUT", `/v1/recurring/${t.recurringId}`, {
      token: s.u.token,
      body: { amount: 1 },
    });
    expect(put.status).toBe(409);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_500);
    expect(await get(s, t.recurringId)).toMatchObject({ amount: 8_000, version: 1 });
    expect(await transactions(s)).toEqual([]);
    await leases.release(s.u.owner, "someone-importing");
  });
});

describe("imports and the materialiser take turns", () => {
  it("an import that meets a run holding the user's lease answers 409 saying so, and the run's bills are there after", async () => {
    const s = await setup();
    await template(s, power(s, { schedule: { frequency: "monthly", startDate: "2025-03-01" } }));
    const leases = new ImportLeases(h.store);
    await leases.acquire(s.u.owner, "recurring-held-by-a-test");
    const f = new FormData();
    f.set(
      "file",
      new File([ofx([{ date: "2025-03-02", amount: "-80.00", fitId: "T1", name: "CITY POWER" }])], "c.ofx"),
    );
    const blocked = await h.call("POST", `/v1/imports?accountId=${s.checking}`, { token: s.u.token, raw: f });
    expect(blocked.status).toBe(409);
    expect(blocked.body.detail).toMatch(/Recurring bills are being posted/);
    await leases.release(s.u.owner, "recurring-held-by-a-test");
    // Once it is let go, the run posts March's bill, and the bank's row is matched to it.
    await materialiser().runOwner(s.u.owner);
    const result = await importOfx(
      s,
      ofx([{ date: "2025-03-02", amount: "-80.00", fitId: "T1", name: "CITY POWER" }]),
    );
    expect(result.counts).toMatchObject({ imported: 0, matched: 1 });
    expect(await transactions(s)).toHaveLength(1);
  });

  it("a run that finds an import holding the lease leaves the user to the next run, posting nothing", async () => {
    const s = await setup();
    await template(s, power(s, { schedule: { frequency: "monthly", startDate: "2025-03-01" } }));
    const leases = new ImportLeases(h.store);
    await leases.acquire(s.u.owner, "an-import");
    try {
      expect(await materialiser().runOwner(s.u.owner)).toMatchObject({ posted: 0, deferred: 1 });
    } finally {
      await leases.release(s.u.owner, "an-import");
    }
    expect(await transactions(s)).toEqual([]);
    expect(await materialiser().runOwner(s.u.owner)).toMatchObject({ posted: 1, deferred: 0 });
  });
});

describe("the owners' index", () => {
  it("starts no further user once asked to stop, leaving them for the next run", async () => {
    const s = await setup();
    await template(s, power(s));
    const stopped = await materialiser().runAll({ stopping: () => true });
    expect(stopped.posted).toBe(0);
    expect(stopped.deferred).toBe(stopped.owners);
    expect(await transactions(s)).toEqual([]);
    await materialiser().runAll();
    expect((await transactions(s)).map((r) => r.date).sort()).toEqual([
      "2025-01-01",
      "2025-02-01",
      "2025-03-01",
    ]);
  });

  it("lets a run over everyone find a user without scanning, and forgets users with nothing to post", async () => {
    const s = await setup();
    const t = await template(s, power(s, { schedule: { frequency: "monthly", startDate: "2025-03-01" } }));
    const repo = new RecurringRepository(h.store);
    const has = async (o: Owner) =>
      (await repo.owners()).some((x) => x.userId === o.userId && x.tenantId === o.tenantId);
    expect(await has(s.u.owner)).toBe(true);
    const report = await materialiser().runAll();
    expect(report.owners).toBeGreaterThanOrEqual(1);
    expect((await transactions(s)).map((r) => r.date)).toEqual(["2025-03-01"]);
    await h.call("PUT", `/v1/recurring/${t.recurringId}`, { token: s.u.token, body: { autoPost: false } });
    expect(await has(s.u.owner)).toBe(false);
    // Its entry, counted down to 0, was dropped on the way.
    const entry = await h.store.db.send(
      new GetCommand({
        TableName: h.store.tables.budgets,
        Key: keys.recurringOwner(s.u.owner),
        ConsistentRead: true,
      }),
    );
    expect(entry.Item).toBeUndefined();
  });
});
