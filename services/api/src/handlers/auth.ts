import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { AuthResponse, LoginInput, SignupInput, User } from "@tyche/types";
import type { AppEnv } from "../context";
import type { UserRepository } from "../db/users";
import type { Accounts } from "../domain/accounts";
import { notFound } from "../http/problem";
import { json, jsonBody, problems } from "../http/schemas";

const signup = createRoute({
  method: "post",
  path: "/v1/auth/signup",
  tags: ["auth"],
  summary: "Create an account: a new tenant, its first user and default categories",
  request: { body: jsonBody(SignupInput) },
  responses: { 201: json(AuthResponse, "Signed up"), 400: problems[400], 409: problems[409] },
});

const login = createRoute({
  method: "post",
  path: "/v1/auth/login",
  tags: ["auth"],
  summary: "Exchange email and password for a token",
  request: { body: jsonBody(LoginInput) },
  responses: {
    200: json(AuthResponse, "Logged in"),
    400: problems[400],
    401: problems[401],
    429: { description: "Too many login attempts for this email; see Retry-After" },
  },
});

const me = createRoute({
  method: "get",
  path: "/v1/me",
  tags: ["auth"],
  summary: "The signed-in user",
  security: [{ bearer: [] }],
  responses: { 200: json(User, "The user"), 401: problems[401] },
});

/** Sign-up and login exist in local mode only; with Cognito the user pool owns credentials. */
export function registerAuth(app: OpenAPIHono<AppEnv>, accounts: Accounts | undefined) {
  if (accounts) {
    app.openapi(signup, async (c) => c.json(await accounts.signup(c.req.valid("json")), 201));
    app.openapi(login, async (c) => c.json(await accounts.login(c.req.valid("json")), 200));
  }
}

export function registerMe(app: OpenAPIHono<AppEnv>, users: UserRepository) {
  app.openapi(me, async (c) => {
    const user = await users.get(c.get("principal"));
    if (!user) throw notFound("User");
    return c.json(user, 200);
  });
}
