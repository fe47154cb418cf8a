import { describe, expect, it } from "vitest";
import { expiryInstant, MAX_TOKEN_LIFETIME_DAYS, TokenCreate } from "../src";

const DAY = 24 * 60 * 60 * 1000;

describe("a token's expiry", () => {
  it("reads a date as 00:00 UTC that day and an instant as itself, in any offset", () => {
    expect(expiryInstant("2030-06-01")?.toISOString()).toBe("2030-06-01T00:00:00.000Z");
    expect(expiryInstant("2030-06-01T10:15Z")?.toISOString()).toBe("2030-06-01T10:15:00.000Z");
    expect(expiryInstant("2030-06-01T10:15:30+02:00")?.toISOString()).toBe("2030-06-01T08:15:30.000Z");
    expect(expiryInstant("2030-06-01T00:30:00-05:30")?.toISOString()).toBe("2030-06-01T06:00:00.000Z");
    expect(expiryInstant("2030-06-01T10:15:30.123Z")?.toISOString()).toBe("2030-06-01T10:15:30.123Z");
    expect(expiryInstant("2028-02-29")?.toISOString()).toBe("2028-02-29T00:00:00.000Z");
  });

  it.each([
    "2030-02-30",
    "2029-02-29",
    "2030-13-01",
    "2030-06-01T24:00:00Z",
    "2030-06-01T10:60Z",
    "2030-06-01T10:15",
    "2030-06-01 10:15Z",
    "30-06-01",
    "tomorrow",
    "",
  ])("refuses %j", (value) => {
    expect(expiryInstant(value)).toBeUndefined();
  });

  it("must be in the future and at most a year and a day away, normalised to a UTC instant", () => {
    const ok = TokenCreate.parse({ name: "t", expiresAt: new Date(Date.now() + DAY).toISOString() });
    expect(ok).toMatchObject({ name: "t", scope: "read" });
    expect(Date.parse(String(ok.expiresAt))).toBeGreaterThan(Date.now());
    const edge = new Date(Date.now() + MAX_TOKEN_LIFETIME_DAYS * DAY - 60_000).toISOString();
    expect(TokenCreate.safeParse({ name: "t", expiresAt: edge }).success).toBe(true);
    const messages = (expiresAt: string) =>
      TokenCreate.safeParse({ name: "t", expiresAt }).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(messages(new Date(Date.now() - 1000).toISOString())).toEqual([
      ["expiresAt", "must be in the future"],
    ]);
    expect(messages(new Date(Date.now() + (MAX_TOKEN_LIFETIME_DAYS + 1) * DAY).toISOString())).toEqual([
      ["expiresAt", "must be at most 366 days from now"],
    ]);
    expect(messages("soon")).toEqual([["expiresAt", "must be a date (YYYY-MM-DD) or an ISO 8601 instant"]]);
  });
});
