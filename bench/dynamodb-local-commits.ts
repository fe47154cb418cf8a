/**
 * `npm run bench:dynamodb-local-commits -w @tyche/bench`: whether DynamoDB Local keeps what it has
 * acknowledged when it is SIGKILLed, with no Tyche code in the write path. Writers send two-item
 * TransactWriteItems to a DynamoDB Local on files; it is killed mid-stream, restarted on its files,
 * and every acknowledged transaction is read back. Each round first takes a commit barrier (one
 * consistent read answered: services/api/src/local/dynamodb-local-commits.ts) and counts
 * separately what was acknowledged before it and after it. Exit 1 if one from before the barrier
 * is lost, or any transaction only by half.
 *
 * Env: BENCH_ROUNDS (default 8), BENCH_WRITERS (default 4).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { GetCommand, TransactWriteCommand } from "@aws-sdk/lib-dynamodb";
import { createDocumentClient, createDynamoClient } from "../services/api/src/db/client";
import { startDynamoDbLocal, waitForDynamo } from "../services/api/src/local/dynamodb-local";
import { dynamoDbLocalCommitBarrier } from "../services/api/src/local/dynamodb-local-commits";
import { positiveInt } from "./settings";

const ROUNDS = positiveInt("BENCH_ROUNDS", 8);
const WRITERS = positiveInt("BENCH_WRITERS", 4);
const TABLE = "commit-check";

const dir = mkdtempSync(join(tmpdir(), "tyche-ddbl-commits-"));
process.once("exit", () => rmSync(dir, { recursive: true, force: true }));

let lostBefore = 0;
let lostAfter = 0;
/** Transactions of which one item was kept and not the other: atomicity broken, whatever the barrier. */
let halves = 0;
let roundsLosing = 0;
console.log(
  `DynamoDB Local SIGKILLed mid-writes: ${ROUNDS} rounds, ${WRITERS} writers of 2-item transactions`,
);
for (let round = 1; round <= ROUNDS; round++) {
  const dbPath = join(dir, `round-${round}`);
  let dynamo = await startDynamoDbLocal({ dbPath });
  const port = Number(new URL(dynamo.endpoint).port);
  const client = createDynamoClient({ endpoint: dynamo.endpoint });
  await waitForDynamo(client);
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "PK", AttributeType: "S" },
        { AttributeName: "SK", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "PK", KeyType: "HASH" },
        { AttributeName: "SK", KeyType: "RANGE" },
      ],
    }),
  );
  const db = createDocumentClient(client);
  const acknowledged: string[] = [];
  let next = 0;
  let running = true;
  const writers = Array.from({ length: WRITERS }, async () => {
    while (running) {
      const id = `w${next++}`;
      try {
        await db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: TABLE,
                  Item: { PK: id, SK: "a" },
                  ConditionExpression: "attribute_not_exists(PK)",
                },
              },
              { Put: { TableName: TABLE, Item: { PK: id, SK: "b" } } },
            ],
          }),
        );
        acknowledged.push(id);
      } catch {
        running = false;
      }
    }
  });
  await sleep(1_500 + Math.random() * 1_000);
  const beforeBarrier = acknowledged.length;
  await dynamoDbLocalCommitBarrier(dynamo.endpoint, TABLE);
  process.kill(dynamo.pid as number, "SIGKILL");
  await dynamo.exited;
  await Promise.all(writers);
  client.destroy();

  dynamo = await startDynamoDbLocal({ dbPath, port });
  const reader = createDynamoClient({ endpoint: dynamo.endpoint });
  await waitForDynamo(reader);
  const read = createDocumentClient(reader);
  const lost: string[] = [];
  for (const [i, id] of acknowledged.entries()) {
    const items = await Promise.all(
      ["a", "b"].map((SK) =>
        read.send(new GetCommand({ TableName: TABLE, Key: { PK: id, SK }, ConsistentRead: true })),
      ),
    );
    if (items.some((h) => !h.Item)) {
      const half = items.some((h) => h.Item);
      if (half) halves += 1;
      lost.push(`${id}${half ? " (half!)" : ""}${i < beforeBarrier ? " before the barrier" : ""}`);
      if (i < beforeBarrier) lostBefore += 1;
      else lostAfter += 1;
    }
  }
  if (lost.length) roundsLosing += 1;
  console.log(
    `  round ${round}: ${acknowledged.length} acknowledged (${beforeBarrier} before the barrier), lost ${lost.length}${lost.length ? `: ${lost.join(", ")}` : ""}`,
  );
  reader.destroy();
  await dynamo.stop();
}
console.log(
  `acknowledged and then lost: ${lostBefore} before the barrier, ${lostAfter} after it, ${halves} by halves; rounds losing any: ${roundsLosing} of ${ROUNDS}`,
);
process.exit(lostBefore === 0 && halves === 0 ? 0 : 1);
