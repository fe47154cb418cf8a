import { createHash, randomBytes } from "node:crypto";
import { GetCommand, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { ulid } from "ulid";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { InvalidTokenError } from "../src/auth/local-tokens";
import { READ_SAFE_POSTS } from "../src/auth/middleware";
import {
  LAST_USED_INTERVAL_MS,
  PersonalAccessTokenVerifier,
  verifyPersonalAccessToken,
} from "../src/auth/personal-access-tokens";
import { ownerKey } from "../src/db/keys";
import {
  type Account,
  auditActions,
  type Harness,
  harness,
  ownerItems,
  type Reply,
  type SentCommand,
  signup,
} from "./support/harness";

let h: Harness;
beforeAll(() => {
  h = harness();
});

const PROBLEM = "application/problem+json";
const TOKEN_FORMAT = /^tyche_pat_([0-9A-HJKMNP-TV-Z]{26})_([A-Za-z0-9_-]{43})$/;
const DAY = 24 * 60 * 60 * 1000;
const today = () => new Date().toISOString().slice(0, 10);

async function createToken(u: Account, body: Record<string, unknown> = { name: "Claude Desktop" }) {
  const res = await h.call("POST", "/v1/tokens", { token: u.token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { token: string; tokenId: string; scope: string; expiresAt: string | null };
}

const secretOf = (token: string) => String(TOKEN_FORMAT.exec(token)?.[2]);

async function credentialItem(tokenId: string) {
  const { Item } = await h.store.db.send(
    new GetCommand({
      TableName: h.store.tables.users,
      Key: { PK: `PAT#${tokenId}`, SK: "PAT" },
      ConsistentRead: true,
    }),
  );
  return Item;
}

async function scanAll(table: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await h.store.db.send(
      new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** The commands among `sent` that name this token (other tests' background writes may interleave). */
const aboutToken = (sent: SentCommand[], tokenId: string) =>
  sent.filter((c) => JSON.stringify(c.input).includes(tokenId));

/** A user's items without lastUsedAt, which any successful use of a token may set in the background. */
const withoutUse = (items: Record<string, unknown>[]) => items.map(({ lastUsedAt: _used, ...rest }) => rest);

function expectUnauthorized(res: Reply) {
  expect(res.status).toBe(401);
  expect(res.headers.get("content-type")).toBe(PROBLEM);
  expect(res.headers.get("www-authenticate")).toBe("Bearer");
}

/** What a session JWT that is not valid gets: every refused personal access token must get exactly this. */
async function badJwtAnswer(): Promise<Reply> {
  const res = await h.call("GET", "/v1/me", { token: "not.a.jwt" });
  expectUnauthorized(res);
  return res;
}

describe("creating a token", () => {
  it("answers 201 with the secret once, read scope by default, and no expiry", async () => {
    const u = await signup(h);
    const res = await h.call("POST", "/v1/tokens", { token: u.token, body: { name: "  Claude Desktop " } });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const created = res.body;
    const m = TOKEN_FORMAT.exec(created.token);
    expect(m, created.token).not.toBeNull();
    expect(m?.[1]).toBe(created.tokenId);
    // 32 random bytes in base64url
    expect(Buffer.from(String(m?.[2]), "base64url")).toHaveLength(32);
    expect(created).toEqual({
      tokenId: created.tokenId,
      token: created.token,
      name: "Claude Desktop",
      scope: "read",
      prefix: `tyche_pat_${created.tokenId}_`,
      last4: String(m?.[2]).slice(-4),
      createdAt: expect.any(String),
      lastUsedAt: null,
      expiresAt: null,
      revokedAt: null,
      status: "active",
    });
    expect(Math.abs(Date.parse(created.createdAt) - Date.now())).toBeLessThan(60_000);
    expect(await auditActions(h.store, u.owner)).toContain("token.create");
  });

  it("stores the credential under PAT#<id> and the listing under the owner, both only with a hash", async () => {
    const u = await signup(h);
    const created = await createToken(u, { name: "script", scope: "write" });
    const credential = await credentialItem(created.tokenId);
    expect(credential).toMatchObject({
      PK: `PAT#${created.tokenId}`,
      SK: "PAT",
      entity: "tokenCredential",
      tokenId: created.tokenId,
      tenantId: u.owner.tenantId,
      userId: u.owner.userId,
      email: u.email,
      scope: "write",
      hash: createHash("sha256").update(created.token).digest("base64url"),
    });
    const mine = await ownerItems(h.store, u.owner);
    const listing = mine.find((i) => i.SK === `PAT#${created.tokenId}`);
    expect(listing).toMatchObject({
      table: h.store.tables.users,
      PK: ownerKey(u.owner),
      entity: "token",
      name: "script",
      scope: "write",
    });
    expect(listing).not.toHaveProperty("hash");

    // Neither the token nor its secret is anywhere: not in the user's items (audit records
    // included), not in the credential, not in any item of tyche-users or tyche-audit-logs.
    const secret = secretOf(created.token);
    const everywhere = [
      ...mine,
      credential,
      ...(await scanAll(h.store.tables.users)),
      ...(await scanAll(h.store.tables.auditLogs)),
    ];
    const text = JSON.stringify(everywhere);
    expect(text).toContain(created.tokenId);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(0, 20));
    expect(text).not.toContain(created.token);
  });

  it("takes an expiry as a date (00:00 UTC that day) or an instant, normalised to UTC", async () => {
    const u = await signup(h);
    const day = new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10);
    const byDate = await createToken(u, { name: "a month", expiresAt: day });
    expect(byDate.expiresAt).toBe(`${day}T00:00:00.000Z`);
    const at = new Date(Math.floor((Date.now() + 2 * DAY) / 1000) * 1000);
    // the same instant, written as the wall-clock time two hours east of UTC
    const east = `${new Date(at.getTime() + 2 * 3600_000).toISOString().slice(0, 19)}+02:00`;
    const byInstant = await createToken(u, { name: "two days", expiresAt: east });
    expect(byInstant.expiresAt).toBe(at.toISOString());
    expect((await credentialItem(byDate.tokenId))?.expiresAt).toBe(`${day}T00:00:00.000Z`);
  });

  const badBodies: { name: string; body: Record<string, unknown>; field: string; message?: RegExp }[] = [
    { name: "no name", body: {}, field: "name" },
    { name: "an empty name", body: { name: "" }, field: "name", message: /empty/ },
    { name: "a blank name", body: { name: "   " }, field: "name", message: /empty/ },
    { name: "a name of 101 characters", body: { name: "x".repeat(101) }, field: "name" },
    { name: "a bogus scope", body: { name: "t", scope: "admin" }, field: "scope", message: /read.*write/ },
    {
      name: "an expiry in the past",
      body: { name: "t", expiresAt: new Date(Date.now() - 60_000).toISOString() },
      field: "expiresAt",
      message: /future/,
    },
    {
      name: "today's date (its 00:00 has passed)",
      body: { name: "t", expiresAt: today() },
      field: "expiresAt",
      message: /future/,
    },
    {
      name: "an expiry more than a year away",
      body: { name: "t", expiresAt: new Date(Date.now() + 367 * DAY).toISOString().slice(0, 10) },
      field: "expiresAt",
      message: /366 days/,
    },
    { name: "an expiry that is not a date", body: { name: "t", expiresAt: "tomorrow" }, field: "expiresAt" },
    { name: "an impossible date", body: { name: "t", expiresAt: "2031-02-30" }, field: "expiresAt" },
    { name: "an hour 24", body: { name: "t", expiresAt: "2030-01-01T24:00:00Z" }, field: "expiresAt" },
    { name: "a planted tenantId", body: { name: "t", tenantId: "someone-else" }, field: "tenantId" },
  ];

  it.each(badBodies)(
    "refuses $name with 400 naming $field, writing nothing",
    async ({ body, field, message }) => {
      const u = await signup(h);
      const before = await ownerItems(h.store, u.owner);
      const res = await h.call("POST", "/v1/tokens", { token: u.token, body });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe(PROBLEM);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([field]);
      if (message) expect(res.body.errors[0].message).toMatch(message);
      expect(await ownerItems(h.store, u.owner)).toEqual(before);
    },
  );
});

describe("listing tokens", () => {
  it("lists the caller's tokens newest first, with no secret and no hash", async () => {
    const u = await signup(h);
    const other = await signup(h);
    const first = await createToken(u, { name: "first" });
    const second = await createToken(u, { name: "second", scope: "write" });
    await createToken(other, { name: "someone else's" });
    const res = await h.call("GET", "/v1/tokens", { token: u.token });
    expect(res.status).toBe(200);
    expect(res.body.items.map((t: { name: string }) => t.name)).toEqual(["second", "first"]);
    expect(res.body.items[0]).toMatchObject({
      tokenId: second.tokenId,
      scope: "write",
      prefix: `tyche_pat_${second.tokenId}_`,
      last4: secretOf(second.token).slice(-4),
      status: "active",
    });
    for (const item of res.body.items) {
      expect(Object.keys(item).sort()).toEqual(
        [
          "tokenId",
          "name",
          "scope",
          "prefix",
          "last4",
          "createdAt",
          "lastUsedAt",
          "expiresAt",
          "revokedAt",
          "status",
        ].sort(),
      );
    }
    const text = JSON.stringify(res.body);
    for (const t of [first, second]) expect(text).not.toContain(secretOf(t.token));
    expect(text).not.toContain("hash");
  });

  it("records lastUsedAt after the token is used", async () => {
    const u = await signup(h);
    const created = await createToken(u);
    const before = Date.now();
    expect((await h.call("GET", "/v1/me", { token: created.token })).status).toBe(200);
    await vi.waitFor(
      async () => {
        const [item] = (await h.call("GET", "/v1/tokens", { token: u.token })).body.items;
        expect(item.lastUsedAt).not.toBeNull();
        expect(Date.parse(item.lastUsedAt)).toBeGreaterThanOrEqual(before - 1000);
      },
      { timeout: 5000, interval: 50 },
    );
  });
});

describe("using a token", () => {
  it("authenticates as its owner", async () => {
    const u = await signup(h, "Owner Person");
    const created = await createToken(u);
    const me = await h.call("GET", "/v1/me", { token: created.token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ ...u.owner, email: u.email, name: "Owner Person" });
    const [viaSession, viaToken] = await Promise.all([
      h.call("GET", "/v1/categories", { token: u.token }),
      h.call("GET", "/v1/categories", { token: created.token }),
    ]);
    expect(viaToken.status).toBe(200);
    expect(viaToken.body).toEqual(viaSession.body);
  });

  it("costs a session token's request nothing: no credential read, and no write of its use", async () => {
    const u = await signup(h);
    const created = await createToken(u, { name: "beside", scope: "write" });
    const tokenCommands = (from: number) =>
      h.commands
        .slice(from)
        .filter((c) => JSON.stringify(c.input).includes('"PAT') && c.name !== "QueryCommand");
    let sent = h.commands.length;
    for (const [method, path, body] of [
      ["GET", "/v1/categories"],
      ["POST", "/v1/categories", { name: "Pets", group: "essential" }],
    ] as const) {
      const res = await h.call(method, path, { token: u.token, ...(body ? { body } : {}) });
      expect(res.status, path).toBeLessThan(300);
    }
    expect(tokenCommands(sent)).toEqual([]);
    // the same requests with the token: one GetItem of its credential each
    sent = h.commands.length;
    expect((await h.call("GET", "/v1/categories", { token: created.token })).status).toBe(200);
    expect(
      tokenCommands(sent)
        .filter((c) => c.name === "GetItemCommand")
        .map((c) => (c.input.Key as { PK: string }).PK),
    ).toEqual([`PAT#${created.tokenId}`]);
  });

  it("a read token may GET and HEAD but is refused every write with 403 naming the scope, writing nothing", async () => {
    const u = await signup(h);
    const read = await createToken(u, { name: "reader" });
    const categories = (await h.call("GET", "/v1/categories", { token: read.token })).body.items;
    expect(categories.length).toBeGreaterThan(0);
    const head = await h.call("HEAD", "/v1/categories", { token: read.token });
    expect(head.status).toBe(200);
    const id = categories[0].categoryId;
    const before = withoutUse(await ownerItems(h.store, u.owner));
    const writes = [
      { method: "POST", path: "/v1/categories", body: { name: "Pets", group: "essential" } },
      { method: "PUT", path: `/v1/categories/${id}`, body: { name: "Renamed" } },
      { method: "DELETE", path: `/v1/categories/${id}` },
      { method: "POST", path: "/v1/budgets", body: { month: "2025-05", totalIncome: 1 } },
      { method: "PATCH", path: `/v1/categories/${id}`, body: {} },
      { method: "DELETE", path: `/v1/tokens/${read.tokenId}` },
    ];
    for (const w of writes) {
      const res = await h.call(w.method, w.path, {
        token: read.token,
        ...(w.body ? { body: w.body } : {}),
      });
      expect({ w, status: res.status }).toEqual({ w, status: 403 });
      expect(res.headers.get("content-type")).toBe(PROBLEM);
      expect(res.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope", scope="write"');
      expect(res.body).toMatchObject({
        type: "/problems/insufficient-scope",
        title: "Forbidden",
        status: 403,
      });
      expect(res.body.detail).toContain(`${w.method} ${w.path} needs a token with scope write`);
    }
    expect(withoutUse(await ownerItems(h.store, u.owner))).toEqual(before);
    // the session token can still do what the read token could not
    expect(
      (await h.call("PUT", `/v1/categories/${id}`, { token: u.token, body: { name: "Renamed" } })).status,
    ).toBe(200);
  });

  it("a read token is refused on every write route the API documents, and let through on every read", async () => {
    const u = await signup(h);
    const read = await createToken(u, { name: "reader" });
    const doc = (await h.call("GET", "/v1/openapi.json")).body;
    const before = withoutUse(await ownerItems(h.store, u.owner));
    let writes = 0;
    for (const [template, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const [method, op] of Object.entries(ops as Record<string, { security?: unknown[] }>)) {
        if (!op.security?.length) continue;
        const path = template.replaceAll("{month}", "2025-01").replace(/\{[^}]+\}/g, ulid());
        const m = method.toUpperCase();
        const res = await h.call(m, path, { token: read.token, ...(m === "GET" ? {} : { body: {} }) });
        const where = `${m} ${template}`;
        if (m === "GET") {
          const expected = template === "/v1/tokens" ? 403 : res.status;
          expect({ where, status: res.status }).toEqual({ where, status: expected });
          expect(res.status, where).not.toBe(401);
          if (template !== "/v1/tokens") expect(res.status, where).not.toBe(403);
        } else if (READ_SAFE_POSTS.has(where)) {
          // Asking the advisor changes none of the books; the body {} is refused for its message.
          expect({ where, status: res.status }).toEqual({ where, status: 400 });
        } else {
          writes += 1;
          expect({ where, status: res.status, type: res.body?.type }).toEqual({
            where,
            status: 403,
            type: "/problems/insufficient-scope",
          });
        }
      }
    }
    expect(writes).toBeGreaterThan(30);
    // Reads may keep derived figures fresh (a month's analytics, closed months' debt snapshots):
    // caches of what is stored, not changes the token made. Everything else is as it was.
    const derived = new Set([h.store.tables.spendingAnalytics, h.store.tables.financialSnapshots]);
    const after = withoutUse(await ownerItems(h.store, u.owner));
    expect(after.filter((i) => !derived.has(String(i.table)))).toEqual(
      before.filter((i) => !derived.has(String(i.table))),
    );
  });

  it("a write token can write, audited under its owner", async () => {
    const u = await signup(h);
    const write = await createToken(u, { name: "writer", scope: "write" });
    const res = await h.call("POST", "/v1/categories", {
      token: write.token,
      body: { name: "Pets", group: "essential" },
    });
    expect(res.status).toBe(201);
    const listed = (await h.call("GET", "/v1/categories", { token: u.token })).body.items;
    expect(listed.map((c: { name: string }) => c.name)).toContain("Pets");
    expect(await auditActions(h.store, u.owner)).toContain("category.create");
  });

  it("never reaches another user's data", async () => {
    const [a, b] = await Promise.all([signup(h), signup(h)]);
    const aToken = await createToken(a, { name: "a", scope: "write" });
    const bCategory = (
      await h.call("POST", "/v1/categories", { token: b.token, body: { name: "B Secret", group: "savings" } })
    ).body;
    const theirs = await h.call("GET", `/v1/categories/${bCategory.categoryId}`, { token: aToken.token });
    const missing = await h.call("GET", `/v1/categories/${ulid()}`, { token: aToken.token });
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual(missing.body);
    const put = await h.call("PUT", `/v1/categories/${bCategory.categoryId}`, {
      token: aToken.token,
      body: { name: "Taken" },
    });
    expect(put.status).toBe(404);
    const list = await h.call("GET", "/v1/categories", { token: aToken.token });
    expect(JSON.stringify(list.body)).not.toContain("B Secret");
    expect((await h.call("GET", "/v1/me", { token: aToken.token })).body.userId).toBe(a.owner.userId);
    expect(
      (await h.call("GET", `/v1/categories/${bCategory.categoryId}`, { token: b.token })).body.name,
    ).toBe("B Secret");
  });

  it("refuses unknown, forged and tampered tokens with exactly a bad JWT's 401", async () => {
    const u = await signup(h);
    const real = await createToken(u, { name: "real", scope: "write" });
    const secret = secretOf(real.token);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const random = () => randomBytes(32).toString("base64url");
    const bad = [
      `tyche_pat_${ulid()}_${random()}`, // well-formed, unknown id
      `tyche_pat_${real.tokenId}_${random()}`, // the real id, another secret
      `tyche_pat_${real.tokenId}_${flip(secret, 0)}`, // one character changed
      `tyche_pat_${real.tokenId}_${flip(secret, 42)}`,
      `tyche_pat_${flip(real.tokenId, 25)}_${secret}`, // the real secret on another id
      real.token.slice(0, -1),
      `${real.token}x`,
      `tyche_pat_${real.tokenId.toLowerCase()}_${secret}`,
      `tyche_pat_${real.tokenId}`,
      "tyche_pat_",
      `tyche_pat_${real.tokenId}_${createHash("sha256").update(real.token).digest("base64url")}`, // the hash itself
    ];
    const reference = await badJwtAnswer();
    for (const token of bad) {
      const res = await h.call("GET", "/v1/me", { token });
      expectUnauthorized(res);
      expect({ token, body: res.body }).toEqual({ token, body: reference.body });
    }
    // the real token still works: the refusals came from the alterations
    expect((await h.call("GET", "/v1/me", { token: real.token })).status).toBe(200);
  });
});

describe("revoking a token", () => {
  it("stops it at once with a bad JWT's 401, removes its credential, keeps it listed as revoked", async () => {
    const u = await signup(h);
    const created = await createToken(u, { name: "leaked", scope: "write" });
    const kept = await createToken(u, { name: "kept" });
    expect((await h.call("GET", "/v1/me", { token: created.token })).status).toBe(200);

    const res = await h.call("DELETE", `/v1/tokens/${created.tokenId}`, { token: u.token });
    expect(res.status).toBe(204);
    const refused = await h.call("GET", "/v1/me", { token: created.token });
    expectUnauthorized(refused);
    expect(refused.body).toEqual((await badJwtAnswer()).body);
    expect(
      (
        await h.call("POST", "/v1/categories", {
          token: created.token,
          body: { name: "X", group: "essential" },
        })
      ).status,
    ).toBe(401);
    expect(await credentialItem(created.tokenId)).toBeUndefined();

    const list = (await h.call("GET", "/v1/tokens", { token: u.token })).body.items;
    const revoked = list.find((t: { tokenId: string }) => t.tokenId === created.tokenId);
    expect(revoked).toMatchObject({ status: "revoked", name: "leaked" });
    expect(Math.abs(Date.parse(revoked.revokedAt) - Date.now())).toBeLessThan(60_000);
    // the other token is untouched
    expect(list.find((t: { tokenId: string }) => t.tokenId === kept.tokenId)).toMatchObject({
      status: "active",
    });
    expect((await h.call("GET", "/v1/me", { token: kept.token })).status).toBe(200);
  });

  it("is idempotent: a second revocation answers 204 and writes no second audit record", async () => {
    const u = await signup(h);
    const created = await createToken(u);
    const [a, b] = await Promise.all([
      h.call("DELETE", `/v1/tokens/${created.tokenId}`, { token: u.token }),
      h.call("DELETE", `/v1/tokens/${created.tokenId}`, { token: u.token }),
    ]);
    expect([a.status, b.status]).toEqual([204, 204]);
    expect((await h.call("DELETE", `/v1/tokens/${created.tokenId}`, { token: u.token })).status).toBe(204);
    const actions = await auditActions(h.store, u.owner);
    expect(actions.filter((x) => x === "token.revoke")).toHaveLength(1);
  });

  it("answers 404 for another user's token exactly as for a missing one, and leaves it working", async () => {
    const [a, b] = await Promise.all([signup(h), signup(h)]);
    const aToken = await createToken(a, { name: "A's" });
    const [aBefore, bBefore] = await Promise.all([
      ownerItems(h.store, a.owner),
      ownerItems(h.store, b.owner),
    ]);
    const theirs = await h.call("DELETE", `/v1/tokens/${aToken.tokenId}`, { token: b.token });
    const missing = await h.call("DELETE", `/v1/tokens/${ulid()}`, { token: b.token });
    expect(theirs.status).toBe(404);
    expect(theirs.headers.get("content-type")).toBe(PROBLEM);
    expect(theirs.body).toEqual(missing.body);
    expect(JSON.stringify(theirs.body)).not.toContain(a.owner.userId);
    expect((await h.call("GET", "/v1/me", { token: aToken.token })).body.userId).toBe(a.owner.userId);
    expect(await credentialItem(aToken.tokenId)).toBeDefined();
    expect(withoutUse(await ownerItems(h.store, a.owner))).toEqual(withoutUse(aBefore));
    expect(await ownerItems(h.store, b.owner)).toEqual(bBefore);
    const bad = await h.call("DELETE", "/v1/tokens/not-an-id", { token: b.token });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["id"]);
  });
});

describe("expiry", () => {
  it("a token works until its expiresAt, then answers a bad JWT's 401 and lists as expired", async () => {
    const u = await signup(h);
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const created = await createToken(u, { name: "short", expiresAt });
    expect((await h.call("GET", "/v1/me", { token: created.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(expiresAt) - Date.now()) + 100));
    const res = await h.call("GET", "/v1/me", { token: created.token });
    expectUnauthorized(res);
    expect(res.body).toEqual((await badJwtAnswer()).body);
    const [listed] = (await h.call("GET", "/v1/tokens", { token: u.token })).body.items;
    expect(listed).toMatchObject({ tokenId: created.tokenId, status: "expired", revokedAt: null });
  });

  it("refuses a stored credential whose expiry has passed, whatever else is right", async () => {
    const u = await signup(h);
    const created = await createToken(u, { name: "aged", scope: "write" });
    const item = await credentialItem(created.tokenId);
    await h.store.db.send(
      new PutCommand({
        TableName: h.store.tables.users,
        Item: { ...item, expiresAt: new Date(Date.now() - 1000).toISOString() },
      }),
    );
    expectUnauthorized(await h.call("GET", "/v1/me", { token: created.token }));
  });
});

describe("personal access tokens cannot manage tokens", () => {
  it("a write token may not create, list or revoke tokens (403 session-required), and nothing changes", async () => {
    const u = await signup(h);
    const write = await createToken(u, { name: "writer", scope: "write" });
    const read = await createToken(u, { name: "reader" });
    const before = withoutUse(await ownerItems(h.store, u.owner));
    const calls = [
      { method: "POST", path: "/v1/tokens", body: { name: "successor", scope: "write" } },
      { method: "GET", path: "/v1/tokens" },
      { method: "DELETE", path: `/v1/tokens/${read.tokenId}` },
      { method: "DELETE", path: `/v1/tokens/${write.tokenId}` },
    ];
    for (const c of calls) {
      const res = await h.call(c.method, c.path, { token: write.token, ...(c.body ? { body: c.body } : {}) });
      expect({ c, status: res.status }).toEqual({ c, status: 403 });
      expect(res.headers.get("content-type")).toBe(PROBLEM);
      expect(res.body).toMatchObject({ type: "/problems/session-required", status: 403 });
    }
    // a read token listing tokens is refused too; creating one is a write, refused for its scope first
    const readList = await h.call("GET", "/v1/tokens", { token: read.token });
    expect(readList.body.type).toBe("/problems/session-required");
    const readCreate = await h.call("POST", "/v1/tokens", { token: read.token, body: { name: "x" } });
    expect(readCreate.status).toBe(403);
    expect(readCreate.body.type).toBe("/problems/insufficient-scope");
    expect(withoutUse(await ownerItems(h.store, u.owner))).toEqual(before);
    for (const t of [write, read])
      expect((await h.call("GET", "/v1/me", { token: t.token })).status).toBe(200);
  });
});

describe("verifyPersonalAccessToken (for the stdio MCP server)", () => {
  it("gives the owner's principal with the token's scope, and refuses revoked, expired and unknown tokens", async () => {
    const u = await signup(h, "Cli User");
    const day = new Date(Date.now() + 10 * DAY).toISOString();
    const created = await createToken(u, { name: "cli", scope: "write", expiresAt: day });
    const principal = await verifyPersonalAccessToken(h.store, created.token, { recordUse: false });
    expect(principal).toEqual({
      ...u.owner,
      email: u.email,
      name: "Cli User",
      scope: "write",
      via: "personal-access-token",
      tokenId: created.tokenId,
    });
    const read = await createToken(u, { name: "cli read" });
    expect((await verifyPersonalAccessToken(h.store, read.token, { recordUse: false })).scope).toBe("read");

    await expect(
      verifyPersonalAccessToken(h.store, created.token, { now: new Date(Date.now() + 11 * DAY) }),
    ).rejects.toBeInstanceOf(InvalidTokenError);
    await expect(verifyPersonalAccessToken(h.store, `${created.token}x`)).rejects.toBeInstanceOf(
      InvalidTokenError,
    );
    await expect(verifyPersonalAccessToken(h.store, u.token)).rejects.toBeInstanceOf(InvalidTokenError);
    expect((await h.call("DELETE", `/v1/tokens/${created.tokenId}`, { token: u.token })).status).toBe(204);
    await expect(verifyPersonalAccessToken(h.store, created.token)).rejects.toThrow("token is not valid");
  });

  it("records a use at most once a minute, per process and across processes", async () => {
    const u = await signup(h);
    const created = await createToken(u);
    const lastUsed = async () =>
      (await h.call("GET", "/v1/tokens", { token: u.token })).body.items[0].lastUsedAt as string | null;
    const t0 = new Date(Date.now() + DAY);
    const at = (ms: number) => new Date(t0.getTime() + ms);
    const one = new PersonalAccessTokenVerifier(h.store);
    const another = new PersonalAccessTokenVerifier(h.store);

    expect(await one.recordUse(u.owner, created.tokenId, at(0))).toBe(true);
    expect(await lastUsed()).toBe(at(0).toISOString());
    // the same process, 30 s later: no write at all
    const sent = h.commands.length;
    expect(await one.recordUse(u.owner, created.tokenId, at(30_000))).toBe(false);
    expect(aboutToken(h.commands.slice(sent), created.tokenId)).toEqual([]);
    // another process, 30 s later: it tries, and its conditional write is refused
    expect(await another.recordUse(u.owner, created.tokenId, at(30_000))).toBe(false);
    expect(aboutToken(h.commands.slice(sent), created.tokenId).map((c) => c.name)).toEqual([
      "UpdateItemCommand",
    ]);
    expect(await lastUsed()).toBe(at(0).toISOString());
    // over a minute after each one's last write or try, both record it again
    const later = at(30_000 + LAST_USED_INTERVAL_MS);
    expect(await another.recordUse(u.owner, created.tokenId, later)).toBe(true);
    expect(await lastUsed()).toBe(later.toISOString());
    const laterStill = at(30_000 + 2 * LAST_USED_INTERVAL_MS + 1);
    expect(await one.recordUse(u.owner, created.tokenId, laterStill)).toBe(true);
    expect(await lastUsed()).toBe(laterStill.toISOString());
    // a revoked token's use is not recorded
    expect((await h.call("DELETE", `/v1/tokens/${created.tokenId}`, { token: u.token })).status).toBe(204);
    expect(await one.recordUse(u.owner, created.tokenId, at(10 * LAST_USED_INTERVAL_MS))).toBe(false);
    expect((await h.call("GET", "/v1/tokens", { token: u.token })).body.items[0]).toMatchObject({
      status: "revoked",
      lastUsedAt: laterStill.toISOString(),
    });
  });

  it("finds the token with one GetItem of its credential", async () => {
    const u = await signup(h);
    const created = await createToken(u);
    const sent = h.commands.length;
    await verifyPersonalAccessToken(h.store, created.token, { recordUse: false });
    // verifyPersonalAccessToken uses the harness's store, so its commands are recorded too
    const mine = aboutToken(h.commands.slice(sent), created.tokenId);
    expect(mine.map((c) => c.name)).toEqual(["GetItemCommand"]);
    expect(mine[0]?.input).toMatchObject({
      TableName: h.store.tables.users,
      Key: { PK: `PAT#${created.tokenId}`, SK: "PAT" },
      ConsistentRead: true,
    });
  });
});
