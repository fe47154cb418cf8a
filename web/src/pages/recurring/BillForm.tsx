import type { Account, Category, Recurring } from "@tyche/types";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import { ApiError } from "../../api/client";
import { useCreateRecurring, useUpdateRecurring } from "../../api/recurring";
import { ErrorMessage, fieldError, formError } from "../../ui/ErrorMessage";
import { useRefusalFocus } from "../../ui/useRefusalFocus";
import { BillFields } from "./BillFields";
import { BILL_FIELDS, type BillDraft, checkBill, patchOf } from "./form";

export const STALE_BILL =
  "This bill was changed elsewhere (in another tab or on another device) since you opened this form. " +
  "Its latest version is loaded now: Cancel to see it, or Save again to replace it with what you typed.";

/** A pause or a delete of a bill changed elsewhere since the list was read. */
export const STALE_ROW =
  "This bill was changed elsewhere (in another tab or on another device) since this page loaded it. " +
  "It is shown as it is now: look it over and try again.";

/**
 * Adds a bill or edits one: checked with the API's own schema (and core's reading of the schedule)
 * first, then the API's field errors beside each field; the first field in error takes the focus.
 */
export function BillForm({
  template,
  draft,
  setDraft,
  accounts,
  categories,
  label,
  heading,
  focusKey,
  onSaved,
  onCancel,
}: {
  /** The template edited, at the version last read; none when adding. */
  template?: Recurring | undefined;
  draft: BillDraft;
  setDraft: (next: BillDraft | ((prev: BillDraft) => BillDraft)) => void;
  accounts: readonly Account[];
  categories: readonly Category[];
  /** The form's accessible name. */
  label: string;
  heading?: ReactNode;
  /** A change of it moves the focus to the first field (the form was opened or prefilled). */
  focusKey?: number;
  onSaved: (saved: Recurring) => void;
  onCancel?: () => void;
}) {
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const create = useCreateRecurring();
  const update = useUpdateRecurring();
  const mutation = template ? update : create;
  const { form, refused } = useRefusalFocus();
  const set = <K extends keyof BillDraft>(key: K, value: BillDraft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const currency =
    accounts.find((a) => a.accountId === draft.accountId)?.currency ?? template?.currency ?? "USD";

  useEffect(() => {
    if (focusKey === undefined || focusKey === 0) return;
    form.current?.querySelector<HTMLElement>("input")?.focus();
  }, [focusKey, form.current?.querySelector]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const checked = checkBill(draft, currency);
    setInvalid(checked.ok ? {} : checked.problems);
    if (!checked.ok) {
      refused();
      return;
    }
    const done = { onSuccess: onSaved, onError: refused };
    if (template) update.mutate({ template, patch: patchOf(template, checked.value, draft) }, done);
    else create.mutate(checked.value, done);
  };

  const error = mutation.error;
  const stale = error instanceof ApiError && error.status === 412;
  const message = (path: string) => invalid[path] ?? fieldError(error, path);
  const otherError = stale ? undefined : formError(error, BILL_FIELDS);

  return (
    <form
      ref={form}
      className={template ? "bill-form" : "card bill-form"}
      id={template ? undefined : "add-bill"}
      onSubmit={onSubmit}
      noValidate
      aria-label={label}
    >
      {heading}
      <BillFields
        draft={draft}
        set={set}
        message={message}
        accounts={accounts}
        categories={categories}
        currency={currency}
      />
      <ErrorMessage error={otherError} />
      {stale && (
        <p role="alert" className="error" data-testid="stale">
          {STALE_BILL}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="primary" disabled={mutation.isPending}>
          {mutation.isPending ? "Saving…" : template ? "Save changes" : "Add bill"}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
