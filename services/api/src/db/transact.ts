import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { conflict, contention } from "../errors";
import { type AuditEntry, auditItem } from "./audit";
import type { Store } from "./store";

export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

export interface WriteOp {
  item: TransactItem;
  /** The error to answer with when this item's condition fails, e.g. not found or a stale version. */
  onConditionFailed?: () => Error;
}

/** DynamoDB allows 100 items in one transaction; the audit record takes one. */
export const MAX_OPS_PER_WRITE = 99;

const MAX_CONFLICT_RETRIES = 6;

/**
 * Writes the ops and the audit record as one DynamoDB transaction: either the change and its
 * record both land or neither does. A failed condition becomes the op's own error; a conflict
 * with a concurrent transaction is retried, after which the conditions decide.
 */
export async function writeAudited(
  db: DynamoDBDocumentClient,
  auditTable: string,
  audit: AuditEntry,
  ops: WriteOp[],
  now = new Date(),
): Promise<void> {
  if (ops.length > MAX_OPS_PER_WRITE) throw new Error(`${ops.length} ops do not fit one transaction`);
  const TransactItems: TransactItem[] = [
    ...ops.map((o) => o.item),
    { Put: { TableName: auditTable, Item: auditItem(audit, now) } },
  ];
  for (let attempt = 0; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems }));
      return;
    } catch (err) {
      if (!(err instanceof TransactionCanceledException)) throw err;
      const reasons = err.CancellationReasons ?? [];
      const failed = reasons.findIndex((r) => r.Code === "ConditionalCheckFailed");
      if (failed >= 0)
        throw ops[failed]?.onConditionFailed?.() ?? conflict("The change conflicts with the stored data");
      if (!reasons.some((r) => r.Code === "TransactionConflict")) throw err;
      if (attempt >= MAX_CONFLICT_RETRIES) throw contention();
      await new Promise((r) => setTimeout(r, 10 * 2 ** attempt + Math.random() * 20 * 2 ** attempt));
    }
  }
}

/**
 * One op on its own, outside a transaction, for bookkeeping that needs no audit record (a lease,
 * an idempotency claim, a use count); a failed condition becomes the op's own error, as above.
 */
export async function writeOne(db: DynamoDBDocumentClient, op: WriteOp): Promise<void> {
  const { Put, Update, Delete } = op.item;
  try {
    if (Put) await db.send(new PutCommand(Put));
    else if (Update) await db.send(new UpdateCommand(Update));
    else if (Delete) await db.send(new DeleteCommand(Delete));
    else throw new Error("writeOne takes a Put, an Update or a Delete");
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) {
      throw op.onConditionFailed?.() ?? conflict("The change conflicts with the stored data");
    }
    throw err;
  }
}

/** `writeAudited` on a store's own client and audit table: how services commit a change. */
export function commit(store: Store, audit: AuditEntry, ops: WriteOp[]): Promise<void> {
  return writeAudited(store.db, store.tables.auditLogs, audit, ops);
}
