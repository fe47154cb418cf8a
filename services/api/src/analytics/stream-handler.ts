import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { mapLimit } from "../db/batch";
import type { Owner } from "../db/keys";
import { log } from "../log";
import { type MonthChange, monthChangeOf } from "./month-changes";

/** Months computed at once within one batch. */
const IN_FLIGHT = 4;

export interface MonthRefresher {
  generate(owner: Owner, month: string): Promise<unknown>;
  affectedBy(month: string): string[];
}

const keyOf = (c: MonthChange) => `${c.owner.tenantId}|${c.owner.userId}|${c.month}`;

/**
 * The analytics refresh on AWS: a plain function of the tyche-budgets table's stream records.
 * Each month a batch touched (its totals or plan), and the months whose comparisons read it, is
 * computed once however many records name it. A month that fails is reported through the records
 * that named it (ReportBatchItemFailures), so Lambda retries from the earliest of them and the
 * months that succeeded are not lost or redone needlessly beyond that point.
 */
export function createAnalyticsStreamHandler(refresher: MonthRefresher) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const due = new Map<string, MonthChange>();
    const recordsOf = new Map<string, DynamoDBRecord[]>();
    for (const record of event.Records) {
      const change = monthChangeOf(record.dynamodb?.Keys?.PK?.S, record.dynamodb?.Keys?.SK?.S);
      if (!change) continue;
      for (const month of refresher.affectedBy(change.month)) {
        const affected = { owner: change.owner, month };
        const key = keyOf(affected);
        due.set(key, affected);
        const named = recordsOf.get(key);
        if (named) named.push(record);
        else recordsOf.set(key, [record]);
      }
    }
    const failed = new Set<string>();
    await mapLimit([...due], IN_FLIGHT, async ([key, { owner, month }]) => {
      try {
        await refresher.generate(owner, month);
      } catch (err) {
        log().error({ err, month }, "refreshing the analytics failed");
        for (const r of recordsOf.get(key) ?? []) {
          if (r.dynamodb?.SequenceNumber) failed.add(r.dynamodb.SequenceNumber);
        }
      }
    });
    return { batchItemFailures: [...failed].map((itemIdentifier) => ({ itemIdentifier })) };
  };
}
