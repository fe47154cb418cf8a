import { createRoute, z } from "@hono/zod-openapi";
import { AnalyticsRange, AnalyticsTrendMonth, MonthAnalytics } from "@tyche/types";
import type { AnalyticsService } from "../analytics/analytics-service";
import { routes } from "../http/routes";
import { json, MonthParam, problems } from "../http/schemas";

const tags = ["analytics"];
const security = [{ bearer: [] }];

const get = createRoute({
  operationId: "getMonthAnalytics",
  method: "get",
  path: "/v1/budgets/{month}/analytics",
  tags,
  security,
  summary: "A month's spending analytics",
  description:
    "The stored analytics, kept fresh after every change in the background; computed now when none " +
    "are stored or they are older than the month's data. A month without a plan has `hasBudget: false`.",
  request: { params: MonthParam },
  responses: { 401: problems[401], 200: json(MonthAnalytics, "The month's analytics"), 400: problems[400] },
});

const generate = createRoute({
  operationId: "generateMonthAnalytics",
  method: "post",
  path: "/v1/budgets/{month}/analytics/generate",
  tags,
  security,
  summary: "Compute a month's analytics now",
  request: { params: MonthParam },
  responses: {
    401: problems[401],
    200: json(MonthAnalytics, "The analytics, just computed"),
    400: problems[400],
  },
});

const trend = createRoute({
  operationId: "listAnalytics",
  method: "get",
  path: "/v1/analytics",
  tags,
  security,
  summary: "Months of analytics for trend charts",
  description:
    "Income, spending, savings rate and spending per category of each month from `from` to `to` (at " +
    "most 36) that has a plan or transactions, oldest first.",
  request: { query: AnalyticsRange },
  responses: {
    401: problems[401],
    200: json(z.object({ items: z.array(AnalyticsTrendMonth) }), "The months"),
    400: problems[400],
  },
});

export const analyticsRoutes = (analytics: AnalyticsService) =>
  routes()
    .openapi(get, async (c) =>
      c.json(await analytics.get(c.get("principal"), c.req.valid("param").month), 200),
    )
    .openapi(generate, async (c) =>
      c.json(await analytics.generate(c.get("principal"), c.req.valid("param").month), 200),
    )
    .openapi(trend, async (c) => {
      const { from, to } = c.req.valid("query");
      return c.json({ items: await analytics.trend(c.get("principal"), from, to) }, 200);
    });
