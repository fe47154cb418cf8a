import { type AuthResponse, User } from "@tyche/types";
import { z } from "zod";

/** A local account's session: the API's answer to sign-up or login. */
export type StoredSession = z.infer<typeof AuthResponse>;

/** A user pool's session: the ID token the API is called with, and what renews it. */
export const CognitoStoredSession = z.object({
  kind: z.literal("cognito"),
  /** The ID token (named as the local session's token, which it stands in for). */
  token: z.string(),
  /** When the ID token expires, by this browser's clock (ExpiresIn after it was received). */
  expiresAt: z.iso.datetime(),
  /** When to renew it: a minute before it expires, or half its life when that is shorter. */
  refreshAt: z.iso.datetime(),
  refreshToken: z.string(),
  user: User,
});
export type CognitoStoredSession = z.infer<typeof CognitoStoredSession>;

/**
 * Where sessions are kept: localStorage, so that a reload or a new tab stays signed in. The
 * trade-off is XSS: any script running in this origin can read it, the Cognito refresh token
 * (30 days) included. The alternatives cost more than they give here: an httpOnly cookie needs a
 * server of our own to hold the tokens, and the app on AWS is static files with the API behind a
 * JWT authorizer that reads the Authorization header; memory only would sign people out on every
 * reload. So the defence is not running anyone else's script: no third-party scripts, React's
 * escaping, nothing rendered as HTML from data. Logging out removes the tokens here and revokes
 * the refresh token at the pool.
 */
const KEY = "tyche.session";

/** The session kept across reloads, of the kind this deployment signs in with, or none. */
export function loadSession(mode: "local", now?: number): StoredSession | undefined;
export function loadSession(mode: "cognito", now?: number): CognitoStoredSession | undefined;
export function loadSession(
  mode: "local" | "cognito",
  now = Date.now(),
): StoredSession | CognitoStoredSession | undefined {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return undefined;
    const parsed: unknown = JSON.parse(raw);
    if (mode === "cognito") {
      // An expired ID token is fine: the refresh token renews it, or the pool says the session is over.
      const checked = CognitoStoredSession.safeParse(parsed);
      return checked.success ? checked.data : undefined;
    }
    // A session kept by the other kind of sign-in (the deployment changed) is as good as none.
    if (parsed && typeof parsed === "object" && "kind" in parsed) return undefined;
    const session = parsed as StoredSession;
    return Date.parse(session.expiresAt) > now ? session : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: StoredSession | CognitoStoredSession | undefined): void {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
}
