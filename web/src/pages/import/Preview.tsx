import type { Account, Category, ImportOptions, ImportPreview } from "@tyche/types";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { plural } from "../../ui/format";
import { CountList } from "./Counts";
import { Guesses } from "./Guesses";
import { PreviewRows } from "./PreviewRows";
import { SetAside } from "./SetAside";

/**
 * A dry run shown to be checked: what will happen in words, the guesses to correct, the rows as they
 * will be stored and what is matched or set aside; then Import.
 */
export function Preview({
  preview,
  file,
  account,
  accounts,
  options,
  onOptions,
  rereading,
  stale,
  categories,
  onImport,
  importing,
  importError,
}: {
  preview: ImportPreview;
  file: File;
  account: Account | undefined;
  /** The user's open accounts. */
  accounts: Account[];
  options: ImportOptions;
  onOptions: (next: ImportOptions) => void;
  /** The file is being read again with changed options. */
  rereading: boolean;
  /** What is shown is the last reading that worked, not one with the options as they are. */
  stale: boolean;
  categories: Map<string, Category> | undefined;
  onImport: () => void;
  importing: boolean;
  importError: unknown;
}) {
  const { counts } = preview;
  const currency = account?.currency ?? "USD";
  const changes = counts.imported + counts.matched;
  const hasTransfers = preview.rows.some((r) => r.paymentLike || r.type === "transfer");
  const others = accounts.filter((a) => a.accountId !== account?.accountId && a.currency === currency);
  return (
    <section className="card preview" aria-labelledby="preview-heading" aria-busy={rereading}>
      <h2 id="preview-heading">2. Check the preview</h2>
      <p>
        <strong>{file.name}</strong> into <strong>{account?.name ?? "the account"}</strong>:{" "}
        {plural(counts.rows, "row")} read as {preview.format === "ofx" ? "OFX" : "CSV"}. Nothing is saved
        until you import.
      </p>
      <p role="status" className="muted">
        {rereading ? "Reading the file again with your changes…" : ""}
      </p>
      {stale && !rereading && (
        <p className="notice">
          Shown below is the last reading that worked; change the choice that made the file unreadable.
        </p>
      )}
      <CountList counts={counts} phase="preview" />
      <div className="import-action">
        {Object.keys(options).length > 0 && (
          <button type="button" onClick={() => onOptions({})} disabled={rereading}>
            Go back to Tyche's guesses
          </button>
        )}
        <button
          type="button"
          className="primary"
          onClick={onImport}
          disabled={importing || rereading || stale || changes === 0}
          aria-describedby="import-why"
        >
          {importing
            ? "Starting the import…"
            : counts.imported
              ? `Import ${plural(counts.imported, "new transaction")}`
              : `Import: link ${plural(counts.matched, "matched row")}`}
        </button>
        <p id="import-why" className="muted">
          {changes === 0
            ? "Nothing to import: no row is new or matches a transaction already there."
            : counts.matched
              ? `The ${plural(counts.matched, "matched row")} will be linked, not added.`
              : "You can undo the import afterwards."}
        </p>
      </div>
      <ErrorMessage error={importError} />
      <Guesses
        guesses={preview.guesses}
        options={options}
        accountType={account?.type}
        transferAccounts={hasTransfers ? others : undefined}
        onChange={onOptions}
      />
      <PreviewRows rows={preview.rows} total={counts.rows} currency={currency} categories={categories} />
      <SetAside preview={preview} currency={currency} />
    </section>
  );
}
