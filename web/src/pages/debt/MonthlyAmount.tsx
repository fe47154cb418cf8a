import type { DebtBasis } from "@tyche/types";
import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { InputField } from "../../ui/Field";
import { centsToInput, money, monthLabel, parseMoney } from "../../ui/format";

/** Where the monthly amount came from, in words. */
export function sourceWords(basis: DebtBasis): string {
  const month = monthLabel(basis.month);
  if (basis.source === "override")
    return basis.budgeted && basis.availableForDebtPayoff !== null
      ? `The amount you typed. Your budget for ${month} leaves ${money(basis.availableForDebtPayoff, basis.currency)} for debt.`
      : `The amount you typed. ${month} has no budget yet.`;
  if (!basis.budgeted)
    return `${month} has no budget yet, so nothing is set aside for debt. Plan the month's budget, or type an amount below.`;
  return `From your budget for ${month}: what the income leaves after every other category's limit (or its spending, when it is over), the budget's "available for debt payoff".`;
}

/**
 * The money for the cards each month, minimums included, and where it came from: the budget
 * month's availableForDebtPayoff, or an amount the person types to try another.
 */
export function MonthlyAmount({
  basis,
  override,
  onOverride,
}: {
  basis: DebtBasis;
  override: number | undefined;
  onOverride: (cents: number | undefined) => void;
}) {
  const [text, setText] = useState(override === undefined ? "" : centsToInput(override, basis.currency));
  const [error, setError] = useState<string>();
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const cents = parseMoney(text, basis.currency);
    if (cents === undefined || cents < 0) {
      setError("must be an amount such as 500.00");
      return;
    }
    setError(undefined);
    onOverride(cents);
  };
  return (
    <section className="card monthly-amount" aria-labelledby="monthly-heading">
      <h2 id="monthly-heading">Money for debt each month</h2>
      <p className="big-figure amount" data-testid="monthly-amount">
        {money(basis.monthlyAmount, basis.currency)}
      </p>
      <p data-testid="monthly-source">{sourceWords(basis)}</p>
      <p>
        {basis.source === "budget" && (
          <>
            <Link to={`/budget?month=${basis.month}`}>
              {basis.budgeted ? "Change" : "Plan"} the budget for {monthLabel(basis.month)}
            </Link>
            .{" "}
          </>
        )}
        The minimum payments this month add up to{" "}
        <strong data-testid="minimums-due">{money(basis.minimumsDue, basis.currency)}</strong>, on{" "}
        {money(basis.totalOwed, basis.currency)} owed.
      </p>
      <form className="inline-form" onSubmit={onSubmit} noValidate aria-label="Try your own monthly amount">
        <InputField
          label="Your own monthly amount"
          error={error}
          hint="Try another amount a month; your budget is not changed"
          inputMode="decimal"
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoComplete="off"
        />
        <div className="button-row">
          <button type="submit">Use this amount</button>
          {override !== undefined && (
            <button
              type="button"
              onClick={() => {
                setText("");
                onOverride(undefined);
              }}
            >
              Use the budget's amount
            </button>
          )}
        </div>
      </form>
    </section>
  );
}
