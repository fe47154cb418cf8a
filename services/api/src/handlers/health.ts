import { createRoute, z } from "@hono/zod-openapi";
import { routes } from "../http/routes";
import { json } from "../http/schemas";

const Health = z.object({ status: z.enum(["ok", "starting"]) });

const route = createRoute({
  operationId: "getHealth",
  method: "get",
  path: "/v1/health",
  tags: ["health"],
  security: [],
  summary: "Ready once the tables exist",
  responses: { 200: json(Health, "Ready"), 503: json(Health, "Still starting") },
});

export const healthRoutes = (isReady: () => boolean) =>
  routes().openapi(route, (c) =>
    isReady() ? c.json({ status: "ok" as const }, 200) : c.json({ status: "starting" as const }, 503),
  );
