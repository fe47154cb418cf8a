import { describe, expect, it } from "vitest";
import {
  assessGoal,
  ceilDiv,
  crossedMilestones,
  goalMonthsLeft,
  goalOnTrack,
  goalPace,
  goalProjectedCompletion,
  goalRequiredMonthly,
  goalStartMonth,
  milestonePercents,
  milestoneReached,
  updateMilestones,
} from "../src/goals";

// Hand-worked cases for the goal maths of docs/GOALS.md.

describe("goalMonthsLeft: every calendar month with a day from today to the target, both included", () => {
  it.each([
    ["2025-01-15", "2025-12-01", 12, "January to December; a target on the 1st still counts its month"],
    ["2025-01-15", "2025-01-15", 1, "a target today: this month only"],
    ["2025-01-15", "2025-01-31", 1, "a target later this month"],
    ["2025-01-31", "2025-01-31", 1, "the last day of the month, target today"],
    ["2025-01-31", "2025-02-01", 2, "one day apart, two months"],
    ["2024-12-31", "2025-01-01", 2, "across a year end"],
    ["2024-01-31", "2024-02-29", 2, "to a leap day"],
    ["2024-02-29", "2025-02-28", 13, "from a leap day to the same day a year on"],
    ["2023-02-28", "2024-02-29", 13, "from a common year's February end to a leap year's"],
    ["2025-03-01", "2025-02-28", 0, "a target yesterday is past"],
    ["2024-03-01", "2024-02-29", 0, "a past leap day"],
    ["2020-06-15", "2019-01-01", 0, "long past"],
  ])("today %s, target %s: %i (%s)", (today, target, months) => {
    expect(goalMonthsLeft(today, target)).toBe(months);
  });

  it("refuses what is not a date", () => {
    expect(() => goalMonthsLeft("2025-1-5", "2025-12-01")).toThrow(RangeError);
    expect(() => goalMonthsLeft("2025-01-05", "2025-13-01")).toThrow(RangeError);
  });
});

describe("goalRequiredMonthly: what is left over the months left, rounded up to the cent", () => {
  const goal = (targetAmount: number, currentAmount: number, targetDate: string) => ({
    targetAmount,
    currentAmount,
    targetDate,
  });

  it("spreads what is left evenly: $1,200 by December from mid-January is $100 a month", () => {
    expect(goalRequiredMonthly(goal(120_000, 0, "2025-12-01"), "2025-01-15")).toBe(10_000);
  });

  it("rounds up: $1,000 over three months is $333.34, which reaches it ($1,000.02), $333.33 does not", () => {
    expect(goalRequiredMonthly(goal(100_000, 0, "2025-03-31"), "2025-01-10")).toBe(33_334);
  });

  it("counts only what is left: $250 saved of $1,000, over 5 months, is $150", () => {
    expect(goalRequiredMonthly(goal(100_000, 25_000, "2025-05-01"), "2025-01-31")).toBe(15_000);
  });

  it("is 0 once reached, and when the goal holds more than its target", () => {
    expect(goalRequiredMonthly(goal(100_000, 100_000, "2025-05-01"), "2025-01-31")).toBe(0);
    expect(goalRequiredMonthly(goal(100_000, 130_000, "2025-05-01"), "2025-01-31")).toBe(0);
    expect(goalRequiredMonthly(goal(100_000, 100_000, "2020-05-01"), "2025-01-31")).toBe(0);
  });

  it("asks for everything left this month when the target is this month or past", () => {
    expect(goalRequiredMonthly(goal(100_000, 40_000, "2025-01-31"), "2025-01-31")).toBe(60_000);
    expect(goalRequiredMonthly(goal(100_000, 40_000, "2025-01-30"), "2025-01-31")).toBe(60_000);
    expect(goalRequiredMonthly(goal(100_000, 40_000, "2024-06-30"), "2025-01-31")).toBe(60_000);
  });

  it("stays exact up to a trillion cents and beyond", () => {
    // 999,999,999,999 / 7 = 142,857,142,857 exactly; one cent more needs one more cent a month.
    expect(goalRequiredMonthly(goal(999_999_999_999, 0, "2025-07-31"), "2025-01-01")).toBe(142_857_142_857);
    expect(goalRequiredMonthly(goal(1_000_000_000_000, 0, "2025-07-31"), "2025-01-01")).toBe(142_857_142_858);
    expect(ceilDiv(2 ** 53 - 2, 3)).toBe(Number((2n ** 53n - 2n + 2n) / 3n));
  });
});

describe("goalStartMonth and goalPace: the last three complete months since the goal began", () => {
  it("starts in the month of creation, or of an earlier, backdated contribution", () => {
    expect(goalStartMonth("2025-04-20", {})).toBe("2025-04");
    expect(goalStartMonth("2025-04-20", { "2025-04": 500, "2025-02": 100 })).toBe("2025-02");
    // A month whose contributions cancel out still shows the goal was being saved into.
    expect(goalStartMonth("2025-04-20", { "2025-03": 0 })).toBe("2025-03");
  });

  it("averages the three months before this one, leaving this month's money out", () => {
    const net = { "2025-01": 9_000, "2025-02": 10_000, "2025-03": 11_000, "2025-04": 50_000, "2024-12": 1 };
    expect(goalPace(net, "2024-01", "2025-04-10")).toEqual({
      months: ["2025-01", "2025-02", "2025-03"],
      net: 30_000,
      average: 10_000,
    });
  });

  it("averages a young goal over the months it has existed", () => {
    expect(goalPace({ "2025-02": 6_000, "2025-03": 4_000 }, "2025-02", "2025-04-01")).toEqual({
      months: ["2025-02", "2025-03"],
      net: 10_000,
      average: 5_000,
    });
  });

  it("has no pace in the goal's first month", () => {
    expect(goalPace({ "2025-04": 50_000 }, "2025-04", "2025-04-30")).toBeNull();
  });

  it("rounds the shown average down and keeps the exact sum; a withdrawal can make it negative", () => {
    expect(goalPace({ "2025-01": 100, "2025-02": 0, "2025-03": 0 }, "2025-01", "2025-04-02")?.average).toBe(
      33,
    );
    expect(goalPace({ "2025-03": -900 }, "2025-01", "2025-04-02")).toMatchObject({
      net: -900,
      average: -300,
    });
  });

  it("counts across a year end", () => {
    expect(goalPace({ "2024-11": 1, "2024-12": 2, "2025-01": 4 }, "2020-01", "2025-02-28")?.net).toBe(7);
  });
});

describe("goalProjectedCompletion and goalOnTrack", () => {
  const pace = (net: number, months = 3) => ({
    months: ["2025-01", "2025-02", "2025-03"].slice(3 - months),
    net,
    average: Math.floor(net / months),
  });
  const g = { targetAmount: 120_000, currentAmount: 30_000, targetDate: "2025-12-15" };

  it("counts this month as the first of n = ⌈left / average⌉ months", () => {
    // $900 left at $300 a month: April, May, June.
    expect(goalProjectedCompletion(g, pace(90_000), "2025-04-03")).toBe("2025-06");
    // $900 left at $100 a month: nine months, April to December, in time for the 15th.
    const slow = goalProjectedCompletion(g, pace(30_000), "2025-04-03");
    expect(slow).toBe("2025-12");
    expect(goalOnTrack(g, slow, "2025-04-03")).toBe(true);
  });

  it("uses the exact ratio, not the rounded average: $1,000 over three months is 333.33 a month", () => {
    const goal = { targetAmount: 200_000, currentAmount: 100_000, targetDate: "2025-06-30" };
    // 100,000 × 3 / 100,000 = 3 months exactly (the rounded $333.33 would need a fourth).
    expect(goalProjectedCompletion(goal, pace(100_000), "2025-04-10")).toBe("2025-06");
  });

  it("is one month late at a cent a month too slow, and then not on track", () => {
    const goal = { targetAmount: 90_000, currentAmount: 0, targetDate: "2025-06-30" };
    const required = goalRequiredMonthly(goal, "2025-04-10");
    expect(required).toBe(30_000);
    expect(
      goalOnTrack(goal, goalProjectedCompletion(goal, pace(3 * required), "2025-04-10"), "2025-04-10"),
    ).toBe(true);
    const late = goalProjectedCompletion(goal, pace(3 * required - 3), "2025-04-10");
    expect(late).toBe("2025-07");
    expect(goalOnTrack(goal, late, "2025-04-10")).toBe(false);
  });

  it("is null when reached, without a pace, or when the pace is not above zero", () => {
    expect(goalProjectedCompletion({ ...g, currentAmount: 120_000 }, pace(1), "2025-04-03")).toBeNull();
    expect(goalProjectedCompletion(g, null, "2025-04-03")).toBeNull();
    expect(goalProjectedCompletion(g, pace(0), "2025-04-03")).toBeNull();
    expect(goalProjectedCompletion(g, pace(-5_000), "2025-04-03")).toBeNull();
  });

  it("is null past 2999-12: a cent a quarter toward ten billion dollars", () => {
    const far = { targetAmount: 1_000_000_000_000, currentAmount: 0, targetDate: "2999-12-31" };
    expect(goalProjectedCompletion(far, pace(1), "2025-04-03")).toBeNull();
  });

  it("is on track once reached, whatever the date; off track with a past target or no projection", () => {
    expect(goalOnTrack({ ...g, currentAmount: 120_000, targetDate: "2020-01-01" }, null, "2025-04-03")).toBe(
      true,
    );
    expect(goalOnTrack(g, null, "2025-04-03")).toBe(false);
    expect(goalOnTrack({ ...g, targetDate: "2025-03-31" }, "2025-04", "2025-04-03")).toBe(false);
  });

  it("is off track when the target was earlier this month, though the projection names this month", () => {
    const goal = { targetAmount: 10_000, currentAmount: 9_999, targetDate: "2025-04-01" };
    expect(goalProjectedCompletion(goal, pace(3), "2025-04-08")).toBe("2025-04");
    expect(goalOnTrack(goal, "2025-04", "2025-04-08")).toBe(false);
    expect(goalOnTrack(goal, "2025-04", "2025-04-01")).toBe(true);
  });

  it("assesses a steady saver: $100 on the 28th of each month toward $1,200 by year end", () => {
    const monthlyNet = { "2025-01": 10_000, "2025-02": 10_000, "2025-03": 10_000, "2025-04": 10_000 };
    const goal = {
      targetAmount: 120_000,
      currentAmount: 40_000,
      targetDate: "2025-12-31",
      createdOn: "2025-01-05",
      monthlyNet,
    };
    // Early May, before May's $100: $800 left, May to December.
    expect(assessGoal(goal, "2025-05-10")).toEqual({
      remaining: 80_000,
      monthsLeft: 8,
      requiredMonthly: 10_000,
      pace: { months: ["2025-02", "2025-03", "2025-04"], net: 30_000, average: 10_000 },
      projectedCompletion: "2025-12",
      onTrack: true,
    });
  });
});

describe("milestones", () => {
  it("are 25, 50, 75 and 100 % plus the custom ones, each once, in order", () => {
    expect(milestonePercents()).toEqual([25, 50, 75, 100]);
    expect(milestonePercents([90, 10, 50, 10])).toEqual([10, 25, 50, 75, 90, 100]);
    expect(() => milestonePercents([0])).toThrow(RangeError);
    expect(() => milestonePercents([33.5])).toThrow(RangeError);
    expect(() => milestonePercents([101])).toThrow(RangeError);
  });

  it("are decided with integers: 1 cent of 3 is 33.33 %", () => {
    expect(milestoneReached(1, 3, 33)).toBe(true);
    expect(milestoneReached(1, 3, 34)).toBe(false);
    // 0.29 × 100 is 28.999999999999996 in floating point; 29 cents of a dollar is 29 %.
    expect(milestoneReached(29, 100, 29)).toBe(true);
    expect(milestoneReached(749_999, 1_000_000, 75)).toBe(false);
    expect(milestoneReached(750_000, 1_000_000, 75)).toBe(true);
  });

  it("a contribution crosses those between its before and after; a withdrawal crosses none", () => {
    const ps = milestonePercents([10]);
    expect(crossedMilestones(0, 30_000, 100_000, ps)).toEqual([10, 25]);
    expect(crossedMilestones(30_000, 100_000, 100_000, ps)).toEqual([50, 75, 100]);
    expect(crossedMilestones(100_000, 20_000, 100_000, ps)).toEqual([]);
    expect(crossedMilestones(25_000, 26_000, 100_000, ps)).toEqual([]);
  });

  it("keep the first reachedAt through a withdrawal and a second crossing", () => {
    const ps = milestonePercents();
    let ms = updateMilestones([], ps, 0, 1_000, "t0", "keep");
    expect(ms.every((m) => m.reachedAt === null)).toBe(true);
    ms = updateMilestones(ms, ps, 600, 1_000, "t1", "keep");
    expect(ms).toEqual([
      { percent: 25, reachedAt: "t1" },
      { percent: 50, reachedAt: "t1" },
      { percent: 75, reachedAt: null },
      { percent: 100, reachedAt: null },
    ]);
    ms = updateMilestones(ms, ps, 100, 1_000, "t2", "keep");
    ms = updateMilestones(ms, ps, 800, 1_000, "t3", "keep");
    expect(ms.map((m) => m.reachedAt)).toEqual(["t1", "t1", "t3", null]);
  });

  it("remeasure when the target changes: cleared where the amount no longer reaches, kept or set where it does", () => {
    const before = [
      { percent: 25, reachedAt: "t1" },
      { percent: 50, reachedAt: "t1" },
      { percent: 75, reachedAt: null },
      { percent: 100, reachedAt: null },
    ];
    // $600 of $1,000 becomes $600 of $2,000: 30 %.
    expect(updateMilestones(before, milestonePercents(), 600, 2_000, "t2", "remeasure")).toEqual([
      { percent: 25, reachedAt: "t1" },
      { percent: 50, reachedAt: null },
      { percent: 75, reachedAt: null },
      { percent: 100, reachedAt: null },
    ]);
    // ... or of $700: 85.7 %, so 75 % is reached now and 100 % is not.
    expect(updateMilestones(before, milestonePercents(), 600, 700, "t2", "remeasure")).toEqual([
      { percent: 25, reachedAt: "t1" },
      { percent: 50, reachedAt: "t1" },
      { percent: 75, reachedAt: "t2" },
      { percent: 100, reachedAt: null },
    ]);
  });

  it("follow the custom list: a new one already passed is reached now, a dropped one is gone", () => {
    const before = updateMilestones([], milestonePercents([10]), 300, 1_000, "t1", "keep");
    expect(updateMilestones(before, milestonePercents([20]), 300, 1_000, "t2", "keep")).toEqual([
      { percent: 20, reachedAt: "t2" },
      { percent: 25, reachedAt: "t1" },
      { percent: 50, reachedAt: null },
      { percent: 75, reachedAt: null },
      { percent: 100, reachedAt: null },
    ]);
  });
});
