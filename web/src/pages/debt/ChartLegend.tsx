import { seriesColour, seriesDash } from "./chart-keys";

/** The key to a chart: each line's colour and dash (or a bar's colour) beside its name (the names are in the text too). */
export function ChartLegend({ items }: { items: readonly { name: string; index: number; bar?: boolean }[] }) {
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
