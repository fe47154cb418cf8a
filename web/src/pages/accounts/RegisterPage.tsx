import type { Reconciliation } from "@tyche/types";
import { useMemo, useState } from "react";
import { Link, useParams } from "react-router";
import { useAllAccounts, useRegister } from "../../api/accounts";
import { ApiError } from "../../api/client";
import { useCategories } from "../../api/queries";
import { ACCOUNT_TYPE_LABELS } from "../../ui/account-words";
import { ErrorMessage, LoadFailed } from "../../ui/ErrorMessage";
import { fullDate, money, plural } from "../../ui/format";
import { ReconcileForm, ReconcileResult } from "./ReconcileForm";
import { namesOf, RegisterTable } from "./RegisterTable";
import { balanceWords } from "./words";
import "./accounts.css";

/** One account's register: its transactions newest first with the running balance, and reconciling it. */
export default function RegisterPage() {
  const { accountId = "" } = useParams();
  const register = useRegister(accountId);
  const accounts = useAllAccounts();
  const categories = useCategories();
  const [result, setReconciled] = useState<Reconciliation>();
  // A reconciliation belongs to the account it was made for (the page stays mounted across accounts).
  const reconciled = result?.accountId === accountId ? result : undefined;
  const names = useMemo(() => namesOf(accounts.data, categories.data), [accounts.data, categories.data]);
  const rows = useMemo(() => register.data?.pages.flatMap((p) => p.items) ?? [], [register.data]);
  // The newest page's account: its balance is the one the first row ends on.
  const account = register.data?.pages[0]?.account;

  if (register.isPending)
    return (
      <>
        <h1>Account</h1>
        <p className="loading" role="status">
          Loading the register…
        </p>
      </>
    );
  if (!account) {
    const missing =
      register.error instanceof ApiError && (register.error.status === 404 || register.error.status === 400);
    return (
      <>
        <h1>Account</h1>
        {missing ? (
          <p role="alert" className="error">
            This account was not found. It may have been deleted.
          </p>
        ) : (
          <LoadFailed query={register} />
        )}
        <p>
          <Link to="/accounts">Back to all accounts</Link>
        </p>
      </>
    );
  }

  const rowsAfter = reconciled ? rows.filter((r) => r.date > reconciled.date).length : 0;
  return (
    <div className="register-page">
      <p className="breadcrumb">
        <Link to="/accounts">All accounts</Link>
      </p>
      <h1>{account.name}</h1>
      <div className="register-top">
        <section className="card register-summary" aria-label="About this account">
          <p className="account-balance amount">
            {balanceWords(account.balance, account.type, account.currency)}
          </p>
          <ul className="account-facts">
            <li>{ACCOUNT_TYPE_LABELS[account.type]}</li>
            <li>{account.currency}</li>
            <li>{account.onBudget ? "On budget" : "Off budget"}</li>
            {account.closed && <li className="acct-badge">Closed</li>}
          </ul>
          <p className="muted">
            {`Opened on ${fullDate(account.openingDate)} with ${money(account.openingBalance, account.currency)}${
              account.type === "credit-card" ? " owed" : ""
            }.`}
          </p>
          <p>
            <Link to={`/transactions?accountId=${account.accountId}`}>See these in Transactions</Link>
          </p>
        </section>
        <section className="card register-reconcile">
          <ReconcileForm account={account} onResult={setReconciled} />
          <div role="status" aria-live="polite" className="reconcile-status">
            {reconciled && (
              <ReconcileResult
                result={reconciled}
                account={account}
                rowsShown={rows.length}
                rowsAfter={rowsAfter}
              />
            )}
          </div>
        </section>
      </div>
      <section aria-labelledby="register-heading" className="register-section">
        <h2 id="register-heading">Transactions</h2>
        {rows.length === 0 ? (
          <p className="empty">
            No transactions in this account yet. Add them on the Transactions page or import a bank file.
          </p>
        ) : (
          <>
            <p className="muted" aria-live="polite">
              {`Showing ${plural(rows.length, "transaction")} of ${account.transactionCount}, newest first.`}
            </p>
            <RegisterTable account={account} rows={rows} names={names} reconciled={reconciled} />
            {register.hasNextPage && (
              <button
                type="button"
                className="load-more"
                onClick={() => register.fetchNextPage()}
                disabled={register.isFetchingNextPage}
              >
                {register.isFetchingNextPage ? "Loading more…" : "Load more"}
              </button>
            )}
            {(register.isFetchNextPageError || register.isRefetchError) && (
              <ErrorMessage error={register.error} />
            )}
          </>
        )}
      </section>
    </div>
  );
}
