import { ulid } from "ulid";
import { batchGet, deleteBatch, mapLimit, putBatch } from "../db/batch";
import type { CategoryRepository, CategoryUse } from "../db/categories";
import {
  type ImportLeases,
  type ImportRecordRepository,
  type Lease,
  LeaseKeeper,
  type PendingRow,
} from "../db/imports";
import { keys, type Owner, ownerKey } from "../db/keys";
import type { MonthTotalsRepository } from "../db/month-totals";
import type { Store } from "../db/store";
import { commit, MAX_OPS_PER_WRITE } from "../db/transact";
import type { TransactionRepository } from "../db/transactions";
import { isFailure } from "../errors";

export interface RecoveryDeps {
  store: Store;
  transactions: TransactionRepository;
  categories: CategoryRepository;
  totals: MonthTotalsRepository;
  records: ImportRecordRepository;
  leases: ImportLeases;
}

export const INTERRUPTED =
  "Interrupted; its months were recounted from the rows it wrote. Import the same file again to add the rest.";

/**
 * Repairs what an import left when it stopped midway (its process killed, its lease expired).
 *
 * An import counts each chunk (month totals, category use counts) in one transaction before it
 * writes the chunk's rows, and records those rows on its lease as pending. So after a crash, the
 * lease tells exactly which rows were counted but may not have landed: those that did not are
 * uncounted, those that did get their id pointer (a row may land without it), and the months are
 * recounted from their rows as a last word on the totals.
 */
export class ImportRecovery {
  constructor(private readonly d: RecoveryDeps) {}

  /** Repairs `lease`'s import, as the lease's holder `keeper`. Idempotent: a repair cut off is run again. */
  async repair(owner: Owner, lease: Pick<Lease, "importId" | "months" | "pending">, keeper: LeaseKeeper) {
    if (lease.pending.length) await this.settlePending(owner, lease.importId, lease.pending, keeper);
    for (const month of lease.months) {
      keeper.assertHeld();
      await this.d.totals.recompute(owner, month);
    }
    await this.d.records.finish(owner, lease.importId, "failed", INTERRUPTED);
    keeper.assertHeld();
    await this.d.leases.refresh(owner, keeper.holder, { importId: keeper.holder, months: [], pending: [] });
    keeper.refreshed();
  }

  private async settlePending(owner: Owner, importId: string, pending: PendingRow[], keeper: LeaseKeeper) {
    const table = this.d.store.tables.transactionDetails;
    const landed = new Set(
      (
        await batchGet(
          this.d.store.db,
          table,
          pending.map(([sk]) => ({ PK: ownerKey(owner), SK: sk })),
          "SK",
          true,
        )
      ).map((i) => String(i.SK)),
    );
    const [present, missing] = [
      pending.filter(([sk]) => landed.has(sk)),
      pending.filter(([sk]) => !landed.has(sk)),
    ];
    const chunks = <T>(list: T[], n: number) =>
      Array.from({ length: Math.ceil(list.length / n) }, (_, i) => list.slice(i * n, i * n + n));
    keeper.assertHeld();
    await mapLimit(chunks(present, 25), 8, (rows) =>
      putBatch(
        this.d.store.db,
        table,
        rows.map(([sk]) => this.d.transactions.pointerItem(owner, sk)),
      ),
    );
    await mapLimit(chunks(missing, 25), 8, (rows) =>
      deleteBatch(
        this.d.store.db,
        table,
        rows.map(([sk]) => keys.transactionPointer(owner, sk.slice(sk.lastIndexOf("#") + 1))),
      ),
    );
    const uncount = new Map<string, number>();
    for (const [, ...categoryIds] of missing) {
      for (const id of categoryIds) uncount.set(id, (uncount.get(id) ?? 0) - 1);
    }
    const uses: CategoryUse[] = [...uncount].map(([categoryId, delta]) => ({
      categoryId,
      delta,
      fresh: false,
      path: "file",
    }));
    // Use counts and the lease's pending list change together, so a repair cut off here runs again
    // from the same list and never uncounts a row twice.
    const batches = uses.length ? chunks(uses, MAX_OPS_PER_WRITE - 1) : [[]];
    for (const [i, batch] of batches.entries()) {
      keeper.assertHeld();
      const last = i === batches.length - 1;
      await commit(
        this.d.store,
        {
          owner,
          action: "import.recover",
          entityId: importId,
          after: { uncounted: missing.map(([sk]) => sk), pointed: present.length },
        },
        [
          ...this.d.categories.useOps(owner, batch),
          ...(last ? [this.d.leases.refreshOp(owner, keeper.holder, { pending: [] })] : []),
        ],
      );
      keeper.refreshed();
    }
  }

  /**
   * Looks through every lease for imports cut off by a stopped process and repairs them. `embedded`:
   * this process spawned its own DynamoDB Local, so no other process can be writing, and every lease
   * found belongs to a dead one. Otherwise a lease still fresh may be another live server's: it is
   * looked at again once it would have expired. Failures are reported, not swallowed.
   */
  async recoverAll(opts: { embedded: boolean; log?: (message: string) => void }): Promise<{
    recovered: number;
    failed: number;
  }> {
    const log = opts.log ?? ((m: string) => console.error(m));
    let recovered = 0;
    let failed = 0;
    const now = Date.now();
    for (const lease of await this.d.leases.all()) {
      const owner = { tenantId: lease.tenantId, userId: lease.userId };
      if (!opts.embedded && lease.expiresAt > now) {
        const later = setTimeout(
          () => void this.recoverOne(owner, lease, log),
          lease.expiresAt - now + 1_000,
        );
        later.unref();
        continue;
      }
      const outcome = await this.recoverOne(owner, lease, log);
      if (outcome === "recovered") recovered++;
      if (outcome === "failed") failed++;
    }
    return { recovered, failed };
  }

  private async recoverOne(
    owner: Owner,
    lease: Lease,
    log: (message: string) => void,
  ): Promise<"recovered" | "failed" | "skipped"> {
    const holder = `recovery-${ulid()}`;
    try {
      await this.d.leases.takeOver(owner, holder, lease);
    } catch (err) {
      // Refreshed or taken over meanwhile: its holder is alive, or someone else is repairing it.
      if (isFailure(err, "conflict")) return "skipped";
      throw err;
    }
    const keeper = new LeaseKeeper(this.d.leases, owner, holder);
    try {
      await this.repair(owner, lease, keeper);
      await this.d.leases.release(owner, holder);
      log(
        `Recovered import ${lease.importId} of ${ownerKey(owner)}: ${lease.months.length} months recounted`,
      );
      return "recovered";
    } catch (err) {
      log(`Could not recover import ${lease.importId} of ${ownerKey(owner)}: ${String(err)}`);
      return "failed";
    } finally {
      keeper.stop();
    }
  }
}
