import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_HOLD_MS, RefusalPacer } from "../src/auth/refusal-pacer";
import { DomainError, invalidField } from "../src/errors";

const busy = (retryAfterSeconds: number) => new DomainError("unavailable", "busy", { retryAfterSeconds });

/** When `pace(work)` settles, in fake milliseconds from now, and how. */
async function settle(pacer: RefusalPacer, work: () => Promise<unknown>) {
  const start = Date.now();
  const outcome = pacer.pace(work).then(
    (value) => ({ value, after: Date.now() - start }),
    (error: unknown) => ({ error, after: Date.now() - start }),
  );
  await vi.runAllTimersAsync();
  return outcome;
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("refused sign-ins are held until their Retry-After", () => {
  it("throws a refusal again only once its Retry-After has passed", async () => {
    const refusal = busy(1);
    const got = await settle(new RefusalPacer(), () => Promise.reject(refusal));
    expect(got).toEqual({ error: refusal, after: 1_000 });
  });

  it("holds a long Retry-After (a lockout's minutes) no longer than MAX_HOLD_MS", async () => {
    const got = await settle(new RefusalPacer(), () => Promise.reject(busy(900)));
    expect(got.after).toBe(MAX_HOLD_MS);
  });

  it("answers success, and failures without a Retry-After, at once", async () => {
    const pacer = new RefusalPacer();
    expect(await settle(pacer, () => Promise.resolve("session"))).toEqual({ value: "session", after: 0 });
    const wrong = invalidField("email", "is wrong");
    expect(await settle(pacer, () => Promise.reject(wrong))).toEqual({ error: wrong, after: 0 });
    expect(await settle(pacer, () => Promise.reject(new Error("db down")))).toMatchObject({ after: 0 });
  });

  it("holds at most maxHeld at once; beyond that, refusals go out at once", async () => {
    const pacer = new RefusalPacer(1_000, 3);
    const start = Date.now();
    const outcomes = Array.from({ length: 5 }, () =>
      pacer.pace(() => Promise.reject(busy(1))).catch(() => Date.now() - start),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(pacer.held).toBe(3);
    await vi.runAllTimersAsync();
    expect((await Promise.all(outcomes)).sort((a, b) => a - b)).toEqual([0, 0, 1_000, 1_000, 1_000]);
    expect(pacer.held).toBe(0);
  });
});
