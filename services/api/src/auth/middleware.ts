import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { ProblemError } from "../http/problem";
import { InvalidTokenError } from "./local-tokens";
import type { Authenticator, Principal } from "./principal";

const unauthorized = (detail: string) =>
  new ProblemError(401, "unauthorized", "Unauthorized", detail, undefined, { "www-authenticate": "Bearer" });

/** Requires a verified bearer token; the principal it yields is the only source of tenant and user. */
export function requireAuth(authenticator: Authenticator, onFirstSight?: (p: Principal) => Promise<void>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const header = c.req.header("authorization");
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
    c.set("principal", principal);
    await next();
  });
}
