import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_HOLD_MS } from "../src/auth/refusal-pacer";
import { counterKey, LIMITS, LoginThrottle, MAX_FAILURES, WINDOW_SECONDS } from "../src/db/login-throttle";
import { type Harness, harness, signup, uniqueEmail } from "./support/harness";

let h: Harness;
let throttle: LoginThrottle;
beforeAll(() => {
  h = harness();
  throttle = new LoginThrottle(h.store);
});

const WINDOW_MS = WINDOW_SECONDS * 1000;

function login(email: string, password: string, opts: { client?: string; cookie?: string } = {}) {
  return h.call("POST", "/v1/auth/login", {
    body: { email, password },
    ...(opts.client ? { client: opts.client } : {}),
    ...(opts.cookie ? { headers: { cookie: opts.cookie } } : {}),
  });
}

/** One attempt at the pair (this harness's client, the e-mail): the strict counter. */
const attempt = (email: string, now: number) =>
  throttle.counters.attempt(counterKey("pair", { email, client: h.client }), MAX_FAILURES, now);

async function throttleItem(email: string) {
  const { Item } = await h.store.db.send(
    new GetCommand({
      TableName: h.store.tables.users,
      Key: counterKey("pair", { email, client: h.client }),
      ConsistentRead: true,
    }),
  );
  return Item;
}

let clients = 0;
const newClient = () => `192.0.2.${++clients}`;

function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}

/** Node's timers keep a clock read at the start of a loop turn: a hold can end a millisecond early. */
const HELD_MS = MAX_HOLD_MS - 5;

/** A login and how long its answer took. */
async function timedLogin(...args: Parameters<typeof login>) {
  const start = performance.now();
  const reply = await login(...args);
  return { ...reply, tookMs: performance.now() - start };
}

/** Every 503 among `replies` is the hashing queue's refusal, with a Retry-After. */
function expectBusy(replies: { status: number; headers: Headers; body: { type?: string } }[]) {
  for (const r of replies.filter((r) => r.status === 503)) {
    expect(r.body.type).toMatch(/busy$/);
    expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0);
  }
}

describe("login throttle under parallel guesses", () => {
  it("verifies at most MAX_FAILURES of 50 parallel wrong passwords for one e-mail", async () => {
    const a = await signup(h);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => login(a.email, `wrong password number ${i}`)),
    );
    const counts = tally(replies.map((r) => r.status));
    // Printed so a run against an implementation that checks after verifying shows how far it leaked.
    console.log(`50 parallel wrong passwords: ${JSON.stringify(counts)}`);
    expect(counts[401] ?? 0).toBeLessThanOrEqual(MAX_FAILURES);
    // Those beyond the hashing queue's places are refused at the door (503 busy); of those let in,
    // more than MAX_FAILURES, the throttle refuses all but MAX_FAILURES.
    expect((counts[401] ?? 0) + (counts[429] ?? 0) + (counts[503] ?? 0)).toBe(50);
    expect(counts[429] ?? 0).toBeGreaterThan(0);
    expectBusy(replies);
    for (const r of replies.filter((r) => r.status === 429)) {
      expect(r.headers.get("content-type")).toBe("application/problem+json");
      const wait = Number(r.headers.get("retry-after"));
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(WINDOW_SECONDS);
    }
    // From that client the right password is refused too until the window ends: it is one more guess.
    expect((await login(a.email, a.password)).status).toBe(429);
    // The owner, from any other client, is not locked out.
    expect((await login(a.email, a.password, { client: newClient() })).status).toBe(200);
  });

  it("throttles an unknown e-mail exactly as a known one", async () => {
    const email = uniqueEmail("nobody");
    const replies = await Promise.all(Array.from({ length: 20 }, () => login(email, "some password here")));
    const counts = tally(replies.map((r) => r.status));
    expect(counts[401] ?? 0).toBeLessThanOrEqual(MAX_FAILURES);
    expect((counts[401] ?? 0) + (counts[429] ?? 0) + (counts[503] ?? 0)).toBe(20);
    expect(counts[429] ?? 0).toBeGreaterThan(0);
    expectBusy(replies);
    const unauthorized = replies.find((r) => r.status === 401);
    expect(unauthorized?.body.detail).toBe("Email or password is incorrect");
  });
});

describe("login throttle window", () => {
  it("starts a new window once the old one is over", async () => {
    const a = await signup(h);
    const past = Date.now() - WINDOW_MS - 1000;
    for (let i = 0; i < MAX_FAILURES; i++) expect(await attempt(a.email, past)).toBe(0);
    expect(await attempt(a.email, past + 1000)).toBeGreaterThan(0);

    // The window that started at `past` is over now: the right password gets through.
    expect((await login(a.email, a.password)).status).toBe(200);
  });

  it("lets exactly MAX_FAILURES of 50 parallel attempts through when they find the window over", async () => {
    const email = uniqueEmail("reset");
    const past = Date.now() - WINDOW_MS - 1000;
    for (let i = 0; i < MAX_FAILURES; i++) await attempt(email, past);
    const now = Date.now();
    const waits = await Promise.all(Array.from({ length: 50 }, () => attempt(email, now)));
    expect(waits.filter((w) => w === 0)).toHaveLength(MAX_FAILURES);
    const item = await throttleItem(email);
    expect(item).toMatchObject({ windowStart: now, attempts: MAX_FAILURES });
  });

  it("answers how long until the window ends", async () => {
    const email = uniqueEmail("wait");
    const start = Date.now();
    for (let i = 0; i < MAX_FAILURES; i++) await attempt(email, start);
    expect(await attempt(email, start + 60_000)).toBe(WINDOW_SECONDS - 60);
    expect(await attempt(email, start + WINDOW_MS - 1)).toBe(1);
    expect(await attempt(email, start + WINDOW_MS)).toBe(0);
  });
});

describe("a correct password within the allowance", () => {
  it("logs in and clears the count", async () => {
    const a = await signup(h);
    for (let i = 0; i < MAX_FAILURES - 1; i++)
      expect((await login(a.email, `wrong ${i} password`)).status).toBe(401);
    expect((await throttleItem(a.email))?.attempts).toBe(MAX_FAILURES - 1);

    const ok = await login(a.email, a.password);
    expect(ok.status).toBe(200);
    expect(await throttleItem(a.email)).toBeUndefined();

    // A full allowance again after the clear.
    for (let i = 0; i < MAX_FAILURES - 1; i++)
      expect((await login(a.email, `wrong ${i} password`)).status).toBe(401);
    expect((await login(a.email, a.password)).status).toBe(200);
  });
});

describe("nobody can lock the owner out, nor spray passwords", () => {
  it("a client that fails at an account is refused there; the owner from a clean client logs in", async () => {
    const a = await signup(h);
    const attacker = newClient();
    for (let i = 0; i < MAX_FAILURES; i++)
      expect((await login(a.email, `guess ${i} here`, { client: attacker })).status).toBe(401);
    const refused = await login(a.email, a.password, { client: attacker });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await login(a.email, a.password, { client: newClient() })).status).toBe(200);
  });

  it("guesses spread over many clients lock new clients out of the account, not the owner's device (device cookie)", async () => {
    const a = await signup(h);
    const device = newClient();
    const first = await login(a.email, a.password, { client: device });
    expect(first.status).toBe(200);
    const setCookie = first.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(/^tyche_device=[^;]+;.*HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    const cookie = setCookie.split(";")[0] as string;
    for (let i = 0; i < LIMITS.account; i++) await login(a.email, `guess ${i} here`, { client: newClient() });
    expect((await login(a.email, a.password, { client: newClient() })).status).toBe(429);
    // The owner's device, and with its cookie even from a new address, gets in.
    expect((await login(a.email, a.password, { client: device, cookie })).status).toBe(200);
    expect((await login(a.email, a.password, { client: newClient(), cookie })).status).toBe(200);
    // A cookie for another account, or a forged one, does not exempt.
    const b = await signup(h);
    expect((await login(b.email, b.password, { client: newClient(), cookie })).status).toBe(200);
    const forged = `tyche_device=${Buffer.from(a.email).toString("base64url")}.abc.def`;
    expect((await login(a.email, a.password, { client: newClient(), cookie: forged })).status).toBe(429);
  });

  it("one client spraying passwords across accounts is refused after LIMITS.client failures", async () => {
    const sprayer = newClient();
    // The client's failures so far, counted as its logins count them (no scrypt needed to get there).
    const now = Date.now();
    for (let i = 0; i < LIMITS.client; i++)
      expect(
        await throttle.counters.attempt(
          counterKey("client", { email: "", client: sprayer }),
          LIMITS.client,
          now,
        ),
      ).toBe(0);
    const victim = await signup(h);
    const refused = await login(victim.email, "Summer2024!!", { client: sprayer });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // even with the victim's right password: every guess from there is refused
    expect((await login(victim.email, victim.password, { client: sprayer })).status).toBe(429);
    expect((await login(victim.email, victim.password, { client: newClient() })).status).toBe(200);
  });

  it("answers a refused client again from memory, without a DynamoDB call", async () => {
    const a = await signup(h);
    const attacker = newClient();
    for (let i = 0; i < MAX_FAILURES + 1; i++) await login(a.email, `guess ${i} here`, { client: attacker });
    const before = h.commands.length;
    const refused = await timedLogin(a.email, "another guess", { client: attacker });
    expect(refused.status).toBe(429);
    expect(h.commands.slice(before)).toEqual([]);
    // and only after a hold: resending at once gets no more answers than waiting as told
    expect(refused.tookMs).toBeGreaterThanOrEqual(HELD_MS);
  });

  it("ignores X-Forwarded-For unless a trusted proxy is configured", async () => {
    const a = await signup(h);
    const attacker = newClient();
    for (let i = 0; i < MAX_FAILURES; i++)
      await h.call("POST", "/v1/auth/login", {
        client: attacker,
        headers: { "x-forwarded-for": `198.51.100.${i}` },
        body: { email: a.email, password: `guess ${i} here` },
      });
    const rotated = await h.call("POST", "/v1/auth/login", {
      client: attacker,
      headers: { "x-forwarded-for": "198.51.100.200" },
      body: { email: a.email, password: a.password },
    });
    expect(rotated.status).toBe(429);
  });

  it("a flood of logins from many clients is answered 503 busy with Retry-After beyond the hashing queue, refused before any DynamoDB work", async () => {
    // What one wrong login costs in DynamoDB commands: the throttle's counters, the credential read.
    const one = h.commands.length;
    expect((await login(uniqueEmail("one"), "some long password", { client: newClient() })).status).toBe(401);
    const perLogin = h.commands.length - one;
    expect(perLogin).toBeGreaterThan(0);

    const before = h.commands.length;
    const replies = await Promise.all(
      Array.from({ length: 32 }, () =>
        timedLogin(uniqueEmail("flood"), "some long password", { client: newClient() }),
      ),
    );
    const counts = tally(replies.map((r) => r.status));
    expect((counts[401] ?? 0) + (counts[503] ?? 0)).toBe(32);
    expect(counts[503] ?? 0).toBeGreaterThan(0);
    const busy = replies.find((r) => r.status === 503);
    expect(busy?.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(busy?.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(busy?.body.type).toMatch(/busy$/);
    // Each refusal is held until its Retry-After (a second) has passed, so a flood that resends at
    // once is answered no more often than one that waits.
    for (const r of replies.filter((r) => r.status === 503)) expect(r.tookMs).toBeGreaterThanOrEqual(HELD_MS);
    // Only the logins let in did DynamoDB work; a refused one had done the throttle's writes and
    // the credential read before it asked for its hash, and a flood resending at once repeats that.
    expect(h.commands.length - before).toBeLessThanOrEqual((counts[401] ?? 0) * perLogin);
  });
});
