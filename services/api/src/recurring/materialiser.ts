import {
  accountFlow,
  addDays,
  dueOccurrences,
  findRecorded,
  normalizeTypedMerchant,
  type RecordedMovement,
} from "@tyche/core";
import type { Category, TransactionCreateParsed } from "@tyche/types";
import { ulid } from "ulid";
import type { AccountRepository, StoredAccount } from "../db/accounts";
import { mapLimit } from "../db/batch";
import type { CategoryRepository } from "../db/categories";
import { type ImportLeases, LeaseKeeper, RECURRING_HOLDER } from "../db/imports";
import { type Owner, ownerKey } from "../db/keys";
import type { RecurringRepository, StoredRecurring } from "../db/recurring";
import type { Store } from "../db/store";
import { commit } from "../db/transact";
import type { RecurringLink, TransactionRecord, TransactionRepository } from "../db/transactions";
import type { TransactionService } from "../domain/transactions";
import { conflict, DomainError, isContention, isFailure } from "../errors";
import { importTransactionId } from "../imports/fingerprint";
import type { ImportRecovery } from "../imports/recovery";
import { log } from "../log";

/**
 * The recurring materialiser: every due occurrence of an active template that posts becomes a real
 * transaction, exactly once, however many runs or processes do it at once.
 *
 * - The transaction's ids are derived from the template and the occurrence's date, and its keys
 *   from the date, so a second write of the same occurrence finds the first one's `TXNID#` pointer
 *   (`attribute_not_exists`) and writes nothing.
 * - The template's `postedThrough` moves to the occurrence's date in the same DynamoDB transaction,
 *   on conditions: the template is the version the occurrence was computed from, still active and
 *   posting, and not already past that date. A posted occurrence deleted later is therefore never
 *   posted again, and an edit that lands first stops a post computed from the old version.
 * - Before posting, the account's transactions around the date are looked through: one that is
 *   already this bill (brought by the bank, or typed in) is linked to the occurrence instead, in
 *   one write with the same advance of `postedThrough`.
 * - Per user it holds the import lease (`IMPORT_LEASE`), so no import writes that user's rows
 *   while it looks and posts, and an import's own look at what is there sees what it posted. An
 *   import that holds the lease makes it leave the user for the next run.
 */

export interface MaterialiserDeps {
  store: Store;
  recurring: RecurringRepository;
  transactions: TransactionRepository;
  service: TransactionService;
  accounts: AccountRepository;
  categories: CategoryRepository;
  leases: ImportLeases;
  recovery: ImportRecovery;
  /** Today as `YYYY-MM-DD`; UTC by default. */
  today?: () => string;
  log?: (message: string) => void;
}

export interface MaterialiseReport {
  /** Users looked at. */
  owners: number;
  /** Occurrences posted as new transactions. */
  posted: number;
  /** Occurrences found already recorded and linked. */
  found: number;
  /** Occurrences that could not be posted (their template records why). */
  failed: number;
  /** Users left for the next run: an import was writing, or their templates changed meanwhile. */
  deferred: number;
}

const emptyReport = (): MaterialiseReport => ({ owners: 0, posted: 0, found: 0, failed: 0, deferred: 0 });

const add = (a: MaterialiseReport, b: MaterialiseReport): MaterialiseReport => ({
  owners: a.owners + b.owners,
  posted: a.posted + b.posted,
  found: a.found + b.found,
  failed: a.failed + b.failed,
  deferred: a.deferred + b.deferred,
});

export const todayUtc = () => new Date().toISOString().slice(0, 10);

const SEP = "\u001f";

/**
 * The id of an occurrence's transaction (`leg` "in" for a transfer's other leg): ULID-shaped like
 * an imported row's, its time part the occurrence's date, the rest a hash of template and date.
 */
export function occurrenceTransactionId(
  recurringId: string,
  date: string,
  leg: "out" | "in" = "out",
): string {
  return importTransactionId(date, ["recurring", recurringId, date, leg].join(SEP));
}

/**
 * Whether a transaction is an occurrence the materialiser posted (either leg of a transfer), not
 * one the person or the bank recorded that was found to be it: its id is the occurrence's own.
 */
export function postedOccurrence(r: Pick<TransactionRecord, "transactionId" | "recurring">): boolean {
  if (!r.recurring) return false;
  const { recurringId, date } = r.recurring;
  return (
    r.transactionId === occurrenceTransactionId(recurringId, date) ||
    r.transactionId === occurrenceTransactionId(recurringId, date, "in")
  );
}

/** Users materialised at once by a run over everyone. */
const OWNERS_AT_ONCE = 4;
/** How often a caller that waits for the user's lease (an edit's catch-up) looks again. */
const LEASE_POLL_MS = 100;

export class Materialiser {
  private readonly today: () => string;
  private readonly log: (message: string) => void;

  constructor(private readonly d: MaterialiserDeps) {
    this.today = d.today ?? todayUtc;
    this.log = d.log ?? ((m) => log().warn(m));
  }

  /**
   * Every user with templates that post, from the owners' index: no scan. `stopping`: asked before
   * each user, so a server shutting down finishes the users in hand and leaves the rest (deferred)
   * to the next run instead of holding the shutdown for every user there is.
   */
  async runAll(opts: { today?: string; stopping?: () => boolean } = {}): Promise<MaterialiseReport> {
    const owners = await this.d.recurring.owners();
    const reports = await mapLimit(owners, OWNERS_AT_ONCE, (owner) =>
      (opts.stopping?.()
        ? Promise.resolve({ ...emptyReport(), owners: 1, deferred: 1 })
        : this.runOwner(owner, opts)
      ).catch((err) => {
        this.log(`recurring: ${ownerKey(owner)} failed: ${String(err)}`);
        return { ...emptyReport(), owners: 1, deferred: 1 };
      }),
    );
    return reports.reduce(add, emptyReport());
  }

  /**
   * One user's due occurrences (only one template's with `only`). `waitMs`: how long to wait for
   * the user's lease while an import or another run holds it, then answer 409; without it the
   * user is deferred to the next run.
   */
  async runOwner(
    owner: Owner,
    opts: { today?: string; only?: string; waitMs?: number } = {},
  ): Promise<MaterialiseReport> {
    const today = opts.today ?? this.today();
    const holder = `${RECURRING_HOLDER}${ulid()}`;
    const deadline = Date.now() + (opts.waitMs ?? 0);
    let dead: Awaited<ReturnType<ImportLeases["acquire"]>>;
    for (;;) {
      try {
        dead = await this.d.leases.acquire(owner, holder);
        break;
      } catch (err) {
        if (!isFailure(err, "conflict")) throw err;
        if (Date.now() >= deadline) {
          if (opts.waitMs !== undefined) throw busy();
          return { ...emptyReport(), owners: 1, deferred: 1 };
        }
        await new Promise((r) => setTimeout(r, LEASE_POLL_MS));
      }
    }
    const keeper = new LeaseKeeper(this.d.leases, owner, holder);
    try {
      // An import that died holding the lease is repaired first, as the next import would.
      if (dead) await this.d.recovery.repair(owner, dead, keeper);
      return await this.materialise(owner, today, opts.only, keeper);
    } finally {
      keeper.stop();
      await this.d.leases.release(owner, holder);
    }
  }

  private async materialise(
    owner: Owner,
    today: string,
    only: string | undefined,
    keeper: LeaseKeeper,
  ): Promise<MaterialiseReport> {
    const report = { ...emptyReport(), owners: 1 };
    const work = (await this.d.recurring.list(owner, true))
      .filter((t) => !only || t.recurringId === only)
      .map((t) => ({ t, due: dueOccurrences(t, today) }))
      .filter((w) => w.due.length > 0);
    if (!work.length) return report;

    const earliest = work.map((w) => w.due[0] as string).sort()[0] as string;
    const window = Math.max(...work.map((w) => w.t.matchWindowDays));
    const [accounts, categories, recorded] = await Promise.all([
      this.d.accounts.byId(owner, true),
      this.d.categories.byId(owner, true),
      this.recordedBetween(owner, addDays(earliest, -window), addDays(today, window)),
    ]);
    let changed = false;
    for (const { t, due } of work) {
      let current = t;
      for (const date of due) {
        keeper.assertHeld();
        const outcome = await this.occurrence(owner, current, date, { recorded, accounts, categories });
        if (outcome === "posted") report.posted += 1;
        else if (outcome === "found") report.found += 1;
        else {
          if (outcome === "failed") report.failed += 1;
          else changed = true;
          break;
        }
        current = { ...current, postedThrough: date, lastFailure: null };
      }
    }
    if (changed) report.deferred += 1;
    return report;
  }

  /** The user's transactions of a date range, read strongly: what an occurrence may already be. */
  private async recordedBetween(owner: Owner, from: string, to: string): Promise<TransactionRecord[]> {
    const out: TransactionRecord[] = [];
    for await (const r of this.d.transactions.between(owner, from, to, true)) out.push(r);
    return out;
  }

  /**
   * One occurrence: linked to the transaction that is already it, or posted. "changed" when the
   * template or that transaction changed since they were read (or another process posted it): the
   * next run reads them again. `recorded` is kept as this run writes: what it links or posts is
   * marked as an occurrence there, so no later occurrence takes it too.
   */
  private async occurrence(
    owner: Owner,
    t: StoredRecurring,
    date: string,
    ctx: {
      recorded: TransactionRecord[];
      accounts: ReadonlyMap<string, StoredAccount>;
      categories: ReadonlyMap<string, Category>;
    },
  ): Promise<"posted" | "found" | "failed" | "changed"> {
    const link: RecurringLink = {
      recurringId: t.recurringId,
      date,
      matchTolerance: t.matchTolerance,
      matchWindowDays: t.matchWindowDays,
    };
    const merchant = normalizeTypedMerchant(t.merchant ?? t.name).key;
    const movements: RecordedMovement[] = ctx.recorded.map((r) => ({
      transactionId: r.transactionId,
      accountId: r.accountId,
      date: r.date,
      amount: r.amount,
      direction: accountFlow(r) < 0 ? -1 : 1,
      merchantKey: r.merchantKey ?? "",
      linked: r.recurring !== undefined,
    }));
    const hit = findRecorded(
      {
        date,
        amount: t.amount,
        accountId: t.accountId,
        direction: t.kind === "income" ? 1 : -1,
        toAccountId: t.kind === "transfer" ? t.toAccountId : null,
        merchantKey: merchant,
        tolerance: t.matchTolerance,
        windowDays: t.matchWindowDays,
      },
      movements,
    );
    try {
      if (hit) {
        const stored = ctx.recorded.find((r) => r.transactionId === hit.transactionId) as TransactionRecord;
        const after: TransactionRecord = {
          ...stored,
          recurring: link,
          version: stored.version + 1,
          updatedAt: new Date().toISOString(),
        };
        await commit(
          this.d.store,
          { owner, action: "recurring.found", entityId: t.recurringId, before: stored, after },
          [
            ...this.d.transactions.replaceOps(owner, stored, after),
            this.d.recurring.advanceOp(owner, t, date),
          ],
        );
        ctx.recorded.splice(ctx.recorded.indexOf(stored), 1, after);
        return "found";
      }
      const usable = t.categoryId && ctx.categories.get(t.categoryId)?.archived === false;
      const input: TransactionCreateParsed = {
        date,
        amount: t.amount,
        type: t.kind,
        accountId: t.accountId,
        ...(t.kind === "transfer" && t.toAccountId ? { toAccountId: t.toAccountId } : {}),
        // A category archived or gone since the template named it: rules and history choose.
        ...(usable ? { categoryId: t.categoryId } : {}),
        ...(t.merchant ? { merchant: t.merchant } : {}),
        description: t.name,
      };
      const legs = await this.d.service.createDerived(
        owner,
        input,
        {
          transactionId: occurrenceTransactionId(t.recurringId, date),
          pairId: occurrenceTransactionId(t.recurringId, date, "in"),
          recordedAt: Date.parse(`${date}T00:00:00Z`),
          recurring: link,
        },
        "recurring.post",
        [this.d.recurring.advanceOp(owner, t, date)],
        { categories: ctx.categories, accounts: ctx.accounts },
      );
      if (!legs) return "changed";
      ctx.recorded.push(...legs);
      return "posted";
    } catch (err) {
      if (isFailure(err, "conflict") || isFailure(err, "version-mismatch") || isContention(err))
        return "changed";
      if (!(err instanceof DomainError) || (err.failure !== "invalid" && err.failure !== "malformed"))
        throw err;
      await this.recordFailure(owner, t, date, err.detail);
      return "failed";
    }
  }

  /** Why the occurrence could not be posted, kept on the template (once, not at every run). */
  private async recordFailure(
    owner: Owner,
    t: StoredRecurring,
    date: string,
    message: string,
  ): Promise<void> {
    this.log(`recurring: ${ownerKey(owner)} ${t.recurringId} ${date}: ${message}`);
    if (t.lastFailure?.date === date && t.lastFailure.message === message) return;
    const failure = { date, message, at: new Date().toISOString() };
    try {
      await commit(
        this.d.store,
        { owner, action: "recurring.fail", entityId: t.recurringId, after: failure },
        [this.d.recurring.failureOp(owner, t, failure)],
      );
    } catch (err) {
      // Edited meanwhile: the edit may be the fix, and the next run tries with it.
      if (!isFailure(err, "conflict")) throw err;
    }
  }
}

/** An edit's catch-up found the user's lease held for longer than it waits. */
export const busy = () =>
  conflict(
    "Recurring bills or an import are being written for you right now; try again in a moment",
    "import-running",
    "An import is running",
  );
