import type { Account, Category, Reconciliation } from "@tyche/types";
import { Fragment, memo } from "react";
import type { RegisterRow } from "../../api/accounts";
import { fullDate, money, plural, signedMoney } from "../../ui/format";
import { isCard } from "./words";

const KIND: Record<RegisterRow["type"], string> = {
  expense: "Expense",
  income: "Income",
  refund: "Refund",
  transfer: "Transfer",
};

interface Names {
  accounts: ReadonlyMap<string, string>;
  categories: ReadonlyMap<string, string>;
}

export const namesOf = (accounts: readonly Account[] = [], categories: readonly Category[] = []): Names => ({
  accounts: new Map(accounts.map((a) => [a.accountId, a.name])),
  categories: new Map(categories.map((c) => [c.categoryId, c.name])),
});

function payee(row: RegisterRow, names: Names): string {
  if (row.type === "transfer" && row.transfer) {
    const out = row.transfer.fromAccountId === row.accountId;
    const other = out ? row.transfer.toAccountId : row.transfer.fromAccountId;
    const name = names.accounts.get(other) ?? "another account";
    return out ? `Transfer to ${name}` : `Transfer from ${name}`;
  }
  return row.merchant || row.description || KIND[row.type];
}

function category(row: RegisterRow, names: Names): string {
  if (row.type === "transfer") return "—";
  if (row.splits) return `Split in ${row.splits.length}`;
  if (!row.categoryId) return "Uncategorised";
  return names.categories.get(row.categoryId) ?? row.categoryType ?? "Uncategorised";
}

const Row = memo(function Row({
  row,
  currency,
  names,
}: {
  row: RegisterRow;
  currency: string;
  names: Names;
}) {
  const title = payee(row, names);
  const detail = row.merchant && row.description && row.description !== row.merchant ? row.description : "";
  return (
    <tr className={row.pending ? "register-row pending" : "register-row"}>
      <td data-label="Date">
        <time dateTime={row.date}>{fullDate(row.date)}</time>
      </td>
      <td data-label="Payee">
        <div className="register-who">
          <span className="register-payee">{title}</span>
          <span className="register-detail muted">
            {KIND[row.type]}
            {detail ? ` · ${detail}` : ""}
          </span>
        </div>
      </td>
      <td data-label="Category">{category(row, names)}</td>
      <td data-label="Status">
        {row.pending ? (
          <span className="acct-badge acct-badge-pending">Pending</span>
        ) : row.cleared ? (
          <span className="acct-badge acct-badge-cleared">Cleared</span>
        ) : (
          <span className="muted">Not cleared</span>
        )}
      </td>
      <td data-label="Change" className="amount">
        {signedMoney(row.change, currency)}
      </td>
      <td data-label="Balance after" className="amount running-balance">
        {money(row.runningBalance, currency)}
      </td>
    </tr>
  );
});

/**
 * The register's rows, newest first. After a reconciliation a line marks where the counted rows
 * begin: that row and every one below it are dated up to the day reconciled.
 */
export function RegisterTable({
  account,
  rows,
  names,
  reconciled,
}: {
  account: Account;
  rows: readonly RegisterRow[];
  names: Names;
  reconciled: Reconciliation | undefined;
}) {
  const card = isCard(account);
  const firstCounted = reconciled ? rows.findIndex((r) => r.date <= reconciled.date) : -1;
  return (
    <table className="register">
      <caption className="sr-only">
        {`Transactions of ${account.name}, newest first, with the ${card ? "amount owed" : "balance"} after each`}
      </caption>
      <thead>
        <tr>
          <th scope="col">Date</th>
          <th scope="col">Payee</th>
          <th scope="col">Category</th>
          <th scope="col">Status</th>
          <th scope="col" className="amount">
            {card ? "Change to owed" : "Amount"}
          </th>
          <th scope="col" className="amount">
            {card ? "Owed after" : "Balance after"}
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <Fragment key={row.transactionId}>
            {i === firstCounted && reconciled && (
              <tr className="reconcile-line">
                <td colSpan={6}>
                  {`Reconciled to ${fullDate(reconciled.date)}: this row and every one below it are counted (${plural(
                    reconciled.transactionsCounted,
                    "transaction",
                  )}).`}
                </td>
              </tr>
            )}
            <Row row={row} currency={account.currency} names={names} />
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
