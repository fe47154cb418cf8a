import type { DebtBasis } from "@tyche/types";
import { useDebtComparison, useDebtPlan } from "../../api/debt";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { BalanceChart } from "./BalanceChart";
import { GoalPanel } from "./GoalPanel";
import { MonthlyAmount } from "./MonthlyAmount";
import { ProgressPanel } from "./ProgressPanel";
import { ShortfallPanel } from "./ShortfallPanel";
import { StrategyComparison } from "./StrategyComparison";
import { WhatIfPanel } from "./WhatIfPanel";
import type { PlanStrategy } from "./words";

const EXCLUDED: Record<DebtBasis["excluded"][number]["reason"], string> = {
  "no-terms": "has no terms yet: add them on the card above",
  "in-credit": "is in credit: there is nothing to pay off",
  "other-currency": "is in another currency than the budget",
};

/** The plan to pay the cards off, and everything that follows from it. */
export function DebtPlanner({
  month,
  monthly,
  strategy,
  onMonthly,
  onStrategy,
}: {
  month: string;
  monthly: number | undefined;
  strategy: PlanStrategy;
  onMonthly: (cents: number | undefined) => void;
  onStrategy: (s: PlanStrategy) => void;
}) {
  const comparison = useDebtComparison({ month, monthly });
  const plan = useDebtPlan({ month, monthly, strategy });
  const failed = comparison.error ?? plan.error;
  if (failed)
    return (
      <div className="card">
        <h2>The payoff plan could not be worked out</h2>
        <ErrorMessage error={failed} />
        <button
          type="button"
          onClick={() => {
            void comparison.refetch();
            void plan.refetch();
          }}
        >
          Try again
        </button>
      </div>
    );
  const basis = comparison.data;
  if (!basis || !plan.data)
    return (
      <p className="loading" role="status">
        Working out your payoff plan…
      </p>
    );
  return (
    <div className="debt-planner" aria-busy={comparison.isFetching || plan.isFetching}>
      <div className="planner-top">
        <MonthlyAmount key={monthly ?? "budget"} basis={basis} override={monthly} onOverride={onMonthly} />
        {basis.shortfall && <ShortfallPanel basis={basis} shortfall={basis.shortfall} />}
      </div>
      {basis.excluded.length > 0 && (
        <div className="card excluded" data-testid="excluded">
          <h2>Not in the plan</h2>
          <ul>
            {basis.excluded.map((e) => (
              <li key={e.cardId}>
                <strong>{e.name}</strong> {EXCLUDED[e.reason]}
              </li>
            ))}
          </ul>
        </div>
      )}
      {basis.cards.length === 0 ? (
        <p className="card">Nothing is owed on the cards in the plan: there is nothing to pay off.</p>
      ) : (
        <>
          <StrategyComparison comparison={basis} strategy={strategy} onStrategy={onStrategy} />
          <BalanceChart plan={plan.data} />
          <WhatIfPanel
            month={month}
            monthly={monthly}
            strategy={strategy}
            monthlyAmount={basis.monthlyAmount}
            currency={basis.currency}
          />
          <GoalPanel month={month} strategy={strategy} currency={basis.currency} />
        </>
      )}
      <ProgressPanel month={month} currency={basis.currency} />
    </div>
  );
}
