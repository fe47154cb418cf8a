import { lazy } from "react";
import type { z } from "zod";
import { money, monthLabel, plural } from "../../../ui/format";
import { ChartCanvas, TableDetails } from "../../debt/ChartParts";
import { debtFreeWords, lowerFirst, STRATEGIES } from "../../debt/words";
import type { PayoffOutput } from "./schemas";
import { Facts, ToolCard } from "./ToolCard";

// recharts comes with the debt page's chart chunk, once the chart is drawn.
const BalanceLines = lazy(() => import("../../debt/DebtCharts").then((m) => ({ default: m.BalanceLines })));

const SERIES = [{ key: "total", name: "Owed in all" }];

const strategyName = (s: string) => (s in STRATEGIES ? STRATEGIES[s as keyof typeof STRATEGIES].label : s);

/**
 * calculate_payoff: the plan chosen (when debt-free, the interest, what it saves against the
 * minimums alone), this month's payments, a what-if's answer, and what is owed month by month.
 */
export function PayoffCard({ tool, o }: { tool: string; o: z.output<typeof PayoffOutput> }) {
  const c = o.currency;
  const plan = o.chosen;
  const rows = plan.balances.map((b) => ({ month: b.month, total: b.total }));
  return (
    <ToolCard title="Payoff plan" tool={tool}>
      <p className="tool-lead">
        {strategyName(plan.strategy)}, {money(o.monthlyAmount, c)} a month: {lowerFirst(debtFreeWords(plan))}.
      </p>
      {o.shortfall && o.shortfall.missing > 0 && (
        <p className="tool-warning">
          The money for debt is {money(o.shortfall.missing, c)} a month short of the minimum payments.
        </p>
      )}
      <Facts
        items={[
          o.totalOwed !== undefined && ["Owed now", money(o.totalOwed, c)],
          ["Interest in all", money(plan.totalInterest, c)],
          plan.interestSaved !== undefined &&
            plan.interestSaved !== null &&
            plan.interestSaved > 0 && ["Saved against minimums only", money(plan.interestSaved, c)],
          o.minimumsDue !== undefined && ["Minimums due", money(o.minimumsDue, c)],
        ]}
      />
      {o.whatIf && (
        <p>
          With {o.whatIf.extraMonthly ? `${money(o.whatIf.extraMonthly, c)} more a month` : "the change"}:{" "}
          {o.whatIf.monthsSaved ? `${plural(o.whatIf.monthsSaved, "month")} sooner` : "no sooner"}
          {o.whatIf.interestSaved ? `, ${money(o.whatIf.interestSaved, c)} less interest` : ""}.
        </p>
      )}
      {plan.thisMonth && plan.thisMonth.payments.length > 0 && (
        <>
          <p className="tool-subhead">This month, pay:</p>
          <ul className="tool-list">
            {plan.thisMonth.payments.map((p) => (
              <li key={p.name}>
                {p.name}: <strong>{money(p.payment, c)}</strong>
              </li>
            ))}
          </ul>
        </>
      )}
      {rows.length > 1 && (
        <>
          <ChartCanvas legend={[{ name: "Owed in all", index: 0 }]}>
            <BalanceLines series={SERIES} data={rows} currency={c} />
          </ChartCanvas>
          <TableDetails
            summary={`As a table (${plural(rows.length, "month")})`}
            label="Owed at the end of each month"
          >
            <caption className="sr-only">Owed at the end of each month, all cards together</caption>
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col" className="amount">
                  Owed
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.month}>
                  <th scope="row">{monthLabel(r.month)}</th>
                  <td className="amount">{money(r.total, c)}</td>
                </tr>
              ))}
            </tbody>
          </TableDetails>
        </>
      )}
    </ToolCard>
  );
}
