import type { Category } from "@tyche/types";
import { useId } from "react";
import { money } from "../../ui/format";
import { type FormErrors, type FormState, type SplitDraft, splitRemainder } from "./form";

/** The parts of a split: a category and an amount each, with what is left to assign shown live. */
export function SplitsEditor({
  state,
  setSplits,
  categories,
  currency,
  errors,
}: {
  state: FormState;
  setSplits: (splits: SplitDraft[]) => void;
  categories: readonly Category[];
  currency: string;
  errors: FormErrors;
}) {
  const base = useId();
  const left = splitRemainder(state, currency);
  const change = (i: number, part: Partial<SplitDraft>) =>
    setSplits(state.splits.map((s, j) => (j === i ? { ...s, ...part } : s)));
  return (
    <fieldset className="splits">
      <legend>Split across categories</legend>
      {state.splits.map((s, i) => {
        const catError = errors[`splits.${i}.categoryId`];
        const amountError = errors[`splits.${i}.amount`];
        const n = i + 1;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity but their place
          <div className="split-part" key={i}>
            <div className="field">
              <label htmlFor={`${base}-cat-${i}`}>Part {n} category</label>
              <select
                id={`${base}-cat-${i}`}
                value={s.categoryId}
                aria-invalid={Boolean(catError)}
                onChange={(e) => change(i, { categoryId: e.target.value })}
              >
                <option value="">Choose…</option>
                {categories.map((c) => (
                  <option key={c.categoryId} value={c.categoryId}>
                    {c.name}
                  </option>
                ))}
              </select>
              {catError && <span className="field-error">{catError}</span>}
            </div>
            <div className="field">
              <label htmlFor={`${base}-amount-${i}`}>Part {n} amount</label>
              <input
                id={`${base}-amount-${i}`}
                inputMode="decimal"
                value={s.amount}
                aria-invalid={Boolean(amountError)}
                onChange={(e) => change(i, { amount: e.target.value })}
              />
              {amountError && <span className="field-error">{amountError}</span>}
            </div>
            <button
              type="button"
              className="split-remove"
              disabled={state.splits.length <= 2}
              onClick={() => setSplits(state.splits.filter((_, j) => j !== i))}
            >
              Remove part {n}
            </button>
          </div>
        );
      })}
      <div className="split-footer">
        <button
          type="button"
          disabled={state.splits.length >= 20}
          onClick={() => setSplits([...state.splits, { categoryId: "", amount: "" }])}
        >
          Add a part
        </button>
        <output aria-live="polite" className="split-remainder">
          {left === undefined
            ? "Enter the amount to see what is left to assign."
            : left === 0
              ? "The parts add up to the amount."
              : left > 0
                ? `Left to assign: ${money(left, currency)}`
                : `Over the amount by ${money(-left, currency)}`}
        </output>
      </div>
      {errors.splits && (
        <p className="field-error" role="alert">
          {errors.splits}
        </p>
      )}
    </fieldset>
  );
}
