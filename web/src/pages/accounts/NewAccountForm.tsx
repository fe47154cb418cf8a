import { ACCOUNT_TYPES, AccountCreate, type AccountType } from "@tyche/types";
import { type FormEvent, useState } from "react";
import { useCreateAccount } from "../../api/accounts";
import { ACCOUNT_TYPE_LABELS } from "../../ui/account-words";
import { issuesByField } from "../../ui/checked";
import { ErrorMessage, fieldError, formError } from "../../ui/ErrorMessage";
import { Field, InputField } from "../../ui/Field";
import { parseMoney, today } from "../../ui/format";
import { useDraft } from "../../ui/useDraft";
import { useRefusalFocus } from "../../ui/useRefusalFocus";

interface Draft {
  name: string;
  type: AccountType;
  currency: string;
  openingBalance: string;
  openingDate: string;
  onBudget: boolean;
}

const blank = (): Draft => ({
  name: "",
  type: "checking",
  currency: "USD",
  openingBalance: "0",
  openingDate: today(),
  onBudget: true,
});

const FIELDS = ["name", "type", "currency", "openingBalance", "openingDate", "onBudget"] as const;

/** Opens an account: checked with the API's own schema first, then the API's field errors beside each field. */
export function NewAccountForm({ onCreated }: { onCreated: (name: string) => void }) {
  const [draft, setDraft, clearDraft] = useDraft<Draft>("account.new", blank());
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const create = useCreateAccount();
  const { form, refused } = useRefusalFocus();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const card = draft.type === "credit-card";

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const currency = draft.currency.trim().toUpperCase();
    const cents = parseMoney(draft.openingBalance, currency || "USD");
    const checked = AccountCreate.safeParse({
      name: draft.name,
      type: draft.type,
      currency,
      openingBalance: cents ?? 0,
      openingDate: draft.openingDate,
      onBudget: draft.onBudget,
    });
    const problems = checked.success ? {} : issuesByField(checked.error.issues);
    if (cents === undefined) problems.openingBalance = "must be an amount such as 1234.56";
    setInvalid(problems);
    if (!checked.success || cents === undefined) {
      refused();
      return;
    }
    create.mutate(checked.data, {
      onSuccess: (account) => {
        clearDraft();
        setDraft(blank());
        onCreated(account.name);
      },
      onError: refused,
    });
  };

  const message = (path: string) => invalid[path] ?? fieldError(create.error, path);
  const otherError = formError(create.error, FIELDS);

  return (
    <form
      ref={form}
      className="card account-form"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="new-account"
    >
      <h2 id="new-account">Open an account</h2>
      <div className="account-form-grid">
        <InputField
          label="Name"
          error={message("name")}
          value={draft.name}
          onChange={(e) => set("name", e.target.value)}
          autoComplete="off"
          required
        />
        <Field label="Type" error={message("type")}>
          {(p) => (
            <select {...p} value={draft.type} onChange={(e) => set("type", e.target.value as AccountType)}>
              {ACCOUNT_TYPES.map((t) => (
                <option key={t} value={t}>
                  {ACCOUNT_TYPE_LABELS[t]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <InputField
          label="Currency"
          error={message("currency")}
          hint="ISO code, such as USD or EUR"
          value={draft.currency}
          onChange={(e) => set("currency", e.target.value)}
          maxLength={3}
          autoCapitalize="characters"
          autoComplete="off"
          spellCheck={false}
        />
        <InputField
          label={card ? "Owed on the opening date" : "Balance on the opening date"}
          error={message("openingBalance")}
          hint={card ? "What the card's statement says you owe" : "What the bank says the account holds"}
          inputMode="decimal"
          value={draft.openingBalance}
          onChange={(e) => set("openingBalance", e.target.value)}
          autoComplete="off"
        />
        <InputField
          label="Opening date"
          error={message("openingDate")}
          type="date"
          value={draft.openingDate}
          onChange={(e) => set("openingDate", e.target.value)}
        />
        <div className="field checkbox-field">
          <label>
            <input
              type="checkbox"
              checked={draft.onBudget}
              onChange={(e) => set("onBudget", e.target.checked)}
            />{" "}
            On budget
          </label>
          <span className="hint">
            Off budget: a tracking account whose spending and income are not the budget's.
          </span>
          {message("onBudget") && <span className="field-error">{message("onBudget")}</span>}
        </div>
      </div>
      <ErrorMessage error={otherError} />
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? "Opening…" : "Open account"}
      </button>
    </form>
  );
}
