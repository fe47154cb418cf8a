import { addMonths, daysInMonth } from "@tyche/core";
import type { Account, Category, Recurring, RecurringSuggestionList, Upcoming } from "@tyche/types";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { builtApp, fullDateIn, moneyIn, shareApp, textOf as text } from "./support/api";
import { auditPageAndPhone } from "./support/browser";

const shared = shareApp();
const { call } = shared;
let page: Page;
beforeAll(() => {
  page = shared.page;
});

const pad = (n: number) => String(n).padStart(2, "0");
const today = () => new Date().toISOString().slice(0, 10);
const month = today().slice(0, 7);
const lastOf = (m: string) => `${m}-${pad(daysInMonth(m))}`;

const templates = async () => (await call<{ items: Recurring[] }>("GET", "/v1/recurring")).items;
const byName = async (name: string) => {
  const t = (await templates()).find((x) => x.name === name);
  if (!t) throw new Error(`no bill ${name}`);
  return t;
};

/** Figures and dates as the page shows them: the browser's own Intl, in its own language. */
const fmt = (cents: number) => moneyIn(page, cents);
const fullDate = (d: string) => fullDateIn(page, d);
const dayAndMonth = (m: number, d: number) =>
  page.evaluate(
    ([mm, dd]) =>
      new Intl.DateTimeFormat(navigator.language, { day: "numeric", month: "long", timeZone: "UTC" }).format(
        new Date(Date.UTC(2000, (mm as number) - 1, dd as number)),
      ),
    [m, d] as const,
  );

/** English ordinals, written out by hand: 1st, 2nd, 3rd, 4th ... 11th ... 21st ... 28th. */
const ordinalSuffix = (n: number) =>
  n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th";

/** A bill in the list, by its heading. */
const billOf = (name: string) =>
  page.getByTestId("bill").filter({ has: page.getByRole("heading", { name, exact: true, level: 3 }) });
const form = () => page.getByRole("form", { name: "Add a bill" });
const calendarCell = (date: string) => page.locator(`[data-testid=calendar] td[data-date="${date}"]`);

async function openBills() {
  await page.goto("/recurring");
  await page.getByRole("heading", { name: "Recurring bills", level: 1 }).waitFor();
}

let checking: Account;
let categories: Category[];

describe("the recurring bills page's bundle", () => {
  it("is a chunk of its own, and rrule (which the calendar expands with) stays out of the dashboard", async () => {
    const { entryJs, withImports } = await builtApp(shared.server.baseUrl);
    const pageChunk = /RecurringPage-[\w-]+\.js/.exec(entryJs)?.[0];
    const dashboardChunk = /SpendingDashboard-[\w-]+\.js/.exec(entryJs)?.[0];
    expect(pageChunk, "the bills page is a chunk of its own").toBeTruthy();
    expect(dashboardChunk).toBeTruthy();
    // rrule's own error text: in the bills page (so looking for it means something), not before it.
    const marker = "Invalid frequency";
    await expect(withImports(pageChunk ?? "")).resolves.toContain(marker);
    await expect(withImports(dashboardChunk ?? "")).resolves.not.toContain(marker);
    expect(entryJs).not.toContain(marker);
  });
});

describe("the recurring bills page", () => {
  it("starts empty with a call to add a bill, and names each mistake by its field", async () => {
    await shared.signUp();
    [checking] = (await call<{ items: Account[] }>("GET", "/v1/accounts")).items as [Account];
    categories = (await call<{ items: Category[] }>("GET", "/v1/categories")).items;
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Bills" }).click();
    await page.getByRole("heading", { name: "Recurring bills", level: 1 }).waitFor();
    const empty = page.getByTestId("bills-empty");
    await empty.getByRole("heading", { name: "No bills yet" }).waitFor();
    await expect
      .poll(() => empty.getByRole("link", { name: "Add your first bill" }).getAttribute("href"))
      .toBe("#add-bill");
    await page.getByTestId("suggestions-empty").waitFor();
    await expect.poll(() => page.title()).toBe("Recurring bills · Tyche");
    await auditPageAndPhone(page, "recurring-empty");

    const f = form();
    await f.getByLabel("Amount", { exact: true }).fill("lots");
    await f.getByLabel("Frequency", { exact: true }).selectOption("weekly");
    await f.getByLabel("Every how many weeks", { exact: true }).fill("0");
    // The start day's weekday is ticked for a new weekly bill: untick every day.
    for (const box of await f.getByRole("group", { name: "On" }).getByRole("checkbox").all())
      if (await box.isChecked()) await box.uncheck();
    await f.getByLabel("End date (optional)", { exact: true }).fill(addMonths(month, -1).concat("-01"));
    await f.getByRole("button", { name: "Add bill" }).click();

    const invalid = (label: string) => f.getByLabel(label, { exact: true }).getAttribute("aria-invalid");
    await expect.poll(() => invalid("Name")).toBe("true");
    await expect.poll(() => f.getByText("must not be empty").isVisible()).toBe(true);
    await expect.poll(() => invalid("Amount")).toBe("true");
    await expect.poll(() => f.getByText("must be an amount such as 12.50").isVisible()).toBe(true);
    await expect.poll(() => invalid("Every how many weeks")).toBe("true");
    await expect.poll(() => f.getByText("must be a whole number from 1 to 99").isVisible()).toBe(true);
    await expect.poll(() => f.getByText("choose at least one day of the week").isVisible()).toBe(true);
    await expect.poll(() => invalid("End date (optional)")).toBe("true");
    await expect.poll(() => f.getByText("must not be before the start date").isVisible()).toBe(true);
    // The first field in error has the focus, and nothing was sent.
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe(await f.getByLabel("Name", { exact: true }).getAttribute("id"));
    expect(await templates()).toEqual([]);
    await auditPageAndPhone(page, "recurring-form-errors");

    // A transfer needs the account the money goes to.
    await f.getByLabel("Name", { exact: true }).fill("Card payment");
    await f.getByLabel("Amount", { exact: true }).fill("100");
    await f.getByLabel("Every how many weeks", { exact: true }).fill("1");
    await f.getByRole("checkbox", { name: "Monday" }).check();
    await f.getByLabel("End date (optional)", { exact: true }).fill("");
    await f.getByRole("radio", { name: "Transfer" }).check();
    await f.getByRole("button", { name: "Add bill" }).click();
    await expect.poll(() => invalid("To account")).toBe("true");
    await expect.poll(() => f.getByText("choose the account the money goes to").isVisible()).toBe(true);
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe(await f.getByLabel("To account", { exact: true }).getAttribute("id"));
    expect(await templates()).toEqual([]);
  });

  it("adds bills in the form and lists them with their schedules in words and next dates", async () => {
    const f = form();
    await f.getByRole("radio", { name: "Expense" }).check();
    await f.getByLabel("Name", { exact: true }).fill("Rent");
    await f.getByLabel("Amount", { exact: true }).fill("1,500.00");
    await f.getByLabel("Account", { exact: true }).selectOption({ label: checking.name });
    await f.getByLabel("Category", { exact: true }).selectOption({ label: "Housing" });
    await f.getByLabel("Merchant (optional)", { exact: true }).fill("Landlord");
    await f.getByLabel("Frequency", { exact: true }).selectOption("monthly");
    await f.getByLabel("Every how many months", { exact: true }).fill("1");
    await f.getByRole("radio", { name: "A day of the month" }).check();
    await f.getByLabel("Day of the month", { exact: true }).fill("1");
    await f.getByLabel("Start date", { exact: true }).fill(`${month}-01`);
    await f.getByRole("button", { name: "Add bill" }).click();
    await page.getByRole("status").filter({ hasText: "Rent was added" }).waitFor();

    const rent = await byName("Rent");
    expect(rent).toMatchObject({
      amount: 150_000,
      kind: "expense",
      accountId: checking.accountId,
      categoryId: categories.find((c) => c.type === "housing")?.categoryId,
      merchant: "Landlord",
      autoPost: true,
      schedule: { frequency: "monthly", interval: 1, byMonthDay: 1, startDate: `${month}-01` },
    });
    // Made today: the next one is today when today is the 1st, else next month's 1st.
    expect(rent.nextOccurrence).toBe(today().endsWith("-01") ? today() : `${addMonths(month, 1)}-01`);
    const shown = billOf("Rent");
    await expect.poll(() => text(shown.getByTestId("schedule"))).toBe("Monthly on the 1st");
    await expect.poll(() => text(shown.getByTestId("next"))).toBe(await fullDate(rent.nextOccurrence ?? ""));
    await expect.poll(() => text(shown.getByTestId("bill-amount"))).toBe(await fmt(150_000));
    await expect.poll(() => text(shown)).toContain("Housing");
    await expect.poll(() => text(shown.getByTestId("autopost"))).toBe("Posted by itself when due");
    // The form is blank again for the next bill.
    await expect.poll(() => f.getByLabel("Name", { exact: true }).inputValue()).toBe("");

    // Every two weeks on Friday, from today, a reminder only.
    await f.getByLabel("Name", { exact: true }).fill("Gym");
    await f.getByLabel("Amount", { exact: true }).fill("25");
    await f.getByLabel("Frequency", { exact: true }).selectOption("weekly");
    await f.getByLabel("Every how many weeks", { exact: true }).fill("2");
    for (const box of await f.getByRole("group", { name: "On" }).getByRole("checkbox").all())
      if (await box.isChecked()) await box.uncheck();
    await f.getByRole("checkbox", { name: "Friday" }).check();
    await f.getByLabel("Post it by itself when due", { exact: true }).uncheck();
    await f.getByRole("button", { name: "Add bill" }).click();
    await page.getByRole("status").filter({ hasText: "Gym was added" }).waitFor();
    const gym = await byName("Gym");
    expect(gym.schedule).toMatchObject({ frequency: "weekly", interval: 2, byWeekday: ["FR"] });
    expect(gym.autoPost).toBe(false);
    await expect.poll(() => text(billOf("Gym").getByTestId("schedule"))).toBe("Every 2 weeks on Friday");
    await expect
      .poll(() => text(billOf("Gym").getByTestId("next")))
      .toBe(await fullDate(gym.nextOccurrence ?? ""));
    await expect
      .poll(() => text(billOf("Gym").getByTestId("autopost")))
      .toBe("A reminder only: you record it");

    // Monthly on the last Friday.
    await f.getByLabel("Name", { exact: true }).fill("Book club");
    await f.getByLabel("Amount", { exact: true }).fill("12");
    await f.getByLabel("Frequency", { exact: true }).selectOption("monthly");
    await f.getByRole("radio", { name: "A weekday of the month" }).check();
    await f.getByLabel("Which one", { exact: true }).selectOption({ label: "Last" });
    await f.getByLabel("Weekday", { exact: true }).selectOption({ label: "Friday" });
    await f.getByRole("button", { name: "Add bill" }).click();
    await page.getByRole("status").filter({ hasText: "Book club was added" }).waitFor();
    expect((await byName("Book club")).schedule).toMatchObject({
      frequency: "monthly",
      byWeekday: ["-1FR"],
      byMonthDay: null,
    });
    await expect
      .poll(() => text(billOf("Book club").getByTestId("schedule")))
      .toBe("Monthly on the last Friday");

    // The last day of each month, and yearly on 15 March, through the API: their words.
    await call("POST", "/v1/recurring", {
      name: "Phone",
      amount: 4_000,
      accountId: checking.accountId,
      schedule: { frequency: "monthly", byMonthDay: -1, startDate: today() },
    });
    await call("POST", "/v1/recurring", {
      name: "Insurance",
      amount: 60_000,
      accountId: checking.accountId,
      schedule: { frequency: "yearly", byMonth: 3, byMonthDay: 15, startDate: today() },
    });
    await openBills();
    await expect.poll(() => text(billOf("Phone").getByTestId("schedule"))).toBe("Last day of each month");
    await expect
      .poll(() => text(billOf("Insurance").getByTestId("schedule")))
      .toBe(`Yearly on ${await dayAndMonth(3, 15)}`);
    await expect.poll(() => page.getByTestId("bill").allTextContents()).toHaveLength(5);
  });

  it("shows the month's bills on their days in the calendar, with the month's total, month by month", async () => {
    const upcoming = await call<Upcoming>("GET", "/v1/recurring/upcoming?days=366");
    // This month: Rent on the 1st (by hand), Phone on the last day, and what upcoming has after today.
    const inMonth = upcoming.items.filter((o) => o.date.startsWith(month) && o.name !== "Rent");
    const rentCell = calendarCell(`${month}-01`);
    await expect.poll(() => text(rentCell)).toContain("Rent");
    await expect.poll(() => text(rentCell)).toContain(await fmt(150_000));
    await expect.poll(() => text(calendarCell(lastOf(month)))).toContain("Phone");
    for (const o of inMonth) await expect.poll(() => text(calendarCell(o.date))).toContain(o.name);
    const gymDays = inMonth.filter((o) => o.name === "Gym").map((o) => o.date);
    for (const cell of await page.locator("[data-testid=calendar] td[data-date]").all()) {
      const date = (await cell.getAttribute("data-date")) ?? "";
      expect((await text(cell)).includes("Gym"), `Gym on ${date}`).toBe(gymDays.includes(date));
    }
    const expenses = 150_000 + inMonth.filter((o) => o.kind === "expense").reduce((s, o) => s + o.amount, 0);
    const count = 1 + inMonth.length;
    await expect
      .poll(() => text(page.getByTestId("month-total")))
      .toContain(`${await fmt(expenses)} in ${count} bill${count === 1 ? "" : "s"}`);

    // Next month by the button: Rent on its 1st, in the address too.
    const next = addMonths(month, 1);
    await page.getByRole("button", { name: "Next month" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("month")).toBe(next);
    await expect.poll(() => text(calendarCell(`${next}-01`))).toContain("Rent");
    await expect.poll(() => text(calendarCell(lastOf(next)))).toContain("Phone");
    // Page Up and Page Down from the calendar itself: back two months, where Rent had not started.
    await page.getByRole("region", { name: /^Calendar of / }).focus();
    await page.keyboard.press("PageUp");
    await page.keyboard.press("PageUp");
    const before = addMonths(month, -1);
    await expect.poll(() => new URL(page.url()).searchParams.get("month")).toBe(before);
    await calendarCell(`${before}-01`).waitFor();
    await expect.poll(() => text(calendarCell(`${before}-01`))).not.toContain("Rent");
    await expect.poll(() => text(page.getByTestId("month-total"))).toContain("no bills");
    await page.keyboard.press("PageDown");
    await expect.poll(() => new URL(page.url()).search).toBe("");
    await expect.poll(() => text(calendarCell(`${month}-01`))).toContain("Rent");
  });

  it("edits a bill with If-Match, and says so when it was changed elsewhere meanwhile", async () => {
    await billOf("Rent").getByRole("button", { name: "Edit" }).click();
    let edit = page.getByRole("form", { name: "Edit Rent" });
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe(await edit.getByLabel("Name", { exact: true }).getAttribute("id"));
    await edit.getByLabel("Amount", { exact: true }).fill("1550");
    await edit.getByLabel("Day of the month", { exact: true }).fill("2");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await page.getByRole("status").filter({ hasText: "Rent was saved." }).waitFor();
    const saved = await byName("Rent");
    expect(saved).toMatchObject({ amount: 155_000, version: 2, schedule: { byMonthDay: 2 } });
    await expect.poll(() => text(billOf("Rent").getByTestId("schedule"))).toBe("Monthly on the 2nd");
    await expect.poll(() => text(billOf("Rent").getByTestId("bill-amount"))).toBe(await fmt(155_000));
    // Back from the form, the focus is on the button that opened it.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Edit");

    // Someone else changes it while the form is open: a 412, said in words; saving again applies.
    await billOf("Rent").getByRole("button", { name: "Edit" }).click();
    edit = page.getByRole("form", { name: "Edit Rent" });
    await call(
      "PUT",
      `/v1/recurring/${saved.recurringId}`,
      { name: "Rent", matchTolerance: 500 },
      { "if-match": `"2"` },
    );
    await edit.getByLabel("Amount", { exact: true }).fill("1600");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await edit.getByTestId("stale").waitFor();
    await expect.poll(() => text(edit.getByTestId("stale"))).toContain("changed elsewhere");
    expect((await byName("Rent")).amount).toBe(155_000);
    await expect.poll(async () => (await byName("Rent")).version).toBe(3);
    await edit.getByRole("button", { name: "Save changes" }).click();
    await edit.waitFor({ state: "detached" });
    expect(await byName("Rent")).toMatchObject({ amount: 160_000, version: 4 });
    await expect.poll(() => text(billOf("Rent").getByTestId("bill-amount"))).toBe(await fmt(160_000));
  });

  it("pausing a bill takes it out of upcoming and the calendar; resuming brings it back", async () => {
    const upcomingList = page.getByTestId("upcoming");
    const api366 = await call<Upcoming>("GET", "/v1/recurring/upcoming?days=366");
    await expect.poll(() => text(upcomingList)).toContain("Gym");
    const gym = billOf("Gym");
    await gym.getByRole("button", { name: "Pause" }).click();
    await page.getByRole("status").filter({ hasText: "Gym is paused" }).waitFor();
    await expect.poll(() => text(gym.getByTestId("paused"))).toBe("Paused");
    await expect.poll(() => text(gym.getByTestId("next"))).toBe("None while paused");
    expect((await byName("Gym")).status).toBe("paused");
    const api = await call<Upcoming>("GET", "/v1/recurring/upcoming?days=30");
    expect(api.items.map((o) => o.name)).not.toContain("Gym");
    await expect.poll(() => text(upcomingList)).not.toContain("Gym");
    // Its days in the month of its next one (this month, or the next near a month's end).
    const gymMonth = api366.items.find((o) => o.name === "Gym")?.date.slice(0, 7) ?? month;
    const gymDays = api366.items
      .filter((o) => o.name === "Gym" && o.date.startsWith(gymMonth))
      .map((o) => o.date);
    if (gymMonth !== month) await page.getByRole("button", { name: "Next month" }).click();
    for (const d of gymDays) await expect.poll(() => text(calendarCell(d))).not.toContain("Gym");
    await expect.poll(() => text(page.getByTestId("month-total"))).toContain("Paused bills are left out");
    // What the page totals is what the API totals.
    const usd = api.totals.find((t) => t.currency === "USD");
    await expect
      .poll(() => text(page.getByTestId("upcoming-total")))
      .toContain(await fmt(usd?.expense ?? -1));

    await gym.getByRole("button", { name: "Resume" }).click();
    await page.getByRole("status").filter({ hasText: "Gym is active again" }).waitFor();
    await expect.poll(() => text(upcomingList)).toContain("Gym");
    for (const d of gymDays) await expect.poll(() => text(calendarCell(d))).toContain("Gym");
  });

  it("deletes a bill after asking", async () => {
    await billOf("Insurance").getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Delete it" }).click();
    await page.getByRole("status").filter({ hasText: "Insurance was deleted." }).waitFor();
    await expect.poll(() => billOf("Insurance").count()).toBe(0);
    expect((await templates()).map((t) => t.name).sort()).toEqual(["Book club", "Gym", "Phone", "Rent"]);
  });

  it("finds recurring charges in the history: one accepted becomes a bill, another dismissed goes (with undo)", async () => {
    // Four months of a streaming charge and a cloud charge, the last about a month ago (so both are
    // still running whatever today is), on days every month has.
    const day = (m: string, d: number) => `${m}-${pad(d)}`;
    const todayDay = Number(today().slice(8, 10));
    const streamDay = Math.min(28, todayDay);
    const cloudDay = Math.max(1, Math.min(28, todayDay - 3));
    const history: [string, number, number][] = [
      ["StreamFlix", streamDay, 1_599],
      ["CloudBox", cloudDay, 299],
    ];
    for (const [merchant, d, amount] of history)
      for (let i = 1; i <= 4; i++)
        await call("POST", "/v1/transactions", {
          accountId: checking.accountId,
          date: day(addMonths(month, -i), d),
          amount,
          type: "expense",
          merchant,
        });
    await openBills();
    const suggestion = (merchant: string) =>
      page
        .getByTestId("suggestion")
        .filter({ has: page.getByRole("heading", { name: merchant, exact: true, level: 3 }) });
    const stream = suggestion("StreamFlix");
    await stream.waitFor();
    await suggestion("CloudBox").waitFor();
    // Its evidence: each date and amount, oldest first; and how sure, in words.
    const rows = await stream.getByTestId("evidence").locator("tbody tr").allTextContents();
    const expected = [];
    for (let i = 4; i >= 1; i--)
      expected.push(`${await fullDate(day(addMonths(month, -i), streamDay))}${await fmt(1_599)}`);
    expect(rows).toEqual(expected);
    await expect
      .poll(() => text(stream.getByTestId("confidence")))
      .toMatch(/^(Very likely|Likely|Possibly) recurring \(\d+% sure, 4 times seen\)$/);
    await auditPageAndPhone(page, "recurring");

    const found = (await call<RecurringSuggestionList>("GET", "/v1/recurring/suggestions")).items;
    const streamFound = found.find((x) => x.merchant === "StreamFlix");
    expect(streamFound?.schedule).toMatchObject({ frequency: "monthly", byMonthDay: streamDay });

    // Accepted: the form is filled in from it, and adding it makes the bill.
    await stream.getByRole("button", { name: "Make it a bill" }).click();
    const f = form();
    await expect.poll(() => f.getByLabel("Name", { exact: true }).inputValue()).toBe("StreamFlix");
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.id))
      .toBe(await f.getByLabel("Name", { exact: true }).getAttribute("id"));
    await expect.poll(() => f.getByLabel("Amount", { exact: true }).inputValue()).toBe("15.99");
    await expect
      .poll(() => f.getByLabel("Merchant (optional)", { exact: true }).inputValue())
      .toBe("StreamFlix");
    await expect.poll(() => f.getByLabel("Frequency", { exact: true }).inputValue()).toBe("monthly");
    await expect
      .poll(() => f.getByLabel("Day of the month", { exact: true }).inputValue())
      .toBe(String(streamDay));
    await f.getByRole("button", { name: "Add bill" }).click();
    await page.getByRole("status").filter({ hasText: "StreamFlix was added" }).waitFor();
    expect(await byName("StreamFlix")).toMatchObject({
      amount: 1_599,
      merchant: "StreamFlix",
      accountId: checking.accountId,
      // From the next date due, as suggested: nothing in the history is posted again.
      schedule: {
        frequency: "monthly",
        interval: 1,
        byMonthDay: streamDay,
        startDate: streamFound?.schedule.startDate,
      },
    });
    await expect
      .poll(() => text(billOf("StreamFlix").getByTestId("schedule")))
      .toBe(`Monthly on the ${streamDay}${ordinalSuffix(streamDay)}`);
    await expect.poll(() => stream.count()).toBe(0);

    // Dismissed: gone from the API's list, with an Undo that brings it back.
    const cloud = suggestion("CloudBox");
    await cloud.getByRole("button", { name: "Dismiss" }).click();
    const gone = page.getByTestId("suggestion-dismissed");
    await gone.waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe("Undo");
    const listed = async () =>
      (await call<{ items: { merchant: string }[] }>("GET", "/v1/recurring/suggestions")).items.map(
        (s) => s.merchant,
      );
    expect(await listed()).not.toContain("CloudBox");
    await gone.getByRole("button", { name: "Undo" }).click();
    await cloud.waitFor();
    expect(await listed()).toContain("CloudBox");
    await cloud.getByRole("button", { name: "Dismiss" }).click();
    await gone.waitFor();
    await openBills();
    // On a new visit too: CloudBox stays dismissed, and StreamFlix is covered by its bill.
    await page.getByTestId("suggestions-empty").waitFor();
    await expect.poll(() => suggestion("CloudBox").count()).toBe(0);
  });

  it("shows the upcoming bills on the dashboard, with their total, linking to the bills", async () => {
    const api = await call<Upcoming>("GET", "/v1/recurring/upcoming?days=30");
    expect(api.items.length).toBeGreaterThan(0);
    await page.goto("/");
    const panel = page.getByTestId("upcoming-bills");
    await panel.getByRole("heading", { name: "Upcoming bills" }).waitFor();
    await panel.getByTestId("upcoming-bills-list").waitFor();
    const names = await panel
      .locator("[data-testid=upcoming-bills-list] li .recent-merchant")
      .allTextContents();
    expect(names).toEqual(api.items.slice(0, 5).map((o) => o.name));
    const usd = api.totals.find((t) => t.currency === "USD");
    await expect
      .poll(() => text(panel.getByTestId("upcoming-bills-total-USD")))
      .toContain(await fmt((usd?.expense ?? 0) + (usd?.transfer ?? 0)));
    await panel.getByRole("link", { name: "All bills" }).click();
    await page.getByRole("heading", { name: "Recurring bills", level: 1 }).waitFor();
    expect(shared.app.problems).toEqual([]);
  });
});
