import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  formatRrule,
  nextOccurrence,
  normaliseSchedule,
  occurrencesBetween,
  parseRrule,
  RecurrenceError,
  type ScheduleInput,
} from "../src/recurrence";

/** `days` after `date`, by the epoch's day count: the properties' own arithmetic, not the module's. */
const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const between = (input: ScheduleInput | string, from: string, to: string) =>
  occurrencesBetween(typeof input === "string" ? input : normaliseSchedule(input), from, to);

const refusal = (f: () => unknown): { field: string; message: string } => {
  try {
    f();
  } catch (err) {
    if (err instanceof RecurrenceError) return { field: err.field, message: err.message };
    throw err;
  }
  throw new Error("expected a RecurrenceError");
};

describe("day arithmetic", () => {
  it("adds and counts days across month, leap-day and year ends", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2023-02-28", 1)).toBe("2023-03-01");
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addDays("2025-03-01", -1)).toBe("2025-02-28");
    expect(addDays("2025-03-15", -366)).toBe("2024-03-14");
    expect(daysBetween("2024-01-01", "2025-01-01")).toBe(366);
    expect(daysBetween("2025-03-10", "2025-03-01")).toBe(-9);
  });
});

describe("monthly schedules", () => {
  it("fall on the start date's day by default, every month", () => {
    expect(between({ frequency: "monthly", startDate: "2025-01-15" }, "2025-01-01", "2025-04-30")).toEqual([
      "2025-01-15",
      "2025-02-15",
      "2025-03-15",
      "2025-04-15",
    ]);
  });

  it("start with the first fitting date on or after the start, not on the start itself", () => {
    expect(
      between({ frequency: "monthly", startDate: "2025-01-10", byMonthDay: 1 }, "2025-01-01", "2025-03-31"),
    ).toEqual(["2025-02-01", "2025-03-01"]);
  });

  it("on the 31st fall back to the last day of shorter months, February 29 in leap years", () => {
    const s = { frequency: "monthly", startDate: "2024-01-31" } as const;
    expect(between(s, "2024-01-01", "2024-06-30")).toEqual([
      "2024-01-31",
      "2024-02-29",
      "2024-03-31",
      "2024-04-30",
      "2024-05-31",
      "2024-06-30",
    ]);
    expect(between(s, "2025-02-01", "2025-03-31")).toEqual(["2025-02-28", "2025-03-31"]);
    expect(between(s, "2100-02-01", "2100-02-28")).toEqual(["2100-02-28"]);
    // 2000 is a leap year (divisible by 400), 2100 is not (by 100).
    const early = { frequency: "monthly", startDate: "1999-01-31" } as const;
    expect(between(early, "2000-02-01", "2000-02-29")).toEqual(["2000-02-29"]);
  });

  it("on the 30th keep the 30th where it exists and take February's last day", () => {
    expect(between({ frequency: "monthly", startDate: "2023-01-30" }, "2023-01-01", "2023-04-30")).toEqual([
      "2023-01-30",
      "2023-02-28",
      "2023-03-30",
      "2023-04-30",
    ]);
  });

  it("skip months without the day when asked, as RFC 5545 reads a plain BYMONTHDAY", () => {
    expect(
      between(
        { frequency: "monthly", startDate: "2024-01-31", shortMonths: "skip" },
        "2024-01-01",
        "2024-06-30",
      ),
    ).toEqual(["2024-01-31", "2024-03-31", "2024-05-31"]);
  });

  it("on the last day (-1) follow every month's length", () => {
    expect(
      between({ frequency: "monthly", startDate: "2023-11-01", byMonthDay: -1 }, "2023-11-01", "2024-03-31"),
    ).toEqual(["2023-11-30", "2023-12-31", "2024-01-31", "2024-02-29", "2024-03-31"]);
  });

  it("every two months, and on the last Friday", () => {
    expect(
      between({ frequency: "monthly", interval: 2, startDate: "2025-01-05" }, "2025-01-01", "2025-07-31"),
    ).toEqual(["2025-01-05", "2025-03-05", "2025-05-05", "2025-07-05"]);
    expect(
      between(
        { frequency: "monthly", startDate: "2025-01-01", byWeekday: ["-1FR"] },
        "2025-01-01",
        "2025-03-31",
      ),
    ).toEqual(["2025-01-31", "2025-02-28", "2025-03-28"]);
  });

  it("agree with counting months by hand, for any start, day and interval (property)", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("1990-01-01T00:00:00Z"),
          max: new Date("2090-12-31T00:00:00Z"),
          noInvalidDate: true,
        }),
        fc.oneof(fc.integer({ min: 1, max: 31 }), fc.constant(-1)),
        fc.integer({ min: 1, max: 12 }),
        (start, day, interval) => {
          const startDate = start.toISOString().slice(0, 10);
          const to = plusDays(startDate, 800);
          const expected: string[] = [];
          const [y, m] = startDate.split("-").map(Number) as [number, number];
          for (let k = 0; ; k += interval) {
            const year = y + Math.floor((m - 1 + k) / 12);
            const month = ((m - 1 + k) % 12) + 1;
            const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
            const d = day === -1 ? last : Math.min(day, last);
            const date = `${year}-${String(month).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
            if (date > to) break;
            if (date >= startDate) expected.push(date);
          }
          expect(
            between({ frequency: "monthly", startDate, byMonthDay: day, interval }, startDate, to),
          ).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("weekly schedules", () => {
  it("fall on the start's weekday, and every two weeks count from the start's week", () => {
    // 2024-02-26 is a Monday; the run crosses February 29 of a leap year.
    expect(between({ frequency: "weekly", startDate: "2024-02-26" }, "2024-02-20", "2024-03-12")).toEqual([
      "2024-02-26",
      "2024-03-04",
      "2024-03-11",
    ]);
    expect(
      between({ frequency: "weekly", interval: 2, startDate: "2024-02-26" }, "2024-02-01", "2024-04-30"),
    ).toEqual(["2024-02-26", "2024-03-11", "2024-03-25", "2024-04-08", "2024-04-22"]);
  });

  it("take several weekdays, in week order whatever order they were given in", () => {
    const s = normaliseSchedule({ frequency: "weekly", startDate: "2025-06-04", byWeekday: ["FR", "MO"] });
    expect(s.byWeekday).toEqual(["MO", "FR"]);
    expect(occurrencesBetween(s, "2025-06-01", "2025-06-15")).toEqual([
      "2025-06-06",
      "2025-06-09",
      "2025-06-13",
    ]);
  });

  it("stay 14 days apart for a year, across month and year ends (property)", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("2000-01-01T00:00:00Z"),
          max: new Date("2080-01-01T00:00:00Z"),
          noInvalidDate: true,
        }),
        (start) => {
          const startDate = start.toISOString().slice(0, 10);
          const dates = between(
            { frequency: "weekly", interval: 2, startDate },
            startDate,
            plusDays(startDate, 365),
          );
          expect(dates[0]).toBe(startDate);
          expect(dates).toHaveLength(27);
          expect(dates).toEqual(dates.map((_, i) => plusDays(startDate, 14 * i)));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("yearly schedules", () => {
  it("on February 29 fall on February 28 in other years, or only in leap years when skipping", () => {
    expect(between({ frequency: "yearly", startDate: "2024-02-29" }, "2024-01-01", "2028-12-31")).toEqual([
      "2024-02-29",
      "2025-02-28",
      "2026-02-28",
      "2027-02-28",
      "2028-02-29",
    ]);
    expect(
      between(
        { frequency: "yearly", startDate: "2024-02-29", shortMonths: "skip" },
        "2024-01-01",
        "2032-12-31",
      ),
    ).toEqual(["2024-02-29", "2028-02-29", "2032-02-29"]);
  });

  it("on a month and day, or a weekday of a month (the fourth Thursday of November)", () => {
    expect(
      between(
        { frequency: "yearly", startDate: "2025-03-01", byMonth: 8, byMonthDay: 15 },
        "2025-01-01",
        "2026-12-31",
      ),
    ).toEqual(["2025-08-15", "2026-08-15"]);
    expect(
      between(
        { frequency: "yearly", startDate: "2025-01-01", byMonth: 11, byWeekday: ["4TH"] },
        "2025-01-01",
        "2027-12-31",
      ),
    ).toEqual(["2025-11-27", "2026-11-26", "2027-11-25"]);
  });
});

describe("ends", () => {
  it("stop after the end date, which is included", () => {
    const s = { frequency: "monthly", startDate: "2025-01-31", endDate: "2025-04-30" } as const;
    expect(between(s, "2025-01-01", "2025-12-31")).toEqual([
      "2025-01-31",
      "2025-02-28",
      "2025-03-31",
      "2025-04-30",
    ]);
    expect(nextOccurrence(normaliseSchedule(s), "2025-05-01")).toBeNull();
  });

  it("stop after COUNT occurrences counted from the start, whatever window is asked for", () => {
    const s = normaliseSchedule({ frequency: "weekly", startDate: "2025-01-06", count: 3 });
    expect(occurrencesBetween(s, "2025-01-13", "2025-12-31")).toEqual(["2025-01-13", "2025-01-20"]);
    expect(nextOccurrence(s, "2025-01-21")).toBeNull();
    expect(nextOccurrence(s, "2025-01-14")).toBe("2025-01-20");
  });

  it("never answer an occurrence before the start", () => {
    const s = normaliseSchedule({ frequency: "monthly", startDate: "2025-03-15" });
    expect(occurrencesBetween(s, "2025-01-01", "2025-03-14")).toEqual([]);
    expect(nextOccurrence(s, "2020-01-01")).toBe("2025-03-15");
  });
});

describe("RRULE text", () => {
  it("is written in one canonical form that reads back to the same schedule", () => {
    const inputs: ScheduleInput[] = [
      { frequency: "monthly", startDate: "2024-01-31" },
      { frequency: "monthly", startDate: "2024-01-31", shortMonths: "skip" },
      { frequency: "monthly", startDate: "2024-01-01", byMonthDay: -1, endDate: "2024-12-31" },
      { frequency: "weekly", interval: 2, startDate: "2025-02-03", byWeekday: ["MO", "TH"], count: 10 },
      { frequency: "yearly", startDate: "2024-02-29" },
      { frequency: "monthly", startDate: "2025-01-01", byWeekday: ["-1FR"] },
    ];
    for (const input of inputs) {
      const s = normaliseSchedule(input);
      expect(parseRrule(formatRrule(s))).toEqual(s);
    }
    expect(formatRrule(normaliseSchedule(inputs[0] as ScheduleInput))).toBe(
      "DTSTART;VALUE=DATE:20240131\nRRULE:FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
    );
    expect(formatRrule(normaliseSchedule(inputs[3] as ScheduleInput))).toBe(
      "DTSTART;VALUE=DATE:20250203\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;COUNT=10",
    );
  });

  it("is read from the usual spellings: DTSTART as a date or a date-time, RRULE: optional, any case", () => {
    const expected = normaliseSchedule({
      frequency: "monthly",
      startDate: "2025-01-15",
      byMonthDay: 15,
      count: 3,
    });
    for (const text of [
      "DTSTART:20250115T000000Z\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3",
      "DTSTART;VALUE=DATE:20250115\r\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3",
      "DTSTART;TZID=Europe/Paris:20250115T090000\nrrule:freq=monthly;bymonthday=15;count=3",
    ]) {
      expect(parseRrule(text)).toEqual(expected);
    }
    expect(parseRrule("FREQ=MONTHLY;BYMONTHDAY=15;COUNT=3", "2025-01-15")).toEqual(expected);
    // UNTIL as a date-time is the day it names.
    expect(parseRrule("FREQ=MONTHLY;UNTIL=20250331T235959Z", "2025-01-15").endDate).toBe("2025-03-31");
  });

  it("is refused, naming the rule, for what a bill schedule cannot be", () => {
    const cases: [string, string | undefined, RegExp][] = [
      ["FREQ=DAILY", "2025-01-01", /FREQ=WEEKLY, MONTHLY or YEARLY/],
      ["FREQ=MONTHLY;BYHOUR=9", "2025-01-01", /BYHOUR/],
      ["FREQ=MONTHLY;COUNT=2;UNTIL=20250601", "2025-01-01", /UNTIL or COUNT/],
      ["FREQ=MONTHLY;BYMONTHDAY=1,15", "2025-01-01", /one BYMONTHDAY/],
      ["FREQ=MONTHLY;INTERVAL=0", "2025-01-01", /INTERVAL=0/],
      ["FREQ=WEEKLY;BYDAY=1MO", "2025-01-01", /without a position/],
      ["FREQ=MONTHLY;BYDAY=MO", "2025-01-01", /with its position/],
      ["FREQ=MONTHLY\nEXDATE:20250101", "2025-01-01", /does not take/],
      ["DTSTART:20250230\nRRULE:FREQ=MONTHLY", undefined, /not a date/],
      ["FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", "2025-01-01", /never falls in month 4/],
      ["FREQ=MONTHLY;UNTIL=20241231", "2025-01-01", /before startDate/],
    ];
    for (const [text, start, message] of cases) {
      const err = refusal(() => parseRrule(text, start));
      expect(err.field, text).toBe("rrule");
      expect(err.message, text).toMatch(message);
    }
    expect(refusal(() => parseRrule("FREQ=MONTHLY"))).toMatchObject({ field: "startDate" });
    expect(refusal(() => parseRrule("DTSTART:20250101\nRRULE:FREQ=MONTHLY", "2025-02-01"))).toMatchObject({
      field: "startDate",
    });
  });
});

describe("structured schedules", () => {
  it("are refused naming the field at fault", () => {
    const cases: [ScheduleInput, string][] = [
      [{ frequency: "weekly", startDate: "2025-01-01", byMonthDay: 3 }, "byMonthDay"],
      [{ frequency: "monthly", startDate: "2025-01-01", byMonth: 3 }, "byMonth"],
      [{ frequency: "monthly", startDate: "2025-01-01", byMonthDay: 0 }, "byMonthDay"],
      [{ frequency: "monthly", startDate: "2025-01-01", byMonthDay: 3, byWeekday: ["1MO"] }, "byWeekday"],
      [{ frequency: "monthly", startDate: "2025-01-01", endDate: "2025-06-01", count: 3 }, "count"],
      [{ frequency: "monthly", startDate: "2025-01-01", endDate: "2024-06-01" }, "endDate"],
      [{ frequency: "monthly", startDate: "2025-01-01", interval: 100 }, "interval"],
      [{ frequency: "monthly", startDate: "2025-01-01", byMonthDay: 15, shortMonths: "skip" }, "shortMonths"],
      [{ frequency: "weekly", startDate: "2025-01-01", byWeekday: ["XX"] }, "byWeekday"],
    ];
    for (const [input, field] of cases)
      expect(refusal(() => normaliseSchedule(input)).field, JSON.stringify(input)).toBe(field);
  });

  it("do not depend on the machine's time zone", () => {
    const before = process.env.TZ;
    const dates: string[][] = [];
    try {
      for (const tz of ["UTC", "Pacific/Kiritimati", "America/Adak"]) {
        process.env.TZ = tz;
        dates.push(between({ frequency: "monthly", startDate: "2024-01-31" }, "2024-01-01", "2024-12-31"));
      }
    } finally {
      process.env.TZ = before;
    }
    expect(dates[1]).toEqual(dates[0]);
    expect(dates[2]).toEqual(dates[0]);
    expect(dates[0]).toHaveLength(12);
  });
});
