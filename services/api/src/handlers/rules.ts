import { createRoute, z } from "@hono/zod-openapi";
import { Id, Rule, RuleCreate, RuleUpdate } from "@tyche/types";
import type { RuleService } from "../domain/rules";
import { etagOf, expectedVersion } from "../http/etag";
import { routes } from "../http/routes";
import { IfMatchHeader, json, jsonBody, problems } from "../http/schemas";

const security = [{ bearer: [] }];
const IdParam = z.object({ id: Id });

const list = createRoute({
  operationId: "listRules",
  method: "get",
  path: "/v1/rules",
  tags: ["rules"],
  security,
  summary: "Categorisation rules, in the order they are tried",
  responses: {
    401: problems[401],
    200: json(z.object({ items: z.array(Rule) }), "Rules"),
  },
});
const create = createRoute({
  operationId: "createRule",
  method: "post",
  path: "/v1/rules",
  tags: ["rules"],
  security,
  summary: "Create a rule (a transaction's suggestedRule can be posted as is)",
  request: { body: jsonBody(RuleCreate) },
  responses: {
    401: problems[401],
    201: json(Rule, "Created"),
    400: problems[400],
    422: problems[422],
  },
});
const get = createRoute({
  operationId: "getRule",
  method: "get",
  path: "/v1/rules/{id}",
  tags: ["rules"],
  security,
  summary: "One rule",
  request: { params: IdParam },
  responses: {
    401: problems[401],
    200: json(Rule, "The rule"),
    404: problems[404],
  },
});
const update = createRoute({
  operationId: "updateRule",
  method: "put",
  path: "/v1/rules/{id}",
  tags: ["rules"],
  security,
  summary: "Change a rule",
  request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(RuleUpdate) },
  responses: {
    401: problems[401],
    200: json(Rule, "Updated"),
    400: problems[400],
    404: problems[404],
    412: problems[412],
    422: problems[422],
  },
});
const remove = createRoute({
  operationId: "deleteRule",
  method: "delete",
  path: "/v1/rules/{id}",
  tags: ["rules"],
  security,
  summary: "Delete a rule",
  request: { params: IdParam, headers: IfMatchHeader },
  responses: {
    401: problems[401],
    204: { description: "Deleted" },
    404: problems[404],
    412: problems[412],
  },
});
export const ruleRoutes = (rules: RuleService) =>
  routes()
    .openapi(list, async (c) => c.json({ items: await rules.list(c.get("principal")) }, 200))
    .openapi(create, async (c) => {
      const rule = await rules.create(c.get("principal"), c.req.valid("json"));
      c.header("etag", etagOf(rule.version));
      return c.json(rule, 201);
    })
    .openapi(get, async (c) => {
      const rule = await rules.get(c.get("principal"), c.req.valid("param").id);
      c.header("etag", etagOf(rule.version));
      return c.json(rule, 200);
    })
    .openapi(update, async (c) => {
      const rule = await rules.update(
        c.get("principal"),
        c.req.valid("param").id,
        c.req.valid("json"),
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      c.header("etag", etagOf(rule.version));
      return c.json(rule, 200);
    })
    .openapi(remove, async (c) => {
      await rules.remove(
        c.get("principal"),
        c.req.valid("param").id,
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      return c.body(null, 204);
    });
