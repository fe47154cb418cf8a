import { type DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";
import { createDynamoClient } from "../db/client";

/**
 * DynamoDB Local answers a TransactWriteItems before its SQLite COMMIT has run: in the 2026-01-16
 * jar, `SQLiteDBAccess.commitTransaction` puts the COMMIT job on its one SQLite queue and returns
 * without waiting for it. A SIGKILL or even a SIGTERM in that gap loses a transaction it has
 * acknowledged, whole (the last one, or the last few with several writers). `npm run
 * bench:dynamodb-local-commits -w @tyche/bench` shows it with no Tyche code in the write path:
 * four writers of two-item TransactWriteItems, DynamoDB Local SIGKILLed and restarted on its
 * files, an acknowledged transaction lost in 2 of 8 rounds, never one acknowledged before this
 * barrier. Real DynamoDB acknowledges a write only once it is durable in several zones.
 *
 * The queue runs its jobs in order: once a read sent after an acknowledgement has been answered,
 * that write's COMMIT has run. So this resolves when everything acknowledged before the call is
 * on disk. Taken before DynamoDB Local is stopped, and by the fault tests before they kill it.
 */
export async function dynamoDbLocalCommitBarrier(to: DynamoDBClient | string, table: string): Promise<void> {
  const client = typeof to === "string" ? createDynamoClient({ endpoint: to }) : to;
  try {
    await client.send(
      new GetItemCommand({
        TableName: table,
        Key: { PK: { S: "COMMIT-BARRIER" }, SK: { S: "COMMIT-BARRIER" } },
        ConsistentRead: true,
      }),
    );
  } finally {
    if (typeof to === "string") client.destroy();
  }
}
