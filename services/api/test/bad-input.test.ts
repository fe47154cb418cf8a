import { MAX_CENTS } from "@tyche/types";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../src/app";
import { type Account, auditActions, type Harness, harness, ownerItems, signup } from "./support/harness";

/**
 * DESIGN.md: bad input is a 4xx RFC 9457 problem naming the offending field, never a 500, and
 * nothing is written. One user, one planned month; every row below must be refused, and afterwards
 * the user's partition (audit records included) is exactly as before.
 */

/** The planned month (version 1) that PUT and DELETE rows aim at. */
const PLANNED = "2024-05";
/** A month the rows try to plan; none may succeed. */
const NEW = "2024-07";
/** Stands for one of the user's own category ids in paths and bodies. */
const CAT = "$CAT";
/** A well-formed id that is not one of the user's categories. */
const STRANGER = ulid();

let h: Harness;
let user: Account;
let catId: string;
let before: Record<string, unknown>[];
let auditBefore: string[];

beforeAll(async () => {
  h = harness();
  user = await signup(h, "Bad Input");
  const cats = await h.call("GET", "/v1/categories", { token: user.token });
  catId = cats.body.items.find((c: { type: string }) => c.type === "groceries").categoryId;
  const planned = await h.call("POST", "/v1/budgets", {
    token: user.token,
    body: { month: PLANNED, totalIncome: 300_000, categories: [{ categoryId: catId, limit: 10_000 }] },
  });
  expect(planned.status).toBe(201);
  expect(planned.headers.get("etag")).toBe('"1"');
  [before, auditBefore] = await Promise.all([
    ownerItems(h.store, user.owner),
    auditActions(h.store, user.owner),
  ]);
  expect(auditBefore).toContain("budget.create");
});

const JSON_TYPE = { "content-type": "application/json" };

interface Case {
  name: string;
  method: string;
  path: string;
  /** JSON-encoded by the harness; `$CAT` anywhere is replaced by one of the user's category ids. */
  body?: unknown;
  /** Sent as-is, with the headers given. */
  raw?: string;
  headers?: Record<string, string>;
  /** Send no token (public routes). */
  anonymous?: boolean;
  status: number | number[];
  /** The problem's `type`; validation errors by default for 400 and 422. */
  type?: string;
  /** Exactly the distinct `errors[].path` values expected, in order; omitted when the problem has no field. */
  paths?: string[];
}

const budget = (extra: Record<string, unknown>) => ({ month: NEW, totalIncome: 100_000, ...extra });
const alloc = (extra: Record<string, unknown>) =>
  budget({ categories: [{ categoryId: CAT, limit: 100, ...extra }] });

const cases: Case[] = [
  // ---- months ----
  {
    name: "month 2025-13",
    method: "POST",
    path: "/v1/budgets",
    body: budget({ month: "2025-13" }),
    status: 400,
    paths: ["month"],
  },
  {
    name: "month 2025-1",
    method: "POST",
    path: "/v1/budgets",
    body: budget({ month: "2025-1" }),
    status: 400,
    paths: ["month"],
  },
  {
    name: "month 25-01",
    method: "POST",
    path: "/v1/budgets",
    body: budget({ month: "25-01" }),
    status: 400,
    paths: ["month"],
  },
  {
    name: "month as a date",
    method: "POST",
    path: "/v1/budgets",
    body: budget({ month: "2025-01-01" }),
    status: 400,
    paths: ["month"],
  },
  {
    name: "month as a number",
    method: "POST",
    path: "/v1/budgets",
    body: budget({ month: 202501 }),
    status: 400,
    paths: ["month"],
  },
  {
    name: "month 2025-00",
    method: "POST",
    path: "/v1/budgets",
    body: budget({ month: "2025-00" }),
    status: 400,
    paths: ["month"],
  },
  {
    name: "GET path month 2025-13",
    method: "GET",
    path: "/v1/budgets/2025-13",
    status: 400,
    paths: ["month"],
  },
  {
    name: "PUT path month 2025-13",
    method: "PUT",
    path: "/v1/budgets/2025-13",
    body: { totalIncome: 1 },
    status: 400,
    paths: ["month"],
  },
  {
    name: "DELETE path month 2025-1",
    method: "DELETE",
    path: "/v1/budgets/2025-1",
    status: 400,
    paths: ["month"],
  },
  {
    name: "GET path month categories 25-01",
    method: "GET",
    path: "/v1/budgets/25-01/categories",
    status: 400,
    paths: ["month"],
  },
  {
    name: "PUT path month of a category limit",
    method: "PUT",
    path: `/v1/budgets/2025-13/categories/${CAT}`,
    body: { limit: 1 },
    status: 400,
    paths: ["month"],
  },

  // ---- cents ----
  {
    name: "negative totalIncome",
    method: "POST",
    path: "/v1/budgets",
    body: budget({ totalIncome: -1 }),
    status: 400,
    paths: ["totalIncome"],
  },
  {
    name: "fractional totalIncome 12.5",
    method: "POST",
    path: "/v1/budgets",
    body: budget({ totalIncome: 12.5 }),
    status: 400,
    paths: ["totalIncome"],
  },
  {
    name: 'totalIncome as string "100"',
    method: "POST",
    path: "/v1/budgets",
    body: budget({ totalIncome: "100" }),
    status: 400,
    paths: ["totalIncome"],
  },
  {
    name: "totalIncome above MAX_CENTS",
    method: "POST",
    path: "/v1/budgets",
    body: budget({ totalIncome: MAX_CENTS + 1 }),
    status: 400,
    paths: ["totalIncome"],
  },
  {
    name: "totalIncome 1e300",
    method: "POST",
    path: "/v1/budgets",
    body: budget({ totalIncome: 1e300 }),
    status: 400,
    paths: ["totalIncome"],
  },
  {
    name: "totalIncome NaN (raw JSON)",
    method: "POST",
    path: "/v1/budgets",
    raw: `{"month":"${NEW}","totalIncome":NaN}`,
    headers: JSON_TYPE,
    status: 400,
    paths: ["body"],
  },
  {
    name: "totalIncome Infinity (raw JSON)",
    method: "POST",
    path: "/v1/budgets",
    raw: `{"month":"${NEW}","totalIncome":Infinity}`,
    headers: JSON_TYPE,
    status: 400,
    paths: ["body"],
  },
  {
    name: "totalIncome 1e400 overflows to Infinity (raw JSON)",
    method: "POST",
    path: "/v1/budgets",
    raw: `{"month":"${NEW}","totalIncome":1e400}`,
    headers: JSON_TYPE,
    status: 400,
    paths: ["totalIncome"],
  },
  {
    name: "negative limit",
    method: "POST",
    path: "/v1/budgets",
    body: alloc({ limit: -5 }),
    status: 400,
    paths: ["categories.0.limit"],
  },
  {
    name: "fractional limit",
    method: "POST",
    path: "/v1/budgets",
    body: alloc({ limit: 0.5 }),
    status: 400,
    paths: ["categories.0.limit"],
  },
  {
    name: "limit above MAX_CENTS",
    method: "POST",
    path: "/v1/budgets",
    body: alloc({ limit: MAX_CENTS + 1 }),
    status: 400,
    paths: ["categories.0.limit"],
  },
  {
    name: "limit null",
    method: "POST",
    path: "/v1/budgets",
    body: alloc({ limit: null }),
    status: 400,
    paths: ["categories.0.limit"],
  },

  // ---- missing fields and wrong types ----
  {
    name: "missing month",
    method: "POST",
    path: "/v1/budgets",
    body: { totalIncome: 100 },
    status: 400,
    paths: ["month"],
  },
  {
    name: "missing totalIncome without copyFrom",
    method: "POST",
    path: "/v1/budgets",
    body: { month: NEW },
    status: 400,
    paths: ["totalIncome"],
  },
  {
    name: "categories not an array",
    method: "POST",
    path: "/v1/budgets",
    body: budget({ categories: { [CAT]: 100 } }),
    status: 400,
    paths: ["categories"],
  },
  {
    name: "allocation missing limit",
    method: "POST",
    path: "/v1/budgets",
    body: budget({ categories: [{ categoryId: CAT }] }),
    status: 400,
    paths: ["categories.0.limit"],
  },
  {
    name: "allocation categoryId not an id",
    method: "POST",
    path: "/v1/budgets",
    body: alloc({ categoryId: "groceries" }),
    status: 400,
    paths: ["categories.0.categoryId"],
  },
  {
    name: "body is an array",
    method: "POST",
    path: "/v1/budgets",
    body: [budget({})],
    status: 400,
    paths: ["body"],
  },
  {
    name: "body is null",
    method: "POST",
    path: "/v1/budgets",
    raw: "null",
    headers: JSON_TYPE,
    status: 400,
    paths: ["body"],
  },

  // ---- unknown fields (strict schemas) ----
  {
    name: "unknown top-level field",
    method: "POST",
    path: "/v1/budgets",
    body: budget({ notes: "hi" }),
    status: 400,
    paths: ["notes"],
  },
  {
    name: "unknown allocation field",
    method: "POST",
    path: "/v1/budgets",
    body: alloc({ spent: 5 }),
    status: 400,
    paths: ["categories.0.spent"],
  },
  {
    name: "PUT budget with a month in the body",
    method: "PUT",
    path: `/v1/budgets/${PLANNED}`,
    body: { month: NEW },
    status: 400,
    paths: ["month"],
  },
  {
    name: "PUT budget setting version",
    method: "PUT",
    path: `/v1/budgets/${PLANNED}`,
    body: { version: 7 },
    status: 400,
    paths: ["version"],
  },

  // ---- references ----
  {
    name: "duplicate categoryId",
    method: "POST",
    path: "/v1/budgets",
    body: budget({
      categories: [
        { categoryId: CAT, limit: 1 },
        { categoryId: CAT, limit: 2 },
      ],
    }),
    status: 400,
    paths: ["categories.1.categoryId"],
  },
  {
    name: "unknown categoryId (valid id, not the user's)",
    method: "POST",
    path: "/v1/budgets",
    body: alloc({ categoryId: STRANGER }),
    status: 422,
    paths: ["categories.0.categoryId"],
  },
  {
    name: "PUT budget with an unknown categoryId",
    method: "PUT",
    path: `/v1/budgets/${PLANNED}`,
    body: {
      categories: [
        { categoryId: CAT, limit: 1 },
        { categoryId: STRANGER, limit: 1 },
      ],
    },
    status: 422,
    paths: ["categories.1.categoryId"],
  },
  {
    name: "copyFrom equal to month",
    method: "POST",
    path: "/v1/budgets",
    body: { month: NEW, copyFrom: NEW },
    status: 400,
    paths: ["copyFrom"],
  },
  {
    name: "copyFrom after month",
    method: "POST",
    path: "/v1/budgets",
    body: { month: NEW, copyFrom: "2024-08" },
    status: 400,
    paths: ["copyFrom"],
  },
  {
    name: "copyFrom malformed",
    method: "POST",
    path: "/v1/budgets",
    body: { month: NEW, copyFrom: "2024-6" },
    status: 400,
    paths: ["copyFrom"],
  },
  {
    name: "copyFrom a month with no budget",
    method: "POST",
    path: "/v1/budgets",
    body: { month: NEW, copyFrom: "2024-06" },
    status: 422,
    paths: ["copyFrom"],
  },
  {
    name: "planning an already planned month",
    method: "POST",
    path: "/v1/budgets",
    body: budget({ month: PLANNED }),
    status: 409,
    type: "/problems/conflict",
  },
  {
    name: 'currency "XYZ"',
    method: "POST",
    path: "/v1/budgets",
    body: budget({ currency: "XYZ" }),
    status: 400,
    paths: ["currency"],
  },
  {
    name: 'currency "usd"',
    method: "POST",
    path: "/v1/budgets",
    body: budget({ currency: "usd" }),
    status: 400,
    paths: ["currency"],
  },
  {
    name: "PUT budget currency XYZ",
    method: "PUT",
    path: `/v1/budgets/${PLANNED}`,
    body: { currency: "XYZ" },
    status: 400,
    paths: ["currency"],
  },

  // ---- bodies ----
  {
    name: "oversized body",
    method: "POST",
    path: "/v1/budgets",
    body: budget({ padding: "x".repeat(MAX_BODY_BYTES + 1) }),
    status: 413,
    type: "/problems/payload-too-large",
  },
  {
    name: "malformed JSON",
    method: "POST",
    path: "/v1/budgets",
    raw: '{"month":',
    headers: JSON_TYPE,
    status: 400,
    paths: ["body"],
  },
  {
    name: "wrong content type (text/plain)",
    method: "POST",
    path: "/v1/budgets",
    raw: JSON.stringify(budget({})),
    headers: { "content-type": "text/plain" },
    status: 415,
    type: "/problems/unsupported-media-type",
  },
  {
    name: "wrong content type on PUT (form)",
    method: "PUT",
    path: `/v1/budgets/${PLANNED}`,
    raw: "totalIncome=1",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    status: 415,
    type: "/problems/unsupported-media-type",
  },
  {
    name: "empty body with JSON content type",
    method: "POST",
    path: "/v1/budgets",
    raw: "",
    headers: JSON_TYPE,
    status: 400,
    paths: ["body"],
  },
  { name: "no body and no content type", method: "POST", path: "/v1/budgets", status: [400, 415] },

  // ---- If-Match ----
  {
    name: "bad If-Match (unquoted)",
    method: "PUT",
    path: `/v1/budgets/${PLANNED}`,
    headers: { "if-match": "1" },
    body: { totalIncome: 1 },
    status: 400,
    paths: ["If-Match"],
  },
  {
    name: "bad If-Match (not a number)",
    method: "PUT",
    path: `/v1/budgets/${PLANNED}`,
    headers: { "if-match": '"abc"' },
    body: { totalIncome: 1 },
    status: 400,
    paths: ["If-Match"],
  },
  {
    name: "bad If-Match on DELETE budget",
    method: "DELETE",
    path: `/v1/budgets/${PLANNED}`,
    headers: { "if-match": "v1" },
    status: 400,
    paths: ["If-Match"],
  },
  {
    name: "bad If-Match on category limit",
    method: "PUT",
    path: `/v1/budgets/${PLANNED}/categories/${CAT}`,
    headers: { "if-match": "1" },
    body: { limit: 1 },
    status: 400,
    paths: ["If-Match"],
  },
  {
    name: "bad If-Match on PUT category",
    method: "PUT",
    path: `/v1/categories/${CAT}`,
    headers: { "if-match": "1" },
    body: { name: "X" },
    status: 400,
    paths: ["If-Match"],
  },
  {
    name: "stale If-Match on PUT budget",
    method: "PUT",
    path: `/v1/budgets/${PLANNED}`,
    headers: { "if-match": '"7"' },
    body: { totalIncome: 1 },
    status: 412,
    type: "/problems/precondition-failed",
  },
  {
    name: "stale If-Match on DELETE budget",
    method: "DELETE",
    path: `/v1/budgets/${PLANNED}`,
    headers: { "if-match": '"7"' },
    status: 412,
    type: "/problems/precondition-failed",
  },
  {
    name: "stale If-Match on category limit",
    method: "PUT",
    path: `/v1/budgets/${PLANNED}/categories/${CAT}`,
    headers: { "if-match": '"7"' },
    body: { limit: 1 },
    status: 412,
    type: "/problems/precondition-failed",
  },
  {
    name: "stale If-Match on PUT category",
    method: "PUT",
    path: `/v1/categories/${CAT}`,
    headers: { "if-match": '"7"' },
    body: { name: "X" },
    status: 412,
    type: "/problems/precondition-failed",
  },
  {
    name: "stale If-Match on DELETE category",
    method: "DELETE",
    path: `/v1/categories/${CAT}`,
    headers: { "if-match": '"7"' },
    status: 412,
    type: "/problems/precondition-failed",
  },

  // ---- a month's category limit ----
  {
    name: 'category limit as string "100"',
    method: "PUT",
    path: `/v1/budgets/${PLANNED}/categories/${CAT}`,
    body: { limit: "100" },
    status: 400,
    paths: ["limit"],
  },
  {
    name: "category limit missing",
    method: "PUT",
    path: `/v1/budgets/${PLANNED}/categories/${CAT}`,
    body: {},
    status: 400,
    paths: ["limit"],
  },
  {
    name: "category limit path id not an id",
    method: "PUT",
    path: `/v1/budgets/${PLANNED}/categories/not-an-id`,
    body: { limit: 1 },
    status: 400,
    paths: ["id"],
  },
  {
    name: "category limit for a category that is not the user's",
    method: "PUT",
    path: `/v1/budgets/${PLANNED}/categories/${STRANGER}`,
    body: { limit: 1 },
    status: 404,
    type: "/problems/not-found",
  },
  {
    name: "category limit in an unplanned month",
    method: "PUT",
    path: `/v1/budgets/${NEW}/categories/${CAT}`,
    body: { limit: 1 },
    status: 404,
    type: "/problems/not-found",
  },

  // ---- sign-up and login ----
  {
    name: "signup with a bad email",
    method: "POST",
    path: "/v1/auth/signup",
    anonymous: true,
    body: { email: "not-an-email", password: "long enough password", name: "N" },
    status: 400,
    paths: ["email"],
  },
  {
    name: "signup with a short password",
    method: "POST",
    path: "/v1/auth/signup",
    anonymous: true,
    body: { email: "short.pw@example.com", password: "short", name: "N" },
    status: 400,
    paths: ["password"],
  },
  {
    name: "signup with an empty name",
    method: "POST",
    path: "/v1/auth/signup",
    anonymous: true,
    body: { email: "no.name@example.com", password: "long enough password", name: "  " },
    status: 400,
    paths: ["name"],
  },
  {
    name: "signup with an unknown field",
    method: "POST",
    path: "/v1/auth/signup",
    anonymous: true,
    body: { email: "extra@example.com", password: "long enough password", name: "N", role: "admin" },
    status: 400,
    paths: ["role"],
  },
  {
    name: "signup as text/plain",
    method: "POST",
    path: "/v1/auth/signup",
    anonymous: true,
    raw: '{"email":"plain@example.com","password":"long enough password","name":"N"}',
    headers: { "content-type": "text/plain" },
    status: 415,
    type: "/problems/unsupported-media-type",
  },
  {
    name: "login with a bad email",
    method: "POST",
    path: "/v1/auth/login",
    anonymous: true,
    body: { email: "nope", password: "x" },
    status: 400,
    paths: ["email"],
  },

  // ---- categories ----
  {
    name: "category with a bad colour",
    method: "POST",
    path: "/v1/categories",
    body: { name: "Pets", group: "essential", color: "red" },
    status: 400,
    paths: ["color"],
  },
  {
    name: "category with a 5-digit colour",
    method: "POST",
    path: "/v1/categories",
    body: { name: "Pets", group: "essential", color: "#12345" },
    status: 400,
    paths: ["color"],
  },
  {
    name: "category with a bad group",
    method: "POST",
    path: "/v1/categories",
    body: { name: "Pets", group: "fun" },
    status: 400,
    paths: ["group"],
  },
  {
    name: "category without a group",
    method: "POST",
    path: "/v1/categories",
    body: { name: "Pets" },
    status: 400,
    paths: ["group"],
  },
  {
    name: 'category type "Not A Slug"',
    method: "POST",
    path: "/v1/categories",
    body: { name: "Pets", group: "essential", type: "Not A Slug" },
    status: 400,
    paths: ["type"],
  },
  {
    name: "category name a number",
    method: "POST",
    path: "/v1/categories",
    body: { name: 42, group: "essential" },
    status: 400,
    paths: ["name"],
  },
  {
    name: "category negative limit",
    method: "POST",
    path: "/v1/categories",
    body: { name: "Pets", group: "essential", limit: -1 },
    status: 400,
    paths: ["limit"],
  },
  {
    name: "category unknown field",
    method: "POST",
    path: "/v1/categories",
    body: { name: "Pets", group: "essential", archived: true },
    status: 400,
    paths: ["archived"],
  },
  {
    name: "category name with no slug",
    method: "POST",
    path: "/v1/categories",
    body: { name: "!!!", group: "essential" },
    status: 422,
    paths: ["type"],
  },
  {
    name: "category type already used",
    method: "POST",
    path: "/v1/categories",
    body: { name: "More groceries", group: "essential", type: "groceries" },
    status: 422,
    paths: ["type"],
  },
  {
    name: "GET category id not-an-id",
    method: "GET",
    path: "/v1/categories/not-an-id",
    status: 400,
    paths: ["id"],
  },
  {
    name: "PUT category id not-an-id",
    method: "PUT",
    path: "/v1/categories/not-an-id",
    body: { name: "X" },
    status: 400,
    paths: ["id"],
  },
  {
    name: "DELETE category id not-an-id",
    method: "DELETE",
    path: "/v1/categories/not-an-id",
    status: 400,
    paths: ["id"],
  },
  {
    name: "PUT category changing its type",
    method: "PUT",
    path: `/v1/categories/${CAT}`,
    body: { type: "food" },
    status: 400,
    paths: ["type"],
  },
  {
    name: "PUT category bad group",
    method: "PUT",
    path: `/v1/categories/${CAT}`,
    body: { group: "fun" },
    status: 400,
    paths: ["group"],
  },
  {
    name: "PUT category fractional limit",
    method: "PUT",
    path: `/v1/categories/${CAT}`,
    body: { limit: 1.5 },
    status: 400,
    paths: ["limit"],
  },
  {
    name: "categories includeArchived=1",
    method: "GET",
    path: "/v1/categories?includeArchived=1",
    status: 400,
    paths: ["includeArchived"],
  },

  // ---- lists ----
  { name: "limit=0", method: "GET", path: "/v1/budgets?limit=0", status: 400, paths: ["limit"] },
  { name: "limit=1000", method: "GET", path: "/v1/budgets?limit=1000", status: 400, paths: ["limit"] },
  { name: "limit=abc", method: "GET", path: "/v1/budgets?limit=abc", status: 400, paths: ["limit"] },
  { name: "limit=1.5", method: "GET", path: "/v1/budgets?limit=1.5", status: 400, paths: ["limit"] },
  {
    name: "garbage cursor",
    method: "GET",
    path: "/v1/budgets?cursor=garbage",
    status: 400,
    paths: ["cursor"],
  },
  {
    name: "cursor of valid base64url JSON from no one",
    method: "GET",
    path: `/v1/budgets?cursor=${Buffer.from('{"GSI1PK":"TENANT#x#USER#y","GSI1SK":"BUDGET#2024-01"}').toString("base64url")}`,
    status: 400,
    paths: ["cursor"],
  },
  {
    name: "cursor over 2048 characters",
    method: "GET",
    path: `/v1/budgets?cursor=${"a".repeat(2049)}`,
    status: 400,
    paths: ["cursor"],
  },
  {
    name: "budgets includeArchived=yes",
    method: "GET",
    path: "/v1/budgets?includeArchived=yes",
    status: 400,
    paths: ["includeArchived"],
  },
];

const fill = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v).replaceAll(CAT, catId)));

describe("bad input answers a 4xx problem naming the field", () => {
  it.each(cases)("$name → $status", async (c) => {
    const res = await h.call(c.method, fill(c.path), {
      ...(c.anonymous ? {} : { token: user.token }),
      ...(c.body !== undefined ? { body: fill(c.body) } : {}),
      ...(c.raw !== undefined ? { raw: c.raw } : {}),
      ...(c.headers ? { headers: c.headers } : {}),
    });
    const statuses = Array.isArray(c.status) ? c.status : [c.status];
    expect(statuses).toContain(res.status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body).toMatchObject({
      type: expect.stringMatching(/^\/problems\/[a-z-]+$/),
      title: expect.any(String),
    });
    expect(res.body.title.length).toBeGreaterThan(0);
    expect(res.body.status).toBe(res.status);
    const type = c.type ?? (c.paths ? "/problems/validation-error" : undefined);
    if (type) expect(res.body.type).toBe(type);
    // One field may carry several messages (e.g. 1e300 is neither a safe integer nor under the cap).
    if (c.paths) expect([...new Set(res.body.errors.map((e: { path: string }) => e.path))]).toEqual(c.paths);
    if (c.paths) for (const e of res.body.errors) expect(e.message).toEqual(expect.any(String));
    if (!c.paths && statuses.length === 1) expect(res.body.errors).toBeUndefined();
  });
});

describe("stale If-Match", () => {
  it("PUT /v1/budgets/:month with an old ETag answers 412 and leaves the budget as it was", async () => {
    const current = await h.call("GET", `/v1/budgets/${PLANNED}`, { token: user.token });
    expect(current.status).toBe(200);
    expect(current.headers.get("etag")).toBe('"1"');
    const res = await h.call("PUT", `/v1/budgets/${PLANNED}`, {
      token: user.token,
      headers: { "if-match": '"0"' },
      body: { totalIncome: 1, currency: "EUR", categories: [] },
    });
    expect(res.status).toBe(412);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body).toMatchObject({ type: "/problems/precondition-failed", status: 412 });
    const after = await h.call("GET", `/v1/budgets/${PLANNED}`, { token: user.token });
    expect(after.headers.get("etag")).toBe('"1"');
    expect(after.body).toEqual(current.body);
    expect(after.body).toMatchObject({ totalIncome: 300_000, currency: "USD", version: 1 });
  });
});

describe("afterwards", () => {
  it("nothing was written: the user's items and audit records are exactly as before", async () => {
    const [after, auditAfter] = await Promise.all([
      ownerItems(h.store, user.owner),
      auditActions(h.store, user.owner),
    ]);
    expect(auditAfter).toEqual(auditBefore);
    expect(after).toEqual(before);
  });
});
