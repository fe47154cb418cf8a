import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { LocalTokens, TOKEN_TTL_SECONDS } from "../src/auth/local-tokens";
import { keys } from "../src/db/keys";
import { MAX_REVOKED, SessionRepository } from "../src/db/sessions";
import { LocalFileStorage } from "../src/storage/files";
import { type Harness, harness, signup } from "./support/harness";

let h: Harness;
beforeAll(() => {
  h = harness();
});

const now = () => Math.floor(Date.now() / 1000);

/** A token signed with the server's own key, with exactly the claims given. */
function forge(claims: Record<string, unknown>): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer("tyche-local")
    .setAudience("tyche")
    .sign(h.tokens.signingKey);
}

describe("session token lifetime", () => {
  it("issues tokens with iat, exp within the lifetime, and a unique jti", async () => {
    const a = await signup(h);
    const claims = (t: string) => JSON.parse(Buffer.from(t.split(".")[1] as string, "base64url").toString());
    const first = claims(a.token);
    expect(first.exp - first.iat).toBe(TOKEN_TTL_SECONDS);
    expect(typeof first.jti).toBe("string");
    const again = await h.call("POST", "/v1/auth/login", { body: { email: a.email, password: a.password } });
    expect(claims(again.body.token).jti).not.toBe(first.jti);
  });

  it("refuses tokens without exp, without iat, without jti, living too long, or issued in the future", async () => {
    const a = await signup(h);
    const who = { sub: a.owner.userId, tid: a.owner.tenantId, email: a.email };
    const t = now();
    const good = await forge({ ...who, iat: t, exp: t + 3600, jti: "j-good" });
    expect((await h.call("GET", "/v1/me", { token: good })).status).toBe(200);
    const bad = {
      "no exp": { ...who, iat: t, jti: "j1" },
      "no iat": { ...who, exp: t + 3600, jti: "j2" },
      "no jti": { ...who, iat: t, exp: t + 3600 },
      "a hundred years": { ...who, iat: t, exp: t + 100 * 365 * 24 * 3600, jti: "j3" },
      "one second too long": { ...who, iat: t, exp: t + TOKEN_TTL_SECONDS + 1, jti: "j4" },
      "issued in the future": { ...who, iat: t + 3600, exp: t + 7200, jti: "j5" },
      "exp before iat": { ...who, iat: t, exp: t - 1, jti: "j6" },
    };
    for (const [why, claims] of Object.entries(bad)) {
      const res = await h.call("GET", "/v1/me", { token: await forge(claims) });
      expect(res.status, why).toBe(401);
      expect(res.headers.get("content-type"), why).toBe("application/problem+json");
    }
    // A clock a little ahead of ours is not refused.
    const skewed = await forge({ ...who, iat: t + 30, exp: t + 3600, jti: "j7" });
    expect((await h.call("GET", "/v1/me", { token: skewed })).status).toBe(200);
  });

  it("holds tokens to the configured lifetime", async () => {
    const short = new LocalTokens(h.tokens.signingKey, 600);
    const a = await signup(h);
    const who = { sub: a.owner.userId, tid: a.owner.tenantId, email: a.email };
    const t = now();
    await expect(short.verify(await forge({ ...who, iat: t, exp: t + 601, jti: "x" }))).rejects.toThrow();
    await expect(
      short.verify(await forge({ ...who, iat: t, exp: t + 600, jti: "x" })),
    ).resolves.toMatchObject({
      userId: a.owner.userId,
    });
  });
});

describe("logout", () => {
  it("revokes the token presented (204) and no other session", async () => {
    const a = await signup(h);
    const other = await h.call("POST", "/v1/auth/login", { body: { email: a.email, password: a.password } });
    expect((await h.call("POST", "/v1/auth/logout", { token: a.token })).status).toBe(204);
    const refused = await h.call("GET", "/v1/me", { token: a.token });
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/logged out/);
    expect((await h.call("GET", "/v1/me", { token: other.body.token })).status).toBe(200);
  });

  it("log out everywhere revokes every session issued until now, and a new login works", async () => {
    const a = await signup(h);
    const second = await h.call("POST", "/v1/auth/login", { body: { email: a.email, password: a.password } });
    expect((await h.call("POST", "/v1/auth/logout-all", { token: second.body.token })).status).toBe(204);
    for (const token of [a.token, second.body.token])
      expect((await h.call("GET", "/v1/categories", { token })).status).toBe(401);
    // A session issued after the logout (a token whose iat is later) is not affected.
    const later = await h.tokens.issue(
      { ...a.owner, email: a.email, name: "Test User" },
      new Date(Date.now() + 2000),
    );
    expect((await h.call("GET", "/v1/me", { token: later.token })).status).toBe(200);
  });

  it("holds in another process of the app at once (one strongly consistent read per request)", async () => {
    const a = await signup(h);
    // A second app on the same tables and key, as a second server or Lambda would be.
    const app2 = createApp({
      ...h.store,
      authenticator: h.tokens,
      files: new LocalFileStorage(h.receiptsDir),
    });
    const me = () => app2.request("/v1/me", { headers: { authorization: `Bearer ${a.token}` } });
    expect((await me()).status).toBe(200);
    expect((await h.call("POST", "/v1/auth/logout", { token: a.token })).status).toBe(204);
    expect((await me()).status).toBe(401);
    // and the check on each request is one GetItem, strongly consistent
    const before = h.sessionChecks.length;
    await h.call("GET", "/v1/me", { token: (await signup(h)).token });
    const reads = h.sessionChecks.slice(before);
    expect(reads.map((c) => [c.name, c.input.ConsistentRead])).toEqual([["GetItemCommand", true]]);
  });

  it("leaves personal access tokens working, and refuses a personal access token as the session to end", async () => {
    const a = await signup(h);
    const pat = await h.call("POST", "/v1/tokens", {
      token: a.token,
      body: { name: "script", scope: "write" },
    });
    expect(pat.status).toBe(201);
    expect((await h.call("POST", "/v1/auth/logout-all", { token: pat.body.token })).status).toBe(403);
    expect((await h.call("POST", "/v1/auth/logout-all", { token: a.token })).status).toBe(204);
    expect((await h.call("GET", "/v1/categories", { token: pat.body.token })).status).toBe(200);
  });

  it("prunes expired revocations, and past MAX_REVOKED live ones logs out everywhere", async () => {
    const a = await signup(h);
    const repo = new SessionRepository(h.store, TOKEN_TTL_SECONDS);
    const t = now();
    await repo.revoke(a.owner, "old", t - 10, t - 20);
    await repo.revoke(a.owner, "new", t + 100, t);
    expect((await repo.get(a.owner)).revoked).toEqual({ new: t + 100 });
    for (let i = 0; i < MAX_REVOKED; i++) await repo.revoke(a.owner, `j${i}`, t + 100, t);
    const record = await repo.get(a.owner);
    expect(record.notBefore).toBe(t);
    expect(Object.keys(record.revoked).length).toBeLessThanOrEqual(MAX_REVOKED);
    expect(keys.sessions(a.owner).SK).toBe("SESSIONS");
  });

  it("is in the OpenAPI document", async () => {
    const doc = (await h.call("GET", "/v1/openapi.json")).body;
    expect(doc.paths["/v1/auth/logout"].post.responses["204"]).toBeDefined();
    expect(doc.paths["/v1/auth/logout-all"].post.responses["204"]).toBeDefined();
  });
});
