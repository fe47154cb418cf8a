import type { Card } from "@tyche/types";
import { useState } from "react";
import { useSearchParams } from "react-router";
import { useCards } from "../../api/debt";
import { useAccounts } from "../../api/queries";
import { LoadFailed } from "../../ui/ErrorMessage";
import { currentMonth, isMonth, money, plural } from "../../ui/format";
import { usePageTitle, useStatusLine } from "../../ui/page";
import { CardItem } from "./CardItem";
import { DebtPlanner } from "./DebtPlanner";
import { NewCardForm } from "./NewCardForm";
import { isPlanStrategy, type PlanStrategy } from "./words";
import "./debt.css";

/** What is owed and the minimums due, per currency (amounts in two currencies are never added). */
function totalsOf(cards: readonly Card[]) {
  const by = new Map<string, { currency: string; owed: number; minimums: number; count: number }>();
  for (const c of cards) {
    const t = by.get(c.currency) ?? { currency: c.currency, owed: 0, minimums: 0, count: 0 };
    t.owed += Math.max(0, c.balance);
    t.minimums += c.minimumDue ?? 0;
    t.count += 1;
    by.set(c.currency, t);
  }
  return [...by.values()];
}

/**
 * Debt (`/debt`): the cards with what is owed, their rates, utilisation and this month's minimum;
 * recording payments; and the plan to pay them off from the budget's money for debt: the
 * strategies compared, the balance over time, what paying more would change, the debt-free goal
 * and the progress so far.
 */
export default function DebtPage() {
  const cards = useCards();
  const accounts = useAccounts();
  const [params, setParams] = useSearchParams();
  const asked = params.get("month");
  const month = isMonth(asked) ? asked : currentMonth();
  const monthlyParam = params.get("monthly");
  const askedStrategy = params.get("strategy");
  // Kept here and mirrored in the address, so a reload keeps them; a radio button must follow at once.
  const [monthly, setMonthly] = useState(
    monthlyParam && /^\d{1,13}$/.test(monthlyParam) ? Number(monthlyParam) : undefined,
  );
  const [strategy, setStrategy] = useState<PlanStrategy>(
    isPlanStrategy(askedStrategy) ? askedStrategy : "avalanche",
  );
  const setParam = (name: string, value: string | undefined) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (value === undefined) next.delete(name);
        else next.set(name, value);
        return next;
      },
      { replace: true, preventScrollReset: true },
    );

  const { say, line } = useStatusLine();
  usePageTitle("Debt payoff");

  const list = cards.data ?? [];
  const payFrom = (accounts.data ?? []).filter((a) => a.type !== "credit-card" && !a.closed);
  const planned = list.some((c) => c.terms !== null);

  return (
    <div className="debt-page">
      <h1>Debt payoff</h1>
      {line}
      {cards.isPending ? (
        <p className="loading" role="status">
          Loading your cards…
        </p>
      ) : cards.isError ? (
        <div className="card">
          <h2>Your cards could not be loaded</h2>
          <LoadFailed query={cards} />
        </div>
      ) : list.length === 0 ? (
        <section className="card debt-empty" aria-labelledby="empty-heading" data-testid="debt-empty">
          <h2 id="empty-heading">No cards yet</h2>
          <p>
            Add your first credit card below, with what you owe on it and its APR, to see how long it takes to
            pay off and how to get there sooner with the money your budget leaves for debt.
          </p>
          <p>
            <a href="#add-card">Add a card</a>
          </p>
        </section>
      ) : (
        <>
          <section className="card debt-totals" aria-labelledby="totals-heading">
            <h2 id="totals-heading" className="sr-only">
              In all
            </h2>
            {totalsOf(list).map((t) => (
              <p key={t.currency} data-testid={`debt-total-${t.currency}`}>
                You owe <strong className="amount">{money(t.owed, t.currency)}</strong> on{" "}
                {plural(t.count, "card")}; the minimum payments this month add up to{" "}
                <strong className="amount">{money(t.minimums, t.currency)}</strong>.
              </p>
            ))}
          </section>
          <section aria-labelledby="cards-heading">
            <h2 id="cards-heading">Your cards</h2>
            <ul className="grid debt-cards">
              {list.map((c) => (
                <CardItem key={c.cardId} card={c} payFrom={payFrom} onDone={say} />
              ))}
            </ul>
          </section>
          {planned ? (
            <DebtPlanner
              month={month}
              monthly={monthly}
              strategy={strategy}
              onMonthly={(cents) => {
                setMonthly(cents);
                setParam("monthly", cents === undefined ? undefined : String(cents));
              }}
              onStrategy={(s) => {
                setStrategy(s);
                setParam("strategy", s === "avalanche" ? undefined : s);
              }}
            />
          ) : (
            <section className="card" aria-labelledby="no-plan-heading">
              <h2 id="no-plan-heading">No plan yet</h2>
              <p>
                None of your cards has its terms yet. Use <strong>Add its terms</strong> on a card above to
                give its APR, credit limit and due day, and the plan to pay it off appears here.
              </p>
            </section>
          )}
        </>
      )}
      <NewCardForm onCreated={(name) => say(`${name} was added.`)} />
    </div>
  );
}
