import { useEffect, useState } from "react";
import { money } from "../../ui/format";
import type { LiveFigures } from "./plan";

/** The remainder in words: what is left to allocate, or by how much the plan is over. */
export function remainderWords(figures: LiveFigures, currency: string): string {
  const { unallocated } = figures;
  if (figures.totalIncome === 0 && figures.totalBudgeted === 0) return "Nothing planned yet";
  if (unallocated > 0) return `${money(unallocated, currency)} left to allocate`;
  if (unallocated < 0) return `Over-allocated by ${money(-unallocated, currency)}`;
  return "Every bit of income is allocated";
}

/**
 * The figures that matter while planning, always in view (sticky, on a phone too): what is left
 * to allocate and what the month leaves for paying off cards. Screen readers hear a short summary
 * once the figures settle, not every step of a slider.
 */
export function BudgetSummary({
  figures,
  currency,
  paidToDebt,
}: {
  figures: LiveFigures;
  currency: string;
  paidToDebt: number | undefined;
}) {
  const { unallocated, availableForDebtPayoff, totalBudgeted, totalIncome } = figures;
  const status = unallocated < 0 ? "status-over" : unallocated === 0 && totalIncome > 0 ? "status-under" : "";
  const spoken = `${remainderWords(figures, currency)}. Available for debt payoff: ${money(availableForDebtPayoff, currency)}.`;
  const [announced, setAnnounced] = useState(spoken);
  useEffect(() => {
    const timer = setTimeout(() => setAnnounced(spoken), 700);
    return () => clearTimeout(timer);
  }, [spoken]);
  return (
    <section className="card budget-summary" aria-labelledby="budget-summary-heading">
      <h2 id="budget-summary-heading" className="sr-only">
        Summary
      </h2>
      <dl>
        <div className="figure">
          <dt>Unallocated</dt>
          <dd className={`amount ${status}`} data-testid="unallocated" data-cents={unallocated}>
            {money(unallocated, currency)}
          </dd>
          <dd className={`figure-words ${status}`}>{remainderWords(figures, currency)}</dd>
        </div>
        <div className="figure">
          <dt>Available for debt payoff</dt>
          <dd className="amount" data-testid="available-for-debt-payoff" data-cents={availableForDebtPayoff}>
            {money(availableForDebtPayoff, currency)}
          </dd>
          <dd className="figure-words muted">
            {paidToDebt !== undefined && paidToDebt > 0
              ? `${money(paidToDebt, currency)} paid to cards so far`
              : "Income less what the other categories commit"}
          </dd>
        </div>
        <div className="figure secondary">
          <dt>Income</dt>
          <dd className="amount">{money(totalIncome, currency)}</dd>
        </div>
        <div className="figure secondary">
          <dt>Allocated</dt>
          <dd className="amount">{money(totalBudgeted, currency)}</dd>
        </div>
      </dl>
      <p className="sr-only" aria-live="polite" aria-atomic="true">
        {announced}
      </p>
    </section>
  );
}
