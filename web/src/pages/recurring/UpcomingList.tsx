import type { Account } from "@tyche/types";
import { useUpcoming } from "../../api/recurring";
import { LoadFailed } from "../../ui/ErrorMessage";
import { fullDate, money } from "../../ui/format";
import { kindCounts, totalWords } from "./occurrences";
import { KIND_LABELS } from "./words";

export const UPCOMING_DAYS = 30;

/** The bills of the next 30 days, today included, that are not done yet, with their total. */
export function UpcomingList({ accounts }: { accounts: readonly Account[] }) {
  const upcoming = useUpcoming(UPCOMING_DAYS);
  const name = (id: string | null) => accounts.find((a) => a.accountId === id)?.name ?? "an account";
  const u = upcoming.data;
  return (
    <section
      className="card bill-upcoming"
      aria-labelledby="upcoming-heading"
      aria-busy={upcoming.isFetching}
    >
      <h2 id="upcoming-heading">Next {UPCOMING_DAYS} days</h2>
      {upcoming.isPending ? (
        <p className="loading" role="status">
          Loading the coming bills…
        </p>
      ) : upcoming.isError ? (
        <div>
          <LoadFailed query={upcoming} />
        </div>
      ) : u && u.items.length === 0 ? (
        <p className="muted" data-testid="upcoming-empty">
          Nothing due from {fullDate(u.from)} to {fullDate(u.to)}.
        </p>
      ) : u ? (
        <>
          <p className="upcoming-total" data-testid="upcoming-total">
            {u.totals.map((t) => `${totalWords(t, kindCounts(u.items, t.currency))}`).join("; ")}{" "}
            <span className="muted">
              from {fullDate(u.from)} to {fullDate(u.to)}
            </span>
          </p>
          <ul className="plain-list upcoming-items" data-testid="upcoming">
            {u.items.map((o) => (
              <li key={`${o.date}-${o.recurringId}`} className="row">
                <span>
                  <span className="upcoming-name">{o.name}</span>
                  <span className="muted small block">
                    {fullDate(o.date)} · {KIND_LABELS[o.kind]}{" "}
                    {o.kind === "transfer"
                      ? `from ${name(o.accountId)} to ${name(o.toAccountId)}`
                      : o.kind === "income"
                        ? `into ${name(o.accountId)}`
                        : `from ${name(o.accountId)}`}
                    {!o.autoPost && " · reminder: record it yourself"}
                  </span>
                </span>
                <span className="amount">{money(o.amount, o.currency)}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
