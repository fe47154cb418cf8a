import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keys } from "../src/db/keys";
import { RecurringDismissalRepository } from "../src/db/recurring-dismissals";
import { TransactionRepository } from "../src/db/transactions";
import { RecurringSuggestionService } from "../src/recurring/suggestions";
import { type Account, auditActions, type Harness, harness, ownerItems, signup } from "./support/harness";

// GET /v1/recurring/suggestions and dismissing on DynamoDB Local, from histories imported as a
// bank CSV (dates counted back from today, since "still active" is measured from it).

let h: Harness;
beforeAll(() => {
  h = harness();
});
afterAll(() => h.close());

const DAY = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) =>
  new Date(Date.parse(`${today()}T00:00:00Z`) - n * DAY).toISOString().slice(0, 10);
/** Day `dom` of the month `back` months before this one (its last day when shorter). */
function monthsAgo(back: number, dom: number): string {
  const now = new Date(`${today()}T00:00:00Z`);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth() - back;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m, Math.min(dom, last))).toISOString().slice(0, 10);
}
/** The same day 25 months before today, or that month's last day. */
function historyStart(): string {
  const t = today();
  const m = new Date(Date.UTC(Number(t.slice(0, 4)), Number(t.slice(5, 7)) - 1 - 25, 1));
  const last = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 0)).getUTCDate();
  return `${m.toISOString().slice(0, 7)}-${String(Math.min(Number(t.slice(8, 10)), last)).padStart(2, "0")}`;
}

interface Line {
  date: string;
  description: string;
  /** Cents, negative for money out. */
  amount: number;
}

const cents = (c: number) =>
  `${c < 0 ? "-" : ""}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, "0")}`;

async function importLines(user: Account, lines: readonly Line[]): Promise<void> {
  const csv = [
    "Date,Description,Amount",
    ...lines.map((l) => `${l.date},${l.description},${cents(l.amount)}`),
  ].join("\n");
  const form = new FormData();
  form.set("file", new File([csv], "history.csv"));
  const res = await h.call("POST", "/v1/imports", { token: user.token, raw: form });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.counts.imported).toBe(lines.length);
}

/**
 * A year of Netflix on the 12th (a day or two late now and then), pay every other Friday, a gym
 * that stopped eight months ago, a weekly meal kit, and one-off shopping, some at Netflix too.
 */
function history(): Line[] {
  const lines: Line[] = [];
  const jitter = [0, 1, 0, 2, 0, 1, 0, 0, 2, 0, 1, 0];
  for (let back = 12; back >= 1; back--)
    lines.push({
      date: monthsAgo(back, 12 + (jitter[back - 1] ?? 0)),
      description: "NETFLIX.COM",
      amount: -1549,
    });
  for (let i = 0; i < 20; i++)
    lines.push({
      date: daysAgo(3 + 14 * i),
      description: "ACME CORP PAYROLL",
      amount: 250_000 + (i % 3) * 1_250,
    });
  for (let back = 20; back >= 8; back--)
    lines.push({ date: monthsAgo(back, 5), description: "PLANET FITNESS", amount: -2499 });
  for (let i = 0; i < 8; i++)
    lines.push({ date: daysAgo(2 + 7 * i), description: "HELLOFRESH", amount: -6_999 });
  for (let i = 0; i < 60; i++)
    lines.push({
      date: daysAgo(5 + ((i * 37) % 380)),
      description: `SHOP ${i % 17}`,
      amount: -(300 + ((i * 7919) % 20_000)),
    });
  lines.push({ date: monthsAgo(3, 20), description: "NETFLIX.COM", amount: -399 }); // a rental, not the plan
  return lines;
}

async function suggestions(user: Account, query = "") {
  const res = await h.call("GET", `/v1/recurring/suggestions${query}`, { token: user.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

// biome-ignore lint/suspicious/noExplicitAny: answers are JSON, asserted on field by field
const byMerchant = (items: any[], key: string) => items.filter((s) => s.merchantKey === key);

describe("recurring suggestions", () => {
  let a: Account;
  let b: Account;
  beforeAll(async () => {
    a = await signup(h, "Ann");
    b = await signup(h, "Bob");
    await importLines(a, history());
  }, 60_000);

  it("finds the subscription, the pay and the meal kit in an imported history, with their evidence", async () => {
    const body = await suggestions(a);
    expect(body.from).toBe(historyStart());
    expect(body.to).toBe(today());
    const netflix = byMerchant(body.items, "netflix");
    expect(netflix).toHaveLength(1);
    expect(netflix[0]).toMatchObject({
      kind: "expense",
      merchant: "Netflix",
      cadence: "monthly",
      typicalAmount: 1549,
      occurrences: 12,
      active: true,
      dismissed: false,
      schedule: { frequency: "monthly", interval: 1, byMonthDay: 12, shortMonths: "last-day" },
    });
    // The schedule starts at the next date due.
    expect(netflix[0].schedule.startDate).toBe(netflix[0].nextExpected);
    // Its evidence is exactly the twelve plan charges, as the transactions list has them.
    const listed = await h.call("GET", "/v1/transactions?limit=100&q=netflix", { token: a.token });
    const plan = listed.body.items
      // biome-ignore lint/suspicious/noExplicitAny: transactions as JSON
      .filter((t: any) => t.amount === 1549)
      // biome-ignore lint/suspicious/noExplicitAny: transactions as JSON
      .map((t: any) => t.transactionId)
      .sort();
    expect(plan).toHaveLength(12);
    // biome-ignore lint/suspicious/noExplicitAny: evidence as JSON
    expect(netflix[0].evidence.map((e: any) => e.transactionId).sort()).toEqual(plan);
    expect(byMerchant(body.items, "acme corp payroll")[0]).toMatchObject({
      kind: "income",
      cadence: "biweekly",
      occurrences: 20,
      nextExpected: daysAgo(3 - 14),
    });
    expect(byMerchant(body.items, "hellofresh")[0]).toMatchObject({ cadence: "weekly", occurrences: 8 });
    // The gym stopped: only listed when asked for all, flagged and without a next date.
    expect(byMerchant(body.items, "planet fitness")).toEqual([]);
    const all = await suggestions(a, "?status=all");
    expect(byMerchant(all.items, "planet fitness")[0]).toMatchObject({
      cadence: "monthly",
      occurrences: 13,
      active: false,
      nextExpected: null,
    });
    // Nothing from the one-off shops.
    // biome-ignore lint/suspicious/noExplicitAny: suggestions as JSON
    expect(all.items.filter((s: any) => s.merchantKey.startsWith("shop"))).toEqual([]);
  });

  it("reads the history once, as one projected key range of the user's partition", async () => {
    const before = h.commands.length;
    await suggestions(a);
    const sent = h.commands.slice(before);
    const reads = sent.filter(
      (c) => c.name === "QueryCommand" && c.input.TableName === h.store.tables.transactionDetails,
    );
    expect(reads).toHaveLength(1); // 140 rows: one page
    const q = reads[0]?.input as Record<string, unknown>;
    expect(q.IndexName).toBeUndefined();
    expect(q.KeyConditionExpression).toBe("PK = :pk AND SK BETWEEN :low AND :high");
    expect(q.ExpressionAttributeValues).toMatchObject({
      ":pk": `TENANT#${a.owner.tenantId}#USER#${a.owner.userId}`,
      ":low": `TXN#${historyStart()}`,
      ":high": `TXN#${today()}#\uffff`,
    });
    expect(String(q.ProjectionExpression).split(", ").sort()).toEqual(
      [
        "#date",
        "#type",
        "PK",
        "accountId",
        "amount",
        "categoryId",
        "merchant",
        "merchantKey",
        "transactionId",
      ].sort(),
    );
    // Besides it, the dismissals: one query of the budgets partition's RECURRING_DISMISSED# items.
    const others = sent.filter((c) => c !== reads[0]);
    expect(others.map((c) => [c.name, c.input.TableName])).toEqual([
      ["QueryCommand", h.store.tables.budgets],
    ]);
    const dismissals = others[0]?.input.ExpressionAttributeValues as Record<string, string> | undefined;
    expect(dismissals?.[":sk"]).toBe("RECURRING_DISMISSED#");
  });

  it("hides a dismissed suggestion, shows it again when restored, and audits both", async () => {
    const netflix = byMerchant((await suggestions(a)).items, "netflix")[0];
    const dismissed = await h.call("POST", `/v1/recurring/suggestions/${netflix.key}/dismiss`, {
      token: a.token,
    });
    expect(dismissed.status, JSON.stringify(dismissed.body)).toBe(200);
    expect(dismissed.body).toMatchObject({
      key: netflix.key,
      kind: "expense",
      merchant: "Netflix",
      merchantKey: "netflix",
      cadence: "monthly",
      typicalAmount: 1549,
      accountId: netflix.accountId,
    });
    expect(byMerchant((await suggestions(a)).items, "netflix")).toEqual([]);
    const withDismissed = await suggestions(a, "?includeDismissed=true");
    expect(byMerchant(withDismissed.items, "netflix")[0]).toMatchObject({
      key: netflix.key,
      dismissed: true,
    });
    // The others stay.
    expect(byMerchant((await suggestions(a)).items, "hellofresh")).toHaveLength(1);
    const stored = (await ownerItems(h.store, a.owner)).filter((i) =>
      String(i.SK).startsWith("RECURRING_DISMISSED#"),
    );
    expect(stored.map((i) => [i.table, i.SK])).toEqual([
      [h.store.tables.budgets, keys.recurringDismissed(a.owner, netflix.key).SK],
    ]);

    // Again: the same dismissal, and no second audit record.
    const again = await h.call("POST", `/v1/recurring/suggestions/${netflix.key}/dismiss`, {
      token: a.token,
    });
    expect(again.status).toBe(200);
    expect(again.body.dismissedAt).toBe(dismissed.body.dismissedAt);
    expect(
      (await auditActions(h.store, a.owner)).filter((x) => x === "recurringSuggestion.dismiss"),
    ).toHaveLength(1);

    const restored = await h.call("DELETE", `/v1/recurring/suggestions/${netflix.key}/dismiss`, {
      token: a.token,
    });
    expect(restored.status).toBe(204);
    expect(byMerchant((await suggestions(a)).items, "netflix")[0]).toMatchObject({
      key: netflix.key,
      dismissed: false,
    });
    expect(await auditActions(h.store, a.owner)).toContain("recurringSuggestion.restore");
    const twice = await h.call("DELETE", `/v1/recurring/suggestions/${netflix.key}/dismiss`, {
      token: a.token,
    });
    expect(twice.status).toBe(404);
  });

  it("can dismiss a series that ended", async () => {
    const gym = byMerchant((await suggestions(a, "?status=all")).items, "planet fitness")[0];
    const res = await h.call("POST", `/v1/recurring/suggestions/${gym.key}/dismiss`, { token: a.token });
    expect(res.status).toBe(200);
    expect(byMerchant((await suggestions(a, "?status=all")).items, "planet fitness")).toEqual([]);
  });

  it("never shows one user another's history, nor lets them dismiss or restore its suggestions", async () => {
    expect((await suggestions(b)).items).toEqual([]);
    expect((await suggestions(b, "?status=all&includeDismissed=true")).items).toEqual([]);
    const netflix = byMerchant((await suggestions(a)).items, "netflix")[0];
    const before = await ownerItems(h.store, b.owner);
    const dismiss = await h.call("POST", `/v1/recurring/suggestions/${netflix.key}/dismiss`, {
      token: b.token,
    });
    expect(dismiss.status).toBe(404);
    expect(dismiss.headers.get("content-type")).toContain("application/problem+json");
    const gym = byMerchant(
      (await suggestions(a, "?status=all&includeDismissed=true")).items,
      "planet fitness",
    )[0];
    expect(gym.dismissed).toBe(true);
    expect(
      (await h.call("DELETE", `/v1/recurring/suggestions/${gym.key}/dismiss`, { token: b.token })).status,
    ).toBe(404);
    expect(await ownerItems(h.store, b.owner)).toEqual(before);
    // A's dismissal is untouched by B's attempts.
    expect(
      byMerchant((await suggestions(a, "?status=all&includeDismissed=true")).items, "planet fitness")[0]
        .dismissed,
    ).toBe(true);

    // B's own history, with the same merchants, gives B's own suggestions: none of A's rows.
    await importLines(
      b,
      [12, 11, 10, 9].map((back) => ({
        date: monthsAgo(back, 12),
        description: "NETFLIX.COM",
        amount: -1549,
      })),
    );
    const mine = await suggestions(b, "?status=all");
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0].key).not.toBe(netflix.key); // another account, so another key
    // Its evidence is B's four rows, as B's own list has them (an imported row's id comes from its
    // content, so the same bank line may have the same id in two users' partitions).
    expect(mine.items[0].occurrences).toBe(4);
    const listed = await h.call("GET", "/v1/transactions?limit=100", { token: b.token });
    expect(mine.items[0].evidence.map((e: { transactionId: string }) => e.transactionId).sort()).toEqual(
      listed.body.items.map((t: { transactionId: string }) => t.transactionId).sort(),
    );
  });

  it("finds transactions entered by hand too", async () => {
    const c = await signup(h, "Cy");
    for (const back of [3, 2, 1])
      expect(
        (
          await h.call("POST", "/v1/transactions", {
            token: c.token,
            body: { date: monthsAgo(back, 1), amount: 12_000, type: "expense", merchant: "Town Water" },
          })
        ).status,
      ).toBe(201);
    const body = await suggestions(c);
    expect(body.items.map((s: { merchant: string; cadence: string }) => [s.merchant, s.cadence])).toEqual([
      ["Town Water", "monthly"],
    ]);
  });

  it("refuses bad input with a 400 naming the field, an unknown key with a 404, and writes nothing", async () => {
    const before = await ownerItems(h.store, a.owner);
    for (const [method, path, field] of [
      ["GET", "/v1/recurring/suggestions?status=ended", "status"],
      ["GET", "/v1/recurring/suggestions?includeDismissed=yes", "includeDismissed"],
      ["POST", "/v1/recurring/suggestions/not-a-key/dismiss", "key"],
      ["POST", "/v1/recurring/suggestions/ABCDEF0123456789/dismiss", "key"],
      ["DELETE", "/v1/recurring/suggestions/0123/dismiss", "key"],
    ] as const) {
      const res = await h.call(method, path, { token: a.token });
      expect(res.status, path).toBe(400);
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        path,
      ).toContain(field);
    }
    const unknown = await h.call("POST", "/v1/recurring/suggestions/0123456789abcdef/dismiss", {
      token: a.token,
    });
    expect(unknown.status).toBe(404);
    expect(
      (await h.call("DELETE", "/v1/recurring/suggestions/0123456789abcdef/dismiss", { token: a.token }))
        .status,
    ).toBe(404);
    expect((await h.call("GET", "/v1/recurring/suggestions")).status).toBe(401);
    expect(await ownerItems(h.store, a.owner)).toEqual(before);
  });

  it("leaves out merchants that a recurring template covers", async () => {
    const service = new RecurringSuggestionService({
      store: h.store,
      transactions: new TransactionRepository(h.store),
      dismissals: new RecurringDismissalRepository(h.store),
      covered: async (owner) => new Set(owner.userId === a.owner.userId ? ["netflix"] : []),
    });
    const list = await service.list(a.owner, { status: "active", includeDismissed: false });
    expect(list.items.map((s) => s.merchantKey).sort()).toEqual(["acme corp payroll", "hellofresh"]);
    expect((await service.list(b.owner, { status: "all", includeDismissed: false })).items).toHaveLength(1);
  });
});
