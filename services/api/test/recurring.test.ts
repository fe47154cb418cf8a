import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keys, ownerKey } from "../src/db/keys";
import {
  auditActions,
  type Harness,
  harness,
  ownerItems,
  signup,
  type Account as User,
} from "./support/harness";

/** Every date below is relative to this day, which the app takes as today. */
const TODAY = "2025-03-15";

let h: Harness;
beforeAll(() => {
  h = harness(undefined, { today: () => TODAY });
});
afterAll(() => h.close());

interface Setup {
  u: User;
  checking: string;
  card: string;
  housing: string;
  subscriptions: string;
}

async function setup(): Promise<Setup> {
  const u = await signup(h);
  const checking = (await h.call("GET", "/v1/accounts", { token: u.token })).body.items[0].accountId;
  const card = await h.call("POST", "/v1/accounts", {
    token: u.token,
    body: { name: "Visa", type: "credit-card", openingBalance: 50_000 },
  });
  expect(card.status).toBe(201);
  const categories = (await h.call("GET", "/v1/categories", { token: u.token })).body.items;
  const bySlug = (slug: string) => categories.find((c: { type: string }) => c.type === slug)?.categoryId;
  const subs = await h.call("POST", "/v1/categories", {
    token: u.token,
    body: { name: "Streaming", group: "discretionary" },
  });
  expect(subs.status).toBe(201);
  return {
    u,
    checking,
    card: card.body.accountId,
    housing: bySlug("housing"),
    subscriptions: subs.body.categoryId,
  };
}

const rentBody = (s: Setup, over: Record<string, unknown> = {}) => ({
  name: "Rent",
  amount: 150_000,
  accountId: s.checking,
  categoryId: s.housing,
  merchant: "Landlord",
  schedule: { frequency: "monthly", startDate: "2025-01-01", byMonthDay: 1 },
  ...over,
});

/** A reminder (not posted) on each month's last day, in its own category. */
const netflixBody = (s: Setup) =>
  rentBody(s, {
    name: "Netflix",
    amount: 1_549,
    categoryId: s.subscriptions,
    merchant: "Netflix",
    schedule: { frequency: "monthly", startDate: "2025-01-31" },
    autoPost: false,
  });

async function create(s: Setup, body: Record<string, unknown>) {
  const res = await h.call("POST", "/v1/recurring", { token: s.u.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res;
}

/** The user's entry in the materialiser's index of owners: how many templates of theirs post. */
const indexCount = async (s: Setup) =>
  (
    await h.store.db.send(
      new GetCommand({
        TableName: h.store.tables.budgets,
        Key: keys.recurringOwner(s.u.owner),
        ConsistentRead: true,
      }),
    )
  ).Item?.templates;

const recurringItems = async (s: Setup) =>
  (await ownerItems(h.store, s.u.owner)).filter((i) => String(i.SK).startsWith("RECURRING#"));

describe("recurring templates", () => {
  it("create one from structured fields: answered with its RFC 5545 rule and the fields, ETag and Location", async () => {
    const s = await setup();
    const res = await create(s, rentBody(s));
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.headers.get("location")).toBe(`/v1/recurring/${res.body.recurringId}`);
    expect(res.body).toMatchObject({
      name: "Rent",
      amount: 150_000,
      kind: "expense",
      accountId: s.checking,
      toAccountId: null,
      categoryId: s.housing,
      merchant: "Landlord",
      currency: "USD",
      autoPost: true,
      matchTolerance: 0,
      matchWindowDays: 3,
      status: "active",
      schedule: {
        rrule: "DTSTART;VALUE=DATE:20250101\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1",
        frequency: "monthly",
        interval: 1,
        byMonthDay: 1,
        byWeekday: null,
        startDate: "2025-01-01",
        endDate: null,
        count: null,
      },
      // Made today: earlier occurrences are not posted, the next is April's.
      postedThrough: "2025-03-14",
      nextOccurrence: "2025-04-01",
      lastFailure: null,
      version: 1,
    });
    // Stored as the rule text only; the owners' index counts it.
    const [item] = await recurringItems(s);
    expect(item).toMatchObject({ entity: "recurring", rrule: res.body.schedule.rrule });
    expect(item).not.toHaveProperty("frequency");
    const got = await h.call("GET", `/v1/recurring/${res.body.recurringId}`, { token: s.u.token });
    expect(got.status).toBe(200);
    expect(got.body).toEqual(res.body);
    expect(got.headers.get("etag")).toBe('"1"');
    expect(await auditActions(h.store, s.u.owner)).toContain("recurring.create");
  });

  it("create one from RRULE text, alone or agreeing with the fields; disagreeing is refused", async () => {
    const s = await setup();
    const text = await create(
      s,
      rentBody(s, {
        name: "Netflix",
        amount: 1_549,
        schedule: { rrule: "DTSTART:20250131T000000Z\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-1" },
      }),
    );
    expect(text.body.schedule).toMatchObject({
      rrule: "DTSTART;VALUE=DATE:20250131\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-1",
      frequency: "monthly",
      byMonthDay: -1,
      startDate: "2025-01-31",
    });
    expect(text.body.nextOccurrence).toBe("2025-03-31");
    const both = await create(
      s,
      rentBody(s, {
        schedule: {
          rrule: "FREQ=WEEKLY;INTERVAL=2",
          frequency: "weekly",
          interval: 2,
          startDate: "2025-03-03",
        },
      }),
    );
    expect(both.body.schedule.rrule).toBe(
      "DTSTART;VALUE=DATE:20250303\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    );
    expect(both.body.nextOccurrence).toBe("2025-03-17");
    const clash = await h.call("POST", "/v1/recurring", {
      token: s.u.token,
      body: rentBody(s, {
        schedule: { rrule: "FREQ=WEEKLY", frequency: "monthly", startDate: "2025-03-03" },
      }),
    });
    expect(clash.status).toBe(400);
    expect(clash.body.errors.map((e: { path: string }) => e.path)).toEqual(["schedule.rrule"]);
  });

  it("a transfer names both accounts: a monthly card payment", async () => {
    const s = await setup();
    const res = await create(s, {
      name: "Visa payment",
      amount: 20_000,
      kind: "transfer",
      accountId: s.checking,
      toAccountId: s.card,
      schedule: { frequency: "monthly", startDate: "2025-01-20" },
    });
    expect(res.body).toMatchObject({ kind: "transfer", toAccountId: s.card, nextOccurrence: "2025-03-20" });
  });

  it("bad input answers 400 naming each field, and writes nothing", async () => {
    const s = await setup();
    const before = (await ownerItems(h.store, s.u.owner)).length;
    const cases: [Record<string, unknown>, string[]][] = [
      [rentBody(s, { amount: 0 }), ["amount"]],
      [rentBody(s, { amount: 12.5 }), ["amount"]],
      [rentBody(s, { name: "" }), ["name"]],
      [rentBody(s, { accountId: "nope" }), ["accountId"]],
      [rentBody(s, { kind: "transfer" }), ["toAccountId"]],
      [rentBody(s, { toAccountId: s.card }), ["toAccountId"]],
      [rentBody(s, { matchWindowDays: 8 }), ["matchWindowDays"]],
      [rentBody(s, { matchTolerance: -1 }), ["matchTolerance"]],
      [rentBody(s, { extra: true }), ["extra"]],
      [rentBody(s, { schedule: { startDate: "2025-01-01" } }), ["schedule.frequency"]],
      [rentBody(s, { schedule: { frequency: "daily", startDate: "2025-01-01" } }), ["schedule.frequency"]],
      [rentBody(s, { schedule: { frequency: "monthly", startDate: "2025-02-30" } }), ["schedule.startDate"]],
      [
        rentBody(s, { schedule: { frequency: "monthly", startDate: "2025-01-01", byMonthDay: 0 } }),
        ["schedule.byMonthDay"],
      ],
      [
        rentBody(s, { schedule: { frequency: "weekly", startDate: "2025-01-01", byMonthDay: 3 } }),
        ["schedule.byMonthDay"],
      ],
      [
        rentBody(s, {
          schedule: { frequency: "monthly", startDate: "2025-01-01", endDate: "2025-06-01", count: 2 },
        }),
        ["schedule.count"],
      ],
      [
        rentBody(s, { schedule: { frequency: "monthly", startDate: "2025-01-01", endDate: "2024-06-01" } }),
        ["schedule.endDate"],
      ],
      [rentBody(s, { schedule: { rrule: "FREQ=DAILY", startDate: "2025-01-01" } }), ["schedule.rrule"]],
      [
        rentBody(s, { schedule: { rrule: "FREQ=MONTHLY;BYHOUR=9", startDate: "2025-01-01" } }),
        ["schedule.rrule"],
      ],
      [rentBody(s, { schedule: { rrule: "FREQ=MONTHLY" } }), ["schedule.startDate"]],
    ];
    for (const [body, paths] of cases) {
      const res = await h.call("POST", "/v1/recurring", { token: s.u.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        JSON.stringify(res.body),
      ).toEqual(paths);
    }
    expect((await ownerItems(h.store, s.u.owner)).length).toBe(before);
  });

  it("accounts and categories that are not the user's, or not usable, answer 422 naming the field", async () => {
    const s = await setup();
    const other = await setup();
    const closed = await h.call("POST", "/v1/accounts", { token: s.u.token, body: { name: "Old" } });
    await h.call("PUT", `/v1/accounts/${closed.body.accountId}`, {
      token: s.u.token,
      body: { closed: true },
    });
    const archived = await h.call("POST", "/v1/categories", {
      token: s.u.token,
      body: { name: "Gone", group: "essential" },
    });
    await h.call("DELETE", `/v1/categories/${archived.body.categoryId}`, { token: s.u.token });
    const euro = await h.call("POST", "/v1/accounts", {
      token: s.u.token,
      body: { name: "Euro", currency: "EUR" },
    });
    const before = (await ownerItems(h.store, s.u.owner)).length;
    const cases: [Record<string, unknown>, string][] = [
      [rentBody(s, { accountId: other.checking }), "accountId"],
      [rentBody(s, { accountId: closed.body.accountId }), "accountId"],
      [rentBody(s, { categoryId: other.housing }), "categoryId"],
      [rentBody(s, { categoryId: archived.body.categoryId }), "categoryId"],
      [rentBody(s, { kind: "transfer", toAccountId: other.card, categoryId: null }), "toAccountId"],
      [rentBody(s, { kind: "transfer", toAccountId: euro.body.accountId, categoryId: null }), "toAccountId"],
    ];
    for (const [body, path] of cases) {
      const res = await h.call("POST", "/v1/recurring", { token: s.u.token, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([path]);
    }
    expect((await ownerItems(h.store, s.u.owner)).length).toBe(before);
  });

  it("lists the user's templates by name", async () => {
    const s = await setup();
    await create(s, rentBody(s, { name: "Water" }));
    await create(s, rentBody(s, { name: "Electricity" }));
    const list = await h.call("GET", "/v1/recurring", { token: s.u.token });
    expect(list.body.items.map((t: { name: string }) => t.name)).toEqual(["Electricity", "Water"]);
  });

  it("update with If-Match: a new version and ETag; a stale ETag answers 412 and changes nothing", async () => {
    const s = await setup();
    const { body: t } = await create(s, rentBody(s));
    h.commands.length = 0;
    const put = await h.call("PUT", `/v1/recurring/${t.recurringId}`, {
      token: s.u.token,
      headers: { "if-match": '"1"' },
      body: { amount: 155_000, categoryId: s.subscriptions, matchTolerance: 500 },
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    // Nothing was due: the template is read once, strongly, for the check and the write.
    const reads = h.commands.filter(
      (c) =>
        c.name === "GetItemCommand" &&
        (c.input.Key as { SK?: string } | undefined)?.SK === keys.recurring(s.u.owner, t.recurringId).SK,
    );
    expect(reads.map((c) => c.input.ConsistentRead)).toEqual([true]);
    expect(put.headers.get("etag")).toBe('"2"');
    expect(put.body).toMatchObject({
      amount: 155_000,
      categoryId: s.subscriptions,
      matchTolerance: 500,
      version: 2,
    });
    const stale = await h.call("PUT", `/v1/recurring/${t.recurringId}`, {
      token: s.u.token,
      headers: { "if-match": '"1"' },
      body: { amount: 1 },
    });
    expect(stale.status).toBe(412);
    expect((await h.call("GET", `/v1/recurring/${t.recurringId}`, { token: s.u.token })).body.amount).toBe(
      155_000,
    );
    const bad = await h.call("PUT", `/v1/recurring/${t.recurringId}`, {
      token: s.u.token,
      body: { schedule: { frequency: "monthly", startDate: "2025-01-01", byMonthDay: 32 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["schedule.byMonthDay"]);
    const notTransfer = await h.call("PUT", `/v1/recurring/${t.recurringId}`, {
      token: s.u.token,
      body: { toAccountId: s.card },
    });
    expect(notTransfer.status).toBe(422);
    expect(notTransfer.body.errors.map((e: { path: string }) => e.path)).toEqual(["toAccountId"]);
    expect(await auditActions(h.store, s.u.owner)).toContain("recurring.update");
  });

  it("moves category use counts: a category a template names is archived, not deleted", async () => {
    const s = await setup();
    const { body: t } = await create(s, rentBody(s, { categoryId: s.subscriptions }));
    const del = await h.call("DELETE", `/v1/categories/${s.subscriptions}`, { token: s.u.token });
    expect(del.status).toBe(200);
    expect(del.body.result).toBe("archived");
    // Let go by the template (another category), the archived one keeps no use from it.
    const categoryItem = async () =>
      (await ownerItems(h.store, s.u.owner)).find(
        (i) => i.SK === keys.category(s.u.owner, s.subscriptions).SK,
      );
    expect((await categoryItem())?.useCount).toBe(1);
    await h.call("PUT", `/v1/recurring/${t.recurringId}`, {
      token: s.u.token,
      body: { categoryId: s.housing },
    });
    expect((await categoryItem())?.useCount).toBe(0);
  });

  it("delete with If-Match: 412 when stale, 204 then 404; the owners' index lets go", async () => {
    const s = await setup();
    const { body: t } = await create(s, rentBody(s));
    expect(await indexCount(s)).toBe(1);
    expect(
      (
        await h.call("DELETE", `/v1/recurring/${t.recurringId}`, {
          token: s.u.token,
          headers: { "if-match": '"7"' },
        })
      ).status,
    ).toBe(412);
    const del = await h.call("DELETE", `/v1/recurring/${t.recurringId}`, {
      token: s.u.token,
      headers: { "if-match": '"1"' },
    });
    expect(del.status).toBe(204);
    expect((await h.call("GET", `/v1/recurring/${t.recurringId}`, { token: s.u.token })).status).toBe(404);
    expect((await h.call("DELETE", `/v1/recurring/${t.recurringId}`, { token: s.u.token })).status).toBe(404);
    expect(await recurringItems(s)).toEqual([]);
    expect(await indexCount(s)).toBe(0);
    expect(await auditActions(h.store, s.u.owner)).toContain("recurring.delete");
  });

  it("pausing and not posting take a template out of the owners' index; resuming puts it back", async () => {
    const s = await setup();
    const { body: t } = await create(s, rentBody(s));
    await create(s, rentBody(s, { name: "Reminder", autoPost: false }));
    expect(await indexCount(s)).toBe(1);
    await h.call("PUT", `/v1/recurring/${t.recurringId}`, { token: s.u.token, body: { status: "paused" } });
    expect(await indexCount(s)).toBe(0);
    const paused = (await h.call("GET", `/v1/recurring/${t.recurringId}`, { token: s.u.token })).body;
    expect(paused).toMatchObject({ status: "paused", nextOccurrence: null });
    await h.call("PUT", `/v1/recurring/${t.recurringId}`, { token: s.u.token, body: { status: "active" } });
    expect(await indexCount(s)).toBe(1);
  });
});

describe("tenant isolation", () => {
  it("another user's template answers 404 to GET, PUT and DELETE, exactly like a missing one, and is untouched", async () => {
    const a = await setup();
    const b = await setup();
    const { body: t } = await create(a, rentBody(a));
    const missing = "01JAAAAAAAAAAAAAAAAAAAAAAA";
    for (const id of [t.recurringId, missing]) {
      const got = await h.call("GET", `/v1/recurring/${id}`, { token: b.u.token });
      const put = await h.call("PUT", `/v1/recurring/${id}`, { token: b.u.token, body: { amount: 1 } });
      const del = await h.call("DELETE", `/v1/recurring/${id}`, { token: b.u.token });
      for (const res of [got, put, del]) {
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ type: "/problems/not-found", status: 404 });
      }
      expect(got.body.detail).toBe("Recurring template was not found");
    }
    expect((await h.call("GET", "/v1/recurring", { token: b.u.token })).body.items).toEqual([]);
    expect((await h.call("GET", "/v1/recurring/upcoming", { token: b.u.token })).body.items).toEqual([]);
    const still = await h.call("GET", `/v1/recurring/${t.recurringId}`, { token: a.u.token });
    expect(still.body).toMatchObject({ amount: 150_000, version: 1 });
    // B's items hold nothing of A's.
    const leaked = (await ownerItems(h.store, b.u.owner)).filter((i) =>
      JSON.stringify(i).includes(ownerKey(a.u.owner)),
    );
    expect(leaked).toEqual([]);
  });

  it("needs a token", async () => {
    expect((await h.call("GET", "/v1/recurring")).status).toBe(401);
    expect((await h.call("GET", "/v1/recurring/upcoming")).status).toBe(401);
  });
});

describe("upcoming bills", () => {
  it("lists the next days' occurrences of active templates by date, with totals per currency", async () => {
    const s = await setup();
    await create(
      s,
      rentBody(s, { schedule: { frequency: "monthly", startDate: "2025-01-01", byMonthDay: 1 } }),
    );
    await create(s, netflixBody(s));
    await create(s, {
      name: "Visa payment",
      amount: 20_000,
      kind: "transfer",
      accountId: s.checking,
      toAccountId: s.card,
      schedule: { frequency: "monthly", startDate: "2025-01-20" },
    });
    await create(s, {
      name: "Salary",
      amount: 400_000,
      kind: "income",
      accountId: s.checking,
      schedule: { frequency: "weekly", interval: 2, startDate: "2025-03-07" },
    });
    await create(
      s,
      rentBody(s, {
        name: "Paused",
        status: "paused",
        schedule: { frequency: "weekly", startDate: "2025-03-01" },
      }),
    );
    const res = await h.call("GET", "/v1/recurring/upcoming?days=30", { token: s.u.token });
    expect(res.status).toBe(200);
    expect(res.body.from).toBe("2025-03-15");
    expect(res.body.to).toBe("2025-04-13");
    expect(res.body.items.map((i: { date: string; name: string }) => `${i.date} ${i.name}`)).toEqual([
      "2025-03-20 Visa payment",
      "2025-03-21 Salary",
      "2025-03-31 Netflix",
      "2025-04-01 Rent",
      "2025-04-04 Salary",
    ]);
    expect(res.body.items[2]).toMatchObject({
      amount: 1_549,
      autoPost: false,
      categoryId: s.subscriptions,
      currency: "USD",
    });
    expect(res.body.totals).toEqual([
      { currency: "USD", expense: 151_549, income: 800_000, transfer: 20_000, count: 5 },
    ]);
    const one = await h.call("GET", "/v1/recurring/upcoming?days=1", { token: s.u.token });
    expect(one.body).toMatchObject({ from: "2025-03-15", to: "2025-03-15", items: [], totals: [] });
    const defaulted = await h.call("GET", "/v1/recurring/upcoming", { token: s.u.token });
    expect(defaulted.body.to).toBe("2025-04-13");
  });

  it("refuses days outside 1 to 366, naming days", async () => {
    const s = await setup();
    for (const q of ["0", "367", "2.5", "abc", "-3"]) {
      const res = await h.call("GET", `/v1/recurring/upcoming?days=${q}`, { token: s.u.token });
      expect(res.status, q).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["days"]);
    }
    expect((await h.call("GET", "/v1/recurring/upcoming?days=366", { token: s.u.token })).status).toBe(200);
  });
});

describe("committed in the budget", () => {
  it("shows per category the month's occurrences of active expense templates, posted or not", async () => {
    const s = await setup();
    await h.call("POST", "/v1/budgets", {
      token: s.u.token,
      body: { month: "2025-04", totalIncome: 500_000 },
    });
    await create(s, rentBody(s));
    // Every Monday: four in April 2025 (7, 14, 21, 28).
    await create(
      s,
      rentBody(s, {
        name: "Gym",
        amount: 1_000,
        categoryId: s.subscriptions,
        schedule: { frequency: "weekly", startDate: "2025-03-03" },
      }),
    );
    await create(s, netflixBody(s));
    // Neither income, transfers, paused templates nor another currency commit spending.
    await create(s, {
      name: "Pay",
      amount: 9_999,
      kind: "income",
      accountId: s.checking,
      categoryId: s.housing,
      schedule: { frequency: "weekly", startDate: "2025-03-03" },
    });
    await create(s, {
      name: "Card",
      amount: 9_999,
      kind: "transfer",
      accountId: s.checking,
      toAccountId: s.card,
      categoryId: s.housing,
      schedule: { frequency: "weekly", startDate: "2025-03-03" },
    });
    await create(s, rentBody(s, { name: "Paused", status: "paused" }));
    const euro = await h.call("POST", "/v1/accounts", {
      token: s.u.token,
      body: { name: "Euro", currency: "EUR" },
    });
    await create(s, rentBody(s, { name: "Euro rent", accountId: euro.body.accountId }));
    const month = await h.call("GET", "/v1/budgets/2025-04", { token: s.u.token });
    expect(month.status).toBe(200);
    const committed = Object.fromEntries(
      month.body.categories.map((c: { categoryId: string; committed: number }) => [
        c.categoryId,
        c.committed,
      ]),
    );
    expect(committed[s.housing]).toBe(150_000);
    expect(committed[s.subscriptions]).toBe(4 * 1_000 + 1_549);
    const others = month.body.categories.filter(
      (c: { categoryId: string }) => c.categoryId !== s.housing && c.categoryId !== s.subscriptions,
    );
    expect(others.every((c: { committed: number }) => c.committed === 0)).toBe(true);
    // March from the 3rd: Mondays 3, 10, 17, 24, 31, whether before today or not.
    await h.call("POST", "/v1/budgets", {
      token: s.u.token,
      body: { month: "2025-03", totalIncome: 500_000 },
    });
    const march = await h.call("GET", "/v1/budgets/2025-03/categories", { token: s.u.token });
    const subs = march.body.items.find((c: { categoryId: string }) => c.categoryId === s.subscriptions);
    expect(subs.committed).toBe(5 * 1_000 + 1_549);
  });
});
