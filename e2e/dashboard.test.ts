import { addMonths } from "@tyche/core";
import type { Dashboard } from "@tyche/types";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_MONTHS, demoPlan } from "../web/src/pages/dashboard/demo-data";
import { builtApp, request, shareServer, moneyIn as shown } from "./support/api";
import { auditPage, openApp, signUpInBrowser, tokenOf } from "./support/browser";

const shared = shareServer();

const thisMonth = () => new Date().toISOString().slice(0, 7);

async function dashboardOf(page: Page, month: string): Promise<Dashboard> {
  const path = `/v1/dashboard?month=${month}`;
  const answer = await request<Dashboard>(shared.server.baseUrl, await tokenOf(page), "GET", path);
  expect(answer.status).toBe(200);
  return answer.data;
}

const text = async (page: Page, selector: string) =>
  ((await page.locator(selector).first().textContent()) ?? "").trim();

describe("the spending dashboard's bundle", () => {
  it("keeps recharts out of the entry script and the dashboard's own chunk", async () => {
    const { html, entryJs, asset, withImports } = await builtApp(shared.server.baseUrl);
    // Nothing index.html preloads may be the charts either.
    const preloads = [...html.matchAll(/rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
    expect(preloads.filter((p) => /charts/.test(p ?? ""))).toEqual([]);

    const dashboardChunk = /SpendingDashboard-[\w-]+\.js/.exec(entryJs)?.[0];
    expect(dashboardChunk, "the dashboard is a chunk of its own").toBeTruthy();
    const dashboardJs = await asset(dashboardChunk ?? "");
    const chartsChunk = /charts-[\w-]+\.js/.exec(dashboardJs)?.[0];
    expect(chartsChunk, "the dashboard imports its charts lazily").toBeTruthy();

    // The marker is in the charts (so looking for it means something) and nowhere before them.
    // Recharts may sit in a chunk the charts share with other pages' charts (the budget's pie).
    await expect(withImports(chartsChunk ?? "")).resolves.toContain("recharts-surface");
    expect(entryJs).not.toContain("recharts");
    expect(dashboardJs).not.toContain("recharts");
  });
});

describe("the demo data generator", () => {
  it("is deterministic and makes six months of a believable household", () => {
    const today = "2026-03-17";
    const plan = demoPlan({ today, seed: 5 });
    expect(demoPlan({ today, seed: 5 })).toEqual(plan);
    expect(demoPlan({ today, seed: 6 }).rows).not.toEqual(plan.rows);
    expect(plan.months).toEqual(["2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03"]);
    expect(plan.budgets.map((b) => b.month)).toEqual(plan.months);
    expect(plan.rows.every((r) => r.date <= today && r.amount > 0 && Number.isInteger(r.amount))).toBe(true);
    for (const month of plan.months.slice(0, -1)) {
      const rows = plan.rows.filter((r) => r.date.startsWith(month));
      expect(rows.length).toBeGreaterThanOrEqual(40);
      expect(rows.length).toBeLessThanOrEqual(70);
      expect(rows.filter((r) => r.kind === "income" && r.account === "checking")).toHaveLength(2);
      expect(rows.filter((r) => r.merchant === "Netflix")).toHaveLength(1);
      expect(rows.filter((r) => r.kind === "transfer").map((r) => r.to)).toEqual([
        "savings",
        "cardA",
        "cardB",
      ]);
    }
    expect(plan.rows.filter((r) => r.kind === "refund")).toHaveLength(2);
    expect(plan.accounts.filter((a) => a.type === "credit-card" && a.openingBalance > 0)).toHaveLength(2);
  });
});

describe("the spending dashboard", () => {
  it("starts empty, fills with demo data, adds a transaction live and survives an expired session", {
    timeout: 240_000,
  }, async () => {
    const { page, context, problems } = await openApp(shared.browser, shared.server);
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
    });
    const { email, password } = await signUpInBrowser(page);
    const month = thisMonth();

    // A new user: the empty state, with where to start and the demo.
    await page.getByRole("heading", { name: /^Nothing recorded for/ }).waitFor();
    await expect
      .poll(() => page.getByRole("link", { name: "Plan this month's budget" }).isVisible())
      .toBe(true);
    await expect.poll(() => page.getByRole("link", { name: "Import a bank file" }).isVisible()).toBe(true);
    const fill = page.getByRole("button", { name: "Fill with demo data" });
    await expect.poll(() => fill.isVisible()).toBe(true);
    await auditPage(page, "dashboard-empty");
    expect(
      scripts.filter((s) => /charts-/.test(s)),
      "no chart is loaded before one is drawn",
    ).toEqual([]);

    // The demo, with its progress, then the month's dashboard.
    await page.evaluate(() => {
      (window as unknown as { stayed: boolean }).stayed = true;
    });
    await fill.click();
    await page.getByRole("progressbar", { name: "Demo data" }).waitFor();
    await page.getByTestId("dashboard").waitFor({ timeout: 90_000 });
    await page.getByText(/^Demo data is in: \d+ transactions/).waitFor();

    // Every one of the six months has its plan and its transactions, in the API.
    const months = Array.from({ length: DEMO_MONTHS }, (_, i) => addMonths(month, -i));
    const api = new Map<string, Dashboard>();
    for (const m of months) api.set(m, await dashboardOf(page, m));
    for (const m of months) {
      expect(api.get(m)?.budget, `the plan of ${m}`).not.toBeNull();
      expect(api.get(m)?.analytics.totals.transactionCount, `the transactions of ${m}`).toBeGreaterThan(0);
    }
    const now = api.get(month) as Dashboard;
    expect(now.accounts.map((a) => a.name).sort()).toEqual([
      "Checking",
      "Mastercard",
      "Savings",
      "Visa Rewards",
    ]);
    expect(now.totalOwedOnCards).toBeGreaterThan(0);

    // What the page says is what the API says.
    await expect
      .poll(() => text(page, "[data-testid=available-for-debt]"))
      .toBe(await shown(page, now.analytics.totals.availableForDebtPayoff));
    await expect
      .poll(() => text(page, "[data-testid=paid-to-debt]"))
      .toBe(await shown(page, now.analytics.totals.paidToDebt));
    await expect
      .poll(() => text(page, "[data-testid=total-owed]"))
      .toBe(await shown(page, now.totalOwedOnCards));
    await expect
      .poll(() => text(page, "[data-testid=total-count]"))
      .toBe(String(now.analytics.totals.transactionCount));
    const sentence = await text(page, "[data-testid=debt-sentence]");
    expect(sentence).toMatch(/for paying off your cards, and you have paid .+ to them so far/);

    // The charts arrive lazily and draw.
    await page.locator("[data-testid=budget-chart] svg.recharts-surface").waitFor();
    await page.locator("[data-testid=daily-chart] svg.recharts-surface").waitFor();
    expect(scripts.filter((s) => /charts-/.test(s))).toHaveLength(1);
    // ...with their text alternatives.
    await expect
      .poll(() => page.getByRole("table", { name: "Budget against actual, by category" }).count())
      .toBe(1);
    await expect.poll(() => text(page, "[data-testid=daily-summary]")).toMatch(/spent against a pace of/);

    // Quick add: the category's card, the recent list and the totals follow, without a reload.
    const groceries = now.analytics.categories.find((c) => c.type === "groceries");
    expect(groceries).toBeDefined();
    const checking = now.accounts.find((a) => a.name === "Checking");
    await page.getByLabel("Amount", { exact: true }).fill("abc");
    await page.getByRole("button", { name: "Add transaction" }).click();
    await page.getByText("must be an amount such as 12.50").waitFor();
    await page.getByLabel("Amount", { exact: true }).fill("12.34");
    await page.getByLabel("Merchant", { exact: true }).fill("Corner Grocer E2E");
    await page.getByLabel("Category", { exact: true }).selectOption({ label: "Groceries" });
    await page.getByLabel("Account", { exact: true }).selectOption({ label: "Checking" });
    await page.getByRole("radio", { name: "Expense" }).check();
    await page.getByRole("button", { name: "Add transaction" }).click();
    await page.getByText(/^Added Corner Grocer E2E: /).waitFor();
    const spentShown = await shown(page, (groceries?.spent ?? 0) + 1234);
    await expect
      .poll(() => text(page, "[data-testid=category-groceries] [data-testid=spent]"))
      .toBe(spentShown);
    await expect
      .poll(() => text(page, "[data-testid=total-spent]"))
      .toContain(await shown(page, now.analytics.totals.expenses + 1234));
    await expect
      .poll(() => text(page, "[data-testid=total-count]"))
      .toBe(String(now.analytics.totals.transactionCount + 1));
    await expect.poll(() => text(page, "[data-testid=recent] li")).toContain("Corner Grocer E2E");
    await expect
      .poll(() => text(page, "[data-testid='balance-Checking']"))
      .toBe(await shown(page, (checking?.balance ?? 0) - 1234));
    const after = await dashboardOf(page, month);
    expect(after.analytics.categories.find((c) => c.type === "groceries")?.spent).toBe(
      (groceries?.spent ?? 0) + 1234,
    );
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed))
      .toBe(true);

    // Month navigation: each of the six months shows its own figures, the one before them is empty.
    for (const m of months.slice(1)) {
      await page.getByRole("button", { name: "Previous month" }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get("month")).toBe(m);
      await expect
        .poll(() => text(page, "[data-testid=total-count]"))
        .toBe(String(api.get(m)?.analytics.totals.transactionCount));
      await expect
        .poll(() => text(page, "[data-testid=available-for-debt]"))
        .toBe(await shown(page, api.get(m)?.analytics.totals.availableForDebtPayoff ?? -1));
    }
    await page.getByRole("button", { name: "Previous month" }).click();
    await page.getByTestId("empty-month").waitFor();
    // Someone with transactions is not offered the demo again.
    await expect.poll(() => page.getByRole("button", { name: "Fill with demo data" }).count()).toBe(0);
    await page.getByRole("button", { name: "Next month" }).click();
    await page.getByTestId("dashboard").waitFor();

    // The last full month: recommendations and comparisons, audited.
    await page.getByRole("button", { name: "Back to this month" }).click();
    await expect.poll(() => new URL(page.url()).search).toBe("");
    await page.getByRole("button", { name: "Previous month" }).click();
    await page.locator("[data-testid=budget-chart] svg.recharts-surface").waitFor();
    const last = api.get(addMonths(month, -1)) as Dashboard;
    if (last.analytics.recommendations.length) {
      await expect
        .poll(() => text(page, "[data-testid=potential-savings]"))
        .toContain(await shown(page, last.analytics.potentialSavings));
      await expect
        .poll(() => page.getByText(last.analytics.recommendations[0]?.reason ?? "?").isVisible())
        .toBe(true);
    } else {
      // None this month (the demo depends on the day it is made): the page says so, and shows no total.
      await page.getByText(/^No recommendations this month/).waitFor();
      await expect.poll(() => page.getByTestId("potential-savings").count()).toBe(0);
    }
    await expect.poll(() => page.locator("[data-testid=comparison] tbody tr").count()).toBeGreaterThan(0);
    await auditPage(page, "dashboard");

    // An expired session: back to log in, what was being typed kept, then back on the same month.
    const where = `${new URL(page.url()).pathname}${new URL(page.url()).search}`;
    await page.getByLabel("Merchant", { exact: true }).fill("Half-typed merchant");
    await page.evaluate(() => {
      const raw = localStorage.getItem("tyche.session") ?? "{}";
      localStorage.setItem("tyche.session", JSON.stringify({ ...JSON.parse(raw), token: "not-a-token" }));
    });
    await page.reload();
    await page.getByRole("heading", { name: "Log in" }).waitFor();
    await page.getByText("Your session has ended").waitFor();
    await page.getByLabel("E-mail").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByTestId("dashboard").waitFor();
    expect(`${new URL(page.url()).pathname}${new URL(page.url()).search}`).toBe(where);
    await expect
      .poll(() => page.getByLabel("Merchant", { exact: true }).inputValue())
      .toBe("Half-typed merchant");

    expect(problems).toEqual([]);
    await context.close();
  });

  it("says so when offline, and loads the month once the connection is back", async () => {
    const { page, context, problems } = await openApp(shared.browser, shared.server, {
      width: 375,
      height: 800,
    });
    await signUpInBrowser(page, "Offline User");
    await page.getByRole("heading", { name: /^Nothing recorded for/ }).waitFor();
    // The network goes away for real: the next month's read waits for it, and says so.
    await context.setOffline(true);
    await page.getByRole("button", { name: "Previous month" }).click();
    await page
      .getByText(/^You are offline\. The dashboard for .+ loads as soon as the connection is back\.$/)
      .waitFor();
    await context.setOffline(false);
    await page.getByTestId("empty-month").waitFor();
    const month = addMonths(thisMonth(), -1);
    await expect
      .poll(() => page.getByRole("heading", { name: /^Nothing recorded for/ }).textContent())
      .toContain(
        await page.evaluate(
          (m) =>
            new Intl.DateTimeFormat(navigator.language, {
              month: "long",
              year: "numeric",
              timeZone: "UTC",
            }).format(new Date(`${m}-01T00:00:00Z`)),
          month,
        ),
      );
    // A request cut off by going offline is the only failure allowed.
    expect(problems.filter((p) => !/ERR_INTERNET_DISCONNECTED/.test(p))).toEqual([]);
    await context.close();
  });
});
