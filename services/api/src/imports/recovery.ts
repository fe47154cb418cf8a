import { accountMoves } from "@tyche/core";
import { ulid } from "ulid";
import { z } from "zod";
import type { AccountRepository } from "../db/accounts";
import { deleteAll, putAll } from "../db/batch";
import type { CategoryRepository, CategoryUse } from "../db/categories";
import {
  type ImportLeases,
  type ImportRecordRepository,
  type Lease,
  LeaseKeeper,
  type PendingChunk,
} from "../db/imports";
import { firstAccountId, type Owner, ownerKey, prefixes } from "../db/keys";
import type { MonthTotalsRepository } from "../db/month-totals";
import { queryRange } from "../db/query";
import type { Store } from "../db/store";
import { commit } from "../db/transact";
import type { TransactionRepository } from "../db/transactions";
import { namedCategories } from "../domain/transactions";
import { isFailure } from "../errors";
import { log } from "../log";

export interface RecoveryDeps {
  store: Store;
  transactions: TransactionRepository;
  categories: CategoryRepository;
  accounts: AccountRepository;
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
 * writes the chunk's rows, and records the chunk on its lease as pending. So after a crash, the
 * lease tells exactly which chunks were counted but may not have landed: the use counts of rows
 * that did not land are taken back, rows that did get their id pointer (a row may land without
 * it, or a pointer without its row), and the months are recounted from their rows as a last word
 * on the totals.
 */
export class ImportRecovery {
  constructor(private readonly d: RecoveryDeps) {}

  /** Repairs `lease`'s import, as the lease's holder `keeper`. Idempotent: a repair cut off is run again. */
  async repair(
    owner: Owner,
    lease: Pick<Lease, "importId" | "months" | "pending">,
    keeper: LeaseKeeper,
    /** What the import's record will say went wrong. */
    failure = INTERRUPTED,
  ) {
    for (const [i, chunk] of lease.pending.entries()) {
      await this.settleChunk(owner, lease.importId, chunk, lease.pending.slice(i + 1), keeper);
    }
    for (const month of lease.months) {
      keeper.assertHeld();
      await this.d.totals.recompute(owner, month);
    }
    await this.d.records.finish(owner, lease.importId, "failed", failure);
    keeper.assertHeld();
    await this.d.leases.refresh(owner, keeper.holder, { importId: keeper.holder, months: [], pending: [] });
    keeper.refreshed();
  }

  /**
   * Checks one counted chunk against what landed. Its use-count corrections and its removal from
   * the lease's pending list are one transaction, so a repair cut off midway runs again from the
   * chunks still listed and never takes a count back twice.
   */
  private async settleChunk(
    owner: Owner,
    importId: string,
    chunk: PendingChunk,
    rest: PendingChunk[],
    keeper: LeaseKeeper,
  ) {
    const table = this.d.store.tables.transactionDetails;
    keeper.assertHeld();
    const rows: z.infer<typeof LandedRow>[] = [];
    for await (const row of queryRange(this.d.store.db, {
      table,
      pk: ownerKey(owner),
      low: chunk.low,
      high: chunk.high,
      projection: "PK, SK, importId, categoryId, splits, accountId, amount, #type, transfer",
      names: { "#type": "type" },
      consistent: true,
    })) {
      rows.push(LandedRow.parse(row));
    }
    // Rows in the span that this import wrote; others (entered by hand, earlier imports) stay as they are.
    const mine = rows
      .filter((r) => r.importId === importId)
      .map((r) => ({ ...r, accountId: r.accountId ?? firstAccountId(r.PK) }));
    const notLanded = new Map<string, number>(Object.entries(chunk.uses));
    for (const r of mine) {
      for (const id of namedCategories(r).keys()) notLanded.set(id, (notLanded.get(id) ?? 0) - 1);
    }
    // A row may have landed without its pointer, or a pointer without its row.
    await putAll(
      this.d.store.db,
      table,
      mine.map((r) => this.d.transactions.pointerItem(owner, r.SK)),
    );
    const existing = new Set(rows.map((r) => String(r.SK)));
    const dangling: Record<string, unknown>[] = [];
    for await (const pointer of queryRange(this.d.store.db, {
      table,
      pk: ownerKey(owner),
      low: `${prefixes.transactionPointer}${idOf(chunk.low)}`,
      high: `${prefixes.transactionPointer}${idOf(chunk.high)}`,
      projection: "SK, sk",
      consistent: true,
    })) {
      const sk = String(pointer.sk);
      if (sk >= chunk.low && sk <= chunk.high && !existing.has(sk)) {
        dangling.push({ PK: ownerKey(owner), SK: pointer.SK });
      }
    }
    await deleteAll(this.d.store.db, table, dangling);
    // Balances were moved for the whole chunk: what did not land is moved back.
    const landed = new Map(accountMoves([], mine).map((m) => [m.accountId, m]));
    const balances = Object.entries(chunk.accounts)
      .map(([accountId, counted]) => ({
        accountId,
        net: -(counted.net - (landed.get(accountId)?.net ?? 0)),
        count: -(counted.count - (landed.get(accountId)?.count ?? 0)),
        path: "file",
      }))
      .filter((m) => m.net !== 0 || m.count !== 0);
    const uses: CategoryUse[] = [...notLanded]
      .filter(([, missing]) => missing > 0)
      .map(([categoryId, missing]) => ({ categoryId, delta: -missing, fresh: false, path: "file" }));
    keeper.assertHeld();
    // A chunk names at most CATEGORIES_PER_CHUNK categories, so this fits one transaction.
    await commit(
      this.d.store,
      { owner, action: "import.recover", entityId: importId, after: { chunk, landed: mine.length } },
      [
        ...this.d.categories.useOps(owner, uses),
        ...this.d.accounts.moveOps(owner, balances),
        this.d.leases.refreshOp(owner, keeper.holder, { pending: rest }),
      ],
    );
    keeper.refreshed();
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
    const say = opts.log ?? ((m: string) => log().warn(m));
    let recovered = 0;
    let failed = 0;
    const now = Date.now();
    for (const lease of await this.d.leases.all()) {
      const owner = { tenantId: lease.tenantId, userId: lease.userId };
      if (!opts.embedded && lease.expiresAt > now) {
        this.recheckAt(owner, lease.expiresAt, say);
        continue;
      }
      const outcome = await this.recoverOne(owner, lease, say);
      if (outcome === "recovered") recovered++;
      if (outcome === "failed") failed++;
    }
    return { recovered, failed };
  }

  /**
   * Looks at the user's lease again once it would expire: repaired if it did, looked at again if
   * its holder kept it fresh, left alone once it is gone (its import ended).
   */
  private recheckAt(owner: Owner, expiresAt: number, say: (message: string) => void): void {
    const timer = setTimeout(
      async () => {
        try {
          const lease = await this.d.leases.find(owner);
          if (!lease) return;
          if (lease.expiresAt > Date.now()) this.recheckAt(owner, lease.expiresAt, say);
          else await this.recoverOne(owner, lease, say);
        } catch (err) {
          say(`Could not look at the import lease of ${ownerKey(owner)}: ${String(err)}`);
        }
      },
      expiresAt - Date.now() + 1_000,
    );
    timer.unref();
  }

  /** Takes over `lease` (as it was read, expired) and repairs its import; errors are logged and counted. */
  async recoverOne(
    owner: Owner,
    lease: Lease,
    say: (message: string) => void = (m) => log().warn(m),
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
      say(
        `Recovered import ${lease.importId} of ${ownerKey(owner)}: ${lease.months.length} months recounted`,
      );
      return "recovered";
    } catch (err) {
      say(`Could not recover import ${lease.importId} of ${ownerKey(owner)}: ${String(err)}`);
      return "failed";
    } finally {
      keeper.stop();
    }
  }
}

/** A transaction's id: the last part of its sort key. */
const idOf = (sk: string) => sk.slice(sk.lastIndexOf("#") + 1);

/** What a span query projects of each row: enough to tell whose it is and what it names. */
const LandedRow = z.object({
  PK: z.string(),
  SK: z.string(),
  accountId: z.string().optional(),
  amount: z.number(),
  type: z.enum(["expense", "income", "refund", "transfer"]),
  transfer: z
    .object({ direction: z.enum(["out", "in"]) })
    .nullable()
    .default(null),
  importId: z.string().nullable().optional(),
  categoryId: z.string().nullable().default(null),
  splits: z
    .array(z.object({ categoryId: z.string() }))
    .nullable()
    .default(null),
});
