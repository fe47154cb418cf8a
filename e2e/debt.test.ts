import { addMonths, comparePayoff, type PayoffCard, toPayoffCard } from "@tyche/core";
import type {
  Account,
  Budget,
  Card,
  CardPayment,
  Category,
  DebtComparison,
  DebtGoal,
  DebtPlan,
  DebtProgress,
  DebtWhatIf,
} from "@tyche/types";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { builtApp, fullDateIn, moneyIn, shareApp, textOf as text } from "./support/api";
import { auditPage, auditPageAndPhone } from "./support/browser";

const shared = shareApp();
const { call } = shared;
let page: Page;
beforeAll(() => {
  page = shared.page;
});

const today = () => new Date().toISOString().slice(0, 10);
const month = today().slice(0, 7);

/** Figures as the page shows them: the browser's own Intl, in its own language. */
const fmt = (cents: number) => moneyIn(page, cents);
const pct = (bp: number) =>
  page.evaluate(
    (b) =>
      new Intl.NumberFormat(navigator.language, { style: "percent", maximumFractionDigits: 2 }).format(
        b / 10_000,
      ),
    bp,
  );
const monthName = (m: string) =>
  page.evaluate(
    (x) =>
      new Intl.DateTimeFormat(navigator.language, { month: "long", year: "numeric", timeZone: "UTC" }).format(
        new Date(`${x}-01T00:00:00Z`),
      ),
    m,
  );
const fullDate = (d: string) => fullDateIn(page, d);

const cardsOf = async () => (await call<{ items: Card[] }>("GET", "/v1/cards")).items;
const byName = async (name: string) => {
  const card = (await cardsOf()).find((c) => c.name === name);
  if (!card) throw new Error(`no card ${name}`);
  return card;
};

/** A card on the page, by its heading. */
const cardOf = (name: string) =>
  page.getByTestId("debt-card").filter({ has: page.getByRole("heading", { name, exact: true, level: 3 }) });

async function openDebt() {
  await page.goto("/debt");
  await page.getByRole("heading", { name: "Debt payoff", level: 1 }).waitFor();
}

/** Waits until the plan's figures are on the page (the compare and plan reads answered). */
const planShown = () => page.getByTestId("comparison").waitFor();

describe("the debt page's bundle", () => {
  it("is a chunk of its own that loads its charts, and so recharts, lazily", async () => {
    const { entryJs, asset, withImports } = await builtApp(shared.server.baseUrl);
    const debtChunk = /DebtPage-[\w-]+\.js/.exec(entryJs)?.[0];
    expect(debtChunk, "the debt page is a chunk of its own").toBeTruthy();
    const debtJs = await asset(debtChunk ?? "");
    const chartsChunk = /DebtCharts-[\w-]+\.js/.exec(debtJs)?.[0];
    expect(chartsChunk, "the debt page imports its charts lazily").toBeTruthy();
    expect(debtJs).not.toContain("recharts");
    expect(debtJs).not.toMatch(/import[^;]*from"\.\/(LineChart|CategoricalChart)-/);
    // Whatever the chunks recharts lands in are named: its marker comes with the charts, not before.
    await expect(withImports(chartsChunk ?? "")).resolves.toContain("recharts-surface");
    await expect(withImports(debtChunk ?? "")).resolves.not.toContain("recharts-surface");
  });
});

describe("the debt page", () => {
  it("starts empty with a call to add a card, and names a mistake by its field", async () => {
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
    });
    await shared.signUp();
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Debt" }).click();
    await page.getByRole("heading", { name: "Debt payoff", level: 1 }).waitFor();
    const empty = page.getByTestId("debt-empty");
    await empty.getByRole("heading", { name: "No cards yet" }).waitFor();
    await expect
      .poll(() => empty.getByRole("link", { name: "Add a card" }).getAttribute("href"))
      .toBe("#add-card");
    await auditPage(page, "debt-empty");
    expect(scripts.some((s) => /DebtPage-/.test(s))).toBe(true);
    expect(
      scripts.filter((s) => /DebtCharts-/.test(s)),
      "no chart is loaded before one is drawn",
    ).toEqual([]);

    const form = page.getByRole("form", { name: "Add a card" });
    await form.getByLabel("APR (%)", { exact: true }).fill("lots");
    await form.getByLabel("Payment due day").fill("40");
    await form.getByRole("button", { name: "Add card" }).click();
    await expect.poll(() => form.getByLabel("Card name").getAttribute("aria-invalid")).toBe("true");
    await expect.poll(() => form.getByText("must not be empty").isVisible()).toBe(true);
    await expect
      .poll(() => form.getByLabel("APR (%)", { exact: true }).getAttribute("aria-invalid"))
      .toBe("true");
    await expect.poll(() => form.getByText("must be a percentage such as 24.99").isVisible()).toBe(true);
    await expect.poll(() => form.getByLabel("Payment due day").getAttribute("aria-invalid")).toBe("true");
    // The first field in error has the focus, and nothing was sent.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe(await form.getByLabel("Card name").getAttribute("id"));
    expect(await cardsOf()).toEqual([]);
  });

  it("adds a card in the form and lists it with what is owed, its APR, utilisation, minimum and due date", async () => {
    const form = page.getByRole("form", { name: "Add a card" });
    await form.getByLabel("Card name").fill("Visa");
    await form.getByLabel("Issuer (optional)").fill("Chase");
    await form.getByLabel("Owed today").fill("1,000.00");
    await form.getByLabel("APR (%)", { exact: true }).fill("24");
    await form.getByLabel("Credit limit").fill("5000");
    await form.getByLabel("Payment due day").fill("15");
    await form.getByRole("button", { name: "Add card" }).click();
    await page.getByRole("status").filter({ hasText: "Visa was added." }).waitFor();

    const visa = await byName("Visa");
    expect(visa).toMatchObject({
      balance: 100_000,
      terms: { issuer: "Chase", aprBasisPoints: 2400, creditLimit: 500_000, dueDay: 15 },
      utilisationBasisPoints: 2000,
    });
    const shown = cardOf("Visa");
    await expect.poll(() => text(shown.getByTestId("owed"))).toBe(`You owe ${await fmt(100_000)}`);
    await expect.poll(() => text(shown.getByTestId("apr"))).toBe(await pct(2400));
    await expect
      .poll(() => text(shown.getByTestId("utilisation")))
      .toContain(`${await pct(2000)} of the ${await fmt(500_000)} limit used: Healthy`);
    await expect.poll(() => shown.locator(".bar-fill").getAttribute("style")).toContain("width: 20%");
    await expect.poll(() => text(shown.getByTestId("minimum"))).toBe(await fmt(visa.minimumDue ?? -1));
    await expect.poll(() => text(shown.getByTestId("due"))).toBe(await fullDate(visa.nextDueDate ?? ""));
  });

  it("asks for the terms of a card that has none, and takes them", async () => {
    await call("POST", "/v1/accounts", {
      name: "Store card",
      type: "credit-card",
      openingBalance: 200_000,
      // Opened two months ago: the progress has months to draw.
      openingDate: `${addMonths(month, -2)}-01`,
    });
    await call("POST", "/v1/cards", {
      name: "Low rate",
      balance: 30_000,
      aprBasisPoints: 500,
      creditLimit: 200_000,
      dueDay: 20,
    });
    await openDebt();
    const store = cardOf("Store card");
    await expect.poll(() => text(store)).toContain("This card has no terms yet");
    await expect.poll(() => text(page.getByTestId("excluded"))).toContain("Store card has no terms yet");

    await store.getByRole("button", { name: "Add its terms" }).click();
    const form = page.getByRole("form", { name: "Add the terms of Store card" });
    await form.getByLabel("APR (%)", { exact: true }).fill("29.99");
    await form.getByLabel("Credit limit").fill("5,000");
    await form.getByLabel("Payment due day").fill("3");
    await form.getByRole("button", { name: "Save terms" }).click();
    await page.getByRole("status").filter({ hasText: "The terms of Store card were saved." }).waitFor();
    const saved = await byName("Store card");
    expect(saved.terms).toMatchObject({ aprBasisPoints: 2999, creditLimit: 500_000, dueDay: 3 });
    expect(saved.utilisationBasisPoints).toBe(4000);
    await expect
      .poll(() => text(store.getByTestId("utilisation")))
      .toContain(`${await pct(4000)} of the ${await fmt(500_000)} limit used: High`);
    await expect.poll(() => page.getByTestId("excluded").count()).toBe(0);
    // Back from the form, the focus is on the button that opened it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Edit terms");
  });

  it("records a payment from an account that is not a card, and the balance falls", async () => {
    const visa = await byName("Visa");
    const shown = cardOf("Visa");
    await shown.getByRole("button", { name: "Record a payment" }).click();
    const form = page.getByRole("form", { name: "Record a payment to Visa" });
    const accounts = (await call<{ items: Account[] }>("GET", "/v1/accounts")).items;
    const cash = accounts.filter((a) => a.type !== "credit-card");
    expect(cash.length).toBeGreaterThan(0);
    // Only accounts that are not cards are offered to pay from.
    const offered = await form.getByLabel("From account").locator("option").allTextContents();
    expect(offered.map((o) => o.replace(/ \(.*\)$/, ""))).toEqual(cash.map((a) => a.name));
    await expect.poll(() => form.getByLabel("Date").inputValue()).toBe(today());
    await form.getByLabel("Amount").fill("0");
    await form.getByRole("button", { name: "Record payment" }).click();
    await expect.poll(() => form.getByText("must be more than zero").isVisible()).toBe(true);

    await form.getByLabel("Amount").fill("150.00");
    await form.getByRole("button", { name: "Record payment" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `Paid ${await fmt(15_000)} to Visa from ${cash[0]?.name}` })
      .waitFor();
    await expect
      .poll(() => text(shown.getByTestId("owed")))
      .toBe(`You owe ${await fmt(visa.balance - 15_000)}`);
    await expect.poll(() => text(shown.getByTestId("paid"))).toContain(await fmt(15_000));
    const after = await byName("Visa");
    expect(after.balance).toBe(visa.balance - 15_000);
    expect(after.paidThisMonth).toBe(15_000);
    const payments = (await call<{ items: CardPayment[] }>("GET", `/v1/cards/${visa.cardId}/payments`)).items;
    expect(payments).toEqual([
      expect.objectContaining({ amount: 15_000, date: today(), fromAccountId: cash[0]?.accountId }),
    ]);
  });

  it("compares the strategies side by side: avalanche costs less interest than snowball and is marked best", async () => {
    await call<Budget>("POST", "/v1/budgets", { month, totalIncome: 40_000, categories: [] });
    await openDebt();
    await planShown();
    await expect.poll(() => text(page.getByTestId("monthly-amount"))).toBe(await fmt(40_000));
    await expect
      .poll(() => text(page.getByTestId("monthly-source")))
      .toContain(`From your budget for ${await monthName(month)}`);

    // The case worked out here with the payoff engine, on the cards as the API has them.
    const cards = await cardsOf();
    const payoff: PayoffCard[] = cards.map((c) =>
      toPayoffCard(
        c.cardId,
        c.name,
        c.balance,
        {
          aprBasisPoints: c.terms?.aprBasisPoints ?? 0,
          creditLimit: c.terms?.creditLimit ?? 0,
          dueDay: c.terms?.dueDay ?? 1,
          minimum: c.terms?.minimumPayment ?? { kind: "fixed", amount: 0 },
          promo: c.terms?.promo ?? null,
        },
        month,
      ),
    );
    const computed = comparePayoff({
      cards: payoff,
      startMonth: month,
      monthlyAmount: 40_000,
      strategy: "avalanche",
      horizonMonths: 600,
    });
    const plan = (s: string) => computed.strategies.find((x) => x.strategy === s)?.plan;
    const avalanche = plan("avalanche");
    const snowball = plan("snowball");
    if (!avalanche || !snowball) throw new Error("no plans");
    // The smallest balance has the lowest rate, so paying it first costs interest.
    expect(avalanche.end).toBe("debt-free");
    expect(avalanche.totalInterest).toBeLessThan(snowball.totalInterest);

    for (const [name, p] of [
      ["avalanche", avalanche],
      ["snowball", snowball],
    ] as const) {
      const shown = page.getByTestId(`strategy-${name}`);
      await expect.poll(() => text(shown.getByTestId("interest"))).toBe(await fmt(p.totalInterest));
      await expect.poll(() => text(shown.getByTestId("months"))).toBe(`${p.monthsToDebtFree} months`);
      await expect.poll(() => text(shown.getByTestId("payoff"))).toBe(await monthName(p.debtFreeMonth ?? ""));
      await expect
        .poll(() => text(shown.getByTestId("saved")))
        .toBe(await fmt(computed.baseline.totalInterest - p.totalInterest));
    }
    await expect
      .poll(() => text(page.getByTestId("strategy-minimum-only").getByTestId("interest")))
      .toBe(await fmt(computed.baseline.totalInterest));
    // The best is marked in words, on avalanche only.
    await expect
      .poll(() => page.getByTestId("strategy-avalanche").getByTestId("best").textContent())
      .toContain("Best: least interest");
    await expect.poll(() => page.getByTestId("best").count()).toBe(1);
    const api = await call<DebtComparison>("GET", `/v1/debt/compare?month=${month}`);
    expect(api.best).toBe("avalanche");
  });

  it("draws each card's balance over time from the plan, with a table of the same figures", async () => {
    const chart = page.getByTestId("balance-chart");
    await chart.locator("svg.recharts-surface").waitFor();
    const plan = await call<DebtPlan>("GET", `/v1/debt/plan?strategy=avalanche&month=${month}`);
    await expect.poll(() => chart.locator("path.recharts-line-curve").count()).toBe(plan.cards.length);
    for (const o of plan.plan.cards) {
      const name = plan.cards.find((c) => c.cardId === o.cardId)?.name ?? "?";
      await expect
        .poll(() => text(chart.getByTestId("card-outcomes")))
        .toContain(`${name}: paid off in ${await monthName(o.payoffMonth ?? "")}`);
    }
    await chart.getByText(/The balances as a table/).click();
    const rows = chart.locator("tbody tr");
    await expect.poll(() => rows.count()).toBe(plan.plan.schedule.length);
    const first = plan.plan.schedule[0];
    if (!first) throw new Error("empty schedule");
    const firstRow = await rows.first().locator("td").allTextContents();
    expect(firstRow).toEqual(
      await Promise.all(
        plan.cards.map((c) => fmt(first.cards.find((x) => x.cardId === c.cardId)?.balance ?? 0)),
      ),
    );

    // Choosing snowball plans with it.
    await page.getByRole("radio", { name: "Snowball" }).check();
    await expect.poll(() => text(page.getByTestId("plan-summary"))).toMatch(/^Snowball,/);
    const snowball = await call<DebtPlan>("GET", `/v1/debt/plan?strategy=snowball&month=${month}`);
    await expect
      .poll(() => text(page.getByTestId("plan-summary")))
      .toContain(`${await fmt(snowball.plan.totalInterest)} interest in all`);
    expect(new URL(page.url()).searchParams.get("strategy")).toBe("snowball");
    await page.getByRole("radio", { name: "Avalanche" }).check();
    await expect.poll(() => text(page.getByTestId("plan-summary"))).toMatch(/^Avalanche,/);
  });

  it("shows what paying more changes: the slider's value, months and interest saved, asked once it settles", async () => {
    const whatIf = page.getByTestId("what-if");
    const summary = whatIf.getByTestId("whatif-summary");
    await expect.poll(() => text(summary)).toContain("Move the slider");
    const asked: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/v1/debt/what-if")) asked.push(r.url());
    });
    const slider = whatIf.getByRole("slider", { name: "Extra each month" });
    await slider.focus();
    for (let i = 0; i < 10; i++) await page.keyboard.press("ArrowRight");
    await expect.poll(() => text(whatIf.getByTestId("extra-value"))).toBe(await fmt(10_000));
    const hundred = await call<DebtWhatIf>(
      "GET",
      `/v1/debt/what-if?strategy=avalanche&month=${month}&extra=10000`,
    );
    expect(hundred.monthsSaved).toBeGreaterThan(0);
    await expect
      .poll(() => text(summary))
      .toBe(
        `With ${await fmt(10_000)} more a month: debt-free by ${await monthName(
          hundred.withChange.debtFreeMonth ?? "",
        )}, ${hundred.monthsSaved} month${hundred.monthsSaved === 1 ? "" : "s"} sooner, saving ${await fmt(
          hundred.interestSaved ?? 0,
        )} in interest.`,
      );
    // Ten steps of the slider, one question to the API.
    expect(asked.filter((u) => u.includes("extra=10000"))).toHaveLength(1);
    expect(asked.filter((u) => /extra=(?!10000)\d+/.test(u) && !u.includes("extra=0"))).toEqual([]);
    const before = await text(summary);

    await slider.fill("300");
    const three = await call<DebtWhatIf>(
      "GET",
      `/v1/debt/what-if?strategy=avalanche&month=${month}&extra=30000`,
    );
    expect(three.monthsSaved).toBeGreaterThan(hundred.monthsSaved ?? 0);
    await expect.poll(() => text(summary)).toContain(`${three.monthsSaved} months sooner`);
    expect(await text(summary)).not.toBe(before);
    await whatIf.locator("svg.recharts-surface").waitFor();

    // A one-off payment next month, on top.
    const next = addMonths(month, 1);
    await whatIf.getByLabel("One-off amount").fill("500");
    await whatIf.getByLabel("In the month").fill(next);
    const flake = await call<DebtWhatIf>(
      "GET",
      `/v1/debt/what-if?strategy=avalanche&month=${month}&extra=30000&snowflake=50000&snowflakeMonth=${next}`,
    );
    await expect
      .poll(() => text(summary))
      .toContain(`and ${await fmt(50_000)} once in ${await monthName(next)}: debt-free by`);
    await expect
      .poll(() => text(summary))
      .toContain(`saving ${await fmt(flake.interestSaved ?? 0)} in interest`);
  });

  it("says whether the plan meets the debt-free goal, and what monthly amount would", async () => {
    const goal = page.getByTestId("goal");
    await goal.getByText("No goal yet").waitFor();
    await goal.getByLabel("Debt-free by").fill(addMonths(month, 24));
    await goal.getByRole("button", { name: "Set the goal" }).click();
    await expect.poll(() => text(goal.getByTestId("goal-assessment"))).toContain("On track");
    const met = await call<DebtGoal>("GET", "/v1/debt/goal");
    expect(met.meetsTarget).toBe(true);

    await goal.getByLabel("Debt-free by").fill(month);
    await goal.getByRole("button", { name: "Change the goal" }).click();
    await expect.poll(() => text(goal.getByTestId("goal-assessment"))).toContain("Not on track");
    const missed = await call<DebtGoal>("GET", "/v1/debt/goal");
    expect(missed.meetsTarget).toBe(false);
    expect(missed.requiredMonthly).not.toBeNull();
    await expect
      .poll(() => text(goal.getByTestId("goal-assessment")))
      .toContain(
        `To be debt-free by ${await monthName(month)}, pay ${await fmt(missed.requiredMonthly ?? 0)} a month: ${await fmt(
          missed.extraNeeded ?? 0,
        )} more than now.`,
      );

    // The progress so far, from the snapshots.
    const progress = await call<DebtProgress>(
      "GET",
      `/v1/debt/progress?from=${addMonths(month, -11)}&to=${month}`,
    );
    expect(progress.months.map((m) => m.month)).toEqual([addMonths(month, -2), addMonths(month, -1), month]);
    expect(progress.paidToDebt).toBe(15_000);
    const panel = page.getByTestId("progress");
    await expect
      .poll(() => text(panel.getByTestId("progress-summary")))
      .toBe(
        `Since ${await monthName(addMonths(month, -2))} what you owe rose from ${await fmt(
          progress.startingOwed ?? -1,
        )} to ${await fmt(progress.currentOwed)}: ${await fmt(-(progress.paidDown ?? 0))} more. You paid ${await fmt(
          15_000,
        )} to the cards, and they charged ${await fmt(progress.interestPaid)} in interest and fees.`,
      );
    await panel.locator("svg.recharts-surface").waitFor();
    await panel.getByText(/The months as a table/).click();
    await expect.poll(() => panel.locator("tbody tr").count()).toBe(3);

    // The whole page, both themes; and on a phone it fits and stays accessible.
    await page.evaluate(() => window.scrollTo(0, 0));
    await auditPageAndPhone(page, "debt");
  });

  it("plans with an amount the person types instead of the budget's, and goes back to the budget's", async () => {
    const monthly = page.getByRole("form", { name: "Try your own monthly amount" });
    await monthly.getByLabel("Your own monthly amount").fill("600");
    await monthly.getByRole("button", { name: "Use this amount" }).click();
    await expect.poll(() => text(page.getByTestId("monthly-amount"))).toBe(await fmt(60_000));
    await expect
      .poll(() => text(page.getByTestId("monthly-source")))
      .toBe(
        `The amount you typed. Your budget for ${await monthName(month)} leaves ${await fmt(40_000)} for debt.`,
      );
    const typed = await call<DebtComparison>("GET", `/v1/debt/compare?month=${month}&monthly=60000`);
    const avalanche = typed.strategies.find((s) => s.strategy === "avalanche");
    await expect
      .poll(() => text(page.getByTestId("strategy-avalanche").getByTestId("interest")))
      .toBe(await fmt(avalanche?.totalInterest ?? -1));
    expect(new URL(page.url()).searchParams.get("monthly")).toBe("60000");

    await page.getByRole("button", { name: "Use the budget's amount" }).click();
    await expect.poll(() => text(page.getByTestId("monthly-amount"))).toBe(await fmt(40_000));
    expect(new URL(page.url()).searchParams.get("monthly")).toBeNull();
  });

  it("explains a shortfall: the minimums, the money for debt, the categories to cut, and a link to the budget", async () => {
    const categories = (await call<{ items: Category[] }>("GET", "/v1/categories")).items;
    const dining = categories.find((c) => c.name === "Dining");
    if (!dining) throw new Error("no Dining category");
    const budget = await call<Budget>("GET", `/v1/budgets/${month}`);
    await call<Budget>(
      "PUT",
      `/v1/budgets/${month}`,
      { totalIncome: 10_000, categories: [{ categoryId: dining.categoryId, limit: 5_000 }] },
      { "if-match": `"${budget.version}"` },
    );
    const accounts = (await call<{ items: Account[] }>("GET", "/v1/accounts")).items;
    const checking = accounts.find((a) => a.type !== "credit-card");
    await call("POST", "/v1/transactions", {
      accountId: checking?.accountId,
      date: today(),
      amount: 20_000,
      type: "expense",
      categoryId: dining.categoryId,
      merchant: "Trattoria",
    });
    await openDebt();
    const panel = page.getByTestId("shortfall");
    await panel.getByRole("heading", { name: "Not enough for the minimum payments" }).waitFor();
    const plan = await call<DebtPlan>("GET", `/v1/debt/plan?strategy=avalanche&month=${month}`);
    const shortfall = plan.shortfall;
    if (!shortfall) throw new Error("the API sees no shortfall");
    expect(shortfall.monthlyAmount).toBe(0);
    expect(shortfall.missing).toBe(shortfall.minimumsDue);
    const summary = await text(panel.getByTestId("shortfall-summary"));
    expect(summary).toContain(`add up to ${await fmt(shortfall.minimumsDue)} a month`);
    expect(summary).toContain(
      `your budget for ${await monthName(month)} leaves only ${await fmt(0)} for debt: you are ${await fmt(
        shortfall.missing,
      )} short`,
    );
    await expect
      .poll(() => text(panel.getByTestId("shortfall-cuts")))
      .toBe(`Dining: spent ${await fmt(20_000)} of a ${await fmt(5_000)} limit, ${await fmt(15_000)} over`);
    await expect
      .poll(() => text(panel))
      .toContain(`Cutting back to the limit frees ${await fmt(15_000)}, enough to cover the minimums.`);
    // The strategies say why none of them can start.
    await expect
      .poll(() => text(page.getByTestId("strategy-avalanche").getByTestId("months")))
      .toContain("does not cover the minimum payments");
    await page.evaluate(() => window.scrollTo(0, 0));
    await auditPage(page, "debt-shortfall");

    const link = panel.getByRole("link", { name: `Review the budget for ${await monthName(month)}` });
    await expect.poll(() => link.getAttribute("href")).toBe(`/budget?month=${month}`);
    await link.click();
    await page.getByRole("heading", { name: `Budget for ${await monthName(month)}`, level: 1 }).waitFor();
    expect(shared.app.problems).toEqual([]);
  });
});
