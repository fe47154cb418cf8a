import type { Account, Category } from "@tyche/types";
import { type Ref, useEffect, useId, useState } from "react";
import { CATEGORY_MONTHS, type Filters } from "./filters";
import { KINDS } from "./form";

/** A text filter: kept as typed, sent to the URL once the person pauses (so each key is no request). */
function TextFilter({
  label,
  name,
  value,
  onCommit,
  inputRef,
  type = "text",
  hint,
  error,
  inputMode,
}: {
  label: string;
  name: keyof Filters;
  value: string;
  onCommit: (name: keyof Filters, value: string) => void;
  inputRef?: Ref<HTMLInputElement>;
  type?: "text" | "search";
  hint?: string;
  error?: string | undefined;
  inputMode?: "decimal";
}) {
  const id = useId();
  const [text, setText] = useState(value);
  // The URL changed elsewhere (cleared, back button): show what it says.
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    if (text === value) return;
    const t = setTimeout(() => onCommit(name, text), 350);
    return () => clearTimeout(t);
  }, [text, value, name, onCommit]);
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={inputRef}
        type={type}
        value={text}
        aria-invalid={Boolean(error)}
        {...(described ? { "aria-describedby": described } : {})}
        {...(inputMode ? { inputMode } : {})}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Enter") onCommit(name, text);
        }}
      />
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  );
}

function SelectFilter({
  label,
  name,
  value,
  onCommit,
  options,
  all,
  hint,
}: {
  label: string;
  name: keyof Filters;
  value: string;
  onCommit: (name: keyof Filters, value: string) => void;
  options: { value: string; label: string }[];
  all: string;
  hint?: string | undefined;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => onCommit(name, e.target.value)}
        {...(hint ? { "aria-describedby": `${id}-hint` } : {})}
      >
        <option value="">{all}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
    </div>
  );
}

/** The list's filters; every one lives in the URL, so a filtered list can be bookmarked and shared. */
export function FiltersBar({
  filters,
  onCommit,
  onClear,
  accounts,
  categories,
  currency,
  invalid,
  searchRef,
}: {
  filters: Filters;
  onCommit: (name: keyof Filters, value: string) => void;
  onClear: () => void;
  accounts: readonly Account[];
  categories: readonly Category[];
  currency: string;
  invalid: Partial<Record<keyof Filters, string>>;
  searchRef: Ref<HTMLInputElement>;
}) {
  const monthId = useId();
  const titleId = useId();
  const active = Object.values(filters).some((v) => v !== "");
  return (
    <search className="card filters" aria-labelledby={titleId}>
      <h2 className="filters-title" id={titleId}>
        Find transactions
      </h2>
      <div className="filters-grid">
        <TextFilter
          label="Search"
          name="q"
          type="search"
          value={filters.q}
          onCommit={onCommit}
          inputRef={searchRef}
          hint="Merchant, description or notes. Press / to get here."
        />
        <div className="field">
          <label htmlFor={monthId}>Month</label>
          <input
            id={monthId}
            type="month"
            value={filters.month}
            onChange={(e) => onCommit("month", e.target.value)}
            aria-invalid={Boolean(invalid.month)}
          />
          {invalid.month && <span className="field-error">{invalid.month}</span>}
        </div>
        {accounts.length > 1 && (
          <SelectFilter
            label="Account"
            name="account"
            value={filters.account}
            onCommit={onCommit}
            all="All accounts"
            options={accounts.map((a) => ({ value: a.accountId, label: a.name }))}
          />
        )}
        <SelectFilter
          label="Category"
          name="category"
          value={filters.category}
          onCommit={onCommit}
          all="All categories"
          options={categories.map((c) => ({
            value: c.type,
            label: c.archived ? `${c.name} (archived)` : c.name,
          }))}
          hint={filters.category && !filters.month ? `Over the last ${CATEGORY_MONTHS} months.` : undefined}
        />
        <SelectFilter
          label="Kind"
          name="kind"
          value={filters.kind}
          onCommit={onCommit}
          all="All kinds"
          options={KINDS}
        />
        <TextFilter
          label="Merchant"
          name="merchant"
          value={filters.merchant}
          onCommit={onCommit}
          hint="The whole name, as the list shows it."
        />
        <TextFilter label="Tag" name="tag" value={filters.tag} onCommit={onCommit} />
        <TextFilter
          label={`Minimum amount (${currency})`}
          name="min"
          value={filters.min}
          onCommit={onCommit}
          inputMode="decimal"
          error={invalid.min}
        />
        <TextFilter
          label={`Maximum amount (${currency})`}
          name="max"
          value={filters.max}
          onCommit={onCommit}
          inputMode="decimal"
          error={invalid.max}
        />
      </div>
      {active && (
        <button type="button" onClick={onClear}>
          Clear filters
        </button>
      )}
    </search>
  );
}
