import { createRoute, z } from "@hono/zod-openapi";
import {
  Budget,
  BudgetCategoryUpdate,
  BudgetCategoryView,
  BudgetCreate,
  BudgetListItem,
  BudgetUpdate,
  Id,
  Month,
} from "@tyche/types";
import type { BudgetService } from "../domain/budgets";
import { etagOf, expectedVersion } from "../http/etag";
import { routes } from "../http/routes";
import {
  IfMatchHeader,
  IncludeArchived,
  json,
  jsonBody,
  MonthParam,
  PageQuery,
  problems,
} from "../http/schemas";

const tags = ["budgets"];
const security = [{ bearer: [] }];

const create = createRoute({
  operationId: "createBudget",
  method: "post",
  path: "/v1/budgets",
  tags,
  security,
  summary: "Plan a month",
  description:
    "Without `categories`, the month starts from `copyFrom`'s allocations, else from every category's default limit.",
  request: { body: jsonBody(BudgetCreate) },
  responses: {
    401: problems[401],
    201: json(Budget, "Created"),
    400: problems[400],
    409: problems[409],
    422: problems[422],
  },
});

const list = createRoute({
  operationId: "listBudgets",
  method: "get",
  path: "/v1/budgets",
  tags,
  security,
  summary: "Your months, newest first",
  request: { query: z.object({ includeArchived: IncludeArchived, ...PageQuery }) },
  responses: {
    401: problems[401],
    200: json(
      z.object({ items: z.array(BudgetListItem), nextCursor: z.string().optional() }),
      "A page of months",
    ),
    400: problems[400],
  },
});

const get = createRoute({
  operationId: "getBudget",
  method: "get",
  path: "/v1/budgets/{month}",
  tags,
  security,
  summary: "One month with its figures",
  request: { params: MonthParam, query: z.object({ includeArchived: IncludeArchived }) },
  responses: {
    401: problems[401],
    200: json(Budget, "The month"),
    400: problems[400],
    404: problems[404],
  },
});

const update = createRoute({
  operationId: "updateBudget",
  method: "put",
  path: "/v1/budgets/{month}",
  tags,
  security,
  summary: "Change a month's income, currency or allocations",
  request: { params: MonthParam, headers: IfMatchHeader, body: jsonBody(BudgetUpdate) },
  responses: {
    401: problems[401],
    200: json(Budget, "Updated"),
    400: problems[400],
    404: problems[404],
    412: problems[412],
    422: problems[422],
  },
});

const archive = createRoute({
  operationId: "archiveBudget",
  method: "delete",
  path: "/v1/budgets/{month}",
  tags,
  security,
  summary: "Archive a month (still readable with includeArchived=true)",
  request: { params: MonthParam, headers: IfMatchHeader },
  responses: {
    401: problems[401],
    204: { description: "Archived" },
    404: problems[404],
    412: problems[412],
  },
});

const categories = createRoute({
  operationId: "listBudgetCategories",
  method: "get",
  path: "/v1/budgets/{month}/categories",
  tags,
  security,
  summary: "A month's categories: limit, spent, remaining",
  request: { params: MonthParam },
  responses: {
    401: problems[401],
    200: json(
      z.object({ month: Month, currency: z.string(), items: z.array(BudgetCategoryView) }),
      "Categories",
    ),
    404: problems[404],
  },
});

const setLimit = createRoute({
  operationId: "setBudgetCategoryLimit",
  method: "put",
  path: "/v1/budgets/{month}/categories/{id}",
  tags,
  security,
  summary: "Set one category's limit for a month",
  request: {
    params: MonthParam.extend({ id: Id }),
    headers: IfMatchHeader,
    body: jsonBody(BudgetCategoryUpdate),
  },
  responses: {
    401: problems[401],
    200: json(Budget, "The month after the change"),
    400: problems[400],
    404: problems[404],
    412: problems[412],
    422: problems[422],
  },
});

export const budgetRoutes = (budgets: BudgetService) =>
  routes()
    .openapi(create, async (c) => {
      const budget = await budgets.create(c.get("principal"), c.req.valid("json"));
      c.header("etag", etagOf(budget.version));
      c.header("location", `/v1/budgets/${budget.month}`);
      return c.json(budget, 201);
    })
    .openapi(list, async (c) => {
      const { includeArchived, limit, cursor } = c.req.valid("query");
      return c.json(
        await budgets.list(c.get("principal"), { includeArchived, limit, ...(cursor ? { cursor } : {}) }),
        200,
      );
    })
    .openapi(get, async (c) => {
      const budget = await budgets.get(
        c.get("principal"),
        c.req.valid("param").month,
        c.req.valid("query").includeArchived,
      );
      c.header("etag", etagOf(budget.version));
      return c.json(budget, 200);
    })
    .openapi(update, async (c) => {
      const budget = await budgets.update(
        c.get("principal"),
        c.req.valid("param").month,
        c.req.valid("json"),
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      c.header("etag", etagOf(budget.version));
      return c.json(budget, 200);
    })
    .openapi(archive, async (c) => {
      await budgets.archive(
        c.get("principal"),
        c.req.valid("param").month,
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      return c.body(null, 204);
    })
    .openapi(categories, async (c) => {
      const budget = await budgets.get(c.get("principal"), c.req.valid("param").month);
      c.header("etag", etagOf(budget.version));
      return c.json({ month: budget.month, currency: budget.currency, items: budget.categories }, 200);
    })
    .openapi(setLimit, async (c) => {
      const { month, id } = c.req.valid("param");
      const budget = await budgets.setCategoryLimit(
        c.get("principal"),
        month,
        id,
        c.req.valid("json").limit,
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      c.header("etag", etagOf(budget.version));
      return c.json(budget, 200);
    });
