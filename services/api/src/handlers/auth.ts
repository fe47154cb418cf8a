import { createRoute } from "@hono/zod-openapi";
import { AuthResponse, LoginInput, SignupInput, User } from "@tyche/types";
import { getCookie, setCookie } from "hono/cookie";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECONDS } from "../auth/device-cookie";
import { requireSession } from "../auth/middleware";
import { refusals } from "../auth/refusal-pacer";
import type { Identity, Profiles } from "../domain/identity";
import type { SessionService } from "../domain/sessions";
import { notFound } from "../errors";
import { clientAddress } from "../http/client-address";
import { routes } from "../http/routes";
import { json, jsonBody, problems } from "../http/schemas";

const signup = createRoute({
  operationId: "signUp",
  method: "post",
  path: "/v1/auth/signup",
  tags: ["auth"],
  security: [],
  summary: "Create an account: a new tenant, its first user and default categories",
  request: { body: jsonBody(SignupInput) },
  responses: {
    201: json(AuthResponse, "Signed up"),
    400: problems[400],
    409: problems[409],
    503: {
      description:
        "Too many passwords being hashed at once; see Retry-After. Answered once it has passed (at most 1 s)",
    },
  },
});

const login = createRoute({
  operationId: "logIn",
  method: "post",
  path: "/v1/auth/login",
  tags: ["auth"],
  security: [],
  summary: "Exchange email and password for a token",
  request: { body: jsonBody(LoginInput) },
  responses: {
    200: json(AuthResponse, "Logged in"),
    400: problems[400],
    401: problems[401],
    429: {
      description:
        "Too many login attempts from this client for this account, at this account, or from this client; see Retry-After. Answered after 1 s, so that resending at once gains nothing",
    },
    503: {
      description:
        "Too many logins being checked at once; see Retry-After. Answered once it has passed (at most 1 s)",
    },
  },
});

const me = createRoute({
  operationId: "getMe",
  method: "get",
  path: "/v1/me",
  tags: ["auth"],
  summary: "The signed-in user",
  security: [{ bearer: [] }],
  responses: { 200: json(User, "The user"), 401: problems[401] },
});

const logout = createRoute({
  operationId: "logOut",
  method: "post",
  path: "/v1/auth/logout",
  tags: ["auth"],
  summary: "Log out: the session token sent is refused from now on, in every process",
  security: [{ bearer: [] }],
  middleware: requireSession,
  responses: { 204: { description: "Logged out" }, 401: problems[401], 403: problems[403] },
});

const logoutAll = createRoute({
  operationId: "logOutEverywhere",
  method: "post",
  path: "/v1/auth/logout-all",
  tags: ["auth"],
  summary:
    "Log out everywhere: every session token of yours issued until now is refused (personal access tokens keep working; revoke them apart)",
  security: [{ bearer: [] }],
  middleware: requireSession,
  responses: { 204: { description: "Logged out everywhere" }, 401: problems[401], 403: problems[403] },
});

/**
 * Sign-up and login exist in local mode only; with Cognito the user pool owns credentials. Their
 * refusals (throttled, busy) are held until their Retry-After has passed (auth/refusal-pacer.ts).
 */
export const authRoutes = (
  accounts: Identity | undefined,
  profiles: Profiles,
  sessions: SessionService,
  options: { trustProxy?: boolean } = {},
) => {
  const local = () => {
    if (!accounts) throw notFound("Sign-up and login here (the user pool has them)");
    return accounts;
  };
  return routes()
    .openapi(signup, async (c) => c.json(await refusals.pace(() => local().signup(c.req.valid("json"))), 201))
    .openapi(login, async (c) => {
      const { deviceCookie, ...session } = await refusals.pace(() =>
        local().login(c.req.valid("json"), {
          client: clientAddress(c, options.trustProxy),
          deviceCookie: getCookie(c, DEVICE_COOKIE),
        }),
      );
      setCookie(c, DEVICE_COOKIE, deviceCookie, {
        path: "/v1/auth",
        httpOnly: true,
        sameSite: "Strict",
        secure: new URL(c.req.url).protocol === "https:",
        maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
      });
      return c.json(session, 200);
    })
    .openapi(me, async (c) => c.json(await profiles.me(c.get("principal")), 200))
    .openapi(logout, async (c) => {
      await sessions.logout(c.get("principal"));
      return c.body(null, 204);
    })
    .openapi(logoutAll, async (c) => {
      await sessions.logoutAll(c.get("principal"));
      return c.body(null, 204);
    });
};
