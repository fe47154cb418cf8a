import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiClient, ApiError, SessionEndedError } from "../src/api/client";
import { CognitoError, type CognitoTokens } from "../src/auth/cognito-client";
import { CognitoSession, type CognitoTokenState, tokenState } from "../src/auth/cognito-session";

const T0 = Date.parse("2026-03-01T12:00:00Z");
const tokens = (id: string, expiresIn = 3600): CognitoTokens => ({
  idToken: id,
  accessToken: `access-${id}`,
  refreshToken: undefined,
  expiresIn,
});

/** A session with a clock the test moves and a pool whose refreshes it scripts. */
function session(refresh: (refreshToken: string) => Promise<CognitoTokens>) {
  let now = T0;
  const saved: CognitoTokenState[] = [];
  const ended = vi.fn();
  const pool = { refresh: vi.fn(refresh) };
  const s = new CognitoSession(tokenState(tokens("id-1"), "refresh-1", T0), {
    client: pool,
    save: (state) => saved.push(state),
    onEnded: ended,
    now: () => now,
  });
  return {
    s,
    pool,
    saved,
    ended,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe("tokenState", () => {
  it("renews a minute before an hour's token expires, and half-way through a short one", () => {
    expect(tokenState(tokens("a"), "r", T0)).toEqual({
      token: "a",
      expiresAt: "2026-03-01T13:00:00.000Z",
      refreshAt: "2026-03-01T12:59:00.000Z",
      refreshToken: "r",
    });
    expect(tokenState(tokens("b", 4), "r", T0).refreshAt).toBe("2026-03-01T12:00:02.000Z");
  });
});

describe("a Cognito session", () => {
  it("hands out its ID token until refreshAt, then renews it once for every call waiting", async () => {
    const { s, pool, saved, advance } = session(async () => tokens("id-2"));
    await expect(s.fresh()).resolves.toBe("id-1");
    expect(pool.refresh).not.toHaveBeenCalled();
    advance(59 * 60_000);
    await expect(Promise.all([s.fresh(), s.fresh(), s.fresh()])).resolves.toEqual(["id-2", "id-2", "id-2"]);
    expect(pool.refresh).toHaveBeenCalledTimes(1);
    expect(pool.refresh).toHaveBeenCalledWith("refresh-1");
    // Kept for the next reload, with the refresh token it had (a refresh gives none).
    expect(saved).toEqual([tokenState(tokens("id-2"), "refresh-1", T0 + 59 * 60_000)]);
    expect(s.token).toBe("id-2");
  });

  it("renews after a 401 of its current token, but not of one it has replaced already", async () => {
    const { s, pool } = session(async () => tokens(`id-${pool.refresh.mock.calls.length + 1}`));
    await expect(s.renew("id-1")).resolves.toBe("id-2");
    await expect(s.renew("id-1")).resolves.toBe("id-2");
    expect(pool.refresh).toHaveBeenCalledTimes(1);
  });

  it("ends once when the pool refuses the refresh token, and then hands out nothing", async () => {
    const { s, ended, advance } = session(async () => {
      throw new CognitoError("NotAuthorizedException", "Your session has ended. Log in again.");
    });
    await expect(s.renew("id-1")).resolves.toBeUndefined();
    advance(60 * 60_000);
    await expect(s.fresh()).rejects.toBeInstanceOf(SessionEndedError);
    expect(ended).toHaveBeenCalledTimes(1);
  });

  it("stays signed in when the pool cannot be reached, and tries again at the next call", async () => {
    let offline = true;
    const { s, ended, advance } = session(async () => {
      if (offline) throw new CognitoError("NetworkError", "The sign-in service could not be reached.");
      return tokens("id-2");
    });
    advance(60 * 60_000);
    await expect(s.fresh()).rejects.toMatchObject({ code: "NetworkError" });
    offline = false;
    await expect(s.fresh()).resolves.toBe("id-2");
    expect(ended).not.toHaveBeenCalled();
  });

  it("renews on a timer at refreshAt while started", async () => {
    vi.useFakeTimers({ now: T0 });
    try {
      const { s, pool, saved } = session(async () => tokens("id-2"));
      s.start();
      await vi.advanceTimersByTimeAsync(59 * 60_000 - 1);
      expect(pool.refresh).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(1);
      expect(pool.refresh).toHaveBeenCalledTimes(1);
      expect(saved.map((x) => x.token)).toEqual(["id-2"]);
      s.stop();
      await vi.advanceTimersByTimeAsync(2 * 60 * 60_000);
      expect(pool.refresh).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("the API client with a session that renews", () => {
  const seen: (string | null)[] = [];
  let answers: number[] = [];
  beforeEach(() => {
    seen.length = 0;
    vi.stubGlobal("fetch", async (_url: string, init: RequestInit) => {
      seen.push(new Headers(init.headers).get("authorization"));
      const status = answers.shift() ?? 200;
      return new Response(JSON.stringify(status === 200 ? { ok: true } : { title: "Unauthorized", status }), {
        status,
      });
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("asks for a fresh token before the call, and after a 401 renews once and calls again", async () => {
    const api = new ApiClient();
    const expired = vi.fn();
    api.onExpired(expired);
    const renew = vi.fn(async () => "renewed");
    api.setSession({ token: "stale", fresh: async () => "current", renew });
    answers = [401, 200];
    await expect(api.get("/v1/me")).resolves.toEqual({ ok: true });
    expect(seen).toEqual(["Bearer current", "Bearer renewed"]);
    expect(renew).toHaveBeenCalledWith("current");
    expect(expired).not.toHaveBeenCalled();
  });

  it("ends the session when the renewed token is refused too, or none can be had", async () => {
    const api = new ApiClient();
    const expired = vi.fn();
    api.onExpired(expired);
    api.setSession({ token: "a", renew: async () => "b" });
    answers = [401, 401];
    await expect(api.get("/v1/me")).rejects.toMatchObject({ status: 401 });
    expect(seen).toEqual(["Bearer a", "Bearer b"]);
    expect(expired).toHaveBeenCalledTimes(1);

    api.setSession({ token: "a", renew: async () => undefined });
    answers = [401];
    await expect(api.get("/v1/me")).rejects.toMatchObject({
      status: 401,
      problem: { title: "Your session has ended" },
    });
    expect(seen).toHaveLength(3);
  });

  it("answers 401 without calling when the session has ended, and 0 when the pool is out of reach", async () => {
    const api = new ApiClient();
    api.setSession({
      token: "a",
      fresh: async () => {
        throw new SessionEndedError("ended");
      },
    });
    await expect(api.get("/v1/me")).rejects.toMatchObject({ status: 401 });
    api.setSession({
      token: "a",
      fresh: async () => {
        throw new CognitoError("NetworkError", "The sign-in service could not be reached.");
      },
    });
    const err = await api.get("/v1/me").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 0, problem: { title: "Your session could not be renewed" } });
    expect(seen).toEqual([]);
  });

  it("calls with a token of its own without the session, and its 401 ends nothing", async () => {
    const api = new ApiClient();
    const expired = vi.fn();
    api.onExpired(expired);
    api.setSession({ token: "session" });
    answers = [401];
    await expect(api.request("GET", "/v1/me", { token: "new" })).rejects.toMatchObject({ status: 401 });
    expect(seen).toEqual(["Bearer new"]);
    expect(expired).not.toHaveBeenCalled();
  });
});
