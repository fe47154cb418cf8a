import { type ReactNode, Suspense } from "react";
import { seriesColour, seriesDash } from "./chart-keys";

/** What the debt panels draw around a chart, none of it recharts: that comes with the chart. */

export interface LegendItem {
  name: string;
  index: number;
  bar?: boolean;
}

/** The key to a chart: each line's colour and dash (or a bar's colour) beside its name (the names are in the text too). */
export function ChartLegend({ items }: { items: readonly LegendItem[] }) {
  return (
    <ul className="chart-legend" aria-hidden="true">
      {items.map((i) => (
        <li key={`${i.index}-${i.name}`}>
          <svg width="28" height="10" className="legend-line" focusable="false" aria-hidden="true">
            {i.bar ? (
              <rect x="6" y="0" width="16" height="10" style={{ fill: seriesColour(i.index) }} />
            ) : (
              <line
                x1="0"
                y1="5"
                x2="28"
                y2="5"
                style={{ stroke: seriesColour(i.index) }}
                strokeWidth="3"
                strokeDasharray={seriesDash(i.index)}
              />
            )}
          </svg>
          {i.name}
        </li>
      ))}
    </ul>
  );
}

export const ChartLoading = () => <p className="loading chart-loading">Loading the chart…</p>;

/**
 * A chart (a lazy one: recharts arrives when it is drawn) under its legend, hidden from screen
 * readers: its figures are in words beside it and in a table.
 */
export function ChartCanvas({ legend, children }: { legend: readonly LegendItem[]; children: ReactNode }) {
  return (
    <>
      <ChartLegend items={legend} />
      <div className="chart-canvas" aria-hidden="true">
        <Suspense fallback={<ChartLoading />}>{children}</Suspense>
      </div>
    </>
  );
}

/** A chart's figures as a table, opened on request; it scrolls, so a keyboard can reach it. */
export function TableDetails({
  summary,
  label,
  children,
}: {
  summary: string;
  label: string;
  children: ReactNode;
}) {
  return (
    <details>
      <summary>{summary}</summary>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be reachable by keyboard. */}
      <section className="table-scroll" tabIndex={0} aria-label={label}>
        <table>{children}</table>
      </section>
    </details>
  );
}
