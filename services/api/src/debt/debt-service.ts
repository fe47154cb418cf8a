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

function planFrom(basis: Basis, q: PlanQuery): DebtPlan {
  const input = inputOf(basis, q.strategy, q.order);
  const plan = planPayoff(input);
  const baseline = q.strategy === "minimum-only" ? plan : planPayoff({ ...input, strategy: "minimum-only" });
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

function compareFrom(basis: Basis, order: string | undefined): DebtComparison {
  const result = comparePayoff(inputOf(basis, "avalanche", order));
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

function whatIfFrom(basis: Basis, q: WhatIfQuery): DebtWhatIf {
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

function checkWhatIf(strategy: PayoffStrategy): void {
  if (strategy === "minimum-only") {
    throw invalidField("strategy", "must put extra money somewhere: not minimum-only");
  }
}

/** Payoff plans from the real budget: the month's money for debt and the live card balances. */
export class DebtService {
  constructor(private readonly basis: DebtBasisReader) {}

  async plan(owner: Owner, q: PlanQuery): Promise<DebtPlan> {
    return planFrom(await this.basis.read(owner, q), q);
  }

  async compare(owner: Owner, q: BasisQuery & { order?: string | undefined }): Promise<DebtComparison> {
    return compareFrom(await this.basis.read(owner, q), q.order);
  }

  async whatIf(owner: Owner, q: WhatIfQuery): Promise<DebtWhatIf> {
    checkWhatIf(q.strategy);
    return whatIfFrom(await this.basis.read(owner, q), q);
  }

  /**
   * The comparison, one strategy's plan and, when asked, a what-if, from one read of the cards and
   * the budget (the advisor's calculate_payoff): `strategy` picks the plan from the comparison
   * (its best, by default), so all three describe the same balances.
   */
  async advise(
    owner: Owner,
    q: BasisQuery & { strategy?: PayoffStrategy; whatIf?: Omit<WhatIfQuery, keyof PlanQuery> },
  ): Promise<{ comparison: DebtComparison; plan: DebtPlan; whatIf: DebtWhatIf | null }> {
    const basis = await this.basis.read(owner, q);
    const comparison = compareFrom(basis, undefined);
    const strategy = q.strategy ?? comparison.best ?? "avalanche";
    if (q.whatIf) checkWhatIf(strategy);
    return {
      comparison,
      plan: planFrom(basis, { ...q, strategy }),
      whatIf: q.whatIf ? whatIfFrom(basis, { ...q, ...q.whatIf, strategy }) : null,
    };
  }
}
