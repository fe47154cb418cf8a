import { lazy, Suspense } from "react";
import { money } from "../../ui/format";
import type { Slice } from "./AllocationChart";
import type { LiveFigures, PlanRow } from "./plan";

// recharts comes with this chunk only, after the form is already usable.
const AllocationChart = lazy(() => import("./AllocationChart"));

const UNALLOCATED_COLOUR = "#8d939c";

/** The share of a whole in percent, one decimal, for reading (the amounts themselves stay cents). */
const share = (part: number, whole: number) =>
  new Intl.NumberFormat(navigator.language, { style: "percent", maximumFractionDigits: 1 }).format(
    whole > 0 ? part / whole : 0,
  );

/** The plan as a pie chart, with the same figures as a list for anyone who cannot see the chart. */
export function AllocationPie({
  rows,
  figures,
  currency,
}: {
  rows: readonly PlanRow[];
  figures: LiveFigures;
  currency: string;
}) {
  const slices: Slice[] = rows
    .filter((r) => (figures.limits[r.categoryId] ?? 0) > 0)
    .map((r) => ({
      id: r.categoryId,
      name: r.name,
      value: figures.limits[r.categoryId] ?? 0,
      fill: r.color,
    }));
  if (figures.unallocated > 0)
    slices.push({
      id: "unallocated",
      name: "Unallocated",
      value: figures.unallocated,
      fill: UNALLOCATED_COLOUR,
    });
  const whole = slices.reduce((sum, s) => sum + s.value, 0);
  return (
    <section className="card allocation-pie" aria-labelledby="allocation-pie-heading">
      <h2 id="allocation-pie-heading">Where the income goes</h2>
      {slices.length === 0 ? (
        <p className="muted">Nothing is allocated yet: the chart appears as limits are set.</p>
      ) : (
        <figure>
          <div
            className="pie"
            role="img"
            aria-label={`Pie chart of the allocation in ${slices.length} shares; the list below gives each one.`}
          >
            <Suspense fallback={<p className="loading">Loading the chart…</p>}>
              <AllocationChart slices={slices} />
            </Suspense>
          </div>
          <figcaption>
            <ul className="pie-legend">
              {slices.map((s) => (
                <li key={s.id}>
                  <span className="swatch" style={{ background: s.fill }} aria-hidden="true" />
                  <span className="pie-name">{s.name}</span>{" "}
                  <span className="amount">
                    {money(s.value, currency)} ({share(s.value, whole)})
                  </span>
                </li>
              ))}
            </ul>
            {figures.unallocated < 0 && (
              <p className="status-over">
                The limits add up to {money(-figures.unallocated, currency)} more than the income.
              </p>
            )}
          </figcaption>
        </figure>
      )}
    </section>
  );
}
