import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { ProblemError } from "../http/problem";
import { InvalidTokenError } from "./local-tokens";
import type { Authenticator, Principal } from "./principal";

const unauthorized = (detail: string) =>
  new ProblemError(401, "unauthorized", "Unauthorized", detail, undefined, { "www-authenticate": "Bearer" });

/**
 * Requires a verified bearer token; the principal it yields is the only source of tenant and user.
 * The principal is then held to its scope (checkScope), in the same step, so no route can forget it.
 */
export function requireAuth(authenticator: Authenticator, onFirstSight?: (p: Principal) => Promise<void>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = await authenticate(authenticator, c.req.header("authorization"), onFirstSight);
    checkScope(principal, c.req.method, c.req.path);
    c.set("principal", principal);
    await next();
  });
}

async function authenticate(
  authenticator: Authenticator,
  header: string | undefined,
  onFirstSight?: (p: Principal) => Promise<void>,
): Promise<Principal> {
  const match = header && /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) throw unauthorized("Send a bearer token in the Authorization header");
  let principal: Principal;
  try {
    principal = await authenticator.verify(match[1]);
  } catch (err) {
    if (err instanceof InvalidTokenError) throw unauthorized(`The ${err.message}; log in again`);
    throw err;
  }
  await onFirstSight?.(principal);
  return principal;
}

/** What a `read` principal may send: requests that change nothing. */
export const READ_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD"]);

/**
 * POSTs a `read` principal may send all the same, because there its scope is held per tool: a read
 * principal is neither offered nor allowed a write tool (toolsFor, runTool). Asking the advisor
 * keeps only the caller's own conversation; every MCP message is a POST, a read as much as a write.
 */
export const READ_SAFE_POSTS: ReadonlySet<string> = new Set(["POST /v1/ai/chat", "POST /mcp"]);

/**
 * The one place scopes are enforced for the API (requireAuth calls it for every /v1 route): a
 * `read` principal (a read personal access token) gets 403 `insufficient-scope` on anything but GET
 * and HEAD, before any handler runs. A `write` principal, every session token among them, passes on
 * the first comparison.
 */
export function checkScope(principal: Pick<Principal, "scope">, method: string, path: string): void {
  if (principal.scope === "write" || READ_METHODS.has(method) || READ_SAFE_POSTS.has(`${method} ${path}`))
    return;
  throw new ProblemError(
    403,
    "insufficient-scope",
    "Forbidden",
    `This token's scope is ${principal.scope}; ${method} ${path} needs a token with scope write`,
    undefined,
    { "www-authenticate": 'Bearer error="insufficient_scope", scope="write"' },
  );
}

/**
 * For routes that manage credentials (personal access tokens): a session token only (login or
 * Cognito), never a personal access token, whatever its scope. A leaked token cannot make itself a
 * successor that outlives its revocation or expiry, nor revoke the owner's other tokens.
 */
export const requireSession = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("principal").via !== "session") {
    throw new ProblemError(
      403,
      "session-required",
      "Forbidden",
      "Personal access tokens are created, listed and revoked with a session token: sign in to Tyche and use that",
    );
  }
  await next();
});
