import type { AuthResponse } from "@tyche/types";
import type { z } from "zod";

export type StoredSession = z.infer<typeof AuthResponse>;

const KEY = "tyche.session";

/** The session kept across reloads; an expired one is as good as none. */
export function loadSession(now = Date.now()): StoredSession | undefined {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return undefined;
    const session = JSON.parse(raw) as StoredSession;
    return Date.parse(session.expiresAt) > now ? session : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: StoredSession | undefined): void {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
}
