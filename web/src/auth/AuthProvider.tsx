import { useQueryClient } from "@tanstack/react-query";
import type { CognitoWebConfig, User, WebConfig } from "@tyche/types";
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useState,
} from "react";
import { api } from "../api/client";
import { CognitoClient } from "./cognito-client";
import { CognitoSession, type CognitoTokenState, tokenState } from "./cognito-session";
import { loadSession, type StoredSession, saveSession } from "./session";

/** What the sign-in forms need of a user pool: its operations, and a sign-in that makes the session. */
export interface CognitoAuth {
  client: CognitoClient;
  /** The pool's minimum password length, when config.json says it. */
  passwordMinLength: number | undefined;
  /** Signs in with the pool, then asks the API who that is (which also provisions a first-seen user). */
  logIn(email: string, password: string): Promise<void>;
}

interface Auth {
  user: User | undefined;
  /** Set when the last session ended because its token expired (not by logging out). */
  expired: boolean;
  /** Local accounts: the API's answer to sign-up or login becomes the session. */
  signIn(session: StoredSession): void;
  /** Set with a user pool (config.json's `auth: "cognito"`). */
  cognito: CognitoAuth | undefined;
  signOut(): void;
  /** Logs out every session of this user (other browsers and devices too), then this one. */
  signOutEverywhere(): Promise<void>;
}

const AuthContext = createContext<Auth | undefined>(undefined);

type Current =
  | { kind: "local"; session: StoredSession }
  | { kind: "cognito"; session: CognitoSession; user: User }
  | undefined;

/** A Cognito session kept in localStorage with its user, every time its tokens are renewed. */
function keptCognitoSession(pool: CognitoClient, state: CognitoTokenState, user: User): CognitoSession {
  return new CognitoSession(state, {
    client: pool,
    save: (next) => saveSession({ kind: "cognito", ...next, user }),
    // The pool refused the refresh token: everyone listening ends the session (AuthProvider below).
    onEnded: () => api.expire(),
  });
}

function restore(pool: CognitoClient | undefined): Current {
  if (!pool) {
    const session = loadSession("local");
    return session ? { kind: "local", session } : undefined;
  }
  const stored = loadSession("cognito");
  if (!stored) return undefined;
  const { user, token, expiresAt, refreshAt, refreshToken } = stored;
  return {
    kind: "cognito",
    session: keptCognitoSession(pool, { token, expiresAt, refreshAt, refreshToken }, user),
    user,
  };
}

/**
 * The signed-in person, by the sign-in config.json names: local accounts (the API's own sign-up
 * and login) or a Cognito user pool. Either way the API client gets the session's token, and a
 * session that ends (expired, its refresh refused) sends the person to log in with what they were
 * typing kept in its drafts.
 */
export function AuthProvider({ config, children }: { config: WebConfig; children: ReactNode }) {
  const queries = useQueryClient();
  const pool = useMemo(() => (config.auth === "cognito" ? poolOf(config) : undefined), [config]);
  const [current, setCurrent] = useState<Current>(() => restore(pool));
  // The API client follows the session. A layout effect: it runs before any page's effects ask
  // the API for anything, and only for the state React keeps (StrictMode runs initializers twice).
  useLayoutEffect(() => api.setSession(current?.session), [current]);
  const [expired, setExpired] = useState(false);

  const end = useCallback(
    (why: "logout" | "expired") => {
      // Logging out also ends the session at the pool; if that fails, the tokens still leave here.
      if (why === "logout" && current?.kind === "cognito" && pool)
        void pool.revoke(current.session.refreshToken).catch(() => undefined);
      // The API refuses this token from now on, in case it was copied; the tab forgets it either way.
      if (why === "logout" && current)
        void api.request("POST", "/v1/auth/logout", { token: current.session.token }).catch(() => undefined);
      saveSession(undefined);
      api.setSession(undefined);
      setCurrent(undefined);
      setExpired(why === "expired");
      queries.clear();
    },
    [queries, pool, current],
  );

  useEffect(() => api.onExpired(() => end("expired")), [end]);
  useEffect(() => {
    if (current?.kind === "cognito") {
      // A Cognito session renews itself while the tab is open.
      current.session.start();
      return () => current.session.stop();
    }
    // A local token runs out while the tab sits open.
    if (!current) return;
    const left = Date.parse(current.session.expiresAt) - Date.now();
    const timer = setTimeout(() => end("expired"), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [current, end]);

  const cognito = useMemo<CognitoAuth | undefined>(() => {
    if (!pool || config.auth !== "cognito") return undefined;
    return {
      client: pool,
      passwordMinLength: config.passwordMinLength,
      async logIn(email, password) {
        const tokens = await pool.signIn(email, password);
        const state = tokenState(tokens, tokens.refreshToken);
        // The API's word on who this is, before it is the session: a token it refuses is no sign-in.
        const { data: user } = await api.request<User>("GET", "/v1/me", { token: state.token });
        const session = keptCognitoSession(pool, state, user);
        saveSession({ kind: "cognito", ...state, user });
        api.setSession(session);
        setCurrent({ kind: "cognito", session, user });
        setExpired(false);
      },
    };
  }, [pool, config]);

  const value = useMemo<Auth>(
    () => ({
      user: current?.kind === "cognito" ? current.user : current?.session.user,
      expired,
      cognito,
      signIn(next) {
        saveSession(next);
        api.setSession(next);
        setCurrent({ kind: "local", session: next });
        setExpired(false);
      },
      signOut: () => end("logout"),
      async signOutEverywhere() {
        await api.request("POST", "/v1/auth/logout-all");
        end("logout");
      },
    }),
    [current, expired, cognito, end],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

const poolOf = (config: CognitoWebConfig) =>
  new CognitoClient({ region: config.region, clientId: config.clientId, endpoint: config.endpoint });

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside AuthProvider");
  return auth;
}
