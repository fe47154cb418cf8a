import { addMonths } from "@tyche/core";
import type { DebtProgress } from "@tyche/types";
import { lazy } from "react";
import { useDebtProgress } from "../../api/debt";
import { LoadFailed } from "../../ui/ErrorMessage";
import { money, monthLabel, plural } from "../../ui/format";
import { ChartCanvas, TableDetails } from "./ChartParts";
import { rate } from "./words";

const ProgressBars = lazy(() => import("./DebtCharts").then((m) => ({ default: m.ProgressBars })));

/** How the debt went over the months, in one or two sentences. */
export function progressWords(p: DebtProgress, currency: string): string {
  const first = p.months[0];
  if (!first)
    return "No history yet: Tyche keeps a snapshot of your cards each month, so come back next month.";
  const since = monthLabel(first.month);
  const owed =
    p.months.length === 1
      ? `So far in ${since} you owe ${money(p.currentOwed, currency)}; the chart appears once there is a month to compare.`
      : p.paidDown === null || p.startingOwed === null
        ? `You owe ${money(p.currentOwed, currency)}.`
        : p.paidDown > 0
          ? `Since ${since} what you owe went from ${money(p.startingOwed, currency)} to ${money(p.currentOwed, currency)}: ${money(p.paidDown, currency)} paid down.`
          : p.paidDown < 0
            ? `Since ${since} what you owe rose from ${money(p.startingOwed, currency)} to ${money(p.currentOwed, currency)}: ${money(-p.paidDown, currency)} more.`
            : `Since ${since} what you owe has stayed at ${money(p.currentOwed, currency)}.`;
  return `${owed} You paid ${money(p.paidToDebt, currency)} to the cards, and they charged ${money(p.interestPaid, currency)} in interest and fees.`;
}

/** The debt month by month over the last year: owed at each month's end and paid to the cards. */
export function ProgressPanel({ month, currency }: { month: string; currency: string }) {
  const from = addMonths(month, -11);
  const progress = useDebtProgress(from, month);
  const p = progress.data;
  return (
    <figure className="card chart" aria-labelledby="progress-title" data-testid="progress">
      <figcaption>
        <h2 id="progress-title">Your progress</h2>
        {progress.isPending ? (
          <p className="loading">Loading your progress…</p>
        ) : progress.isError ? (
          <LoadFailed query={progress} />
        ) : p ? (
          <p data-testid="progress-summary">{progressWords(p, currency)}</p>
        ) : null}
      </figcaption>
      {p && p.months.length > 1 && (
        <ChartCanvas
          legend={[
            { name: "Owed at the month's end", index: 0 },
            { name: "Paid to cards", index: 2, bar: true },
          ]}
        >
          <ProgressBars data={p.months} currency={currency} />
        </ChartCanvas>
      )}
      {p && p.months.length > 0 && (
        <TableDetails
          summary={`The months as a table (${plural(p.months.length, "month")})`}
          label="Progress month by month"
        >
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col" className="amount">
                Owed
              </th>
              <th scope="col" className="amount">
                Paid to cards
              </th>
              <th scope="col" className="amount">
                Interest and fees
              </th>
              <th scope="col" className="amount">
                Utilisation
              </th>
            </tr>
          </thead>
          <tbody>
            {p.months.map((m) => (
              <tr key={m.month}>
                <th scope="row">
                  {monthLabel(m.month)}
                  {m.closed ? "" : " (so far)"}
                </th>
                <td className="amount">{money(m.totalOwed, currency)}</td>
                <td className="amount">{money(m.paidToDebt, currency)}</td>
                <td className="amount">{money(m.interestPaid, currency)}</td>
                <td className="amount">
                  {m.utilisationBasisPoints === null ? "None" : rate(m.utilisationBasisPoints)}
                </td>
              </tr>
            ))}
          </tbody>
        </TableDetails>
      )}
    </figure>
  );
}
