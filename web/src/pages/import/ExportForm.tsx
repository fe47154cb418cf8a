import type { Account } from "@tyche/types";
import { type FormEvent, useState } from "react";
import { useExportCsv } from "../../api/imports";
import { ErrorMessage, fieldError } from "../../ui/ErrorMessage";
import { Field, InputField } from "../../ui/Field";
import { currentMonth, plural, today } from "../../ui/format";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Download transactions as Tyche's CSV (which an import reads back) for dates and one account or all. */
export function ExportForm({ accounts }: { accounts: Account[] }) {
  const [from, setFrom] = useState(`${currentMonth()}-01`);
  const [to, setTo] = useState(today());
  const [accountId, setAccountId] = useState("");
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const download = useExportCsv();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!ISO_DATE.test(from)) problems.from = "Enter the first day to export";
    if (!ISO_DATE.test(to)) problems.to = "Enter the last day to export";
    if (!problems.from && !problems.to && from > to) problems.to = "must not be before the first day";
    setInvalid(problems);
    if (!Object.keys(problems).length) download.mutate({ from, to, accountId });
  };
  const err = download.error;
  const message = (path: string) => invalid[path] ?? fieldError(err, path);
  return (
    <section className="card export-section" aria-labelledby="export-heading">
      <h2 id="export-heading">Export transactions as CSV</h2>
      <p className="muted">
        Tyche's own CSV, oldest first, with categories, tags, notes and splits. Importing it into another
        account recreates the transactions; into the same account it adds nothing.
      </p>
      <form onSubmit={submit} noValidate className="export-form">
        <InputField
          label="First day"
          error={message("from")}
          type="date"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          required
        />
        <InputField
          label="Last day"
          error={message("to")}
          type="date"
          value={to}
          onChange={(e) => setTo(e.target.value)}
          required
        />
        <Field label="Account to export" error={message("accountId")}>
          {(p) => (
            <select {...p} value={accountId} onChange={(e) => setAccountId(e.target.value)}>
              <option value="">All accounts</option>
              {accounts.map((a) => (
                <option key={a.accountId} value={a.accountId}>
                  {a.name}
                  {a.closed ? " (closed)" : ""}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="export-submit">
          <button type="submit" className="primary" disabled={download.isPending}>
            {download.isPending ? "Preparing the file…" : "Download CSV"}
          </button>
        </div>
      </form>
      <ErrorMessage
        error={
          err && !fieldError(err, "from") && !fieldError(err, "to") && !fieldError(err, "accountId")
            ? err
            : undefined
        }
      />
      <p role="status" className="muted">
        {download.data && !download.isPending
          ? `Downloaded ${download.data.fileName}: ${plural(download.data.rows, "row")}.`
          : ""}
      </p>
    </section>
  );
}
