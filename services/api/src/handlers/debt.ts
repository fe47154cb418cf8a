import { createRoute, z } from "@hono/zod-openapi";
import {
  Cents,
  DebtComparison,
  DebtGoal,
  DebtGoalInput,
  DebtPlan,
  DebtProgress,
  DebtQuery,
  DebtWhatIf,
  FinancialSnapshot,
  Month,
  PayoffStrategyName,
} from "@tyche/types";
import type { DebtGoalService } from "../debt/debt-goal";
import type { DebtService } from "../debt/debt-service";
import { defaultProgressRange, type SnapshotService } from "../debt/snapshots";
import { invalidField } from "../errors";
import { etagOf, expectedVersion } from "../http/etag";
import { routes } from "../http/routes";
import { IfMatchHeader, json, jsonBody, problems } from "../http/schemas";

const tags = ["debt"];
const security = [{ bearer: [] }];

const PlanQuery = z.object({ strategy: PayoffStrategyName.default("avalanche"), ...DebtQuery });

const plan = createRoute({
  operationId: "getDebtPlan",
  method: "get",
  path: "/v1/debt/plan",
  tags,
  security,
  summary:
    "A payoff plan from the real budget: the month's availableForDebtPayoff and the live card balances",
  description:
    "Month by month, exact to the cent (docs/PAYOFF.md). When the money for debt is below the cards' minimums, " +
    "`shortfall` says by how much and which over-budget categories, cut back to their limits, would close the gap.",
  request: { query: PlanQuery },
  responses: { 401: problems[401], 200: json(DebtPlan, "The plan"), 400: problems[400], 422: problems[422] },
});

const compare = createRoute({
  operationId: "compareDebtStrategies",
  method: "get",
  path: "/v1/debt/compare",
  tags,
  security,
  summary: "Every strategy side by side against the minimum-only baseline",
  request: { query: z.object(DebtQuery) },
  responses: {
    401: problems[401],
    200: json(DebtComparison, "The strategies"),
    400: problems[400],
    422: problems[422],
  },
});

const WhatIfQuery = PlanQuery.extend({
  extra: z.coerce.number().pipe(Cents).default(0).describe("Extra cents every month"),
  snowflake: z.coerce.number().pipe(Cents).optional().describe("A one-off extra payment, in cents"),
  snowflakeMonth: Month.optional().describe("The month of the one-off payment; defaults to the plan's first"),
});

const whatIf = createRoute({
  operationId: "debtWhatIf",
  method: "get",
  path: "/v1/debt/what-if",
  tags,
  security,
  summary: "What an extra amount a month, or once, changes: months and interest",
  request: { query: WhatIfQuery },
  responses: {
    401: problems[401],
    200: json(DebtWhatIf, "Both plans"),
    400: problems[400],
    422: problems[422],
  },
});

const progress = createRoute({
  operationId: "getDebtProgress",
  method: "get",
  path: "/v1/debt/progress",
  tags,
  security,
  summary: "Debt month by month: what was owed, utilisation, interest paid, paid to debt",
  description:
    "A closed month's snapshot is kept in tyche-financial-snapshots the first time it is read after the month closed; " +
    "the month in progress is computed as it stands. Defaults to the twelve months up to this one.",
  request: { query: z.object({ from: Month.optional(), to: Month.optional() }) },
  responses: { 401: problems[401], 200: json(DebtProgress, "The months"), 400: problems[400] },
});

const snapshot = createRoute({
  operationId: "takeDebtSnapshot",
  method: "post",
  path: "/v1/debt/snapshots",
  tags,
  security,
  summary: "Take a month's snapshot now (this month by default), replacing the one kept",
  request: { body: jsonBody(z.strictObject({ month: Month.optional() })) },
  responses: {
    401: problems[401],
    201: json(FinancialSnapshot, "The snapshot"),
    400: problems[400],
    422: problems[422],
  },
});

const getGoal = createRoute({
  operationId: "getDebtGoal",
  method: "get",
  path: "/v1/debt/goal",
  tags,
  security,
  summary: "The debt-free goal: does this month's plan meet the target, and what monthly amount would",
  responses: { 401: problems[401], 200: json(DebtGoal, "The goal"), 404: problems[404] },
});

const putGoal = createRoute({
  operationId: "setDebtGoal",
  method: "put",
  path: "/v1/debt/goal",
  tags,
  security,
  summary: "Set the month by which to be debt-free",
  request: { headers: IfMatchHeader, body: jsonBody(DebtGoalInput) },
  responses: {
    401: problems[401],
    200: json(DebtGoal, "The goal"),
    400: problems[400],
    412: problems[412],
  },
});

const deleteGoal = createRoute({
  operationId: "deleteDebtGoal",
  method: "delete",
  path: "/v1/debt/goal",
  tags,
  security,
  summary: "Drop the debt-free goal",
  responses: { 401: problems[401], 204: { description: "Deleted" }, 404: problems[404] },
});

export const debtRoutes = (
  debt: DebtService,
  snapshots: SnapshotService,
  goals: DebtGoalService,
  today: () => Date = () => new Date(),
) => {
  const month = (m: string | undefined) => m ?? today().toISOString().slice(0, 7);
  return routes()
    .openapi(plan, async (c) => {
      const q = c.req.valid("query");
      return c.json(await debt.plan(c.get("principal"), { ...q, month: month(q.month) }), 200);
    })
    .openapi(compare, async (c) => {
      const q = c.req.valid("query");
      return c.json(await debt.compare(c.get("principal"), { ...q, month: month(q.month) }), 200);
    })
    .openapi(whatIf, async (c) => {
      const { snowflake, snowflakeMonth, ...q } = c.req.valid("query");
      const start = month(q.month);
      if (snowflakeMonth && snowflake === undefined)
        throw invalidField("snowflake", "is required with snowflakeMonth", "malformed");
      if (snowflakeMonth && snowflakeMonth < start)
        throw invalidField("snowflakeMonth", "must not be before the plan's first month", "malformed");
      return c.json(
        await debt.whatIf(c.get("principal"), {
          ...q,
          month: start,
          ...(snowflake !== undefined && snowflake > 0
            ? { snowflake: { month: snowflakeMonth ?? start, amount: snowflake } }
            : {}),
        }),
        200,
      );
    })
    .openapi(progress, async (c) => {
      const q = c.req.valid("query");
      const range = defaultProgressRange(today());
      return c.json(
        await snapshots.progress(c.get("principal"), q.from ?? range.from, q.to ?? range.to),
        200,
      );
    })
    .openapi(snapshot, async (c) => {
      const body = c.req.valid("json");
      return c.json(await snapshots.take(c.get("principal"), month(body.month)), 201);
    })
    .openapi(getGoal, async (c) => {
      const goal = await goals.get(c.get("principal"));
      c.header("etag", etagOf(goal.version));
      return c.json(goal, 200);
    })
    .openapi(putGoal, async (c) => {
      const goal = await goals.set(
        c.get("principal"),
        c.req.valid("json"),
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      c.header("etag", etagOf(goal.version));
      return c.json(goal, 200);
    })
    .openapi(deleteGoal, async (c) => {
      await goals.remove(c.get("principal"));
      return c.body(null, 204);
    });
};
