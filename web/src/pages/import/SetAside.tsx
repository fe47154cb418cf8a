import type { ImportPreview } from "@tyche/types";
import { useTransaction } from "../../api/imports";
import { dateLabel, money, plural } from "../../ui/format";
import { signedAmount } from "./PreviewRows";
import { KIND_WORDS, SKIP_WORDS } from "./words";

type Row = ImportPreview["rows"][number];

const MATCHES_SHOWN = 20;

const withArticle = (word: string) => `${/^[aeiou]/.test(word) ? "an" : "a"} ${word}`;

const rowText = (row: Row, currency: string) =>
  `Line ${row.line} (${dateLabel(row.date)}, ${row.merchant ?? row.merchantRaw ?? row.description}, ${money(signedAmount(row), currency)})`;

/** The transaction already in the account that a row will be linked to. */
function MatchedWith({ row, currency }: { row: Row; currency: string }) {
  const existing = useTransaction(row.matchedTransactionId ?? "");
  const t = existing.data;
  return (
    <li>
      {rowText(row, currency)} is your transaction
      {t ? (
        <>
          {" "}
          of {dateLabel(t.date)}, {t.merchant ?? t.description},{" "}
          {withArticle(KIND_WORDS[t.type].toLowerCase())} of {money(t.amount, currency)}
          {t.pending ? " (pending)" : ""}
        </>
      ) : existing.isError ? (
        ""
      ) : (
        <span className="muted"> (looking it up…)</span>
      )}
      : it will be marked cleared, not added again.
    </li>
  );
}

/**
 * What will not simply be added, and why: rows matched to transactions already in the account,
 * rows imported before (duplicates), rows that fit several transactions, rows the bank marks as
 * not having happened, and rows that could not be read.
 */
export function SetAside({ preview, currency }: { preview: ImportPreview; currency: string }) {
  const matched = preview.rows.filter((r) => r.outcome === "matched");
  const duplicates = preview.rows.filter((r) => r.outcome === "duplicate");
  const byLine = new Map(preview.rows.map((r) => [r.line, r]));
  const nothing =
    !matched.length &&
    !duplicates.length &&
    !preview.ambiguous.length &&
    !preview.skipped.length &&
    !preview.errors.length;
  return (
    <section aria-labelledby="aside-heading">
      <h3 id="aside-heading">Matched or set aside, and why</h3>
      {nothing && <p>Nothing: every row is new to this account and will be added.</p>}
      {matched.length > 0 && (
        <>
          <h4>{plural(matched.length, "row")} already in the account</h4>
          <p className="muted">
            Entered by hand, pending, or from another file: same amount and merchant within a few days.
          </p>
          <ul>
            {matched.slice(0, MATCHES_SHOWN).map((r) => (
              <MatchedWith key={r.line} row={r} currency={currency} />
            ))}
          </ul>
          {matched.length > MATCHES_SHOWN && <p>And {matched.length - MATCHES_SHOWN} more.</p>}
        </>
      )}
      {duplicates.length > 0 && (
        <>
          <h4>{plural(duplicates.length, "duplicate")}: imported before</h4>
          <p>
            {duplicates.length === preview.counts.rows
              ? "Every row of this file was imported before"
              : `${plural(duplicates.length, "row was", "rows were")} imported before`}{" "}
            (the same date, amount and text at the same place in the file, or the bank's own id), so{" "}
            {duplicates.length === 1 ? "it" : "they"} will be skipped.
          </p>
          <details>
            <summary>Show the duplicates</summary>
            <ul>
              {duplicates.map((r) => (
                <li key={r.line}>{rowText(r, currency)}</li>
              ))}
            </ul>
          </details>
        </>
      )}
      {preview.ambiguous.length > 0 && (
        <>
          <h4>{plural(preview.ambiguous.length, "ambiguous row")}: not added</h4>
          <ul>
            {preview.ambiguous.map((a) => {
              const row = byLine.get(a.line);
              return (
                <li key={a.line}>
                  {row ? rowText(row, currency) : `Line ${a.line}`} could be any of{" "}
                  {plural(a.candidates.length, "transaction")} already there; it is left out so nothing is
                  counted twice. Enter or link it by hand.
                </li>
              );
            })}
          </ul>
        </>
      )}
      {preview.skipped.length > 0 && (
        <>
          <h4>{plural(preview.skipped.length, "row")} the bank says did not happen</h4>
          <ul>
            {preview.skipped.map((s) => (
              <li key={s.line}>
                Line {s.line}, {s.text}: skipped because {SKIP_WORDS[s.reason]}.
              </li>
            ))}
          </ul>
        </>
      )}
      {preview.errors.length > 0 && (
        <>
          <h4>{plural(preview.errors.length, "row")} that could not be read</h4>
          <ul>
            {preview.errors.map((e) => (
              <li key={e.line}>
                Line {e.line}: {e.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
