import { createRoute, z } from "@hono/zod-openapi";
import { Dashboard, Month } from "@tyche/types";
import type { DashboardService } from "../domain/dashboard";
import { routes } from "../http/routes";
import { json, problems } from "../http/schemas";

const get = createRoute({
  operationId: "getDashboard",
  method: "get",
  path: "/v1/dashboard",
  tags: ["analytics"],
  security: [{ bearer: [] }],
  summary: "Everything the spending dashboard shows, in one read",
  description:
    "The month's budget with category progress, its analytics, the open accounts with balances and " +
    "what the cards owe, and the 10 latest transactions up to the month's end.",
  request: { query: z.object({ month: Month }) },
  responses: { 401: problems[401], 200: json(Dashboard, "The dashboard"), 400: problems[400] },
});

export const dashboardRoutes = (dashboard: DashboardService) =>
  routes().openapi(get, async (c) =>
    c.json(await dashboard.get(c.get("principal"), c.req.valid("query").month), 200),
  );
