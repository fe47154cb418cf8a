import { ledgerDeltas, mergeDeltas } from "@tyche/core";
import type { ImportRecord } from "@tyche/types";
import type { RefreshHold } from "../analytics/refresh-queue";
import type { AccountRepository, StoredAccount } from "../db/accounts";
import { mapLimit } from "../db/batch";
import type { CategoryRepository, CategoryUse } from "../db/categories";
import { type ImportLeases, type ImportRecordRepository, LeaseKeeper } from "../db/imports";
import type { Owner } from "../db/keys";
import type { MerchantRepository } from "../db/merchants";
import { totalsDeltaOp } from "../db/month-totals";
import type { Store } from "../db/store";
import { commit, type WriteOp, writeOne } from "../db/transact";
import type { TransactionRecord, TransactionRepository } from "../db/transactions";
import { accountMoveOps, categoryUses, ledgerOps } from "../domain/transactions";
import { conflict, isFailure, notFound } from "../errors";
import { unlinked, withOtherLeg } from "./reconcile-import";
import type { ImportRecovery } from "./recovery";

export interface UndoDeps {
  store: Store;
  transactions: TransactionRepository;
  categories: CategoryRepository;
  accounts: AccountRepository;
  merchants: MerchantRepository;
  records: ImportRecordRepository;
  leases: ImportLeases;
  recovery: ImportRecovery;
  /** Where months changed are refreshed: held while the undo runs, so each is computed once. */
  refresh?: RefreshHold;
}

/**
 * Rows removed per transaction: each is its item and its id pointer (and a split's parts), beside
 * one month's totals, the accounts, the categories named and the audit record.
 */
const ROWS_PER_WRITE = 25;
/** Passes over the import's months: each removes what it finds; edits made meanwhile need another. */
const MAX_PASSES = 10;

/**
 * Takes an import back: removes the rows it added and unlinks the transactions it matched, chunk by
 * chunk, each chunk in one audited transaction with the month totals, account balances and
 * category use counts it moves, so the books are exact after every chunk. Holds the user's import
 * lease meanwhile, so no import runs beside it. Cut off midway, running it again finishes it.
 */
export class ImportUndo {
  constructor(private readonly d: UndoDeps) {}

  async undo(owner: Owner, importId: string): Promise<ImportRecord> {
    const record = await this.d.records.find(owner, importId);
    if (!record) throw notFound("Import");
    if (record.status === "undone") return record;
    if (record.status === "running") {
      throw conflict(
        `Import ${importId} is still running; undo it once it has finished`,
        "import-running",
        "An import is running",
      );
    }
    const release = this.d.refresh?.hold(owner);
    try {
      return await this.undoHeld(owner, importId, record);
    } finally {
      release?.();
    }
  }

  private async undoHeld(owner: Owner, importId: string, record: ImportRecord): Promise<ImportRecord> {
    const holder = `undo-${importId}`;
    const dead = await this.d.leases.acquire(owner, holder);
    const keeper = new LeaseKeeper(this.d.leases, owner, holder);
    try {
      if (dead) await this.d.recovery.repair(owner, dead, keeper);
      for (let pass = 0; ; pass++) {
        const { rows, links } = await this.find(owner, importId, record.months);
        if (!rows.length && !links.length) break;
        if (pass >= MAX_PASSES)
          throw conflict("The import's transactions kept changing while it was undone; try again");
        await this.remove(owner, importId, rows, links, keeper);
      }
      await this.d.records.markUndone(owner, importId);
    } finally {
      keeper.stop();
      await this.d.leases.release(owner, holder);
    }
    return (await this.d.records.find(owner, importId)) ?? record;
  }

  /** What the import added, and what it linked, in the months it touched (read strongly). */
  private async find(owner: Owner, importId: string, months: readonly string[]) {
    const rows: TransactionRecord[] = [];
    const links: TransactionRecord[] = [];
    for (const month of months) {
      for await (const r of this.d.transactions.between(owner, `${month}-01`, `${month}-31`, true)) {
        if (r.importId === importId) rows.push(r);
        else if (r.importLink?.importId === importId) links.push(r);
      }
    }
    return { rows, links };
  }

  private async remove(
    owner: Owner,
    importId: string,
    rows: TransactionRecord[],
    links: TransactionRecord[],
    keeper: LeaseKeeper,
  ): Promise<void> {
    // Removing rows assumes nothing of their accounts: no expectations to check.
    const accounts = new Map<string, StoredAccount>();
    const byMonth = new Map<string, TransactionRecord[]>();
    for (const r of rows) {
      const month = byMonth.get(r.date.slice(0, 7));
      if (month) month.push(r);
      else byMonth.set(r.date.slice(0, 7), [r]);
    }
    const chunks = [...byMonth.values()].flatMap((month) => {
      const out: TransactionRecord[][] = [];
      for (let i = 0; i < month.length; i += ROWS_PER_WRITE) out.push(month.slice(i, i + ROWS_PER_WRITE));
      return out;
    });
    for (const chunk of chunks) {
      keeper.assertHeld();
      const ops: WriteOp[] = [
        ...chunk.flatMap((r) => this.d.transactions.deleteOps(owner, r)),
        ...mergeDeltas(chunk.flatMap((r) => ledgerDeltas(r, undefined))).map((d) =>
          totalsDeltaOp(this.d.store, owner, d),
        ),
        ...this.d.accounts.moveOps(owner, accountMoveOps(chunk, [], accounts)),
        ...this.d.categories.useOps(owner, usesGone(chunk)),
      ];
      await this.attempt(() =>
        commit(
          this.d.store,
          { owner, action: "import.undo", entityId: importId, after: { removed: chunk.length } },
          ops,
        ),
      );
      keeper.refreshed();
      await this.uncountMerchants(owner, chunk);
    }
    // A recurring bill that took the bank's amount gets its own back, with what that moves.
    const reamounted = links.filter((r) => (r.importLink?.previous.amount ?? r.amount) !== r.amount);
    for (const r of reamounted) {
      keeper.assertHeld();
      await this.attempt(() => this.restoreAmount(owner, importId, r));
    }
    const plain = links.filter((r) => !reamounted.includes(r));
    for (let i = 0; i < plain.length; i += ROWS_PER_WRITE) {
      keeper.assertHeld();
      const group = plain.slice(i, i + ROWS_PER_WRITE);
      await this.attempt(() =>
        commit(
          this.d.store,
          {
            owner,
            action: "import.unlink",
            entityId: importId,
            after: { unlinked: group.map((r) => r.transactionId) },
          },
          group.flatMap((r) => this.d.transactions.replaceOps(owner, r, unlinked(r))),
        ),
      );
    }
  }

  /** Unlinks a recurring bill the import gave the bank's amount, and a transfer's other leg with it. */
  private async restoreAmount(owner: Owner, importId: string, r: TransactionRecord): Promise<void> {
    const { befores, afters } = await withOtherLeg(
      (id) => this.d.transactions.find(owner, id),
      r,
      unlinked(r),
    );
    await commit(
      this.d.store,
      { owner, action: "import.unlink", entityId: importId, after: { unlinked: [r.transactionId] } },
      [
        ...afters.flatMap((a, i) =>
          this.d.transactions.replaceOps(owner, befores[i] as TransactionRecord, a),
        ),
        // Putting rows back assumes nothing of their accounts, as removing them does.
        ...ledgerOps(this.d.store, this.d.accounts, owner, befores, afters, new Map()),
      ],
    );
  }

  /** A chunk that lost a race with an edit is left for the next pass, which reads it again. */
  private async attempt(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (err) {
      if (!isFailure(err, "version-mismatch") && !isFailure(err, "conflict")) throw err;
    }
  }

  /** Merchant counts rank autocomplete only: like an import's, they follow the rows. */
  private async uncountMerchants(owner: Owner, rows: readonly TransactionRecord[]): Promise<void> {
    const uses = new Map<string, { name: string; delta: number }>();
    for (const r of rows) {
      if (!r.merchantKey || r.transfer?.direction === "in") continue;
      const u = uses.get(r.merchantKey) ?? { name: r.merchant ?? "", delta: 0 };
      u.delta -= 1;
      uses.set(r.merchantKey, u);
    }
    await mapLimit([...uses], 8, async ([key, u]) => {
      await writeOne(this.d.store.db, this.d.merchants.useOp(owner, { key, ...u }));
    });
  }
}

/** Each removed row lets go of the categories it named: one use each, summed per category. */
function usesGone(rows: readonly TransactionRecord[]): CategoryUse[] {
  const byCategory = new Map<string, CategoryUse>();
  for (const u of rows.flatMap((r) => categoryUses([r], []))) {
    const seen = byCategory.get(u.categoryId);
    byCategory.set(u.categoryId, seen ? { ...seen, delta: seen.delta + u.delta } : u);
  }
  return [...byCategory.values()];
}
