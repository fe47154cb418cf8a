import { accountBalance, cardStatus, type PayoffCard, shortfallCuts, toPayoffCard } from "@tyche/core";
import type { Budget, DebtBasis } from "@tyche/types";
import type { Owner } from "../db/keys";
import type { BudgetService } from "../domain/budgets";
import type { CardParts, CardService } from "../domain/cards";
import { invalidField, isFailure } from "../errors";

/** What every debt answer plans with: the cards as the engine takes them, and where the money comes from. */
export interface Basis {
  view: DebtBasis;
  cards: PayoffCard[];
  budget: Budget | null;
}

export interface BasisQuery {
  month: string;
  /** Overrides the budget's availableForDebtPayoff. */
  monthly?: number | undefined;
}

const DEFAULT_CURRENCY = "USD";

/**
 * Reads the live card balances and the month's budget and puts them in the engine's terms. A card
 * is planned when it has terms, owes something or nothing (not in credit), and is in the budget's
 * currency; the rest are listed as excluded with the reason, never silently dropped.
 */
export class DebtBasisReader {
  constructor(
    private readonly cards: CardService,
    private readonly budgets: BudgetService,
  ) {}

  async read(owner: Owner, q: BasisQuery): Promise<Basis> {
    const [parts, budget] = await Promise.all([
      // Consistent: a payment just made must show in the plan the page asks for next.
      this.cards.parts(owner, false, true),
      this.budgets.get(owner, q.month).catch((err) => {
        if (isFailure(err, "not-found")) return null;
        throw err;
      }),
    ]);
    const currency = budget?.currency ?? parts[0]?.account.currency ?? DEFAULT_CURRENCY;
    const planned: { parts: CardParts; balance: number }[] = [];
    const excluded: DebtBasis["excluded"] = [];
    for (const p of parts) {
      const balance = accountBalance(p.account.type, p.account.openingBalance, p.account.net);
      const reason = !p.terms
        ? "no-terms"
        : balance < 0
          ? "in-credit"
          : p.account.currency !== currency
            ? "other-currency"
            : undefined;
      if (reason) excluded.push({ cardId: p.account.accountId, name: p.account.name, reason });
      else planned.push({ parts: p, balance });
    }
    const cards: PayoffCard[] = [];
    const view: DebtBasis["cards"] = [];
    let minimumsDue = 0;
    let totalOwed = 0;
    for (const { parts: p, balance } of planned) {
      const terms = p.terms;
      if (!terms) continue;
      const input = {
        aprBasisPoints: terms.aprBasisPoints,
        creditLimit: terms.creditLimit,
        dueDay: terms.dueDay,
        minimum: terms.minimumPayment,
        promo: terms.promo,
      };
      const status = cardStatus(balance, input, `${q.month}-01`);
      cards.push(toPayoffCard(p.account.accountId, p.account.name, balance, input, q.month));
      view.push({
        cardId: p.account.accountId,
        name: p.account.name,
        balance,
        aprBasisPoints: status.currentAprBasisPoints,
        minimumDue: status.minimumDue,
      });
      minimumsDue += status.minimumDue;
      totalOwed += balance;
    }
    const available = budget ? budget.availableForDebtPayoff : null;
    const monthlyAmount = q.monthly ?? available ?? 0;
    const missing = minimumsDue - monthlyAmount;
    const shortfall =
      missing > 0
        ? {
            missing,
            minimumsDue,
            monthlyAmount,
            ...shortfallCuts(
              missing,
              (budget?.categories ?? []).map((c) => ({
                categoryId: c.categoryId,
                name: c.name,
                group: c.group,
                limit: c.limit,
                spent: c.spent,
              })),
            ),
          }
        : null;
    return {
      cards,
      budget,
      view: {
        month: q.month,
        currency,
        monthlyAmount,
        source: q.monthly === undefined ? "budget" : "override",
        availableForDebtPayoff: available,
        budgeted: budget !== null,
        minimumsDue,
        totalOwed,
        cards: view,
        excluded,
        shortfall,
      },
    };
  }
}

/** A custom order of card ids, every one a planned card. */
export function parseOrder(raw: string | undefined, cards: readonly PayoffCard[]): string[] | undefined {
  if (raw === undefined) return undefined;
  const ids = raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const known = new Set(cards.map((c) => c.cardId));
  const seen = new Set<string>();
  for (const id of ids) {
    if (!known.has(id)) throw invalidField("order", `names ${id}, which is not one of the cards planned`);
    if (seen.has(id)) throw invalidField("order", `names ${id} twice`);
    seen.add(id);
  }
  return ids;
}
