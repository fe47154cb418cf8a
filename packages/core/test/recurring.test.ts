import { describe, expect, it } from "vitest";
import { type ExistingTransaction, reconcileRows } from "../src/reconcile";
import { formatRrule, normaliseSchedule } from "../src/recurrence";
import {
  committedByCategory,
  dueOccurrences,
  findRecorded,
  nextDue,
  type OccurrenceToFind,
  type RecordedMovement,
  type RecurringInfo,
  upcoming,
} from "../src/recurring";

const rent: RecurringInfo = {
  recurringId: "R1",
  name: "Rent",
  amount: 150_000,
  kind: "expense",
  accountId: "CHK",
  toAccountId: null,
  categoryId: "HOUSING",
  merchant: "Landlord",
  currency: "USD",
  rrule: formatRrule(normaliseSchedule({ frequency: "monthly", startDate: "2025-01-01", byMonthDay: 1 })),
  status: "active",
  autoPost: true,
  postedThrough: "2025-02-28",
};
const gym: RecurringInfo = {
  ...rent,
  recurringId: "G1",
  name: "Gym",
  amount: 4_000,
  categoryId: "FITNESS",
  merchant: "Gym",
  rrule: formatRrule(normaliseSchedule({ frequency: "weekly", interval: 2, startDate: "2025-03-03" })),
};

describe("due occurrences", () => {
  it("are those after postedThrough up to today, for an active template that posts", () => {
    expect(dueOccurrences(rent, "2025-04-15")).toEqual(["2025-03-01", "2025-04-01"]);
    expect(dueOccurrences({ ...rent, postedThrough: "2025-04-01" }, "2025-04-15")).toEqual([]);
    expect(dueOccurrences({ ...rent, autoPost: false }, "2025-04-15")).toEqual([]);
    expect(dueOccurrences({ ...rent, status: "paused" }, "2025-04-15")).toEqual([]);
  });

  it("next: the first not done, even if past due, for a template that posts; else the first from today", () => {
    expect(nextDue(rent, "2025-04-15")).toBe("2025-03-01");
    expect(nextDue({ ...rent, autoPost: false }, "2025-04-15")).toBe("2025-05-01");
    expect(nextDue({ ...rent, status: "paused" }, "2025-04-15")).toBeNull();
  });
});

describe("upcoming", () => {
  it("lists what is not done yet in the window, by date, with totals per currency and kind", () => {
    const pay: RecurringInfo = {
      ...rent,
      recurringId: "P1",
      name: "Salary",
      kind: "income",
      amount: 400_000,
      categoryId: null,
      rrule: formatRrule(
        normaliseSchedule({ frequency: "monthly", startDate: "2025-01-01", byMonthDay: -1 }),
      ),
      postedThrough: "2025-02-28",
    };
    const euro: RecurringInfo = {
      ...gym,
      recurringId: "E1",
      name: "Euro gym",
      currency: "EUR",
      amount: 3_000,
    };
    const out = upcoming(
      [rent, gym, pay, euro, { ...rent, recurringId: "X", status: "paused" }],
      "2025-03-01",
      "2025-03-17",
    );
    expect(out.items.map((i) => [i.date, i.name])).toEqual([
      ["2025-03-01", "Rent"],
      ["2025-03-03", "Euro gym"],
      ["2025-03-03", "Gym"],
      ["2025-03-17", "Euro gym"],
      ["2025-03-17", "Gym"],
    ]);
    expect(out.totals).toEqual([
      { currency: "EUR", expense: 6_000, income: 0, transfer: 0, count: 2 },
      { currency: "USD", expense: 158_000, income: 0, transfer: 0, count: 3 },
    ]);
    // An occurrence already done (postedThrough reaches it) is not coming any more.
    expect(upcoming([{ ...rent, postedThrough: "2025-03-01" }], "2025-03-01", "2025-03-31").items).toEqual(
      [],
    );
  });
});

describe("committed", () => {
  it("sums a month's occurrences of active expense templates per category, in the budget's currency", () => {
    const transfer: RecurringInfo = { ...rent, recurringId: "T", kind: "transfer", toAccountId: "CARD" };
    const income: RecurringInfo = { ...rent, recurringId: "I", kind: "income" };
    const euro: RecurringInfo = { ...rent, recurringId: "E", currency: "EUR" };
    const paused: RecurringInfo = { ...rent, recurringId: "P", status: "paused" };
    // March 2025 has three Mondays two weeks apart from March 3: the 3rd, 17th and 31st.
    expect(committedByCategory([rent, gym, transfer, income, euro, paused], "2025-03", "USD")).toEqual({
      HOUSING: 150_000,
      FITNESS: 12_000,
    });
    // Posted or not, a month's bills stay committed: February is before postedThrough.
    expect(committedByCategory([rent], "2025-02", "USD")).toEqual({ HOUSING: 150_000 });
    expect(committedByCategory([rent], "2024-12", "USD")).toEqual({});
  });
});

describe("finding an occurrence already recorded", () => {
  const occurrence: OccurrenceToFind = {
    date: "2025-03-01",
    amount: 8_000,
    accountId: "CHK",
    direction: -1,
    toAccountId: null,
    merchantKey: "city power",
    tolerance: 500,
    windowDays: 3,
  };
  const rec = (transactionId: string, over: Partial<RecordedMovement>): RecordedMovement => ({
    transactionId,
    accountId: "CHK",
    date: "2025-03-02",
    amount: 8_000,
    direction: -1,
    merchantKey: "city power",
    linked: false,
    ...over,
  });

  it("takes a transaction in the window, within the tolerance, in the same account and direction", () => {
    expect(
      findRecorded(occurrence, [rec("A", { amount: 8_450, date: "2025-03-04" })], new Set())?.transactionId,
    ).toBe("A");
    for (const miss of [
      rec("B", { amount: 8_501 }),
      rec("C", { date: "2025-03-05" }),
      rec("D", { accountId: "OTHER" }),
      rec("E", { direction: 1 }),
      rec("F", { linked: true }),
    ]) {
      expect(findRecorded(occurrence, [miss], new Set()), miss.transactionId).toBeUndefined();
    }
    expect(findRecorded(occurrence, [rec("G", {})], new Set(["G"]))).toBeUndefined();
  });

  it("prefers a similar merchant, then the nearer date, then the nearer amount", () => {
    const found = (list: RecordedMovement[]) => findRecorded(occurrence, list, new Set())?.transactionId;
    expect(
      found([rec("A", { date: "2025-03-01", merchantKey: "grocer" }), rec("B", { date: "2025-03-03" })]),
    ).toBe("B");
    expect(found([rec("A", { date: "2025-03-03" }), rec("B", { date: "2025-02-28" })])).toBe("B");
    expect(found([rec("A", { amount: 8_300 }), rec("B", { amount: 7_900 })])).toBe("B");
  });

  it("finds a transfer from either side: out of its account, or into the other", () => {
    const payment = { ...occurrence, toAccountId: "CARD", tolerance: 0 };
    expect(
      findRecorded(payment, [rec("IN", { accountId: "CARD", direction: 1 })], new Set())?.transactionId,
    ).toBe("IN");
    expect(
      findRecorded(payment, [rec("NO", { accountId: "CARD", direction: -1 })], new Set()),
    ).toBeUndefined();
  });
});

describe("reconciling a bank row with a posted bill", () => {
  const bill = (over: Partial<ExistingTransaction>): ExistingTransaction => ({
    transactionId: "BILL",
    date: "2025-03-01",
    amount: 8_000,
    direction: -1,
    merchantKey: "city power",
    bankId: null,
    pending: false,
    tolerance: 500,
    windowDays: 3,
    ...over,
  });
  const row = {
    date: "2025-03-03",
    amount: 8_317,
    direction: -1 as const,
    merchantKey: "city power co",
    bankId: "F1",
  };

  it("matches a row whose amount differs within the bill's tolerance, in the bill's window", () => {
    expect(reconcileRows([row], [bill({})])).toEqual([
      { kind: "matched", transactionId: "BILL", by: "amount-date" },
    ]);
    expect(reconcileRows([row], [bill({ tolerance: 300 })])).toEqual([{ kind: "new" }]);
    expect(reconcileRows([{ ...row, date: "2025-03-05" }], [bill({})])).toEqual([{ kind: "new" }]);
    expect(reconcileRows([row], [bill({ tolerance: undefined })])).toEqual([{ kind: "new" }]);
  });

  it("keeps the usual window for the same amount, and prefers it over a nearby amount as near in time", () => {
    expect(reconcileRows([{ ...row, amount: 8_000, date: "2025-03-06" }], [bill({})])).toEqual([
      { kind: "matched", transactionId: "BILL", by: "amount-date" },
    ]);
    const exact = bill({ transactionId: "EXACT", amount: 8_317, tolerance: 0, date: "2025-03-03" });
    expect(reconcileRows([row], [bill({ date: "2025-03-03" }), exact])).toEqual([
      { kind: "matched", transactionId: "EXACT", by: "amount-date" },
    ]);
  });
});
