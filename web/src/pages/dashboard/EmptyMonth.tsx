import { Link } from "react-router";
import { monthLabel } from "../../ui/format";

/** A month with neither a plan nor a transaction: where to start. */
export function EmptyMonth({ month }: { month: string }) {
  return (
    <section className="card empty-month" aria-labelledby="empty-heading" data-testid="empty-month">
      <h2 id="empty-heading">Nothing recorded for {monthLabel(month)}</h2>
      <p>This month has no budget and no transactions yet. To start:</p>
      <ul>
        <li>
          <Link to={`/budget?month=${month}`}>Plan this month's budget</Link>: your income and a limit for
          each category.
        </li>
        <li>
          <Link to="/import">Import a bank file</Link> (CSV, OFX or QFX) to bring in what you spent.
        </li>
        <li>Or add a transaction by hand with the form on this page.</li>
      </ul>
    </section>
  );
}
