import {
  comparePayoff,
  type PayoffInput,
  type PayoffPlan,
  type PayoffStrategy,
  planPayoff,
  planWhatIf,
} from "@tyche/core";
import type { DebtComparison, DebtPlan, DebtWhatIf, StrategySummary } from "@tyche/types";
import type { Owner } from "../db/keys";
import { invalidField } from "../errors";
import { type Basis, type BasisQuery, type DebtBasisReader, parseOrder } from "./debt-basis";

/** Fifty years: past it a plan says "horizon" rather than run on. */
const HORIZON_MONTHS = 600;

export interface PlanQuery extends BasisQuery {
  strategy: PayoffStrategy;
  order?: string | undefined;
}

export interface WhatIfQuery extends PlanQuery {
  extra: number;
  snowflake?: { month: string; amount: number } | undefined;
}

function inputOf(basis: Basis, strategy: PayoffStrategy, order: string | undefined): PayoffInput {
  const customOrder = parseOrder(order, basis.cards);
  if (strategy === "custom" && !customOrder) throw invalidField("order", "is required for strategy=custom");
  return {
    cards: basis.cards,
    startMonth: basis.view.month,
    monthlyAmount: basis.view.monthlyAmount,
    strategy,
    ...(customOrder ? { customOrder } : {}),
    horizonMonths: HORIZON_MONTHS,
  };
}

const summary = (
  plan: PayoffPlan,
  saved: { interestSaved: number | null; monthsSaved: number | null },
): StrategySummary => ({
  strategy: plan.strategy,
  feasible: plan.feasible,
  end: plan.end,
  monthsToDebtFree: plan.monthsToDebtFree,
  debtFreeMonth: plan.debtFreeMonth,
  totalInterest: plan.totalInterest,
  totalPaid: plan.totalPaid,
  interestSaved: saved.interestSaved,
  monthsSaved: saved.monthsSaved,
  cards: plan.cards,
});

const outcome = (p: PayoffPlan) => ({
  monthsToDebtFree: p.monthsToDebtFree,
  debtFreeMonth: p.debtFreeMonth,
  totalInterest: p.totalInterest,
  feasible: p.feasible,
  end: p.end,
});

/** Payoff plans from the real budget: the month's money for debt and the live card balances. */
export class DebtService {
  constructor(private readonly basis: DebtBasisReader) {}

  async plan(owner: Owner, q: PlanQuery): Promise<DebtPlan> {
    const basis = await this.basis.read(owner, q);
    const input = inputOf(basis, q.strategy, q.order);
    const plan = planPayoff(input);
    const baseline =
      q.strategy === "minimum-only" ? plan : planPayoff({ ...input, strategy: "minimum-only" });
    const bothFree = plan.end === "debt-free" && baseline.end === "debt-free";
    return {
      ...basis.view,
      plan,
      baseline: {
        monthsToDebtFree: baseline.monthsToDebtFree,
        totalInterest: baseline.totalInterest,
        debtFreeMonth: baseline.debtFreeMonth,
      },
      interestSaved: bothFree ? baseline.totalInterest - plan.totalInterest : null,
      monthsSaved: bothFree ? (baseline.monthsToDebtFree ?? 0) - (plan.monthsToDebtFree ?? 0) : null,
    };
  }

  async compare(owner: Owner, q: BasisQuery & { order?: string | undefined }): Promise<DebtComparison> {
    const basis = await this.basis.read(owner, q);
    const result = comparePayoff(inputOf(basis, "avalanche", q.order));
    const strategies = result.strategies.map((s) => summary(s.plan, s));
    // The least interest among the plans that get there, then the fewest months.
    const best = strategies
      .filter((s) => s.end === "debt-free")
      .sort(
        (a, b) => a.totalInterest - b.totalInterest || (a.monthsToDebtFree ?? 0) - (b.monthsToDebtFree ?? 0),
      )[0];
    return {
      ...basis.view,
      baseline: summary(result.baseline, { interestSaved: 0, monthsSaved: 0 }),
      strategies,
      best: best?.strategy ?? null,
    };
  }

  async whatIf(owner: Owner, q: WhatIfQuery): Promise<DebtWhatIf> {
    if (q.strategy === "minimum-only") {
      throw invalidField("strategy", "must put extra money somewhere: not minimum-only");
    }
    const basis = await this.basis.read(owner, q);
    const result = planWhatIf(inputOf(basis, q.strategy, q.order), {
      extraMonthly: q.extra,
      ...(q.snowflake ? { snowflakes: [q.snowflake] } : {}),
    });
    return {
      ...basis.view,
      strategy: q.strategy,
      extraMonthly: q.extra,
      snowflake: q.snowflake ?? null,
      current: outcome(result.current),
      withChange: outcome(result.withChange),
      monthsSaved: result.monthsSaved,
      interestSaved: result.interestSaved,
      balances: result.balances,
    };
  }
}
