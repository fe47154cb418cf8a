import type { DebtComparison, StrategySummary } from "@tyche/types";
import { money, monthLabel, plural } from "../../ui/format";
import { endWords, isPlanStrategy, type PlanStrategy, STRATEGIES } from "./words";

/**
 * Every strategy side by side (months to debt-free, total interest, payoff date, interest saved
 * against paying the minimums alone), the best one marked in words; choosing one plans with it.
 */
export function StrategyComparison({
  comparison,
  strategy,
  onStrategy,
}: {
  comparison: DebtComparison;
  strategy: PlanStrategy;
  onStrategy: (s: PlanStrategy) => void;
}) {
  const c = comparison.currency;
  const shown = comparison.strategies.filter((s) => isPlanStrategy(s.strategy));
  return (
    <section className="card" aria-labelledby="compare-heading" data-testid="comparison">
      <h2 id="compare-heading">Strategies compared</h2>
      <p className="muted">
        Each pays every minimum, then puts the rest of {money(comparison.monthlyAmount, c)} a month on one
        card at a time, from {monthLabel(comparison.month)}.
        {comparison.best
          ? ` ${STRATEGIES[comparison.best].label} costs the least interest.`
          : " None of them gets to debt-free with this amount."}
      </p>
      <fieldset className="strategy-choice">
        <legend>Plan with</legend>
        <ul className="strategy-grid">
          {shown.map((s) => (
            <StrategyCard
              key={s.strategy}
              summary={s}
              currency={c}
              best={comparison.best === s.strategy}
              chosen={strategy === s.strategy}
              onChoose={() => isPlanStrategy(s.strategy) && onStrategy(s.strategy)}
            />
          ))}
          <StrategyCard summary={comparison.baseline} currency={c} best={false} chosen={false} baseline />
        </ul>
      </fieldset>
    </section>
  );
}

function StrategyCard({
  summary: s,
  currency,
  best,
  chosen,
  baseline = false,
  onChoose,
}: {
  summary: StrategySummary;
  currency: string;
  best: boolean;
  chosen: boolean;
  baseline?: boolean;
  onChoose?: () => void;
}) {
  const words = STRATEGIES[s.strategy];
  const debtFree = s.end === "debt-free" && s.monthsToDebtFree !== null;
  return (
    <li
      className={["strategy", best ? "best" : "", chosen ? "chosen" : "", baseline ? "baseline" : ""]
        .filter(Boolean)
        .join(" ")}
      data-testid={`strategy-${s.strategy}`}
    >
      {baseline ? (
        <p className="strategy-name">{words.label}</p>
      ) : (
        <label className="strategy-name">
          <input type="radio" name="strategy" checked={chosen} onChange={onChoose} /> {words.label}
        </label>
      )}
      <p className="muted strategy-what">
        {baseline ? "For comparison: only the minimum payments" : words.what}
      </p>
      {best && (
        <p className="badge best-badge" data-testid="best">
          <span aria-hidden="true">★ </span>Best: least interest
        </p>
      )}
      {s.end === "shortfall" ? (
        <p className="strategy-figures" data-testid="months">
          Cannot start: the money for debt does not cover the minimum payments.
        </p>
      ) : (
        <dl className="strategy-figures">
          <div>
            <dt>Months to debt-free</dt>
            <dd data-testid="months">
              {debtFree ? plural(s.monthsToDebtFree ?? 0, "month") : endWords(s.end)}
            </dd>
          </div>
          <div>
            <dt>Payoff date</dt>
            <dd data-testid="payoff">{s.debtFreeMonth ? monthLabel(s.debtFreeMonth) : "None"}</dd>
          </div>
          <div>
            <dt>Total interest</dt>
            <dd className="amount" data-testid="interest">
              {money(s.totalInterest, currency)}
              {!debtFree && <span className="muted"> before the plan stops</span>}
            </dd>
          </div>
          {!baseline && (
            <div>
              <dt>Interest saved against minimums only</dt>
              <dd className="amount" data-testid="saved">
                {s.interestSaved === null
                  ? "Cannot compare: one of the two never gets to debt-free"
                  : money(s.interestSaved, currency)}
              </dd>
            </div>
          )}
        </dl>
      )}
    </li>
  );
}
