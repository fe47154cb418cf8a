import { addMonths, dayOfMonth, daysInMonth, detectRecurring, type RecurringInput } from "@tyche/core";
import type {
  RecurringSuggestion,
  RecurringSuggestionItem,
  RecurringSuggestionList,
  SuggestionDismissal,
} from "@tyche/types";
import type { Owner } from "../db/keys";
import type { RecurringDismissalRepository, StoredDismissal } from "../db/recurring-dismissals";
import type { Store } from "../db/store";
import { commit } from "../db/transact";
import type { TransactionRepository } from "../db/transactions";
import { conflict, isFailure, notFound } from "../errors";
import { todayUtc } from "./materialiser";

/**
 * History read for suggestions: 25 months, so a yearly charge is seen twice even when this year's
 * has not come yet (13 months would find it only after its second renewal, 12 months late). It
 * costs about twice the read of 13 months; see docs/SUGGESTIONS.md.
 */
export const HISTORY_MONTHS = 25;

export interface SuggestionQuery {
  /** `active`: only series still running (the default); `all`: ended ones too, flagged. */
  status: "active" | "all";
  includeDismissed: boolean;
}

export interface SuggestionServiceDeps {
  store: Store;
  transactions: TransactionRepository;
  dismissals: RecurringDismissalRepository;
  /**
   * The merchant keys the user's recurring templates already cover: their suggestions are not
   * shown. The templates are another module's; without it, none are covered.
   */
  covered?: (owner: Owner) => Promise<Set<string>>;
  /** Today as `YYYY-MM-DD` (UTC); a clock of the caller's for tests. */
  today?: () => string;
  historyMonths?: number;
}

/** The same day `months` months before `date`, or that month's last day when shorter. */
function monthsBefore(date: string, months: number): string {
  const month = addMonths(date.slice(0, 7), -months);
  return dayOfMonth(month, Math.min(Number(date.slice(8, 10)), daysInMonth(month)));
}

/**
 * "Found for you" (issue 19, item 3): the recurring charges and income in the user's history
 * that no template covers yet, with their evidence; dismissing one hides it until it is restored.
 */
export class RecurringSuggestionService {
  private readonly covered: (owner: Owner) => Promise<Set<string>>;
  private readonly today: () => string;
  private readonly months: number;

  constructor(private readonly deps: SuggestionServiceDeps) {
    this.covered = deps.covered ?? (async () => new Set<string>());
    this.today = deps.today ?? todayUtc;
    this.months = deps.historyMonths ?? HISTORY_MONTHS;
  }

  async list(owner: Owner, query: SuggestionQuery): Promise<RecurringSuggestionList> {
    const today = this.today();
    const from = monthsBefore(today, this.months);
    // Three independent reads at once: the history, the dismissals, the templates' merchants.
    const [found, dismissed, covered] = await Promise.all([
      this.detect(owner, from, today),
      this.deps.dismissals.list(owner),
      this.covered(owner),
    ]);
    const hidden = new Set(dismissed.map((d) => d.key));
    const items: RecurringSuggestionItem[] = [];
    for (const s of found) {
      if (covered.has(s.merchantKey)) continue;
      if (query.status === "active" && !s.active) continue;
      const isDismissed = hidden.has(s.key);
      if (isDismissed && !query.includeDismissed) continue;
      items.push({ ...s, dismissed: isDismissed });
    }
    return { items, from, to: today };
  }

  /**
   * Hides a suggestion found in the history now (ended ones too); 404 for a key that is none of
   * this user's. Dismissing again answers the first dismissal and writes nothing.
   */
  async dismiss(owner: Owner, key: string): Promise<SuggestionDismissal> {
    const today = this.today();
    const found = (await this.detect(owner, monthsBefore(today, this.months), today)).find(
      (s) => s.key === key,
    );
    if (!found) throw notFound("Suggestion");
    const dismissal: StoredDismissal = {
      key,
      kind: found.kind,
      merchant: found.merchant,
      merchantKey: found.merchantKey,
      accountId: found.accountId,
      cadence: found.cadence,
      typicalAmount: found.typicalAmount,
      dismissedAt: new Date().toISOString(),
      version: 1,
    };
    try {
      await commit(
        this.deps.store,
        { owner, action: "recurringSuggestion.dismiss", entityId: key, after: dismissal },
        [
          this.deps.dismissals.createOp(owner, dismissal, () =>
            conflict("Already dismissed", "already-dismissed"),
          ),
        ],
      );
      return withoutVersion(dismissal);
    } catch (err) {
      if (!isFailure(err, "conflict")) throw err;
      const existing = await this.deps.dismissals.latest(owner, key);
      if (!existing) throw err;
      return withoutVersion(existing);
    }
  }

  /** Shows a dismissed suggestion again; 404 when it is not dismissed. */
  async restore(owner: Owner, key: string): Promise<void> {
    const current = await this.deps.dismissals.latest(owner, key);
    if (!current) throw notFound("Dismissed suggestion");
    await commit(
      this.deps.store,
      { owner, action: "recurringSuggestion.restore", entityId: key, before: current },
      [this.deps.dismissals.deleteOp(owner, current)],
    );
  }

  private async detect(owner: Owner, from: string, today: string): Promise<RecurringSuggestion[]> {
    const rows: RecurringInput[] = [];
    for await (const row of this.deps.transactions.recurringRows(owner, from, today)) rows.push(row);
    return detectRecurring(rows, today);
  }
}

function withoutVersion({ version: _v, ...dismissal }: StoredDismissal): SuggestionDismissal {
  return dismissal;
}
