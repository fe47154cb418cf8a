import type { ColumnRole, CsvDelimiter, DateFormat, ImportOptions, SignConvention } from "@tyche/types";
import { type FormEvent, useEffect, useState } from "react";
import { Field, InputField } from "../../ui/Field";
import { DATE_FORMAT_WORDS, DELIMITER_WORDS } from "./words";

const MANUAL_ROLES: { role: ColumnRole; label: string }[] = [
  { role: "date", label: "Date column" },
  { role: "amount", label: "Amount column" },
  { role: "description", label: "Description column" },
];

/** A column typed by a person: its header, or its position counted from 1. */
function columnRef(text: string): string | number | undefined {
  const t = text.trim();
  if (!t) return undefined;
  return /^\d+$/.test(t) ? Math.max(0, Number(t) - 1) : t;
}

/**
 * For a file Tyche could not read on its own (no guesses to change): its first lines, and the
 * options to read it with, typed by hand.
 */
export function ManualOptions({
  file,
  options,
  onApply,
}: {
  file: File;
  options: ImportOptions;
  onApply: (next: ImportOptions) => void;
}) {
  const [head, setHead] = useState<string>();
  useEffect(() => {
    let live = true;
    file
      .slice(0, 1500)
      .text()
      .then((t) => live && setHead(t.split(/\r?\n/).slice(0, 6).join("\n")))
      .catch(() => live && setHead(undefined));
    return () => {
      live = false;
    };
  }, [file]);
  const [cols, setCols] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      MANUAL_ROLES.map(({ role }) => {
        const v = options.columns?.[role];
        return [role, typeof v === "number" ? String(v + 1) : (v ?? "")];
      }),
    ),
  );
  const [delimiter, setDelimiter] = useState<CsvDelimiter | "">(options.delimiter ?? "");
  const [dateFormat, setDateFormat] = useState<DateFormat | "">(options.dateFormat ?? "");
  const [sign, setSign] = useState<SignConvention | "">(options.signConvention ?? "");
  const [skip, setSkip] = useState(String(options.skipLines ?? ""));
  const [noHeader, setNoHeader] = useState(options.hasHeader === false);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const columns: NonNullable<ImportOptions["columns"]> = {};
    for (const { role } of MANUAL_ROLES) {
      const ref = columnRef(cols[role] ?? "");
      if (ref !== undefined) columns[role] = ref;
    }
    const skipLines = /^\d+$/.test(skip.trim()) ? Math.min(1000, Number(skip.trim())) : undefined;
    onApply({
      ...(Object.keys(columns).length ? { columns } : {}),
      ...(delimiter ? { delimiter } : {}),
      ...(dateFormat ? { dateFormat } : {}),
      ...(sign ? { signConvention: sign } : {}),
      ...(skipLines !== undefined ? { skipLines } : {}),
      ...(noHeader ? { hasHeader: false } : {}),
    });
  };

  return (
    <form className="card manual-options" onSubmit={submit} aria-labelledby="manual-heading">
      <h3 id="manual-heading">Tell Tyche how to read it</h3>
      {head !== undefined && (
        <figure className="file-head-figure">
          <figcaption>The file starts with:</figcaption>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
          <pre className="file-head" tabIndex={0}>
            {head}
          </pre>
        </figure>
      )}
      <p className="muted">Name a column by its header or by its position (1 is the first column).</p>
      <div className="guess-grid">
        {MANUAL_ROLES.map(({ role, label }) => (
          <InputField
            key={role}
            label={label}
            value={cols[role] ?? ""}
            onChange={(e) => setCols((c) => ({ ...c, [role]: e.target.value }))}
          />
        ))}
        <Field label="Field separator">
          {(p) => (
            <select
              {...p}
              value={delimiter}
              onChange={(e) => setDelimiter(e.target.value as CsvDelimiter | "")}
            >
              <option value="">Let Tyche detect it</option>
              {(Object.keys(DELIMITER_WORDS) as CsvDelimiter[]).map((d) => (
                <option key={d} value={d}>
                  {DELIMITER_WORDS[d]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Date format">
          {(p) => (
            <select
              {...p}
              value={dateFormat}
              onChange={(e) => setDateFormat(e.target.value as DateFormat | "")}
            >
              <option value="">Let Tyche detect it</option>
              {(Object.keys(DATE_FORMAT_WORDS) as DateFormat[]).map((d) => (
                <option key={d} value={d}>
                  {DATE_FORMAT_WORDS[d]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Which amounts are money out">
          {(p) => (
            <select {...p} value={sign} onChange={(e) => setSign(e.target.value as SignConvention | "")}>
              <option value="">Let Tyche detect it</option>
              <option value="negative-is-expense">Negative amounts</option>
              <option value="positive-is-expense">Positive amounts</option>
            </select>
          )}
        </Field>
        <Field label="Lines to ignore at the top" hint="Leave empty to detect">
          {(p) => <input {...p} inputMode="numeric" value={skip} onChange={(e) => setSkip(e.target.value)} />}
        </Field>
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={noHeader} onChange={(e) => setNoHeader(e.target.checked)} />
        The file has no header row
      </label>
      <div>
        <button type="submit" className="primary">
          Read the file with these choices
        </button>
      </div>
    </form>
  );
}
