import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Merchant } from "@tyche/types";
import { batchGet } from "./batch";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import type { Store } from "./store";
import type { WriteOp } from "./transact";

/** The lowercase, space-collapsed form merchant keys use, for matching a typed prefix. */
export const merchantPrefixKey = (q: string) =>
  q
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trimStart();

export interface MerchantUse {
  key: string;
  name: string;
  /** +1 when a transaction starts using the merchant, -1 when one stops. */
  delta: number;
  /** Set when the user categorised a transaction of this merchant: what history will suggest. */
  learnCategoryId?: string;
}

/**
 * Per-user merchant items (`MERCHANT#<key>` in tyche-transaction-details): how often each is used,
 * for autocomplete, and the category the user last gave it, for categorisation by history.
 */
export class MerchantRepository {
  constructor(private readonly store: Store) {}

  useOp(owner: Owner, use: MerchantUse): WriteOp {
    const learn = use.learnCategoryId !== undefined;
    return {
      item: {
        Update: {
          TableName: this.store.tables.transactionDetails,
          Key: keys.merchant(owner, use.key),
          UpdateExpression: `SET #name = :name, merchantKey = :key, entity = :entity${learn ? ", categoryId = :category" : ""} ADD #count :delta`,
          ExpressionAttributeNames: { "#name": "name", "#count": "count" },
          ExpressionAttributeValues: {
            ":name": use.name,
            ":key": use.key,
            ":entity": "merchant",
            ":delta": use.delta,
            ...(learn ? { ":category": use.learnCategoryId } : {}),
          },
        },
      },
    };
  }

  async learnedCategory(owner: Owner, key: string): Promise<string | undefined> {
    const { Item } = await this.store.db.send(
      new GetCommand({ TableName: this.store.tables.transactionDetails, Key: keys.merchant(owner, key) }),
    );
    return typeof Item?.categoryId === "string" ? Item.categoryId : undefined;
  }

  /** Learned categories of many merchants at once, for imports. */
  async learnedCategories(owner: Owner, merchantKeys: readonly string[]): Promise<Map<string, string>> {
    const items = await batchGet(
      this.store.db,
      this.store.tables.transactionDetails,
      [...new Set(merchantKeys)].map((k) => keys.merchant(owner, k)),
    );
    return new Map(
      items
        .filter((i) => typeof i.categoryId === "string")
        .map((i) => [String(i.merchantKey), String(i.categoryId)]),
    );
  }

  /** Merchants whose name starts with the typed text, most used first. */
  async autocomplete(owner: Owner, q: string, limit: number): Promise<Merchant[]> {
    const prefix = merchantPrefixKey(q);
    const found: Merchant[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.store.db.send(
        new QueryCommand({
          TableName: this.store.tables.transactionDetails,
          KeyConditionExpression: "PK = :pk AND begins_with(SK, :sk)",
          FilterExpression: "#count > :zero",
          ExpressionAttributeNames: { "#count": "count" },
          ExpressionAttributeValues: {
            ":pk": ownerKey(owner),
            ":sk": `${prefixes.merchant}${prefix}`,
            ":zero": 0,
          },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        found.push({
          name: String(item.name),
          count: Number(item.count),
          categoryId: typeof item.categoryId === "string" ? item.categoryId : null,
        });
      }
      start = page.LastEvaluatedKey;
      // A prefix of one or two letters can match many merchants; a few hundred is plenty to rank.
    } while (start && found.length < 500);
    return found.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).slice(0, limit);
  }
}
