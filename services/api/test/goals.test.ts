import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { GoalRepository } from "../src/db/goals";
import { keys, ownerKey } from "../src/db/keys";
import { commit } from "../src/db/transact";
import {
  auditActions,
  type Harness,
  harness,
  ownerItems,
  signup,
  type Account as User,
} from "./support/harness";

let h: Harness;
beforeAll(() => {
  h = harness();
});

/** Dates relative to today (UTC), computed here with Date alone. */
const today = () => new Date().toISOString().slice(0, 10);
const monthFrom = (delta: number) => {
  const d = new Date();
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + delta, 1)).toISOString().slice(0, 7);
};
const lastDayOf = (month: string) => {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};
const dayOf = (month: string, day: number) => `${month}-${String(day).padStart(2, "0")}`;

const holiday = { name: "Holiday", targetAmount: 100_000, targetDate: lastDayOf(monthFrom(9)) };

async function addGoal(u: User, body: Record<string, unknown> = holiday) {
  const res = await h.call("POST", "/v1/goals", { token: u.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function contribute(u: User, goalId: string, amount: number, date = today(), headers = {}) {
  return h.call("POST", `/v1/goals/${goalId}/contributions`, {
    token: u.token,
    body: { amount, date },
    headers,
  });
}

async function storedGoal(u: User, goalId: string) {
  const { Item } = await h.store.db.send(
    new GetCommand({
      TableName: h.store.tables.budgetGoals,
      Key: keys.savingsGoal(u.owner, goalId),
      ConsistentRead: true,
    }),
  );
  return Item;
}

const reachedOf = (goal: { milestones: { percent: number; reachedAt: string | null }[] }) =>
  Object.fromEntries(goal.milestones.map((m) => [m.percent, m.reachedAt !== null]));

describe("creating and reading goals", () => {
  it("stores a goal with its GSI1 key, defaults and milestones, and audits it", async () => {
    const u = await signup(h);
    const res = await h.call("POST", "/v1/goals", { token: u.token, body: holiday });
    expect(res.status).toBe(201);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.headers.get("location")).toBe(`/v1/goals/${res.body.goalId}`);
    // Ten months from this one to the target's: $1,000 / 10.
    expect(res.body).toMatchObject({
      name: "Holiday",
      targetAmount: 100_000,
      currentAmount: 0,
      startingAmount: 0,
      remaining: 100_000,
      priority: 3,
      status: "active",
      categoryId: null,
      currency: "USD",
      customMilestones: [],
      milestones: [25, 50, 75, 100].map((percent) => ({ percent, reachedAt: null })),
      monthsLeft: 10,
      requiredMonthly: 10_000,
      averageMonthly: null,
      projectedCompletion: null,
      onTrack: false,
      contributionCount: 0,
      completedAt: null,
      version: 1,
    });
    const item = await storedGoal(u, res.body.goalId);
    expect(item).toMatchObject({
      PK: ownerKey(u.owner),
      SK: `GOAL#${res.body.goalId}`,
      GSI1PK: ownerKey(u.owner),
      GSI1SK: `GOAL#active#${holiday.targetDate}#${res.body.goalId}`,
      entity: "goal",
    });
    expect(await auditActions(h.store, u.owner)).toContain("goal.create");
    const got = await h.call("GET", `/v1/goals/${res.body.goalId}`, { token: u.token });
    expect(got.status).toBe(200);
    expect(got.headers.get("etag")).toBe('"1"');
    expect(got.body).toEqual(res.body);
  });

  it("starts with what is already saved: milestones it passes are reached, a full goal is completed", async () => {
    const u = await signup(h);
    const half = await addGoal(u, { ...holiday, currentAmount: 60_000, customMilestones: [60, 10, 60] });
    expect(half.customMilestones).toEqual([10, 60]);
    expect(reachedOf(half)).toEqual({ 10: true, 25: true, 50: true, 60: true, 75: false, 100: false });
    expect(half.milestones.find((m: { percent: number }) => m.percent === 25).reachedAt).toBe(half.createdAt);
    expect(half.requiredMonthly).toBe(4_000);
    // What it was made with stays what it was made with, whatever contributions move it since
    // (in two months, one a withdrawal): currentAmount = startingAmount + the contributions.
    expect(half.startingAmount).toBe(60_000);
    await contribute(u, half.goalId, 7_000, dayOf(monthFrom(0), 1));
    await contribute(u, half.goalId, -2_500, dayOf(monthFrom(-1), 1));
    const moved = (await h.call("GET", `/v1/goals/${half.goalId}`, { token: u.token })).body;
    expect(moved).toMatchObject({ startingAmount: 60_000, currentAmount: 64_500 });

    const full = await addGoal(u, { ...holiday, currentAmount: 100_000 });
    expect(full).toMatchObject({
      status: "completed",
      completedAt: full.createdAt,
      requiredMonthly: 0,
      onTrack: true,
    });
    expect(reachedOf(full)[100]).toBe(true);
    expect((await storedGoal(u, full.goalId))?.GSI1SK).toBe(
      `GOAL#completed#${holiday.targetDate}#${full.goalId}`,
    );
  });

  it("validates every field, naming it, and writes nothing", async () => {
    const u = await signup(h);
    const before = (await ownerItems(h.store, u.owner)).length;
    const bad: [Record<string, unknown>, string][] = [
      [{ ...holiday, name: "  " }, "name"],
      [{ ...holiday, name: "x".repeat(101) }, "name"],
      [{ ...holiday, targetAmount: 0 }, "targetAmount"],
      [{ ...holiday, targetAmount: -500 }, "targetAmount"],
      [{ ...holiday, targetAmount: 10.5 }, "targetAmount"],
      [{ ...holiday, targetAmount: "100" }, "targetAmount"],
      [{ ...holiday, currentAmount: -1 }, "currentAmount"],
      [{ ...holiday, targetDate: "2027-02-30" }, "targetDate"],
      [{ ...holiday, targetDate: "2027-2-3" }, "targetDate"],
      [{ name: "No date", targetAmount: 1 }, "targetDate"],
      [{ ...holiday, priority: 0 }, "priority"],
      [{ ...holiday, priority: 6 }, "priority"],
      [{ ...holiday, priority: 2.5 }, "priority"],
      [{ ...holiday, status: "completed" }, "status"],
      [{ ...holiday, currency: "JPY" }, "currency"],
      [{ ...holiday, categoryId: "groceries" }, "categoryId"],
      [{ ...holiday, customMilestones: [0] }, "customMilestones.0"],
      [{ ...holiday, customMilestones: [10, 101] }, "customMilestones.1"],
      [{ ...holiday, customMilestones: [33.5] }, "customMilestones.0"],
      [{ ...holiday, customMilestones: Array.from({ length: 21 }, (_, i) => i + 1) }, "customMilestones"],
      [{ ...holiday, milestones: [] }, "milestones"],
      [{ ...holiday, tenantId: "someone-else" }, "tenantId"],
    ];
    for (const [body, path] of bad) {
      const res = await h.call("POST", "/v1/goals", { token: u.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(
        res.body.errors.map((e: { path: string }) => e.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    expect((await ownerItems(h.store, u.owner)).length).toBe(before);
  });

  it("links one of the user's active categories, counting the use so the category is archived, not deleted", async () => {
    const u = await signup(h);
    const other = await signup(h);
    const cat = (
      await h.call("POST", "/v1/categories", {
        token: u.token,
        body: { name: "Rainy day", group: "savings" },
      })
    ).body;
    const theirs = (
      await h.call("POST", "/v1/categories", {
        token: other.token,
        body: { name: "Theirs", group: "savings" },
      })
    ).body;
    const archived = (
      await h.call("POST", "/v1/categories", { token: u.token, body: { name: "Old", group: "savings" } })
    ).body;
    await h.call("PUT", `/v1/categories/${archived.categoryId}`, {
      token: u.token,
      body: { archived: true },
    });
    const before = (await ownerItems(h.store, u.owner)).length;
    for (const categoryId of [theirs.categoryId, archived.categoryId, ulid()]) {
      const res = await h.call("POST", "/v1/goals", { token: u.token, body: { ...holiday, categoryId } });
      expect(res.status).toBe(422);
      expect(res.body.errors).toEqual([
        { path: "categoryId", message: "is not one of your active categories" },
      ]);
    }
    expect((await ownerItems(h.store, u.owner)).length).toBe(before);

    const goal = await addGoal(u, { ...holiday, categoryId: cat.categoryId });
    expect(goal.categoryId).toBe(cat.categoryId);
    const useCount = async (id: string) =>
      (await ownerItems(h.store, u.owner)).find((i) => i.SK === `CATEGORY#${id}`)?.useCount;
    expect(await useCount(cat.categoryId)).toBe(1);
    const del = await h.call("DELETE", `/v1/categories/${cat.categoryId}`, { token: u.token });
    expect(del.status).toBe(200);
    expect((await h.call("GET", `/v1/categories/${cat.categoryId}`, { token: u.token })).body.archived).toBe(
      true,
    );

    const unlinked = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { categoryId: null },
    });
    expect(unlinked.body.categoryId).toBeNull();
    expect(await useCount(cat.categoryId)).toBe(0);
    const relink = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { categoryId: cat.categoryId },
    });
    // It was archived meanwhile: a goal may keep an archived category but not newly take one.
    expect(relink.status).toBe(422);
    expect(relink.body.errors[0].path).toBe("categoryId");
  });
});

describe("changing goals", () => {
  it("updates at the version read; a stale If-Match answers 412 and changes nothing", async () => {
    const u = await signup(h);
    const goal = await addGoal(u);
    const put = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { name: "Lisbon", priority: 1 },
      headers: { "if-match": '"1"' },
    });
    expect(put.status).toBe(200);
    expect(put.headers.get("etag")).toBe('"2"');
    expect(put.body).toMatchObject({ name: "Lisbon", priority: 1, version: 2 });
    const stale = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { name: "Porto" },
      headers: { "if-match": '"1"' },
    });
    expect(stale.status).toBe(412);
    const staleDelete = await h.call("DELETE", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      headers: { "if-match": '"1"' },
    });
    expect(staleDelete.status).toBe(412);
    // A contribution moves the version too: an edit made from the goal as it was before is stale.
    await contribute(u, goal.goalId, 1_000);
    const afterContribution = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { name: "Porto" },
      headers: { "if-match": '"2"' },
    });
    expect(afterContribution.status).toBe(412);
    const now = (await h.call("GET", `/v1/goals/${goal.goalId}`, { token: u.token })).body;
    expect(now).toMatchObject({ name: "Lisbon", version: 3, currentAmount: 1_000 });
    // Nothing to change: no write, the same version.
    const same = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { name: "Lisbon" },
    });
    expect(same.body.version).toBe(3);
  });

  it("refuses currentAmount (only contributions move it) and other bad fields, naming them", async () => {
    const u = await signup(h);
    const goal = await addGoal(u);
    const before = await ownerItems(h.store, u.owner);
    const bad: [Record<string, unknown>, string][] = [
      [{ currentAmount: 5_000 }, "currentAmount"],
      [{ status: "done" }, "status"],
      [{ targetAmount: 0 }, "targetAmount"],
      [{ targetDate: "soon" }, "targetDate"],
      [{ priority: 9 }, "priority"],
      [{ customMilestones: [-5] }, "customMilestones.0"],
      [{ userId: "x" }, "userId"],
    ];
    for (const [body, path] of bad) {
      const res = await h.call("PUT", `/v1/goals/${goal.goalId}`, { token: u.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const badMatch = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { name: "x" },
      headers: { "if-match": "3" },
    });
    expect(badMatch.status).toBe(400);
    expect(badMatch.body.errors[0].path).toBe("If-Match");
    expect(await ownerItems(h.store, u.owner)).toEqual(before);
  });

  it("changes the currency only while nothing is saved", async () => {
    const u = await signup(h);
    const goal = await addGoal(u);
    const eur = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { currency: "EUR" },
    });
    expect(eur.body.currency).toBe("EUR");
    await contribute(u, goal.goalId, 500);
    const gbp = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { currency: "GBP" },
    });
    expect(gbp.status).toBe(422);
    expect(gbp.body.errors[0].path).toBe("currency");
  });

  it("moves the goal between status lists in GSI1, each sorted by target date", async () => {
    const u = await signup(h);
    const dates = [monthFrom(6), monthFrom(2), monthFrom(4), monthFrom(2)].map((m) => dayOf(m, 10));
    const made = [];
    for (const [i, targetDate] of dates.entries())
      made.push(await addGoal(u, { name: `G${i}`, targetAmount: 10_000, targetDate }));
    const ids = made.map((g) => g.goalId);
    // Two goals share a date: the goal id orders them.
    const byDate = [...made]
      .sort((a, b) => a.targetDate.localeCompare(b.targetDate) || a.goalId.localeCompare(b.goalId))
      .map((g) => g.goalId);

    const listed = async (status: string) => {
      h.commands.length = 0;
      const res = await h.call("GET", `/v1/goals?status=${status}`, { token: u.token });
      expect(res.status).toBe(200);
      const query = h.commands.find((c) => c.name === "QueryCommand");
      expect(query?.input).toMatchObject({
        TableName: h.store.tables.budgetGoals,
        IndexName: "GSI1",
        KeyConditionExpression: "GSI1PK = :pk AND begins_with(GSI1SK, :prefix)",
        ExpressionAttributeValues: { ":pk": ownerKey(u.owner), ":prefix": `GOAL#${status}#` },
      });
      return res.body.items.map((g: { goalId: string }) => g.goalId);
    };
    expect(await listed("active")).toEqual(byDate);
    expect(await listed("paused")).toEqual([]);

    const paused = await h.call("PUT", `/v1/goals/${ids[2]}`, { token: u.token, body: { status: "paused" } });
    expect(paused.body.status).toBe("paused");
    expect((await storedGoal(u, ids[2] as string))?.GSI1SK).toBe(`GOAL#paused#${dates[2]}#${ids[2]}`);
    expect(await listed("paused")).toEqual([ids[2]]);
    expect(await listed("active")).toEqual(byDate.filter((id) => id !== ids[2]));

    const moved = await h.call("PUT", `/v1/goals/${ids[0]}`, {
      token: u.token,
      body: { targetDate: dayOf(monthFrom(1), 1) },
    });
    expect(moved.status).toBe(200);
    expect((await listed("active"))[0]).toBe(ids[0]);

    await h.call("PUT", `/v1/goals/${ids[1]}`, { token: u.token, body: { status: "cancelled" } });
    expect(await listed("cancelled")).toEqual([ids[1]]);
    expect(await listed("active")).not.toContain(ids[1]);

    // Pages of one, following the cursor, give the same order.
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await h.call(
        "GET",
        `/v1/goals?status=active&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        { token: u.token },
      );
      expect(res.status).toBe(200);
      pages.push(...res.body.items.map((g: { goalId: string }) => g.goalId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual(await listed("active"));
    const bad = await h.call("GET", "/v1/goals?status=active&cursor=bm9wZQ", { token: u.token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("cursor");
    const wrongStatus = await h.call("GET", "/v1/goals?status=finished", { token: u.token });
    expect(wrongStatus.status).toBe(400);
    expect(wrongStatus.body.errors[0].path).toBe("status");
  });

  it("lists every goal by priority, then target date, in pages", async () => {
    const u = await signup(h);
    const specs: [number, string][] = [
      [3, dayOf(monthFrom(5), 1)],
      [1, dayOf(monthFrom(8), 1)],
      [3, dayOf(monthFrom(2), 1)],
      [1, dayOf(monthFrom(3), 1)],
      [5, dayOf(monthFrom(1), 1)],
    ];
    const made = [];
    for (const [priority, targetDate] of specs)
      made.push(await addGoal(u, { name: "G", targetAmount: 5_000, targetDate, priority }));
    await h.call("PUT", `/v1/goals/${made[4].goalId}`, { token: u.token, body: { status: "cancelled" } });
    const expected = [made[3], made[1], made[2], made[0], made[4]].map((g) => g.goalId);
    const all = await h.call("GET", "/v1/goals", { token: u.token });
    expect(all.body.items.map((g: { goalId: string }) => g.goalId)).toEqual(expected);
    expect(all.body.nextCursor).toBeUndefined();
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await h.call(
        "GET",
        `/v1/goals?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        {
          token: u.token,
        },
      );
      pages.push(...res.body.items.map((g: { goalId: string }) => g.goalId));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(pages).toEqual(expected);
    const bad = await h.call(
      "GET",
      `/v1/goals?cursor=${Buffer.from('{"priority":"x"}').toString("base64url")}`,
      {
        token: u.token,
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("cursor");
  });
});

describe("contributions", () => {
  it("moves currentAmount with the contribution and its audit record, newest first in the history", async () => {
    const u = await signup(h);
    const goal = await addGoal(u);
    const first = await contribute(u, goal.goalId, 30_000, dayOf(monthFrom(0), 1));
    expect(first.status).toBe(201);
    expect(first.headers.get("etag")).toBe('"2"');
    expect(first.body.contribution).toMatchObject({
      goalId: goal.goalId,
      amount: 30_000,
      date: dayOf(monthFrom(0), 1),
      note: null,
      balanceAfter: 30_000,
      milestonesReached: [25],
    });
    expect(first.body.goal).toMatchObject({
      currentAmount: 30_000,
      remaining: 70_000,
      contributionCount: 1,
      version: 2,
    });
    const out = await h.call("POST", `/v1/goals/${goal.goalId}/contributions`, {
      token: u.token,
      body: { amount: -5_000, date: dayOf(monthFrom(0), 2), note: "Car repair" },
    });
    expect(out.body.contribution).toMatchObject({
      amount: -5_000,
      balanceAfter: 25_000,
      note: "Car repair",
      milestonesReached: [],
    });
    // Recorded later but dated earlier: it sorts by its date.
    await contribute(u, goal.goalId, 1_000, dayOf(monthFrom(-1), 28));

    const history = await h.call("GET", `/v1/goals/${goal.goalId}/contributions`, { token: u.token });
    expect(history.body.items.map((c: { amount: number }) => c.amount)).toEqual([-5_000, 30_000, 1_000]);
    const stored = await storedGoal(u, goal.goalId);
    expect(stored).toMatchObject({
      currentAmount: 26_000,
      contributionCount: 3,
      monthlyNet: { [monthFrom(0)]: 25_000, [monthFrom(-1)]: 1_000 },
    });
    const items = await ownerItems(h.store, u.owner);
    const contributions = items.filter((i) => String(i.SK).startsWith(`CONTRIB#${goal.goalId}#`));
    expect(contributions.map((c) => c.SK).sort()).toEqual(
      history.body.items
        .map(
          (c: { date: string; contributionId: string }) =>
            `CONTRIB#${goal.goalId}#${c.date}#${c.contributionId}`,
        )
        .sort(),
    );
    const audits = items.filter(
      (i) => i.table === h.store.tables.auditLogs && i.action === "goal.contribute",
    );
    expect(audits).toHaveLength(3);

    const page1 = await h.call("GET", `/v1/goals/${goal.goalId}/contributions?limit=2`, { token: u.token });
    expect(page1.body.items).toHaveLength(2);
    const page2 = await h.call(
      "GET",
      `/v1/goals/${goal.goalId}/contributions?limit=2&cursor=${encodeURIComponent(page1.body.nextCursor)}`,
      { token: u.token },
    );
    expect([...page1.body.items, ...page2.body.items]).toEqual(history.body.items);
    expect(page2.body.nextCursor).toBeUndefined();
  });

  it("refuses a withdrawal below zero, a cancelled goal and bad input, writing nothing", async () => {
    const u = await signup(h);
    const goal = await addGoal(u, { ...holiday, currentAmount: 2_000 });
    const before = await ownerItems(h.store, u.owner);
    const below = await contribute(u, goal.goalId, -2_001);
    expect(below.status).toBe(422);
    expect(below.body.errors[0].path).toBe("amount");
    const bad: [Record<string, unknown>, string][] = [
      [{ amount: 0, date: today() }, "amount"],
      [{ amount: 1.5, date: today() }, "amount"],
      [{ amount: "100", date: today() }, "amount"],
      [{ amount: 100 }, "date"],
      [{ amount: 100, date: "2025-13-01" }, "date"],
      [{ amount: 100, date: today(), note: "x".repeat(501) }, "note"],
      [{ amount: 100, date: today(), goalId: goal.goalId }, "goalId"],
    ];
    for (const [body, path] of bad) {
      const res = await h.call("POST", `/v1/goals/${goal.goalId}/contributions`, { token: u.token, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const notAnId = await h.call("POST", "/v1/goals/nope/contributions", {
      token: u.token,
      body: { amount: 1, date: today() },
    });
    expect(notAnId.status).toBe(400);
    expect(notAnId.body.errors[0].path).toBe("id");
    const missing = await contribute(u, ulid(), 100);
    expect(missing.status).toBe(404);
    expect(await ownerItems(h.store, u.owner)).toEqual(before);

    await h.call("PUT", `/v1/goals/${goal.goalId}`, { token: u.token, body: { status: "cancelled" } });
    const afterCancel = await ownerItems(h.store, u.owner);
    const onCancelled = await contribute(u, goal.goalId, 100);
    expect(onCancelled.status).toBe(422);
    expect(onCancelled.body).toMatchObject({ type: "/problems/goal-cancelled", errors: [{ path: "id" }] });
    expect(await ownerItems(h.store, u.owner)).toEqual(afterCancel);
    const cancelledGoal = (await h.call("GET", `/v1/goals/${goal.goalId}`, { token: u.token })).body;
    expect(cancelledGoal).toMatchObject({ requiredMonthly: null, projectedCompletion: null, onTrack: false });
    // Reopened, it takes money again.
    await h.call("PUT", `/v1/goals/${goal.goalId}`, { token: u.token, body: { status: "active" } });
    expect((await contribute(u, goal.goalId, 100)).status).toBe(201);
  });

  it("lands every one of concurrent contributions from several tabs, exactly", async () => {
    const u = await signup(h);
    const goal = await addGoal(u, { ...holiday, targetAmount: 10_000_000, currentAmount: 50_000 });
    const amounts = [1_000, 2_000, -3_000, 4_000, 5_000, -6_000, 7_000, 8_000, 9_000, 10_000, 11, 12];
    const replies = await Promise.all(amounts.map((a) => contribute(u, goal.goalId, a)));
    expect(replies.map((r) => r.status)).toEqual(amounts.map(() => 201));
    const sum = amounts.reduce((s, a) => s + a, 0);
    const now = (await h.call("GET", `/v1/goals/${goal.goalId}`, { token: u.token })).body;
    expect(now).toMatchObject({
      currentAmount: 50_000 + sum,
      contributionCount: amounts.length,
      version: 1 + amounts.length,
    });
    expect((await storedGoal(u, goal.goalId))?.monthlyNet).toEqual({ [monthFrom(0)]: sum });
    // Each answer saw the goal as its own write left it: in version order, every balance after is
    // the one before plus that contribution (balances alone may repeat: +1,000 +2,000 -3,000 sum to 0).
    const chain = replies
      .map((r) => ({
        version: r.body.goal.version,
        after: r.body.contribution.balanceAfter,
        amount: r.body.contribution.amount,
      }))
      .sort((a, b) => a.version - b.version);
    expect(chain.map((c) => c.version)).toEqual(amounts.map((_, i) => i + 2));
    let balance = 50_000;
    for (const c of chain) {
      balance += c.amount;
      expect(c.after).toBe(balance);
    }
    const history = (await h.call("GET", `/v1/goals/${goal.goalId}/contributions`, { token: u.token })).body
      .items;
    expect(history.map((c: { amount: number }) => c.amount).sort((a: number, b: number) => a - b)).toEqual(
      [...amounts].sort((a, b) => a - b),
    );
    const audits = (await auditActions(h.store, u.owner)).filter((a) => a === "goal.contribute");
    expect(audits).toHaveLength(amounts.length);
  });

  it("never lets concurrent withdrawals take the goal below zero", async () => {
    const u = await signup(h);
    const goal = await addGoal(u, { ...holiday, currentAmount: 10_000 });
    const replies = await Promise.all(Array.from({ length: 6 }, () => contribute(u, goal.goalId, -3_000)));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 201, 201, 422, 422, 422]);
    const now = (await h.call("GET", `/v1/goals/${goal.goalId}`, { token: u.token })).body;
    expect(now).toMatchObject({ currentAmount: 1_000, contributionCount: 3 });
  });

  it("answers a contribution retried with the same Idempotency-Key once", async () => {
    const u = await signup(h);
    const goal = await addGoal(u);
    const send = () => contribute(u, goal.goalId, 7_500, today(), { "idempotency-key": "tab-1-save" });
    const [a, b] = await Promise.all([send(), send()]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.contribution.contributionId).toBe(b.body.contribution.contributionId);
    const c = await send();
    expect(c.body.contribution.contributionId).toBe(a.body.contribution.contributionId);
    expect((await h.call("GET", `/v1/goals/${goal.goalId}`, { token: u.token })).body.currentAmount).toBe(
      7_500,
    );
    const other = await contribute(u, goal.goalId, 1, today(), { "idempotency-key": "tab-1-save" });
    expect(other.status).toBe(422);
    expect(other.body.errors[0].path).toBe("Idempotency-Key");
  });
});

describe("milestones and completion", () => {
  it("records when each milestone was reached, keeps it through a withdrawal, and completes at the target", async () => {
    const u = await signup(h);
    const goal = await addGoal(u, { ...holiday, customMilestones: [10, 90] });
    const step = async (amount: number) => {
      const res = await contribute(u, goal.goalId, amount);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body;
    };
    const a = await step(10_000);
    expect(a.contribution.milestonesReached).toEqual([10]);
    const b = await step(45_000);
    expect(b.contribution.milestonesReached).toEqual([25, 50]);
    const at50 = b.goal.milestones.find((m: { percent: number }) => m.percent === 50).reachedAt;
    expect(at50).toBe(b.contribution.createdAt);
    const c = await step(-20_000);
    expect(c.contribution.milestonesReached).toEqual([]);
    // Below 50 % again, but it was reached: the first reachedAt stays.
    expect(c.goal.milestones.find((m: { percent: number }) => m.percent === 50).reachedAt).toBe(at50);
    const d = await step(20_000);
    expect(d.contribution.milestonesReached).toEqual([]);
    expect(d.goal.status).toBe("active");

    const done = await step(45_000);
    expect(done.contribution.milestonesReached).toEqual([75, 90, 100]);
    expect(done.goal).toMatchObject({
      status: "completed",
      currentAmount: 100_000,
      completedAt: done.contribution.createdAt,
      requiredMonthly: 0,
      onTrack: true,
    });
    expect((await storedGoal(u, goal.goalId))?.GSI1SK).toBe(
      `GOAL#completed#${holiday.targetDate}#${goal.goalId}`,
    );
    const completed = await h.call("GET", "/v1/goals?status=completed", { token: u.token });
    expect(completed.body.items.map((g: { goalId: string }) => g.goalId)).toEqual([goal.goalId]);
    expect((await h.call("GET", "/v1/goals?status=active", { token: u.token })).body.items).toEqual([]);

    // Spending what was saved leaves the goal completed, its milestones as they were.
    const spent = await step(-60_000);
    expect(spent.goal).toMatchObject({
      status: "completed",
      currentAmount: 40_000,
      completedAt: done.goal.completedAt,
    });
    expect(Object.values(reachedOf(spent.goal)).every(Boolean)).toBe(true);
  });

  it("reopens only below the target; a new target remeasures the milestones, and completes or reopens", async () => {
    const u = await signup(h);
    const goal = await addGoal(u, { ...holiday, currentAmount: 100_000 });
    expect(goal.status).toBe("completed");
    const reopen = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { status: "active" },
    });
    expect(reopen.status).toBe(422);
    expect(reopen.body.errors[0].path).toBe("status");
    const bigger = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { status: "active", targetAmount: 300_000 },
    });
    expect(bigger.status).toBe(200);
    // $1,000 of $3,000 is 33 %: 25 % stays reached from before, the rest are cleared.
    expect(bigger.body).toMatchObject({ status: "active", completedAt: null });
    expect(reachedOf(bigger.body)).toEqual({ 25: true, 50: false, 75: false, 100: false });
    expect(bigger.body.milestones[0].reachedAt).toBe(goal.milestones[0].reachedAt);
    expect((await storedGoal(u, goal.goalId))?.GSI1SK).toBe(
      `GOAL#active#${holiday.targetDate}#${goal.goalId}`,
    );

    const lower = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { targetAmount: 100_000 },
    });
    expect(lower.body).toMatchObject({ status: "completed", completedAt: lower.body.updatedAt });
    expect(reachedOf(lower.body)).toEqual({ 25: true, 50: true, 75: true, 100: true });

    // A new target beyond what is saved sets a completed goal going again; a name change does not.
    const renamed = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { name: "Bigger" },
    });
    expect(renamed.body.status).toBe("completed");
    const raised = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { targetAmount: 150_000 },
    });
    expect(raised.body).toMatchObject({ status: "active", completedAt: null });
    expect(raised.body.requiredMonthly).toBeGreaterThan(0);
    expect(reachedOf(raised.body)).toEqual({ 25: true, 50: true, 75: false, 100: false });
    // ... unless the same edit says which status it wants.
    const done = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { status: "completed" },
    });
    expect(done.body.status).toBe("completed");
    const kept = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { targetAmount: 200_000, status: "completed" },
    });
    expect(kept.body).toMatchObject({ status: "completed", targetAmount: 200_000 });
  });
});

describe("what to save, the projection and on track", () => {
  it("projects from the last three complete months and says whether that is in time", async () => {
    const u = await signup(h);
    // $900 saved over the three months before this one: $300 a month. $1,200 left: four months,
    // this one first, so the goal is reached in the month three months from now.
    const goal = await addGoal(u, {
      name: "Car",
      targetAmount: 210_000,
      targetDate: dayOf(monthFrom(3), 1),
    });
    for (const back of [-3, -2, -1])
      expect((await contribute(u, goal.goalId, 30_000, dayOf(monthFrom(back), 15))).status).toBe(201);
    // Money this month counts in what is left, not in the pace.
    const latest = await contribute(u, goal.goalId, 0 + 1, today());
    expect(latest.body.goal).toMatchObject({
      currentAmount: 90_001,
      remaining: 119_999,
      monthsLeft: 4,
      requiredMonthly: 30_000,
      averageMonthly: 30_000,
      projectedCompletion: monthFrom(3),
      onTrack: true,
    });
    const sooner = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { targetDate: lastDayOf(monthFrom(2)) },
    });
    expect(sooner.body).toMatchObject({
      monthsLeft: 3,
      requiredMonthly: 40_000,
      projectedCompletion: monthFrom(3),
      onTrack: false,
    });
    const paused = await h.call("PUT", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      body: { status: "paused" },
    });
    expect(paused.body).toMatchObject({ requiredMonthly: 40_000, projectedCompletion: monthFrom(3) });
    // A withdrawal that makes the pace negative leaves no projection.
    const out = await contribute(u, goal.goalId, -90_001, dayOf(monthFrom(-1), 20));
    expect(out.body.goal).toMatchObject({ averageMonthly: -1, projectedCompletion: null, onTrack: false });
  });

  it("asks for everything left this month once the target date is past", async () => {
    const u = await signup(h);
    const goal = await addGoal(u, {
      name: "Late",
      targetAmount: 50_000,
      targetDate: dayOf(monthFrom(-2), 5),
    });
    expect(goal).toMatchObject({ monthsLeft: 0, requiredMonthly: 50_000, onTrack: false });
  });
});

describe("deleting goals", () => {
  it("deletes a goal with its contributions and use count in one audited transaction", async () => {
    const u = await signup(h);
    const cat = (
      await h.call("POST", "/v1/categories", { token: u.token, body: { name: "Trip", group: "savings" } })
    ).body;
    const goal = await addGoal(u, { ...holiday, categoryId: cat.categoryId });
    const keep = await addGoal(u);
    for (let i = 0; i < 5; i++) await contribute(u, goal.goalId, 1_000 + i);
    await contribute(u, keep.goalId, 10);
    h.commands.length = 0;
    const del = await h.call("DELETE", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      headers: { "if-match": '"6"' },
    });
    expect(del.status).toBe(204);
    const writes = h.commands.filter((c) => c.name === "TransactWriteItemsCommand");
    expect(writes).toHaveLength(1);
    const items = await ownerItems(h.store, u.owner);
    expect(items.filter((i) => String(i.SK).includes(goal.goalId))).toEqual([]);
    expect(items.filter((i) => String(i.SK).startsWith(`CONTRIB#${keep.goalId}#`))).toHaveLength(1);
    expect(items.find((i) => i.SK === `CATEGORY#${cat.categoryId}`)?.useCount).toBe(0);
    expect(await auditActions(h.store, u.owner)).toContain("goal.delete");
    expect((await h.call("GET", `/v1/goals/${goal.goalId}`, { token: u.token })).status).toBe(404);
    expect((await h.call("GET", `/v1/goals/${goal.goalId}/contributions`, { token: u.token })).status).toBe(
      404,
    );
    expect((await h.call("DELETE", `/v1/goals/${goal.goalId}`, { token: u.token })).status).toBe(404);
  });

  it("deletes 98 contributions with their goal in one transaction of 100 items, and 99 in batches", async () => {
    const u = await signup(h);
    const [fits, over] = await Promise.all([
      addGoal(u, { ...holiday, targetAmount: 10_000_000 }),
      addGoal(u, { ...holiday, targetAmount: 10_000_000 }),
    ]);
    const fill = async (goalId: string, n: number) => {
      for (let i = 0; i < n; i++) expect((await contribute(u, goalId, 100 + i)).status).toBe(201);
    };
    await Promise.all([fill(fits.goalId, 98), fill(over.goalId, 99)]);

    h.commands.length = 0;
    expect((await h.call("DELETE", `/v1/goals/${fits.goalId}`, { token: u.token })).status).toBe(204);
    const one = h.commands.filter((c) => c.name === "TransactWriteItemsCommand");
    expect(one).toHaveLength(1);
    // The goal, its 98 contributions and the audit record: DynamoDB's limit exactly.
    expect(one[0]?.input.TransactItems).toHaveLength(100);

    h.commands.length = 0;
    expect((await h.call("DELETE", `/v1/goals/${over.goalId}`, { token: u.token })).status).toBe(204);
    const names = h.commands.map((c) => c.name);
    // Marked deleted with its audit record first, then the contributions in batches, the goal last.
    expect(names.filter((n) => n === "TransactWriteItemsCommand")).toHaveLength(1);
    expect(names.filter((n) => n === "BatchWriteItemCommand").length).toBe(4);
    expect(names.at(-1)).toBe("DeleteItemCommand");

    const items = await ownerItems(h.store, u.owner);
    expect(
      items.filter((i) => String(i.SK).includes(fits.goalId) || String(i.SK).includes(over.goalId)),
    ).toEqual([]);
    expect((await auditActions(h.store, u.owner)).filter((a) => a === "goal.delete")).toHaveLength(2);
  });

  it("hides a goal whose delete stopped midway from every route, and finishes it on the next DELETE", async () => {
    const u = await signup(h);
    const goal = await addGoal(u);
    await contribute(u, goal.goalId, 4_000);
    const repo = new GoalRepository(h.store);
    const current = await repo.latest(u.owner, goal.goalId);
    if (!current) throw new Error("goal missing");
    // What a large delete commits before it removes the contributions: then the server stops.
    await commit(h.store, { owner: u.owner, action: "goal.delete", entityId: goal.goalId, before: current }, [
      repo.markDeletingOp(u.owner, current, new Date().toISOString()),
    ]);
    expect((await storedGoal(u, goal.goalId))?.GSI1PK).toBeUndefined();
    expect((await h.call("GET", `/v1/goals/${goal.goalId}`, { token: u.token })).status).toBe(404);
    expect((await h.call("GET", "/v1/goals", { token: u.token })).body.items).toEqual([]);
    expect((await h.call("GET", "/v1/goals?status=active", { token: u.token })).body.items).toEqual([]);
    expect((await contribute(u, goal.goalId, 1)).status).toBe(404);
    expect(
      (await h.call("PUT", `/v1/goals/${goal.goalId}`, { token: u.token, body: { name: "x" } })).status,
    ).toBe(404);
    expect((await h.call("GET", `/v1/goals/${goal.goalId}/contributions`, { token: u.token })).status).toBe(
      404,
    );
    const again = await h.call("DELETE", `/v1/goals/${goal.goalId}`, {
      token: u.token,
      headers: { "if-match": '"2"' },
    });
    expect(again.status).toBe(204);
    const items = await ownerItems(h.store, u.owner);
    expect(items.filter((i) => String(i.SK).includes(goal.goalId))).toEqual([]);
  });
});

describe("tenants", () => {
  it("never shows or changes another user's goal: 404 as for a missing one, and lists stay apart", async () => {
    const a = await signup(h);
    const b = await signup(h);
    const goal = await addGoal(a);
    await contribute(a, goal.goalId, 2_500);
    const before = await ownerItems(h.store, a.owner);
    const calls: [string, string, unknown?][] = [
      ["GET", `/v1/goals/${goal.goalId}`],
      ["PUT", `/v1/goals/${goal.goalId}`, { name: "Mine now" }],
      ["DELETE", `/v1/goals/${goal.goalId}`],
      ["POST", `/v1/goals/${goal.goalId}/contributions`, { amount: -2_500, date: today() }],
      ["GET", `/v1/goals/${goal.goalId}/contributions`],
    ];
    for (const [method, path, body] of calls) {
      const theirs = await h.call(method, path, { token: b.token, ...(body ? { body } : {}) });
      const missing = await h.call(method, path.replace(goal.goalId, ulid()), {
        token: b.token,
        ...(body ? { body } : {}),
      });
      expect(theirs.status, `${method} ${path}`).toBe(404);
      expect(theirs.body).toEqual(missing.body);
    }
    for (const q of ["", "?status=active"])
      expect((await h.call("GET", `/v1/goals${q}`, { token: b.token })).body.items).toEqual([]);
    expect(await ownerItems(h.store, a.owner)).toEqual(before);
  });
});
