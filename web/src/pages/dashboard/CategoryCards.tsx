import type { CategoryAnalytics } from "@tyche/types";
import { money } from "../../ui/format";
import { statusWords } from "./words";

/** One card per category: spent against its limit, a bar coloured by status and the status in words. */
export function CategoryCards({
  categories,
  currency,
}: {
  categories: CategoryAnalytics[];
  currency: string;
}) {
  const shown = categories.filter((c) => c.budgeted > 0 || c.spent !== 0 || c.transactionCount > 0);
  return (
    <section aria-labelledby="categories-heading">
      <h2 id="categories-heading">Categories</h2>
      {shown.length === 0 ? (
        <p className="muted">No category has a limit or any spending this month.</p>
      ) : (
        <ul className="grid category-cards">
          {shown.map((c) => (
            <CategoryCard key={c.categoryId} category={c} currency={currency} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CategoryCard({ category: c, currency }: { category: CategoryAnalytics; currency: string }) {
  const used =
    c.budgeted > 0 ? Math.max(0, Math.min(100, (c.spent / c.budgeted) * 100)) : c.spent > 0 ? 100 : 0;
  return (
    <li className={`card category-card status-${c.status}-card`} data-testid={`category-${c.type}`}>
      <h3>
        <span className="swatch" style={{ background: c.color }} aria-hidden="true" />
        {c.name}
      </h3>
      <p className="category-spent">
        <span data-testid="spent">{money(c.spent, currency)}</span>
        <span className="muted"> of {money(c.budgeted, currency)}</span>
      </p>
      <div className="bar" aria-hidden="true">
        <div className={`bar-fill bar-${c.status}`} style={{ width: `${used}%` }} />
      </div>
      <p className={`status-${c.status} status-words`}>
        <span data-testid="status">{statusWords(c)}</span>
        {c.percentUsed !== null && <span className="muted"> · {c.percentUsed.toFixed(0)}% used</span>}
      </p>
      <p className="muted small">
        {c.remaining >= 0
          ? `${money(c.remaining, currency)} left`
          : `${money(-c.remaining, currency)} over the limit`}
        {` · ${c.transactionCount} ${c.transactionCount === 1 ? "transaction" : "transactions"}`}
      </p>
    </li>
  );
}
