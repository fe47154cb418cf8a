import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { AnalyticsTrendMonth, MonthAnalytics } from "@tyche/types";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import { queryRange } from "./query";
import type { Store } from "./store";

/**
 * Stored month analytics (tyche-spending-analytics, `ANALYTICS#<YYYY-MM>`). The owner's partition
 * key already groups a user's months in sort order, so a trend is a key range of the table itself,
 * read strongly consistent; GSI1 would only copy every item.
 */
export class AnalyticsRepository {
  constructor(private readonly store: Store) {}

  private get table() {
    return this.store.tables.spendingAnalytics;
  }

  async get(owner: Owner, month: string): Promise<MonthAnalytics | undefined> {
    const { Item } = await this.store.db.send(
      new GetCommand({ TableName: this.table, Key: keys.analytics(owner, month), ConsistentRead: true }),
    );
    return Item ? MonthAnalytics.parse(Item) : undefined;
  }

  /**
   * Stores a month's analytics unless figures computed from later reads are there already
   * (`readAt`: when the generator began reading its sources): two refreshes racing each other
   * leave the newer figures. False when the stored item was newer.
   */
  async putIfNewer(owner: Owner, analytics: MonthAnalytics, readAt: string): Promise<boolean> {
    try {
      await this.store.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.analytics(owner, analytics.month), entity: "monthAnalytics", ...analytics, readAt },
          ConditionExpression: "attribute_not_exists(PK) OR readAt <= :readAt",
          ExpressionAttributeValues: { ":readAt": readAt },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      // A user with a thousand categories could outgrow DynamoDB's 400 KB item: their figures are
      // then computed on every read instead of failing it.
      if (err instanceof Error && err.name === "ValidationException" && /item size/i.test(err.message))
        return false;
      throw err;
    }
  }

  /** The stored months from `from` to `to`, oldest first, without their daily series. */
  async range(
    owner: Owner,
    from: string,
    to: string,
  ): Promise<(AnalyticsTrendMonth & { sourceMarker: string })[]> {
    const out: (AnalyticsTrendMonth & { sourceMarker: string })[] = [];
    for await (const item of queryRange(this.store.db, {
      table: this.table,
      pk: ownerKey(owner),
      low: `${prefixes.analytics}${from}`,
      high: `${prefixes.analytics}${to}`,
      projection: "#month, currency, totals, categories, generatedAt, sourceMarker",
      names: { "#month": "month" },
      consistent: true,
    })) {
      out.push({ ...AnalyticsTrendMonth.parse(item), sourceMarker: String(item.sourceMarker) });
    }
    return out;
  }
}
