import { Link } from "react-router";
import { useUpcoming } from "../../api/recurring";
import { LoadFailed } from "../../ui/ErrorMessage";
import { dateLabel, money } from "../../ui/format";

/** How many of the coming bills the panel names; the total counts them all. */
const SHOWN = 5;

/**
 * The next bills of the coming 30 days and what they add up to, linking to the bills page. Its own
 * read (the dashboard's one read has no templates), and nothing heavier than the API's types.
 */
export function UpcomingBills() {
  const upcoming = useUpcoming(30);
  const u = upcoming.data;
  const items = u?.items ?? [];
  return (
    <section className="card" aria-labelledby="upcoming-bills-heading" data-testid="upcoming-bills">
      <h2 id="upcoming-bills-heading">Upcoming bills</h2>
      {upcoming.isPending ? (
        <p className="loading">Loading the coming bills…</p>
      ) : upcoming.isError ? (
        <div>
          <LoadFailed query={upcoming} />
        </div>
      ) : items.length === 0 ? (
        <p className="muted">
          No bills in the next 30 days. <Link to="/recurring">Add your rent and subscriptions</Link>.
        </p>
      ) : (
        <>
          <ul className="plain-list" data-testid="upcoming-bills-list">
            {items.slice(0, SHOWN).map((o) => (
              <li key={`${o.date}-${o.recurringId}`} className="row">
                <span>
                  <span className="recent-merchant">{o.name}</span>
                  <span className="muted small block">
                    {dateLabel(o.date)}
                    {o.kind === "income" ? " · income" : o.kind === "transfer" ? " · transfer" : ""}
                    {o.autoPost ? "" : " · reminder"}
                  </span>
                </span>
                <span className="amount">{money(o.amount, o.currency)}</span>
              </li>
            ))}
          </ul>
          {items.length > SHOWN && <p className="muted small">and {items.length - SHOWN} more</p>}
          {(u?.totals ?? []).map((t) => (
            <div key={t.currency}>
              <p className="row total-owed" data-testid={`upcoming-bills-total-${t.currency}`}>
                <strong>Going out in 30 days</strong>
                <strong className="amount">{money(t.expense + t.transfer, t.currency)}</strong>
              </p>
              {t.income > 0 && (
                <p className="row total-owed">
                  <span>Income expected</span>
                  <span className="amount">{money(t.income, t.currency)}</span>
                </p>
              )}
            </div>
          ))}
        </>
      )}
      {items.length > 0 && (
        <p>
          <Link to="/recurring">All bills</Link>
        </p>
      )}
    </section>
  );
}
