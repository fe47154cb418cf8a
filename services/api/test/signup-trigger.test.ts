import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CognitoAuthenticator } from "../src/auth/cognito";
import { createSignupTrigger } from "../src/auth/cognito-signup";
import { keys } from "../src/db/keys";
import { createCognitoProvisioner } from "../src/services";
import { auditActions, type Harness, harness, ownerItems, uniqueEmail } from "./support/harness";

const REGION = "us-east-1";
const POOL = `${REGION}_SignupPool`;
const CLIENT = "signupclient";

let h: Harness;
let sign: (claims: Record<string, unknown>) => Promise<string>;

beforeAll(async () => {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k", alg: "RS256", use: "sig" };
  h = harness(
    new CognitoAuthenticator({ userPoolId: POOL, clientId: CLIENT, jwks: { keys: [jwk as never] } }),
  );
  sign = (claims) =>
    new SignJWT({ token_use: "id", aud: CLIENT, ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "k" })
      .setIssuer(`https://cognito-idp.${REGION}.amazonaws.com/${POOL}`)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + 3600)
      .sign(privateKey);
});
afterAll(() => h.close());

/** What Cognito sends after a confirmed sign-up (the fields the trigger reads, and the rest of the shape). */
function confirmed(attributes: Record<string, string>, triggerSource = "PostConfirmation_ConfirmSignUp") {
  return {
    version: "1",
    region: REGION,
    userPoolId: POOL,
    userName: attributes.sub,
    callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId: CLIENT },
    triggerSource,
    request: {
      userAttributes: { "cognito:user_status": "CONFIRMED", email_verified: "true", ...attributes },
    },
    response: {},
  } as PostConfirmationTriggerEvent;
}

/** The trigger on DynamoDB Local, with the user pool's attribute update recorded instead of sent. */
function trigger(tenantIds: string[] = []) {
  const set: { userPoolId: string; userName: string; tenantId: string }[] = [];
  const handler = createSignupTrigger({
    provisioner: createCognitoProvisioner(h.store),
    setTenant: async (userPoolId, userName, tenantId) => {
      set.push({ userPoolId, userName, tenantId });
    },
    ...(tenantIds.length ? { newTenantId: () => tenantIds.shift() as string } : {}),
  });
  return { handler, set };
}

describe("the user pool's post-confirmation trigger", () => {
  it("founds a tenant, sets custom:tenantId, and the user's first ID token finds their starter kit", async () => {
    const sub = crypto.randomUUID();
    const email = uniqueEmail("Cognito");
    const { handler, set } = trigger();
    const event = confirmed({ sub, email, name: "Ada" });
    expect(await handler(event)).toBe(event);

    expect(set).toHaveLength(1);
    const [{ tenantId, userPoolId, userName }] = set as [(typeof set)[number]];
    expect({ userPoolId, userName }).toEqual({ userPoolId: POOL, userName: sub });
    expect(tenantId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const tenant = await h.store.db.send(
      new GetCommand({ TableName: h.store.tables.users, Key: keys.tenant(tenantId), ConsistentRead: true }),
    );
    expect(tenant.Item).toMatchObject({ tenantId, name: "Ada" });
    // The pool keeps e-mails unique; a claim here would outlive a change of address there.
    const claim = await h.store.db.send(
      new GetCommand({
        TableName: h.store.tables.users,
        Key: keys.emailClaim(email.toLowerCase()),
        ConsistentRead: true,
      }),
    );
    expect(claim.Item).toBeUndefined();

    const token = await sign({ sub, email, name: "Ada", "custom:tenantId": tenantId });
    const me = await h.call("GET", "/v1/me", { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ userId: sub, tenantId, email: email.toLowerCase(), name: "Ada" });
    expect((await h.call("GET", "/v1/categories", { token })).body.items).toHaveLength(11);
    expect((await h.call("GET", "/v1/accounts", { token })).body.items).toHaveLength(1);
    expect(await auditActions(h.store, { tenantId, userId: sub })).toEqual(["user.create"]);
  });

  it("calls again after a timeout provision into the same tenant, once", async () => {
    const sub = crypto.randomUUID();
    const email = uniqueEmail();
    const first = trigger(["01JTENANTRETRYAAAAAAAAAAAA"]);
    await first.handler(confirmed({ sub, email }));
    const owner = { tenantId: "01JTENANTRETRYAAAAAAAAAAAA", userId: sub };
    const before = await ownerItems(h.store, owner);

    // Cognito's second call carries the attribute the first one set.
    const again = trigger(["01JTENANTOTHERBBBBBBBBBBBB"]);
    await again.handler(confirmed({ sub, email, "custom:tenantId": owner.tenantId }));
    expect(again.set).toEqual([]);
    expect(await ownerItems(h.store, owner)).toEqual(before);
    expect(await ownerItems(h.store, { tenantId: "01JTENANTOTHERBBBBBBBBBBBB", userId: sub })).toEqual([]);
    // Without a name the e-mail stands in, as it does for a user first seen by the API.
    const token = await sign({ sub, email, "custom:tenantId": owner.tenantId });
    expect((await h.call("GET", "/v1/me", { token })).body.name).toBe(email.toLowerCase());
  });

  it("writes nothing for a confirmed password reset", async () => {
    const sub = crypto.randomUUID();
    const { handler, set } = trigger(["01JTENANTRESETCCCCCCCCCCCC"]);
    await handler(confirmed({ sub, email: uniqueEmail() }, "PostConfirmation_ConfirmForgotPassword"));
    expect(set).toEqual([]);
    expect(await ownerItems(h.store, { tenantId: "01JTENANTRESETCCCCCCCCCCCC", userId: sub })).toEqual([]);
  });

  it("leaves a user whose attribute could not be set without a tenant item, for Cognito to call again", async () => {
    const sub = crypto.randomUUID();
    const handler = createSignupTrigger({
      provisioner: createCognitoProvisioner(h.store),
      setTenant: () => Promise.reject(new Error("throttled")),
      newTenantId: () => "01JTENANTFAILDDDDDDDDDDDDD",
    });
    await expect(handler(confirmed({ sub, email: uniqueEmail() }))).rejects.toThrow("throttled");
    expect(await ownerItems(h.store, { tenantId: "01JTENANTFAILDDDDDDDDDDDDD", userId: sub })).toEqual([]);
  });
});
