import { randomBytes } from "node:crypto";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { LocalTokens } from "../src/auth/local-tokens";
import {
  type Account,
  auditActions,
  type Harness,
  harness,
  ownerItems,
  type Reply,
  signup,
} from "./support/harness";

/**
 * DESIGN.md: tenantId and userId come only from the verified token; another tenant's object answers
 * 404 exactly as a missing one does; no request can read or change another tenant's data.
 *
 * Tenant A owns a custom category and two months. Tenant B then aims every id- or month-taking
 * route at A's objects, and each answer must be byte-for-byte the answer for an object that exists
 * nowhere. Afterwards A's partition is exactly as it was and B's gained nothing.
 */

const A_MONTHS = ["2024-03", "2024-04"] as const;
const A_MONTH = A_MONTHS[0];
const B_MONTH = "2024-09";
/** A month nobody plans in this file, earlier than every other, so it can also be a copyFrom. */
const NOWHERE_MONTH = "2019-06";
/** A month B plans during the attacks (the POSTs are all rejected, so it stays unplanned). */
const B_NEW_MONTH = "2024-11";
/** A well-formed id that no object has. */
const NOWHERE_ID = ulid();

type Items = Record<string, unknown>[];

let h: Harness;
let A: Account;
let B: Account;
let aCategory: { categoryId: string; name: string; type: string };
let aCategoryIds: string[];
let bCategoryIds: string[];
let aCursor: string;
let aCardId: string;
let aGoalId: string;
let aGoalCursor: string;
let aContributionCursor: string;
let bGoalId: string;
/** A's personal access tokens: one live (never used here, so A's items stay as they were), one revoked. */
let aPat: { token: string; tokenId: string };
let aRevokedPat: { token: string; tokenId: string };
let aBefore: Items;
let bBefore: Items;
let bAuditBefore: string[];

const PROBLEM = "application/problem+json";

function expectProblem(res: Reply, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe(PROBLEM);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String) });
}

/** Nothing in an answer to B may name A's tenant, user, or A's object contents. */
function expectNoTraceOfA(res: Reply) {
  const text = JSON.stringify(res.body);
  expect(text).not.toContain(A.owner.tenantId);
  expect(text).not.toContain(A.owner.userId);
  expect(text).not.toContain(A.email);
  expect(text).not.toContain(aCategory.name);
  expect(res.headers.get("etag")).toBeNull();
}

/** The missing answer, with the stand-in month written as A's month (404 details name the path's month). */
function asIf(missing: Reply, from: string, to: string): unknown {
  return from === to ? missing.body : JSON.parse(JSON.stringify(missing.body).replaceAll(from, to));
}

beforeAll(async () => {
  h = harness();
  [A, B] = await Promise.all([signup(h, "Tenant A"), signup(h, "Tenant B")]);
  expect(A.owner.tenantId).not.toBe(B.owner.tenantId);

  const created = await h.call("POST", "/v1/categories", {
    token: A.token,
    body: { name: "Alice Secret Stash", group: "savings", limit: 12_345 },
  });
  expect(created.status).toBe(201);
  aCategory = created.body;

  const [aList, bList] = await Promise.all([
    h.call("GET", "/v1/categories", { token: A.token }),
    h.call("GET", "/v1/categories", { token: B.token }),
  ]);
  aCategoryIds = aList.body.items.map((c: { categoryId: string }) => c.categoryId);
  bCategoryIds = bList.body.items.map((c: { categoryId: string }) => c.categoryId);
  expect(aCategoryIds).toContain(aCategory.categoryId);

  for (const month of A_MONTHS) {
    const res = await h.call("POST", "/v1/budgets", {
      token: A.token,
      body: {
        month,
        totalIncome: 500_000,
        categories: [
          { categoryId: aCategory.categoryId, limit: 40_000 },
          { categoryId: aCategoryIds.find((id) => id !== aCategory.categoryId), limit: 1_000 },
        ],
      },
    });
    expect(res.status).toBe(201);
  }
  const page = await h.call("GET", "/v1/budgets?limit=1", { token: A.token });
  expect(page.status).toBe(200);
  expect(page.body.items).toHaveLength(1);
  expect(typeof page.body.nextCursor).toBe("string");
  aCursor = page.body.nextCursor;
  // The cursor works for A: it is a real cursor, not one any caller would be refused anyway.
  const next = await h.call("GET", `/v1/budgets?limit=1&cursor=${encodeURIComponent(aCursor)}`, {
    token: A.token,
  });
  expect(next.status).toBe(200);
  expect(next.body.items.map((b: { month: string }) => b.month)).toEqual([A_MONTHS[0]]);

  const card = await h.call("POST", "/v1/cards", {
    token: A.token,
    body: { name: "Alice Card", balance: 90_000, aprBasisPoints: 2199, creditLimit: 300_000, dueDay: 3 },
  });
  expect(card.status).toBe(201);
  aCardId = card.body.cardId;
  await h.call("PUT", "/v1/debt/goal", { token: A.token, body: { targetMonth: "2031-01" } });

  // A saves toward two goals, one linked to A's category; B has a goal of its own.
  const aGoals = [];
  for (const targetDate of ["2031-06-30", "2032-01-31"]) {
    const goal = await h.call("POST", "/v1/goals", {
      token: A.token,
      body: { name: "Alice Boat", targetAmount: 5_000_000, targetDate, categoryId: aCategory.categoryId },
    });
    expect(goal.status).toBe(201);
    aGoals.push(goal.body.goalId as string);
  }
  aGoalId = aGoals[0] as string;
  for (const amount of [10_000, 20_000]) {
    const paid = await h.call("POST", `/v1/goals/${aGoalId}/contributions`, {
      token: A.token,
      body: { amount, date: "2024-03-15" },
    });
    expect(paid.status).toBe(201);
  }
  const goalPage = await h.call("GET", "/v1/goals?status=active&limit=1", { token: A.token });
  expect(goalPage.body.items).toHaveLength(1);
  aGoalCursor = goalPage.body.nextCursor;
  const contributionPage = await h.call("GET", `/v1/goals/${aGoalId}/contributions?limit=1`, {
    token: A.token,
  });
  aContributionCursor = contributionPage.body.nextCursor;
  expect(typeof aGoalCursor).toBe("string");
  expect(typeof aContributionCursor).toBe("string");
  const bGoal = await h.call("POST", "/v1/goals", {
    token: B.token,
    body: { name: "Bob Bike", targetAmount: 80_000, targetDate: "2030-01-01" },
  });
  expect(bGoal.status).toBe(201);
  bGoalId = bGoal.body.goalId;

  const makePat = async (name: string) => {
    const res = await h.call("POST", "/v1/tokens", { token: A.token, body: { name, scope: "write" } });
    expect(res.status).toBe(201);
    return res.body as { token: string; tokenId: string };
  };
  aPat = await makePat("Alice MCP");
  aRevokedPat = await makePat("Alice old MCP");
  expect((await h.call("DELETE", `/v1/tokens/${aRevokedPat.tokenId}`, { token: A.token })).status).toBe(204);

  const bBudget = await h.call("POST", "/v1/budgets", {
    token: B.token,
    body: { month: B_MONTH, totalIncome: 300_000 },
  });
  expect(bBudget.status).toBe(201);

  [aBefore, bBefore, bAuditBefore] = await Promise.all([
    ownerItems(h.store, A.owner),
    ownerItems(h.store, B.owner),
    auditActions(h.store, B.owner),
  ]);
});

interface Probe {
  name: string;
  method: string;
  /** The call aimed at A's object. */
  path: () => string;
  /** The same call aimed at an object that exists nowhere. */
  missing: () => string;
  body?: () => unknown;
  missingBody?: () => unknown;
  headers?: Record<string, string>;
  status: number;
  /** For 422/400: the field the problem must name. */
  field?: string;
  /** The stand-in month of `missing`, rewritten to A's month before comparing. */
  monthSwap?: [string, string];
}

const cardProbes: Probe[] = [
  {
    name: "GET /v1/cards/:id",
    method: "GET",
    path: () => `/v1/cards/${aCardId}`,
    missing: () => `/v1/cards/${NOWHERE_ID}`,
    status: 404,
  },
  {
    name: "PUT /v1/cards/:id with A's current ETag",
    method: "PUT",
    path: () => `/v1/cards/${aCardId}`,
    missing: () => `/v1/cards/${NOWHERE_ID}`,
    body: () => ({ aprBasisPoints: 0, creditLimit: 1, dueDay: 1 }),
    headers: { "if-match": '"1"' },
    status: 404,
  },
  {
    name: "DELETE /v1/cards/:id",
    method: "DELETE",
    path: () => `/v1/cards/${aCardId}`,
    missing: () => `/v1/cards/${NOWHERE_ID}`,
    status: 404,
  },
  {
    name: "POST /v1/cards/:id/payments",
    method: "POST",
    path: () => `/v1/cards/${aCardId}/payments`,
    missing: () => `/v1/cards/${NOWHERE_ID}/payments`,
    body: () => ({ amount: 90_000, date: "2024-03-01" }),
    status: 404,
  },
  {
    name: "GET /v1/cards/:id/payments",
    method: "GET",
    path: () => `/v1/cards/${aCardId}/payments`,
    missing: () => `/v1/cards/${NOWHERE_ID}/payments`,
    status: 404,
  },
  {
    name: "GET /v1/debt/plan with A's card in a custom order",
    method: "GET",
    path: () => `/v1/debt/plan?strategy=custom&order=${aCardId}`,
    missing: () => `/v1/debt/plan?strategy=custom&order=${NOWHERE_ID}`,
    status: 422,
    field: "order",
    monthSwap: [NOWHERE_ID, "A_CARD"],
  },
];

const goalProbes: Probe[] = [
  {
    name: "GET /v1/goals/:id",
    method: "GET",
    path: () => `/v1/goals/${aGoalId}`,
    missing: () => `/v1/goals/${NOWHERE_ID}`,
    status: 404,
  },
  {
    name: "PUT /v1/goals/:id with A's current ETag",
    method: "PUT",
    path: () => `/v1/goals/${aGoalId}`,
    missing: () => `/v1/goals/${NOWHERE_ID}`,
    body: () => ({ name: "Taken over", status: "cancelled" }),
    headers: { "if-match": '"3"' },
    status: 404,
  },
  {
    name: "PUT /v1/goals/:id with a stale ETag (must not reveal existence with 412)",
    method: "PUT",
    path: () => `/v1/goals/${aGoalId}`,
    missing: () => `/v1/goals/${NOWHERE_ID}`,
    body: () => ({ targetAmount: 1 }),
    headers: { "if-match": '"99"' },
    status: 404,
  },
  {
    name: "DELETE /v1/goals/:id",
    method: "DELETE",
    path: () => `/v1/goals/${aGoalId}`,
    missing: () => `/v1/goals/${NOWHERE_ID}`,
    status: 404,
  },
  {
    name: "DELETE /v1/goals/:id with a stale ETag",
    method: "DELETE",
    path: () => `/v1/goals/${aGoalId}`,
    missing: () => `/v1/goals/${NOWHERE_ID}`,
    headers: { "if-match": '"99"' },
    status: 404,
  },
  {
    name: "POST /v1/goals/:id/contributions (a withdrawal of everything A saved)",
    method: "POST",
    path: () => `/v1/goals/${aGoalId}/contributions`,
    missing: () => `/v1/goals/${NOWHERE_ID}/contributions`,
    body: () => ({ amount: -30_000, date: "2024-03-16" }),
    status: 404,
  },
  {
    name: "POST /v1/goals/:id/contributions with an Idempotency-Key",
    method: "POST",
    path: () => `/v1/goals/${aGoalId}/contributions`,
    missing: () => `/v1/goals/${NOWHERE_ID}/contributions`,
    body: () => ({ amount: 1, date: "2024-03-16" }),
    headers: { "idempotency-key": "probe-1" },
    status: 404,
  },
  {
    name: "GET /v1/goals/:id/contributions",
    method: "GET",
    path: () => `/v1/goals/${aGoalId}/contributions`,
    missing: () => `/v1/goals/${NOWHERE_ID}/contributions`,
    status: 404,
  },
  {
    name: "GET /v1/goals/:id/contributions (B's goal) with A's cursor",
    method: "GET",
    path: () => `/v1/goals/${bGoalId}/contributions?cursor=${encodeURIComponent(aContributionCursor)}`,
    missing: () => `/v1/goals/${bGoalId}/contributions?cursor=bm90LWEtY3Vyc29y`,
    status: 400,
    field: "cursor",
  },
  {
    name: "GET /v1/goals?status=active with A's cursor",
    method: "GET",
    path: () => `/v1/goals?status=active&cursor=${encodeURIComponent(aGoalCursor)}`,
    missing: () => "/v1/goals?status=active&cursor=bm90LWEtY3Vyc29y",
    status: 400,
    field: "cursor",
  },
  {
    name: "POST /v1/goals linked to A's category",
    method: "POST",
    path: () => "/v1/goals",
    missing: () => "/v1/goals",
    body: () => ({
      name: "Mine",
      targetAmount: 100,
      targetDate: "2030-01-01",
      categoryId: aCategory.categoryId,
    }),
    missingBody: () => ({
      name: "Mine",
      targetAmount: 100,
      targetDate: "2030-01-01",
      categoryId: NOWHERE_ID,
    }),
    status: 422,
    field: "categoryId",
  },
  {
    name: "PUT /v1/goals/:id (B's goal) linking A's category",
    method: "PUT",
    path: () => `/v1/goals/${bGoalId}`,
    missing: () => `/v1/goals/${bGoalId}`,
    body: () => ({ categoryId: aCategory.categoryId }),
    missingBody: () => ({ categoryId: NOWHERE_ID }),
    status: 422,
    field: "categoryId",
  },
];

const tokenProbes: Probe[] = [
  {
    name: "DELETE /v1/tokens/:id (A's personal access token)",
    method: "DELETE",
    path: () => `/v1/tokens/${aPat.tokenId}`,
    missing: () => `/v1/tokens/${NOWHERE_ID}`,
    status: 404,
  },
  {
    name: "DELETE /v1/tokens/:id (A's revoked personal access token)",
    method: "DELETE",
    path: () => `/v1/tokens/${aRevokedPat.tokenId}`,
    missing: () => `/v1/tokens/${NOWHERE_ID}`,
    status: 404,
  },
];

const probes: Probe[] = [
  ...cardProbes,
  ...goalProbes,
  ...tokenProbes,
  {
    name: "GET /v1/categories/:id (A's custom category)",
    method: "GET",
    path: () => `/v1/categories/${aCategory.categoryId}`,
    missing: () => `/v1/categories/${NOWHERE_ID}`,
    status: 404,
  },
  {
    name: "GET /v1/categories/:id (one of A's default categories)",
    method: "GET",
    path: () => `/v1/categories/${aCategoryIds.find((id) => id !== aCategory.categoryId)}`,
    missing: () => `/v1/categories/${NOWHERE_ID}`,
    status: 404,
  },
  {
    name: "PUT /v1/categories/:id",
    method: "PUT",
    path: () => `/v1/categories/${aCategory.categoryId}`,
    missing: () => `/v1/categories/${NOWHERE_ID}`,
    body: () => ({ name: "Taken over", limit: 1, archived: true }),
    status: 404,
  },
  {
    name: "PUT /v1/categories/:id with A's current ETag (must not answer 412 or 200)",
    method: "PUT",
    path: () => `/v1/categories/${aCategory.categoryId}`,
    missing: () => `/v1/categories/${NOWHERE_ID}`,
    body: () => ({ name: "Taken over" }),
    headers: { "if-match": '"1"' },
    status: 404,
  },
  {
    name: "PUT /v1/categories/:id with a stale ETag (must not reveal existence with 412)",
    method: "PUT",
    path: () => `/v1/categories/${aCategory.categoryId}`,
    missing: () => `/v1/categories/${NOWHERE_ID}`,
    body: () => ({ name: "Taken over" }),
    headers: { "if-match": '"99"' },
    status: 404,
  },
  {
    name: "DELETE /v1/categories/:id",
    method: "DELETE",
    path: () => `/v1/categories/${aCategory.categoryId}`,
    missing: () => `/v1/categories/${NOWHERE_ID}`,
    status: 404,
  },
  {
    name: "DELETE /v1/categories/:id with a stale ETag",
    method: "DELETE",
    path: () => `/v1/categories/${aCategory.categoryId}`,
    missing: () => `/v1/categories/${NOWHERE_ID}`,
    headers: { "if-match": '"99"' },
    status: 404,
  },
  {
    name: "GET /v1/budgets/:month",
    method: "GET",
    path: () => `/v1/budgets/${A_MONTH}`,
    missing: () => `/v1/budgets/${NOWHERE_MONTH}`,
    monthSwap: [NOWHERE_MONTH, A_MONTH],
    status: 404,
  },
  {
    name: "GET /v1/budgets/:month?includeArchived=true",
    method: "GET",
    path: () => `/v1/budgets/${A_MONTHS[1]}?includeArchived=true`,
    missing: () => `/v1/budgets/${NOWHERE_MONTH}?includeArchived=true`,
    monthSwap: [NOWHERE_MONTH, A_MONTHS[1]],
    status: 404,
  },
  {
    name: "PUT /v1/budgets/:month",
    method: "PUT",
    path: () => `/v1/budgets/${A_MONTH}`,
    missing: () => `/v1/budgets/${NOWHERE_MONTH}`,
    body: () => ({ totalIncome: 1, currency: "EUR", categories: [] }),
    monthSwap: [NOWHERE_MONTH, A_MONTH],
    status: 404,
  },
  {
    name: "PUT /v1/budgets/:month with a stale ETag (must not reveal existence with 412)",
    method: "PUT",
    path: () => `/v1/budgets/${A_MONTH}`,
    missing: () => `/v1/budgets/${NOWHERE_MONTH}`,
    body: () => ({ totalIncome: 1 }),
    headers: { "if-match": '"99"' },
    monthSwap: [NOWHERE_MONTH, A_MONTH],
    status: 404,
  },
  {
    name: "DELETE /v1/budgets/:month",
    method: "DELETE",
    path: () => `/v1/budgets/${A_MONTH}`,
    missing: () => `/v1/budgets/${NOWHERE_MONTH}`,
    monthSwap: [NOWHERE_MONTH, A_MONTH],
    status: 404,
  },
  {
    name: "GET /v1/budgets/:month/categories",
    method: "GET",
    path: () => `/v1/budgets/${A_MONTH}/categories`,
    missing: () => `/v1/budgets/${NOWHERE_MONTH}/categories`,
    monthSwap: [NOWHERE_MONTH, A_MONTH],
    status: 404,
  },
  {
    name: "PUT /v1/budgets/:month/categories/:id (B's month, A's category)",
    method: "PUT",
    path: () => `/v1/budgets/${B_MONTH}/categories/${aCategory.categoryId}`,
    missing: () => `/v1/budgets/${B_MONTH}/categories/${NOWHERE_ID}`,
    body: () => ({ limit: 777 }),
    status: 404,
  },
  {
    name: "PUT /v1/budgets/:month/categories/:id (A's month, A's category)",
    method: "PUT",
    path: () => `/v1/budgets/${A_MONTH}/categories/${aCategory.categoryId}`,
    missing: () => `/v1/budgets/${NOWHERE_MONTH}/categories/${NOWHERE_ID}`,
    body: () => ({ limit: 777 }),
    monthSwap: [NOWHERE_MONTH, A_MONTH],
    status: 404,
  },
  {
    name: "PUT /v1/budgets/:month/categories/:id (A's month, B's own category)",
    method: "PUT",
    path: () => `/v1/budgets/${A_MONTH}/categories/${bCategoryIds[0]}`,
    missing: () => `/v1/budgets/${NOWHERE_MONTH}/categories/${bCategoryIds[0]}`,
    body: () => ({ limit: 777 }),
    monthSwap: [NOWHERE_MONTH, A_MONTH],
    status: 404,
  },
  {
    name: "POST /v1/budgets with A's category in categories",
    method: "POST",
    path: () => "/v1/budgets",
    missing: () => "/v1/budgets",
    body: () => ({
      month: B_NEW_MONTH,
      totalIncome: 1_000,
      categories: [{ categoryId: aCategory.categoryId, limit: 500 }],
    }),
    missingBody: () => ({
      month: B_NEW_MONTH,
      totalIncome: 1_000,
      categories: [{ categoryId: NOWHERE_ID, limit: 500 }],
    }),
    status: 422,
    field: "categories.0.categoryId",
  },
  {
    name: "POST /v1/budgets with A's category after one of B's own",
    method: "POST",
    path: () => "/v1/budgets",
    missing: () => "/v1/budgets",
    body: () => ({
      month: B_NEW_MONTH,
      totalIncome: 1_000,
      categories: [
        { categoryId: bCategoryIds[0], limit: 1 },
        { categoryId: aCategory.categoryId, limit: 500 },
      ],
    }),
    missingBody: () => ({
      month: B_NEW_MONTH,
      totalIncome: 1_000,
      categories: [
        { categoryId: bCategoryIds[0], limit: 1 },
        { categoryId: NOWHERE_ID, limit: 500 },
      ],
    }),
    status: 422,
    field: "categories.1.categoryId",
  },
  {
    name: "POST /v1/budgets with copyFrom A's month",
    method: "POST",
    path: () => "/v1/budgets",
    missing: () => "/v1/budgets",
    body: () => ({ month: B_NEW_MONTH, copyFrom: A_MONTH }),
    missingBody: () => ({ month: B_NEW_MONTH, copyFrom: NOWHERE_MONTH }),
    monthSwap: [NOWHERE_MONTH, A_MONTH],
    status: 422,
    field: "copyFrom",
  },
  {
    name: "PUT /v1/budgets/:month (B's month) with A's category in categories",
    method: "PUT",
    path: () => `/v1/budgets/${B_MONTH}`,
    missing: () => `/v1/budgets/${B_MONTH}`,
    body: () => ({ categories: [{ categoryId: aCategory.categoryId, limit: 500 }] }),
    missingBody: () => ({ categories: [{ categoryId: NOWHERE_ID, limit: 500 }] }),
    status: 422,
    field: "categories.0.categoryId",
  },
  {
    name: "GET /v1/budgets?cursor=<A's cursor>",
    method: "GET",
    path: () => `/v1/budgets?limit=1&cursor=${encodeURIComponent(aCursor)}`,
    missing: () => "/v1/budgets?limit=1&cursor=bm90LWEtY3Vyc29y",
    status: 400,
    field: "cursor",
  },
  {
    name: "GET /v1/budgets?includeArchived=true&cursor=<A's cursor>",
    method: "GET",
    path: () => `/v1/budgets?includeArchived=true&cursor=${encodeURIComponent(aCursor)}`,
    missing: () => "/v1/budgets?includeArchived=true&cursor=bm90LWEtY3Vyc29y",
    status: 400,
    field: "cursor",
  },
];

describe("another tenant's objects answer exactly like missing ones", () => {
  it("A itself can reach every object B is about to probe (so B's 404s come from isolation)", async () => {
    const calls = await Promise.all([
      h.call("GET", `/v1/categories/${aCategory.categoryId}`, { token: A.token }),
      ...A_MONTHS.map((m) => h.call("GET", `/v1/budgets/${m}`, { token: A.token })),
      h.call("GET", `/v1/budgets/${A_MONTH}/categories`, { token: A.token }),
      h.call("GET", `/v1/goals/${aGoalId}`, { token: A.token }),
      h.call("GET", `/v1/goals/${aGoalId}/contributions?cursor=${encodeURIComponent(aContributionCursor)}`, {
        token: A.token,
      }),
      h.call("GET", `/v1/goals?status=active&cursor=${encodeURIComponent(aGoalCursor)}`, { token: A.token }),
    ]);
    for (const res of calls) expect(res.status).toBe(200);
    const [category, budget] = calls;
    expect(category?.body.name).toBe(aCategory.name);
    expect(budget?.body.categories.map((c: { categoryId: string }) => c.categoryId)).toContain(
      aCategory.categoryId,
    );
  });

  it.each(probes)("$name → $status", async (p) => {
    const send = (path: string, body: unknown) =>
      h.call(p.method, path, {
        token: B.token,
        ...(body !== undefined ? { body } : {}),
        ...(p.headers ? { headers: p.headers } : {}),
      });
    const theirs = await send(p.path(), p.body?.());
    const missing = await send(p.missing(), (p.missingBody ?? p.body)?.());

    expectProblem(theirs, p.status);
    expectProblem(missing, p.status);
    expectNoTraceOfA(theirs);
    if (p.status === 404)
      expect(theirs.body).toMatchObject({ type: "/problems/not-found", title: "Not found" });
    if (p.field) expect(theirs.body.errors.map((e: { path: string }) => e.path)).toEqual([p.field]);
    const swap = p.monthSwap?.map((v) => (v === "A_CARD" ? aCardId : v)) as [string, string] | undefined;
    expect(theirs.body).toEqual(swap ? asIf(missing, ...swap) : missing.body);
  });
});

describe("B's lists and reads show only B's data", () => {
  it("GET /v1/cards, the debt plan, progress and goal show none of A's card or goal", async () => {
    const [cards, plan, progress, goal] = await Promise.all([
      h.call("GET", "/v1/cards?includeClosed=true", { token: B.token }),
      h.call("GET", "/v1/debt/compare?monthly=100000", { token: B.token }),
      h.call("GET", "/v1/debt/progress", { token: B.token }),
      h.call("GET", "/v1/debt/goal", { token: B.token }),
    ]);
    expect(cards.body.items).toEqual([]);
    expect(plan.body).toMatchObject({ totalOwed: 0, cards: [], excluded: [] });
    expect(progress.body.months).toEqual([]);
    expect(goal.status).toBe(404);
    for (const res of [cards, plan, progress, goal]) expect(JSON.stringify(res.body)).not.toContain(aCardId);
    const mine = await h.call("GET", `/v1/cards/${aCardId}`, { token: A.token });
    expect(mine.body.balance).toBe(90_000);
  });

  it("GET /v1/goals, by priority or by status, lists only B's goal", async () => {
    for (const q of ["", "?status=active", "?limit=100"]) {
      const res = await h.call("GET", `/v1/goals${q}`, { token: B.token });
      expect(res.status).toBe(200);
      expect(res.body.items.map((g: { goalId: string }) => g.goalId)).toEqual([bGoalId]);
      expect(JSON.stringify(res.body)).not.toContain("Alice Boat");
    }
    const mine = await h.call("GET", `/v1/goals/${aGoalId}`, { token: A.token });
    expect(mine.body).toMatchObject({ currentAmount: 30_000, version: 3 });
  });

  it("GET /v1/tokens shows none of A's tokens", async () => {
    const res = await h.call("GET", "/v1/tokens", { token: B.token });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    const mine = await h.call("GET", "/v1/tokens", { token: A.token });
    expect(mine.body.items.map((t: { tokenId: string }) => t.tokenId).sort()).toEqual(
      [aPat.tokenId, aRevokedPat.tokenId].sort(),
    );
  });

  it("GET /v1/categories lists exactly B's categories, archived ones included", async () => {
    for (const q of ["", "?includeArchived=true"]) {
      const res = await h.call("GET", `/v1/categories${q}`, { token: B.token });
      expect(res.status).toBe(200);
      const ids = res.body.items.map((c: { categoryId: string }) => c.categoryId);
      expect(ids.length).toBeGreaterThan(0);
      expect([...ids].sort()).toEqual([...bCategoryIds].sort());
      for (const id of aCategoryIds) expect(ids).not.toContain(id);
      expect(JSON.stringify(res.body)).not.toContain(aCategory.name);
    }
  });

  it("GET /v1/budgets lists only B's month", async () => {
    for (const q of ["", "?includeArchived=true", "?limit=100"]) {
      const res = await h.call("GET", `/v1/budgets${q}`, { token: B.token });
      expect(res.status).toBe(200);
      expect(res.body.items.map((b: { month: string }) => b.month)).toEqual([B_MONTH]);
      expect(res.body.nextCursor).toBeUndefined();
    }
  });

  it("GET /v1/budgets/:month/categories of B's month names none of A's categories", async () => {
    const res = await h.call("GET", `/v1/budgets/${B_MONTH}/categories`, { token: B.token });
    expect(res.status).toBe(200);
    const ids = res.body.items.map((c: { categoryId: string }) => c.categoryId);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(bCategoryIds).toContain(id);
  });

  it("ignores tenantId / userId in the query: still only B's data", async () => {
    const q = `tenantId=${A.owner.tenantId}&userId=${A.owner.userId}`;
    const [cats, budgets, me, one] = await Promise.all([
      h.call("GET", `/v1/categories?${q}`, { token: B.token }),
      h.call("GET", `/v1/budgets?${q}`, { token: B.token }),
      h.call("GET", `/v1/me?${q}`, { token: B.token }),
      h.call("GET", `/v1/categories/${aCategory.categoryId}?${q}`, { token: B.token }),
    ]);
    expect(cats.status).toBe(200);
    expect(cats.body.items.map((c: { categoryId: string }) => c.categoryId).sort()).toEqual(
      [...bCategoryIds].sort(),
    );
    expect(budgets.status).toBe(200);
    expect(budgets.body.items.map((b: { month: string }) => b.month)).toEqual([B_MONTH]);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ tenantId: B.owner.tenantId, userId: B.owner.userId, email: B.email });
    expectProblem(one, 404);
  });
});

describe("the tenant can never come from the body", () => {
  const cases = [
    {
      name: "POST /v1/categories with tenantId",
      method: "POST",
      path: () => "/v1/categories",
      body: () => ({ name: "Planted", group: "essential", tenantId: A.owner.tenantId }),
      fields: ["tenantId"],
    },
    {
      name: "POST /v1/budgets with tenantId and userId",
      method: "POST",
      path: () => "/v1/budgets",
      body: () => ({
        month: B_NEW_MONTH,
        totalIncome: 1,
        tenantId: A.owner.tenantId,
        userId: A.owner.userId,
      }),
      fields: ["tenantId", "userId"],
    },
    {
      name: "PUT /v1/budgets/:month (A's month) with A's tenantId and userId",
      method: "PUT",
      path: () => `/v1/budgets/${A_MONTH}`,
      body: () => ({ totalIncome: 1, tenantId: A.owner.tenantId, userId: A.owner.userId }),
      fields: ["tenantId", "userId"],
    },
    {
      name: "PUT /v1/categories/:id (B's own) with userId",
      method: "PUT",
      path: () => `/v1/categories/${bCategoryIds[0]}`,
      body: () => ({ name: "Planted", userId: A.owner.userId }),
      fields: ["userId"],
    },
    {
      name: "PUT /v1/budgets/:month/categories/:id (B's own) with tenantId",
      method: "PUT",
      path: () => `/v1/budgets/${B_MONTH}/categories/${bCategoryIds[0]}`,
      body: () => ({ limit: 1, tenantId: A.owner.tenantId }),
      fields: ["tenantId"],
    },
  ];

  it.each(cases)("$name → 400 naming $fields", async (c) => {
    const res = await h.call(c.method, c.path(), { token: B.token, body: c.body() });
    expectProblem(res, 400);
    expect(res.body.type).toBe("/problems/validation-error");
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([...c.fields].sort());
  });

  it("POST /v1/auth/signup cannot join an existing tenant", async () => {
    const res = await h.call("POST", "/v1/auth/signup", {
      body: {
        email: `joiner.${Date.now()}@example.com`,
        password: "correct horse battery staple",
        name: "Joiner",
        tenantId: A.owner.tenantId,
      },
    });
    expectProblem(res, 400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["tenantId"]);
  });
});

describe("authentication", () => {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const principalOf = (acc: Account) => ({ ...acc.owner, email: acc.email, name: "Tenant A" });

  /** Every operation the API documents as needing a token, with A's ids and months filled in. */
  async function protectedRoutes(): Promise<{ method: string; path: string; body?: unknown }[]> {
    const doc = await h.call("GET", "/v1/openapi.json");
    expect(doc.status).toBe(200);
    const out: { method: string; path: string; body?: unknown }[] = [];
    for (const [template, ops] of Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)) {
      for (const [method, op] of Object.entries(ops as Record<string, { security?: unknown[] }>)) {
        if (!op.security?.length) continue;
        const path = template
          .replaceAll("{month}", A_MONTH)
          .replaceAll("{id}", aCategory.categoryId)
          .replace(/\{[^}]+\}/g, NOWHERE_ID);
        const m = method.toUpperCase();
        // Bodies that would succeed for A, so only authentication stands in the way.
        const body =
          m === "GET" || m === "DELETE"
            ? undefined
            : path === "/v1/budgets"
              ? { month: B_NEW_MONTH, totalIncome: 1 }
              : path === "/v1/categories"
                ? { name: "Intruder", group: "essential" }
                : path.includes("/categories/") && path.startsWith("/v1/budgets/")
                  ? { limit: 1 }
                  : path.startsWith("/v1/budgets/")
                    ? { totalIncome: 1 }
                    : { name: "Intruder" };
        out.push({ method: m, path, ...(body !== undefined ? { body } : {}) });
      }
    }
    return out;
  }

  it("documents every route B probed as protected", async () => {
    const routes = (await protectedRoutes()).map((r) => `${r.method} ${r.path}`);
    const cat = aCategory.categoryId;
    expect(routes).toEqual(
      expect.arrayContaining([
        "GET /v1/me",
        "GET /v1/categories",
        "POST /v1/categories",
        `GET /v1/categories/${cat}`,
        `PUT /v1/categories/${cat}`,
        `DELETE /v1/categories/${cat}`,
        "GET /v1/budgets",
        "POST /v1/budgets",
        `GET /v1/budgets/${A_MONTH}`,
        `PUT /v1/budgets/${A_MONTH}`,
        `DELETE /v1/budgets/${A_MONTH}`,
        `GET /v1/budgets/${A_MONTH}/categories`,
        `PUT /v1/budgets/${A_MONTH}/categories/${cat}`,
        "GET /v1/goals",
        "POST /v1/goals",
        `GET /v1/goals/${cat}`,
        `PUT /v1/goals/${cat}`,
        `DELETE /v1/goals/${cat}`,
        `POST /v1/goals/${cat}/contributions`,
        `GET /v1/goals/${cat}/contributions`,
      ]),
    );
  });

  const badCredentials: { name: string; header: () => Promise<string | undefined> }[] = [
    { name: "no Authorization header", header: async () => undefined },
    { name: "an empty bearer token", header: async () => "Bearer " },
    { name: "a non-bearer scheme", header: async () => `Basic ${Buffer.from("a:b").toString("base64")}` },
    { name: "a token that is not a JWT", header: async () => "Bearer not.a.jwt" },
    {
      name: "A's principal signed with a different key",
      header: async () => `Bearer ${(await new LocalTokens(randomBytes(32)).issue(principalOf(A))).token}`,
    },
    {
      name: "an expired token for A",
      header: async () =>
        `Bearer ${(await h.tokens.issue(principalOf(A), new Date(Date.now() - 13 * 3600 * 1000))).token}`,
    },
    {
      name: "an unsigned (alg none) token for A",
      header: async () => {
        const now = Math.floor(Date.now() / 1000);
        const claims = {
          sub: A.owner.userId,
          tid: A.owner.tenantId,
          email: A.email,
          iss: "tyche-local",
          aud: "tyche",
          iat: now,
          exp: now + 3600,
        };
        return `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.`;
      },
    },
    {
      name: "A's personal access token with one character of its secret changed",
      header: async () => {
        const last = aPat.token.at(-1) === "A" ? "B" : "A";
        return `Bearer ${aPat.token.slice(0, -1)}${last}`;
      },
    },
    { name: "A's revoked personal access token", header: async () => `Bearer ${aRevokedPat.token}` },
    {
      name: "a well-formed personal access token nobody made",
      header: async () => `Bearer tyche_pat_${ulid()}_${randomBytes(32).toString("base64url")}`,
    },
    {
      name: "B's token with its claims rewritten to A's tenant",
      header: async () => {
        const [head, payload, sig] = B.token.split(".");
        const claims = JSON.parse(Buffer.from(String(payload), "base64url").toString("utf8"));
        return `Bearer ${head}.${b64({ ...claims, sub: A.owner.userId, tid: A.owner.tenantId })}.${sig}`;
      },
    },
  ];

  it.each(badCredentials)("$name → 401 on every protected route", async ({ header }) => {
    const routes = await protectedRoutes();
    const authorization = await header();
    const replies = await Promise.all(
      routes.map((r) =>
        h.call(r.method, r.path, {
          ...(r.body !== undefined ? { body: r.body } : {}),
          ...(authorization !== undefined ? { headers: { authorization } } : {}),
        }),
      ),
    );
    replies.forEach((res, i) => {
      const route = routes[i];
      expect({ route, status: res.status }).toEqual({ route, status: 401 });
      expect(res.headers.get("content-type")).toBe(PROBLEM);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(res.body).toMatchObject({ type: "/problems/unauthorized", title: "Unauthorized", status: 401 });
      expectNoTraceOfA(res);
    });
  });

  it("a freshly issued token for A is accepted (the 401s above come from the credentials)", async () => {
    const token = (await h.tokens.issue(principalOf(A))).token;
    const res = await h.call("GET", `/v1/budgets/${A_MONTH}`, { token });
    expect(res.status).toBe(200);
    expect(res.body.month).toBe(A_MONTH);
  });
});

describe("afterwards", () => {
  it("nothing of A changed and B's partition gained nothing, audit records included", async () => {
    const [aAfter, bAfter, bAuditAfter] = await Promise.all([
      ownerItems(h.store, A.owner),
      ownerItems(h.store, B.owner),
      auditActions(h.store, B.owner),
    ]);
    expect(aAfter).toEqual(aBefore);
    expect(bAuditAfter).toEqual(bAuditBefore);
    expect(bAfter).toEqual(bBefore);
  });
});
