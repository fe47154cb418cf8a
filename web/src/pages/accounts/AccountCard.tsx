import { type Account, AccountUpdate } from "@tyche/types";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { useDeleteAccount, useUpdateAccount } from "../../api/accounts";
import { ACCOUNT_TYPE_LABELS } from "../../ui/account-words";
import { Confirm } from "../../ui/Confirm";
import { issuesByField } from "../../ui/checked";
import { ErrorMessage, fieldError } from "../../ui/ErrorMessage";
import { Field } from "../../ui/Field";
import { FormButtons } from "../../ui/FormButtons";
import { plural } from "../../ui/format";
import { useModes } from "../../ui/useModes";
import { balanceWords } from "./words";

/** One account: its balance in words, and renaming, closing, reopening or deleting it. */
export function AccountCard({
  account,
  onDone,
}: {
  account: Account;
  /** Says what happened; `focus` when the account's card is gone and the focus must go somewhere. */
  onDone: (message: string, focus?: boolean) => void;
}) {
  const { mode, setMode, button } = useModes<"edit" | "confirm-delete">();
  const headingId = `account-${account.accountId}`;
  return (
    <li className={account.closed ? "card account-card closed" : "card account-card"}>
      <h3 id={headingId}>
        <Link to={`/accounts/${account.accountId}`}>{account.name}</Link>
      </h3>
      <p className="account-balance amount">
        {balanceWords(account.balance, account.type, account.currency)}
      </p>
      <ul className="account-facts">
        <li>{ACCOUNT_TYPE_LABELS[account.type]}</li>
        <li>{account.currency}</li>
        <li>{account.onBudget ? "On budget" : "Off budget"}</li>
        <li>{plural(account.transactionCount, "transaction")}</li>
        {account.closed && <li className="acct-badge">Closed</li>}
      </ul>
      {mode === "edit" ? (
        <EditAccount
          account={account}
          onClose={(message) => {
            setMode("view");
            if (message) onDone(message);
          }}
        />
      ) : mode === "confirm-delete" ? (
        <ConfirmDelete
          account={account}
          onClose={() => setMode("view")}
          onDone={(message, focus) => {
            setMode("view");
            onDone(message, focus);
          }}
        />
      ) : (
        <div className="button-row">
          <button
            ref={button("edit")}
            type="button"
            onClick={() => setMode("edit")}
            aria-describedby={headingId}
          >
            Edit
          </button>
          <button
            ref={button("confirm-delete")}
            type="button"
            onClick={() => setMode("confirm-delete")}
            aria-describedby={headingId}
          >
            Delete
          </button>
        </div>
      )}
    </li>
  );
}

function EditAccount({ account, onClose }: { account: Account; onClose: (message?: string) => void }) {
  const [name, setName] = useState(account.name);
  const [closed, setClosed] = useState(account.closed);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const update = useUpdateAccount();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const checked = AccountUpdate.safeParse({ name, closed });
    setInvalid(checked.success ? {} : issuesByField(checked.error.issues));
    if (!checked.success) return;
    update.mutate(
      { account, patch: checked.data },
      {
        onSuccess: (saved) =>
          onClose(
            saved.closed !== account.closed
              ? `${saved.name} was ${saved.closed ? "closed" : "reopened"}.`
              : `${saved.name} was saved.`,
          ),
      },
    );
  };
  const nameError = invalid.name ?? fieldError(update.error, "name");
  return (
    <form className="account-edit" onSubmit={onSubmit} noValidate aria-label={`Edit ${account.name}`}>
      <Field label="Name" error={nameError}>
        {(p) => (
          // biome-ignore lint/a11y/noAutofocus: the form opens on request, and its first field is where the user goes
          <input {...p} value={name} onChange={(e) => setName(e.target.value)} autoFocus autoComplete="off" />
        )}
      </Field>
      <div className="field checkbox-field">
        <label>
          <input type="checkbox" checked={closed} onChange={(e) => setClosed(e.target.checked)} /> Closed
        </label>
        <span className="hint">A closed account keeps its transactions and takes no new ones.</span>
      </div>
      <ErrorMessage error={update.error && !fieldError(update.error, "name") ? update.error : undefined} />
      <FormButtons label="Save" busy="Saving…" pending={update.isPending} onCancel={() => onClose()} />
    </form>
  );
}

function ConfirmDelete({
  account,
  onClose,
  onDone,
}: {
  account: Account;
  onClose: () => void;
  onDone: (message: string, focus?: boolean) => void;
}) {
  const remove = useDeleteAccount();
  const has = account.transactionCount > 0;
  return (
    <Confirm
      question={
        has
          ? `${account.name} has ${plural(account.transactionCount, "transaction")}, so it will be closed instead of deleted: its transactions are kept.`
          : `Delete ${account.name}? It has no transactions.`
      }
      error={<ErrorMessage error={remove.error} />}
      pending={remove.isPending}
      yes={has ? "Close it" : "Delete it"}
      onYes={() =>
        remove.mutate(account, {
          onSuccess: ({ result }) =>
            onDone(
              result === "deleted"
                ? `${account.name} was deleted.`
                : `${account.name} has transactions, so it was closed instead of deleted; its transactions are kept. Show closed accounts to see it.`,
              true,
            ),
        })
      }
      onNo={onClose}
    />
  );
}
