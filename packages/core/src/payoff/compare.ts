import { planPayoff } from "./plan";
import type { PayoffComparison, PayoffInput, PayoffPlan, PayoffStrategy } from "./types";

const saved = (baseline: PayoffPlan, plan: PayoffPlan, pick: (p: PayoffPlan) => number | null) => {
  const a = pick(baseline);
  const b = pick(plan);
  return a === null || b === null ? null : a - b;
};

/**
 * Every strategy on the same input beside the minimum-only baseline, with what each saves against
 * it. Savings are only given when both plans reach debt-free: against a plan that never ends, a
 * difference of interest says nothing. `custom` is included when the input has a customOrder.
 */
export function comparePayoff(input: PayoffInput): PayoffComparison {
  const baseline = planPayoff({ ...input, strategy: "minimum-only" });
  const kinds: PayoffStrategy[] = ["avalanche", "snowball", "highest-interest"];
  if (input.customOrder) kinds.push("custom");
  const debtFreeInterest = (p: PayoffPlan) => (p.end === "debt-free" ? p.totalInterest : null);
  return {
    baseline,
    strategies: kinds.map((strategy) => {
      const plan = planPayoff({ ...input, strategy });
      return {
        strategy,
        plan,
        interestSaved: saved(baseline, plan, debtFreeInterest),
        monthsSaved: saved(baseline, plan, (p) => p.monthsToDebtFree),
      };
    }),
  };
}
