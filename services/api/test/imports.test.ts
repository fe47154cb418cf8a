import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { ImportRecordRepository, type Lease } from "../src/db/imports";
import { keys, type Owner } from "../src/db/keys";
import { TYCHE_EXPORT_HEADER_LINE } from "../src/imports/export-csv";
import { type Account, type Harness, harness, ownerItems, signup } from "./support/harness";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "fixtures", name));

let h: Harness;

/** A lease as a crash leaves it, written straight to the table. */
async function plantLease(owner: Owner, lease: Omit<Lease, "tenantId" | "userId">): Promise<void> {
  await h.store.db.send(
    new PutCommand({
      TableName: h.store.tables.transactionDetails,
      Item: { ...keys.importLease(owner), entity: "importLease", ...owner, ...lease },
    }),
  );
}

/** What a crash between writing rows and counting them leaves in a month: its totals at zero. */
async function zeroTotals(owner: Owner, month: string): Promise<void> {
  await h.store.db.send(
    new UpdateCommand({
      TableName: h.store.tables.budgets,
      Key: keys.monthTotals(owner, month),
      UpdateExpression: "SET expenses = :zero, income = :zero",
      ExpressionAttributeValues: { ":zero": 0 },
    }),
  );
}

beforeAll(() => {
  h = harness();
});

function form(bytes: Uint8Array | string, name: string, options?: unknown): FormData {
  const f = new FormData();
  f.set("file", new File([bytes as BlobPart], name));
  if (options !== undefined)
    f.set("options", typeof options === "string" ? options : JSON.stringify(options));
  return f;
}

const upload = (account: Account, body: FormData, query = "", headers: Record<string, string> = {}) =>
  h.call("POST", `/v1/imports${query}`, { token: account.token, raw: body, headers });

async function allTransactions(account: Account) {
  const out: {
    date: string;
    amount: number;
    type: string;
    merchant: string | null;
    categorizedBy: string;
  }[] = [];
  let cursor: string | undefined;
  do {
    const res = await h.call("GET", `/v1/transactions?limit=200${cursor ? `&cursor=${cursor}` : ""}`, {
      token: account.token,
    });
    out.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

describe("bank imports", () => {
  it("previews a dry run with suggested categories and duplicates, writing nothing", async () => {
    const a = await signup(h);
    const before = await ownerItems(h.store, a.owner);
    const res = await upload(a, form(fixture("us-signed.csv"), "chase.csv"), "?dryRun=true");
    expect(res.status).toBe(200);
    expect(res.body.dryRun).toBe(true);
    expect(res.body.format).toBe("csv");
    expect(res.body.guesses.dateFormat.value).toBe("us");
    expect(res.body.guesses.columns.value.amount).toBeDefined();
    expect(res.body.counts.rows).toBeGreaterThan(10);
    expect(res.body.rows[0]).toMatchObject({ duplicate: false, categorizedBy: "none" });
    expect(await ownerItems(h.store, a.owner)).toEqual(before);
  });

  it("imports a CSV once: the second import of the same file adds nothing", async () => {
    const a = await signup(h);
    const first = await upload(a, form(fixture("us-signed.csv"), "chase.csv"));
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ status: "completed", format: "csv" });
    const { rows, imported, duplicates, failed } = first.body.counts;
    expect(imported).toBe(rows);
    expect(duplicates).toBe(0);
    expect(first.body.processed).toBe(first.body.total);
    expect(failed).toBe(first.body.errors.length);

    const listed = await allTransactions(a);
    expect(listed).toHaveLength(imported);
    expect(listed.find((t) => t.merchant === "Blue Bottle Coffee")).toMatchObject({
      amount: 575,
      type: "expense",
    });

    const second = await upload(a, form(fixture("us-signed.csv"), "chase again.csv"));
    expect(second.body.counts).toMatchObject({ imported: 0, duplicates: rows });
    expect(await allTransactions(a)).toHaveLength(imported);
  });

  it("keeps month totals equal to the imported rows", async () => {
    const a = await signup(h);
    const res = await upload(a, form(fixture("european.csv"), "sparkasse.csv"));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const listed = await allTransactions(a);
    const months = new Set(listed.map((t) => t.date.slice(0, 7)));
    for (const month of months) {
      await h.call("POST", "/v1/budgets", { token: a.token, body: { month, totalIncome: 0 } });
      const budget = (await h.call("GET", `/v1/budgets/${month}`, { token: a.token })).body;
      const inMonth = listed.filter((t) => t.date.startsWith(month));
      const sum = (type: string) => inMonth.filter((t) => t.type === type).reduce((s, t) => s + t.amount, 0);
      expect(budget.totalActualExpenses).toBe(sum("expense"));
      expect(budget.actualIncome).toBe(sum("income"));
    }
    expect(listed.find((t) => t.amount === 250_000)).toMatchObject({ type: "income" });
  });

  it("reads debit and credit columns, and reports unreadable rows by line while importing the rest", async () => {
    const a = await signup(h);
    const res = await upload(a, form(fixture("debit-credit.csv"), "barclays.csv"));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const listed = await allTransactions(a);
    expect(listed.find((t) => t.amount === 245_000)).toMatchObject({ type: "income" });
    expect(listed.find((t) => t.amount === 2_345)).toMatchObject({ type: "expense" });
    expect(res.body.errors.map((e: { line: number }) => e.line)).toEqual([11, 15, 20, 21]);
    expect(res.body.counts).toMatchObject({ failed: 4, imported: listed.length });
  });

  it("takes an explicit column mapping for a file without a header", async () => {
    const a = await signup(h);
    const csv = "CARD 1234;05.01.2025;-12,50;Bäckerei Müller\nCARD 1234;06.01.2025;-3,20;Kiosk am Eck\n";
    const options = { hasHeader: false, columns: { date: 1, amount: 2, merchant: 3, description: 0 } };
    const res = await upload(a, form(csv, "export.txt", options));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.counts).toMatchObject({ imported: 2, failed: 0 });
    const listed = await allTransactions(a);
    expect(listed.map((t) => [t.date, t.amount, t.merchant])).toEqual([
      ["2025-01-06", 320, "Kiosk Am Eck"],
      ["2025-01-05", 1_250, "Bäckerei Müller"],
    ]);
  });

  it("imports OFX by FITID and QFX 2 XML, each only once", async () => {
    const a = await signup(h);
    const ofx = await upload(a, form(fixture("statement.ofx"), "card.ofx"));
    expect(ofx.status, JSON.stringify(ofx.body)).toBe(201);
    expect(ofx.body.format).toBe("ofx");
    expect(ofx.body.counts.imported).toBeGreaterThan(5);
    const again = await upload(a, form(fixture("statement.ofx"), "card.ofx"));
    expect(again.body.counts).toMatchObject({ imported: 0, duplicates: ofx.body.counts.rows });

    const qfx = await upload(a, form(fixture("statement-v2.qfx"), "bank.qfx"));
    expect(qfx.status, JSON.stringify(qfx.body)).toBe(201);
    expect(qfx.body.counts.imported).toBeGreaterThan(3);
    expect((await upload(a, form(fixture("statement-v2.qfx"), "bank.qfx"))).body.counts.imported).toBe(0);
  });

  it("applies the user's rules to imported rows", async () => {
    const a = await signup(h);
    const cats = await h.call("GET", "/v1/categories", { token: a.token });
    const subscriptions = cats.body.items.find(
      (c: { type: string }) => c.type === "subscriptions",
    ).categoryId;
    await h.call("POST", "/v1/rules", {
      token: a.token,
      body: {
        conditions: { merchant: { op: "equals", value: "Netflix" } },
        actions: { categoryId: subscriptions },
      },
    });
    await upload(a, form(fixture("us-signed.csv"), "chase.csv"));
    const netflix = (await h.call("GET", "/v1/transactions?merchant=netflix", { token: a.token })).body.items;
    expect(netflix.length).toBeGreaterThan(0);
    for (const t of netflix) expect(t).toMatchObject({ categoryId: subscriptions, categorizedBy: "rule" });
  });

  it("can be followed while it runs, and answers a retry with the same key with the same import", async () => {
    const a = await signup(h);
    const started = await upload(a, form(fixture("us-signed.csv"), "chase.csv"), "", {
      prefer: "respond-async",
      "idempotency-key": "import-1",
    });
    expect(started.status).toBe(202);
    expect(started.headers.get("location")).toBe(`/v1/imports/${started.body.importId}`);
    let record = started.body;
    for (let i = 0; i < 100 && record.status === "running"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      record = (await h.call("GET", `/v1/imports/${started.body.importId}`, { token: a.token })).body;
      expect(record.processed).toBeLessThanOrEqual(record.total);
    }
    expect(record.status).toBe("completed");
    expect(record.processed).toBe(record.total);

    const retry = await upload(a, form(fixture("us-signed.csv"), "chase.csv"), "", {
      "idempotency-key": "import-1",
    });
    expect(retry.body.importId).toBe(started.body.importId);
    const other = await signup(h);
    expect((await h.call("GET", `/v1/imports/${started.body.importId}`, { token: other.token })).status).toBe(
      404,
    );
  });

  it("runs one import at a time per user", async () => {
    const a = await signup(h);
    const lines = ["Date,Description,Amount"];
    for (let i = 0; i < 3_000; i++)
      lines.push(`2025-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, "0")},Shop ${i},-${i + 1}.00`);
    const big = await upload(a, form(lines.join("\n"), "big.csv"), "", { prefer: "respond-async" });
    expect(big.status).toBe(202);
    const second = await upload(a, form(fixture("us-signed.csv"), "chase.csv"));
    expect(second.status).toBe(409);
    expect(second.body.detail).toContain(big.body.importId);
    // another user is not held up
    const b = await signup(h);
    expect((await upload(b, form(fixture("us-signed.csv"), "chase.csv"))).status).toBe(201);
    for (let i = 0; i < 400; i++) {
      const r = await h.call("GET", `/v1/imports/${big.body.importId}`, { token: a.token });
      if (r.body.status !== "running") break;
      await new Promise((res) => setTimeout(res, 50));
    }
    expect((await upload(a, form(fixture("us-signed.csv"), "chase.csv"))).status).toBe(201);
    // a large file is checked for duplicates by one range read of the id pointers
    const again = await upload(a, form(lines.join("\n"), "big.csv"));
    expect(again.body.counts).toMatchObject({ rows: 3_000, imported: 0, duplicates: 3_000 });
  });

  it("recounts the months of an import that died between writing rows and counting them", async () => {
    const a = await signup(h);
    await upload(a, form(fixture("us-signed.csv"), "chase.csv"));
    const month = "2025-02";
    const budgetOf = async () => {
      await h.call("POST", "/v1/budgets", { token: a.token, body: { month, totalIncome: 0 } });
      return (await h.call("GET", `/v1/budgets/${month}`, { token: a.token })).body;
    };
    const right = await budgetOf();
    // What a crash leaves: rows written, totals not moved, and the dead import's lock expired.
    await zeroTotals(a.owner, month);
    expect((await budgetOf()).actualIncome).toBe(0);
    await plantLease(a.owner, {
      holder: "01JDEADIMPORT0000000000000",
      importId: "01JDEADIMPORT0000000000000",
      months: [month],
      pending: [],
      expiresAt: Date.now() - 1,
    });
    const next = await upload(a, form(fixture("statement.ofx"), "card.ofx"));
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    const repaired = await budgetOf();
    const listed = (await allTransactions(a)).filter((t) => t.date.startsWith(month));
    const sum = (type: string) =>
      listed.filter((t) => t.type === type).reduce((total, t) => total + t.amount, 0);
    // the file's own rows plus the new import's, each counted once (spending net of refunds)
    expect(repaired.actualIncome).toBe(sum("income"));
    expect(repaired.totalActualExpenses).toBe(sum("expense") - sum("refund"));
    expect(repaired.actualIncome).toBeGreaterThan(right.actualIncome);
  });

  it("repairs an import cut off on AWS when its progress is asked for and its lease has expired", async () => {
    const a = await signup(h);
    await upload(a, form(fixture("us-signed.csv"), "chase.csv"));
    const month = "2025-02";
    await h.call("POST", "/v1/budgets", { token: a.token, body: { month, totalIncome: 0 } });
    const right = (await h.call("GET", `/v1/budgets/${month}`, { token: a.token })).body;
    // What a Lambda that timed out leaves: totals not moved, a record `running`, a lease expired.
    await zeroTotals(a.owner, month);
    const importId = "01JDEADIMPORT0000000000001";
    await new ImportRecordRepository(h.store).create(a.owner, {
      importId,
      status: "running",
      fileName: "cut.csv",
      format: "csv",
      total: 10,
      processed: 0,
      counts: { rows: 10, imported: 0, matched: 0, duplicates: 0, ambiguous: 0, skipped: 0, failed: 0 },
      errors: [],
      ambiguous: [],
      skipped: [],
      accountId: null,
      months: [month],
      undoneAt: null,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      failure: null,
    });
    const lease = {
      holder: importId,
      importId,
      months: [month],
      pending: [],
      expiresAt: Date.now() + 60_000,
    };
    await plantLease(a.owner, lease);
    // While the lease is fresh, the import is taken to be running.
    expect((await h.call("GET", `/v1/imports/${importId}`, { token: a.token })).body.status).toBe("running");
    await plantLease(a.owner, { ...lease, expiresAt: Date.now() - 1 });
    const seen = await h.call("GET", `/v1/imports/${importId}`, { token: a.token });
    expect(seen.body).toMatchObject({ status: "failed" });
    expect(seen.body.failure).toContain("Interrupted");
    const repaired = (await h.call("GET", `/v1/budgets/${month}`, { token: a.token })).body;
    expect({ income: repaired.actualIncome, expenses: repaired.totalActualExpenses }).toEqual({
      income: right.actualIncome,
      expenses: right.totalActualExpenses,
    });
    // The lease is gone: the next import starts at once.
    expect((await upload(a, form(fixture("statement.ofx"), "card.ofx"))).status).toBe(201);
  });

  it("refuses binary garbage, oversized files and bad options with problem+json, writing nothing", async () => {
    const a = await signup(h);
    const before = await ownerItems(h.store, a.owner);
    const garbage = new Uint8Array(4096).map((_, i) => (i * 7919) % 256);
    const cases: [FormData, number, string][] = [
      [form(garbage, "statement.csv"), 422, "file"],
      [form("just a sentence, not a statement", "notes.csv"), 422, "file"],
      // 300 KB of nested tags: once a minute of blocked server and a stack overflow
      [form(`OFXHEADER:100\nDATA:OFXSGML\n\n<OFX>${"<A>".repeat(100_000)}</OFX>`, "deep.ofx"), 422, "file"],
      [form(fixture("us-signed.csv"), "chase.csv", "{not json"), 400, "options"],
      [form(fixture("us-signed.csv"), "chase.csv", { dateFormat: "mars" }), 400, "options.dateFormat"],
    ];
    for (const [body, status, path] of cases) {
      const res = await upload(a, body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const noFile = new FormData();
    noFile.set("options", "{}");
    expect((await upload(a, noFile)).status).toBe(400);
    const huge = form(new Uint8Array(10 * 1024 * 1024 + 100_000).fill(65), "huge.csv");
    expect((await upload(a, huge)).status).toBe(413);
    expect(await ownerItems(h.store, a.owner)).toEqual(before);
  });

  it("exports CSV that re-imports to the same transactions", async () => {
    const a = await signup(h);
    await upload(a, form(fixture("us-signed.csv"), "chase.csv"));
    await h.call("POST", "/v1/transactions", {
      token: a.token,
      body: {
        date: "2025-02-10",
        amount: 1_999,
        merchant: 'Joe\'s "Best", Pizza',
        notes: "=cmd|' /C calc'!A0",
      },
    });
    const original = await allTransactions(a);
    const res = await h.call("GET", "/v1/transactions/export?from=2025-01-01&to=2025-12-31", {
      token: a.token,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const csv = String(res.body);
    expect(csv.split("\r\n")[0]).toBe(TYCHE_EXPORT_HEADER_LINE);
    // a formula in a note cannot run when the file is opened in a spreadsheet
    expect(csv).toMatch(/,'=cmd\|/);
    expect(csv).not.toMatch(/,=cmd/);

    const b = await signup(h);
    const back = await upload(b, form(csv, "export.csv"));
    expect(back.status, JSON.stringify(back.body)).toBe(201);
    expect(back.body.counts).toMatchObject({ imported: original.length, failed: 0 });
    const key = (t: { date: string; amount: number; type: string; merchant: string | null }) =>
      `${t.date} ${t.amount} ${t.type} ${t.merchant}`;
    expect((await allTransactions(b)).map(key).sort()).toEqual(original.map(key).sort());
  });
});
