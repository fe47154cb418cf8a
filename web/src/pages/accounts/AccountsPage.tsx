import { useState } from "react";
import { useAllAccounts } from "../../api/accounts";
import { LoadFailed } from "../../ui/ErrorMessage";
import { useStatusLine } from "../../ui/page";
import { AccountCard } from "./AccountCard";
import { AccountTotals } from "./AccountTotals";
import { NewAccountForm } from "./NewAccountForm";
import "./accounts.css";

/** Every account and card with its balance, the totals, and opening, editing or closing one. */
export default function AccountsPage() {
  const accounts = useAllAccounts();
  const [showClosed, setShowClosed] = useState(false);
  const { say, line } = useStatusLine();

  const all = accounts.data ?? [];
  const closedCount = all.filter((a) => a.closed).length;
  const shown = all.filter((a) => showClosed || !a.closed);
  const open = all.filter((a) => !a.closed);

  return (
    <div className="accounts-page">
      <h1>Accounts</h1>
      {line}
      {accounts.isPending ? (
        <p className="loading" role="status">
          Loading your accounts…
        </p>
      ) : accounts.isError ? (
        <div>
          <LoadFailed query={accounts} />
        </div>
      ) : (
        <>
          <AccountTotals accounts={open} />
          <section aria-labelledby="list-heading" className="accounts-list">
            <div className="accounts-list-head">
              <h2 id="list-heading">Your accounts</h2>
              {closedCount > 0 && (
                <label className="toggle">
                  <input
                    type="checkbox"
                    checked={showClosed}
                    onChange={(e) => setShowClosed(e.target.checked)}
                  />{" "}
                  Show closed accounts ({closedCount})
                </label>
              )}
            </div>
            {shown.length === 0 ? (
              <p className="empty">
                {all.length === 0
                  ? "No accounts yet. Open your checking account and your cards below to see what you hold and what you owe."
                  : "Every account is closed. Open a new one below, or show the closed ones."}
              </p>
            ) : (
              <ul className="grid account-grid">
                {shown.map((a) => (
                  <AccountCard key={a.accountId} account={a} onDone={say} />
                ))}
              </ul>
            )}
          </section>
        </>
      )}
      <NewAccountForm onCreated={(name) => say(`${name} was opened.`)} />
    </div>
  );
}
