import { addMonths } from "@tyche/core";
import type { Recurring } from "@tyche/types";
import { type KeyboardEvent, useMemo } from "react";
import { currentMonth, dateLabel, money, monthLabel, today } from "../../ui/format";
import {
  firstDay,
  kindCounts,
  lastDay,
  type Occurrence,
  occurrencesIn,
  totalsOf,
  totalWords,
} from "./occurrences";
import { KIND_LABELS, WEEKDAY_TOKENS, weekdayName } from "./words";

/** The month's days as weeks from Monday (as the schedules count weeks), blanks around them. */
function weeksOf(month: string): { key: string; date: string | null }[][] {
  const first = new Date(`${firstDay(month)}T00:00:00Z`);
  const offset = (first.getUTCDay() + 6) % 7;
  const days = Number(lastDay(month).slice(8, 10));
  const cells: { key: string; date: string | null }[] = [];
  for (let i = 0; i < offset; i++) cells.push({ key: `before-${i}`, date: null });
  for (let d = 1; d <= days; d++) {
    const date = `${month}-${String(d).padStart(2, "0")}`;
    cells.push({ key: date, date });
  }
  while (cells.length % 7) cells.push({ key: `after-${cells.length}`, date: null });
  const weeks: { key: string; date: string | null }[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/**
 * The calendar of a month: a table of its weeks with each day's bills (name and amount), the
 * month's total, and the same as a list by date on a narrow screen. Previous and next month by
 * button, by the month field, or Page Up and Page Down anywhere in the calendar.
 */
export function BillCalendar({
  templates,
  month,
  onMonth,
}: {
  templates: readonly Recurring[];
  month: string;
  onMonth: (month: string | ((shown: string) => string)) => void;
}) {
  const occurrences = useMemo(() => occurrencesIn(templates, month), [templates, month]);
  const byDate = new Map<string, Occurrence[]>();
  for (const o of occurrences) byDate.set(o.date, [...(byDate.get(o.date) ?? []), o]);
  const rows = occurrences.map((o) => ({
    amount: o.template.amount,
    kind: o.template.kind,
    currency: o.template.currency,
  }));
  const totals = totalsOf(rows);
  const now = today();
  const paused = templates.filter((t) => t.status === "paused").length;
  const label = monthLabel(month);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.target instanceof HTMLInputElement) return;
    if (e.key === "PageUp" || e.key === "PageDown") {
      e.preventDefault();
      const step = e.key === "PageUp" ? -1 : 1;
      onMonth((shown) => addMonths(shown, step));
    }
  };

  return (
    <section className="card bill-calendar" aria-labelledby="calendar-heading" onKeyDown={onKeyDown}>
      <div className="calendar-head">
        <h2 id="calendar-heading">Calendar</h2>
        <nav className="calendar-picker" aria-label="Calendar month">
          <button type="button" onClick={() => onMonth(addMonths(month, -1))}>
            <span aria-hidden="true">‹ </span>Previous month
          </button>
          <label className="calendar-month">
            <span className="sr-only">Month</span>
            <input
              type="month"
              value={month}
              onChange={(e) => {
                if (/^\d{4}-\d{2}$/.test(e.target.value)) onMonth(e.target.value);
              }}
            />
          </label>
          <button type="button" onClick={() => onMonth(addMonths(month, 1))}>
            Next month<span aria-hidden="true"> ›</span>
          </button>
          {month !== currentMonth() && (
            <button type="button" onClick={() => onMonth(currentMonth())}>
              This month
            </button>
          )}
        </nav>
      </div>
      <p className="calendar-total" data-testid="month-total" aria-live="polite">
        <strong>{label}:</strong>{" "}
        {totals.length === 0
          ? "no bills."
          : `${totals.map((t) => totalWords(t, kindCounts(rows, t.currency))).join("; ")}.`}
        {paused > 0 && <span className="muted"> Paused bills are left out.</span>}
      </p>
      <p className="hint">Page Up and Page Down change the month.</p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard */}
      <section className="calendar-scroll" tabIndex={0} aria-label={`Calendar of ${label}`}>
        <table className="calendar-grid" data-testid="calendar">
          <caption className="sr-only">Bills in {label}, a week a row from Monday</caption>
          <thead>
            <tr>
              {WEEKDAY_TOKENS.map((w) => (
                <th key={w} scope="col">
                  <abbr title={weekdayName(w)}>{weekdayName(w, "short")}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeksOf(month).map((week) => (
              <tr key={week[0]?.key}>
                {week.map(({ key, date }) => {
                  if (!date) return <td key={key} className="blank" />;
                  const items = byDate.get(date) ?? [];
                  return (
                    <td
                      key={date}
                      data-date={date}
                      className={date === now ? "today" : date < now ? "past" : undefined}
                      {...(date === now ? { "aria-current": "date" as const } : {})}
                    >
                      <span className="day-number">
                        {Number(date.slice(8, 10))}
                        {date === now && <span className="sr-only"> (today)</span>}
                      </span>
                      {items.length > 0 && (
                        <>
                          <ul className="day-bills">
                            {items.map((o) => (
                              <li key={o.template.recurringId}>
                                <span className="day-bill-name">{o.template.name}</span>{" "}
                                <span className="amount">
                                  {money(o.template.amount, o.template.currency)}
                                </span>
                              </li>
                            ))}
                          </ul>
                          <span className="day-count" aria-hidden="true">
                            {items.length}
                          </span>
                        </>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {occurrences.length > 0 && (
        <ol className="calendar-list" aria-label={`Bills in ${label}, by date`}>
          {occurrences.map((o) => (
            <li key={`${o.date}-${o.template.recurringId}`} className="row">
              <span>
                <span className="calendar-list-date">{dateLabel(o.date)}</span> {o.template.name}
                <span className="muted small block">{KIND_LABELS[o.template.kind]}</span>
              </span>
              <span className="amount">{money(o.template.amount, o.template.currency)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
