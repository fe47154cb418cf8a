import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { CognitoAuthenticator } from "../src/auth/cognito";
import { type Harness, harness, uniqueEmail } from "./support/harness";

const REGION = "us-east-1";
const POOL = `${REGION}_TestPool1`;
const CLIENT = "tycheclient123";
const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`;

let h: Harness;
let cognito: CognitoAuthenticator;
let sign: (
  claims: Record<string, unknown>,
  opts?: { exp?: number | null; iat?: number | null },
) => Promise<string>;

/** A key set made here stands in for the user pool's, so Cognito verification runs offline for real. */
beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
  cognito = new CognitoAuthenticator({
    userPoolId: POOL,
    clientId: CLIENT,
    jwks: { keys: [jwk as never] },
  });
  h = harness(cognito);
  sign = (claims, opts = {}) => {
    const jwt = new SignJWT({ token_use: "id", aud: CLIENT, jti: crypto.randomUUID(), ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "test-key" })
      .setIssuer(ISSUER);
    if (opts.iat !== null) jwt.setIssuedAt(opts.iat);
    if (opts.exp !== null) jwt.setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 3600);
    return jwt.sign(privateKey);
  };
});

const idClaims = (sub: string, tenantId: string) => ({
  sub,
  email: uniqueEmail(),
  name: "Cognito User",
  "custom:tenantId": tenantId,
});

describe("AUTH_MODE=cognito", () => {
  it("takes the tenant from custom:tenantId and provisions the user on first sight", async () => {
    const sub = crypto.randomUUID();
    const token = await sign(idClaims(sub, "tenant-cognito-1"));
    const me = await h.call("GET", "/v1/me", { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ userId: sub, tenantId: "tenant-cognito-1", name: "Cognito User" });
    const categories = await h.call("GET", "/v1/categories", { token });
    expect(categories.body.items).toHaveLength(11);
    // a second request does not provision twice
    expect((await h.call("GET", "/v1/categories", { token })).body.items).toHaveLength(11);
  });

  it("keeps two users of one tenant apart", async () => {
    const [t1, t2] = await Promise.all([
      sign(idClaims(crypto.randomUUID(), "tenant-shared")),
      sign(idClaims(crypto.randomUUID(), "tenant-shared")),
    ]);
    const created = await h.call("POST", "/v1/categories", {
      token: t1,
      body: { name: "Pets", group: "essential" },
    });
    expect(created.status).toBe(201);
    expect((await h.call("GET", `/v1/categories/${created.body.categoryId}`, { token: t2 })).status).toBe(
      404,
    );
  });

  it("refuses tokens without a tenant, for another client, expired, or access tokens", async () => {
    const sub = crypto.randomUUID();
    const bad = [
      await sign({ sub, email: uniqueEmail() }),
      await sign({ ...idClaims(sub, "t"), aud: "another-client" }),
      await sign(idClaims(sub, "t"), { exp: Math.floor(Date.now() / 1000) - 60 }),
      await sign({ ...idClaims(sub, "t"), token_use: "access" }),
    ];
    for (const token of bad) expect((await h.call("GET", "/v1/me", { token })).status).toBe(401);
  });

  it("refuses ID tokens without iat or exp, issued in the future, or living longer than a pool allows", async () => {
    const sub = crypto.randomUUID();
    const t = Math.floor(Date.now() / 1000);
    const good = await sign(idClaims(sub, "t-life"), { iat: t, exp: t + 3600 });
    expect((await h.call("GET", "/v1/me", { token: good })).status).toBe(200);
    const bad = {
      "no iat": await sign(idClaims(sub, "t-life"), { iat: null }),
      "no exp": await sign(idClaims(sub, "t-life"), { exp: null }),
      "issued in the future": await sign(idClaims(sub, "t-life"), { iat: t + 600, exp: t + 3600 }),
      "a hundred years": await sign(idClaims(sub, "t-life"), { iat: t, exp: t + 100 * 365 * 86400 }),
    };
    for (const [why, token] of Object.entries(bad))
      expect((await h.call("GET", "/v1/me", { token })).status, why).toBe(401);
  });

  it("log out and log out everywhere revoke ID tokens, and log out everywhere signs out in the pool", async () => {
    const sub = crypto.randomUUID();
    const signedOut: string[] = [];
    const h = harness(cognito, { globalSignOut: async (userId) => void signedOut.push(userId) });
    const first = await sign(idClaims(sub, "t-out"));
    const second = await sign(idClaims(sub, "t-out"));
    expect((await h.call("POST", "/v1/auth/logout", { token: first })).status).toBe(204);
    expect((await h.call("GET", "/v1/me", { token: first })).status).toBe(401);
    expect((await h.call("GET", "/v1/me", { token: second })).status).toBe(200);
    expect((await h.call("POST", "/v1/auth/logout-all", { token: second })).status).toBe(204);
    expect((await h.call("GET", "/v1/me", { token: second })).status).toBe(401);
    expect(signedOut).toEqual([sub]);
  });

  it("accepts Tyche's own personal access tokens beside ID tokens, scoped, and revocable", async () => {
    const sub = crypto.randomUUID();
    const idToken = await sign(idClaims(sub, "tenant-pat"));
    const make = async (scope: string) => {
      const res = await h.call("POST", "/v1/tokens", {
        token: idToken,
        body: { name: `mcp ${scope}`, scope },
      });
      expect(res.status).toBe(201);
      return res.body as { token: string; tokenId: string };
    };
    const [read, write] = [await make("read"), await make("write")];
    const me = await h.call("GET", "/v1/me", { token: read.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ userId: sub, tenantId: "tenant-pat" });
    const body = { name: "Pets", group: "essential" };
    const refused = await h.call("POST", "/v1/categories", { token: read.token, body });
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe("/problems/insufficient-scope");
    expect((await h.call("POST", "/v1/categories", { token: write.token, body })).status).toBe(201);
    // a personal access token cannot make another, even with Cognito
    expect((await h.call("POST", "/v1/tokens", { token: write.token, body: { name: "x" } })).status).toBe(
      403,
    );
    expect((await h.call("DELETE", `/v1/tokens/${write.tokenId}`, { token: idToken })).status).toBe(204);
    expect((await h.call("GET", "/v1/me", { token: write.token })).status).toBe(401);
    const tampered = `${read.token.slice(0, -1)}${read.token.endsWith("A") ? "B" : "A"}`;
    expect((await h.call("GET", "/v1/me", { token: tampered })).status).toBe(401);
    expect((await h.call("GET", "/v1/me", { token: read.token })).status).toBe(200);
  });

  it("has no local sign-up or login", async () => {
    const res = await h.call("POST", "/v1/auth/signup", {
      body: { email: uniqueEmail(), password: "correct horse battery", name: "X" },
    });
    expect(res.status).toBe(404);
  });
});
