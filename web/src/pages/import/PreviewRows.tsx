import type { Category, ImportPreview } from "@tyche/types";
import { useState } from "react";
import { dateLabel, money } from "../../ui/format";
import { KIND_WORDS, OUTCOME_WORDS } from "./words";

type Row = ImportPreview["rows"][number];

const PAGE = 100;

const CATEGORIZED_BY = {
  rule: "by a rule",
  "merchant-history": "as before for this merchant",
  user: "as you chose",
  none: "",
};

/** Money as the account sees the row: money out (or a charge) negative. */
export const signedAmount = (row: Pick<Row, "amount" | "direction">) =>
  row.direction === "debit" ? -row.amount : row.amount;

function CategoryCell({ row, categories }: { row: Row; categories: Map<string, Category> | undefined }) {
  if (row.outcome !== "new") return <span className="muted">Unchanged</span>;
  if (row.type === "transfer") return <span className="muted">None (a transfer)</span>;
  const category = row.categoryId ? categories?.get(row.categoryId) : undefined;
  if (!category) return <span className="muted">None yet</span>;
  const how = CATEGORIZED_BY[row.categorizedBy];
  return (
    <>
      {category.name}
      {how && <span className="muted"> ({how})</span>}
    </>
  );
}

/** The rows as they will be stored: date, merchant, amount, kind, category and what becomes of each. */
export function PreviewRows({
  rows,
  total,
  currency,
  categories,
}: {
  rows: Row[];
  total: number;
  currency: string;
  categories: Map<string, Category> | undefined;
}) {
  const [shown, setShown] = useState(PAGE);
  const visible = rows.slice(0, shown);
  return (
    <section aria-labelledby="rows-heading">
      <h3 id="rows-heading">Rows as they will be stored</h3>
      <p className="muted">
        {rows.length < total
          ? `The first ${rows.length} of ${total} rows.`
          : `${rows.length} ${rows.length === 1 ? "row" : "rows"}.`}{" "}
        Amounts are as the account sees them: money out is negative.
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard */}
      <section className="table-scroll" aria-labelledby="rows-heading" tabIndex={0}>
        <table className="preview-table">
          <thead>
            <tr>
              <th scope="col">Line</th>
              <th scope="col">Date</th>
              <th scope="col">Merchant</th>
              <th scope="col" className="amount">
                Amount
              </th>
              <th scope="col">Kind</th>
              <th scope="col">Category</th>
              <th scope="col">What happens</th>
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => (
              <tr key={row.line} data-line={row.line} data-outcome={row.outcome}>
                <td>{row.line}</td>
                <td>
                  <time dateTime={row.date}>{dateLabel(row.date)}</time>
                </td>
                <td>
                  {row.merchant ?? row.merchantRaw ?? row.description}
                  {row.description && row.description !== (row.merchant ?? row.merchantRaw) && (
                    <span className="row-description">{row.description}</span>
                  )}
                </td>
                <td className="amount">{money(signedAmount(row), currency)}</td>
                <td>
                  {KIND_WORDS[row.type]}
                  {row.pending && " (pending)"}
                </td>
                <td>
                  <CategoryCell row={row} categories={categories} />
                </td>
                <td className={`outcome outcome-${row.outcome}`}>{OUTCOME_WORDS[row.outcome]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {rows.length > shown && (
        <button type="button" onClick={() => setShown(rows.length)}>
          Show all {rows.length} rows
        </button>
      )}
    </section>
  );
}
