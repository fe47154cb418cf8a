import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { ImportRecord } from "@tyche/types";
import { notFound, ProblemError } from "../http/problem";
import { keys, type Owner } from "./keys";
import type { Store } from "./store";
import { type WriteOp, writeOne } from "./transact";

/** Import records are kept 90 days: long enough to look back at, not forever. */
const TTL_SECONDS = 90 * 24 * 60 * 60;

/** One item per import (`IMPORT#<id>` in tyche-transaction-details), updated as chunks land. */
export class ImportRecordRepository {
  constructor(private readonly store: Store) {}

  async create(owner: Owner, record: ImportRecord): Promise<void> {
    await this.store.db.send(
      new PutCommand({
        TableName: this.store.tables.transactionDetails,
        Item: {
          ...keys.importRecord(owner, record.importId),
          entity: "import",
          ...record,
          ttl: Math.floor(Date.now() / 1000) + TTL_SECONDS,
        },
      }),
    );
  }

  /** Advances the record's progress, as one item of the chunk's own transaction. */
  progressOp(owner: Owner, importId: string, written: number, imported: number, duplicates: number): WriteOp {
    return {
      item: {
        Update: {
          TableName: this.store.tables.transactionDetails,
          Key: keys.importRecord(owner, importId),
          UpdateExpression: "ADD #p :w, #c.#i :i, #c.#d :d",
          ExpressionAttributeNames: {
            "#p": "processed",
            "#c": "counts",
            "#i": "imported",
            "#d": "duplicates",
          },
          ExpressionAttributeValues: { ":w": written, ":i": imported, ":d": duplicates },
        },
      },
    };
  }

  async finish(
    owner: Owner,
    importId: string,
    status: "completed" | "failed",
    failure: string | null,
  ): Promise<void> {
    await this.store.db.send(
      new UpdateCommand({
        TableName: this.store.tables.transactionDetails,
        Key: keys.importRecord(owner, importId),
        UpdateExpression: "SET #s = :s, finishedAt = :at, failure = :f",
        ExpressionAttributeNames: { "#s": "status" },
        ExpressionAttributeValues: { ":s": status, ":at": new Date().toISOString(), ":f": failure },
      }),
    );
  }

  async require(owner: Owner, importId: string): Promise<ImportRecord> {
    const { Item } = await this.store.db.send(
      new GetCommand({
        TableName: this.store.tables.transactionDetails,
        Key: keys.importRecord(owner, importId),
        ConsistentRead: true,
      }),
    );
    if (!Item) throw notFound("Import");
    const { PK: _p, SK: _s, entity: _e, ttl: _t, ...record } = Item;
    return record as ImportRecord;
  }
}

/** How long an import may go without progress before its lock counts as abandoned. */
export const IMPORT_LOCK_SECONDS = 120;

export interface HeldLock {
  importId: string;
  /** Months the import writes to; what to recount if it dies midway. */
  months: string[];
  expiresAt: number;
}

/**
 * One import at a time per user. Rows are checked for duplicates and then written in batches, so two
 * imports of overlapping files at once could both write and count the same row; the lock rules that
 * out. A lock whose holder stopped refreshing it is taken over, and its months are recounted.
 */
export class ImportLock {
  constructor(private readonly store: Store) {}

  /** Takes the lock, or answers 409; returns the abandoned lock it replaced, if any. */
  async acquire(owner: Owner, importId: string): Promise<HeldLock | undefined> {
    const { Item } = await this.store.db.send(
      new GetCommand({
        TableName: this.store.tables.transactionDetails,
        Key: keys.importLock(owner),
        ConsistentRead: true,
      }),
    );
    const now = Date.now();
    const held = Item as unknown as HeldLock | undefined;
    if (held && held.expiresAt > now) {
      throw importRunning(
        `Import ${held.importId} is still running; follow it at /v1/imports/${held.importId}`,
      );
    }
    await writeOne(this.store.db, {
      item: {
        Put: {
          TableName: this.store.tables.transactionDetails,
          Item: {
            ...keys.importLock(owner),
            entity: "importLock",
            importId,
            months: [],
            expiresAt: now + IMPORT_LOCK_SECONDS * 1000,
            ttl: Math.floor(now / 1000) + 7 * 24 * 3600,
          },
          ...(held
            ? {
                ConditionExpression: "expiresAt = :seen",
                ExpressionAttributeValues: { ":seen": held.expiresAt },
              }
            : { ConditionExpression: "attribute_not_exists(PK)" }),
        },
      },
      onConditionFailed: () => importRunning("Another import just started"),
    });
    return held;
  }

  /** Extends the lock and records the months being written; fails if another import took it over. */
  refreshOp(owner: Owner, importId: string, months: readonly string[]): WriteOp {
    return {
      item: {
        Update: {
          TableName: this.store.tables.transactionDetails,
          Key: keys.importLock(owner),
          UpdateExpression: "SET expiresAt = :at, months = :months",
          ConditionExpression: "importId = :id",
          ExpressionAttributeValues: {
            ":at": Date.now() + IMPORT_LOCK_SECONDS * 1000,
            ":months": [...months],
            ":id": importId,
          },
        },
      },
      onConditionFailed: () => importRunning("This import lost its lock to another"),
    };
  }

  async refresh(owner: Owner, importId: string, months: readonly string[]): Promise<void> {
    await writeOne(this.store.db, this.refreshOp(owner, importId, months));
  }

  /** Lets go of the lock, unless another import has taken it over meanwhile. */
  async release(owner: Owner, importId: string): Promise<void> {
    await writeOne(this.store.db, {
      item: {
        Delete: {
          TableName: this.store.tables.transactionDetails,
          Key: keys.importLock(owner),
          ConditionExpression: "importId = :id",
          ExpressionAttributeValues: { ":id": importId },
        },
      },
      onConditionFailed: () => new LockTakenOver(),
    }).catch((err) => {
      if (!(err instanceof LockTakenOver)) throw err;
    });
  }
}

class LockTakenOver extends Error {}

const importRunning = (detail: string) =>
  new ProblemError(409, "import-running", "An import is running", detail);
