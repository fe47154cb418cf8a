import { type FormEvent, useState } from "react";
import { useCreateCard } from "../../api/debt";
import { ErrorMessage, fieldError, formError } from "../../ui/ErrorMessage";
import { useDraft } from "../../ui/useDraft";
import { useRefusalFocus } from "../../ui/useRefusalFocus";
import { TermsFields } from "./TermsFields";
import { blankTerms, checkCreate, TERM_FIELDS, type TermsDraft } from "./terms";

/** Adds a card: what is owed and its terms, checked with the API's schema, then the API's field errors. */
export function NewCardForm({ onCreated }: { onCreated: (name: string) => void }) {
  const [draft, setDraft, clearDraft] = useDraft<TermsDraft>("card.new", blankTerms());
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const create = useCreateCard();
  const { form, refused } = useRefusalFocus();
  const set = <K extends keyof TermsDraft>(key: K, value: TermsDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const checked = checkCreate(draft);
    setInvalid(checked.ok ? {} : checked.problems);
    if (!checked.ok) {
      refused();
      return;
    }
    create.mutate(checked.value, {
      onSuccess: (card) => {
        clearDraft();
        setDraft(blankTerms());
        onCreated(card.name);
      },
      onError: refused,
    });
  };

  const message = (path: string) => invalid[path] ?? fieldError(create.error, path);
  const otherError = formError(create.error, TERM_FIELDS);

  return (
    <form
      ref={form}
      id="add-card"
      className="card debt-form"
      onSubmit={onSubmit}
      noValidate
      aria-labelledby="new-card-heading"
    >
      <h2 id="new-card-heading">Add a card</h2>
      <TermsFields draft={draft} set={set} message={message} currency="USD" withBalance />
      <ErrorMessage error={otherError} />
      <button type="submit" className="primary" disabled={create.isPending}>
        {create.isPending ? "Adding…" : "Add card"}
      </button>
    </form>
  );
}
