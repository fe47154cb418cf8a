import type { TokenScope } from "@tyche/types";

/** Who is calling, from a verified token and nothing else. */
export interface Principal {
  tenantId: string;
  userId: string;
  email: string;
  name?: string;
  /**
   * What the token allows: `write` for session tokens (local JWTs, Cognito ID tokens) and write
   * personal access tokens; `read` (GET and HEAD only) for read personal access tokens. Enforced
   * for every /v1 route by `checkScope` (in requireAuth); code that offers actions (the AI tools) asks `canWrite`.
   */
  scope: TokenScope;
  /** How the caller signed in: a session (login, Cognito) or a personal access token. */
  via: "session" | "personal-access-token";
  /** The personal access token's id, when `via` is one. */
  tokenId?: string;
  /** A session token's id and times (epoch seconds), which logout revokes (auth/session-revocation.ts). */
  session?: SessionToken;
}

export interface SessionToken {
  jti: string;
  issuedAt: number;
  expiresAt: number;
}

/** Who a session token names: a principal before its scope and credential are added. */
export type SessionClaims = Pick<Principal, "tenantId" | "userId" | "email" | "name">;

/** Session tokens can do everything the user can. */
export const sessionPrincipal = (who: SessionClaims): Principal => ({
  ...who,
  scope: "write",
  via: "session",
});

/** Whether the caller may change data (and be offered tools that do). */
export const canWrite = (p: Pick<Principal, "scope">): boolean => p.scope === "write";

/** Turns a bearer token into a principal, or throws. One per AUTH_MODE. */
export interface Authenticator {
  readonly mode: "local" | "cognito";
  verify(token: string): Promise<Principal>;
}
