import { lazy } from "react";
import type { z } from "zod";
import { money, monthLabel, plural, signedMoney } from "../../../ui/format";
import { ChartCanvas, TableDetails } from "../../debt/ChartParts";
import type { ForecastOutput, OptimizeOutput } from "./schemas";
import { Facts, ToolCard } from "./ToolCard";

// recharts comes with the chart chunks, once a chart is drawn.
const WhatIfLines = lazy(() => import("../../debt/DebtCharts").then((m) => ({ default: m.WhatIfLines })));
const CompareBars = lazy(() => import("./charts").then((m) => ({ default: m.CompareBars })));

const MAX_LISTED = 6;

/** A figure before and after a change: "$300.00 → $450.00", the arrow read out as words. */
function Change({ before, after }: { before: string; after: string }) {
  if (before === after) return <>{after} (no change)</>;
  return (
    <>
      {before}
      <span aria-hidden="true"> → </span>
      <span className="sr-only"> becomes </span>
      {after}
    </>
  );
}

const monthOrNever = (m: string | null) => (m ? monthLabel(m) : "not in sight");

/** What a forecast's change is, in words: "$100.00 more income a month, $50.00 more to the cards a month". */
function changeWords(o: z.output<typeof ForecastOutput>): string {
  const c = o.change ?? {};
  const parts = [
    c.incomeChange ? `${signedMoney(c.incomeChange, o.currency)} income a month` : "",
    c.extraDebtPayment ? `${money(c.extraDebtPayment, o.currency)} more to the cards a month` : "",
    c.categoryLimits?.length
      ? `new limits for ${plural(c.categoryLimits.length, "category", "categories")}`
      : "",
    c.goalContribution?.length ? `money into ${plural(c.goalContribution.length, "goal")}` : "",
  ].filter(Boolean);
  return parts.length ? `With ${parts.join(", ")}` : "As things are";
}

/** forecast_savings: a change's effect on the money for debt, the debt-free month, interest and goals. */
export function ForecastCard({ tool, o }: { tool: string; o: z.output<typeof ForecastOutput> }) {
  const c = o.currency;
  const a = o.availableForDebtPayoff.laterMonths;
  const d = o.debt;
  const rows = o.schedule.map((m) => ({
    month: m.month,
    current: m.owedAtEnd.before,
    withChange: m.owedAtEnd.after,
  }));
  return (
    <ToolCard title="What the change would do" tool={tool}>
      <p className="tool-lead">{changeWords(o)}:</p>
      <Facts
        items={[
          [
            "Available for debt payoff a month",
            <Change key="a" before={money(a.before, c)} after={money(a.after, c)} />,
          ],
          [
            "Debt-free",
            <Change
              key="d"
              before={monthOrNever(d.debtFreeMonth.before)}
              after={monthOrNever(d.debtFreeMonth.after)}
            />,
          ],
          d.debtFreeMonth.monthsSooner !== undefined &&
            d.debtFreeMonth.monthsSooner !== null &&
            d.debtFreeMonth.monthsSooner > 0 && ["Sooner by", plural(d.debtFreeMonth.monthsSooner, "month")],
          [
            "Interest in all",
            <Change
              key="i"
              before={money(d.totalInterest.before, c)}
              after={money(d.totalInterest.after, c)}
            />,
          ],
        ]}
      />
      {o.goals.length > 0 && (
        <ul className="tool-list">
          {o.goals.slice(0, MAX_LISTED).map((g) => (
            <li key={g.name}>
              <strong>{g.name}</strong>: reached{" "}
              <Change
                before={monthOrNever(g.projectedCompletion.before)}
                after={monthOrNever(g.projectedCompletion.after)}
              />
              {g.meetsTargetDate && (g.meetsTargetDate.after ? ", on time" : ", after its target date")}
            </li>
          ))}
        </ul>
      )}
      {rows.length > 1 && (
        <>
          <ChartCanvas
            legend={[
              { name: "As planned", index: 0 },
              { name: "With the change", index: 2 },
            ]}
          >
            <WhatIfLines data={rows} currency={c} />
          </ChartCanvas>
          <TableDetails
            summary={`As a table (${plural(rows.length, "month")})`}
            label="Owed at each month's end"
          >
            <caption className="sr-only">
              Owed at the end of each month, as planned and with the change
            </caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col" className="amount">
                  As planned
                </th>
                <th scope="col" className="amount">
                  With the change
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.month}>
                  <th scope="row">{monthLabel(r.month)}</th>
                  <td className="amount">{money(r.current, c)}</td>
                  <td className="amount">{money(r.withChange, c)}</td>
                </tr>
              ))}
            </tbody>
          </TableDetails>
        </>
      )}
    </ToolCard>
  );
}

/** optimize_categories: the limits to lower, by how much and why, and what the money freed does. */
export function OptimizeCard({ tool, o }: { tool: string; o: z.output<typeof OptimizeOutput> }) {
  const c = o.currency;
  const cuts = o.categories.filter((x) => x.change !== 0).sort((x, y) => x.change - y.change);
  const later = o.availableForDebtPayoff?.laterMonths;
  const free = o.debt?.debtFreeMonth;
  return (
    <ToolCard
      title={
        o.objective.kind === "goal" && o.objective.name
          ? `New limits to save for ${o.objective.name}`
          : `New limits for ${monthLabel(o.month)}`
      }
      tool={tool}
    >
      <Facts
        items={[
          ["Freed a month", <strong key="f">{money(o.totals.freed, c)}</strong>],
          later && [
            "Available for debt payoff a month",
            <Change key="a" before={money(later.before, c)} after={money(later.after, c)} />,
          ],
          free && [
            "Debt-free",
            <Change key="d" before={monthOrNever(free.before)} after={monthOrNever(free.after)} />,
          ],
          o.targetMet === false &&
            o.shortBy !== undefined &&
            o.shortBy !== null && ["Short of the target by", money(o.shortBy, c)],
        ]}
      />
      {cuts.length === 0 ? (
        <p>No limit can be lowered without going below what is spent, the bills or the usual spending.</p>
      ) : (
        <>
          <ul className="tool-list">
            {cuts.slice(0, MAX_LISTED).map((x) => (
              <li key={x.name}>
                <strong>{x.name}</strong>: <Change before={money(x.from, c)} after={money(x.to, c)} />
                {x.reason ? <span className="muted"> ({x.reason})</span> : null}
              </li>
            ))}
          </ul>
          <ChartCanvas
            legend={[
              { name: "Now", index: 5, bar: true },
              { name: "Proposed", index: 0, bar: true },
            ]}
          >
            <CompareBars
              data={cuts.slice(0, 8).map((x) => ({ name: x.name, now: x.from, proposed: x.to }))}
              currency={c}
            />
          </ChartCanvas>
        </>
      )}
    </ToolCard>
  );
}
