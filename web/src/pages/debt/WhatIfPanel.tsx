import { minorUnitDigits } from "@tyche/core";
import type { DebtWhatIf } from "@tyche/types";
import { lazy, useId, useState } from "react";
import { useDebtWhatIf } from "../../api/debt";
import { LoadFailed } from "../../ui/ErrorMessage";
import { InputField } from "../../ui/Field";
import { isMonth, money, monthLabel, parseMoney, plural } from "../../ui/format";
import { useDebounced } from "../../ui/useDebounced";
import { ChartCanvas, TableDetails } from "./ChartParts";
import { debtFreeWords, endWords, lowerFirst, type PlanStrategy } from "./words";

const WhatIfLines = lazy(() => import("./DebtCharts").then((m) => ({ default: m.WhatIfLines })));

/** The slider moves in steps of this many major units (dollars). */
const STEP = 10;

/** What the change does, in one sentence: how much sooner, how much interest saved. */
export function whatIfWords(w: DebtWhatIf): string {
  const c = w.currency;
  const change = [
    w.extraMonthly > 0 ? `${money(w.extraMonthly, c)} more a month` : "",
    w.snowflake ? `${money(w.snowflake.amount, c)} once in ${monthLabel(w.snowflake.month)}` : "",
  ]
    .filter(Boolean)
    .join(" and ");
  if (!change)
    return `${debtFreeWords(w.current)}. Move the slider or add a one-off payment to see what paying more changes.`;
  const after = w.withChange;
  if (after.end !== "debt-free" || after.debtFreeMonth === null)
    return `With ${change}: ${lowerFirst(endWords(after.end))}.`;
  if (w.monthsSaved === null || w.interestSaved === null)
    return `With ${change}: debt-free by ${monthLabel(after.debtFreeMonth)}, where the plan as it is never gets there.`;
  const sooner = w.monthsSaved > 0 ? `${plural(w.monthsSaved, "month")} sooner` : "no sooner";
  return `With ${change}: debt-free by ${monthLabel(after.debtFreeMonth)}, ${sooner}, saving ${money(
    w.interestSaved,
    c,
  )} in interest.`;
}

/**
 * What if more went to the cards: an extra amount every month (a slider) and a one-off payment
 * (a snowflake). The API is asked once the controls come to rest; the answer is said in words and
 * drawn as the total owed, as planned and with the change.
 */
export function WhatIfPanel({
  month,
  monthly,
  strategy,
  monthlyAmount,
  currency,
}: {
  month: string;
  monthly: number | undefined;
  strategy: PlanStrategy;
  monthlyAmount: number;
  currency: string;
}) {
  const id = useId();
  const unit = 10 ** minorUnitDigits(currency);
  const max = Math.max(1000, Math.ceil(monthlyAmount / unit / 500) * 500);
  const [extra, setExtra] = useState(0);
  const [flakeAmount, setFlakeAmount] = useState("");
  const [flakeMonth, setFlakeMonth] = useState(month);
  const settledExtra = useDebounced(extra, 350);
  const settledAmount = useDebounced(flakeAmount, 500);
  const settledMonth = useDebounced(flakeMonth, 500);
  const flakeCents = settledAmount.trim() === "" ? 0 : parseMoney(settledAmount, currency);
  const amountError =
    flakeAmount.trim() !== "" && parseMoney(flakeAmount, currency) === undefined
      ? "must be an amount such as 500.00"
      : undefined;
  const monthError = flakeAmount.trim() !== "" && !isMonth(flakeMonth) ? "must be a month" : undefined;
  const snowflake =
    flakeCents !== undefined && flakeCents > 0 && isMonth(settledMonth)
      ? { amount: flakeCents, month: settledMonth }
      : undefined;
  const whatIf = useDebtWhatIf({ month, monthly, strategy, extra: settledExtra * unit, snowflake });
  const w = whatIf.data;
  const settling = extra !== settledExtra || flakeAmount !== settledAmount || flakeMonth !== settledMonth;

  return (
    <section className="card what-if" aria-labelledby="whatif-heading" data-testid="what-if">
      <h2 id="whatif-heading">What if you paid more?</h2>
      <div className="what-if-controls">
        <div className="field">
          <label htmlFor={`${id}-extra`}>Extra each month</label>
          <div className="slider-row">
            <input
              id={`${id}-extra`}
              type="range"
              min={0}
              max={max}
              step={STEP}
              value={extra}
              aria-valuetext={money(extra * unit, currency)}
              aria-describedby={`${id}-extra-hint`}
              onChange={(e) => setExtra(Number(e.target.value))}
            />
            <output htmlFor={`${id}-extra`} className="slider-value amount" data-testid="extra-value">
              {money(extra * unit, currency)}
            </output>
          </div>
          <span id={`${id}-extra-hint`} className="hint">
            On top of {money(monthlyAmount, currency)} a month, in steps of {money(STEP * unit, currency)}
          </span>
        </div>
        <fieldset className="terms-group snowflake">
          <legend>A one-off payment (a snowflake)</legend>
          <div className="terms-grid">
            <InputField
              label="One-off amount"
              error={amountError}
              hint="A bonus, a tax refund, a gift"
              inputMode="decimal"
              value={flakeAmount}
              onChange={(e) => setFlakeAmount(e.target.value)}
              autoComplete="off"
            />
            <InputField
              label="In the month"
              error={monthError}
              type="month"
              value={flakeMonth}
              min={month}
              onChange={(e) => setFlakeMonth(e.target.value)}
            />
          </div>
        </fieldset>
      </div>
      {whatIf.isError ? (
        <LoadFailed query={whatIf} />
      ) : (
        <p
          className="what-if-summary"
          aria-live="polite"
          aria-busy={settling || whatIf.isFetching}
          data-testid="whatif-summary"
        >
          {w ? whatIfWords(w) : "Working it out…"}
        </p>
      )}
      {w && (
        <>
          <dl className="what-if-figures">
            <div>
              <dt>As planned</dt>
              <dd>
                {debtFreeWords(w.current)}; {money(w.current.totalInterest, w.currency)} interest
              </dd>
            </div>
            {(w.extraMonthly > 0 || w.snowflake) && (
              <div>
                <dt>With the change</dt>
                <dd data-testid="whatif-after">
                  {debtFreeWords(w.withChange)}; {money(w.withChange.totalInterest, w.currency)} interest
                </dd>
              </div>
            )}
          </dl>
          {w.balances.length > 0 && <WhatIfChart whatIf={w} />}
        </>
      )}
    </section>
  );
}

function WhatIfChart({ whatIf: w }: { whatIf: DebtWhatIf }) {
  return (
    <figure className="chart" aria-labelledby="whatif-chart-title">
      <figcaption id="whatif-chart-title" className="chart-title">
        Owed in all, month by month
      </figcaption>
      <ChartCanvas
        legend={[
          { name: "As planned", index: 0 },
          { name: "With the change", index: 2 },
        ]}
      >
        <WhatIfLines data={w.balances} currency={w.currency} />
      </ChartCanvas>
      <TableDetails
        summary={`The balances as a table (${plural(w.balances.length, "month")})`}
        label="Owed in all, month by month"
      >
        <thead>
          <tr>
            <th scope="col">Month</th>
            <th scope="col" className="amount">
              As planned
            </th>
            <th scope="col" className="amount">
              With the change
            </th>
          </tr>
        </thead>
        <tbody>
          {w.balances.map((b) => (
            <tr key={b.month}>
              <th scope="row">{monthLabel(b.month)}</th>
              <td className="amount">{money(b.current, w.currency)}</td>
              <td className="amount">{money(b.withChange, w.currency)}</td>
            </tr>
          ))}
        </tbody>
      </TableDetails>
    </figure>
  );
}
