import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { Id, Rule, RuleCreate, RuleUpdate } from "@tyche/types";
import { ulid } from "ulid";
import type { AppEnv } from "../context";
import type { CategoryRepository } from "../db/categories";
import type { Owner } from "../db/keys";
import type { RuleRepository } from "../db/rules";
import { assertVersion, etagOf, expectedVersion } from "../http/etag";
import { invalidField } from "../http/problem";
import { IfMatchHeader, json, jsonBody, problems } from "../http/schemas";

const security = [{ bearer: [] }];
const IdParam = z.object({ id: Id });

const list = createRoute({
  method: "get",
  path: "/v1/rules",
  tags: ["rules"],
  security,
  summary: "Categorisation rules, in the order they are tried",
  responses: { 200: json(z.object({ items: z.array(Rule) }), "Rules") },
});
const create = createRoute({
  method: "post",
  path: "/v1/rules",
  tags: ["rules"],
  security,
  summary: "Create a rule (a transaction's suggestedRule can be posted as is)",
  request: { body: jsonBody(RuleCreate) },
  responses: { 201: json(Rule, "Created"), 400: problems[400], 422: problems[422] },
});
const get = createRoute({
  method: "get",
  path: "/v1/rules/{id}",
  tags: ["rules"],
  security,
  summary: "One rule",
  request: { params: IdParam },
  responses: { 200: json(Rule, "The rule"), 404: problems[404] },
});
const update = createRoute({
  method: "put",
  path: "/v1/rules/{id}",
  tags: ["rules"],
  security,
  summary: "Change a rule",
  request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(RuleUpdate) },
  responses: {
    200: json(Rule, "Updated"),
    400: problems[400],
    404: problems[404],
    412: problems[412],
    422: problems[422],
  },
});
const remove = createRoute({
  method: "delete",
  path: "/v1/rules/{id}",
  tags: ["rules"],
  security,
  summary: "Delete a rule",
  request: { params: IdParam, headers: IfMatchHeader },
  responses: { 204: { description: "Deleted" }, 404: problems[404], 412: problems[412] },
});
export function registerRules(
  app: OpenAPIHono<AppEnv>,
  rules: RuleRepository,
  categories: CategoryRepository,
) {
  /** A rule may only file transactions into one of the user's active categories. */
  const checkTarget = async (owner: Owner, categoryId: string | undefined) => {
    if (!categoryId) return;
    const category = await categories.get(owner, categoryId);
    if (!category) throw invalidField("actions.categoryId", "is not one of your categories");
    if (category.archived) throw invalidField("actions.categoryId", "is archived");
  };

  app.openapi(list, async (c) => c.json({ items: await rules.list(c.get("principal")) }, 200));

  app.openapi(create, async (c) => {
    const owner = c.get("principal");
    const input = c.req.valid("json");
    await checkTarget(owner, input.actions.categoryId);
    const now = new Date().toISOString();
    const rule: Rule = {
      ruleId: ulid(),
      name: input.name ?? describeRule(input.conditions),
      priority: input.priority,
      enabled: input.enabled,
      conditions: input.conditions,
      actions: input.actions,
      version: 1,
      createdAt: now,
      updatedAt: now,
    };
    await rules.put(owner, rule);
    c.header("etag", etagOf(rule.version));
    return c.json(rule, 201);
  });

  app.openapi(get, async (c) => {
    const rule = await rules.require(c.get("principal"), c.req.valid("param").id);
    c.header("etag", etagOf(rule.version));
    return c.json(rule, 200);
  });

  app.openapi(update, async (c) => {
    const owner = c.get("principal");
    const before = await rules.require(owner, c.req.valid("param").id);
    assertVersion(before.version, expectedVersion(c.req.valid("header")["if-match"]));
    const patch = c.req.valid("json");
    await checkTarget(owner, patch.actions?.categoryId);
    const rule: Rule = {
      ...before,
      ...patch,
      version: before.version + 1,
      updatedAt: new Date().toISOString(),
    };
    await rules.put(owner, rule, before);
    c.header("etag", etagOf(rule.version));
    return c.json(rule, 200);
  });

  app.openapi(remove, async (c) => {
    await rules.remove(
      c.get("principal"),
      c.req.valid("param").id,
      expectedVersion(c.req.valid("header")["if-match"]),
    );
    return c.body(null, 204);
  });
}

function describeRule(conditions: Rule["conditions"]): string {
  if (conditions.merchant) return `Merchant ${conditions.merchant.op} "${conditions.merchant.value}"`;
  if (conditions.description)
    return `Description ${conditions.description.op} "${conditions.description.value}"`;
  return "Amount rule";
}
