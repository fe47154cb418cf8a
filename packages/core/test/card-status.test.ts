import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addMonths } from "../src/month";
import {
  type CardTermsInput,
  cardHistory,
  cardStatus,
  dueDateIn,
  nextDueDate,
  promoLastMonth,
  toPayoffCard,
  utilisation,
} from "../src/payoff";

const terms = (over: Partial<CardTermsInput> = {}): CardTermsInput => ({
  aprBasisPoints: 2400,
  creditLimit: 500_000,
  dueDay: 15,
  minimum: { kind: "percent", percentBasisPoints: 100, plusInterest: true, floor: 2500 },
  promo: null,
  ...over,
});

describe("cardStatus", () => {
  it("gives this month's interest and the minimum on the balance with it, by the payoff convention", () => {
    // $1,234.56 at 24 %: 2 % a month = 24.6912 -> $24.69; 1 % of 1,259.25 = 12.5925 -> 12.59, + 24.69 = $37.28.
    expect(cardStatus(123_456, terms(), "2027-03-10")).toEqual({
      currentAprBasisPoints: 2400,
      monthlyInterest: 2469,
      minimumDue: 3728,
      utilisationBasisPoints: 2469,
      availableCredit: 376_544,
      nextDueDate: "2027-03-15",
    });
  });

  it("uses the floor when the share is smaller, and caps the minimum at what is owed", () => {
    expect(cardStatus(50_000, terms(), "2027-03-01").minimumDue).toBe(2500);
    // $20 owed plus 40 cents interest: the $25 floor is more than the $20.40 owed.
    expect(cardStatus(2_000, terms(), "2027-03-01")).toMatchObject({
      monthlyInterest: 40,
      minimumDue: 2_040,
    });
    expect(
      cardStatus(100_000, terms({ minimum: { kind: "fixed", amount: 4_000 } }), "2027-03-01").minimumDue,
    ).toBe(4_000);
  });

  it("owes nothing in credit, and has no utilisation without a limit", () => {
    expect(cardStatus(-5_000, terms(), "2027-03-01")).toMatchObject({
      monthlyInterest: 0,
      minimumDue: 0,
      utilisationBasisPoints: 0,
      availableCredit: 505_000,
    });
    expect(cardStatus(5_000, terms({ creditLimit: 0 }), "2027-03-01")).toMatchObject({
      utilisationBasisPoints: null,
      availableCredit: null,
    });
  });

  it("charges the promotional rate only in months the promotion covers to their last day", () => {
    const promo = terms({ promo: { aprBasisPoints: 0, until: "2027-03-15" } });
    expect(cardStatus(100_000, promo, "2027-02-20")).toMatchObject({
      currentAprBasisPoints: 0,
      monthlyInterest: 0,
    });
    expect(cardStatus(100_000, promo, "2027-03-01")).toMatchObject({
      currentAprBasisPoints: 2400,
      monthlyInterest: 2000,
    });
    expect(promoLastMonth("2027-03-15")).toBe("2027-02");
    expect(promoLastMonth("2027-03-31")).toBe("2027-03");
    expect(promoLastMonth("2028-02-29")).toBe("2028-02");
    expect(promoLastMonth("2027-01-10")).toBe("2026-12");
    expect(promoLastMonth("2027-03-15", "2027-03")).toBeNull();
    expect(toPayoffCard("c", "C", 100, promo, "2027-03").promo).toBeUndefined();
    expect(toPayoffCard("c", "C", 100, promo, "2027-01").promo).toEqual({
      aprBasisPoints: 0,
      until: "2027-02",
    });
  });

  it("finds the due date, on the month's last day when the month is shorter", () => {
    expect(dueDateIn("2027-02", 31)).toBe("2027-02-28");
    expect(dueDateIn("2028-02", 30)).toBe("2028-02-29");
    expect(nextDueDate("2027-01-31", 31)).toBe("2027-01-31");
    expect(nextDueDate("2027-01-31", 15)).toBe("2027-02-15");
    expect(nextDueDate("2027-12-20", 5)).toBe("2028-01-05");
  });

  it("rounds utilisation half-up to the basis point", () => {
    expect(utilisation(121_500, 400_000)).toBe(3038); // 3037.5
    expect(utilisation(1, 3)).toBe(3333);
    expect(utilisation(2, 3)).toBe(6667);
    expect(utilisation(900_000_000_000, 1_000_000_000_000)).toBe(9000);
  });
});

describe("cardHistory", () => {
  it("works each month's closing balance back from today's", () => {
    const rows = [
      { date: "2027-01-05", flow: -20_000, charge: 0 },
      { date: "2027-01-28", flow: -1_500, charge: 1_500 },
      { date: "2027-03-10", flow: 30_000, charge: 0 },
    ];
    // Opened owing 100,000 before January: now 100,000 + 21,500 - 30,000 = 91,500.
    expect(cardHistory(91_500, rows, ["2026-12", "2027-01", "2027-02", "2027-03"])).toEqual([
      { month: "2026-12", balance: 100_000, charges: 0 },
      { month: "2027-01", balance: 121_500, charges: 1_500 },
      { month: "2027-02", balance: 121_500, charges: 0 },
      { month: "2027-03", balance: 91_500, charges: 0 },
    ]);
  });

  it("matches a recount from the opening balance, for any rows and any months asked", () => {
    const month = fc.integer({ min: 0, max: 23 }).map((k) => addMonths("2026-01", k));
    const row = fc.record({
      month,
      day: fc.integer({ min: 1, max: 28 }),
      flow: fc.integer({ min: -1_000_000, max: 1_000_000 }),
      charge: fc.integer({ min: -5_000, max: 5_000 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 10_000_000 }),
        fc.array(row, { maxLength: 60 }),
        fc.uniqueArray(month, { minLength: 1, maxLength: 12 }),
        (opening, raw, months) => {
          const rows = raw.map((r) => ({
            date: `${r.month}-${String(r.day).padStart(2, "0")}`,
            flow: r.flow,
            charge: r.charge,
          }));
          // A card owes its opening balance less its flow.
          const now = opening - rows.reduce((t, r) => t + r.flow, 0);
          const got = cardHistory(now, rows, months);
          expect(got.map((g) => g.month)).toEqual([...months].sort());
          for (const g of got) {
            const upTo = rows.filter((r) => r.date.slice(0, 7) <= g.month);
            expect(g.balance).toBe(opening - upTo.reduce((t, r) => t + r.flow, 0));
            const inMonth = rows.filter((r) => r.date.slice(0, 7) === g.month);
            expect(g.charges).toBe(inMonth.reduce((t, r) => t + r.charge, 0));
          }
        },
      ),
    );
  });
});
