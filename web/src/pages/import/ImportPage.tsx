import type { ImportOptions, ImportPreview, ImportRecord } from "@tyche/types";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { type ChosenFile, useImportPreview, useStartImport } from "../../api/imports";
import { useAccounts, useCategories } from "../../api/queries";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { Field } from "../../ui/Field";
import { useDraft } from "../../ui/useDraft";
import { ExportForm } from "./ExportForm";
import { FileDrop } from "./FileDrop";
import { FileProblem } from "./FileProblem";
import { ImportResult } from "./ImportResult";
import { ManualOptions } from "./ManualOptions";
import { Preview } from "./Preview";
import "./import.css";

let nextFileKey = 1;

/**
 * Import a bank file a person can trust: choose the account and the file, check the dry run (the
 * rows as they will be stored, every guess with its evidence and a way to change it, what is matched
 * or set aside and why), import with progress, undo; and export transactions as CSV.
 */
export default function ImportPage() {
  const accounts = useAccounts();
  const categories = useCategories();
  const open = useMemo(() => (accounts.data ?? []).filter((a) => !a.closed), [accounts.data]);
  const [chosenAccount, setChosenAccount] = useState("");
  const accountId = open.some((a) => a.accountId === chosenAccount)
    ? chosenAccount
    : (open[0]?.accountId ?? "");
  const account = open.find((a) => a.accountId === accountId);
  const [chosen, setChosen] = useState<ChosenFile>();
  const [options, setOptions] = useState<ImportOptions>({});
  const preview = useImportPreview(chosen, accountId, options);
  // The last reading that worked for this file and account: kept on screen when a changed option
  // makes the file unreadable, so that choice can be changed back.
  const [lastGood, setLastGood] = useState<{ key: string; preview: ImportPreview }>();
  const fileKey = `${chosen?.key ?? 0}:${accountId}`;
  useEffect(() => {
    if (preview.data && !preview.isPlaceholderData) setLastGood({ key: fileKey, preview: preview.data });
  }, [preview.data, preview.isPlaceholderData, fileKey]);
  const shown = preview.data ?? (lastGood?.key === fileKey ? lastGood.preview : undefined);
  const start = useStartImport();
  // The API lists no imports, so the page keeps the latest one (for this tab's session).
  const [latest, setLatest] = useDraft<{ importId: string } | null>("import.latest", null);
  const [started, setStarted] = useState<ImportRecord>();
  const resultRef = useRef<HTMLDivElement>(null);
  const forget = useCallback(() => setLatest(null), [setLatest]);
  const categoryById = useMemo(
    () => (categories.data ? new Map(categories.data.map((c) => [c.categoryId, c])) : undefined),
    [categories.data],
  );

  const choose = (file: File) => {
    setChosen({ file, key: nextFileKey++ });
    setOptions({});
    start.reset();
  };
  const changeAccount = (id: string) => {
    setChosenAccount(id);
    setOptions({});
    start.reset();
  };
  const runImport = () => {
    if (!chosen || !accountId) return;
    start.mutate(
      { chosen, accountId, options },
      {
        onSuccess: (record) => {
          setStarted(record);
          setLatest({ importId: record.importId });
          setChosen(undefined);
          setOptions({});
          // The preview is done with; the import's progress is what to look at now.
          requestAnimationFrame(() => resultRef.current?.querySelector<HTMLElement>("h2")?.focus());
        },
      },
    );
  };

  return (
    <div className="import-page">
      <h1>Import</h1>
      <p className="muted">
        Bring in a bank or card statement. You see exactly what will be stored before anything is saved, and
        you can undo an import afterwards.
      </p>
      <section className="card" aria-labelledby="choose-heading">
        <h2 id="choose-heading">1. Choose the account and the file</h2>
        {accounts.isPending ? (
          <p className="loading">Loading your accounts…</p>
        ) : accounts.isError ? (
          <ErrorMessage error={accounts.error} />
        ) : open.length === 0 ? (
          <p>
            You have no open account to import into. <Link to="/accounts">Add an account</Link> first.
          </p>
        ) : (
          <>
            <Field label="Account to import into" hint="The account the statement is from.">
              {(p) => (
                <select {...p} value={accountId} onChange={(e) => changeAccount(e.target.value)}>
                  {open.map((a) => (
                    <option key={a.accountId} value={a.accountId}>
                      {a.name} ({a.type.replace("-", " ")}, {a.currency})
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <FileDrop file={chosen?.file} onFile={choose} />
          </>
        )}
      </section>

      {chosen && (
        <div className="preview-area">
          {preview.isFetching && !shown && <p className="loading">Reading {chosen.file.name}…</p>}
          {preview.isError && <FileProblem error={preview.error} />}
          {preview.isError && !shown && (
            <ManualOptions key={chosen.key} file={chosen.file} options={options} onApply={setOptions} />
          )}
          {shown && (
            <Preview
              preview={shown}
              file={chosen.file}
              account={account}
              accounts={open}
              options={options}
              onOptions={setOptions}
              rereading={preview.isFetching}
              stale={preview.isError || preview.isPlaceholderData}
              categories={categoryById}
              onImport={runImport}
              importing={start.isPending}
              importError={start.error}
            />
          )}
        </div>
      )}

      <div ref={resultRef}>
        {latest && (
          <ImportResult
            key={latest.importId}
            importId={latest.importId}
            onGone={forget}
            {...(started?.importId === latest.importId ? { initial: started } : {})}
          />
        )}
      </div>

      {accounts.data && <ExportForm accounts={accounts.data} />}
    </div>
  );
}
