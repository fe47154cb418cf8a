import type { ImportRecord } from "@tyche/types";
import { useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { ApiError } from "../../api/client";
import { useImportRecord, useUndoImport } from "../../api/imports";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { plural } from "../../ui/format";
import { CountList } from "./Counts";

const time = (iso: string) =>
  new Intl.DateTimeFormat(navigator.language, { dateStyle: "medium", timeStyle: "short" }).format(
    new Date(iso),
  );

/** Rows written of rows to write, as a progress bar with its figures in words. */
function Progress({ record }: { record: ImportRecord }) {
  const max = Math.max(record.total, 1);
  const now = record.total === 0 && record.status !== "running" ? 1 : Math.min(record.processed, max);
  const percent = Math.round((now / max) * 100);
  const words =
    record.total === 0
      ? record.status === "running"
        ? "Linking the matched rows…"
        : "Nothing new to write"
      : `${record.processed} of ${plural(record.total, "row")} written`;
  return (
    <div className="progress-wrap">
      <div
        className="progress"
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={now}
        aria-valuetext={words}
      >
        <div className="progress-bar" style={{ width: `${percent}%` }} />
      </div>
      <p className="progress-words">
        {words} ({percent}%)
      </p>
    </div>
  );
}

/** Undo with a confirmation first: it removes what the import added. */
function Undo({ record, onUndone }: { record: ImportRecord; onUndone: () => void }) {
  const undo = useUndoImport(record.importId);
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  if (!asking)
    return (
      <button type="button" onClick={() => setAsking(true)}>
        Undo this import
      </button>
    );
  const { imported, matched } = record.counts;
  return (
    <fieldset className="confirm">
      <legend>Undo this import?</legend>
      <p>
        The {plural(imported, "transaction")} it added will be removed
        {matched ? ` and the ${plural(matched, "transaction")} it matched unlinked` : ""}. Transactions you
        entered yourself stay as they were.
      </p>
      <ErrorMessage error={undo.error} />
      <div className="actions">
        <button
          type="button"
          className="danger"
          ref={confirmRef}
          disabled={undo.isPending}
          onClick={() =>
            undo.mutate(undefined, {
              onSuccess: () => {
                setAsking(false);
                onUndone();
              },
            })
          }
        >
          {undo.isPending ? "Undoing…" : "Yes, undo the import"}
        </button>
        <button
          type="button"
          disabled={undo.isPending}
          onClick={() => {
            setAsking(false);
            undo.reset();
          }}
        >
          Keep it
        </button>
      </div>
    </fieldset>
  );
}

/**
 * The import under way or finished: its progress (asked again while it runs), its counts in words
 * once done, and undo. The API keeps no list of imports, so this is the user's latest one here.
 */
export function ImportResult({
  importId,
  initial,
  onGone,
}: {
  importId: string;
  initial?: ImportRecord;
  /** The import is not (or no longer) the user's: one kept from another session. */
  onGone: () => void;
}) {
  const query = useImportRecord(importId, initial);
  const heading = useRef<HTMLHeadingElement>(null);
  const record = query.data;
  const gone = query.error instanceof ApiError && query.error.status === 404;
  useEffect(() => {
    if (gone) onGone();
  }, [gone, onGone]);
  if (!record)
    return (
      <section className="card import-result" aria-labelledby="result-heading">
        <h2 id="result-heading">Your latest import</h2>
        {query.isError ? (
          <ErrorMessage error={query.error} />
        ) : (
          <p className="loading">Loading the import…</p>
        )}
      </section>
    );
  const name = record.fileName ?? "the file";
  return (
    <section
      className="card import-result"
      aria-labelledby="result-heading"
      aria-busy={record.status === "running"}
      data-import-id={record.importId}
      data-status={record.status}
    >
      <h2 id="result-heading" ref={heading} tabIndex={-1}>
        Your latest import: {name}
      </h2>
      <p className="muted">Started {time(record.startedAt)}.</p>
      <Progress record={record} />
      <div aria-live="polite">
        {record.status === "running" && <p>Importing… you can leave this page; it carries on.</p>}
        {record.status === "completed" && (
          <p className="status-under">
            <strong>Finished.</strong> {record.counts.rows} {record.counts.rows === 1 ? "row" : "rows"} read
            {record.finishedAt ? ` at ${time(record.finishedAt)}` : ""}:
          </p>
        )}
        {record.status === "undone" && (
          <p className="status-near" role="status">
            <strong>Undone</strong>
            {record.undoneAt ? ` at ${time(record.undoneAt)}` : ""}: the{" "}
            {plural(record.counts.imported, "transaction")} it added{" "}
            {record.counts.imported === 1 ? "is" : "are"} removed
            {record.counts.matched
              ? ` and the ${plural(record.counts.matched, "match", "matches")} unlinked`
              : ""}
            .
          </p>
        )}
      </div>
      {record.status === "failed" && (
        <p role="alert" className="error">
          The import stopped: {record.failure ?? "for a reason the server did not give"}. What it had written
          was taken back.
        </p>
      )}
      {record.status !== "running" && <CountList counts={record.counts} phase="result" />}
      {record.errors.length > 0 && (
        <details>
          <summary>Rows that could not be read</summary>
          <ul>
            {record.errors.map((e) => (
              <li key={e.line}>
                Line {e.line}: {e.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      {query.isError && <ErrorMessage error={query.error} />}
      <div className="actions">
        {record.status === "completed" && record.accountId && (
          <Link to={`/accounts/${record.accountId}`}>See the account's transactions</Link>
        )}
        {(record.status === "completed" || record.status === "failed") && (
          <Undo record={record} onUndone={() => heading.current?.focus()} />
        )}
      </div>
    </section>
  );
}
