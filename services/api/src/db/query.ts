import { type DynamoDBDocumentClient, QueryCommand } from "@aws-sdk/lib-dynamodb";

interface Page {
  table: string;
  pk: string;
  projection?: string;
  /** Names the projection uses for reserved words (`#type`). */
  names?: Record<string, string>;
  consistent?: boolean;
}

async function* pages(
  db: DynamoDBDocumentClient,
  p: Page,
  condition: string,
  values: Record<string, string>,
): AsyncGenerator<Record<string, unknown>> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: p.table,
        KeyConditionExpression: `PK = :pk AND ${condition}`,
        ExpressionAttributeValues: { ":pk": p.pk, ...values },
        ...(p.projection ? { ProjectionExpression: p.projection } : {}),
        ...(p.names ? { ExpressionAttributeNames: p.names } : {}),
        ...(p.consistent ? { ConsistentRead: true } : {}),
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
): AsyncGenerator<Record<string, unknown>> {
  return pages(db, { table, pk, consistent }, "begins_with(SK, :sk)", { ":sk": prefix });
}

/** Every item of one partition whose sort key lies between `low` and `high`, ascending. */
export function queryRange(
  db: DynamoDBDocumentClient,
  p: Page & { low: string; high: string },
): AsyncGenerator<Record<string, unknown>> {
  return pages(db, p, "SK BETWEEN :low AND :high", { ":low": p.low, ":high": p.high });
}
