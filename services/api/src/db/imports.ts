import { GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { ImportRecord } from "@tyche/types";
import { notFound } from "../http/problem";
import { keys, type Owner } from "./keys";
import type { Store } from "./store";

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

  async progress(
    owner: Owner,
    importId: string,
    written: number,
    imported: number,
    duplicates: number,
  ): Promise<void> {
    await this.store.db.send(
      new UpdateCommand({
        TableName: this.store.tables.transactionDetails,
        Key: keys.importRecord(owner, importId),
        UpdateExpression: "ADD #p :w, #c.#i :i, #c.#d :d",
        ExpressionAttributeNames: { "#p": "processed", "#c": "counts", "#i": "imported", "#d": "duplicates" },
        ExpressionAttributeValues: { ":w": written, ":i": imported, ":d": duplicates },
      }),
    );
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
