import { addMonths, type CategoryInfo, computeMonthAnalytics, monthRange } from "@tyche/core";
import type { AnalyticsTrendMonth, MonthAnalytics } from "@tyche/types";
import type { AnalyticsRepository } from "../db/analytics";
import { mapLimit } from "../db/batch";
import type { BudgetRecord } from "../db/budgets";
import type { CategoryRepository } from "../db/categories";
import type { Owner } from "../db/keys";
import { readMonthItems } from "../db/month-items";
import type { MonthLedgerReader } from "../db/month-ledger";
import type { Store } from "../db/store";
import {
  type AnalyticsSources,
  HISTORY_MONTHS,
  hasData,
  sourceMarker,
  sourceMonths,
  totalsOf,
} from "./sources";

const DEFAULT_CURRENCY = "USD";
/** Stored analytics expire this long after they were generated (the table's TTL). */
const KEEP_MONTHS = 24;
/** Months a trend regenerates at once when it finds them stale. */
const TREND_GENERATIONS_IN_FLIGHT = 4;

export interface AnalyticsDeps {
  store: Store;
  categories: CategoryRepository;
  ledger: MonthLedgerReader;
  analytics: AnalyticsRepository;
  now?: () => Date;
}

const active = (b: BudgetRecord | undefined) => (b?.status === "active" ? b : undefined);

/** Epoch seconds `months` after `at`: the day of the month kept, so the TTL is a calendar span. */
function epochSecondsAfter(at: Date, months: number): number {
  const later = new Date(at);
  later.setUTCMonth(later.getUTCMonth() + months);
  return Math.floor(later.getTime() / 1000);
}

/**
 * Month analytics: computed from a month's transactions, plan and history, stored, and read back
 * while still fresh. Every read of their sources is strongly consistent, and the sources are read
 * before the transactions: figures can only be newer than the marker they are stored with, never
 * older, so a stale item is always detected (docs/ANALYTICS.md, Freshness).
 */
export class AnalyticsService {
  private readonly now: () => Date;

  constructor(private readonly d: AnalyticsDeps) {
    this.now = d.now ?? (() => new Date());
  }

  private today(): string {
    return this.now().toISOString().slice(0, 10);
  }

  /** The plan, totals and categories a month's figures depend on, in one round trip. */
  async readSources(owner: Owner, month: string): Promise<AnalyticsSources> {
    return (await this.read(owner, month, false)).sources;
  }

  /**
   * The stored analytics and the sources that say whether they are fresh, in one round trip: one
   * BatchGetItem (plan, totals, stored item) beside the categories' Query.
   */
  async readWithStored(
    owner: Owner,
    month: string,
  ): Promise<{ stored: MonthAnalytics | undefined; sources: AnalyticsSources }> {
    return this.read(owner, month, true);
  }

  private async read(owner: Owner, month: string, withStored: boolean) {
    const [items, categories] = await Promise.all([
      readMonthItems(this.d.store, owner, {
        budgetMonths: [month],
        totalsMonths: sourceMonths(month),
        ...(withStored ? { analyticsMonth: month } : {}),
      }),
      this.d.categories.byId(owner, true),
    ]);
    const sources: AnalyticsSources = {
      month,
      budget: active(items.budgets.get(month)),
      totals: items.totals,
      categories,
    };
    return { stored: items.analytics, sources };
  }

  /** Whether a stored item was computed from exactly these sources, today. */
  isFresh(stored: MonthAnalytics | undefined, sources: AnalyticsSources): stored is MonthAnalytics {
    return stored !== undefined && stored.sourceMarker === sourceMarker(sources, this.today());
  }

  /** Recomputes a month now and stores it. */
  async generate(owner: Owner, month: string): Promise<MonthAnalytics> {
    const readAt = this.now().toISOString();
    return this.compute(owner, await this.readSources(owner, month), readAt);
  }

  /** The stored analytics when fresh (one read beside its sources), else computed, stored and returned. */
  async get(owner: Owner, month: string): Promise<MonthAnalytics> {
    const readAt = this.now().toISOString();
    const { stored, sources } = await this.readWithStored(owner, month);
    return this.freshOrCompute(owner, stored, sources, readAt);
  }

  /** `stored` if the sources read beside it say it is fresh; else the month computed from them. */
  freshOrCompute(
    owner: Owner,
    stored: MonthAnalytics | undefined,
    sources: AnalyticsSources,
    readAt: string,
  ): Promise<MonthAnalytics> {
    return this.isFresh(stored, sources) ? Promise.resolve(stored) : this.compute(owner, sources, readAt);
  }

  /**
   * The months of a trend chart, oldest first: each month with a plan or transactions, from its
   * stored item when that is fresh, else computed again.
   */
  async trend(owner: Owner, from: string, to: string): Promise<AnalyticsTrendMonth[]> {
    const readAt = this.now().toISOString();
    const months = monthRange(from, to);
    const [stored, { budgets, totals }, categories] = await Promise.all([
      this.d.analytics.range(owner, from, to),
      readMonthItems(this.d.store, owner, {
        budgetMonths: months,
        totalsMonths: monthRange(addMonths(from, -HISTORY_MONTHS), to),
      }),
      this.d.categories.byId(owner, true),
    ]);
    const byMonth = new Map(stored.map((s) => [s.month, s]));
    const today = this.today();
    return (
      await mapLimit(months, TREND_GENERATIONS_IN_FLIGHT, async (month) => {
        const sources = { month, budget: active(budgets.get(month)), totals, categories };
        if (!hasData(sources)) return undefined;
        const kept = byMonth.get(month);
        if (kept && kept.sourceMarker === sourceMarker(sources, today)) {
          const { sourceMarker: _marker, ...trend } = kept;
          return trend;
        }
        const fresh = await this.compute(owner, sources, readAt);
        return {
          month,
          currency: fresh.currency,
          totals: fresh.totals,
          categories: fresh.categories.map((c) => ({
            categoryId: c.categoryId,
            name: c.name,
            budgeted: c.budgeted,
            spent: c.spent,
          })),
          generatedAt: fresh.generatedAt,
        };
      })
    ).filter((m): m is AnalyticsTrendMonth => m !== undefined);
  }

  /**
   * The months whose analytics a change to `month` affects: the month, and those of the three after
   * it that have begun (their comparisons read it); a future month is computed when it is asked for.
   */
  affectedBy(month: string): string[] {
    const current = this.today().slice(0, 7);
    return [month, ...[1, 2, 3].map((n) => addMonths(month, n)).filter((m) => m <= current)];
  }

  private async compute(owner: Owner, sources: AnalyticsSources, readAt: string): Promise<MonthAnalytics> {
    const { month } = sources;
    const today = this.today();
    const [transactions, priorCharges] = await Promise.all([
      this.d.ledger.transactions(owner, month),
      this.d.ledger.chargesBefore(owner, month, HISTORY_MONTHS),
    ]);
    const categories = new Map<string, CategoryInfo>(sources.categories);
    const figures = computeMonthAnalytics({
      month,
      currency: sources.budget?.currency ?? DEFAULT_CURRENCY,
      budget: sources.budget ?? null,
      categories,
      transactions,
      history: sourceMonths(month)
        .filter((m) => m !== month)
        .map((m) => totalsOf(sources, m)),
      priorCharges,
      today,
    });
    const generatedAt = this.now();
    const analytics: MonthAnalytics = {
      ...figures,
      generatedAt: generatedAt.toISOString(),
      sourceMarker: sourceMarker(sources, today),
      ttl: epochSecondsAfter(generatedAt, KEEP_MONTHS),
    };
    await this.d.analytics.putIfNewer(owner, analytics, readAt);
    return analytics;
  }
}
