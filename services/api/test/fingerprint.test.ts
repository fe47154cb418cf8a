import { readFileSync } from "node:fs";
import { type ParsedRow, parseCsv } from "@tyche/core";
import { decodeTime, isValid } from "ulid";
import { describe, expect, it } from "vitest";
import { csvFingerprints, importTransactionId, ofxFingerprint } from "../src/imports/fingerprint";

const coffee: ParsedRow = {
  line: 2,
  date: "2025-02-03",
  amount: 575,
  type: "expense",
  direction: "debit",
  kind: "expense",
  pending: false,
  paymentLike: false,
  merchantRaw: "SQ *BLUE BOTTLE COFFEE",
  description: "SQ *BLUE BOTTLE COFFEE",
};

describe("csvFingerprints", () => {
  it("gives identical rows in one file different fingerprints, by occurrence", () => {
    const [a, b, c] = csvFingerprints([coffee, { ...coffee, line: 3 }, { ...coffee, line: 4, amount: 600 }]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(c).not.toBe(a);
    expect(c).not.toBe(b);
  });

  it("matches every row of a re-imported file to itself", () => {
    const text = readFileSync(new URL("./fixtures/us-signed.csv", import.meta.url), "utf8");
    const first = csvFingerprints(parseCsv(text).rows);
    const again = csvFingerprints(parseCsv(text).rows);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(first.length);
  });

  it("ignores the line, merchant noise, case and spacing, but not date, amount or type", () => {
    const [base] = csvFingerprints([coffee]);
    const same = {
      ...coffee,
      line: 99,
      merchantRaw: "SQ * BLUE BOTTLE COFFEE",
      description: "sq *blue  bottle coffee ",
    };
    expect(csvFingerprints([same])[0]).toBe(base);
    expect(csvFingerprints([{ ...coffee, date: "2025-02-04" }])[0]).not.toBe(base);
    expect(csvFingerprints([{ ...coffee, amount: 576 }])[0]).not.toBe(base);
    expect(csvFingerprints([{ ...coffee, type: "income" }])[0]).not.toBe(base);
    expect(csvFingerprints([{ ...coffee, description: "other" }])[0]).not.toBe(base);
  });

  it("does not let a field boundary move between fields", () => {
    const a = { ...coffee, merchantRaw: "", description: "a b" };
    const b = { ...coffee, merchantRaw: "a", description: "b" };
    expect(csvFingerprints([a])[0]).not.toBe(csvFingerprints([b])[0]);
  });
});

describe("ofxFingerprint", () => {
  it("is stable per account and FITID", () => {
    expect(ofxFingerprint("123", "F1")).toBe(ofxFingerprint("123", "F1"));
    expect(ofxFingerprint("123", "F1")).not.toBe(ofxFingerprint("124", "F1"));
    expect(ofxFingerprint("123", "F1")).not.toBe(ofxFingerprint("123", "F2"));
    expect(ofxFingerprint(null, "F1")).toMatch(/^[0-9a-f]{64}$/);
    expect(ofxFingerprint("12", "3F1")).not.toBe(ofxFingerprint("123", "F1"));
  });

  it("never collides with a CSV fingerprint", () => {
    expect(csvFingerprints([coffee])).not.toContain(ofxFingerprint(null, coffee.date));
  });
});

describe("importTransactionId", () => {
  it("is a ULID whose time is the date at 00:00 UTC", () => {
    const id = importTransactionId("2025-02-03", "fp");
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(isValid(id)).toBe(true);
    expect(decodeTime(id)).toBe(Date.UTC(2025, 1, 3));
    expect(decodeTime(importTransactionId("1970-01-01", "fp"))).toBe(0);
    expect(decodeTime(importTransactionId("2999-12-31", "fp"))).toBe(Date.UTC(2999, 11, 31));
  });

  it("is deterministic, and differs by fingerprint in the random part only", () => {
    const a = importTransactionId("2025-02-03", "fp-a");
    expect(importTransactionId("2025-02-03", "fp-a")).toBe(a);
    const b = importTransactionId("2025-02-03", "fp-b");
    expect(b).not.toBe(a);
    expect(b.slice(0, 10)).toBe(a.slice(0, 10));
    expect(importTransactionId("2025-02-04", "fp-a").slice(10)).toBe(a.slice(10));
  });

  it("sorts by date like any ULID", () => {
    const ids = ["2025-03-01", "2024-12-31", "2025-01-15"].map((d) => importTransactionId(d, "x"));
    expect([...ids].sort()).toEqual([ids[1], ids[2], ids[0]]);
  });

  it("takes the random part from the first 80 bits of sha256(fingerprint)", () => {
    // sha256("fp") = 5aef96240bca5582e6fd...; 80 bits = 16 Crockford base32 characters.
    const bits = 0x5aef96240bca5582e6fdn;
    const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let expected = "";
    for (let i = 15; i >= 0; i--) expected += alphabet[Number((bits >> BigInt(i * 5)) & 31n)];
    expect(importTransactionId("1970-01-01", "fp")).toBe(`0000000000${expected}`);
  });

  it("refuses dates that are not real YYYY-MM-DD", () => {
    expect(() => importTransactionId("2025-02-30", "fp")).toThrow(RangeError);
    expect(() => importTransactionId("02/03/2025", "fp")).toThrow(RangeError);
    expect(() => importTransactionId("1969-12-31", "fp")).toThrow(RangeError);
  });
});
