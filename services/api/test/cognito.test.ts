import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { CognitoAuthenticator } from "../src/auth/cognito";
import { type Harness, harness, uniqueEmail } from "./support/harness";

const REGION = "us-east-1";
const POOL = `${REGION}_TestPool1`;
const CLIENT = "tycheclient123";
const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`;

let h: Harness;
let sign: (claims: Record<string, unknown>, opts?: { exp?: number }) => Promise<string>;

/** A key set made here stands in for the user pool's, so Cognito verification runs offline for real. */
beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
  const authenticator = new CognitoAuthenticator({
    userPoolId: POOL,
    clientId: CLIENT,
    jwks: { keys: [jwk as never] },
  });
  h = harness(authenticator);
  sign = (claims, opts = {}) =>
    new SignJWT({ token_use: "id", aud: CLIENT, ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "test-key" })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 3600)
      .sign(privateKey);
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
