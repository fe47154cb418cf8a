import type {
  Account,
  AccountType,
  ColumnRole,
  CsvDelimiter,
  DateFormat,
  DecimalSeparator,
  ImportOptions,
  SignConvention,
  StatementGuesses,
  TextEncoding,
} from "@tyche/types";
import { Field, InputField } from "../../ui/Field";
import {
  DATE_FORMAT_WORDS,
  DECIMAL_WORDS,
  DELIMITER_WORDS,
  ENCODING_WORDS,
  ROLE_WORDS,
  ROLES,
  signWords,
  sourceWords,
} from "./words";

interface GuessLike {
  source: StatementGuesses["encoding"]["source"];
  evidence: string;
  overrideWith: string[];
}

/** Whether the user set (in this preview) one of the options that change this guess. */
const given = (guess: GuessLike, options: ImportOptions) =>
  guess.overrideWith.some((field) => (field.split(".")[0] as keyof ImportOptions) in options);

const hintOf = (guess: GuessLike, options: ImportOptions) =>
  `${sourceWords(guess.source, given(guess, options))}. ${guess.evidence}`;

/** One guess the reader made, as a choice among the values it could take, its evidence beside it. */
function GuessSelect<T extends string>({
  label,
  guess,
  value,
  choices,
  options,
  onChange,
}: {
  label: string;
  guess: GuessLike;
  value: T;
  choices: Record<T, string>;
  options: ImportOptions;
  onChange: (value: T) => void;
}) {
  return (
    <div className="guess">
      <Field label={label} hint={hintOf(guess, options)}>
        {(p) => (
          <select {...p} value={value} onChange={(e) => onChange(e.target.value as T)}>
            {(Object.keys(choices) as T[]).map((v) => (
              <option key={v} value={v}>
                {choices[v]}
              </option>
            ))}
          </select>
        )}
      </Field>
    </div>
  );
}

/**
 * What the reader guessed about the file (its columns, date format, signs, ...), each with where
 * the guess came from and why, and a control that changes it: the preview is read again with it.
 */
export function Guesses({
  guesses,
  options,
  accountType,
  transferAccounts,
  onChange,
}: {
  guesses: StatementGuesses;
  options: ImportOptions;
  accountType: AccountType | undefined;
  /** When the file has payments or transfers: the accounts that could be on their other side. */
  transferAccounts: Account[] | undefined;
  onChange: (next: ImportOptions) => void;
}) {
  const set = <K extends keyof ImportOptions>(key: K, value: ImportOptions[K]) =>
    onChange({ ...options, [key]: value });
  const sign = guesses.signConvention;
  const signChoices = {
    "negative-is-expense": signWords("negative-is-expense", accountType),
    "positive-is-expense": signWords("positive-is-expense", accountType),
  } satisfies Record<SignConvention, string>;
  return (
    <section aria-labelledby="guesses-heading" className="guesses-section">
      <h3 id="guesses-heading">How Tyche read the file</h3>
      <p className="muted">
        Each choice below is Tyche's guess with its evidence. Change one and the preview is read again.
      </p>
      {guesses.layout && (
        <p className="notice">
          <strong>Recognised layout: {guesses.layout.name}.</strong> {guesses.layout.evidence}
        </p>
      )}
      {guesses.columns && guesses.header && (
        <Columns
          columns={guesses.columns}
          header={guesses.header}
          options={options}
          onChange={(columns) => set("columns", columns)}
        />
      )}
      <div className="guess-grid">
        <GuessSelect
          label="Which amounts are money out"
          guess={sign}
          value={options.signConvention ?? sign.value}
          choices={signChoices}
          options={options}
          onChange={(v) => set("signConvention", v)}
        />
        {guesses.dateFormat && (
          <div>
            <GuessSelect
              label="Date format"
              guess={guesses.dateFormat}
              value={options.dateFormat ?? guesses.dateFormat.value}
              choices={DATE_FORMAT_WORDS satisfies Record<DateFormat, string>}
              options={options}
              onChange={(v) => set("dateFormat", v)}
            />
            {guesses.dateFormat.ambiguous && (
              <p className="warning-text">
                Check this one: every date in the file reads both month first and day first.
              </p>
            )}
          </div>
        )}
        {guesses.decimalSeparator && (
          <GuessSelect
            label="Decimal separator"
            guess={guesses.decimalSeparator}
            value={options.decimalSeparator ?? guesses.decimalSeparator.value}
            choices={DECIMAL_WORDS satisfies Record<DecimalSeparator, string>}
            options={options}
            onChange={(v) => set("decimalSeparator", v)}
          />
        )}
        {guesses.delimiter && (
          <GuessSelect
            label="Field separator"
            guess={guesses.delimiter}
            value={options.delimiter ?? guesses.delimiter.value}
            choices={DELIMITER_WORDS satisfies Record<CsvDelimiter, string>}
            options={options}
            onChange={(v) => set("delimiter", v)}
          />
        )}
        <GuessSelect
          label="Text encoding"
          guess={guesses.encoding}
          value={options.encoding ?? guesses.encoding.value}
          choices={ENCODING_WORDS satisfies Record<TextEncoding, string>}
          options={options}
          onChange={(v) => set("encoding", v)}
        />
      </div>
      {transferAccounts && transferAccounts.length > 0 && (
        <div className="guess">
          <Field
            label="The other account of payments and transfers"
            hint="Rows that read as a card payment or a move between your own accounts are recorded as transfers to or from this account."
          >
            {(p) => (
              <select
                {...p}
                value={options.transferAccountId ?? ""}
                onChange={(e) => {
                  const { transferAccountId: _, ...rest } = options;
                  onChange(e.target.value ? { ...rest, transferAccountId: e.target.value } : rest);
                }}
              >
                <option value="">Tyche's choice (a card's checking account, or your only card)</option>
                {transferAccounts.map((a) => (
                  <option key={a.accountId} value={a.accountId}>
                    {a.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      )}
      {guesses.header && (
        <HeaderGuess header={guesses.header} options={options} onChange={(next) => onChange(next)} />
      )}
      {guesses.notes.length > 0 && (
        <>
          <h4>Also noted</h4>
          <ul>
            {guesses.notes.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

type HeaderGuessValue = NonNullable<StatementGuesses["header"]>;

function HeaderGuess({
  header,
  options,
  onChange,
}: {
  header: HeaderGuessValue;
  options: ImportOptions;
  onChange: (next: ImportOptions) => void;
}) {
  const hint = hintOf(header, options);
  return (
    <fieldset className="guess header-guess">
      <legend>The header row</legend>
      <p className="hint">{hint}</p>
      <div className="inline-fields">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={options.hasHeader ?? header.value.hasHeader}
            onChange={(e) => onChange({ ...options, hasHeader: e.target.checked })}
          />
          The first row names the columns
        </label>
        <InputField
          label="Lines to ignore at the top"
          type="number"
          min={0}
          max={1000}
          inputMode="numeric"
          value={options.skipLines ?? header.value.skippedLines}
          onChange={(e) => {
            const n = Number(e.target.value);
            if (Number.isInteger(n) && n >= 0 && n <= 1000) onChange({ ...options, skipLines: n });
          }}
        />
      </div>
    </fieldset>
  );
}

type ColumnsGuess = NonNullable<StatementGuesses["columns"]>;

/** One select per column of the file: which role it plays (or none). */
function Columns({
  columns,
  header,
  options,
  onChange,
}: {
  columns: ColumnsGuess;
  header: HeaderGuessValue;
  options: ImportOptions;
  onChange: (next: NonNullable<ImportOptions["columns"]>) => void;
}) {
  const assigned = Object.entries(columns.value) as [ColumnRole, { header: string | null; index: number }][];
  const all = new Map<number, string | null>();
  for (const [, c] of assigned) all.set(c.index, c.header);
  for (const c of columns.unused) all.set(c.index, c.header);
  for (const [i, h] of (header.value.headers ?? []).entries()) if (!all.has(i)) all.set(i, h);
  const headers = [...all.entries()].sort((a, b) => a[0] - b[0]);
  const names = headers.map(([, h]) => h);
  // A column is named by its header when that header is unique, else by its position.
  const refOf = (index: number, name: string | null) =>
    name && header.value.hasHeader && names.filter((n) => n === name).length === 1 ? name : index;
  // What the options ask for wins over the reading shown: it may be the last one that worked.
  const effective = new Map<ColumnRole, number>(assigned.map(([role, c]) => [role, c.index]));
  for (const [role, ref] of Object.entries(options.columns ?? {}) as [ColumnRole, string | number | null][]) {
    const index = typeof ref === "number" ? ref : headers.find(([, h]) => ref !== null && h === ref)?.[0];
    if (index === undefined) effective.delete(role);
    else effective.set(role, index);
  }
  const roleOf = (index: number) => [...effective].find(([, i]) => i === index)?.[0] ?? "";
  const change = (index: number, name: string | null, role: ColumnRole | "") => {
    const next: NonNullable<ImportOptions["columns"]> = { ...options.columns };
    const before = roleOf(index);
    if (before && before !== role) next[before] = null;
    if (role) next[role] = refOf(index, name);
    onChange(next);
  };
  return (
    <fieldset className="guess columns-guess">
      <legend>What each column holds</legend>
      <p className="hint">{hintOf(columns, options)}</p>
      <div className="guess-grid">
        {headers.map(([index, name]) => (
          <Field key={index} label={`Column ${index + 1}${name ? `: ${name}` : ""}`}>
            {(p) => (
              <select
                {...p}
                value={roleOf(index)}
                onChange={(e) => change(index, name, e.target.value as ColumnRole | "")}
              >
                <option value="">Not used</option>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {ROLE_WORDS[r]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ))}
      </div>
    </fieldset>
  );
}
