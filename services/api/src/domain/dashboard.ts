import { daysInMonth } from "@tyche/core";
import type { Dashboard } from "@tyche/types";
import type { AnalyticsService } from "../analytics/analytics-service";
import { totalsOf } from "../analytics/sources";
import { type AccountRepository, toAccount } from "../db/accounts";
import type { Owner } from "../db/keys";
import type { RecurringRepository } from "../db/recurring";
import { type TransactionRepository, toTransaction } from "../db/transactions";
import { budgetView } from "./budgets";

const RECENT = 10;

export interface DashboardDeps {
  analytics: AnalyticsService;
  accounts: AccountRepository;
  transactions: TransactionRepository;
  /** The recurring templates, for what each category of the month is committed to in bills. */
  recurring?: RecurringRepository;
  now?: () => Date;
}

/**
 * The spending dashboard in one read. Everything it shows is read at once, in one round trip of
 * five calls: one BatchGetItem of the stored analytics with the plan and month totals that say
 * whether they are fresh (and that the budget view needs anyway), and Queries of the categories,
 * the accounts, the recurring templates (what the month's bills commit) and the latest transactions. Only when the analytics are stale (a write a moment ago whose refresh has not yet
 * run) is the month computed, from the sources already read.
 */
export class DashboardService {
  private readonly now: () => Date;

  constructor(private readonly d: DashboardDeps) {
    this.now = d.now ?? (() => new Date());
  }

  async get(owner: Owner, month: string): Promise<Dashboard> {
    const readAt = this.now().toISOString();
    const [{ stored, sources }, accounts, templates, recent] = await Promise.all([
      this.d.analytics.readWithStored(owner, month),
      this.d.accounts.list(owner, true),
      this.d.recurring ? this.d.recurring.list(owner) : [],
      this.d.transactions.latest(owner, `${month}-${String(daysInMonth(month)).padStart(2, "0")}`, RECENT),
    ]);
    const analytics = await this.d.analytics.freshOrCompute(owner, stored, sources, readAt);
    const open = accounts.filter((a) => !a.closed).map(toAccount);
    return {
      month,
      budget: sources.budget
        ? budgetView(sources.budget, totalsOf(sources, month), sources.categories, templates)
        : null,
      analytics,
      accounts: open,
      totalOwedOnCards: open
        .filter((a) => a.type === "credit-card")
        .reduce((sum, a) => sum + Math.max(0, a.balance), 0),
      recentTransactions: recent.map(toTransaction),
    };
  }
}
