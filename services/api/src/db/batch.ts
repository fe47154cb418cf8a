import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

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

/** BatchGetItem over any number of keys: 100 a call, 8 calls in flight, unprocessed keys retried. */
export async function batchGet(
  db: DynamoDBDocumentClient,
  table: string,
  keys: Record<string, unknown>[],
  projection?: string,
  consistent = false,
): Promise<Record<string, unknown>[]> {
  const chunks: Record<string, unknown>[][] = [];
  for (let i = 0; i < keys.length; i += 100) chunks.push(keys.slice(i, i + 100));
  const pages = await mapLimit(chunks, 8, async (chunk) => {
    const found: Record<string, unknown>[] = [];
    let pending: Record<string, unknown>[] = chunk;
    for (let attempt = 0; pending.length; attempt++) {
      const res = await db.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              Keys: pending,
              ConsistentRead: consistent,
              ...(projection ? { ProjectionExpression: projection } : {}),
            },
          },
        }),
      );
      found.push(...(res.Responses?.[table] ?? []));
      pending = (res.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      if (pending.length && attempt >= 8)
        throw new Error(`DynamoDB left ${pending.length} keys unread after 9 tries`);
      if (pending.length) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
    }
    return found;
  });
  return pages.flat();
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
