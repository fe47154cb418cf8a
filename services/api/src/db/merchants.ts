import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Merchant } from "@tyche/types";
import { batchGet } from "./batch";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import type { Store } from "./store";
import type { WriteOp } from "./transact";

/** The lowercase, space-collapsed form merchant keys use, for matching a typed prefix. */
export const merchantPrefixKey = (q: string) =>
  q
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trimStart();

/**
 * The most merchant items one autocomplete reads (a person's merchants rarely pass a few thousand):
 * about 2 MB of the user's own partition, a couple of 1 MB pages.
 */
const MAX_READ = 10_000;

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

  /**
   * Merchants with a word that starts with the typed text ("bot" and "blue" find "Blue Bottle
   * Coffee", "ottle" does not), most used first. Merchant keys are words joined by single spaces
   * (`merchantKey`), so a word starts with the text when the key begins with it or holds it right
   * after a space. Only the user's own `MERCHANT#` items are read (one partition, a key range), and
   * at most MAX_READ of them: the filter runs in DynamoDB, so only the matches travel.
   */
  async autocomplete(owner: Owner, q: string, limit: number): Promise<Merchant[]> {
    const prefix = merchantPrefixKey(q);
    const found: Merchant[] = [];
    let read = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.store.db.send(
        new QueryCommand({
          TableName: this.store.tables.transactionDetails,
          KeyConditionExpression: "PK = :pk AND begins_with(SK, :sk)",
          FilterExpression: prefix
            ? "#count > :zero AND (begins_with(merchantKey, :prefix) OR contains(merchantKey, :word))"
            : "#count > :zero",
          ExpressionAttributeNames: { "#count": "count" },
          ExpressionAttributeValues: {
            ":pk": ownerKey(owner),
            ":sk": prefixes.merchant,
            ":zero": 0,
            ...(prefix ? { ":prefix": prefix, ":word": ` ${prefix}` } : {}),
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
      read += page.ScannedCount ?? 0;
      start = page.LastEvaluatedKey;
      // A prefix of one or two letters can match many merchants; a few hundred is plenty to rank.
    } while (start && found.length < 500 && read < MAX_READ);
    return found.sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).slice(0, limit);
  }
}
