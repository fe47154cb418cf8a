import { addMonths } from "@tyche/core";
import { useId } from "react";
import { isMonth, monthLabel } from "../../ui/format";

/** The month being planned: a step back, a step on, or any month typed or picked. */
export function MonthPicker({ month, onChange }: { month: string; onChange: (month: string) => void }) {
  const id = useId();
  const previous = addMonths(month, -1);
  const next = addMonths(month, 1);
  return (
    <div className="month-picker">
      <button
        type="button"
        onClick={() => onChange(previous)}
        aria-label={`Previous month, ${monthLabel(previous)}`}
      >
        <span aria-hidden="true">‹ </span>Previous
      </button>
      <span className="month-input">
        <label htmlFor={id}>Month</label>
        <input
          id={id}
          type="month"
          value={month}
          min="1970-01"
          max="2999-12"
          onChange={(e) => {
            if (isMonth(e.target.value)) onChange(e.target.value);
          }}
        />
      </span>
      <button type="button" onClick={() => onChange(next)} aria-label={`Next month, ${monthLabel(next)}`}>
        Next<span aria-hidden="true"> ›</span>
      </button>
    </div>
  );
}
