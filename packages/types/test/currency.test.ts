import { describe, expect, it } from "vitest";
import { BudgetCreate, CurrencyCode, currencyMinorUnits, currencyProblem } from "../src";

describe("currency minor units", () => {
  it("knows the decimals of common currencies", () => {
    expect(currencyMinorUnits("USD")).toBe(2);
    expect(currencyMinorUnits("EUR")).toBe(2);
    expect(currencyMinorUnits("JPY")).toBe(0);
    expect(currencyMinorUnits("KRW")).toBe(0);
    expect(currencyMinorUnits("BHD")).toBe(3);
    expect(currencyMinorUnits("KWD")).toBe(3);
    expect(currencyMinorUnits("XYZ")).toBeUndefined();
    expect(currencyMinorUnits("usd")).toBeUndefined();
  });

  it("accepts only currencies with two decimals, saying why not", () => {
    expect(currencyProblem("USD")).toBeUndefined();
    expect(currencyProblem("GBP")).toBeUndefined();
    expect(currencyProblem("JPY")).toBe(
      "JPY has 0 decimal places; only currencies with 2 are supported for now",
    );
    expect(currencyProblem("KWD")).toBe(
      "KWD has 3 decimal places; only currencies with 2 are supported for now",
    );
    expect(currencyProblem("XYZ")).toBe("must be an ISO 4217 currency code such as USD");
  });

  it("is what the CurrencyCode schema checks", () => {
    expect(CurrencyCode.safeParse("EUR").success).toBe(true);
    const jpy = CurrencyCode.safeParse("JPY");
    expect(jpy.success).toBe(false);
    expect(jpy.error?.issues[0]?.message).toBe(
      "JPY has 0 decimal places; only currencies with 2 are supported for now",
    );
    const budget = BudgetCreate.safeParse({ month: "2024-03", totalIncome: 1, currency: "BHD" });
    expect(budget.error?.issues).toEqual([
      expect.objectContaining({
        path: ["currency"],
        message: expect.stringMatching(/^BHD has 3 decimal places/),
      }),
    ]);
  });
});
