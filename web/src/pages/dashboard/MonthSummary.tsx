import type { Dashboard } from "@tyche/types";
import { money, monthLabel } from "../../ui/format";

/** The number that ties the month together, said in a sentence, with the totals it comes from. */
export function MonthSummary({ dashboard }: { dashboard: Dashboard }) {
  const { analytics, totalOwedOnCards } = dashboard;
  const t = analytics.totals;
  const m = (cents: number) => money(cents, analytics.currency);
  return (
    <section className="card month-summary" aria-labelledby="summary-heading">
      <h2 id="summary-heading">{monthLabel(analytics.month)} at a glance</h2>
      <p className="debt-sentence" data-testid="debt-sentence">
        {analytics.hasBudget ? (
          <>
            Your plan leaves <strong data-testid="available-for-debt">{m(t.availableForDebtPayoff)}</strong>{" "}
            this month for paying off your cards
          </>
        ) : (
          <>
            This month has no plan, so{" "}
            <strong data-testid="available-for-debt">{m(t.availableForDebtPayoff)}</strong> is set aside for
            paying off your cards
          </>
        )}
        , and you have paid <strong data-testid="paid-to-debt">{m(t.paidToDebt)}</strong> to them so far. Your
        cards owe <strong>{m(totalOwedOnCards)}</strong> in all.
      </p>
      <dl className="totals">
        <div>
          <dt>Income</dt>
          <dd data-testid="total-income">
            {m(t.actualIncome)}
            <span className="muted"> of {m(t.plannedIncome)} planned</span>
          </dd>
        </div>
        <div>
          <dt>Spent</dt>
          <dd data-testid="total-spent">
            {m(t.expenses)}
            <span className="muted"> of {m(t.budgeted)} budgeted</span>
          </dd>
        </div>
        <div>
          <dt>Savings rate</dt>
          <dd>{t.savingsRate === null ? "No income yet" : `${t.savingsRate.toFixed(1)}%`}</dd>
        </div>
        <div>
          <dt>Transactions</dt>
          <dd data-testid="total-count">{t.transactionCount}</dd>
        </div>
      </dl>
    </section>
  );
}
