import { createRoute, z } from "@hono/zod-openapi";
import { DATABASE_RETRY_AFTER_SECONDS } from "../http/problem";
import { routes } from "../http/routes";
import { json } from "../http/schemas";

const Ready = z.object({ status: z.literal("ok") });
const NotReady = z.union([
  z.object({ status: z.literal("starting") }),
  z.object({ status: z.literal("unavailable"), database: z.literal("unreachable") }),
]);

const route = createRoute({
  operationId: "getHealth",
  method: "get",
  path: "/v1/health",
  tags: ["health"],
  security: [],
  summary: "Readiness: the tables exist and DynamoDB answers",
  description:
    "200 once the tables exist and a probe read of DynamoDB answers within 2 s (the probe's answer is reused for 2 s). " +
    "503 `starting` before the tables are ready; 503 `unavailable` with `database: unreachable` while DynamoDB cannot be reached, with Retry-After.",
  responses: {
    200: json(Ready, "Ready"),
    503: json(NotReady, "Still starting, or the database cannot be reached"),
  },
});

export interface Readiness {
  /** False until the tables exist. */
  isReady: () => boolean;
  /** Whether the database answers now; without one, ready means reachable. */
  reachable?: () => Promise<boolean>;
}

export const healthRoutes = ({ isReady, reachable }: Readiness) =>
  routes().openapi(route, async (c) => {
    if (!isReady()) return c.json({ status: "starting" as const }, 503);
    if (reachable && !(await reachable())) {
      c.header("retry-after", String(DATABASE_RETRY_AFTER_SECONDS));
      c.header("cache-control", "no-store");
      return c.json({ status: "unavailable" as const, database: "unreachable" as const }, 503);
    }
    return c.json({ status: "ok" as const }, 200);
  });
