import { createRoute, z } from "@hono/zod-openapi";
import {
  Contribution,
  ContributionCreate,
  ContributionResult,
  Goal,
  GoalCreate,
  GoalListQuery,
  GoalUpdate,
  Id,
} from "@tyche/types";
import { requestHash } from "../db/idempotency";
import type { GoalService } from "../domain/goals";
import { etagOf, expectedVersion } from "../http/etag";
import { routes } from "../http/routes";
import { IfMatchHeader, json, jsonBody, PageQuery, problems } from "../http/schemas";
import { IdempotencyKeyHeader } from "./transactions";

const tags = ["goals"];
const security = [{ bearer: [] }];
const IdParam = z.object({ id: Id });

const list = createRoute({
  operationId: "listGoals",
  method: "get",
  path: "/v1/goals",
  tags,
  security,
  summary: "Your savings goals: by priority then target date, or one status by target date",
  description:
    "Without `status`: every goal, by priority (1 first), then target date, read from the table. " +
    "With `status`: that status's goals by target date, read from GSI1 (`GOAL#<status>#<targetDate>#<goalId>`). " +
    "The index is eventually consistent: a goal created or whose status changed a moment ago may be missing " +
    "from it, or still listed under its old status, for a short while.",
  request: { query: GoalListQuery.extend(PageQuery) },
  responses: {
    401: problems[401],
    200: json(z.object({ items: z.array(Goal), nextCursor: z.string().optional() }), "A page of goals"),
    400: problems[400],
  },
});

const create = createRoute({
  operationId: "createGoal",
  method: "post",
  path: "/v1/goals",
  tags,
  security,
  summary: "Add a savings goal",
  request: { body: jsonBody(GoalCreate) },
  responses: { 401: problems[401], 201: json(Goal, "Created"), 400: problems[400], 422: problems[422] },
});

const get = createRoute({
  operationId: "getGoal",
  method: "get",
  path: "/v1/goals/{id}",
  tags,
  security,
  summary: "One goal, with what to save monthly, its projection and whether it is on track",
  request: { params: IdParam },
  responses: { 401: problems[401], 200: json(Goal, "The goal"), 404: problems[404] },
});

const update = createRoute({
  operationId: "updateGoal",
  method: "put",
  path: "/v1/goals/{id}",
  tags,
  security,
  summary: "Change a goal: name, target, date, priority, status, linked category, milestones",
  description:
    "currentAmount is not set here: it moves only by contributions. A status change moves the goal in GSI1 " +
    "in the same write. A new target amount remeasures the milestones.",
  request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(GoalUpdate) },
  responses: {
    401: problems[401],
    200: json(Goal, "Updated"),
    400: problems[400],
    404: problems[404],
    412: problems[412],
    422: problems[422],
  },
});

const remove = createRoute({
  operationId: "deleteGoal",
  method: "delete",
  path: "/v1/goals/{id}",
  tags,
  security,
  summary: "Delete a goal and its contributions",
  description:
    "To keep a goal's history, cancel it instead (PUT status cancelled). A DELETE answered with an error " +
    "after the goal was gone (a server stopped midway through a large goal) is finished by sending it again.",
  request: { params: IdParam, headers: IfMatchHeader },
  responses: { 401: problems[401], 204: { description: "Deleted" }, 404: problems[404], 412: problems[412] },
});

const contribute = createRoute({
  operationId: "contributeToGoal",
  method: "post",
  path: "/v1/goals/{id}/contributions",
  tags,
  security,
  summary: "Put money into a goal (positive cents) or take it out (negative), on a date",
  description:
    "The goal's currentAmount, its month's pace, its milestones, its completion when the target is reached, " +
    "the contribution and the audit record are one DynamoDB transaction. Contributions sent at once all land.",
  request: { params: IdParam, headers: IdempotencyKeyHeader, body: jsonBody(ContributionCreate) },
  responses: {
    401: problems[401],
    201: json(ContributionResult, "Recorded"),
    400: problems[400],
    404: problems[404],
    422: problems[422],
  },
});

const contributions = createRoute({
  operationId: "listGoalContributions",
  method: "get",
  path: "/v1/goals/{id}/contributions",
  tags,
  security,
  summary: "The goal's contributions, newest first",
  request: { params: IdParam, query: z.object(PageQuery) },
  responses: {
    401: problems[401],
    200: json(
      z.object({ items: z.array(Contribution), nextCursor: z.string().optional() }),
      "A page of contributions",
    ),
    400: problems[400],
    404: problems[404],
  },
});

export const goalRoutes = (goals: GoalService) =>
  routes()
    .openapi(list, async (c) => c.json(await goals.list(c.get("principal"), c.req.valid("query")), 200))
    .openapi(create, async (c) => {
      const goal = await goals.create(c.get("principal"), c.req.valid("json"));
      c.header("etag", etagOf(goal.version));
      c.header("location", `/v1/goals/${goal.goalId}`);
      return c.json(goal, 201);
    })
    .openapi(get, async (c) => {
      const goal = await goals.get(c.get("principal"), c.req.valid("param").id);
      c.header("etag", etagOf(goal.version));
      return c.json(goal, 200);
    })
    .openapi(update, async (c) => {
      const goal = await goals.update(
        c.get("principal"),
        c.req.valid("param").id,
        c.req.valid("json"),
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      c.header("etag", etagOf(goal.version));
      return c.json(goal, 200);
    })
    .openapi(remove, async (c) => {
      await goals.remove(
        c.get("principal"),
        c.req.valid("param").id,
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      return c.body(null, 204);
    })
    .openapi(contribute, async (c) => {
      const goalId = c.req.valid("param").id;
      const body = c.req.valid("json");
      const key = c.req.valid("header")["idempotency-key"];
      const answer = await goals.contribute(
        c.get("principal"),
        goalId,
        body,
        key ? { key, hash: requestHash({ goal: goalId, ...body }) } : undefined,
      );
      c.header("etag", etagOf(answer.body.goal.version));
      return c.json(answer.body, 201);
    })
    .openapi(contributions, async (c) =>
      c.json(
        await goals.contributions(c.get("principal"), c.req.valid("param").id, c.req.valid("query")),
        200,
      ),
    );
