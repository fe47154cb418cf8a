import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../context";
import { json } from "../http/schemas";

const Health = z.object({ status: z.enum(["ok", "starting"]) });

const route = createRoute({
  method: "get",
  path: "/v1/health",
  tags: ["health"],
  summary: "Ready once the tables exist",
  responses: { 200: json(Health, "Ready"), 503: json(Health, "Still starting") },
});

export function registerHealth(app: OpenAPIHono<AppEnv>, isReady: () => boolean) {
  app.openapi(route, (c) =>
    isReady() ? c.json({ status: "ok" as const }, 200) : c.json({ status: "starting" as const }, 503),
  );
}
