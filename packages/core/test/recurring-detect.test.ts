import type { RecurringSuggestion } from "@tyche/types";
import { describe, expect, it } from "vitest";
import { detectRecurring, type RecurringInput, suggestionKey } from "../src/recurring/detect";
import { keyOf, monthDay } from "./support/recurring-history";

// Hand-made histories for detectRecurring, each with the answer worked out by hand from the rules
// of docs/SUGGESTIONS.md.

const TODAY = "2026-03-20";
let n = 0;

function row(
  date: string,
  amount: number,
  merchant: string,
  extra: Partial<RecurringInput> = {},
): RecurringInput {
  n += 1;
  return {
    transactionId: `t${String(n).padStart(5, "0")}`,
    date,
    amount,
    type: "expense",
    merchant,
    merchantKey: keyOf(merchant),
    accountId: "checking",
    categoryId: null,
    ...extra,
  };
}

/** One row per date, at `amount`. */
const series = (
  dates: readonly string[],
  amount: number,
  merchant: string,
  extra: Partial<RecurringInput> = {},
) => dates.map((d) => row(d, amount, merchant, extra));

/** Day `dom` of each of `count` months from `from` (a YYYY-MM-DD whose month starts it). */
const monthly = (from: string, count: number, dom: number, every = 1) =>
  Array.from({ length: count }, (_, i) => monthDay(from, i * every, dom));

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const weekly = (from: string, count: number, every = 7) =>
  Array.from({ length: count }, (_, i) => addDays(from, i * every));

const only = (out: RecurringSuggestion[], merchant: string) => {
  const mine = out.filter((s) => s.merchantKey === keyOf(merchant));
  expect(mine, JSON.stringify(out.map((s) => [s.merchantKey, s.cadence]))).toHaveLength(1);
  return mine[0] as RecurringSuggestion;
};

const ids = (rows: readonly RecurringInput[]) => rows.map((r) => r.transactionId);

describe("detectRecurring on hand-made histories", () => {
  it("finds a monthly subscription with its evidence, median, next date, schedule and full confidence", () => {
    const rows = series(monthly("2025-04-15", 12, 15), 1549, "Netflix");
    const [s, ...rest] = detectRecurring(rows, TODAY);
    expect(rest).toEqual([]);
    expect(s).toMatchObject({
      kind: "expense",
      merchant: "Netflix",
      merchantKey: "netflix",
      accountId: "checking",
      cadence: "monthly",
      typicalAmount: 1549,
      lastAmount: 1549,
      amountRange: { min: 1549, max: 1549 },
      occurrences: 12,
      missed: 0,
      firstSeen: "2025-04-15",
      lastSeen: "2026-03-15",
      nextExpected: "2026-04-15",
      active: true,
      // evidence 1 - 0.5^10 rounds to 1; every other factor is exactly 1
      confidence: 1,
      confidenceFactors: { evidence: 1, coverage: 1, regularity: 1, amountStability: 1, exclusivity: 1 },
      // In the templates' terms, from the next date due: a template made of it adds nothing past.
      schedule: {
        frequency: "monthly",
        interval: 1,
        byMonthDay: 15,
        byWeekday: null,
        byMonth: null,
        shortMonths: "last-day",
        startDate: "2026-04-15",
        endDate: null,
        count: null,
        rrule: "DTSTART;VALUE=DATE:20260415\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15",
      },
    });
    expect(s?.evidence).toEqual(
      rows.map((r) => ({ transactionId: r.transactionId, date: r.date, amount: 1549 })),
    );
    expect(s?.key).toMatch(/^[0-9a-f]{16}$/);
  });

  it("works the confidence out of its factors: four of five months, on their day", () => {
    // May is missing: evidence 1 - 0.5^(4-3+1) = 0.75, coverage 4/5 = 0.8, the rest 1: 0.6.
    const rows = series(["2025-11-03", "2025-12-03", "2026-01-03", "2026-03-03"], 2000, "Gym");
    const s = only(detectRecurring(rows, TODAY), "Gym");
    expect(s.confidenceFactors).toEqual({
      evidence: 0.75,
      coverage: 0.8,
      regularity: 1,
      amountStability: 1,
      exclusivity: 1,
    });
    expect(s.confidence).toBe(0.6);
    expect(s).toMatchObject({ occurrences: 4, missed: 1, nextExpected: "2026-04-03" });
  });

  it("follows a charge on the 31st through February and the 30-day months: the last day of each month", () => {
    const dates = ["2025-10-31", "2025-11-30", "2025-12-31", "2026-01-31", "2026-02-28"];
    const s = only(detectRecurring(series(dates, 4000, "Rent Co"), TODAY), "Rent Co");
    expect(s).toMatchObject({ cadence: "monthly", occurrences: 5, missed: 0, nextExpected: "2026-03-31" });
    expect(s.confidenceFactors.regularity).toBe(1);
    expect(s.schedule).toMatchObject({
      byMonthDay: -1,
      startDate: "2026-03-31",
      rrule: "DTSTART;VALUE=DATE:20260331\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-1",
    });
  });

  it("tells a charge on the 30th (the 28th or 29th in February) from one on the last day", () => {
    const dates = ["2023-12-30", "2024-01-30", "2024-02-29", "2024-03-30", "2024-04-30", "2024-05-30"];
    const s = only(detectRecurring(series(dates, 999, "Phone"), "2024-06-10"), "Phone");
    expect(s.schedule).toMatchObject({
      byMonthDay: 30,
      shortMonths: "last-day",
      rrule: "DTSTART;VALUE=DATE:20240630\nRRULE:FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1",
    });
    expect(s.nextExpected).toBe("2024-06-30");
    expect(s.confidenceFactors.regularity).toBe(1);
  });

  it("tolerates dates up to 3 days either side of the day, and fits the day in the middle", () => {
    // The 10th: -3, +3, -2, +1, 0, +3, -3
    const dates = [
      "2025-08-07",
      "2025-09-13",
      "2025-10-08",
      "2025-11-11",
      "2025-12-10",
      "2026-01-13",
      "2026-02-07",
    ];
    const s = only(detectRecurring(series(dates, 1299, "Spotify"), TODAY), "Spotify");
    expect(s).toMatchObject({ cadence: "monthly", occurrences: 7, missed: 0 });
    expect(s.schedule.byMonthDay).toBe(10);
    expect(s.confidenceFactors.regularity).toBe(1);
    // The last one was February's; March 10th is 10 days ago, past the 6-day window: April's is next.
    expect(s.nextExpected).toBe("2026-04-10");
    expect(s.active).toBe(true);
  });

  it("scores dates beyond the tolerated 3 days lower, and leaves out those beyond the window", () => {
    // The 10th, one date 6 days late and one 6 days early: any schedule puts at most one of them
    // within 3 days (the 13th takes the late one, the 7th the early one): 7 of 8 on time.
    const dates = ["2025-07-10", "2025-08-10", "2025-09-10", "2025-10-10", "2025-11-16", "2025-12-10"];
    const rows = series([...dates, "2026-01-04", "2026-02-10"], 500, "Edges");
    const s = only(detectRecurring(rows, TODAY), "Edges");
    expect(s.occurrences).toBe(8);
    expect(s.confidenceFactors.regularity).toBe(0.88);
    // A date is taken while some schedule keeps every date within the window (6 days); the
    // schedules pass within 3 days of a date, so the 10th's go up to the 13th, and 10 days late
    // is out: that month counts as missed instead.
    const later = series(
      ["2025-09-10", "2025-10-10", "2025-11-10", "2025-12-20", "2026-01-10", "2026-02-10"],
      500,
      "Later",
    );
    const t = only(detectRecurring(later, TODAY), "Later");
    expect(t.evidence.map((e) => e.date)).not.toContain("2025-12-20");
    expect(t).toMatchObject({ occurrences: 5, missed: 1 });
  });

  it("keeps one series across a price change within a step (9.99 to 11.99)", () => {
    const before = series(monthly("2025-03-05", 6, 5), 999, "Music");
    const after = series(monthly("2025-09-05", 6, 5), 1199, "Music");
    const s = only(detectRecurring([...after, ...before], TODAY), "Music");
    expect(s).toMatchObject({
      occurrences: 12,
      typicalAmount: 1099, // the median of six 999 and six 1199
      lastAmount: 1199,
      amountRange: { min: 999, max: 1199 },
    });
    expect(s.evidence.map((e) => e.transactionId)).toEqual(ids([...before, ...after]));
    // one step of 20 %: 1 - ln(1.2)/ln(1.25) for it, 1 for the ten others
    expect(s.confidenceFactors.amountStability).toBeCloseTo(
      (10 + (1 - Math.log(1.2) / Math.log(1.25))) / 11,
      2,
    );
  });

  it("joins the two sides of a larger price change (7.99 to 11.99) where one ends and the other begins", () => {
    const before = series(monthly("2025-01-20", 7, 20), 799, "Video");
    const after = series(monthly("2025-08-20", 7, 20), 1199, "Video");
    const s = only(detectRecurring([...before, ...after], TODAY), "Video");
    expect(s.occurrences).toBe(14);
    expect(s.lastAmount).toBe(1199);
    // Beyond the 25 % step the two sides are series of their own, as far as amounts go:
    const strict = detectRecurring(series(monthly("2025-01-20", 7, 20), 799, "Far"), TODAY);
    expect(strict).toHaveLength(1);
  });

  it("bridges one missed month but not two in a row", () => {
    const one = series(
      monthly("2025-04-08", 12, 8).filter((_, i) => i !== 5),
      1000,
      "Paper",
    );
    const s = only(detectRecurring(one, TODAY), "Paper");
    expect(s).toMatchObject({ occurrences: 11, missed: 1 });
    const two = series(
      monthly("2025-04-08", 12, 8).filter((_, i) => i !== 5 && i !== 6),
      1000,
      "Magazine",
    );
    const out = detectRecurring(two, TODAY).filter((x) => x.merchantKey === "magazine");
    // Two series: April to August (no longer active) and November to March; different keys.
    expect(out.map((x) => [x.firstSeen, x.lastSeen, x.active])).toEqual([
      ["2025-11-08", "2026-03-08", true],
      ["2025-04-08", "2025-08-08", false],
    ]);
    expect(new Set(out.map((x) => x.key)).size).toBe(2);
  });

  it("splits two subscriptions at one merchant by amount, even on the same days", () => {
    const small = series(monthly("2025-05-03", 11, 3), 99, "Apple");
    const large = series(monthly("2025-05-03", 11, 3), 1099, "Apple");
    const out = detectRecurring([...large, ...small], TODAY);
    expect(out.map((s) => s.typicalAmount).sort((a, b) => a - b)).toEqual([99, 1099]);
    const bySize = (amount: number) => out.find((s) => s.typicalAmount === amount);
    expect(bySize(99)?.evidence.map((e) => e.transactionId)).toEqual(ids(small));
    expect(bySize(1099)?.evidence.map((e) => e.transactionId)).toEqual(ids(large));
    expect(bySize(99)?.key).not.toBe(bySize(1099)?.key);
  });

  it("leaves one-off purchases at the subscription's merchant out of its evidence", () => {
    const prime = series(monthly("2025-03-12", 13, 12), 1499, "Amazon");
    const shopping = [
      row("2025-03-13", 2599, "Amazon"),
      row("2025-04-02", 1450, "Amazon"), // like the subscription's amount, far from its day
      row("2025-06-11", 4312, "Amazon"),
      row("2025-06-12", 899, "Amazon"), // on the subscription's day, another amount
      row("2025-09-30", 12000, "Amazon"),
      row("2026-01-12", 1799, "Amazon"),
      row("2026-02-20", 350, "Amazon"),
    ];
    const s = only(detectRecurring([...shopping, ...prime], TODAY), "Amazon");
    expect(s.evidence.map((e) => e.transactionId)).toEqual(ids(prime));
    expect(s.typicalAmount).toBe(1499);
  });

  it("does not let a one-off of like amount just before the first charge start the series", () => {
    const stray = row("2025-06-09", 1400, "Cloud");
    const real = series(monthly("2025-06-14", 9, 14), 1500, "Cloud");
    const s = only(detectRecurring([stray, ...real], TODAY), "Cloud");
    expect(s.evidence.map((e) => e.transactionId)).toEqual(ids(real));
  });

  it("finds a weekly charge as weekly, not as two fortnightly ones, and bridges a missed week", () => {
    const dates = weekly("2025-12-03", 16).filter((_, i) => i !== 7);
    const s = only(detectRecurring(series(dates, 6000, "Meal Kit"), TODAY), "Meal Kit");
    expect(s).toMatchObject({ cadence: "weekly", occurrences: 15, missed: 1 });
    expect(s.schedule).toMatchObject({
      frequency: "weekly",
      interval: 1,
      byWeekday: ["WE"],
      startDate: "2026-03-25",
      rrule: "DTSTART;VALUE=DATE:20260325\nRRULE:FREQ=WEEKLY;BYDAY=WE",
    });
    expect(s.nextExpected).toBe("2026-03-25");
  });

  it("finds fortnightly pay as income, apart from spending at the same name", () => {
    const pay = weekly("2025-06-06", 20, 14).map((d, i) =>
      row(d, 250_000 + (i % 3) * 1_500, "Acme Corp", { type: "income" }),
    );
    const spend = [row("2025-07-01", 1200, "Acme Corp"), row("2025-11-01", 800, "Acme Corp")];
    const out = detectRecurring([...pay, ...spend], TODAY);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({
      kind: "income",
      cadence: "biweekly",
      occurrences: 20,
      schedule: { frequency: "weekly", interval: 2, byWeekday: ["FR"] },
    });
    expect(detectRecurring([...pay, ...spend], TODAY, { kinds: ["expense"] })).toEqual([]);
  });

  it("finds a quarterly bill, every third month", () => {
    const s = only(detectRecurring(series(monthly("2024-06-25", 7, 25, 3), 9000, "Water"), TODAY), "Water");
    expect(s).toMatchObject({ cadence: "quarterly", occurrences: 7, nextExpected: "2026-03-25" });
    expect(s.schedule).toMatchObject({
      frequency: "monthly",
      interval: 3,
      startDate: "2026-03-25",
      rrule: "DTSTART;VALUE=DATE:20260325\nRRULE:FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=25",
    });
  });

  it("finds a yearly renewal from two charges of the very same amount, and not from two like ones", () => {
    const renewal = series(["2024-05-02", "2025-05-04"], 9900, "Domain");
    const s = only(detectRecurring(renewal, TODAY), "Domain");
    expect(s).toMatchObject({ cadence: "yearly", occurrences: 2, nextExpected: "2026-05-03", active: true });
    expect(s.schedule).toMatchObject({
      frequency: "yearly",
      byMonth: 5,
      byMonthDay: 3,
      startDate: "2026-05-03",
    });
    expect(s.confidenceFactors.evidence).toBe(0.5);
    const like = series(["2024-05-02"], 9900, "Shop").concat(series(["2025-05-04"], 9950, "Shop"));
    expect(detectRecurring(like, TODAY, { minConfidence: 0 })).toEqual([]);
  });

  it("takes a renewal on 29 February to the 28th in other years", () => {
    const club = series(["2024-02-29", "2025-02-28"], 4900, "Club");
    const s = only(detectRecurring(club, "2026-01-10"), "Club");
    expect(s.schedule).toMatchObject({
      byMonth: 2,
      byMonthDay: 29,
      shortMonths: "last-day",
      rrule: "DTSTART;VALUE=DATE:20260228\nRRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1",
    });
    expect(s.nextExpected).toBe("2026-02-28");
    // Three weeks after that date, with no charge: past the window, so the next is 2027's.
    expect(only(detectRecurring(club, "2026-03-21"), "Club").nextExpected).toBe("2027-02-28");
  });

  it("flags a series that stopped, with no next date, and keeps it", () => {
    // Monthly until 2025-10-01: 170 days before today, more than 1.5 months.
    const s = only(detectRecurring(series(monthly("2025-01-01", 10, 1), 1200, "Old Gym"), TODAY), "Old Gym");
    expect(s).toMatchObject({ active: false, nextExpected: null, lastSeen: "2025-10-01" });
    // Last seen 45 days ago is still active (1.5 x 30.44 = 45.7), 47 days ago is not.
    const recent = detectRecurring(
      series(["2025-12-04", "2026-01-04", "2026-02-03"], 700, "A"),
      "2026-03-20",
    );
    expect(recent[0]?.active).toBe(true);
    const gone = detectRecurring(series(["2025-12-02", "2026-01-02", "2026-02-01"], 700, "B"), "2026-03-20");
    expect(gone[0]?.active).toBe(false);
  });

  it("orders active ones first, then by confidence", () => {
    const rows = [
      ...series(monthly("2025-01-01", 10, 1), 1200, "Stopped"),
      ...series(["2025-12-05", "2026-01-05", "2026-02-05", "2026-03-05"], 500, "Short"),
      ...series(monthly("2025-03-09", 13, 9), 800, "Long"),
    ];
    expect(detectRecurring(rows, TODAY).map((s) => [s.merchantKey, s.active])).toEqual([
      ["long", true],
      ["short", true],
      ["stopped", false],
    ]);
  });

  it("needs three monthly occurrences, four weekly, two yearly", () => {
    expect(detectRecurring(series(["2026-01-05", "2026-02-05"], 500, "Two"), TODAY)).toEqual([]);
    expect(detectRecurring(series(weekly("2026-02-25", 3), 500, "Three"), TODAY)).toEqual([]);
    expect(detectRecurring(series(weekly("2026-02-25", 4), 500, "Four"), TODAY)).toHaveLength(1);
  });

  it("finds nothing in a coffee habit: one price, three times a week on any day", () => {
    const days = [0, 2, 3, 7, 8, 11, 15, 16, 18, 22, 25, 26, 29, 30, 34, 36, 39, 41, 44, 45, 48, 53, 55];
    const rows = days.flatMap((d) =>
      [0, 60, 120, 180].map((o) => row(addDays("2025-03-01", d + o), 475, "Cafe")),
    );
    expect(detectRecurring(rows, TODAY, { minConfidence: 0 })).toEqual([]);
  });

  it("leaves out refunds, transfers, rows without a merchant and rows after today", () => {
    const dates = monthly("2025-06-10", 6, 10);
    const out = detectRecurring(
      [
        ...series(dates, 1000, "Refunder", { type: "refund" }),
        ...series(dates, 1000, "Mover", { type: "transfer" }),
        ...series(dates, 1000, "Nobody", { merchantKey: null }),
        ...series(["2026-03-25", "2026-04-25", "2026-05-25"], 1000, "Future"),
      ],
      TODAY,
    );
    expect(out).toEqual([]);
  });

  it("keeps one account's series apart from another's, each with its own key", () => {
    const dates = monthly("2025-06-10", 9, 10);
    const out = detectRecurring(
      [...series(dates, 1000, "Insurer"), ...series(dates, 1000, "Insurer", { accountId: "card" })],
      TODAY,
    );
    expect(out.map((s) => s.accountId).sort()).toEqual(["card", "checking"]);
    expect(out[0]?.key).not.toBe(out[1]?.key);
  });

  it("gives the same answer, keys included, whatever the order of its input", () => {
    const rows = [
      ...series(monthly("2025-03-09", 13, 9), 800, "Long"),
      ...series(weekly("2025-12-03", 10), 6000, "Kit"),
      ...series(monthly("2025-05-03", 11, 3), 99, "Apple"),
      ...series(monthly("2025-05-03", 11, 3), 1099, "Apple"),
      row("2025-07-07", 3000, "Apple"),
    ];
    const forward = detectRecurring(rows, TODAY);
    expect(detectRecurring([...rows].reverse(), TODAY)).toEqual(forward);
    expect(forward).toHaveLength(4);
  });

  it("keys a suggestion by kind, account, merchant and cadence, not by amounts or dates", () => {
    const a = only(detectRecurring(series(monthly("2025-06-10", 9, 10), 1000, "Insurer"), TODAY), "Insurer");
    const b = only(detectRecurring(series(monthly("2025-04-12", 11, 12), 1250, "Insurer"), TODAY), "Insurer");
    expect(a.key).toBe(b.key);
    expect(a.key).toBe(suggestionKey(["expense", "checking", "insurer", "monthly"]));
    expect(suggestionKey(["expense", "checking", "insurer", "weekly"])).not.toBe(a.key);
    // FNV-1a 64 of the empty string: its offset basis; of "a" and "foobar", the published vectors.
    expect(suggestionKey([""])).toBe("cbf29ce484222325");
    expect(suggestionKey(["a"])).toBe("af63dc4c8601ec8c");
    expect(suggestionKey(["foobar"])).toBe("85944171f73967e8");
  });
});
