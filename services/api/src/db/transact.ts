import { ConditionalCheckFailedException, TransactionCanceledException } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from "@aws-sdk/lib-dynamodb";
import { conflict } from "../http/problem";
import { type AuditEntry, auditItem } from "./audit";

export type TransactItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

export interface WriteOp {
  item: TransactItem;
  /** The error to answer with when this item's condition fails, e.g. 404 or 412. */
  onConditionFailed?: () => Error;
}

const MAX_CONFLICT_RETRIES = 4;

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
      const retriable = reasons.some((r) => r.Code === "TransactionConflict");
      if (!retriable || attempt >= MAX_CONFLICT_RETRIES) throw err;
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt + Math.random() * 20));
    }
  }
}

/**
 * One op on its own, outside a transaction, for bookkeeping that needs no audit record (a lock,
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
