import { type Account, ReconcileRequest, type Reconciliation } from "@tyche/types";
import { type FormEvent, useState } from "react";
import { useReconcile } from "../../api/accounts";
import { issuesByField } from "../../ui/checked";
import { ErrorMessage, fieldError } from "../../ui/ErrorMessage";
import { InputField } from "../../ui/Field";
import { fullDate, money, parseMoney, plural, today } from "../../ui/format";
import { isCard } from "./words";

/** What the difference most likely means, in words. */
function why(r: Reconciliation, card: boolean, currency: string): string {
  const d = money(Math.abs(r.difference), currency);
  if (card)
    return r.difference > 0
      ? `The bank says ${d} more is owed than Tyche does: a charge may be missing here, or a payment entered twice.`
      : `The bank says ${d} less is owed than Tyche does: a payment or refund may be missing here, or a charge entered twice.`;
  return r.difference > 0
    ? `The bank shows ${d} more than Tyche: income or a refund may be missing here, or a spending entered twice.`
    : `The bank shows ${d} less than Tyche: a spending may be missing here, or income entered twice.`;
}

export function ReconcileResult({
  result,
  account,
  rowsShown,
  rowsAfter,
}: {
  result: Reconciliation;
  account: Account;
  /** How many rows the register shows now, and how many of them are dated after the day. */
  rowsShown: number;
  rowsAfter: number;
}) {
  const card = isCard(account);
  const c = account.currency;
  const day = fullDate(result.date);
  const counted = `Counted: the opening balance of ${money(account.openingBalance, c)} on ${fullDate(
    account.openingDate,
  )} and ${plural(result.transactionsCounted, "transaction")} dated up to ${day}.`;
  const lineShown = rowsAfter < rowsShown;
  const after =
    rowsAfter === 0
      ? ""
      : lineShown
        ? ` The ${plural(rowsAfter, "newer row")} above the line in the register ${rowsAfter === 1 ? "is" : "are"} not counted.`
        : ` The ${plural(rowsAfter, "row")} shown ${rowsAfter === 1 ? "is" : "are"} newer and not counted${
            result.transactionsCounted > 0 ? "; load more to see the counted ones" : ""
          }.`;
  return (
    <div className={result.matches ? "reconcile-result matches" : "reconcile-result differs"}>
      {result.matches ? (
        <p>
          <strong>Matches.</strong>{" "}
          {`On ${day} the bank ${card ? "says" : "shows"} ${money(result.bankBalance, c)}${
            card ? " owed" : ""
          }, the same as Tyche.`}
        </p>
      ) : (
        <p>
          <strong>{`Does not match: a difference of ${money(Math.abs(result.difference), c)}.`}</strong>{" "}
          {`On ${day} the bank ${card ? "says" : "shows"} ${money(result.bankBalance, c)}${
            card ? " owed" : ""
          } and Tyche ${money(result.tycheBalance, c)}. ${why(result, card, c)}`}
        </p>
      )}
      <p className="muted">
        {counted}
        {after}
      </p>
    </div>
  );
}

/** The bank's balance on a day, checked against Tyche's; the answer is announced. */
export function ReconcileForm({
  account,
  onResult,
}: {
  account: Account;
  onResult: (result: Reconciliation | undefined) => void;
}) {
  const [balance, setBalance] = useState("");
  const [date, setDate] = useState(today());
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const reconcile = useReconcile(account.accountId);
  const card = isCard(account);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const cents = parseMoney(balance, account.currency);
    const checked = ReconcileRequest.safeParse({ balance: cents ?? 0, date });
    const problems = checked.success ? {} : issuesByField(checked.error.issues);
    if (cents === undefined) problems.balance = "must be an amount such as 1234.56";
    setInvalid(problems);
    if (!checked.success || cents === undefined) {
      onResult(undefined);
      return;
    }
    reconcile.mutate(checked.data, { onSuccess: onResult, onError: () => onResult(undefined) });
  };
  const message = (path: string) => invalid[path] ?? fieldError(reconcile.error, path);
  return (
    <form className="reconcile-form" onSubmit={onSubmit} noValidate aria-labelledby="reconcile-heading">
      <h2 id="reconcile-heading">Reconcile with the bank</h2>
      <p className="hint">
        {card
          ? "Type what the card's statement or app says you owe on a day; Tyche counts every transaction up to it."
          : "Type the balance the bank shows on a day; Tyche counts every transaction up to it."}
      </p>
      <div className="reconcile-fields">
        <InputField
          label={card ? "Owed, as the bank says" : "The bank's balance"}
          error={message("balance")}
          inputMode="decimal"
          value={balance}
          onChange={(e) => setBalance(e.target.value)}
          autoComplete="off"
        />
        <InputField
          label="On the day"
          error={message("date")}
          type="date"
          value={date}
          onChange={(e) => setDate(e.target.value)}
        />
      </div>
      <ErrorMessage
        error={
          reconcile.error && !fieldError(reconcile.error, "balance") && !fieldError(reconcile.error, "date")
            ? reconcile.error
            : undefined
        }
      />
      <button type="submit" className="primary" disabled={reconcile.isPending}>
        {reconcile.isPending ? "Checking…" : "Check balance"}
      </button>
    </form>
  );
}
