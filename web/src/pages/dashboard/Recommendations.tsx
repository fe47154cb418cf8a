import type { CategoryAnalytics, Recommendation } from "@tyche/types";
import { money } from "../../ui/format";

/** What would free money for the cards: each recommendation with its reason, and the total. */
export function Recommendations({
  recommendations,
  potentialSavings,
  categories,
  currency,
}: {
  recommendations: Recommendation[];
  potentialSavings: number;
  categories: CategoryAnalytics[];
  currency: string;
}) {
  const name = (id: string | undefined) =>
    categories.find((c) => c.categoryId === id)?.name ?? "another category";
  return (
    <section className="card" aria-labelledby="recommendations-heading">
      <h2 id="recommendations-heading">Recommendations</h2>
      {recommendations.length === 0 ? (
        <p className="muted">
          No recommendations this month: nothing is over its limit or well above its usual.
        </p>
      ) : (
        <>
          <p data-testid="potential-savings">
            Following these would keep <strong>{money(potentialSavings, currency)}</strong> for paying off
            your cards.
          </p>
          <ol className="recommendations">
            {recommendations.map((r) => (
              <li key={`${r.rule}-${r.categoryId}-${r.fromCategoryId ?? ""}`}>
                <p className="recommendation-action">
                  <strong>
                    {r.action === "cut"
                      ? `Cut ${money(r.amount, currency)} from ${name(r.categoryId)}`
                      : `Move ${money(r.amount, currency)} from ${name(r.fromCategoryId)} to ${name(r.categoryId)}`}
                  </strong>
                </p>
                <p className="muted">{r.reason}</p>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
