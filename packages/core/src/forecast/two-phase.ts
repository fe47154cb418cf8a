import { addMonths } from "../month";
import { DEFAULT_HORIZON_MONTHS, simulatePayoff } from "../payoff/simulate";
import type { PayoffInput, PayoffPlan } from "../payoff/types";
import { validatePayoffInput } from "../payoff/validate";
import { checkCents } from "./field-error";

/**
 * A payoff plan whose first month has an amount of its own. This month's budget is partly spent
 * (a category over its limit commits what it spent), while the months after are planned as kept,
 * so the money for the cards is not the same in both. planPayoff takes one monthly amount, and
 * snowflakes cannot stand in for the difference because they never count towards the minimums;
 * so the first month is planned alone and the months after start from the balances it leaves.
 *
 * The result reads as one plan: schedules joined, totals added, a card's payoff month from
 * whichever part cleared it. `input.monthlyAmount` is the amount of every month after the first.
 * The stall count (STALL_MONTHS) starts again in the second month, so a plan that stalls may stop
 * a month later than planPayoff's would.
 */
export function planPayoffFromFirstMonth(input: PayoffInput, firstMonthAmount: number): PayoffPlan {
  validatePayoffInput(input);
  checkCents("firstMonthAmount", firstMonthAmount);
  const horizon = input.horizonMonths ?? DEFAULT_HORIZON_MONTHS;
  // Both parts run on input checked once, above.
  const first = simulatePayoff({ ...input, monthlyAmount: firstMonthAmount, horizonMonths: 1 });
  // Debt-free, short of its minimums or a runaway in the first month: there is nothing after it.
  if (first.end !== "horizon" || horizon === 1) return first;

  const left = new Map(first.schedule[0]?.cards.map((c) => [c.cardId, c.balance]) ?? []);
  // The first month may have grown a card past MAX_INPUT_BALANCE (interest on ten billion dollars),
  // though not past MAX_PLANNED_BALANCE, or it would have ended as a runaway: the rest is planned
  // from there, as planPayoff's own next month would be, not refused.
  const rest = simulatePayoff({
    ...input,
    // A card missing from the first month's schedule owed nothing at its start, so owes nothing now.
    cards: input.cards.map((c) => ({ ...c, balance: left.get(c.cardId) ?? c.balance })),
    startMonth: addMonths(input.startMonth, 1),
    horizonMonths: horizon - 1,
  });
  const debtFree = rest.end === "debt-free";
  return {
    strategy: rest.strategy,
    feasible: rest.feasible,
    ...(rest.shortfall ? { shortfall: rest.shortfall } : {}),
    end: rest.end,
    monthsToDebtFree: debtFree ? 1 + (rest.monthsToDebtFree ?? 0) : null,
    debtFreeMonth: debtFree ? rest.debtFreeMonth : null,
    totalInterest: first.totalInterest + rest.totalInterest,
    totalPaid: first.totalPaid + rest.totalPaid,
    remainingBalance: rest.remainingBalance,
    cards: first.cards.map((c, i) => {
      const later = rest.cards[i];
      return {
        cardId: c.cardId,
        payoffMonth: c.payoffMonth ?? later?.payoffMonth ?? null,
        interest: c.interest + (later?.interest ?? 0),
        paid: c.paid + (later?.paid ?? 0),
        neverPaidOff: later?.neverPaidOff ?? false,
      };
    }),
    schedule: [...first.schedule, ...rest.schedule],
  };
}
