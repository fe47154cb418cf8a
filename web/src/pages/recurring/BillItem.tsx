import type { Account, Category, Recurring } from "@tyche/types";
import { useState } from "react";
import { ApiError } from "../../api/client";
import { useDeleteRecurring, useUpdateRecurring } from "../../api/recurring";
import { Confirm } from "../../ui/Confirm";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { fullDate, money } from "../../ui/format";
import { useModes } from "../../ui/useModes";
import { BillForm, STALE_ROW } from "./BillForm";
import { type BillDraft, draftOf } from "./form";
import { autoPostWords, KIND_LABELS, nextWords, scheduleWords } from "./words";

/** One bill: what, how much, from where, when (in words) and next; editing, pausing or deleting it. */
export function BillItem({
  template,
  accounts,
  categories,
  onDone,
}: {
  template: Recurring;
  accounts: readonly Account[];
  categories: readonly Category[];
  /** Says what happened; `focus` when the bill is gone and the focus must go somewhere. */
  onDone: (message: string, focus?: boolean) => void;
}) {
  const { mode, setMode, button } = useModes<"edit" | "confirm-delete">();
  const pause = useUpdateRecurring();
  const t = template;
  const headingId = `bill-${t.recurringId}`;
  const name = (id: string | null) => accounts.find((a) => a.accountId === id)?.name ?? "an account";
  const category = t.categoryId
    ? (categories.find((c) => c.categoryId === t.categoryId)?.name ?? "A category no longer there")
    : "Chosen when posted";
  const paused = t.status === "paused";
  const where =
    t.kind === "transfer"
      ? `from ${name(t.accountId)} to ${name(t.toAccountId)}`
      : t.kind === "income"
        ? `into ${name(t.accountId)}`
        : `from ${name(t.accountId)}`;

  return (
    <li className={paused ? "card bill-item paused" : "card bill-item"} data-testid="bill">
      <div className="bill-head">
        <h3 id={headingId}>{t.name}</h3>
        <p className="bill-amount">
          <strong className="amount" data-testid="bill-amount">
            {money(t.amount, t.currency)}
          </strong>{" "}
          <span className="muted">
            {KIND_LABELS[t.kind]} {where}
          </span>
        </p>
        {paused && (
          <p className="badge" data-testid="paused">
            Paused
          </p>
        )}
      </div>
      <dl className="facts bill-facts">
        <div>
          <dt>Schedule</dt>
          <dd data-testid="schedule">{scheduleWords(t.schedule)}</dd>
        </div>
        <div>
          <dt>Next</dt>
          <dd data-testid="next">{nextWords(t)}</dd>
        </div>
        {t.kind !== "transfer" && (
          <div>
            <dt>Category</dt>
            <dd>{category}</dd>
          </div>
        )}
        {t.merchant && (
          <div>
            <dt>Merchant</dt>
            <dd>{t.merchant}</dd>
          </div>
        )}
        <div>
          <dt>Posting</dt>
          <dd data-testid="autopost">{autoPostWords(t.autoPost)}</dd>
        </div>
        {t.matchTolerance > 0 && (
          <div>
            <dt>Bank's amount may differ by</dt>
            <dd>{money(t.matchTolerance, t.currency)}</dd>
          </div>
        )}
      </dl>
      {t.lastFailure && (
        <p className="notice bill-failure">
          The bill of {fullDate(t.lastFailure.date)} could not be posted: {t.lastFailure.message}. It is tried
          again until it goes through.
        </p>
      )}
      {mode === "edit" ? (
        <EditBill
          template={t}
          accounts={accounts}
          categories={categories}
          onClose={(message) => {
            setMode("view");
            if (message) onDone(message);
          }}
        />
      ) : mode === "confirm-delete" ? (
        <ConfirmDelete
          template={t}
          onClose={() => setMode("view")}
          onDone={(message) => {
            setMode("view");
            onDone(message, true);
          }}
        />
      ) : (
        <>
          <StaleOr error={pause.error} />
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
              type="button"
              disabled={pause.isPending}
              aria-describedby={headingId}
              onClick={() =>
                pause.mutate(
                  { template: t, patch: { status: paused ? "active" : "paused" } },
                  {
                    onSuccess: (saved) =>
                      onDone(
                        saved.status === "paused"
                          ? `${saved.name} is paused: nothing is posted until you resume it.`
                          : `${saved.name} is active again, from today.`,
                      ),
                  },
                )
              }
            >
              {pause.isPending ? "One moment…" : paused ? "Resume" : "Pause"}
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
        </>
      )}
    </li>
  );
}

function EditBill({
  template,
  accounts,
  categories,
  onClose,
}: {
  template: Recurring;
  accounts: readonly Account[];
  categories: readonly Category[];
  onClose: (message?: string) => void;
}) {
  const [draft, setDraft] = useState<BillDraft>(() => draftOf(template));
  return (
    <BillForm
      template={template}
      draft={draft}
      setDraft={setDraft}
      accounts={accounts}
      categories={categories}
      label={`Edit ${template.name}`}
      focusKey={1}
      onSaved={(saved) => onClose(`${saved.name} was saved.`)}
      onCancel={() => onClose()}
    />
  );
}

function ConfirmDelete({
  template,
  onClose,
  onDone,
}: {
  template: Recurring;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const remove = useDeleteRecurring();
  return (
    <Confirm
      question={`Delete ${template.name}? The transactions it already posted stay.`}
      error={<StaleOr error={remove.error} />}
      pending={remove.isPending}
      onYes={() =>
        // Not mutate's own callback: the bill leaves the list (and this question) before it would run.
        remove.mutateAsync(template).then(
          () => onDone(`${template.name} was deleted.`),
          () => undefined, // said by the error above
        )
      }
      onNo={onClose}
    />
  );
}

/** A pause's or a delete's error: a change made elsewhere meanwhile in words (STALE_ROW), any other as the API said it. */
function StaleOr({ error }: { error: unknown }) {
  return error instanceof ApiError && error.status === 412 ? (
    <p role="alert" className="error">
      {STALE_ROW}
    </p>
  ) : (
    <ErrorMessage error={error} />
  );
}
