import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { type Owner, ownerKey } from "../../src/db/keys";
import type { Store } from "../../src/db/store";

/**
 * Every item stored under an owner's partition, in every table (each item tagged with its table):
 * to prove what a request did not write. The tables are read at once, as the fuzzer does this
 * after every case.
 */
export async function ownerItems(store: Store, owner: Owner): Promise<Record<string, unknown>[]> {
  const tables = await Promise.all(
    Object.values(store.tables).map(async (table) => {
      const out: Record<string, unknown>[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await store.db.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: "PK = :pk",
            ExpressionAttributeValues: { ":pk": ownerKey(owner) },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) out.push({ table, ...item });
        start = page.LastEvaluatedKey;
      } while (start);
      return out;
    }),
  );
  return tables.flat();
}
