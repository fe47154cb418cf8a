import { type CreatedPersonalAccessToken, TOKEN_SCOPES, TokenCreate, type TokenScope } from "@tyche/types";
import { type FormEvent, useState } from "react";
import { useCreateToken } from "../../api/tokens";
import { checkedBy } from "../../ui/checked";
import { ErrorMessage, fieldError, formError } from "../../ui/ErrorMessage";
import { Field, InputField } from "../../ui/Field";
import { today } from "../../ui/format";
import { useRefusalFocus } from "../../ui/useRefusalFocus";
import { daysFromToday, LIFETIMES, type Lifetime, SCOPE_LABELS } from "./words";

interface Draft {
  name: string;
  scope: TokenScope;
  lifetime: Lifetime;
  date: string;
}

const blank = (): Draft => ({ name: "", scope: "read", lifetime: "90", date: "" });
const FIELDS = ["name", "scope", "expiresAt"] as const;

/** The draft as the API's own schema reads it, with a missing custom date named by the form. */
function check(draft: Draft) {
  const expiresAt =
    draft.lifetime === "never"
      ? undefined
      : draft.lifetime === "date"
        ? draft.date
        : daysFromToday(Number(draft.lifetime));
  const own: Record<string, string> = {};
  if (draft.lifetime === "date" && !draft.date) own.expiresAt = "must be a date";
  return checkedBy(
    TokenCreate.safeParse({
      name: draft.name,
      scope: draft.scope,
      ...(expiresAt ? { expiresAt } : {}),
    }),
    own,
  );
}

/**
 * Makes a personal access token: what it is for, what it may do (read only unless asked) and how
 * long it lives. Its secret is not kept in a draft: it goes to `onCreated`, to be shown once.
 */
export function NewTokenForm({ onCreated }: { onCreated: (token: CreatedPersonalAccessToken) => void }) {
  const [draft, setDraft] = useState<Draft>(blank);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const create = useCreateToken();
  const { form, refused } = useRefusalFocus();
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const checked = check(draft);
    setInvalid(checked.ok ? {} : checked.problems);
    if (!checked.ok) {
      refused();
      return;
    }
    // The schema's output (an instant for the expiry) is what the API itself would read.
    create.mutate(
      {
        name: checked.value.name,
        scope: checked.value.scope,
        ...(checked.value.expiresAt ? { expiresAt: checked.value.expiresAt } : {}),
      },
      {
        onSuccess: (token) => {
          setDraft(blank());
          // The secret goes to the page alone: the mutation's own state lets go of it.
          create.reset();
          onCreated(token);
        },
        onError: refused,
      },
    );
  };
  const message = (path: string) => invalid[path] ?? fieldError(create.error, path);

  return (
    <form
      ref={form}
      id="new-token"
      className="card token-form"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="new-token-heading"
    >
      <h2 id="new-token-heading">Create a token</h2>
      <InputField
        label="Token name"
        error={message("name")}
        hint="What it is for, such as Claude Desktop"
        value={draft.name}
        onChange={(e) => set("name", e.target.value)}
        autoComplete="off"
        maxLength={100}
      />
      <fieldset className="choice-group">
        <legend>What it may do</legend>
        {TOKEN_SCOPES.map((scope) => (
          <div key={scope} className="scope-choice">
            <label>
              <input
                type="radio"
                name="token-scope"
                value={scope}
                checked={draft.scope === scope}
                onChange={() => set("scope", scope)}
                aria-describedby={`scope-${scope}-detail`}
              />{" "}
              {SCOPE_LABELS[scope].label}
            </label>
            <span id={`scope-${scope}-detail`} className="hint">
              {SCOPE_LABELS[scope].detail}
            </span>
          </div>
        ))}
        {message("scope") && <span className="field-error">{message("scope")}</span>}
      </fieldset>
      <div className="token-expiry">
        <Field label="Expires" error={draft.lifetime === "date" ? undefined : message("expiresAt")}>
          {(p) => (
            <select
              {...p}
              value={draft.lifetime}
              onChange={(e) => set("lifetime", e.target.value as Lifetime)}
            >
              {LIFETIMES.map((l) => (
                <option key={l.value} value={l.value}>
                  {l.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {draft.lifetime === "date" && (
          <InputField
            label="Expiry date"
            error={message("expiresAt")}
            hint="It stops working at the start of that day (UTC), within a year"
            type="date"
            min={today()}
            value={draft.date}
            onChange={(e) => set("date", e.target.value)}
          />
        )}
      </div>
      <ErrorMessage error={formError(create.error, FIELDS)} />
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create token"}
      </button>
    </form>
  );
}
