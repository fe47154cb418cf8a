import { createRoute, z } from "@hono/zod-openapi";
import { CreatedPersonalAccessToken, Id, PersonalAccessToken, TokenCreate } from "@tyche/types";
import { requireSession } from "../auth/middleware";
import type { TokenService } from "../domain/tokens";
import { routes } from "../http/routes";
import { json, jsonBody, problems } from "../http/schemas";

const security = [{ bearer: [] }];
/** Token management needs a session token: a personal access token gets 403 `session-required`. */
const middleware = requireSession;

const list = createRoute({
  operationId: "listTokens",
  method: "get",
  path: "/v1/tokens",
  tags: ["tokens"],
  security,
  middleware,
  summary: "Your personal access tokens, newest first (never their secrets)",
  responses: {
    401: problems[401],
    403: problems[403],
    200: json(z.object({ items: z.array(PersonalAccessToken) }), "Tokens"),
  },
});
const create = createRoute({
  operationId: "createToken",
  method: "post",
  path: "/v1/tokens",
  tags: ["tokens"],
  security,
  middleware,
  summary: "Create a personal access token for an MCP client or a script; its secret is shown only here",
  request: { body: jsonBody(TokenCreate) },
  responses: {
    401: problems[401],
    403: problems[403],
    201: json(CreatedPersonalAccessToken, "Created: copy `token` now, it is not shown again"),
    400: problems[400],
  },
});
const revoke = createRoute({
  operationId: "revokeToken",
  method: "delete",
  path: "/v1/tokens/{id}",
  tags: ["tokens"],
  security,
  middleware,
  summary: "Revoke a personal access token: it stops working at once",
  request: { params: z.object({ id: Id }) },
  responses: {
    401: problems[401],
    403: problems[403],
    204: { description: "Revoked (also when it already was)" },
    404: problems[404],
  },
});

export const tokenRoutes = (tokens: TokenService) =>
  routes()
    .openapi(list, async (c) => c.json({ items: await tokens.list(c.get("principal")) }, 200))
    .openapi(create, async (c) => {
      const created = await tokens.create(c.get("principal"), c.req.valid("json"));
      // The secret is in this body: no cache may keep it.
      c.header("cache-control", "no-store");
      return c.json(created, 201);
    })
    .openapi(revoke, async (c) => {
      await tokens.revoke(c.get("principal"), c.req.valid("param").id);
      return c.body(null, 204);
    });
