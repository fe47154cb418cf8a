import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { request, shareApp } from "./support/api";
import { auditPage } from "./support/browser";

const shared = shareApp();
let page: Page;
let checking: string;
let savings: string;
let cat: Record<string, string>;

/** Ten shops, each row of the import from one of them (names the merchant cleaner leaves as they are). */
const SHOPS = [
  "Fresh Mart",
  "City Bakery",
  "Harbour Kiosk",
  "Metro Transit",
  "Book Nook",
  "Sunrise Diner",
  "Pixel Games",
  "Green Leaf Pharmacy",
  "Tidal Fuel",
  "Oak Hardware",
];
const IMPORTED = 320;
const SEEDED = 5;

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

const call = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => request<T>(shared.server.baseUrl, shared.token, method, path, body, headers);

interface Txn {
  transactionId: string;
  merchant: string | null;
  amount: number;
  date: string;
  type: string;
  categoryId: string | null;
  categorizedBy: string;
  tags: string[];
  notes: string;
  splits: { categoryId: string; amount: number }[] | null;
  receiptUrl: string | null;
  version: number;
}
const find = async (query: string) =>
  (await call<{ items: Txn[] }>("GET", `/v1/transactions?${query}`)).data.items;

const rows = () => page.locator("ul.txn-list > li");
const row = (text: string | RegExp) => rows().filter({ hasText: text });
const amountIs = (display: string) =>
  page
    .locator(".txn-amount")
    .filter({ hasText: new RegExp(`^Money (in|out): ${display.replace(/[$.]/g, "\\$&")}$`) });
const rowWithAmount = (display: string) => rows().filter({ has: amountIs(display) });
const listHeading = () => page.locator("#txn-list-heading");
const waitForList = async () => {
  await expect.poll(() => page.locator(".txn-list-section").getAttribute("aria-busy")).toBe("false");
};
const goto = async (path: string) => {
  await page.goto(path);
  await page.getByRole("heading", { name: "Transactions", level: 1 }).waitFor();
  await waitForList();
};

beforeAll(async () => {
  page = shared.page;
  await shared.signUp("Tess Ledger");
  checking = (await call<{ items: { accountId: string }[] }>("GET", "/v1/accounts")).data.items[0]
    ?.accountId as string;
  const created = await call<{ accountId: string }>("POST", "/v1/accounts", {
    name: "Savings",
    type: "savings",
  });
  expect(created.status).toBe(201);
  savings = created.data.accountId;
  const cats = await call<{ items: { type: string; categoryId: string }[] }>("GET", "/v1/categories");
  cat = Object.fromEntries(cats.data.items.map((c) => [c.type, c.categoryId]));
});

describe("the transactions page", () => {
  it("says when there is nothing yet, then pages through hundreds of rows without keeping them all", async () => {
    await goto("/transactions");
    await expect.poll(() => listHeading().textContent()).toBe("No transactions");
    await expect.poll(() => page.getByText("No transactions yet.").isVisible()).toBe(true);
    await expect
      .poll(() => page.locator(".shortcuts").textContent())
      .toContain("n new transaction, / search");
    await auditPage(page, "transactions-empty");

    // Seeding: one bank file of 320 rows, and a few transactions with categories.
    const lines = ["Date,Description,Amount"];
    for (let i = 0; i < IMPORTED; i++)
      lines.push(`${daysAgo(1 + Math.floor(i / 4))},${SHOPS[i % 10]},-${i + 1}.25`);
    const form = new FormData();
    form.set("file", new File([lines.join("\n")], "bank.csv", { type: "text/csv" }));
    const imported = await call<{ counts: { imported: number } }>(
      "POST",
      `/v1/imports?accountId=${checking}`,
      form,
    );
    expect(imported.status, JSON.stringify(imported.data)).toBe(201);
    expect(imported.data.counts.imported).toBe(IMPORTED);
    for (const [merchant, amount, category] of [
      ["Blue Bottle Coffee", 450, cat.dining],
      ["Blue Bottle Coffee", 520, cat.dining],
      ["Green Grocer", 4_510, cat.groceries],
      ["Green Grocer", 4_620, cat.groceries],
      ["Green Grocer", 4_730, cat.groceries],
    ] as const) {
      const r = await call("POST", "/v1/transactions", {
        date: daysAgo(2),
        amount,
        merchant,
        categoryId: category,
        accountId: checking,
      });
      expect(r.status).toBe(201);
    }

    await goto("/transactions");
    await expect.poll(() => rows().count()).toBe(100);
    await expect.poll(() => row("Blue Bottle Coffee").count()).toBe(2);
    // Each amount in the account's currency, money out below zero, said in words too.
    await expect
      .poll(() => rowWithAmount("-$4.50").locator(".sr-only").first().textContent())
      .toContain("Money out");
    await auditPage(page, "transactions-list");

    const more = page.getByRole("button", { name: "Load more" });
    await more.click();
    await expect.poll(() => rows().count()).toBe(200);
    await more.click();
    await expect.poll(() => rows().count()).toBe(300);
    // The fourth page: the newest one is put away, so the page never holds more than 300 rows.
    await more.click();
    await expect.poll(() => rows().count()).toBe(IMPORTED + SEEDED - 100);
    await expect.poll(() => page.getByText("That is all of them.").isVisible()).toBe(true);
    await expect.poll(() => more.count()).toBe(0);
    // The oldest row is there (the file's last), the newest put away.
    await expect.poll(() => rowWithAmount("-$320.25").count()).toBe(1);
    await expect.poll(() => rowWithAmount("-$1.25").count()).toBe(0);
    await expect.poll(() => row("Blue Bottle Coffee").count()).toBe(0);
    await page.getByRole("button", { name: "Show newer transactions" }).click();
    await expect.poll(() => rows().count()).toBe(300);
    await expect.poll(() => row("Blue Bottle Coffee").count()).toBe(2);
    await expect.poll(() => page.getByRole("button", { name: "Load more" }).isVisible()).toBe(true);
  }, 180_000);

  it("filters by text, category and an amount range typed in dollars, kept in the URL", async () => {
    await goto("/transactions");
    await page.getByRole("searchbox", { name: "Search" }).fill("kiosk");
    await expect.poll(() => new URL(page.url()).searchParams.get("q")).toBe("kiosk");
    await waitForList();
    await expect.poll(() => rows().count()).toBe(IMPORTED / 10);
    await expect.poll(() => row("Harbour Kiosk").count()).toBe(IMPORTED / 10);

    // Filters survive a reload: they are the URL.
    await page.reload();
    await waitForList();
    await expect.poll(() => page.getByRole("searchbox", { name: "Search" }).inputValue()).toBe("kiosk");
    await expect.poll(() => rows().count()).toBe(IMPORTED / 10);
    await page.getByRole("button", { name: "Clear filters" }).first().click();
    await waitForList();
    await expect.poll(() => rows().count()).toBe(100);

    await page.getByLabel("Category", { exact: true }).selectOption({ label: "Groceries" });
    await expect.poll(() => new URL(page.url()).searchParams.get("category")).toBe("groceries");
    await waitForList();
    await expect.poll(() => rows().count()).toBe(3);
    await expect.poll(() => row("Green Grocer").count()).toBe(3);
    await page.getByRole("button", { name: "Clear filters" }).first().click();

    const asked = page.waitForRequest((r) => /minAmount=1000&maxAmount=1200/.test(r.url()));
    await page.getByLabel("Minimum amount (USD)").fill("10");
    await page.getByLabel("Maximum amount (USD)").fill("12");
    await asked;
    await waitForList();
    await expect.poll(() => rows().count()).toBe(2);
    await expect.poll(() => rowWithAmount("-$10.25").count()).toBe(1);
    await expect.poll(() => rowWithAmount("-$11.25").count()).toBe(1);
    expect(new URL(page.url()).searchParams.get("min")).toBe("10");

    await page.getByLabel("Maximum amount (USD)").fill("5");
    await page.getByText("must not be less than the minimum").waitFor();
    await page.getByRole("button", { name: "Clear filters" }).first().click();
  });

  it("adds a transaction from the keyboard, picking a merchant by the start of a word", async () => {
    await goto("/transactions");
    // Typing in a field is typing: n there opens nothing.
    await page.getByRole("searchbox", { name: "Search" }).focus();
    await page.keyboard.type("n");
    await expect.poll(() => page.getByRole("form", { name: "New transaction" }).count()).toBe(0);
    await page.getByRole("searchbox", { name: "Search" }).fill("");
    await page.locator("h1").click();
    await page.keyboard.press("/");
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("type"))).toBe("search");
    await page.locator("h1").click();

    await page.keyboard.press("n");
    const form = page.getByRole("form", { name: "New transaction" });
    await form.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe("SELECT");
    await form.getByLabel("Amount (USD)").fill("6.40");
    const merchant = form.getByRole("combobox", { name: "Merchant" });
    await merchant.fill("bot");
    const option = page.getByRole("option", { name: /Blue Bottle Coffee/ });
    await option.waitFor();
    await expect.poll(() => merchant.getAttribute("aria-expanded")).toBe("true");
    await expect.poll(() => merchant.getAttribute("aria-autocomplete")).toBe("list");
    await merchant.press("ArrowDown");
    await expect.poll(() => option.getAttribute("aria-selected")).toBe("true");
    await expect
      .poll(() => merchant.getAttribute("aria-activedescendant"))
      .toBe(await option.getAttribute("id"));
    await merchant.press("Enter");
    await expect.poll(() => merchant.inputValue()).toBe("Blue Bottle Coffee");
    await expect.poll(() => merchant.getAttribute("aria-expanded")).toBe("false");
    await form.getByText("Last categorised as Dining.").waitFor();
    // Escape closes the list only, not the form.
    await merchant.fill("Blue");
    await page.getByRole("listbox", { name: "Your merchants" }).getByRole("option").first().waitFor();
    await merchant.press("Escape");
    await expect.poll(() => form.isVisible()).toBe(true);
    await expect.poll(() => merchant.getAttribute("aria-expanded")).toBe("false");
    await merchant.fill("Blue Bottle Coffee");
    await form.getByRole("button", { name: "Add transaction" }).click();
    await form.waitFor({ state: "detached" });
    await waitForList();
    await expect.poll(() => row("Blue Bottle Coffee").count()).toBe(3);
    const added = (await find("merchant=Blue%20Bottle%20Coffee")).find((t) => t.amount === 640);
    expect(added).toMatchObject({
      categoryId: cat.dining,
      categorizedBy: "merchant-history",
      type: "expense",
    });
  });

  it("edits a row inline: date, amount, merchant, notes, tags and kind", async () => {
    await goto("/transactions?min=4.25&max=4.25");
    await expect.poll(() => rows().count()).toBe(1);
    const target = rows().first();
    await target.getByRole("button", { name: /^Edit/ }).click();
    const form = page.getByRole("form", { name: "Edit transaction" });
    await form.waitFor();
    await auditPage(page, "transactions-edit");
    await form.getByLabel("Date").fill(daysAgo(3));
    await form.getByLabel("Amount (USD)").fill("33.10");
    await form.getByRole("combobox", { name: "Merchant" }).fill("Corner Florist");
    await form.getByLabel("Notes").fill("Flowers for Sam");
    await form.getByLabel("Tags").fill("Gifts, family");
    await form.getByLabel("Kind").selectOption("refund");
    await form.getByRole("button", { name: "Save changes" }).click();
    await form.waitFor({ state: "detached" });

    await goto("/transactions?tag=gifts");
    await expect.poll(() => rows().count()).toBe(1);
    const edited = rows().first();
    await expect.poll(() => edited.textContent()).toContain("Corner Florist");
    await expect.poll(() => edited.textContent()).toContain("Note: Flowers for Sam");
    await expect.poll(() => edited.textContent()).toContain("#gifts");
    await expect.poll(() => edited.textContent()).toContain("#family");
    await expect.poll(() => edited.textContent()).toContain("Refund");
    await expect.poll(() => edited.locator(".txn-amount").textContent()).toContain("$33.10");
    const [stored] = await find("tag=gifts");
    expect(stored).toMatchObject({
      amount: 3_310,
      date: daysAgo(3),
      merchant: "Corner Florist",
      type: "refund",
      notes: "Flowers for Sam",
      tags: ["gifts", "family"],
    });
  });

  it("says in words when a row changed elsewhere, and reloads it", async () => {
    await goto("/transactions?min=8.25&max=8.25");
    await expect.poll(() => rows().count()).toBe(1);
    await rows().first().getByRole("button", { name: /^Edit/ }).click();
    const form = page.getByRole("form", { name: "Edit transaction" });
    await form.getByLabel("Notes").fill("typed here");
    const [t] = await find("minAmount=825&maxAmount=825");
    const other = await call(
      "PUT",
      `/v1/transactions/${t?.transactionId}`,
      { notes: "written in another tab" },
      {
        "if-match": `"${t?.version}"`,
      },
    );
    expect(other.status).toBe(200);
    await form.getByRole("button", { name: "Save changes" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "changed elsewhere" });
    await alert.waitFor();
    await alert.getByRole("button", { name: "Reload the row" }).click();
    await expect.poll(() => form.getByLabel("Notes").inputValue()).toBe("written in another tab");
    await expect.poll(() => alert.count()).toBe(0);
    await form.getByRole("button", { name: "Cancel" }).click();
  });

  it("re-categorises in place and, when asked, always categorises that merchant so", async () => {
    await goto("/transactions?q=harbour");
    await expect.poll(() => rows().count()).toBe(IMPORTED / 10);
    const first = rows().first();
    await first
      .getByRole("combobox", { name: /^Category of Harbour Kiosk/ })
      .selectOption({ label: "Dining" });
    const accept = page.getByRole("button", { name: "Always categorise Harbour Kiosk as Dining" });
    await accept.waitFor();
    await accept.click();
    await page.getByText("Done: from now on").waitFor();
    const rules = await call<{ items: { conditions: unknown; actions: unknown }[] }>("GET", "/v1/rules");
    expect(rules.data.items).toEqual([
      expect.objectContaining({
        conditions: { merchant: { op: "equals", value: "Harbour Kiosk" } },
        actions: { categoryId: cat.dining },
      }),
    ]);
    await page.getByRole("button", { name: "Dismiss" }).click();

    // A new transaction from that merchant, category left to Tyche: the rule gives it.
    await page.getByRole("button", { name: "New transaction" }).click();
    const form = page.getByRole("form", { name: "New transaction" });
    await form.getByLabel("Amount (USD)").fill("3.80");
    await form.getByRole("combobox", { name: "Merchant" }).fill("Harbour Kiosk");
    await form.getByRole("button", { name: "Add transaction" }).click();
    await form.waitFor({ state: "detached" });
    await waitForList();
    const fresh = rowWithAmount("-$3.80");
    await expect.poll(() => fresh.count()).toBe(1);
    await expect.poll(() => fresh.getByRole("combobox").inputValue()).toBe(cat.dining);
    await expect.poll(() => fresh.textContent()).toContain("by a rule");
    const [made] = await find("minAmount=380&maxAmount=380");
    expect(made).toMatchObject({ categoryId: cat.dining, categorizedBy: "rule" });
  });

  it("deletes a row and brings it back with Undo", async () => {
    await goto("/transactions?min=5.25&max=5.25");
    await expect.poll(() => rows().count()).toBe(1);
    const [before] = await find("minAmount=525&maxAmount=525");
    await rows()
      .first()
      .getByRole("button", { name: /^Delete/ })
      .click();
    const undo = page.getByRole("button", { name: "Undo" });
    await undo.waitFor();
    await expect.poll(() => page.locator(".toast").textContent()).toContain("Deleted Book Nook");
    await expect.poll(() => rows().count()).toBe(0);
    expect(await find("minAmount=525&maxAmount=525")).toEqual([]);
    await undo.click();
    await undo.waitFor({ state: "detached" });
    await expect.poll(() => rows().count()).toBe(1);
    const [after] = await find("minAmount=525&maxAmount=525");
    expect(after).toMatchObject({
      merchant: before?.merchant,
      date: before?.date,
      amount: before?.amount,
      type: before?.type,
    });
    expect(after?.transactionId).not.toBe(before?.transactionId);
  });

  it("records a transfer between two accounts", async () => {
    await goto("/transactions");
    await page.getByRole("button", { name: "New transaction" }).click();
    const form = page.getByRole("form", { name: "New transaction" });
    await form.getByLabel("Kind").selectOption("transfer");
    await form.getByLabel("From account").selectOption(checking);
    await form.getByLabel("To account").selectOption(checking);
    await form.getByLabel("Amount (USD)").fill("250");
    await form.getByRole("button", { name: "Add transaction" }).click();
    await form.getByText("Choose another account than the one the money left.", { exact: true }).waitFor();
    await form.getByLabel("To account").selectOption(savings);
    await form.getByRole("button", { name: "Add transaction" }).click();
    await form.waitFor({ state: "detached" });
    await goto("/transactions?kind=transfer");
    // One record in each account, both said as a transfer from checking to savings.
    await expect.poll(() => rows().count()).toBe(2);
    await expect.poll(() => rows().first().textContent()).toMatch(/Transfer · .+ → Savings/);
    await expect.poll(() => rowWithAmount("$250.00").count()).toBe(1);
    await expect.poll(() => rowWithAmount("-$250.00").count()).toBe(1);
    const accounts = await call<{ items: { accountId: string; balance: number }[] }>("GET", "/v1/accounts");
    expect(accounts.data.items.find((a) => a.accountId === savings)?.balance).toBe(25_000);
  });

  it("splits a transaction across categories, showing what is left to assign", async () => {
    await goto("/transactions");
    await page.getByRole("button", { name: "New transaction" }).click();
    const form = page.getByRole("form", { name: "New transaction" });
    await form.getByLabel("Amount (USD)").fill("100");
    await form.getByRole("combobox", { name: "Merchant" }).fill("Mega Store");
    await form.getByLabel("Split across several categories").check();
    await form.getByLabel("Part 1 category").selectOption({ label: "Groceries" });
    await form.getByLabel("Part 1 amount").fill("60");
    await form.getByLabel("Part 2 category").selectOption({ label: "Dining" });
    await form.getByLabel("Part 2 amount").fill("30");
    await expect.poll(() => form.locator(".split-remainder").textContent()).toBe("Left to assign: $10.00");
    await form.getByRole("button", { name: "Add a part" }).click();
    await form.getByLabel("Part 3 amount").fill("25");
    await expect.poll(() => form.locator(".split-remainder").textContent()).toBe("Over the amount by $15.00");
    await form.getByRole("button", { name: "Remove part 3" }).click();
    await expect.poll(() => form.getByLabel("Part 3 amount").count()).toBe(0);
    await form.getByRole("button", { name: "Add transaction" }).click();
    await form.getByText("$10.00 is not assigned yet").first().waitFor();
    await form.getByLabel("Part 2 amount").fill("40");
    await expect
      .poll(() => form.locator(".split-remainder").textContent())
      .toBe("The parts add up to the amount.");
    await form.getByRole("button", { name: "Add transaction" }).click();
    await form.waitFor({ state: "detached" });
    await waitForList();
    const split = row("Mega Store");
    await expect.poll(() => split.count()).toBe(1);
    await expect.poll(() => split.textContent()).toContain("Split: Groceries $60.00, Dining $40.00");
    const [stored] = await find("merchant=Mega%20Store");
    expect(stored?.splits).toEqual([
      { categoryId: cat.groceries, amount: 6_000 },
      { categoryId: cat.dining, amount: 4_000 },
    ]);
  });

  it("attaches a small receipt and opens it", async () => {
    await goto("/transactions?min=6.25&max=6.25");
    await expect.poll(() => rows().count()).toBe(1);
    await rows().first().getByRole("button", { name: /^Edit/ }).click();
    const form = page.getByRole("form", { name: "Edit transaction" });
    // A 1x1 PNG.
    const png = Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
      "base64",
    );
    await form
      .getByLabel("Attach a receipt")
      .setInputFiles({ name: "receipt.png", mimeType: "image/png", buffer: png });
    await form.getByText("Receipt attached.").waitFor();
    await form.getByRole("button", { name: "Cancel" }).click();
    const view = rows()
      .first()
      .getByRole("button", { name: /^View receipt of/ });
    await view.waitFor();
    const [popup] = await Promise.all([shared.app.context.waitForEvent("page"), view.click()]);
    // The tab goes to the file's signed URL (S3's on AWS, the server's stand-in here), which needs no bearer header.
    await popup.waitForURL(/\/v1\/files\/[\w-]+\.[\w-]+$/);
    // The page itself may not fetch anything (the file comes with a sandbox CSP), so it is read again from outside.
    const file = await popup.request.get(popup.url());
    expect(file.headers()["content-type"]).toBe("image/png");
    expect(file.headers()["content-security-policy"]).toContain("sandbox");
    expect(file.headers()["content-disposition"]).toBe('inline; filename="receipt.png"');
    expect((await file.body()).length).toBe(png.length);
    expect(await popup.evaluate(() => window.opener === null)).toBe(true);
    await popup.close();
    const [stored] = await find("minAmount=625&maxAmount=625");
    expect(stored?.receiptUrl).toBe(`/v1/transactions/${stored?.transactionId}/receipt`);
    expect(shared.app.problems).toEqual([]);
  });
});
