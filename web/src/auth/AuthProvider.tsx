import { useQueryClient } from "@tanstack/react-query";
import type { User } from "@tyche/types";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { api } from "../api/client";
import { loadSession, type StoredSession, saveSession } from "./session";

interface Auth {
  user: User | undefined;
  /** Set when the last session ended because its token expired (not by logging out). */
  expired: boolean;
  signIn(session: StoredSession): void;
  signOut(): void;
}

const AuthContext = createContext<Auth | undefined>(undefined);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const [session, setSession] = useState<StoredSession | undefined>(() => {
    const s = loadSession();
    api.setSession(s);
    return s;
  });
  const [expired, setExpired] = useState(false);

  const end = useCallback(
    (why: "logout" | "expired") => {
      saveSession(undefined);
      api.setSession(undefined);
      setSession(undefined);
      setExpired(why === "expired");
      queries.clear();
    },
    [queries],
  );

  useEffect(() => api.onExpired(() => end("expired")), [end]);
  // A token also runs out while the tab sits open.
  useEffect(() => {
    if (!session) return;
    const left = Date.parse(session.expiresAt) - Date.now();
    const timer = setTimeout(() => end("expired"), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [session, end]);

  const value = useMemo<Auth>(
    () => ({
      user: session?.user,
      expired,
      signIn(next) {
        saveSession(next);
        api.setSession(next);
        setSession(next);
        setExpired(false);
      },
      signOut: () => end("logout"),
    }),
    [session, expired, end],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth outside AuthProvider");
  return auth;
}
