import type { DebtPlan } from "@tyche/types";
import { lazy } from "react";
import { money, monthLabel, plural } from "../../ui/format";
import { ChartCanvas, TableDetails } from "./ChartParts";
import { debtFreeWords, lowerFirst, STRATEGIES } from "./words";

// recharts comes with this chunk only, once a chart is drawn.
const BalanceLines = lazy(() => import("./DebtCharts").then((m) => ({ default: m.BalanceLines })));

/** Each card's balance at the end of each month of the plan; a card paid off stays at zero. */
export function balanceRows(plan: DebtPlan): Record<string, number | string>[] {
  const ids = plan.cards.map((c) => c.cardId);
  return plan.plan.schedule.map((m) => {
    const row: Record<string, number | string> = { month: m.month };
    for (const id of ids) row[id] = m.cards.find((c) => c.cardId === id)?.balance ?? 0;
    return row;
  });
}

/**
 * The plan's balance over time, one line per card (recharts, loaded lazily), with the same figures
 * in words (when each card is paid off) and, on request, as a table month by month.
 */
export function BalanceChart({ plan }: { plan: DebtPlan }) {
  const c = plan.currency;
  const names = new Map(plan.cards.map((card) => [card.cardId, card.name]));
  const series = plan.cards.map((card) => ({ key: card.cardId, name: card.name }));
  const rows = balanceRows(plan);
  const strategy = STRATEGIES[plan.plan.strategy].label;
  if (rows.length === 0)
    return (
      <section className="card" aria-labelledby="balance-chart-title" data-testid="balance-chart">
        <h2 id="balance-chart-title">Balance over time, card by card</h2>
        <p data-testid="plan-summary">
          Nothing to draw yet: the plan cannot start until the money for debt covers the minimum payments.
        </p>
      </section>
    );
  return (
    <figure className="card chart" aria-labelledby="balance-chart-title" data-testid="balance-chart">
      <figcaption>
        <h2 id="balance-chart-title">Balance over time, card by card</h2>
        <p data-testid="plan-summary">
          {strategy}, {money(plan.monthlyAmount, c)} a month: {lowerFirst(debtFreeWords(plan.plan))}, with{" "}
          {money(plan.plan.totalInterest, c)} interest in all
          {plan.interestSaved !== null && plan.interestSaved > 0
            ? `, ${money(plan.interestSaved, c)} less than the minimums alone`
            : ""}
          .
        </p>
        <ul className="plain-list card-outcomes" data-testid="card-outcomes">
          {plan.plan.cards.map((o) => (
            <li key={o.cardId}>
              <strong>{names.get(o.cardId) ?? "A card"}</strong>:{" "}
              {o.payoffMonth
                ? `paid off in ${monthLabel(o.payoffMonth)}`
                : o.neverPaidOff
                  ? "never paid off at this amount"
                  : "not paid off in the plan"}
              , {money(o.interest, c)} interest
            </li>
          ))}
        </ul>
      </figcaption>
      <ChartCanvas legend={series.map((s, index) => ({ name: s.name, index }))}>
        <BalanceLines series={series} data={rows} currency={c} />
      </ChartCanvas>
      <TableDetails
        summary={`The balances as a table (${plural(rows.length, "month")})`}
        label="Balances month by month"
      >
        <caption className="sr-only">Owed at the end of each month, card by card</caption>
        <thead>
          <tr>
            <th scope="col">Month</th>
            {series.map((s) => (
              <th scope="col" key={s.key} className="amount">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={String(r.month)}>
              <th scope="row">{monthLabel(String(r.month))}</th>
              {series.map((s) => (
                <td key={s.key} className="amount">
                  {money(Number(r[s.key] ?? 0), c)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </TableDetails>
    </figure>
  );
}
