import type { Account } from "@tyche/types";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { moneyIn, shareApp } from "./support/api";
import { auditPage } from "./support/browser";

const shared = shareApp();
const { call } = shared;
let page: Page;
beforeAll(() => {
  page = shared.page;
});

/** Cents as the page shows them (Intl in the browser's own language). */
const fmt = (cents: number, currency = "USD") => moneyIn(page, cents, currency);

const accountsOf = async () =>
  (await call<{ items: Account[] }>("GET", "/v1/accounts?includeClosed=true")).items;

/** The account's card in the list, by its heading. */
const cardOf = (name: string) =>
  page.locator("li.account-card").filter({ has: page.getByRole("heading", { name, exact: true }) });

/** A flow as this test posted it: what it did to the account's balance, and on which day. */
interface Flow {
  date: string;
  change: number;
  what: string;
}

/** Running balances, newest first, as opening balance plus the flows in date order. */
function runningBalances(opening: number, flows: readonly Flow[]): number[] {
  let balance = opening;
  const after = [...flows].sort((a, b) => a.date.localeCompare(b.date)).map((f) => (balance += f.change));
  return after.reverse();
}

/** Opens the register and waits until it shows `count` rows (the account's index catches up within moments). */
async function openRegister(accountId: string, count: number) {
  for (let attempt = 0; ; attempt++) {
    await page.goto(`/accounts/${accountId}`);
    await page.getByRole("heading", { name: "Transactions", level: 2 }).waitFor();
    if ((await page.locator("tr.register-row").count()) === Math.min(count, 100) || attempt >= 5) return;
    await page.waitForTimeout(300);
  }
}

let checking: Account;
let card: Account;
const checkingFlows: Flow[] = [];
const cardFlows: Flow[] = [];

describe("accounts and their registers", () => {
  it("lists the starter account, deletes it (empty list), and names a mistake by its field", async () => {
    await shared.signUp();
    await page.getByRole("link", { name: "Accounts" }).click();
    await page.getByRole("heading", { name: "Accounts", level: 1 }).waitFor();
    // A new user starts with a checking account: it has no transactions, so Delete deletes it.
    const starter = cardOf("Checking");
    await starter.waitFor();
    await starter.getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => starter.getByText("It has no transactions.").isVisible()).toBe(true);
    await starter.getByRole("button", { name: "Delete it" }).click();
    await page.getByRole("status").filter({ hasText: "Checking was deleted." }).waitFor();
    await page.getByText("No accounts yet.").waitFor();
    expect(await accountsOf()).toEqual([]);
    await auditPage(page, "accounts-empty");

    // Nothing typed, and an amount that is not one: both fields named, nothing sent.
    const form = page.getByRole("form", { name: "Open an account" });
    await form.getByLabel("Balance on the opening date").fill("ten dollars");
    await form.getByRole("button", { name: "Open account" }).click();
    await expect
      .poll(() => form.getByLabel("Name", { exact: true }).getAttribute("aria-invalid"))
      .toBe("true");
    await expect.poll(() => form.getByText("must not be empty").isVisible()).toBe(true);
    await expect
      .poll(() => form.getByLabel("Balance on the opening date").getAttribute("aria-invalid"))
      .toBe("true");
    await expect.poll(() => form.getByText("must be an amount such as 1234.56").isVisible()).toBe(true);
    // The first field in error has the focus, for a keyboard and a screen reader.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe(await form.getByLabel("Name", { exact: true }).getAttribute("id"));
    // A currency Intl does not know is refused by the schema the API uses.
    await form.getByLabel("Currency").fill("XQQ");
    await form.getByRole("button", { name: "Open account" }).click();
    await expect.poll(() => form.getByLabel("Currency").getAttribute("aria-invalid")).toBe("true");
    expect(await accountsOf()).toEqual([]);
  });

  it("opens a checking account and a credit card in the form", async () => {
    const form = page.getByRole("form", { name: "Open an account" });
    await form.getByLabel("Name", { exact: true }).fill("Everyday");
    await form.getByLabel("Currency").fill("USD");
    await form.getByLabel("Balance on the opening date").fill("1,000.00");
    await form.getByLabel("Opening date", { exact: true }).fill("2026-01-01");
    await form.getByRole("button", { name: "Open account" }).click();
    await page.getByRole("status").filter({ hasText: "Everyday was opened." }).waitFor();
    await cardOf("Everyday").waitFor();

    await form.getByLabel("Name", { exact: true }).fill("Visa");
    await form.getByLabel("Type").selectOption({ label: "Credit card" });
    // A card's opening balance is what is owed, and the form says so.
    await form.getByLabel("Owed on the opening date").fill("250");
    await form.getByLabel("Opening date", { exact: true }).fill("2026-01-01");
    await form.getByLabel("On budget").check();
    await form.getByRole("button", { name: "Open account" }).click();
    await page.getByRole("status").filter({ hasText: "Visa was opened." }).waitFor();
    await cardOf("Visa").waitFor();

    const all = await accountsOf();
    checking = all.find((a) => a.name === "Everyday") as Account;
    card = all.find((a) => a.name === "Visa") as Account;
    expect(checking).toMatchObject({
      type: "checking",
      openingBalance: 100_000,
      openingDate: "2026-01-01",
      onBudget: true,
    });
    expect(card).toMatchObject({ type: "credit-card", openingBalance: 25_000, balance: 25_000 });
    await expect.poll(() => cardOf("Visa").textContent()).toContain(`You owe ${await fmt(25_000)}`);
  });

  it("shows every balance the API has, and the totals, after transactions and an import", async () => {
    const post = async (body: Record<string, unknown>) =>
      call<{ transactionId: string }>("POST", "/v1/transactions", body);
    await post({
      accountId: checking.accountId,
      date: "2026-01-05",
      amount: 250_000,
      type: "income",
      merchant: "Employer",
    });
    checkingFlows.push({ date: "2026-01-05", change: 250_000, what: "Employer" });
    await post({ accountId: checking.accountId, date: "2026-01-06", amount: 4_567, merchant: "Grocer" });
    checkingFlows.push({ date: "2026-01-06", change: -4_567, what: "Grocer" });
    await post({ accountId: card.accountId, date: "2026-01-08", amount: 3_000, merchant: "Bookshop" });
    cardFlows.push({ date: "2026-01-08", change: 3_000, what: "Bookshop" });
    await post({
      accountId: card.accountId,
      date: "2026-01-09",
      amount: 500,
      type: "refund",
      merchant: "Bookshop",
    });
    cardFlows.push({ date: "2026-01-09", change: -500, what: "Bookshop" });
    // Paying the card from checking: one transfer, both accounts move.
    await post({
      accountId: checking.accountId,
      toAccountId: card.accountId,
      date: "2026-01-10",
      amount: 10_000,
      type: "transfer",
    });
    checkingFlows.push({ date: "2026-01-10", change: -10_000, what: "Transfer to Visa" });
    cardFlows.push({ date: "2026-01-10", change: -10_000, what: "Transfer from Everyday" });
    await post({ accountId: checking.accountId, date: "2026-01-12", amount: 1_234, merchant: "Cafe" });
    checkingFlows.push({ date: "2026-01-12", change: -1_234, what: "Cafe" });
    // A bank file with one pending row and one settled: both land in checking, marked as the bank says.
    const file = new FormData();
    file.set(
      "file",
      new File(
        [
          "Date,Description,Amount,Status\n2026-01-14,CORNER BAKERY,-7.25,PENDING\n2026-01-15,HARDWARE STORE,-19.99,COMPLETED\n",
        ],
        "january.csv",
      ),
    );
    const imported = await call<{ counts: { imported: number } }>(
      "POST",
      `/v1/imports?accountId=${checking.accountId}`,
      file,
    );
    expect(imported.counts.imported).toBe(2);
    checkingFlows.push({ date: "2026-01-14", change: -725, what: "bakery" });
    checkingFlows.push({ date: "2026-01-15", change: -1_999, what: "hardware" });

    await page.reload();
    await cardOf("Everyday").waitFor();
    const all = await accountsOf();
    const openingPlus = (a: Account, flows: Flow[]) =>
      a.openingBalance + flows.reduce((s, f) => s + f.change, 0);
    const apiChecking = all.find((a) => a.accountId === checking.accountId) as Account;
    const apiCard = all.find((a) => a.accountId === card.accountId) as Account;
    expect(apiChecking.balance).toBe(openingPlus(checking, checkingFlows));
    expect(apiCard.balance).toBe(openingPlus(card, cardFlows));
    for (const a of all) {
      const words = a.type === "credit-card" ? "You owe" : "Holds";
      await expect
        .poll(() => cardOf(a.name).locator(".account-balance").textContent())
        .toBe(`${words} ${await fmt(a.balance)}`);
    }
    await expect
      .poll(() => cardOf("Everyday").textContent())
      .toContain(`${checkingFlows.length} transactions`);
    await expect
      .poll(() => page.getByTestId("total-cash-USD").textContent())
      .toBe(await fmt(apiChecking.balance));
    await expect
      .poll(() => page.getByTestId("total-owed-USD").textContent())
      .toBe(await fmt(apiCard.balance));
    await expect
      .poll(() => page.getByTestId("total-net-USD").textContent())
      .toContain(await fmt(apiChecking.balance - apiCard.balance));
    await auditPage(page, "accounts");
  });

  it("shows the register newest first, each running balance the opening balance plus the flows in order", async () => {
    await cardOf("Everyday").getByRole("link", { name: "Everyday" }).click();
    await page.getByRole("heading", { name: "Everyday", level: 1 }).waitFor();
    await openRegister(checking.accountId, checkingFlows.length);
    const expected = runningBalances(checking.openingBalance, checkingFlows);
    const shown = await page.locator("tr.register-row td.running-balance").allTextContents();
    expect(shown).toEqual(await Promise.all(expected.map((c) => fmt(c))));
    // The API's own register agrees, row by row.
    const api = await call<{ items: { runningBalance: number; pending: boolean; cleared: boolean }[] }>(
      "GET",
      `/v1/accounts/${checking.accountId}/transactions`,
    );
    expect(api.items.map((r) => r.runningBalance)).toEqual(expected);
    // Newest first: the hardware store (settled, so cleared), then the pending bakery, in words.
    const rows = page.locator("tr.register-row");
    await expect.poll(() => rows.nth(0).textContent()).toMatch(/hardware/i);
    await expect.poll(() => rows.nth(0).getByText("Cleared", { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => rows.nth(1).textContent()).toMatch(/bakery/i);
    await expect.poll(() => rows.nth(1).getByText("Pending", { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => rows.nth(3).textContent()).toContain("Transfer to Visa");
    await expect.poll(() => rows.nth(5).getByText("Not cleared").isVisible()).toBe(true);
    await expect
      .poll(() =>
        page.getByText(`Showing ${checkingFlows.length} transactions of ${checkingFlows.length}`).isVisible(),
      )
      .toBe(true);
    await expect.poll(() => page.getByRole("button", { name: "Load more" }).count()).toBe(0);
    await expect
      .poll(() => page.getByRole("link", { name: "See these in Transactions" }).getAttribute("href"))
      .toBe(`/transactions?accountId=${checking.accountId}`);

    // The card's register counts what is owed: charges raise it, the refund and the payment lower it.
    await openRegister(card.accountId, cardFlows.length);
    const owed = await page.locator("tr.register-row td.running-balance").allTextContents();
    expect(owed).toEqual(
      await Promise.all(runningBalances(card.openingBalance, cardFlows).map((c) => fmt(c))),
    );
    await expect.poll(() => page.getByRole("columnheader", { name: "Owed after" }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText("Transfer from Everyday").isVisible()).toBe(true);
  });

  it("reconciles: a matching balance says so, a wrong one says by how much, and which rows count", async () => {
    await openRegister(checking.accountId, checkingFlows.length);
    // Up to 12 January: the opening balance and the four flows before the bank file's rows.
    const upTo = checkingFlows.filter((f) => f.date <= "2026-01-12");
    const tyche = checking.openingBalance + upTo.reduce((s, f) => s + f.change, 0);
    const form = page.getByRole("form", { name: "Reconcile with the bank" });
    await form.getByLabel("The bank's balance").fill("");
    await form.getByRole("button", { name: "Check balance" }).click();
    await expect.poll(() => form.getByLabel("The bank's balance").getAttribute("aria-invalid")).toBe("true");

    await form.getByLabel("The bank's balance").fill((tyche / 100).toFixed(2));
    await form.getByLabel("On the day").fill("2026-01-12");
    await form.getByRole("button", { name: "Check balance" }).click();
    const status = page.locator(".reconcile-status");
    await status.getByText("Matches.").waitFor();
    await expect.poll(() => status.textContent()).toContain(`${upTo.length} transactions dated up to`);
    await expect.poll(() => status.textContent()).toContain("The 2 newer rows above the line");
    // The line sits above the first counted row (the cafe, 12 January).
    const line = page.locator("tr.reconcile-line");
    await expect.poll(() => line.textContent()).toContain(`counted (${upTo.length} transactions)`);
    const order = await page.locator("tbody tr").evaluateAll((trs) => trs.map((tr) => tr.className));
    expect(order.indexOf("reconcile-line")).toBe(2);
    await auditPage(page, "register");

    // 41.99 short of what Tyche has.
    await form.getByLabel("The bank's balance").fill(((tyche - 4_199) / 100).toFixed(2));
    await form.getByRole("button", { name: "Check balance" }).click();
    await status.getByText(`Does not match: a difference of ${await fmt(4_199)}.`).waitFor();
    await expect
      .poll(() => status.textContent())
      .toContain(`The bank shows ${await fmt(4_199)} less than Tyche`);
    const api = await call<{ difference: number; matches: boolean }>(
      "POST",
      `/v1/accounts/${checking.accountId}/reconcile`,
      { balance: tyche - 4_199, date: "2026-01-12" },
    );
    expect(api).toMatchObject({ difference: -4_199, matches: false });
  });

  it("pages a long register with Load more, the running balance carried across pages", async () => {
    const savings = await call<Account>("POST", "/v1/accounts", {
      name: "Savings",
      type: "savings",
      openingBalance: 50_000,
      openingDate: "2026-01-01",
    });
    const flows: Flow[] = [];
    for (let i = 0; i < 105; i++) {
      const date = `2026-${String(2 + Math.floor(i / 28)).padStart(2, "0")}-${String((i % 28) + 1).padStart(2, "0")}`;
      const income = i % 3 === 0;
      const amount = 100 + i * 7;
      await call("POST", "/v1/transactions", {
        accountId: savings.accountId,
        date,
        amount,
        type: income ? "income" : "expense",
        merchant: `Shop ${i}`,
      });
      flows.push({ date, change: income ? amount : -amount, what: `Shop ${i}` });
    }
    await openRegister(savings.accountId, flows.length);
    await expect.poll(() => page.locator("tr.register-row").count()).toBe(100);
    await page.getByText("Showing 100 transactions of 105").waitFor();
    await page.getByRole("button", { name: "Load more" }).click();
    await page.getByText("Showing 105 transactions of 105").waitFor();
    const shown = await page.locator("tr.register-row td.running-balance").allTextContents();
    expect(shown).toEqual(await Promise.all(runningBalances(50_000, flows).map((c) => fmt(c))));
    await expect.poll(() => page.getByRole("button", { name: "Load more" }).count()).toBe(0);

    // Back on the list: delete the savings account, which the API closes since it has transactions.
    await page.goto("/accounts");
    const row = cardOf("Savings");
    await row.getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => row.textContent()).toContain("so it will be closed instead of deleted");
    await row.getByRole("button", { name: "Close it" }).click();
    await page.getByRole("status").filter({ hasText: "so it was closed instead of deleted" }).waitFor();
    await expect.poll(() => cardOf("Savings").count()).toBe(0);
    expect((await accountsOf()).find((a) => a.name === "Savings")?.closed).toBe(true);
  });

  it("closes an account by editing it, hides it behind a toggle, and counts it in no total", async () => {
    const visa = cardOf("Visa");
    await visa.getByRole("button", { name: "Edit" }).click();
    const edit = page.getByRole("form", { name: "Edit Visa" });
    await edit.getByLabel("Name", { exact: true }).fill("");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => edit.getByText("must not be empty").isVisible()).toBe(true);
    await edit.getByLabel("Name", { exact: true }).fill("Visa card");
    await edit.getByLabel("Closed").check();
    await edit.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").filter({ hasText: "Visa card was closed." }).waitFor();
    await expect.poll(() => cardOf("Visa card").count()).toBe(0);
    expect((await accountsOf()).find((a) => a.accountId === card.accountId)).toMatchObject({
      name: "Visa card",
      closed: true,
    });
    await expect.poll(() => page.getByTestId("total-owed-USD").textContent()).toBe(await fmt(0));

    await page.getByLabel(/Show closed accounts \(2\)/).check();
    await cardOf("Visa card").waitFor();
    await expect.poll(() => cardOf("Visa card").getByText("Closed", { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => cardOf("Savings").getByText("Closed", { exact: true }).isVisible()).toBe(true);
    expect(shared.app.problems).toEqual([]);
  });
});
