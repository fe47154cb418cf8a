import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

interface Page {
  table: string;
  /** A global secondary index (`GSI3`): its own key attributes are read instead of PK and SK. */
  index?: string;
  pk: string;
  projection?: string;
  /** Names the projection uses for reserved words (`#type`). */
  names?: Record<string, string>;
  consistent?: boolean;
  /** Narrows what the key range returns (it is still read, and paid for, in full). */
  filter?: { expression: string; values: Record<string, unknown> };
}

/**
 * Items a page reads at most, besides the 1 MB every page is held to. About what DynamoDB's 1 MB page holds of transaction
 * items anyway, so on AWS it rarely adds a page; DynamoDB Local without a Limit reads the whole rest
 * of the key range for every page, which makes reading a month of 50,000 transactions take minutes
 * instead of seconds (bench/analytics.ts).
 */
const PAGE_ITEMS = 1_000;

async function* pages(
  db: DynamoDBDocumentClient,
  p: Page,
  /** The sort key condition, given the sort key's attribute name. */
  condition: (sk: string) => string,
  values: Record<string, unknown>,
): AsyncGenerator<Record<string, unknown>> {
  let start: Record<string, unknown> | undefined;
  const prefix = p.index ?? "";
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: p.table,
        ...(p.index ? { IndexName: p.index } : {}),
        KeyConditionExpression: `${prefix}PK = :pk AND ${condition(`${prefix}SK`)}`,
        ExpressionAttributeValues: { ":pk": p.pk, ...values, ...p.filter?.values },
        ...(p.filter ? { FilterExpression: p.filter.expression } : {}),
        ...(p.projection ? { ProjectionExpression: p.projection } : {}),
        ...(p.names ? { ExpressionAttributeNames: p.names } : {}),
        ...(p.consistent ? { ConsistentRead: true } : {}),
        Limit: PAGE_ITEMS,
        ExclusiveStartKey: start,
      }),
    );
    yield* page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start);
}

/** Every item of one partition whose sort key starts with `prefix`, page after page. */
export function queryPrefix(
  db: DynamoDBDocumentClient,
  table: string,
  pk: string,
  prefix: string,
  consistent = false,
  projection?: string,
): AsyncGenerator<Record<string, unknown>> {
  return pages(
    db,
    { table, pk, consistent, ...(projection ? { projection } : {}) },
    (sk) => `begins_with(${sk}, :sk)`,
    { ":sk": prefix },
  );
}

/** Every item of one partition whose sort key lies between `low` and `high`, ascending. */
export function queryRange(
  db: DynamoDBDocumentClient,
  p: Page & { low: string; high: string },
): AsyncGenerator<Record<string, unknown>> {
  return pages(db, p, (sk) => `${sk} BETWEEN :low AND :high`, { ":low": p.low, ":high": p.high });
}

/** Every item of one partition whose sort key is `from` or after it, ascending. */
export function queryFrom(
  db: DynamoDBDocumentClient,
  p: Page & { from: string },
): AsyncGenerator<Record<string, unknown>> {
  return pages(db, p, (sk) => `${sk} >= :from`, { ":from": p.from });
}
