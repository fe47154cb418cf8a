import { scryptSync } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { PasswordHasher } from "../src/auth/password-hasher";
import { DomainError } from "../src/errors";

const hasher = new PasswordHasher(2);
afterAll(() => hasher.close());

describe("the password hasher", () => {
  it("derives exactly node's scrypt, in its worker", async () => {
    const salt = Buffer.from("0123456789abcdef");
    const params = { N: 2 ** 10, r: 8, p: 1 };
    const key = await hasher.derive("a passphrase", salt, 32, params);
    expect(key.equals(scryptSync("a passphrase", salt, 32, params))).toBe(true);
  });

  it("runs one at a time with a bounded queue, refusing the rest at once as busy with a Retry-After", async () => {
    const params = { N: 2 ** 14, r: 8, p: 1 };
    const salt = Buffer.alloc(16, 1);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => hasher.derive(`pw ${i}`, salt, 32, params)),
    );
    expect(results.map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
      "rejected",
      "rejected",
    ]);
    const refused = (results[3] as PromiseRejectedResult).reason;
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused.failure).toBe("unavailable");
    expect(refused.extra.retryAfterSeconds).toBeGreaterThan(0);
    expect(hasher.pending).toBe(0);
  });
});
