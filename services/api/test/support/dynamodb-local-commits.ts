import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, createDynamoClient } from "../../src/db/client";

/**
 * DynamoDB Local answers a TransactWriteItems before its SQLite COMMIT has run: in the 2026-01-16
 * jar, `SQLiteDBAccess.commitTransaction` puts the COMMIT job on its one SQLite queue and returns
 * without waiting for it. A SIGKILL in that gap loses a transaction it has acknowledged, whole (the
 * last one, or the last few with several writers). `npm run bench:dynamodb-local-commits -w
 * @tyche/bench` shows it with no Tyche code in the write path: four writers of two-item
 * TransactWriteItems, DynamoDB Local SIGKILLed and restarted on its files, an acknowledged
 * transaction lost in 2 of 8 rounds, never one acknowledged before the barrier. Real DynamoDB acknowledges a write only once it is
 * durable in several zones, so a test of Tyche's durability must not count what DynamoDB Local
 * drops.
 *
 * The queue runs its jobs in order: once a read sent after an acknowledgement has been answered,
 * that write's COMMIT has run. So every write acknowledged before this barrier must survive a kill
 * that follows it; only those acknowledged between the barrier and the kill may be lost, and only
 * by DynamoDB Local.
 */
export async function dynamoDbLocalCommitBarrier(endpoint: string, table: string): Promise<void> {
  const client = createDynamoClient({ endpoint });
  try {
    await createDocumentClient(client).send(
      new GetCommand({
        TableName: table,
        Key: { PK: "COMMIT-BARRIER", SK: "COMMIT-BARRIER" },
        ConsistentRead: true,
      }),
    );
  } finally {
    client.destroy();
  }
}
