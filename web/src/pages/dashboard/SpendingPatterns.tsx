import type { MonthAnalytics } from "@tyche/types";
import { dateLabel, money } from "../../ui/format";

/** Where the month's money went: the top merchants and the charges that come back every month. */
export function SpendingPatterns({ analytics }: { analytics: MonthAnalytics }) {
  const currency = analytics.currency;
  const merchants = analytics.topMerchants.slice(0, 5);
  return (
    <section className="card" aria-labelledby="patterns-heading">
      <h2 id="patterns-heading">Where it went</h2>
      <h3>Top merchants</h3>
      {merchants.length === 0 ? (
        <p className="muted">No spending at any merchant this month.</p>
      ) : (
        <ol className="plain-list">
          {merchants.map((m) => (
            <li key={m.merchantKey} className="row">
              <span>
                {m.merchant}
                <span className="muted small block">
                  {m.transactionCount} {m.transactionCount === 1 ? "charge" : "charges"}
                  {m.share !== null && ` · ${m.share.toFixed(0)}% of spending`}
                </span>
              </span>
              <span className="amount">{money(m.spent, currency)}</span>
            </li>
          ))}
        </ol>
      )}
      <h3>Recurring charges</h3>
      {analytics.recurringCharges.length === 0 ? (
        <p className="muted">No charge this month that came back from earlier months.</p>
      ) : (
        <ul className="plain-list" data-testid="recurring">
          {analytics.recurringCharges.map((r) => (
            <li key={r.transactionId} className="row">
              <span>
                {r.merchant}
                <span className="muted small block">
                  {dateLabel(r.date)} · seen in {r.monthsSeen} of the last 4 months
                </span>
              </span>
              <span className="amount">{money(r.amount, currency)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
