import type { Principal } from "./auth/principal";

/**
 * Hono's per-request variables: the caller, set by the auth middleware and nowhere else, and the
 * request's id, set by the request log (http/request-log.ts).
 */
export interface AppEnv {
  Variables: { principal: Principal; requestId: string };
}
