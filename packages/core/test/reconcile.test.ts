import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ExistingTransaction,
  type IncomingRow,
  reconcileRows,
  similarMerchants,
} from "../src/reconcile";

const row = (over: Partial<IncomingRow>): IncomingRow => ({
  date: "2026-03-02",
  amount: 450,
  direction: -1,
  merchantKey: "starbucks",
  bankId: null,
  ...over,
});
const entry = (transactionId: string, over: Partial<ExistingTransaction>): ExistingTransaction => ({
  transactionId,
  date: "2026-03-02",
  amount: 450,
  direction: -1,
  merchantKey: "coffee",
  bankId: null,
  pending: false,
  ...over,
});

describe("reconcileRows", () => {
  it("recognises a row by the bank's id first, whatever its date or text", () => {
    const out = reconcileRows(
      [row({ bankId: "F1", date: "2026-04-01", merchantKey: "x" })],
      [entry("A", { bankId: "F1" })],
    );
    expect(out).toEqual([{ kind: "matched", transactionId: "A", by: "bank-id" }]);
  });

  it("links a bank row to a hand-entered transaction of the same amount within a few days", () => {
    const out = reconcileRows([row({ date: "2026-03-04" })], [entry("A", { date: "2026-03-01" })]);
    expect(out).toEqual([{ kind: "matched", transactionId: "A", by: "amount-date" }]);
  });

  it("does not link across a different amount, direction, too many days, or another bank id", () => {
    const existing = [
      entry("A", { amount: 451 }),
      entry("B", { direction: 1 }),
      entry("C", { date: "2026-02-20" }),
      entry("D", { bankId: "OTHER" }),
    ];
    expect(reconcileRows([row({ bankId: "MINE" })], existing)).toEqual([{ kind: "new" }]);
  });

  it("prefers a similar merchant, then the nearer date", () => {
    const existing = [
      entry("A", { date: "2026-03-02", merchantKey: "corner shop" }),
      entry("B", { date: "2026-03-04", merchantKey: "starbucks" }),
    ];
    expect(reconcileRows([row({})], existing)).toEqual([
      { kind: "matched", transactionId: "B", by: "amount-date" },
    ]);
    const dates = [entry("A", { date: "2026-03-05" }), entry("B", { date: "2026-03-03" })];
    expect(reconcileRows([row({})], dates)).toEqual([
      { kind: "matched", transactionId: "B", by: "amount-date" },
    ]);
  });

  it("reports a row that two different transactions fit equally, and guesses neither", () => {
    const existing = [entry("A", { date: "2026-03-01" }), entry("B", { date: "2026-03-03" })];
    expect(reconcileRows([row({})], existing)).toEqual([{ kind: "ambiguous", candidates: ["A", "B"] }]);
  });

  it("pairs off identical rows with identical entries, one each", () => {
    const existing = [entry("A", {}), entry("B", {})];
    expect(reconcileRows([row({}), row({}), row({})], existing)).toEqual([
      { kind: "matched", transactionId: "A", by: "amount-date" },
      { kind: "matched", transactionId: "B", by: "amount-date" },
      { kind: "new" },
    ]);
  });

  it("never uses one transaction twice, nor links what differs in amount or direction", () => {
    const arbRow = fc.record({
      date: fc.constantFrom("2026-03-01", "2026-03-02", "2026-03-06", "2026-03-12"),
      amount: fc.constantFrom(100, 450),
      direction: fc.constantFrom<1 | -1>(1, -1),
      merchantKey: fc.constantFrom("starbucks", "coffee", "amazon"),
      bankId: fc.constantFrom(null, "F1", "F2"),
    });
    fc.assert(
      fc.property(fc.array(arbRow, { maxLength: 8 }), fc.array(arbRow, { maxLength: 8 }), (rows, olds) => {
        const existing = olds.map((o, i) => ({ ...o, transactionId: `T${i}`, pending: false }));
        const out = reconcileRows(rows, existing);
        const used = out.flatMap((o) => (o.kind === "matched" ? [o.transactionId] : []));
        expect(new Set(used).size).toBe(used.length);
        out.forEach((o, i) => {
          if (o.kind !== "matched") return;
          const e = existing.find((x) => x.transactionId === o.transactionId) as ExistingTransaction;
          const r = rows[i] as IncomingRow;
          if (o.by === "amount-date") {
            expect([e.amount, e.direction]).toEqual([r.amount, r.direction]);
            expect(Math.abs(Date.parse(e.date) - Date.parse(r.date))).toBeLessThanOrEqual(5 * 86_400_000);
          } else expect(e.bankId).toBe(r.bankId);
        });
      }),
      { numRuns: 500 },
    );
  });

  it("calls merchants similar by key, containment or a shared word", () => {
    expect(similarMerchants("starbucks", "starbucks coffee")).toBe(true);
    expect(similarMerchants("whole foods market", "whole foods")).toBe(true);
    expect(similarMerchants("amazon", "starbucks")).toBe(false);
    expect(similarMerchants("", "starbucks")).toBe(false);
  });
});
