import { lazy } from "react";
import type { z } from "zod";
import { money, monthLabel, plural } from "../../../ui/format";
import { ChartCanvas, TableDetails } from "../../debt/ChartParts";
import type { AnalyzeBudgetOutput, SetLimitOutput, UserContextOutput } from "./schemas";
import { Facts, ToolCard } from "./ToolCard";

// recharts comes with the dashboard's chart chunk, once a chart is drawn.
const BudgetBars = lazy(() => import("../../dashboard/charts").then((m) => ({ default: m.BudgetBars })));

/** The most categories a card draws: it is a glance; the table under it has them all. */
const MAX_BARS = 8;

interface LimitRow {
  name: string;
  budgeted: number;
  spent: number;
}

/** Limits against spending, as bars (the debt page's legend colours: muted for the limit, accent for spent). */
function LimitBars({ rows, currency, label }: { rows: LimitRow[]; currency: string; label: string }) {
  if (rows.length === 0) return null;
  return (
    <>
      <ChartCanvas
        legend={[
          { name: "Limit", index: 5, bar: true },
          { name: "Spent", index: 0, bar: true },
        ]}
      >
        <BudgetBars data={rows.slice(0, MAX_BARS)} currency={currency} />
      </ChartCanvas>
      <TableDetails summary="As a table" label={label}>
        <caption className="sr-only">{label}</caption>
        <thead>
          <tr>
            <th scope="col">Category</th>
            <th scope="col" className="amount">
              Limit
            </th>
            <th scope="col" className="amount">
              Spent
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <th scope="row">{r.name}</th>
              <td className="amount">{money(r.budgeted, currency)}</td>
              <td className="amount">{money(r.spent, currency)}</td>
            </tr>
          ))}
        </tbody>
      </TableDetails>
    </>
  );
}

/** get_user_context: the month's budget in a few figures, what is owed, and the categories as bars. */
export function UserContextCard({ tool, o }: { tool: string; o: z.output<typeof UserContextOutput> }) {
  const c = o.currency;
  const b = o.budget;
  const rows = (b?.categories ?? [])
    .filter((x) => x.group !== "debt" && (x.limit > 0 || x.spent !== 0))
    .map((x) => ({ name: x.name, budgeted: x.limit, spent: x.spent }))
    .sort((x, y) => Math.max(y.budgeted, y.spent) - Math.max(x.budgeted, x.spent));
  return (
    <ToolCard
      title={b ? `Your budget for ${monthLabel(o.month)}` : `Your numbers for ${monthLabel(o.month)}`}
      tool={tool}
    >
      {!b && <p>No budget is planned for this month.</p>}
      <Facts
        items={[
          b && ["Income planned", money(b.totalIncome, c)],
          b && ["Spent so far", money(b.totalExpenses, c)],
          b && ["Available for debt payoff", <strong key="a">{money(b.availableForDebtPayoff, c)}</strong>],
          o.totalOwed !== undefined && [`Owed on ${plural(o.cards.length, "card")}`, money(o.totalOwed, c)],
          o.totalMinimumDue !== undefined &&
            o.cards.length > 0 && ["Minimums due", money(o.totalMinimumDue, c)],
          o.goals.length > 0 && ["Savings goals", String(o.goals.length)],
        ]}
      />
      <LimitBars rows={rows} currency={c} label={`Limits and spending by category, ${monthLabel(o.month)}`} />
    </ToolCard>
  );
}

/** analyze_budget: what is over its limit and by how much, the cuts recommended, and a target's cuts. */
export function AnalyzeBudgetCard({ tool, o }: { tool: string; o: z.output<typeof AnalyzeBudgetOutput> }) {
  const c = o.currency;
  const over = o.overspent;
  const total = o.totalOverspent ?? over.reduce((sum, x) => sum + x.overBy, 0);
  return (
    <ToolCard
      title={
        over.length
          ? `Where you are overspending in ${monthLabel(o.month)}`
          : `Your budget check for ${monthLabel(o.month)}`
      }
      tool={tool}
    >
      {o.hasBudget === false && <p>No budget is planned for this month.</p>}
      <Facts
        items={[
          ["Over budget in all", money(total, c)],
          ["Categories over", String(over.length)],
          o.potentialSavings !== undefined && ["Could be freed", money(o.potentialSavings, c)],
          o.totals?.availableForDebtPayoff !== undefined && [
            "Available for debt payoff",
            money(o.totals.availableForDebtPayoff, c),
          ],
        ]}
      />
      {over.length > 0 && (
        <ul className="tool-list">
          {over.slice(0, 5).map((x) => (
            <li key={x.name}>
              <strong>{x.name}</strong>: {money(x.spent, c)} of {money(x.limit, c)}, over by{" "}
              <strong>{money(x.overBy, c)}</strong>
            </li>
          ))}
        </ul>
      )}
      {o.toFree && (
        <p>
          To free {money(o.toFree.target, c)} a month:{" "}
          {o.toFree.cuts.length
            ? o.toFree.cuts.map((cut) => `${cut.name ?? "a category"} ${money(cut.amount, c)}`).join(", ")
            : "no cut is recommended"}
          {o.toFree.enough ? "." : `; that is ${money(o.toFree.missing, c)} short.`}
        </p>
      )}
      <LimitBars
        rows={over.map((x) => ({ name: x.name, budgeted: x.limit, spent: x.spent }))}
        currency={c}
        label={`Categories over their limit, ${monthLabel(o.month)}`}
      />
    </ToolCard>
  );
}

/** set_category_limit: the limit as it is now, and what it leaves for the cards. */
export function SetLimitCard({ tool, o }: { tool: string; o: z.output<typeof SetLimitOutput> }) {
  const c = o.currency;
  return (
    <ToolCard
      title={
        o.category
          ? `${o.category.name}: new limit for ${monthLabel(o.month)}`
          : `Limit changed for ${monthLabel(o.month)}`
      }
      tool={tool}
      className="tool-write"
    >
      <Facts
        items={[
          o.category && ["Limit", money(o.category.limit, c)],
          o.category && ["Spent", money(o.category.spent, c)],
          ["Available for debt payoff", money(o.availableForDebtPayoff, c)],
        ]}
      />
    </ToolCard>
  );
}
