import { describe, expect, it } from "vitest";
import { figuresIn, ungroundedFigures } from "../src/ai/grounding";

describe("the figures an answer states", () => {
  it("reads amounts as cents, and dates and months in ISO and in words", () => {
    expect(
      figuresIn("Pay $1,234.56 by March 5, 2027; $80 more; debt-free in 2028-02 or June 2029 (2027-04-30)."),
    ).toEqual([
      { text: "$1,234.56", kind: "amount", value: 123_456 },
      { text: "$80", kind: "amount", value: 8_000 },
      { text: "March 5, 2027", kind: "date", value: "2027-03-05" },
      { text: "June 2029", kind: "month", value: "2029-06" },
      { text: "2027-04-30", kind: "date", value: "2027-04-30" },
      { text: "2028-02", kind: "month", value: "2028-02" },
    ]);
  });

  it("counts a figure grounded only when a tool's input or output holds it", () => {
    const tools = [
      { input: { extraMonthly: 5_000 } },
      { output: { totalInterest: 123_456, debtFreeMonth: "2028-02", due: "2027-03-05" } },
    ];
    expect(
      ungroundedFigures(
        "Adding $50 saves $1,234.56: debt-free in February 2028, first due March 5, 2027.",
        tools,
      ),
    ).toEqual([]);
    expect(ungroundedFigures("You save $1,234.57 and finish in March 2028; due 2027-03-06.", tools)).toEqual([
      { text: "$1,234.57", kind: "amount", value: 123_457 },
      { text: "March 2028", kind: "month", value: "2028-03" },
      { text: "2027-03-06", kind: "date", value: "2027-03-06" },
    ]);
  });
});

describe("amounts in other currencies", () => {
  it("reads an ISO code before or after the number, and the euro and pound signs, in minor units", () => {
    expect(
      figuresIn("Pay EUR 1,010 now, EUR 10.50 of interest; 1,234.56 GBP; €80 or £7.05; JPY 1,200."),
    ).toEqual([
      { text: "EUR 1,010", kind: "amount", value: 101_000 },
      { text: "EUR 10.50", kind: "amount", value: 1_050 },
      { text: "JPY 1,200", kind: "amount", value: 1_200 },
      { text: "1,234.56 GBP", kind: "amount", value: 123_456 },
      { text: "€80", kind: "amount", value: 8_000 },
      { text: "£7.05", kind: "amount", value: 705 },
    ]);
  });

  it("takes only real ISO codes in capitals, and a year before a code-first amount is no amount", () => {
    // The lek has no minor unit in Intl: "ALL 3", in capitals, is three of them.
    expect(figuresIn("APR 12 on all 3 cards; ALL 3 is another matter")).toEqual([
      { text: "ALL 3", kind: "amount", value: 3 },
    ]);
    expect(figuresIn("In January 2030 EUR 1,200 is left.")).toEqual([
      { text: "EUR 1,200", kind: "amount", value: 120_000 },
      { text: "January 2030", kind: "month", value: "2030-01" },
    ]);
  });

  it("grounds them by the tool's minor units, and never an amount with more decimals than its currency", () => {
    const tools = [{ output: { currency: "EUR", monthlyAmount: 120_000, yen: 1_200 } }];
    expect(ungroundedFigures("EUR 1,200 a month; JPY 1,200 once.", tools)).toEqual([]);
    expect(ungroundedFigures("EUR 1,200.001 and EUR 1,201", tools)).toEqual([
      { text: "EUR 1,200.001", kind: "amount", value: Number.NaN },
      { text: "EUR 1,201", kind: "amount", value: 120_100 },
    ]);
  });
});
