import { describe, expect, it } from "vitest";
import { analyse, CHECKING, expense, income, refund, SAVINGS, transfer } from "./support/analytics-fixtures";

// The daily series of docs/ANALYTICS.md ("Daily") and the day the figures run to.

describe("daily spending", () => {
  it("runs over every day of a 30-day month, net of refunds, with the budget's even pace", () => {
    const f = analyse({
      limits: { groceries: 60_000, dining: 40_000 },
      transactions: [
        expense("groceries", 1_000, { date: "2025-06-01" }),
        expense("groceries", 2_500, { date: "2025-06-03" }),
        refund("groceries", 500, { date: "2025-06-03" }),
        income(200_000, { date: "2025-06-04" }),
        refund("dining", 1_200, { date: "2025-06-05" }),
        ...transfer(CHECKING, SAVINGS, 9_999, { date: "2025-06-06" }),
        expense("dining", 4_000, { date: "2025-06-30" }),
      ],
    });
    expect(f.daily).toHaveLength(30);
    // budgeted 100000: pace = round(100000 × day / 30)
    expect(f.daily.slice(0, 6)).toEqual([
      { date: "2025-06-01", spent: 1_000, cumulative: 1_000, pace: 3_333 },
      { date: "2025-06-02", spent: 0, cumulative: 1_000, pace: 6_667 },
      { date: "2025-06-03", spent: 2_000, cumulative: 3_000, pace: 10_000 },
      { date: "2025-06-04", spent: 0, cumulative: 3_000, pace: 13_333 },
      { date: "2025-06-05", spent: -1_200, cumulative: 1_800, pace: 16_667 },
      { date: "2025-06-06", spent: 0, cumulative: 1_800, pace: 20_000 },
    ]);
    expect(f.daily[28]).toEqual({ date: "2025-06-29", spent: 0, cumulative: 1_800, pace: 96_667 });
    expect(f.daily[29]).toEqual({ date: "2025-06-30", spent: 4_000, cumulative: 5_800, pace: 100_000 });
    expect(f.totals.expenses).toBe(5_800);
  });

  it.each([
    // month, days, pace of day 1, a middle day and its pace
    ["2025-02", 28, 3_571, 14, 50_000],
    ["2024-02", 29, 3_448, 15, 51_724],
    ["2025-01", 31, 3_226, 16, 51_613],
    ["2025-04", 30, 3_333, 15, 50_000],
  ] as const)("has one entry per day of %s (%i days)", (month, days, first, mid, midPace) => {
    const f = analyse({
      month,
      today: `${month}-10`,
      limits: { groceries: 100_000 },
      transactions: [expense("groceries", 700, { date: `${month}-${days}` })],
    });
    expect(f.daily).toHaveLength(days);
    expect(f.daily[0]).toEqual({ date: `${month}-01`, spent: 0, cumulative: 0, pace: first });
    expect(f.daily[mid - 1]?.pace).toBe(midPace);
    expect(f.daily[days - 1]).toEqual({
      date: `${month}-${days}`,
      spent: 700,
      cumulative: 700,
      pace: 100_000,
    });
  });

  it("has a pace of 0 without a plan", () => {
    const f = analyse({ unplanned: true, transactions: [expense("dining", 500, { date: "2025-06-02" })] });
    expect(f.daily.every((d) => d.pace === 0)).toBe(true);
    expect(f.daily[29]?.cumulative).toBe(500);
  });
});

describe("the day the figures run to", () => {
  it.each([
    ["2025-05-20", "2025-06-01"],
    ["2025-06-01", "2025-06-01"],
    ["2025-06-17", "2025-06-17"],
    ["2025-06-30", "2025-06-30"],
    ["2025-08-02", "2025-06-30"],
  ])("on %s is %s", (today, asOf) => {
    expect(analyse({ today }).asOf).toBe(asOf);
  });
});
