import type { DebtBasis, DebtShortfall } from "@tyche/types";
import { Link } from "react-router";
import { money, monthLabel } from "../../ui/format";

/**
 * The money for debt is below the cards' minimums: by how much, and what to do about it, in plain
 * words: the over-budget categories whose overrun, cut back, would close the gap.
 */
export function ShortfallPanel({ basis, shortfall }: { basis: DebtBasis; shortfall: DebtShortfall }) {
  const c = basis.currency;
  const month = monthLabel(basis.month);
  const from =
    basis.source === "override"
      ? "the amount you typed is"
      : basis.budgeted
        ? `your budget for ${month} leaves`
        : `${month} has no budget, so there is`;
  const left = shortfall.missing - shortfall.cutsTotal;
  return (
    <section className="card shortfall" aria-labelledby="shortfall-heading" data-testid="shortfall">
      <h2 id="shortfall-heading">Not enough for the minimum payments</h2>
      <p data-testid="shortfall-summary">
        The cards' minimum payments add up to <strong>{money(shortfall.minimumsDue, c)}</strong> a month, but{" "}
        {from} only <strong>{money(shortfall.monthlyAmount, c)}</strong> for debt: you are{" "}
        <strong data-testid="shortfall-missing">{money(shortfall.missing, c)}</strong> short. Missing a
        minimum payment brings fees and can hurt your credit score, so no payoff plan can start until the
        minimums are covered.
      </p>
      {shortfall.cuts.length > 0 ? (
        <>
          <p>
            {shortfall.cuts.length === 1 ? "This category is" : "These categories are"} over
            {shortfall.cuts.length === 1 ? " its limit" : " their limits"}. Cutting back to the limit frees{" "}
            <strong>{money(shortfall.cutsTotal, c)}</strong>
            {shortfall.closesGap
              ? ", enough to cover the minimums."
              : `; that still leaves ${money(left, c)} to find, by lowering other limits or raising the income.`}
          </p>
          <ul className="cuts" data-testid="shortfall-cuts">
            {shortfall.cuts.map((cut) => (
              <li key={cut.categoryId}>
                <strong>{cut.name}</strong>: spent {money(cut.spent, c)} of a {money(cut.limit, c)} limit,{" "}
                <span className="status-over">{money(cut.overBy, c)} over</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p>
          No category is over its limit, so the money has to come from lower limits elsewhere or more income.
        </p>
      )}
      <p>
        <Link to={`/budget?month=${basis.month}`}>Review the budget for {month}</Link>
      </p>
    </section>
  );
}
