import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AmountParse,
  detectDecimalSeparator,
  MAX_AMOUNT_CENTS,
  parseAmount,
} from "../src/import/amounts";

function cents(r: AmountParse): number | string {
  return r.ok ? r.cents : r.reason;
}

describe("parseAmount", () => {
  it.each([
    ["1,234.56", ".", 123456],
    ["1.234,56", ",", 123456],
    ["-12.50", ".", -1250],
    ["(12.50)", ".", -1250],
    ["($1,234.56)", ".", -123456],
    ["$1,234.56", ".", 123456],
    ["-$12.50", ".", -1250],
    ["$-12.50", ".", -1250],
    ["€ 12,50", ",", 1250],
    ["12,50 €", ",", 1250],
    ["EUR -1.234,56", ",", -123456],
    ["1 234,56", ",", 123456],
    ["1\u00a0234,56", ",", 123456],
    ["1\u202f234,56", ",", 123456],
    ["1'234.56", ".", 123456],
    ["12", ".", 1200],
    ["+5.00", ".", 500],
    ["12.5", ".", 1250],
    ["12,5", ",", 1250],
    [".5", ".", 50],
    ["0.07", ".", 7],
    ["12.500", ".", 1250],
    ["12.50-", ".", -1250],
    ["12.50 DR", ".", -1250],
    ["12.50 CR", ".", 1250],
    ["\u221212.50", ".", -1250],
    ["1,234,567.89", ".", 123456789],
    ["1.234.567,89", ",", 123456789],
    ["0.00", ".", 0],
    ["-0.00", ".", 0],
    ["10000000000.00", ".", MAX_AMOUNT_CENTS],
  ])("%s with %s is %d cents", (text, sep, expected) => {
    expect(cents(parseAmount(text, sep as "." | ","))).toBe(expected);
  });

  it.each([
    ["", "."],
    ["   ", "."],
    ["abc", "."],
    ["12..50", "."],
    ["1.2.3", "."],
    ["12,50", "."],
    ["1,23.45", "."],
    ["1,2345.00", "."],
    ["12.50", ","],
    ["1e5", "."],
    ["0x10", "."],
    ["--5", "."],
    ["+-5", "."],
    ["$", "."],
    ["12.505", "."],
    ["12.5.", "."],
    ["10000000000.01", "."],
    ["999999999999999999", "."],
    ["12 34", "."],
    ["1,234 567", "."],
  ])("refuses %j with %s", (text, sep) => {
    expect(parseAmount(text, sep as "." | ",").ok).toBe(false);
  });

  it("explains why", () => {
    expect(parseAmount("12.345", ".")).toEqual({ ok: false, reason: '"12.345" has more than 2 decimals' });
    expect(parseAmount("10000000000.01", ".")).toEqual({
      ok: false,
      reason: '"10000000000.01" is too large',
    });
    expect(parseAmount("", ".")).toEqual({ ok: false, reason: "the amount is empty" });
    expect(parseAmount("n/a", ".")).toEqual({ ok: false, reason: '"n/a" is not an amount' });
  });

  it("round-trips any cents value written either way", () => {
    fc.assert(
      fc.property(fc.integer({ min: -MAX_AMOUNT_CENTS, max: MAX_AMOUNT_CENTS }), (n) => {
        const abs = Math.abs(n);
        const whole = Math.floor(abs / 100);
        const frac = String(abs % 100).padStart(2, "0");
        const sign = n < 0 ? "-" : "";
        const us = `${sign}${whole.toLocaleString("en-US")}.${frac}`;
        const de = `${sign}${whole.toLocaleString("de-DE")},${frac}`;
        expect(cents(parseAmount(us, "."))).toBe(n === 0 ? 0 : n);
        expect(cents(parseAmount(de, ","))).toBe(n === 0 ? 0 : n);
      }),
    );
  });
});

describe("detectDecimalSeparator", () => {
  it("reads the separator from a column's samples", () => {
    expect(detectDecimalSeparator(["1.234,56", "12,50"])).toBe(",");
    expect(detectDecimalSeparator(["-12,50", "3,00"])).toBe(",");
    expect(detectDecimalSeparator(["1,234.56", "12.50"])).toBe(".");
    expect(detectDecimalSeparator(["1.234.567"])).toBe(",");
    expect(detectDecimalSeparator(["1,234,567"])).toBe(".");
    expect(detectDecimalSeparator(["€ 1 234,5"])).toBe(",");
  });

  it('prefers "." when the samples are ambiguous, unless others say otherwise', () => {
    expect(detectDecimalSeparator(["1,234"])).toBe(".");
    expect(detectDecimalSeparator(["1.234"])).toBe(".");
    expect(detectDecimalSeparator(["12", "7"])).toBe(".");
    expect(detectDecimalSeparator([])).toBe(".");
    expect(detectDecimalSeparator(["1,234", "5,60"])).toBe(",");
  });
});
