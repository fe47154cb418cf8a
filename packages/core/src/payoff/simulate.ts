import { addMonths } from "../month";
import { aprFor, minimumPayment, monthlyInterest } from "./card-month";
import { customRank, type OrderingState, orderCards } from "./order";
import type { CardMonth, PayoffEnd, PayoffInput, PayoffPlan, ScheduleMonth } from "./types";

/** Fifty years, when the input sets no horizon. */
export const DEFAULT_HORIZON_MONTHS = 600;
/**
 * Months in a row without any card's balance falling, with no promotion ending and no snowflake
 * ahead, after which the plan stops: from then on every month repeats the same arithmetic on
 * balances at least as large, so none of them would ever fall.
 */
export const STALL_MONTHS = 12;
/** A balance past this (a hundred billion dollars) is a runaway: the plan stops before cents stop being exact. */
export const MAX_PLANNED_BALANCE = 1e13;
/** Likewise the interest total. */
export const MAX_PLANNED_INTEREST = 1e15;

/** The first month from which nothing scheduled changes: after every promotion and every snowflake. */
function steadyFrom(input: PayoffInput): string {
  let last = addMonths(input.startMonth, -1);
  for (const c of input.cards) if (c.promo && c.promo.until > last) last = c.promo.until;
  for (const s of input.snowflakes ?? []) if (s.month > last) last = s.month;
  return addMonths(last, 1);
}

/**
 * planPayoff's months, on input already validated or derived from validated input. A plan's
 * continuation (forecast/two-phase.ts) starts from balances a first month may have grown past
 * MAX_INPUT_BALANCE, though never past MAX_PLANNED_BALANCE, where the arithmetic is still exact.
 */
export function simulatePayoff(input: PayoffInput): PayoffPlan {
  const { cards, strategy } = input;
  const horizon = input.horizonMonths ?? DEFAULT_HORIZON_MONTHS;
  const rank = customRank(
    cards.map((c) => c.cardId),
    input.customOrder,
  );
  const extraByMonth = new Map<string, number>();
  for (const s of input.snowflakes ?? [])
    extraByMonth.set(s.month, (extraByMonth.get(s.month) ?? 0) + s.amount);
  const steady = steadyFrom(input);

  const n = cards.length;
  const balance = cards.map((c) => c.balance);
  const interestTotal = new Array<number>(n).fill(0);
  const paidTotal = new Array<number>(n).fill(0);
  const payoffMonth = new Array<string | null>(n).fill(null);
  const schedule: ScheduleMonth[] = [];
  let totalInterest = 0;
  let owing = balance.filter((b) => b > 0).length;
  let stalled = 0;
  let shortfall: PayoffPlan["shortfall"];
  let end: PayoffEnd = "horizon";

  // Reused every month: what each card accrued and owes as due.
  const interest = new Array<number>(n).fill(0);
  const payment = new Array<number>(n).fill(0);
  const before = new Array<number>(n).fill(0);

  let month = input.startMonth;
  let monthsRun = 0;
  monthLoop: for (; monthsRun < horizon; monthsRun++, month = addMonths(month, 1)) {
    if (owing === 0) break;
    let minimums = 0;
    for (let i = 0; i < n; i++) {
      const card = cards[i];
      const owed = balance[i] ?? 0;
      before[i] = owed;
      if (!card || owed === 0) {
        interest[i] = 0;
        payment[i] = 0;
        continue;
      }
      const accrued = monthlyInterest(owed, aprFor(card, month));
      interest[i] = accrued;
      const due = minimumPayment(card, owed + accrued, accrued);
      payment[i] = due;
      minimums += due;
    }
    if (strategy !== "minimum-only" && minimums > input.monthlyAmount) {
      shortfall = { month, missing: minimums - input.monthlyAmount };
      end = "shortfall";
      break;
    }

    let extra =
      strategy === "minimum-only" ? 0 : input.monthlyAmount - minimums + (extraByMonth.get(month) ?? 0);
    if (extra > 0) {
      const states: OrderingState[] = [];
      for (let i = 0; i < n; i++) {
        const card = cards[i];
        const left = (before[i] ?? 0) + (interest[i] ?? 0) - (payment[i] ?? 0);
        if (card && left > 0)
          states.push({
            cardId: card.cardId,
            index: i,
            apr: aprFor(card, month),
            balance: left,
            interest: interest[i] ?? 0,
          });
      }
      for (const s of orderCards(states, strategy, rank)) {
        if (extra === 0) break;
        const more = Math.min(extra, s.balance);
        payment[s.index] = (payment[s.index] ?? 0) + more;
        extra -= more;
      }
    }

    const rows: CardMonth[] = [];
    let anyFell = false;
    for (let i = 0; i < n; i++) {
      const card = cards[i];
      const owed = before[i] ?? 0;
      if (!card || owed === 0) continue;
      const accrued = interest[i] ?? 0;
      const paid = payment[i] ?? 0;
      const after = owed + accrued - paid;
      balance[i] = after;
      interestTotal[i] = (interestTotal[i] ?? 0) + accrued;
      paidTotal[i] = (paidTotal[i] ?? 0) + paid;
      totalInterest += accrued;
      if (after < owed) anyFell = true;
      if (after === 0) {
        payoffMonth[i] = month;
        owing -= 1;
      }
      rows.push({ cardId: card.cardId, interest: accrued, payment: paid, balance: after });
    }
    schedule.push({ month, cards: rows });

    for (const b of balance) {
      if (b > MAX_PLANNED_BALANCE || totalInterest > MAX_PLANNED_INTEREST) {
        end = "runaway";
        monthsRun++;
        break monthLoop;
      }
    }
    stalled = anyFell || month < steady ? 0 : stalled + 1;
    if (stalled >= STALL_MONTHS && owing > 0) {
      end = "stalled";
      monthsRun++;
      break;
    }
  }

  if (owing === 0) end = "debt-free";
  const debtFree = end === "debt-free";
  const lastMonth = schedule.at(-1)?.month ?? null;
  return {
    strategy,
    feasible: shortfall === undefined,
    ...(shortfall ? { shortfall } : {}),
    end,
    monthsToDebtFree: debtFree ? schedule.length : null,
    debtFreeMonth: debtFree ? lastMonth : null,
    totalInterest,
    totalPaid: paidTotal.reduce((a, b) => a + b, 0),
    remainingBalance: balance.reduce((a, b) => a + b, 0),
    cards: cards.map((c, i) => ({
      cardId: c.cardId,
      payoffMonth: payoffMonth[i] ?? null,
      interest: interestTotal[i] ?? 0,
      paid: paidTotal[i] ?? 0,
      neverPaidOff: (end === "stalled" || end === "runaway" || end === "horizon") && (balance[i] ?? 0) > 0,
    })),
    schedule,
  };
}
