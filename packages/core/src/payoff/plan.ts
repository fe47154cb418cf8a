import { simulatePayoff } from "./simulate";
import type { PayoffInput, PayoffPlan } from "./types";
import { validatePayoffInput } from "./validate";

export { DEFAULT_HORIZON_MONTHS, MAX_PLANNED_BALANCE, MAX_PLANNED_INTEREST, STALL_MONTHS } from "./simulate";

/**
 * A month-by-month payoff plan, exact to the cent (docs/PAYOFF.md). Each month: every card that
 * owes accrues interest; every card gets its minimum (or its balance, if less); what the monthly
 * amount leaves, plus the month's snowflakes, goes to the cards in strategy order within that
 * month, so a card cleared frees its share for the next one at once. When the minimums exceed
 * the monthly amount the month is reported as a shortfall and the plan stops: it is not stretched.
 */
export function planPayoff(input: PayoffInput): PayoffPlan {
  validatePayoffInput(input);
  return simulatePayoff(input);
}
