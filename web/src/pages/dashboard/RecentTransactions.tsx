import type { Account, Transaction } from "@tyche/types";
import { Link } from "react-router";
import { dateLabel, money } from "../../ui/format";

/** The latest transactions up to the month's end, newest first, each signed as its account saw it. */
export function RecentTransactions({
  transactions,
  accounts,
  categoryName,
}: {
  transactions: Transaction[];
  accounts: Account[];
  categoryName: (id: string | null) => string | undefined;
}) {
  const account = (id: string | null | undefined) => accounts.find((a) => a.accountId === id);
  return (
    <section className="card" aria-labelledby="recent-heading">
      <h2 id="recent-heading">Recent transactions</h2>
      {transactions.length === 0 ? (
        <p className="muted">No transactions up to this month's end.</p>
      ) : (
        <ul className="plain-list recent" data-testid="recent">
          {transactions.map((t) => {
            const own = account(t.accountId);
            const currency = own?.currency ?? "USD";
            const out =
              t.type === "expense" || (t.type === "transfer" && t.transfer?.fromAccountId === t.accountId);
            const other =
              t.type === "transfer"
                ? account(out ? t.transfer?.toAccountId : t.transfer?.fromAccountId)
                : undefined;
            const what =
              t.type === "transfer"
                ? out
                  ? `Transfer to ${other?.name ?? "another account"}`
                  : `Transfer from ${other?.name ?? "another account"}`
                : t.type === "income"
                  ? "Income"
                  : t.type === "refund"
                    ? `Refund${t.categoryId ? `, ${categoryName(t.categoryId) ?? ""}` : ""}`
                    : (categoryName(t.categoryId) ?? "Uncategorized");
            return (
              <li key={t.transactionId} className="row">
                <span>
                  <span className="recent-merchant">{t.merchant ?? t.description ?? "—"}</span>
                  <span className="muted small block">
                    {dateLabel(t.date)} · {what} · {own?.name ?? "account"}
                  </span>
                </span>
                <span className={`amount ${out ? "" : "amount-in"}`}>
                  <span className="sr-only">{out ? "out " : "in "}</span>
                  <span aria-hidden="true">{out ? "−" : "+"}</span>
                  {money(t.amount, currency)}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      <p>
        <Link to="/transactions">All transactions</Link>
      </p>
    </section>
  );
}
