import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import { ImportRecord } from "@tyche/types";
import { z } from "zod";
import { conflict, DomainError, isFailure } from "../errors";
import { Entity } from "./entity";
import { keys, type Owner } from "./keys";
import type { Store } from "./store";
import { type WriteOp, writeOne } from "./transact";

/** Import records are kept 90 days: long enough to look back at, not forever. */
const TTL_SECONDS = 90 * 24 * 60 * 60;

/** One item per import (`IMPORT#<id>` in tyche-transaction-details), updated as chunks land. */
export class ImportRecordRepository {
  private readonly records: Entity<ImportRecord>;

  constructor(private readonly store: Store) {
    this.records = new Entity(store, {
      name: "import",
      table: "transactionDetails",
      schema: ImportRecord,
      key: (o, r) => keys.importRecord(o, r.importId),
      derived: () => ({ ttl: Math.floor(Date.now() / 1000) + TTL_SECONDS }),
    });
  }

  async create(owner: Owner, record: ImportRecord): Promise<void> {
    await writeOne(this.store.db, this.records.createOp(owner, record));
  }

  /**
   * Sets a running import's record anew, as its worker read the file (a queued import's counts
   * are redone from the worker's own reading); an import that has ended meanwhile is left alone.
   */
  async restart(owner: Owner, record: ImportRecord): Promise<void> {
    await writeOne(this.store.db, {
      item: {
        Put: {
          TableName: this.records.table,
          Item: this.records.item(owner, record),
          ConditionExpression: "#s = :running",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":running": "running" },
        },
      },
      onConditionFailed: () => conflict(`Import ${record.importId} has ended`, "import-ended"),
    });
  }

  /** Marks the import as taken back (its rows removed, its links undone). */
  async markUndone(owner: Owner, importId: string): Promise<void> {
    await writeOne(this.store.db, {
      item: {
        Update: {
          TableName: this.records.table,
          Key: keys.importRecord(owner, importId),
          UpdateExpression: "SET #s = :s, undoneAt = :at",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":s": "undone", ":at": new Date().toISOString() },
        },
      },
    });
  }

  /** Records how many rows are written so far, as one item of a chunk's own transaction. */
  progressOp(owner: Owner, importId: string, written: number): WriteOp {
    return {
      item: {
        Update: {
          TableName: this.records.table,
          Key: keys.importRecord(owner, importId),
          UpdateExpression: "SET #p = :w, #c.#i = :w",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeNames: { "#p": "processed", "#c": "counts", "#i": "imported" },
          ExpressionAttributeValues: { ":w": written },
        },
      },
      onConditionFailed: () => new Error(`import ${importId} has no record`),
    };
  }

  /**
   * Sets the outcome; only an import that has a record is finished, so finishing a lease that died
   * before its record was written creates nothing. Returns whether there was a record.
   */
  async finish(
    owner: Owner,
    importId: string,
    status: "completed" | "failed",
    failure: string | null,
    /** Rows written in all, when known. */
    written?: number,
  ): Promise<boolean> {
    const progress = written === undefined ? "" : ", #p = :w, #c.#i = :w";
    try {
      await writeOne(this.store.db, {
        item: {
          Update: {
            TableName: this.records.table,
            Key: keys.importRecord(owner, importId),
            UpdateExpression: `SET #s = :s, finishedAt = :at, failure = :f${progress}`,
            ConditionExpression: "attribute_exists(PK)",
            ExpressionAttributeNames: {
              "#s": "status",
              ...(written === undefined ? {} : { "#p": "processed", "#c": "counts", "#i": "imported" }),
            },
            ExpressionAttributeValues: {
              ":s": status,
              ":at": new Date().toISOString(),
              ":f": failure,
              ...(written === undefined ? {} : { ":w": written }),
            },
          },
        },
        onConditionFailed: () => conflict("no such import", "import-missing"),
      });
      return true;
    } catch (err) {
      if (isFailure(err, "conflict")) return false;
      throw err;
    }
  }

  async find(owner: Owner, importId: string): Promise<ImportRecord | undefined> {
    return this.records.latest(keys.importRecord(owner, importId));
  }
}

/** How long a lease lasts without being refreshed; its holder refreshes it four times as often. */
export const IMPORT_LEASE_MS = 30_000;

/**
 * A chunk whose totals and use counts were counted but whose rows may not all be written yet: the
 * span of sort keys its rows fill (a chunk is a run of the import's rows in key order, so no other
 * chunk of the import lies in it) and the use count it added to each category. That is what
 * checking and undoing it takes, in a few hundred bytes however many rows it has.
 */
const PendingChunk = z.object({
  low: z.string(),
  high: z.string(),
  uses: z.record(z.string(), z.number()),
  /** Each account's flow and count as counted for the chunk (see accountMoves). */
  accounts: z.record(z.string(), z.object({ net: z.number(), count: z.number() })).default({}),
});
export type PendingChunk = z.infer<typeof PendingChunk>;

const Lease = z.object({
  tenantId: z.string(),
  userId: z.string(),
  /** Who holds the lease now: an import, or a recovery of one. */
  holder: z.string(),
  /** The import whose rows are being written: the one to recover if the holder dies. */
  importId: z.string(),
  /** Months the import writes to: what to recount if it dies. */
  months: z.array(z.string()),
  pending: z.array(PendingChunk),
  expiresAt: z.number(),
});
export type Lease = z.infer<typeof Lease>;

/** How the recurring materialiser's holders begin: it takes the lease too, for a moment per user. */
export const RECURRING_HOLDER = "recurring-";

const importRunning = (detail: string) => conflict(detail, "import-running", "An import is running");

/** The holder no longer holds the lease: another process took it over, so it must stop writing. */
export class LeaseLost extends DomainError {
  constructor(holder: string) {
    super("conflict", `Import ${holder} lost its lease to another process`, {
      slug: "import-running",
      title: "An import is running",
    });
  }
}

/**
 * One import at a time per user. Rows are checked for duplicates and then written in batches, so
 * two imports of overlapping files at once could both write and count the same row; the lease
 * rules that out. Leases live in one partition of their own (`keys.importLease`), so a restarted
 * server finds every import that was cut off with one query.
 */
export class ImportLeases {
  constructor(private readonly store: Store) {}

  private get table() {
    return this.store.tables.transactionDetails;
  }

  /**
   * Takes the user's lease for `holder`, or answers 409 while another holder keeps it fresh. An
   * expired lease is taken over as it stands: its import, months and pending chunks are returned,
   * still recorded, for the new holder to recover before anything else.
   */
  async acquire(owner: Owner, holder: string, now = Date.now()): Promise<Lease | undefined> {
    const held = await this.find(owner);
    if (held && held.expiresAt > now && held.holder.startsWith(RECURRING_HOLDER)) {
      // The materialiser holds it for a moment while it posts the user's bills (recurring/).
      throw importRunning("Recurring bills are being posted for you right now; try again in a moment");
    }
    if (held && held.expiresAt > now) {
      throw importRunning(
        `Import ${held.importId} is still running; follow it at /v1/imports/${held.importId}`,
      );
    }
    await this.takeOver(owner, holder, held, now);
    return held;
  }

  /** Takes the lease from `seen` (expired, or left by a dead process) or from nobody; 409 if someone was quicker. */
  async takeOver(owner: Owner, holder: string, seen: Lease | undefined, now = Date.now()): Promise<void> {
    const lease: Lease = {
      tenantId: owner.tenantId,
      userId: owner.userId,
      holder,
      importId: seen?.importId ?? holder,
      months: seen?.months ?? [],
      pending: seen?.pending ?? [],
      expiresAt: now + IMPORT_LEASE_MS,
    };
    await writeOne(this.store.db, {
      item: {
        Put: {
          TableName: this.table,
          Item: { ...keys.importLease(owner), entity: "importLease", ...lease },
          ...(seen
            ? {
                ConditionExpression: "holder = :holder AND expiresAt = :seen",
                ExpressionAttributeValues: { ":holder": seen.holder, ":seen": seen.expiresAt },
              }
            : { ConditionExpression: "attribute_not_exists(PK)" }),
        },
      },
      onConditionFailed: () => importRunning("Another import just started"),
    });
  }

  /** The user's lease, strongly consistent, if an import holds (or held) it. */
  async find(owner: Owner): Promise<Lease | undefined> {
    const { Item } = await this.store.db.send(
      new GetCommand({ TableName: this.table, Key: keys.importLease(owner), ConsistentRead: true }),
    );
    return Item ? Lease.parse(Item) : undefined;
  }

  /** Every lease of every user: what a restarted server looks through for cut-off imports. */
  async all(): Promise<Lease[]> {
    const out: Lease[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.store.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "PK = :pk",
          ExpressionAttributeValues: { ":pk": keys.importLease({ tenantId: "", userId: "" }).PK },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) out.push(Lease.parse(item));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  /** Extends the lease (and sets what it records, if given); fails with LeaseLost if another took it. */
  refreshOp(
    owner: Owner,
    holder: string,
    record?: Partial<Pick<Lease, "importId" | "months" | "pending">>,
    /** How long it holds from now: longer only while a queued import waits for its worker. */
    ttlMs = IMPORT_LEASE_MS,
  ): WriteOp {
    const sets = ["expiresAt = :at"];
    const values: Record<string, unknown> = { ":at": Date.now() + ttlMs, ":holder": holder };
    for (const [name, value] of Object.entries(record ?? {})) {
      sets.push(`${name} = :${name}`);
      values[`:${name}`] = value;
    }
    return {
      item: {
        Update: {
          TableName: this.table,
          Key: keys.importLease(owner),
          UpdateExpression: `SET ${sets.join(", ")}`,
          ConditionExpression: "holder = :holder",
          ExpressionAttributeValues: values,
        },
      },
      onConditionFailed: () => new LeaseLost(holder),
    };
  }

  async refresh(
    owner: Owner,
    holder: string,
    record?: Partial<Pick<Lease, "importId" | "months" | "pending">>,
    ttlMs?: number,
  ): Promise<void> {
    await writeOne(this.store.db, this.refreshOp(owner, holder, record, ttlMs));
  }

  /** Lets go of the lease, unless another holder has taken it over meanwhile. */
  async release(owner: Owner, holder: string): Promise<void> {
    await writeOne(this.store.db, {
      item: {
        Delete: {
          TableName: this.table,
          Key: keys.importLease(owner),
          ConditionExpression: "holder = :holder",
          ExpressionAttributeValues: { ":holder": holder },
        },
      },
      onConditionFailed: () => new LeaseLost(holder),
    }).catch((err) => {
      if (!(err instanceof LeaseLost)) throw err;
    });
  }
}

/**
 * Keeps a lease fresh while its holder works (parsing, recovery and writing included), and tells the
 * holder to stop writing as soon as it cannot be sure it still holds it.
 */
export class LeaseKeeper {
  private timer: NodeJS.Timeout | undefined;
  private refreshedAt = Date.now();
  private lost: Error | undefined;

  constructor(
    private readonly leases: ImportLeases,
    private readonly owner: Owner,
    readonly holder: string,
  ) {
    this.timer = setInterval(() => void this.beat(), IMPORT_LEASE_MS / 4);
    this.timer.unref();
  }

  /** Marks a successful refresh that the caller made itself (a chunk's count carries one). */
  refreshed(): void {
    this.refreshedAt = Date.now();
  }

  /** Throws once the lease is lost, or too stale to be sure of: no write may follow then. */
  assertHeld(): void {
    if (this.lost) throw this.lost;
    if (Date.now() - this.refreshedAt > (IMPORT_LEASE_MS * 2) / 3) throw new LeaseLost(this.holder);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private async beat(): Promise<void> {
    try {
      await this.leases.refresh(this.owner, this.holder);
      this.refreshed();
    } catch (err) {
      this.lost = err instanceof Error ? err : new Error(String(err));
      this.stop();
    }
  }
}
