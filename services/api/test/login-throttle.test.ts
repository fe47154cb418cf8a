import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { keys } from "../src/db/keys";
import { LoginThrottle, MAX_FAILURES, WINDOW_SECONDS } from "../src/db/login-throttle";
import { type Harness, harness, signup, uniqueEmail } from "./support/harness";

let h: Harness;
let throttle: LoginThrottle;
beforeAll(() => {
  h = harness();
  throttle = new LoginThrottle(h.store);
});

const WINDOW_MS = WINDOW_SECONDS * 1000;

function login(email: string, password: string) {
  return h.call("POST", "/v1/auth/login", { body: { email, password } });
}

async function throttleItem(email: string) {
  const { Item } = await h.store.db.send(
    new GetCommand({ TableName: h.store.tables.users, Key: keys.loginThrottle(email), ConsistentRead: true }),
  );
  return Item;
}

function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
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
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(50);
    for (const r of replies.filter((r) => r.status === 429)) {
      expect(r.headers.get("content-type")).toBe("application/problem+json");
      const wait = Number(r.headers.get("retry-after"));
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(WINDOW_SECONDS);
    }
    // The right password is refused too until the window ends: it is one more guess.
    expect((await login(a.email, a.password)).status).toBe(429);
  });

  it("throttles an unknown e-mail exactly as a known one", async () => {
    const email = uniqueEmail("nobody");
    const replies = await Promise.all(Array.from({ length: 20 }, () => login(email, "some password here")));
    const counts = tally(replies.map((r) => r.status));
    expect(counts[401] ?? 0).toBeLessThanOrEqual(MAX_FAILURES);
    expect((counts[401] ?? 0) + (counts[429] ?? 0)).toBe(20);
    const unauthorized = replies.find((r) => r.status === 401);
    expect(unauthorized?.body.detail).toBe("Email or password is incorrect");
  });
});

describe("login throttle window", () => {
  it("starts a new window once the old one is over", async () => {
    const a = await signup(h);
    const past = Date.now() - WINDOW_MS - 1000;
    for (let i = 0; i < MAX_FAILURES; i++) expect(await throttle.attempt(a.email, past)).toBe(0);
    expect(await throttle.attempt(a.email, past + 1000)).toBeGreaterThan(0);

    // The window that started at `past` is over now: the right password gets through.
    expect((await login(a.email, a.password)).status).toBe(200);
  });

  it("lets exactly MAX_FAILURES of 50 parallel attempts through when they find the window over", async () => {
    const email = uniqueEmail("reset");
    const past = Date.now() - WINDOW_MS - 1000;
    for (let i = 0; i < MAX_FAILURES; i++) await throttle.attempt(email, past);
    const now = Date.now();
    const waits = await Promise.all(Array.from({ length: 50 }, () => throttle.attempt(email, now)));
    expect(waits.filter((w) => w === 0)).toHaveLength(MAX_FAILURES);
    const item = await throttleItem(email);
    expect(item).toMatchObject({ windowStart: now, attempts: MAX_FAILURES });
  });

  it("answers how long until the window ends", async () => {
    const email = uniqueEmail("wait");
    const start = Date.now();
    for (let i = 0; i < MAX_FAILURES; i++) await throttle.attempt(email, start);
    expect(await throttle.attempt(email, start + 60_000)).toBe(WINDOW_SECONDS - 60);
    expect(await throttle.attempt(email, start + WINDOW_MS - 1)).toBe(1);
    expect(await throttle.attempt(email, start + WINDOW_MS)).toBe(0);
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
