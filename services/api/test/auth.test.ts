import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../src/auth/passwords";
import { ownerKey } from "../src/db/keys";
import { MAX_FAILURES } from "../src/db/login-throttle";
import { type Harness, harness, signup, uniqueEmail } from "./support/harness";

let h: Harness;
beforeAll(() => {
  h = harness();
});

const password = "correct horse battery staple";

describe("sign-up", () => {
  it("creates a tenant, its first user and the default categories", async () => {
    const email = uniqueEmail("Mixed.Case");
    const res = await h.call("POST", "/v1/auth/signup", {
      body: { email: email.toUpperCase(), password, name: " Ann " },
    });
    expect(res.status).toBe(201);
    const { user, token, expiresAt } = res.body;
    expect(user).toMatchObject({ email: email.toLowerCase(), name: "Ann" });
    expect(user.tenantId).toMatch(/^[0-9A-Z]{26}$/);
    expect(user.userId).toMatch(/^[0-9A-Z]{26}$/);
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(11 * 3600 * 1000);

    const me = await h.call("GET", "/v1/me", { token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(user);

    const categories = await h.call("GET", "/v1/categories", { token });
    const byType = Object.fromEntries(
      categories.body.items.map((c: { type: string; group: string }) => [c.type, c.group]),
    );
    expect(byType).toEqual({
      housing: "essential",
      groceries: "essential",
      transport: "essential",
      utilities: "essential",
      health: "essential",
      dining: "discretionary",
      subscriptions: "discretionary",
      shopping: "discretionary",
      entertainment: "discretionary",
      savings: "savings",
      "debt-payments": "debt",
    });
  });

  it("stores a scrypt hash, never the password", async () => {
    const a = await signup(h);
    const { Item } = await h.store.db.send(
      new GetCommand({ TableName: h.store.tables.users, Key: { PK: ownerKey(a.owner), SK: "PROFILE" } }),
    );
    expect(JSON.stringify(Item)).not.toContain(a.password);
    expect(Item?.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword(a.password, String(Item?.passwordHash))).toBe(true);
    expect(await verifyPassword("wrong password!", String(Item?.passwordHash))).toBe(false);
  });

  it("keeps e-mail addresses unique whatever their case", async () => {
    const a = await signup(h);
    const res = await h.call("POST", "/v1/auth/signup", {
      body: { email: a.email.toUpperCase(), password, name: "Bob" },
    });
    expect(res.status).toBe(409);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });

  it("makes each sign-up its own tenant", async () => {
    const [a, b] = await Promise.all([signup(h), signup(h)]);
    expect(a.owner.tenantId).not.toBe(b.owner.tenantId);
  });
});

describe("login", () => {
  it("returns a working token for the right password, in any e-mail case", async () => {
    const a = await signup(h);
    const res = await h.call("POST", "/v1/auth/login", {
      body: { email: a.email.toUpperCase(), password: a.password },
    });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ tenantId: a.owner.tenantId, userId: a.owner.userId });
    expect((await h.call("GET", "/v1/me", { token: res.body.token })).status).toBe(200);
  });

  it("answers the same 401 whether the e-mail exists or not", async () => {
    const a = await signup(h);
    const wrongPassword = await h.call("POST", "/v1/auth/login", {
      body: { email: a.email, password: "not the password" },
    });
    const noSuchUser = await h.call("POST", "/v1/auth/login", {
      body: { email: uniqueEmail(), password: "not the password" },
    });
    expect(wrongPassword.status).toBe(401);
    expect(noSuchUser.status).toBe(401);
    expect(wrongPassword.body).toEqual(noSuchUser.body);
    expect(wrongPassword.body.detail).toBe("Email or password is incorrect");
  });

  it("refuses logins for an e-mail after repeated failures, even with the right password", async () => {
    const a = await signup(h);
    for (let i = 0; i < MAX_FAILURES; i++) {
      const res = await h.call("POST", "/v1/auth/login", {
        body: { email: a.email, password: `wrong ${i} password` },
      });
      expect(res.status).toBe(401);
    }
    const locked = await h.call("POST", "/v1/auth/login", { body: { email: a.email, password: a.password } });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(locked.headers.get("content-type")).toBe("application/problem+json");

    // another account is not affected
    const b = await signup(h);
    expect(
      (await h.call("POST", "/v1/auth/login", { body: { email: b.email, password: b.password } })).status,
    ).toBe(200);
  });

  it("forgets earlier failures after a successful login", async () => {
    const a = await signup(h);
    for (let i = 0; i < MAX_FAILURES - 1; i++) {
      await h.call("POST", "/v1/auth/login", { body: { email: a.email, password: "wrong password here" } });
    }
    expect(
      (await h.call("POST", "/v1/auth/login", { body: { email: a.email, password: a.password } })).status,
    ).toBe(200);
    await h.call("POST", "/v1/auth/login", { body: { email: a.email, password: "wrong password here" } });
    expect(
      (await h.call("POST", "/v1/auth/login", { body: { email: a.email, password: a.password } })).status,
    ).toBe(200);
  });
});

describe("tokens", () => {
  it("rejects expired, forged and malformed tokens", async () => {
    const a = await signup(h);
    const principal = { ...a.owner, email: a.email };
    const expired = await h.tokens.issue(principal, new Date(Date.now() - 13 * 3600 * 1000));
    const other = harness();
    const forged = await other.tokens.issue(principal);
    for (const token of [expired.token, forged.token, "not.a.jwt", `${a.token}x`]) {
      const res = await h.call("GET", "/v1/me", { token });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe("Bearer");
    }
    expect((await h.call("GET", "/v1/me", { token: expired.token })).body.detail).toMatch(/expired/);
    expect((await h.call("GET", "/v1/me")).status).toBe(401);
  });
});
