import { lazy } from "react";
import type { z } from "zod";
import { fullDate, money, monthLabel, plural } from "../../../ui/format";
import { ChartCanvas, TableDetails } from "../../debt/ChartParts";
import type { CreatedTransactionOutput, FindTransactionsOutput, SpendingByOutput } from "./schemas";
import { Facts, ToolCard } from "./ToolCard";

// recharts comes with this chunk only, once a chart is drawn.
const AmountBars = lazy(() => import("./charts").then((m) => ({ default: m.AmountBars })));

const MAX_BARS = 8;
const MAX_LISTED = 5;

const BY_WORDS = { category: "category", merchant: "merchant", account: "account", month: "month" } as const;
const BY_PLURALS = {
  category: "categories",
  merchant: "merchants",
  account: "accounts",
  month: "months",
} as const;

export const rangeWords = (from: string, to: string) =>
  from === to ? monthLabel(from) : `${monthLabel(from)} to ${monthLabel(to)}`;

const TYPE_WORDS: Record<string, string> = {
  expense: "Spent",
  income: "Income",
  refund: "Refunds",
  transfer: "Transfers",
};

/** spending_by: the total, and the largest rows as bars, all of them in a table. */
export function SpendingByCard({ tool, o }: { tool: string; o: z.output<typeof SpendingByOutput> }) {
  const c = o.currency;
  const range = rangeWords(o.from, o.to);
  const label = o.by === "month" ? monthLabel : (name: string) => name;
  const rows = o.rows.map((r) => ({ name: label(r.name), amount: r.amount, count: r.count }));
  const title = o.by === "month" ? `Spending month by month, ${range}` : `Where the money went: ${range}`;
  return (
    <ToolCard title={title} tool={tool}>
      <Facts
        items={[
          ["Spent in all", <strong key="t">{money(o.total, c)}</strong>],
          [
            `By ${BY_WORDS[o.by]}`,
            plural(rows.length + (o.otherRows ?? 0), BY_WORDS[o.by], BY_PLURALS[o.by]),
          ],
        ]}
      />
      {rows.length > 0 && (
        <>
          <ChartCanvas legend={[{ name: "Spent", index: 0, bar: true }]}>
            <AmountBars
              data={(o.by === "month" ? rows : rows.slice(0, MAX_BARS)).map((r) => ({
                name: r.name,
                amount: r.amount,
              }))}
              currency={c}
            />
          </ChartCanvas>
          <TableDetails summary="As a table" label={`Spending by ${BY_WORDS[o.by]}, ${range}`}>
            <caption className="sr-only">
              Spending by {BY_WORDS[o.by]}, {range}
            </caption>
            <thead>
              <tr>
                <th scope="col">{BY_WORDS[o.by].charAt(0).toUpperCase() + BY_WORDS[o.by].slice(1)}</th>
                <th scope="col" className="amount">
                  Spent
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.name}>
                  <th scope="row">{r.name}</th>
                  <td className="amount">{money(r.amount, c)}</td>
                </tr>
              ))}
            </tbody>
          </TableDetails>
          {(o.otherRows ?? 0) > 0 && <p className="hint">And {plural(o.otherRows ?? 0, "more")}, smaller.</p>}
        </>
      )}
    </ToolCard>
  );
}

/** find_transactions: how many, their totals by kind, and the latest few. */
export function FindTransactionsCard({
  tool,
  o,
  currency,
}: {
  tool: string;
  o: z.output<typeof FindTransactionsOutput>;
  currency: string;
}) {
  const count = o.count ?? o.items.length;
  return (
    <ToolCard title={`Transactions found: ${count}${o.nextCursor ? " or more" : ""}`} tool={tool}>
      <Facts
        items={Object.entries(o.totals).map(
          ([type, cents]) => [TYPE_WORDS[type] ?? type, money(cents, currency)] as const,
        )}
      />
      {o.items.length > 0 && (
        <ul className="tool-list">
          {o.items.slice(0, MAX_LISTED).map((t, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list, in the order the tool gave it
            <li key={i}>
              {fullDate(t.date)} · {t.merchant ?? t.description ?? TYPE_WORDS[t.type] ?? t.type}:{" "}
              <strong>{money(t.amount, currency)}</strong>
            </li>
          ))}
        </ul>
      )}
      {o.items.length > MAX_LISTED && (
        <p className="hint">And {plural(o.items.length - MAX_LISTED, "more")}.</p>
      )}
    </ToolCard>
  );
}

/** add_transaction: what was recorded. */
export function CreatedTransactionCard({
  tool,
  o,
  currency,
}: {
  tool: string;
  o: z.output<typeof CreatedTransactionOutput>;
  currency: string;
}) {
  const t = o.created;
  const c = t.currency ?? currency;
  return (
    <ToolCard title="Transaction recorded" tool={tool} className="tool-write">
      <Facts
        items={[
          ["Amount", money(t.amount, c)],
          ["Kind", TYPE_WORDS[t.type] ?? t.type],
          ["Date", fullDate(t.date)],
          Boolean(t.merchant || t.description) && ["What", t.merchant || t.description],
        ]}
      />
    </ToolCard>
  );
}
