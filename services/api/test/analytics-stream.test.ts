import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createAnalyticsStreamHandler } from "../src/analytics/stream-handler";
import { AnalyticsRepository } from "../src/db/analytics";
import { type Owner, ownerKey } from "../src/db/keys";
import { log } from "../src/log";
import { createAnalytics } from "../src/services";
import { type Account, type Harness, harness, signup } from "./support/harness";

let h: Harness;
let streams: DynamoDBStreamsClient;

beforeAll(() => {
  h = harness();
  streams = new DynamoDBStreamsClient({
    endpoint: inject("dynamoEndpoint"),
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
});
afterAll(async () => {
  streams.destroy();
  await h.close();
});

/** Iterators at the tip of every open shard of the budgets table's stream: what is written next. */
async function tail(): Promise<string[]> {
  const table = await h.store.db.send(new DescribeTableCommand({ TableName: h.store.tables.budgets }));
  const StreamArn = table.Table?.LatestStreamArn;
  if (!StreamArn) throw new Error("the budgets table has no stream");
  const iterators: string[] = [];
  let start: string | undefined;
  do {
    const { StreamDescription } = await streams.send(
      new DescribeStreamCommand({ StreamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }),
    );
    for (const shard of StreamDescription?.Shards ?? []) {
      if (shard.SequenceNumberRange?.EndingSequenceNumber) continue;
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({ StreamArn, ShardId: shard.ShardId, ShardIteratorType: "LATEST" }),
      );
      if (ShardIterator) iterators.push(ShardIterator);
    }
    start = StreamDescription?.LastEvaluatedShardId;
  } while (start);
  return iterators;
}

/** The stream as Lambda hands it over: the same fields, the creation time in epoch seconds. */
const asLambda = (r: StreamRecord): DynamoDBRecord =>
  ({
    ...r,
    dynamodb: {
      ...r.dynamodb,
      ApproximateCreationDateTime: r.dynamodb?.ApproximateCreationDateTime
        ? r.dynamodb.ApproximateCreationDateTime.getTime() / 1000
        : undefined,
    },
  }) as DynamoDBRecord;

/**
 * Reads the stream from `iterators` until `done` holds for the owner's records (other tests write to
 * the same tables meanwhile; only this owner's records are kept).
 */
async function readOwn(iterators: string[], owner: Owner, done: (r: DynamoDBRecord[]) => boolean) {
  const mine: DynamoDBRecord[] = [];
  const until = Date.now() + 20_000;
  let open = [...iterators];
  while (!done(mine)) {
    if (Date.now() > until)
      throw new Error(`stream records not seen: ${JSON.stringify(mine.map((r) => r.dynamodb?.Keys))}`);
    const next: string[] = [];
    for (const ShardIterator of open) {
      const page = await streams.send(new GetRecordsCommand({ ShardIterator }));
      for (const r of page.Records ?? [])
        if (r.dynamodb?.Keys?.PK?.S === ownerKey(owner)) mine.push(asLambda(r));
      if (page.NextShardIterator) next.push(page.NextShardIterator);
    }
    open = next;
    await new Promise((r) => setTimeout(r, 50));
  }
  return mine;
}

const sk = (r: DynamoDBRecord) => r.dynamodb?.Keys?.SK?.S ?? "";

async function write(a: Account) {
  const categories = await h.call("GET", "/v1/categories", { token: a.token });
  const groceries = categories.body.items.find((c: { type: string }) => c.type === "groceries").categoryId;
  const plan = await h.call("POST", "/v1/budgets", {
    token: a.token,
    body: { month: "2025-02", totalIncome: 100_000, categories: [{ categoryId: groceries, limit: 30_000 }] },
  });
  expect(plan.status).toBe(201);
  for (const amount of [1_100, 2_200, 3_300, 4_400, 5_500]) {
    const t = await h.call("POST", "/v1/transactions", {
      token: a.token,
      body: { date: "2025-02-14", amount, merchant: "Corner Grocer", categoryId: groceries },
    });
    expect(t.status).toBe(201);
  }
}

describe("the analytics stream handler, fed by DynamoDB Local's real stream", () => {
  it("computes each month a batch touched once, however many records name it", async () => {
    const a = await signup(h);
    const iterators = await tail();
    await write(a);
    const records = await readOwn(
      iterators,
      a.owner,
      (rs) =>
        rs.filter((r) => sk(r) === "TOTALS#2025-02").length >= 5 &&
        rs.some((r) => sk(r) === "BUDGET#2025-02"),
    );
    const analytics = createAnalytics(h.store);
    const generated: string[] = [];
    const handle = createAnalyticsStreamHandler({
      affectedBy: (m) => analytics.affectedBy(m),
      generate: async (owner, month) => {
        expect(owner).toEqual(a.owner);
        generated.push(month);
        return analytics.generate(owner, month);
      },
    });
    const answer = await handle({ Records: records });
    expect(answer).toEqual({ batchItemFailures: [] });
    // Six records name February (its plan and five moves of its totals), beside those of categories
    // and merchants: February is computed once, and so are the three months whose comparisons read it.
    expect(generated.sort()).toEqual(["2025-02", "2025-03", "2025-04", "2025-05"]);
    const stored = await new AnalyticsRepository(h.store).get(a.owner, "2025-02");
    expect(stored?.totals).toMatchObject({ expenses: 16_500, transactionCount: 5, budgeted: 30_000 });
    expect(stored?.recommendations).toEqual([]);
  });

  it("reports the records of a month that failed, so Lambda retries from them", async () => {
    const a = await signup(h);
    const iterators = await tail();
    await write(a);
    const records = await readOwn(
      iterators,
      a.owner,
      (rs) => rs.filter((r) => sk(r) === "TOTALS#2025-02").length >= 5,
    );
    const analytics = createAnalytics(h.store);
    const handle = createAnalyticsStreamHandler({
      affectedBy: (m) => analytics.affectedBy(m),
      generate: async (owner, month) => {
        if (month === "2025-03") throw new Error("throttled");
        return analytics.generate(owner, month);
      },
    });
    const errors = vi.spyOn(log(), "error");
    let answer: Awaited<ReturnType<typeof handle>>;
    let logged: number;
    try {
      answer = await handle({ Records: records });
    } finally {
      logged = errors.mock.calls.length;
      errors.mockRestore();
    }
    const named = records
      .filter((r) => /^(TOTALS|BUDGET)#2025-02$/.test(sk(r)))
      .map((r) => r.dynamodb?.SequenceNumber);
    expect(answer.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([...named].sort());
    expect(logged).toBe(1);
    // February itself was computed and stored all the same.
    expect((await new AnalyticsRepository(h.store).get(a.owner, "2025-02"))?.totals.expenses).toBe(16_500);
  });
});
