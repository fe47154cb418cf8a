import { accountBalance, addMonths, cardHistory, daysInMonth, monthRange, utilisation } from "@tyche/core";
import type { DebtProgress, FinancialSnapshot } from "@tyche/types";
import type { Owner } from "../db/keys";
import type { SnapshotRepository } from "../db/snapshots";
import type { TransactionRepository } from "../db/transactions";
import type { BudgetService } from "../domain/budgets";
import type { CardService } from "../domain/cards";
import { invalidField } from "../errors";

/** The longest progress range read at once: five years of months. */
export const MAX_PROGRESS_MONTHS = 60;

export interface SnapshotDeps {
  cards: CardService;
  budgets: BudgetService;
  transactions: TransactionRepository;
  snapshots: SnapshotRepository;
  now?: () => Date;
}

/**
 * Monthly debt snapshots: what was owed at each month's end, the utilisation, the interest and
 * fees charged, what was paid to the cards and what the budget allowed for it. A closed month's
 * snapshot is written once, the first time progress is read after the month closed (or by the
 * scheduled job on AWS), from the card registers worked back from today's balances, so it is exact
 * whenever it is taken; one taken on demand replaces it.
 */
export class SnapshotService {
  private readonly now: () => Date;

  constructor(private readonly d: SnapshotDeps) {
    this.now = d.now ?? (() => new Date());
  }

  private currentMonth(): string {
    return this.now().toISOString().slice(0, 7);
  }

  /** Takes the month's snapshot now and stores it, replacing the month's. */
  async take(owner: Owner, month: string): Promise<FinancialSnapshot> {
    if (month > this.currentMonth())
      throw invalidField("month", "is in the future: it has nothing to show yet");
    const [snapshot] = await this.compute(owner, [month]);
    if (!snapshot) throw new Error("no snapshot computed");
    await this.d.snapshots.put(owner, snapshot);
    return snapshot;
  }

  /**
   * The months `from` to `to`: the stored snapshot of each closed month (computed and kept when
   * missing), and the month in progress as it stands.
   */
  async progress(owner: Owner, from: string, to: string): Promise<DebtProgress> {
    if (from > to) throw invalidField("from", "must not be after to", "malformed");
    const months = monthRange(from, to > this.currentMonth() ? this.currentMonth() : to);
    if (months.length > MAX_PROGRESS_MONTHS)
      throw invalidField("from", `spans more than ${MAX_PROGRESS_MONTHS} months`, "malformed");
    const current = this.currentMonth();
    const stored = new Map((await this.d.snapshots.range(owner, from, to)).map((s) => [s.month, s]));
    const missing = months.filter((m) => m === current || !stored.get(m)?.closed);
    const computed = missing.length ? await this.compute(owner, missing) : [];
    await Promise.all(
      computed
        .filter((s) => s.closed && s.cards.length > 0)
        .map((s) => this.d.snapshots.keepClosed(owner, s)),
    );
    for (const s of computed) stored.set(s.month, s);
    // Months before the first card was opened have nothing to show.
    const shown = months
      .map((m) => stored.get(m))
      .filter((s): s is FinancialSnapshot => !!s && s.cards.length > 0);
    const first = shown[0];
    const last = shown.at(-1);
    const sum = (pick: (s: FinancialSnapshot) => number) => shown.reduce((t, s) => t + pick(s), 0);
    return {
      from,
      to,
      months: shown,
      startingOwed: first?.totalOwed ?? null,
      currentOwed: last?.totalOwed ?? 0,
      paidDown: first && last ? first.totalOwed - last.totalOwed : null,
      interestPaid: sum((s) => s.interestPaid),
      paidToDebt: sum((s) => s.paidToDebt),
    };
  }

  /**
   * Snapshots of `months`, computed from one register read per card from the earliest of them. The
   * registers are GSI3, which no read can make strongly consistent: a row written in the last
   * moment before a closed month is first read could be missed by the snapshot kept for it. The
   * balances now are consistent and rows are rarely dated into a month already over;
   * `POST /v1/debt/snapshots` takes the month again.
   */
  private async compute(owner: Owner, months: readonly string[]): Promise<FinancialSnapshot[]> {
    const sorted = [...months].sort();
    const earliest = sorted[0];
    if (!earliest) return [];
    const current = this.currentMonth();
    const [parts, { budgets, totals, categories }] = await Promise.all([
      this.d.cards.parts(owner, true, true),
      this.d.budgets.views(owner, sorted),
    ]);
    const debtCategories = new Set(
      [...categories.values()].filter((c) => c.group === "debt").map((c) => c.categoryId),
    );
    const histories = await Promise.all(
      parts.map(async (p) => {
        const rows = [];
        for await (const r of this.d.transactions.flowRowsFrom(
          owner,
          p.account.accountId,
          `${earliest}-01`,
        )) {
          const charged = r.categoryIds.some((id) => debtCategories.has(id));
          const charge = !charged ? 0 : r.type === "expense" ? r.amount : r.type === "refund" ? -r.amount : 0;
          rows.push({ date: r.date, flow: r.flow, charge });
        }
        const balance = accountBalance(p.account.type, p.account.openingBalance, p.account.net);
        return new Map(cardHistory(balance, rows, sorted).map((h) => [h.month, h]));
      }),
    );
    const takenAt = this.now().toISOString();
    return sorted.map((month) => {
      const monthEnd = `${month}-${String(daysInMonth(month)).padStart(2, "0")}`;
      const cards = parts
        .map((p, c) => ({ p, h: histories[c]?.get(month) }))
        // A card opened after the month did not exist in it.
        .filter(({ p, h }) => h && p.account.openingDate <= monthEnd)
        .map(({ p, h }) => ({
          cardId: p.account.accountId,
          name: p.account.name,
          balance: h?.balance ?? 0,
          charges: h?.charges ?? 0,
          limit: p.terms?.creditLimit ?? 0,
        }));
      const owed = cards.reduce((t, c) => t + Math.max(0, c.balance), 0);
      const limit = cards.reduce((t, c) => t + c.limit, 0);
      return {
        month,
        closed: month < current,
        totalOwed: owed,
        creditLimit: limit,
        utilisationBasisPoints: utilisation(owed, limit),
        interestPaid: cards.reduce((t, c) => t + c.charges, 0),
        paidToDebt: totals.get(month)?.paidToDebt ?? 0,
        availableForDebtPayoff: budgets.get(month)?.availableForDebtPayoff ?? null,
        cards: cards.map((c) => ({
          cardId: c.cardId,
          name: c.name,
          balance: c.balance,
          utilisationBasisPoints: utilisation(c.balance, c.limit),
        })),
        takenAt,
      };
    });
  }
}

/** The default progress range: the twelve months up to this one. */
export function defaultProgressRange(now: Date): { from: string; to: string } {
  const to = now.toISOString().slice(0, 7);
  return { from: addMonths(to, -11), to };
}
