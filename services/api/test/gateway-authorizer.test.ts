import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CognitoAuthenticator } from "../src/auth/cognito";
import { createGatewayAuthorizer } from "../src/auth/gateway-authorizer";
import { PersonalAccessTokenVerifier, WithPersonalAccessTokens } from "../src/auth/personal-access-tokens";
import { type Account, type Harness, harness, signup } from "./support/harness";

/**
 * The `/mcp` route's Lambda authorizer, built as authorizer-lambda.ts builds it, over DynamoDB
 * Local and a key set made here in place of the user pool's.
 */
const POOL = "us-east-1_GatePool";
const CLIENT = "gateclient";

let h: Harness;
let a: Account;
let pool: CryptoKey;
let stranger: CryptoKey;
let gate: ReturnType<typeof createGatewayAuthorizer>;

beforeAll(async () => {
  h = harness();
  a = await signup(h);
  const keys = await generateKeyPair("RS256");
  pool = keys.privateKey;
  stranger = (await generateKeyPair("RS256")).privateKey;
  const jwk: JWK = { ...(await exportJWK(keys.publicKey)), kid: "k", alg: "RS256", use: "sig" };
  gate = createGatewayAuthorizer(
    new WithPersonalAccessTokens(
      new CognitoAuthenticator({ userPoolId: POOL, clientId: CLIENT, jwks: { keys: [jwk as never] } }),
      new PersonalAccessTokenVerifier(h.store, Number.POSITIVE_INFINITY, { recordUse: false }),
    ),
  );
});
afterAll(() => h.close());

const idToken = (key: CryptoKey, tenantId = "tenant-1") =>
  new SignJWT({ token_use: "id", aud: CLIENT, "custom:tenantId": tenantId, email: "ada@example.com" })
    .setProtectedHeader({ alg: "RS256", kid: "k" })
    .setIssuer(`https://cognito-idp.us-east-1.amazonaws.com/${POOL}`)
    .setSubject("user-1")
    .setIssuedAt()
    .setExpirationTime("1h")
    .sign(key);

const ask = (authorization: string | undefined) =>
  gate({ headers: authorization === undefined ? {} : { authorization }, identitySource: [] });

describe("the /mcp gate", () => {
  it("lets a Cognito ID token through, with its tenant", async () => {
    expect(await ask(`Bearer ${await idToken(pool)}`)).toEqual({
      isAuthorized: true,
      context: { tenantId: "tenant-1", userId: "user-1", via: "session" },
    });
  });

  it("lets a personal access token through without writing, and refuses it once revoked", async () => {
    const created = await h.call("POST", "/v1/tokens", { token: a.token, body: { name: "Claude Desktop" } });
    expect(created.status).toBe(201);
    const writesBefore = h.commands.filter(
      (c) => c.name !== "GetItemCommand" && c.name !== "QueryCommand",
    ).length;
    expect(await ask(`Bearer ${created.body.token}`)).toEqual({
      isAuthorized: true,
      context: { tenantId: a.owner.tenantId, userId: a.owner.userId, via: "personal-access-token" },
    });
    expect(h.commands.filter((c) => c.name !== "GetItemCommand" && c.name !== "QueryCommand")).toHaveLength(
      writesBefore,
    );
    expect((await h.call("DELETE", `/v1/tokens/${created.body.tokenId}`, { token: a.token })).status).toBe(
      204,
    );
    expect((await ask(`Bearer ${created.body.token}`)).isAuthorized).toBe(false);
  });

  it("refuses a token signed by another key, a local session token, garbage and no token", async () => {
    for (const header of [
      `Bearer ${await idToken(stranger)}`,
      `Bearer ${a.token}`,
      "Bearer tyche_pat_not-a-real-one",
      "Basic dXNlcjpwYXNz",
      "Bearer",
      "",
      undefined,
    ]) {
      expect(await ask(header), String(header)).toEqual({ isAuthorized: false, context: {} });
    }
  });
});
