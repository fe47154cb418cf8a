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
