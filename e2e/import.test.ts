import { readFile } from "node:fs/promises";
import type { ImportRecord, Transaction } from "@tyche/types";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { call, shareServer } from "./support/api";
import { auditPage, openApp, signUpInBrowser, tokenOf } from "./support/browser";

const shared = shareServer();

/** Last month (UTC), so every row is in the past and in one month. */
function lastMonth(): { month: string; y: number; m: number; days: number } {
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const y = first.getUTCFullYear();
  const m = first.getUTCMonth() + 1;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { month: `${y}-${String(m).padStart(2, "0")}`, y, m, days };
}
const { month, y, m, days } = lastMonth();
const day = (d: number) => `${month}-${String(d).padStart(2, "0")}`;
/** A date as the app shows it in Chromium's en-US. */
const shortDate = (iso: string) =>
  new Intl.DateTimeFormat("en-US", { day: "numeric", month: "short", timeZone: "UTC" }).format(
    new Date(`${iso}T00:00:00Z`),
  );
const usDay = (d: number) => `${String(m).padStart(2, "0")}/${String(d).padStart(2, "0")}/${y}`;

/** A checking account's CSV as many banks write it: ISO dates, money out negative. 30 rows. */
const SHOPS = ["Green Grocer", "Metro Fuel", "Bright Pharmacy", "Lantern Books", "Oak Hardware"];
const bankRows = Array.from({ length: 30 }, (_, i) => {
  const paycheck = i === 0 || i === 15;
  return {
    date: day((i % 28) + 1),
    text: paycheck ? "ACME PAYROLL" : `${(SHOPS[i % SHOPS.length] as string).toUpperCase()} #${100 + i}`,
    cents: paycheck ? 250_000 : -(1_000 + i * 137),
  };
});
const bankCsv = `Date,Description,Amount\n${bankRows
  .map((r) => `${r.date},${r.text},${(r.cents / 100).toFixed(2)}`)
  .join("\n")}\n`;

/**
 * A file whose signs are the other way round (charges positive, as American Express and Discover
 * write them) under headers no bank layout has: most amounts are positive, so Tyche reads them as
 * money in until the user says otherwise. One row (Harbor Cafe, $14.00) is also entered by hand.
 */
const cafeRows = Array.from({ length: 8 }, (_, i) => ({
  d: i + 3,
  text: `Harbor Cafe ${i}`,
  cents: (i + 1) * 350,
}));
const invertedCsv = `Posted,Payee,Value\n${[
  ...cafeRows.map((r) => `${usDay(r.d)},${r.text},${(r.cents / 100).toFixed(2)}`),
  `${usDay(20)},Refund Store,-12.00`,
].join("\n")}\n`;

const api = <T>(token: string, method: string, path: string, body?: unknown) =>
  call<T>(shared.server.baseUrl, token, method, path, body);

const transactionsOf = async (token: string, accountId: string) =>
  (
    await api<{ items: Transaction[] }>(
      token,
      "GET",
      `/v1/transactions?accountId=${accountId}&from=${day(1)}&to=${day(days)}&limit=500`,
    )
  ).items;

/** The counts the result card shows, by name. */
async function shownCounts(page: Page, scope: string): Promise<Record<string, number>> {
  const items = page.locator(`${scope} [data-count]`);
  const out: Record<string, number> = {};
  for (const li of await items.all()) {
    out[(await li.getAttribute("data-count")) as string] = Number(await li.locator(".count").textContent());
  }
  return out;
}

const previewRows = (page: Page) => page.locator(".preview-table tbody tr");
const preview = (page: Page) => page.locator("section.preview");

describe("import a bank file a person can trust, and CSV export", () => {
  it("previews, corrects a guess, imports with progress, recognises duplicates, undoes and exports", async () => {
    const { page, context, problems } = await openApp(shared.browser, shared.server);
    await signUpInBrowser(page, "Imogen Import");
    const token = await tokenOf(page);
    const account = await api<{ accountId: string }>(token, "POST", "/v1/accounts", {
      name: "Everyday Checking",
      type: "checking",
      openingDate: day(1),
    });
    // Entered by hand before the statement came: the inverted file's Harbor Cafe 3 row is this one.
    const handEntered = await api<Transaction>(token, "POST", "/v1/transactions", {
      accountId: account.accountId,
      date: day(6),
      amount: 1_400,
      type: "expense",
      merchant: "Harbor Cafe",
    });

    await page.goto("/import");
    await page.getByRole("heading", { level: 1, name: "Import" }).waitFor();
    const accountSelect = page.getByLabel("Account to import into");
    await accountSelect.waitFor();
    await auditPage(page, "import-empty");

    // --- The bank file: the dry run shows the rows as stored and every guess with its evidence.
    // The file goes up once, to a signed URL (S3's on AWS), whatever options its dry runs change.
    const sends: string[] = [];
    page.on("request", (req) => {
      if (/\/v1\/uploads$|\/v1\/files\//.test(req.url())) {
        sends.push(`${req.method()} ${new URL(req.url()).pathname.split("/").slice(0, 3).join("/")}`);
        if (req.method() === "PUT") expect(req.headers().authorization).toBeUndefined();
      }
    });
    await accountSelect.selectOption({ label: "Everyday Checking (checking, USD)" });
    await page.getByLabel("Choose a bank file").setInputFiles({
      name: "everyday-statement.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(bankCsv),
    });
    await page.getByRole("heading", { name: "2. Check the preview" }).waitFor();
    await expect.poll(() => previewRows(page).count()).toBe(30);
    const first = previewRows(page).first();
    await expect.poll(() => first.textContent()).toContain("Acme Payroll");
    await expect.poll(() => first.textContent()).toContain("$2,500.00");
    await expect.poll(() => first.textContent()).toContain("Income");
    const second = previewRows(page).nth(1);
    await expect.poll(() => second.textContent()).toContain("-$11.37");
    await expect.poll(() => second.textContent()).toContain("Expense");
    const signs = page.getByLabel("Which amounts are money out");
    await expect.poll(() => signs.inputValue()).toBe("negative-is-expense");
    await expect.poll(() => preview(page).textContent()).toContain("28 of 30 amounts are negative");
    await expect.poll(() => page.getByLabel("Column 1: Date").inputValue()).toBe("date");
    await expect.poll(() => page.getByLabel("Column 3: Amount").inputValue()).toBe("amount");
    await expect.poll(() => page.getByLabel("Date format").inputValue()).toBe("iso");
    await expect.poll(() => preview(page).textContent()).toContain("Dates read as YYYY-MM-DD");
    expect(await shownCounts(page, "section.preview")).toMatchObject({
      imported: 30,
      duplicates: 0,
      matched: 0,
    });
    await expect.poll(() => preview(page).textContent()).toContain("every row is new");
    await auditPage(page, "import-dry-run");

    // --- Import: progress, then the counts in words, equal to the API's record.
    const polls: string[] = [];
    page.on("request", (req) => {
      if (req.method() === "GET" && /\/v1\/imports\/[0-9A-Z]{26}$/.test(req.url())) polls.push(req.url());
    });
    const started = page.waitForResponse(
      (res) => res.request().method() === "POST" && /\/v1\/imports\?accountId=[^&]+$/.test(res.url()),
    );
    await page.getByRole("button", { name: "Import 30 new transactions" }).click();
    expect(sends).toEqual(["POST /v1/uploads", "PUT /v1/files"]);
    // Started in the background (202), then followed at GET /v1/imports/{id} until it finished.
    const startedRes = await started;
    expect(startedRes.status()).toBe(202);
    expect(startedRes.request().headers().prefer).toBe("respond-async");
    expect(((await startedRes.json()) as ImportRecord).status).toBe("running");
    const result = page.locator("section.import-result");
    await page.locator('section.import-result[data-status="completed"]').waitFor();
    const bar = result.getByRole("progressbar", { name: "Import progress" });
    await expect.poll(() => bar.getAttribute("aria-valuenow")).toBe("30");
    await expect.poll(() => bar.getAttribute("aria-valuemax")).toBe("30");
    const firstImportId = (await result.getAttribute("data-import-id")) as string;
    expect(polls.length).toBeGreaterThan(0);
    expect(polls.every((u) => u.endsWith(firstImportId))).toBe(true);
    const record = await api<ImportRecord>(token, "GET", `/v1/imports/${firstImportId}`);
    expect(record.status).toBe("completed");
    const { rows: _rows, ...recordCounts } = record.counts;
    expect(await shownCounts(page, "section.import-result")).toEqual(recordCounts);
    expect(recordCounts.imported).toBe(30);
    await expect.poll(() => result.textContent()).toContain("30 transactions added");
    expect(await transactionsOf(token, account.accountId)).toHaveLength(31);
    await auditPage(page, "import-result");

    // --- The same file again: every row is recognised as imported before; nothing to import.
    await page.getByLabel("Choose a bank file").setInputFiles({
      name: "everyday-statement.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(bankCsv),
    });
    await page.getByRole("heading", { name: "2. Check the preview" }).waitFor();
    await expect
      .poll(() => page.locator('.preview-table tbody tr[data-outcome="duplicate"]').count())
      .toBe(30);
    expect(await shownCounts(page, "section.preview")).toMatchObject({ imported: 0, duplicates: 30 });
    await expect
      .poll(() => preview(page).textContent())
      .toContain("Every row of this file was imported before");
    await expect.poll(() => page.getByRole("button", { name: /^Import/ }).isDisabled()).toBe(true);
    await expect.poll(() => preview(page).textContent()).toContain("Nothing to import");

    // --- Undo the import, after a confirmation: its transactions are gone; the hand-entered one stays.
    await result.getByRole("button", { name: "Undo this import" }).click();
    await expect.poll(() => result.textContent()).toContain("The 30 transactions it added will be removed");
    await result.getByRole("button", { name: "Yes, undo the import" }).click();
    await page.locator('section.import-result[data-status="undone"]').waitFor();
    await expect
      .poll(() => result.getByRole("status").textContent())
      .toContain("the 30 transactions it added are removed");
    const afterUndo = await transactionsOf(token, account.accountId);
    expect(afterUndo.map((t) => t.transactionId)).toEqual([handEntered.transactionId]);
    await expect(
      api<ImportRecord>(token, "GET", `/v1/imports/${firstImportId}`).then((r) => r.status),
    ).resolves.toBe("undone");

    // --- The inverted file, dropped on the zone: the sign guess is wrong; changing it changes the preview.
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.items.add(new File([text], "card-style.csv", { type: "text/csv" }));
      const input = document.querySelector(".drop-zone input[type=file]");
      if (!input) throw new Error("no drop zone");
      for (const type of ["dragover", "drop"])
        input.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    }, invertedCsv);
    await expect.poll(() => preview(page).textContent()).toContain("card-style.csv");
    await expect.poll(() => previewRows(page).count()).toBe(9);
    const cafe3 = page.locator(".preview-table tbody tr", { hasText: "Harbor Cafe 3" });
    await expect.poll(() => cafe3.textContent()).toContain("Income");
    await expect.poll(() => cafe3.textContent()).toContain("$14.00");
    await expect.poll(() => cafe3.getAttribute("data-outcome")).toBe("new");
    await expect
      .poll(() => page.getByLabel("Which amounts are money out").inputValue())
      .toBe("negative-is-expense");
    await expect.poll(() => page.getByLabel("Date format").inputValue()).toBe("us");
    await expect.poll(() => page.getByLabel("Column 2: Payee").inputValue()).toBe("merchant");

    await page.getByLabel("Which amounts are money out").selectOption("positive-is-expense");
    // Read again with the choice: charges are expenses now, and the hand-entered cafe is recognised.
    await expect.poll(() => cafe3.textContent()).toContain("Expense");
    await expect.poll(() => cafe3.textContent()).toContain("-$14.00");
    await expect.poll(() => cafe3.getAttribute("data-outcome")).toBe("matched");
    await expect
      .poll(() => preview(page).textContent())
      .toContain("Your choice. As asked, positive amounts are money out.");
    await expect
      .poll(() => preview(page).textContent())
      .toContain(
        `Line 5 (${shortDate(day(6))}, Harbor Cafe 3, -$14.00) is your transaction of ${shortDate(day(6))}`,
      );
    expect(await shownCounts(page, "section.preview")).toMatchObject({ imported: 8, matched: 1 });

    // A choice that makes the file unreadable: the API's problem in words, the last reading kept
    // (its choices still there to change back), and no import until it reads again.
    const valueColumn = page.getByLabel("Column 3: Value");
    await valueColumn.selectOption("");
    const refused = page.getByRole("alert").filter({ hasText: "could not read this file" });
    await refused.waitFor();
    await expect.poll(() => refused.textContent()).toContain("no amount column was found");
    await expect.poll(() => preview(page).textContent()).toContain("the last reading that worked");
    await expect
      .poll(() => page.getByRole("button", { name: "Import 8 new transactions" }).isDisabled())
      .toBe(true);
    await expect.poll(() => valueColumn.inputValue()).toBe("");
    await valueColumn.selectOption("amount");
    await refused.waitFor({ state: "detached" });
    await expect.poll(() => cafe3.getAttribute("data-outcome")).toBe("matched");

    await page.getByRole("button", { name: "Import 8 new transactions" }).click();
    await page.locator("section.import-result[data-status='completed']").waitFor();
    const secondImportId = (await result.getAttribute("data-import-id")) as string;
    expect(secondImportId).not.toBe(firstImportId);
    const second_ = await api<ImportRecord>(token, "GET", `/v1/imports/${secondImportId}`);
    const { rows: _r2, ...counts2 } = second_.counts;
    expect(await shownCounts(page, "section.import-result")).toEqual(counts2);
    expect(counts2).toMatchObject({ imported: 8, matched: 1, duplicates: 0 });
    const stored = await transactionsOf(token, account.accountId);
    expect(stored).toHaveLength(9);
    expect(stored.find((t) => t.transactionId === handEntered.transactionId)?.cleared).toBe(true);

    // --- CSV export of the month for the account: downloaded as a file with the rows in it.
    await page.getByLabel("First day").fill(day(1));
    await page.getByLabel("Last day").fill(day(days));
    await page.getByLabel("Account to export").selectOption({ label: "Everyday Checking" });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download CSV" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`tyche-${day(1)}-to-${day(days)}.csv`);
    const csv = await readFile(await download.path(), "utf8");
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toMatch(/^Tyche Id,Date,Account/);
    expect(lines).toHaveLength(1 + 9);
    for (const r of cafeRows.filter((c) => c.text !== "Harbor Cafe 3")) {
      const line = lines.find((l) => l.includes(r.text) && l.includes(day(r.d)));
      expect(line, r.text).toBeDefined();
      expect(line).toContain(`,-${(r.cents / 100).toFixed(2)},`);
    }
    // The matched row is the hand-entered transaction, kept once and now cleared by the bank file.
    const matchedLine = lines.find((l) => l.includes(handEntered.transactionId));
    expect(matchedLine).toContain(`${day(6)},Everyday Checking`);
    expect(matchedLine).toContain(",-14.00,");
    expect(lines.filter((l) => l.includes("Harbor Cafe 3"))).toEqual([]);
    expect(csv).toContain("Refund Store");
    for (const shop of SHOPS) expect(csv.toLowerCase()).not.toContain(shop.toLowerCase());
    await expect
      .poll(() => page.getByRole("status").filter({ hasText: "Downloaded" }).textContent())
      .toContain("9 rows");

    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it("shows the problem of a file the API refuses, in its words, and lets the reading be changed", async () => {
    const { page, context, problems } = await openApp(shared.browser, shared.server);
    await signUpInBrowser(page, "Refused File");
    await page.goto("/import");
    // The drop zone is the file input itself: the keyboard reaches it right after the account.
    await page.getByLabel("Account to import into").focus();
    await page.keyboard.press("Tab");
    await expect
      .poll(() => page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type))
      .toBe("file");
    await page.getByLabel("Choose a bank file").setInputFiles({
      name: "notes.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("Spent,What\n12.50,coffee\n3.20,bus\n"),
    });
    const alert = page.getByRole("alert").filter({ hasText: "could not read this file" });
    await alert.waitFor();
    await expect.poll(() => alert.textContent()).toContain("no date column was found");
    await auditPage(page, "import-refused");
    // No guess to change, so the reading is typed by hand, beside the file's first lines.
    await expect.poll(() => page.locator("pre.file-head").textContent()).toContain("Spent,What");
    await page.getByLabel("Amount column").fill("Spent");
    await page.getByLabel("Date column").fill("2");
    await page.getByRole("button", { name: "Read the file with these choices" }).click();
    await expect.poll(() => alert.textContent()).toContain("not a valid date");
    expect(problems).toEqual([]);
    await context.close();
  });
});
