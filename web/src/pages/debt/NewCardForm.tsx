import { type FormEvent, useEffect, useRef, useState } from "react";
import { useCreateCard } from "../../api/debt";
import { ErrorMessage, fieldError } from "../../ui/ErrorMessage";
import { useDraft } from "../../ui/useDraft";
import { TermsFields } from "./TermsFields";
import { blankTerms, checkCreate, TERM_FIELDS, type TermsDraft } from "./terms";

/** Adds a card: what is owed and its terms, checked with the API's schema, then the API's field errors. */
export function NewCardForm({ onCreated }: { onCreated: (name: string) => void }) {
  const [draft, setDraft, clearDraft] = useDraft<TermsDraft>("card.new", blankTerms());
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const create = useCreateCard();
  const form = useRef<HTMLFormElement>(null);
  const set = <K extends keyof TermsDraft>(key: K, value: TermsDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));

  // After a refused submit, the first field in error takes the focus so it is read out.
  useEffect(() => {
    if (attempt > 0) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const checked = checkCreate(draft);
    setInvalid(checked.ok ? {} : checked.problems);
    if (!checked.ok) {
      setAttempt((n) => n + 1);
      return;
    }
    create.mutate(checked.value, {
      onSuccess: (card) => {
        clearDraft();
        setDraft(blankTerms());
        onCreated(card.name);
      },
      onError: () => setAttempt((n) => n + 1),
    });
  };

  const message = (path: string) => invalid[path] ?? fieldError(create.error, path);
  const otherError =
    create.error && !TERM_FIELDS.some((f) => fieldError(create.error, f)) ? create.error : undefined;

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
