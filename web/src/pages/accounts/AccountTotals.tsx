import type { Account } from "@tyche/types";
import { money } from "../../ui/format";
import { isCard } from "./words";

interface Totals {
  currency: string;
  cash: number;
  owed: number;
}

/** Per currency (amounts in two currencies are never added): what is held, what is owed on cards, the net. */
export function totalsOf(accounts: readonly Account[]): Totals[] {
  const by = new Map<string, Totals>();
  for (const a of accounts) {
    if (a.closed) continue;
    const t = by.get(a.currency) ?? { currency: a.currency, cash: 0, owed: 0 };
    if (isCard(a)) t.owed += a.balance;
    else t.cash += a.balance;
    by.set(a.currency, t);
  }
  return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

export function AccountTotals({ accounts }: { accounts: readonly Account[] }) {
  const totals = totalsOf(accounts);
  if (totals.length === 0) return null;
  return (
    <section className="card account-totals" aria-labelledby="totals-heading">
      <h2 id="totals-heading">Totals</h2>
      {totals.map((t) => {
        const net = t.cash - t.owed;
        return (
          <div key={t.currency}>
            {totals.length > 1 && <h3 className="totals-currency">In {t.currency}</h3>}
            <dl className="totals-list">
              <div>
                <dt>Cash and savings</dt>
                <dd className="amount" data-testid={`total-cash-${t.currency}`}>
                  {money(t.cash, t.currency)}
                </dd>
              </div>
              <div>
                <dt>Owed on cards</dt>
                <dd className="amount" data-testid={`total-owed-${t.currency}`}>
                  {money(t.owed, t.currency)}
                </dd>
              </div>
              <div>
                <dt>Net</dt>
                <dd className="amount" data-testid={`total-net-${t.currency}`}>
                  {money(net, t.currency)}
                  <span className="muted">
                    {net < 0
                      ? " (you owe more than you hold)"
                      : net > 0
                        ? " (you hold more than you owe)"
                        : ""}
                  </span>
                </dd>
              </div>
            </dl>
          </div>
        );
      })}
      <p className="hint">Open accounts only, on and off budget.</p>
    </section>
  );
}
