import type { CategoryAnalytics } from "@tyche/types";
import { money } from "../../ui/format";
import { changeWords } from "./words";

/** Each category's spending beside the month before and the average of the three months before. */
export function MonthComparison({
  categories,
  currency,
}: {
  categories: CategoryAnalytics[];
  currency: string;
}) {
  const rows = categories.filter(
    (c) => c.spent !== 0 || c.previousMonth.spent !== 0 || (c.threeMonthAverage.average ?? 0) !== 0,
  );
  return (
    <section className="card" aria-labelledby="comparison-heading">
      <h2 id="comparison-heading">Compared with earlier months</h2>
      {rows.length === 0 ? (
        <p className="muted">No spending this month or in the three months before to compare.</p>
      ) : (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls sideways must be reachable by keyboard.
        <section className="table-scroll" aria-label="Comparison by category" tabIndex={0}>
          <table data-testid="comparison">
            <thead>
              <tr>
                <th scope="col">Category</th>
                <th scope="col" className="amount">
                  This month
                </th>
                <th scope="col">Against last month</th>
                <th scope="col">Against the 3-month average</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((c) => (
                <tr key={c.categoryId} data-testid={`comparison-${c.type}`}>
                  <th scope="row">{c.name}</th>
                  <td className="amount">{money(c.spent, currency)}</td>
                  <td>
                    <Change
                      cents={c.previousMonth.change}
                      percent={c.previousMonth.percent}
                      currency={currency}
                    />
                    <span className="muted small block">was {money(c.previousMonth.spent, currency)}</span>
                  </td>
                  <td>
                    <Change
                      cents={c.threeMonthAverage.change}
                      percent={c.threeMonthAverage.percent}
                      currency={currency}
                    />
                    {c.threeMonthAverage.average !== null && (
                      <span className="muted small block">
                        average {money(c.threeMonthAverage.average, currency)} over{" "}
                        {c.threeMonthAverage.months} {c.threeMonthAverage.months === 1 ? "month" : "months"}
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}

function Change({
  cents,
  percent,
  currency,
}: {
  cents: number | null;
  percent: number | null;
  currency: string;
}) {
  const arrow = cents === null || cents === 0 ? "" : cents > 0 ? "▲ " : "▼ ";
  const tone = cents === null || cents === 0 ? "" : cents > 0 ? "change-up" : "change-down";
  return (
    <span className={tone}>
      <span aria-hidden="true">{arrow}</span>
      {changeWords(cents, currency, percent)}
    </span>
  );
}
