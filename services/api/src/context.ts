import type { Principal } from "./auth/principal";

/** Hono's per-request variables: the caller, set by the auth middleware and nowhere else. */
export interface AppEnv {
  Variables: { principal: Principal };
}
