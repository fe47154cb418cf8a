import type { Account, Category, Merchant } from "@tyche/types";
import { type FormEvent, type ReactNode, type Ref, useId, useState } from "react";
import { ErrorMessage, fieldError, formError } from "../../ui/ErrorMessage";
import { Field, InputField } from "../../ui/Field";
import { type Checked, check, type FormErrors, type FormState, KINDS } from "./form";
import { MerchantCombobox } from "./MerchantCombobox";
import { SplitsEditor } from "./SplitsEditor";

/** The fields the API may name in its errors, shown beside their input rather than above the form. */
const FIELDS = [
  "date",
  "amount",
  "accountId",
  "toAccountId",
  "merchant",
  "categoryId",
  "splits",
  "tags",
  "notes",
];

/**
 * The add and edit form: kind, account (from and to for a transfer), date, amount in the account's
 * currency, merchant with autocomplete, a category or a split, description, tags and notes.
 */
export function TransactionForm({
  mode,
  state,
  setState,
  accounts,
  categories,
  submitting,
  error,
  onSubmit,
  onCancel,
  firstFieldRef,
  children,
}: {
  mode: "new" | "edit";
  state: FormState;
  setState: (next: FormState | ((prev: FormState) => FormState)) => void;
  accounts: readonly Account[];
  categories: readonly Category[];
  submitting: boolean;
  error: unknown;
  onSubmit: (state: FormState, checked: Checked) => void;
  onCancel: () => void;
  firstFieldRef?: Ref<HTMLSelectElement>;
  children?: ReactNode;
}) {
  const merchantId = useId();
  const [errors, setErrors] = useState<FormErrors>({});
  const [learned, setLearned] = useState<string | undefined>();
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setState((s) => ({ ...s, [key]: value }));
  const account = accounts.find((a) => a.accountId === state.accountId);
  const currency = account?.currency ?? "USD";
  const transfer = state.type === "transfer";
  const usable = categories.filter((c) => !c.archived || c.categoryId === state.categoryId);
  const message = (path: string) => errors[path] ?? fieldError(error, path);
  const unplaced = formError(error, FIELDS);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = check(state, currency);
    setErrors(checked.errors);
    if (Object.keys(checked.errors).length === 0) onSubmit(state, checked);
  };

  const onPick = (m: Merchant) => {
    const cat = m.categoryId ? categories.find((c) => c.categoryId === m.categoryId) : undefined;
    setLearned(cat?.name);
  };

  const accountOptions = (keep: string) =>
    accounts
      .filter((a) => !a.closed || a.accountId === keep)
      .map((a) => (
        <option key={a.accountId} value={a.accountId}>
          {a.name} ({a.currency})
        </option>
      ));

  return (
    <form
      className="txn-form"
      noValidate
      onSubmit={submit}
      aria-label={mode === "new" ? "New transaction" : "Edit transaction"}
      onKeyDown={(e) => {
        if (e.key === "Escape" && !e.defaultPrevented) {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <div className="txn-form-grid">
        <Field label="Kind">
          {(p) => (
            <select
              {...p}
              ref={firstFieldRef}
              value={state.type}
              onChange={(e) => set("type", e.target.value as FormState["type"])}
            >
              {KINDS.map((k) => (
                <option key={k.value} value={k.value}>
                  {k.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={transfer ? "From account" : "Account"} error={message("accountId")}>
          {(p) => (
            <select {...p} value={state.accountId} onChange={(e) => set("accountId", e.target.value)}>
              <option value="">Choose…</option>
              {accountOptions(state.accountId)}
            </select>
          )}
        </Field>
        {transfer && (
          <Field label="To account" error={message("toAccountId")}>
            {(p) => (
              <select {...p} value={state.toAccountId} onChange={(e) => set("toAccountId", e.target.value)}>
                <option value="">Choose…</option>
                {accountOptions(state.toAccountId)}
              </select>
            )}
          </Field>
        )}
        <InputField
          label="Date"
          error={message("date")}
          type="date"
          value={state.date}
          onChange={(e) => set("date", e.target.value)}
          required
        />
        <InputField
          label={`Amount (${currency})`}
          error={message("amount")}
          inputMode="decimal"
          value={state.amount}
          onChange={(e) => set("amount", e.target.value)}
          required
        />
        <div className="field">
          <label htmlFor={merchantId}>Merchant</label>
          <MerchantCombobox
            id={merchantId}
            value={state.merchant}
            onChange={(v) => {
              set("merchant", v);
              setLearned(undefined);
            }}
            onPick={onPick}
            describedBy={learned ? `${merchantId}-learned` : undefined}
            invalid={Boolean(message("merchant"))}
          />
          {learned && (
            <span id={`${merchantId}-learned`} className="hint">
              Last categorised as {learned}.
            </span>
          )}
          {message("merchant") && <span className="field-error">{message("merchant")}</span>}
        </div>
        {!transfer && !state.split && (
          <Field
            label="Category"
            error={message("categoryId")}
            {...(mode === "new" ? { hint: "Left to Tyche, your rules and past choices pick one." } : {})}
          >
            {(p) => (
              <select {...p} value={state.categoryId} onChange={(e) => set("categoryId", e.target.value)}>
                <option value="">{mode === "new" ? "Let Tyche choose" : "Uncategorised"}</option>
                {usable.map((c) => (
                  <option key={c.categoryId} value={c.categoryId}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <InputField
          label="Description"
          value={state.description}
          onChange={(e) => set("description", e.target.value)}
        />
        <InputField
          label="Tags"
          hint="Separate tags with commas."
          error={message("tags")}
          value={state.tags}
          onChange={(e) => set("tags", e.target.value)}
        />
      </div>
      {!transfer && (
        <label className="check">
          <input type="checkbox" checked={state.split} onChange={(e) => set("split", e.target.checked)} />{" "}
          Split across several categories
        </label>
      )}
      {!transfer && state.split && (
        <SplitsEditor
          state={state}
          setSplits={(splits) => set("splits", splits)}
          categories={usable}
          currency={currency}
          errors={{
            ...errors,
            ...(fieldError(error, "splits") ? { splits: fieldError(error, "splits") as string } : {}),
          }}
        />
      )}
      <Field label="Notes" error={message("notes")}>
        {(p) => (
          <textarea {...p} rows={2} value={state.notes} onChange={(e) => set("notes", e.target.value)} />
        )}
      </Field>
      {children}
      {Object.keys(errors).length > 0 && (
        <p role="alert" className="error">
          Some fields need a look: {Object.values(errors)[0]}
        </p>
      )}
      <ErrorMessage error={unplaced} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={submitting}>
          {submitting ? "Saving…" : mode === "new" ? "Add transaction" : "Save changes"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
