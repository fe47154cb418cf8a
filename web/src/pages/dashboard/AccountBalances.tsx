import type { Account } from "@tyche/types";
import { Link } from "react-router";
import { ACCOUNT_TYPE_LABELS } from "../../ui/account-words";
import { money } from "../../ui/format";
import { balanceWords } from "./words";

/** Every open account with its balance; cards as what they owe, added up. */
export function AccountBalances({
  accounts,
  totalOwedOnCards,
}: {
  accounts: Account[];
  totalOwedOnCards: number;
}) {
  const currency = accounts.find((a) => a.type === "credit-card")?.currency ?? accounts[0]?.currency ?? "USD";
  const hasCards = accounts.some((a) => a.type === "credit-card");
  return (
    <section className="card" aria-labelledby="accounts-heading">
      <h2 id="accounts-heading">Accounts</h2>
      {accounts.length === 0 ? (
        <p className="muted">
          No open accounts. <Link to="/accounts">Add an account</Link>.
        </p>
      ) : (
        <ul className="plain-list" data-testid="accounts">
          {accounts.map((a) => (
            <li key={a.accountId} className="row">
              <span>
                <Link to={`/accounts/${a.accountId}`}>{a.name}</Link>
                <span className="muted small block">{ACCOUNT_TYPE_LABELS[a.type]}</span>
              </span>
              <span className="amount" data-testid={`balance-${a.name}`}>
                {balanceWords(a)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {hasCards && (
        <p className="row total-owed">
          <strong>Owed on cards</strong>
          <strong className="amount" data-testid="total-owed">
            {money(totalOwedOnCards, currency)}
          </strong>
        </p>
      )}
    </section>
  );
}
