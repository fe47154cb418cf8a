import { addMonths } from "@tyche/core";
import { useRef } from "react";
import { currentMonth, monthLabel } from "../../ui/format";

/** Previous and next month around the one shown, and a way back to this month. */
export function MonthPicker({ month, onChange }: { month: string; onChange: (month: string) => void }) {
  const now = currentMonth();
  const nextButton = useRef<HTMLButtonElement>(null);
  return (
    <nav className="month-picker" aria-label="Month">
      <button type="button" onClick={() => onChange(addMonths(month, -1))}>
        <span aria-hidden="true">‹ </span>Previous month
      </button>
      <p className="month-picker-current" aria-live="polite">
        <span className="sr-only">Showing </span>
        <strong>{monthLabel(month)}</strong>
      </p>
      <button type="button" ref={nextButton} onClick={() => onChange(addMonths(month, 1))}>
        Next month<span aria-hidden="true"> ›</span>
      </button>
      {month !== now && (
        <button
          type="button"
          onClick={() => {
            onChange(now);
            // This button goes away with the month it leaves; focus stays in the picker.
            nextButton.current?.focus();
          }}
        >
          Back to this month
        </button>
      )}
    </nav>
  );
}
