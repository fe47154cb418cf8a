import { normalizeTypedMerchant } from "@tyche/core";
import type { Account, Recurring, RecurringSuggestionItem } from "@tyche/types";
import { useEffect, useRef, useState } from "react";
import { useDismissSuggestion, useRestoreSuggestion, useSuggestions } from "../../api/recurring";
import { ErrorMessage, LoadFailed } from "../../ui/ErrorMessage";
import { fullDate, money, plural } from "../../ui/format";
import { cadenceWords, confidenceWords } from "./words";

/** The latest occurrences shown of a long series (a weekly one has dozens). */
const EVIDENCE_SHOWN = 6;

/**
 * "Found for you": charges and income that look recurring in the history, each with its evidence
 * (dates and amounts) and how sure the finding is, to make into a bill or to dismiss (with undo).
 */
export function Suggestions({
  accounts,
  templates,
  hidden,
  onAccept,
}: {
  accounts: readonly Account[];
  /** The bills: a suggestion of a merchant one of them names is covered already. */
  templates: readonly Recurring[];
  /** Suggestions made into bills in this visit: gone from the list at once. */
  hidden: ReadonlySet<string>;
  onAccept: (s: RecurringSuggestionItem) => void;
}) {
  const suggestions = useSuggestions();
  const dismiss = useDismissSuggestion();
  const restore = useRestoreSuggestion();
  // Dismissed in this visit, in the place they had, each with its Undo.
  const [dismissed, setDismissed] = useState<RecurringSuggestionItem[]>([]);
  const [undoFocus, setUndoFocus] = useState<{ key: string; n: number }>();
  const undoButtons = useRef(new Map<string, HTMLButtonElement>());
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (undoFocus) undoButtons.current.get(undoFocus.key)?.focus();
  }, [undoFocus]);

  const accountName = (id: string) => accounts.find((a) => a.accountId === id)?.name ?? "an account";
  const currencyOf = (id: string) => accounts.find((a) => a.accountId === id)?.currency ?? "USD";
  // What the API's `covered` leaves out (docs/SUGGESTIONS.md: not wired to the templates yet), by
  // the same merchant key, so a suggestion made into a bill is gone on the next visit too.
  const covered = new Set(
    templates.flatMap((t) => (t.merchant ? [normalizeTypedMerchant(t.merchant).key] : [])),
  );
  const listed = (suggestions.data?.items ?? []).filter(
    (s) => !hidden.has(s.key) && !covered.has(s.merchantKey) && !dismissed.some((d) => d.key === s.key),
  );
  const shown = [...listed, ...dismissed.filter((d) => !hidden.has(d.key))];

  return (
    <section className="card bill-suggestions" aria-labelledby="suggestions-heading">
      <h2 id="suggestions-heading" ref={heading} tabIndex={-1}>
        Found for you
      </h2>
      <p className="hint">
        Charges and income that come back regularly in your history and that no bill covers yet.
      </p>
      {suggestions.isPending ? (
        <p className="loading" role="status">
          Looking through your history…
        </p>
      ) : suggestions.isError ? (
        <div>
          <LoadFailed query={suggestions} />
        </div>
      ) : shown.length === 0 ? (
        <p className="muted" data-testid="suggestions-empty">
          Nothing found. Once your history shows a charge that comes back regularly (import a bank file or
          record your spending), it is suggested here.
        </p>
      ) : (
        <ul className="suggestion-list">
          {shown.map((s) => {
            const wasDismissed = dismissed.some((d) => d.key === s.key);
            const id = `suggestion-${s.key}`;
            if (wasDismissed)
              return (
                <li key={s.key} className="suggestion dismissed" data-testid="suggestion-dismissed">
                  <p id={id}>{s.merchant} was dismissed: it is not suggested again.</p>
                  {restore.isError && restore.variables?.key === s.key && (
                    <ErrorMessage error={restore.error} />
                  )}
                  <button
                    type="button"
                    ref={(el) => {
                      if (el) undoButtons.current.set(s.key, el);
                      else undoButtons.current.delete(s.key);
                    }}
                    aria-describedby={id}
                    disabled={restore.isPending}
                    onClick={() =>
                      restore.mutate(s, {
                        onSuccess: () => {
                          setDismissed((list) => list.filter((d) => d.key !== s.key));
                          heading.current?.focus();
                        },
                      })
                    }
                  >
                    {restore.isPending && restore.variables?.key === s.key ? "Restoring…" : "Undo"}
                  </button>
                </li>
              );
            const evidence = s.evidence.slice(-EVIDENCE_SHOWN);
            const earlier = s.evidence.length - evidence.length;
            return (
              <li key={s.key} className="suggestion" data-testid="suggestion">
                <h3 id={id}>{s.merchant}</h3>
                <p className="suggestion-what">
                  <strong className="amount">{money(s.lastAmount, currencyOf(s.accountId))}</strong>{" "}
                  {s.kind === "income" ? "income" : "charge"} {cadenceWords(s.cadence).toLowerCase()},{" "}
                  {s.kind === "income" ? "into" : "from"} {accountName(s.accountId)}
                  {s.typicalAmount !== s.lastAmount && (
                    <span className="muted">
                      {" "}
                      (usually {money(s.typicalAmount, currencyOf(s.accountId))})
                    </span>
                  )}
                </p>
                <p data-testid="confidence">
                  <strong>{confidenceWords(s.confidence)}</strong>{" "}
                  <span className="muted">
                    ({Math.round(s.confidence * 100)}% sure, {plural(s.occurrences, "time")} seen
                    {s.missed > 0 ? `, ${s.missed} missed` : ""})
                  </span>
                </p>
                {s.nextExpected && <p>Next expected on {fullDate(s.nextExpected)}.</p>}
                <table className="evidence" data-testid="evidence">
                  <caption>
                    Seen on
                    {earlier > 0 && (
                      <span className="muted">
                        {" "}
                        (the latest {evidence.length}; {earlier} earlier)
                      </span>
                    )}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Date</th>
                      <th scope="col" className="amount">
                        Amount
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {evidence.map((e) => (
                      <tr key={e.transactionId}>
                        <td>{fullDate(e.date)}</td>
                        <td className="amount">{money(e.amount, currencyOf(s.accountId))}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {dismiss.isError && dismiss.variables?.key === s.key && (
                  <ErrorMessage error={dismiss.error} />
                )}
                <div className="button-row">
                  <button type="button" className="primary" aria-describedby={id} onClick={() => onAccept(s)}>
                    Make it a bill
                  </button>
                  <button
                    type="button"
                    aria-describedby={id}
                    disabled={dismiss.isPending}
                    onClick={() =>
                      dismiss.mutate(s, {
                        onSuccess: () => {
                          setDismissed((list) => [...list, s]);
                          setUndoFocus((f) => ({ key: s.key, n: (f?.n ?? 0) + 1 }));
                        },
                      })
                    }
                  >
                    {dismiss.isPending && dismiss.variables?.key === s.key ? "Dismissing…" : "Dismiss"}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
