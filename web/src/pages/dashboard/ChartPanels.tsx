import type { MonthAnalytics } from "@tyche/types";
import { lazy, Suspense } from "react";
import { dateLabel, money } from "../../ui/format";

// recharts comes with this chunk only, once a chart is drawn.
const BudgetBars = lazy(() => import("./charts").then((m) => ({ default: m.BudgetBars })));
const DailyLines = lazy(() => import("./charts").then((m) => ({ default: m.DailyLines })));

const ChartLoading = () => <p className="loading chart-loading">Loading the chart…</p>;

function Legend({ items }: { items: { label: string; className: string }[] }) {
  return (
    <ul className="chart-legend" aria-hidden="true">
      {items.map((i) => (
        <li key={i.label}>
          <span className={`legend-key ${i.className}`} />
          {i.label}
        </li>
      ))}
    </ul>
  );
}

/** Budget against actual per category: a bar chart, and the same figures as a table for screen readers. */
export function BudgetChart({ analytics }: { analytics: MonthAnalytics }) {
  const currency = analytics.currency;
  const data = analytics.categories
    .filter((c) => c.budgeted > 0 || c.spent !== 0)
    .map((c) => ({ name: c.name, budgeted: c.budgeted, spent: c.spent }));
  const over = analytics.categories.filter((c) => c.spent > c.budgeted).map((c) => c.name);
  return (
    <figure className="card chart" aria-labelledby="budget-chart-title" data-testid="budget-chart">
      <figcaption>
        <h2 id="budget-chart-title">Budget against actual</h2>
        <p className="muted">
          {data.length === 0
            ? "Nothing budgeted or spent this month."
            : over.length
              ? `Over budget: ${over.join(", ")}.`
              : "Every category is within its limit."}
        </p>
      </figcaption>
      {data.length > 0 && (
        <>
          <Legend
            items={[
              { label: "Budgeted", className: "legend-budgeted" },
              { label: "Spent", className: "legend-spent" },
            ]}
          />
          <div className="chart-canvas" aria-hidden="true">
            <Suspense fallback={<ChartLoading />}>
              <BudgetBars data={data} currency={currency} />
            </Suspense>
          </div>
          <div className="sr-only">
            <table>
              <caption>Budget against actual, by category</caption>
              <thead>
                <tr>
                  <th scope="col">Category</th>
                  <th scope="col">Budgeted</th>
                  <th scope="col">Spent</th>
                </tr>
              </thead>
              <tbody>
                {data.map((d) => (
                  <tr key={d.name}>
                    <th scope="row">{d.name}</th>
                    <td>{money(d.budgeted, currency)}</td>
                    <td>{money(d.spent, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </figure>
  );
}

/** Spending so far each day against the budget spread evenly over the month. */
export function DailyChart({ analytics }: { analytics: MonthAnalytics }) {
  const currency = analytics.currency;
  const shown = analytics.daily.filter((d) => d.date <= analytics.asOf);
  const data = analytics.daily.map((d) => ({
    day: Number(d.date.slice(8, 10)),
    // The line stops at the day the figures run to; the pace goes on to the month's end.
    cumulative: d.date <= analytics.asOf ? d.cumulative : null,
    pace: d.pace,
  }));
  const last = shown.at(-1);
  const summary = last
    ? `By ${dateLabel(last.date)}, ${money(last.cumulative, currency)} spent against a pace of ${money(
        last.pace,
        currency,
      )}: ${
        last.cumulative > last.pace
          ? `${money(last.cumulative - last.pace, currency)} ahead of the budget's pace`
          : `${money(last.pace - last.cumulative, currency)} under the budget's pace`
      }. The month's budget is ${money(analytics.totals.budgeted, currency)}.`
    : "The month has not started yet.";
  return (
    <figure className="card chart" aria-labelledby="daily-chart-title" data-testid="daily-chart">
      <figcaption>
        <h2 id="daily-chart-title">Daily spending against the pace</h2>
        <p data-testid="daily-summary">{summary}</p>
      </figcaption>
      <Legend
        items={[
          { label: "Spent so far", className: "legend-spent" },
          { label: "Budget pace", className: "legend-pace" },
        ]}
      />
      <div className="chart-canvas" aria-hidden="true">
        <Suspense fallback={<ChartLoading />}>
          <DailyLines data={data} currency={currency} />
        </Suspense>
      </div>
      <div className="sr-only">
        <table>
          <caption>Spending so far and the budget's pace, by day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Spent that day</th>
              <th scope="col">Spent so far</th>
              <th scope="col">Pace</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((d) => (
              <tr key={d.date}>
                <th scope="row">{dateLabel(d.date)}</th>
                <td>{money(d.spent, currency)}</td>
                <td>{money(d.cumulative, currency)}</td>
                <td>{money(d.pace, currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
