import { monthRange } from "../month";
import { planPayoff } from "./plan";
import type { PayoffInput, PayoffPlan, Snowflake } from "./types";
import { validatePayoffInput } from "./validate";

/** What the user would add: more every month, and one-off payments on top of the input's. */
export interface WhatIfChange {
  /** Cents a month on top of the input's monthlyAmount. */
  extraMonthly: number;
  snowflakes?: readonly Snowflake[];
}

/** The total owed at the end of a month, both ways. */
export interface WhatIfBalance {
  month: string;
  current: number;
  withChange: number;
}

export interface WhatIf {
  current: PayoffPlan;
  withChange: PayoffPlan;
  /** current.monthsToDebtFree less withChange's; null unless both got debt-free. */
  monthsSaved: number | null;
  /** current.totalInterest less withChange's; null unless both got debt-free. */
  interestSaved: number | null;
  /** From startMonth through the later of the two plans' last months. */
  balances: WhatIfBalance[];
}

/**
 * The plan as it is beside the plan with more money: the monthly amount raised by `extraMonthly`
 * and the change's snowflakes added to the input's. Savings are only given when both get
 * debt-free, as in comparePayoff. Under `minimum-only` the change changes nothing, by that
 * strategy's definition.
 */
export function planWhatIf(input: PayoffInput, change: WhatIfChange): WhatIf {
  validatePayoffInput(input);
  // The bound keeps the raised monthly amount a safe integer, so a too-large extra is blamed on
  // extraMonthly rather than on a monthlyAmount the caller never wrote.
  const max = Number.MAX_SAFE_INTEGER - input.monthlyAmount;
  const extra = change.extraMonthly;
  if (!Number.isSafeInteger(extra) || extra < 0 || extra > max) {
    throw new RangeError(`extraMonthly must be a whole number of cents from 0 to ${max}, not ${extra}`);
  }

  const current = planPayoff(input);
  const withChange = planPayoff({
    ...input,
    monthlyAmount: input.monthlyAmount + extra,
    snowflakes: [...(input.snowflakes ?? []), ...(change.snowflakes ?? [])],
  });
  const bothDebtFree = current.end === "debt-free" && withChange.end === "debt-free";
  return {
    current,
    withChange,
    monthsSaved: bothDebtFree ? (current.monthsToDebtFree ?? 0) - (withChange.monthsToDebtFree ?? 0) : null,
    interestSaved: bothDebtFree ? current.totalInterest - withChange.totalInterest : null,
    balances: balancesOf(input, current, withChange),
  };
}

function balancesOf(input: PayoffInput, current: PayoffPlan, withChange: PayoffPlan): WhatIfBalance[] {
  const ends = [current, withChange].flatMap((p) => p.schedule.at(-1)?.month ?? []);
  const last = ends.sort().at(-1);
  // Neither plan ran a month: nothing was owed, or both fell short in the first month.
  if (last === undefined) return [];
  const starting = input.cards.reduce((a, c) => a + c.balance, 0);
  const a = totalsByMonth(current);
  const b = totalsByMonth(withChange);
  // A plan that has ended owes from then on what it owed at its end: 0 once debt-free, and on a
  // shortfall, stall or horizon the last total, since nothing more was planned to be paid.
  let carryA = starting;
  let carryB = starting;
  return monthRange(input.startMonth, last).map((month) => {
    carryA = a.get(month) ?? carryA;
    carryB = b.get(month) ?? carryB;
    return { month, current: carryA, withChange: carryB };
  });
}

/** Each schedule month's total owed. A card missing from a month owed nothing at its start, so adds 0. */
function totalsByMonth(plan: PayoffPlan): Map<string, number> {
  return new Map(plan.schedule.map((m) => [m.month, m.cards.reduce((a, c) => a + c.balance, 0)]));
}
