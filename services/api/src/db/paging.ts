import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { invalidField } from "../errors";

type Key = Record<string, string>;

/** A page of a list: at most the limit asked for, and where to go on from when there is more. */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Cursors are base64url JSON: opaque to clients, and checked to stay in the caller's partition. */
export function encodeCursor(value: object | undefined): string | undefined {
  return value ? Buffer.from(JSON.stringify(value)).toString("base64url") : undefined;
}

export const badCursor = () =>
  invalidField("cursor", "is not a cursor this API gave out for this query", "malformed");

/** The cursor's JSON; what it must contain is for the caller to check. */
export function parseCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw badCursor();
  }
}

/**
 * What one attribute of a start key must be: exactly this value, or a value the predicate accepts
 * (it also sees the whole key, to compare an index's sort key with the table's).
 */
export type KeyRule = string | ((value: string, key: Key) => boolean);

/** DynamoDB's own limits; a longer value is refused before DynamoDB sees it. */
const maxBytes = (name: string) => (name.endsWith("SK") ? 1024 : 2048);

/**
 * A start key accepted only when it is exactly what this query could have handed out: the same
 * attributes as `shape` (none missing, none extra), each a string within DynamoDB's key limits and
 * passing its rule. DynamoDB answers a start key that does not fit the query with a
 * ValidationException, which would otherwise reach the client as a 500.
 */
export function checkStartKey(value: unknown, shape: Record<string, KeyRule>): Key {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw badCursor();
  const key = value as Record<string, unknown>;
  const names = Object.keys(shape);
  if (Object.keys(key).length !== names.length) throw badCursor();
  for (const name of names) {
    const v = key[name];
    if (typeof v !== "string" || v === "" || Buffer.byteLength(v, "utf8") > maxBytes(name)) throw badCursor();
  }
  const typed = key as Key;
  for (const name of names) {
    const rule = shape[name] as KeyRule;
    const ok = typeof rule === "string" ? typed[name] === rule : rule(typed[name] as string, typed);
    if (!ok) throw badCursor();
  }
  return typed;
}

/**
 * A sort key between `low` and `high` (inclusive) with `prefix`. Only printable ASCII, as every
 * sort key Tyche builds from ids, dates and months is: JavaScript compares UTF-16 code units,
 * DynamoDB compares UTF-8 bytes, and the two orders agree on ASCII.
 */
export const sortKeyBetween =
  (low: string, high: string) =>
  (value: string): boolean =>
    /^[\x21-\x7e]+$/.test(value) && value >= low && value <= high;

/** An index sort key that must equal another attribute of the key (items copy SK into GSI1SK). */
export const sameAs =
  (other: string) =>
  (value: string, key: Key): boolean =>
    key[other] === value;

/** A decoded cursor that is itself a start key of the given shape. */
export function decodeCursor(cursor: string | undefined, shape: Record<string, KeyRule>): Key | undefined {
  if (cursor === undefined) return undefined;
  return checkStartKey(parseCursor(cursor), shape);
}

/**
 * The last guard: a start key that passed the checks above but that DynamoDB still refused is the
 * client's cursor at fault, not the server. Use as `.catch(startKeyRefused)` on a paged query.
 */
export function startKeyRefused(err: unknown): never {
  const e = err as { name?: unknown; message?: unknown } | null;
  if (
    e?.name === "ValidationException" &&
    typeof e.message === "string" &&
    /exclusive ?start ?key|starting key/i.test(e.message)
  ) {
    throw badCursor();
  }
  throw err;
}

/**
 * One page of a paged query: at most `limit` items, from the start key the client's cursor
 * decoded to. DynamoDB may stop short of Limit (its 1 MB per call), so the query goes on from
 * where it stopped until the page is full or the key range is done; the cursor is where it stopped.
 */
export async function queryPage<T>(
  db: DynamoDBDocumentClient,
  query: Omit<QueryCommandInput, "Limit" | "ExclusiveStartKey">,
  page: { limit: number; start: Key | undefined },
  parse: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const items: T[] = [];
  let start: Record<string, unknown> | undefined = page.start;
  do {
    const res = await db
      .send(new QueryCommand({ ...query, Limit: page.limit - items.length, ExclusiveStartKey: start }))
      .catch(startKeyRefused);
    for (const item of res.Items ?? []) items.push(parse(item));
    start = res.LastEvaluatedKey;
  } while (start && items.length < page.limit);
  return { items, ...(start ? { nextCursor: encodeCursor(start) } : {}) };
}
