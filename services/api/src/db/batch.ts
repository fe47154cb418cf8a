import {
  BatchGetCommand,
  type BatchGetCommandInput,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";

/** Runs `fn` over items with at most `limit` calls in flight; results keep the items' order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Runs tasks given to it with at most `limit` running at once, in the order they were given. */
export function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (task) => {
    if (running >= limit) await new Promise<void>((r) => waiting.push(r));
    running += 1;
    try {
      return await task();
    } finally {
      running -= 1;
      waiting.shift()?.();
    }
  };
}

/** Keys to read from one table, and how. */
export interface TableRead {
  table: string;
  keys: Record<string, unknown>[];
  projection?: string;
  consistent?: boolean;
}

/**
 * BatchGetItem over any number of keys in any number of tables: 100 keys a call (the keys of
 * several tables share one call), 8 calls in flight, unprocessed keys retried. Items come back per
 * table, in no particular order.
 */
export async function batchGetTables(
  db: DynamoDBDocumentClient,
  reads: readonly TableRead[],
): Promise<Map<string, Record<string, unknown>[]>> {
  const wanted = reads.flatMap((r) => r.keys.map((key) => ({ read: r, key })));
  const chunks: (typeof wanted)[] = [];
  for (let i = 0; i < wanted.length; i += 100) chunks.push(wanted.slice(i, i + 100));
  const found = new Map<string, Record<string, unknown>[]>(reads.map((r) => [r.table, []]));
  await mapLimit(chunks, 8, async (chunk) => {
    type Pending = NonNullable<BatchGetCommandInput["RequestItems"]>;
    let pending: Pending = {};
    for (const { read, key } of chunk) {
      pending[read.table] ??= {
        Keys: [],
        ConsistentRead: read.consistent ?? false,
        ...(read.projection ? { ProjectionExpression: read.projection } : {}),
      };
      pending[read.table]?.Keys?.push(key);
    }
    for (let attempt = 0; Object.keys(pending).length; attempt++) {
      const res: BatchGetCommandOutput = await db.send(new BatchGetCommand({ RequestItems: pending }));
      for (const [table, items] of Object.entries(res.Responses ?? {})) found.get(table)?.push(...items);
      pending = (res.UnprocessedKeys ?? {}) as Pending;
      const left = Object.values(pending).reduce((n, r) => n + (r.Keys?.length ?? 0), 0);
      if (left && attempt >= 8) throw new Error(`DynamoDB left ${left} keys unread after 9 tries`);
      if (left) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
    }
  });
  return found;
}

/** BatchGetItem over any number of keys of one table. */
export async function batchGet(
  db: DynamoDBDocumentClient,
  table: string,
  keys: Record<string, unknown>[],
  projection?: string,
  consistent = false,
): Promise<Record<string, unknown>[]> {
  const found = await batchGetTables(db, [
    { table, keys, consistent, ...(projection ? { projection } : {}) },
  ]);
  return found.get(table) ?? [];
}

type WriteRequest =
  | { PutRequest: { Item: Record<string, unknown> } }
  | { DeleteRequest: { Key: Record<string, unknown> } };

/** One BatchWriteItem call of at most 25 requests, its unprocessed ones retried with backoff. */
async function writeBatch(
  db: DynamoDBDocumentClient,
  table: string,
  requests: WriteRequest[],
): Promise<void> {
  let pending = requests;
  for (let attempt = 0; pending.length; attempt++) {
    const res = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
    pending = (res.UnprocessedItems?.[table] as WriteRequest[] | undefined) ?? [];
    if (pending.length && attempt >= 8)
      throw new Error(`DynamoDB left ${pending.length} writes undone after 9 tries`);
    if (pending.length) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
  }
}

/** Any number of writes: 25 a BatchWriteItem call, 8 calls in flight. */
async function writeAll(db: DynamoDBDocumentClient, table: string, requests: WriteRequest[]): Promise<void> {
  const calls: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) calls.push(requests.slice(i, i + 25));
  await mapLimit(calls, 8, (call) => writeBatch(db, table, call));
}

export const putAll = (db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) =>
  writeAll(
    db,
    table,
    items.map((Item) => ({ PutRequest: { Item } })),
  );

export const deleteAll = (db: DynamoDBDocumentClient, table: string, keys: Record<string, unknown>[]) =>
  writeAll(
    db,
    table,
    keys.map((Key) => ({ DeleteRequest: { Key } })),
  );

/** One BatchWriteItem call of at most 25 puts. */
export const putBatch = (db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) =>
  writeBatch(
    db,
    table,
    items.map((Item) => ({ PutRequest: { Item } })),
  );
