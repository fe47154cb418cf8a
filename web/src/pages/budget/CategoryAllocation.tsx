import { minorUnitDigits } from "@tyche/core";
import { useId } from "react";
import { money } from "../../ui/format";
import { type PlanRow, sliderMax } from "./plan";

/**
 * One category's limit: a slider (whole major units, keyboard-operable, its value read out as the
 * amount) beside a box that takes any amount, both labelled by the category's name.
 */
export function CategoryAllocation({
  row,
  text,
  cents,
  incomeCents,
  currency,
  error,
  onText,
}: {
  row: PlanRow;
  /** What the amount box shows (as typed). */
  text: string;
  /** The limit in cents as the figures count it. */
  cents: number;
  incomeCents: number;
  currency: string;
  error: string | undefined;
  onText: (text: string) => void;
}) {
  const id = useId();
  const digits = minorUnitDigits(currency);
  const unit = 10 ** digits;
  const max = sliderMax(cents, incomeCents, unit);
  const value = Math.min(Math.floor(cents / unit), max);
  const described = [
    row.spent !== 0 ? `${id}-spent` : "",
    row.committed !== 0 ? `${id}-committed` : "",
    error ? `${id}-error` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const aria = {
    "aria-invalid": Boolean(error),
    ...(described ? { "aria-describedby": described } : {}),
  };
  return (
    <div className={error ? "allocation invalid" : "allocation"}>
      <div className="allocation-head">
        <span className="swatch" style={{ background: row.color }} aria-hidden="true" />
        <label id={`${id}-label`} htmlFor={`${id}-amount`}>
          {row.name}
          {row.archived ? " (archived)" : ""}
        </label>
      </div>
      <div className="allocation-controls">
        <input
          type="range"
          id={`${id}-slider`}
          aria-labelledby={`${id}-label`}
          min={0}
          max={max}
          step={1}
          value={value}
          aria-valuetext={money(cents, currency)}
          onChange={(e) => onText(Number(e.target.value).toFixed(digits))}
          {...aria}
        />
        <span className="amount-box">
          <input
            id={`${id}-amount`}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={text}
            onChange={(e) => onText(e.target.value)}
            {...aria}
          />
          <span className="muted currency-code">{currency}</span>
        </span>
      </div>
      {row.spent !== 0 && (
        <span id={`${id}-spent`} className="hint">
          Spent so far: {money(row.spent, currency)}
        </span>
      )}
      {row.committed !== 0 && (
        <span id={`${id}-committed`} className="hint">
          Committed to bills this month: {money(row.committed, currency)}
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
