import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { RecurringFailure, RecurringKind, RecurringStatus } from "@tyche/types";
import { z } from "zod";
import { DomainError } from "../errors";
import { Entity } from "./entity";
import { keys, type Owner, ownerKey, ownerOfKey, prefixes } from "./keys";
import type { Store } from "./store";
import { type WriteOp, writeOne } from "./transact";

/**
 * A recurring template as stored (`RECURRING#<id>` in tyche-budgets). The schedule is kept as its
 * RFC 5545 text only; the structured form is read from it.
 */
export const StoredRecurring = z.object({
  recurringId: z.string(),
  name: z.string(),
  amount: z.number().int(),
  kind: RecurringKind,
  accountId: z.string(),
  toAccountId: z.string().nullable(),
  categoryId: z.string().nullable(),
  merchant: z.string().nullable(),
  currency: z.string(),
  rrule: z.string(),
  autoPost: z.boolean(),
  matchTolerance: z.number().int(),
  matchWindowDays: z.number().int(),
  status: RecurringStatus,
  /**
   * Every occurrence on or before this day is done. Moved forward by the materialiser in the same
   * transaction as the occurrence it posts or finds, never by an edit's copy of it (it may be stale).
   */
  postedThrough: z.string(),
  lastFailure: RecurringFailure.nullable(),
  version: z.number().int().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type StoredRecurring = z.infer<typeof StoredRecurring>;

/** Attributes the materialiser keeps with its own conditional writes: an edit's replace leaves them. */
const KEPT_BY_MATERIALISER = ["postedThrough", "lastFailure"] as const;

/** The template is not as the materialiser read it (edited, paused, deleted, or already advanced). */
export const templateChanged = () =>
  new DomainError("conflict", "The recurring template changed meanwhile", { slug: "recurring-changed" });

export const counts = (t: Pick<StoredRecurring, "status" | "autoPost">) =>
  t.status === "active" && t.autoPost ? 1 : 0;

const OwnerEntry = z.object({ tenantId: z.string(), userId: z.string(), templates: z.number().int() });

export class RecurringRepository {
  private readonly templates: Entity<StoredRecurring>;

  constructor(private readonly store: Store) {
    this.templates = new Entity(store, {
      name: "recurring",
      table: "budgets",
      schema: StoredRecurring,
      key: (o, t) => keys.recurring(o, t.recurringId),
      counters: KEPT_BY_MATERIALISER,
    });
  }

  private get table() {
    return this.store.tables.budgets;
  }

  /** Every template of the user, one Query of `RECURRING#`; `consistent` when it decides a write. */
  list(owner: Owner, consistent = false): Promise<StoredRecurring[]> {
    return this.templates.query(ownerKey(owner), prefixes.recurring, consistent);
  }

  get(owner: Owner, recurringId: string): Promise<StoredRecurring | undefined> {
    return this.templates.get(keys.recurring(owner, recurringId));
  }

  latest(owner: Owner, recurringId: string): Promise<StoredRecurring | undefined> {
    return this.templates.latest(keys.recurring(owner, recurringId));
  }

  createOp(owner: Owner, t: StoredRecurring): WriteOp {
    return this.templates.createOp(owner, t);
  }

  /**
   * The edit at the version read. `advanceTo`: postedThrough moves up to this day with it (a new
   * schedule, a resume, autoPost turned on: what came before is not posted), conditional on its
   * still being earlier, so a materialiser that got further meanwhile is never set back.
   */
  replaceOp(owner: Owner, current: StoredRecurring, next: StoredRecurring, advanceTo?: string): WriteOp {
    if (!advanceTo || advanceTo <= current.postedThrough)
      return this.templates.replaceOp(owner, current, next);
    return this.templates.replaceOp(owner, current, next, {
      condition: "#pt <= :pt",
      names: { "#pt": "postedThrough" },
      values: { ":pt": advanceTo },
      set: { postedThrough: advanceTo },
    });
  }

  deleteOp(owner: Owner, current: StoredRecurring): WriteOp {
    return this.templates.deleteOp(owner, current);
  }

  /**
   * Marks the occurrence of `date` done, inside the write that posts it (or links it to what was
   * already recorded): only while the template is still the version the occurrence was computed
   * from, active, posting, and not already past `date`. Clears the last failure.
   */
  advanceOp(owner: Owner, t: StoredRecurring, date: string): WriteOp {
    return {
      item: {
        Update: {
          TableName: this.table,
          Key: keys.recurring(owner, t.recurringId),
          UpdateExpression: "SET #pt = :date, #lf = :none",
          ConditionExpression:
            "attribute_exists(PK) AND #version = :v AND #status = :active AND #auto = :yes AND #pt < :date",
          ExpressionAttributeNames: {
            "#pt": "postedThrough",
            "#lf": "lastFailure",
            "#version": "version",
            "#status": "status",
            "#auto": "autoPost",
          },
          ExpressionAttributeValues: {
            ":date": date,
            ":none": null,
            ":v": t.version,
            ":active": "active",
            ":yes": true,
          },
        },
      },
      onConditionFailed: templateChanged,
    };
  }

  /** Records why an occurrence could not be posted, on the version read. */
  failureOp(owner: Owner, t: StoredRecurring, failure: z.infer<typeof RecurringFailure>): WriteOp {
    return {
      item: {
        Update: {
          TableName: this.table,
          Key: keys.recurring(owner, t.recurringId),
          UpdateExpression: "SET #lf = :f",
          ConditionExpression: "attribute_exists(PK) AND #version = :v",
          ExpressionAttributeNames: { "#lf": "lastFailure", "#version": "version" },
          ExpressionAttributeValues: { ":f": failure, ":v": t.version },
        },
      },
      onConditionFailed: templateChanged,
    };
  }

  /** Moves the owner's count of templates that post, in the write that changes one of them. */
  ownerCountOp(owner: Owner, delta: number): WriteOp {
    return {
      item: {
        Update: {
          TableName: this.table,
          Key: keys.recurringOwner(owner),
          UpdateExpression: "SET entity = :entity, tenantId = :t, userId = :u ADD templates :d",
          ExpressionAttributeValues: {
            ":entity": "recurringOwner",
            ":t": owner.tenantId,
            ":u": owner.userId,
            ":d": delta,
          },
        },
      },
    };
  }

  /**
   * The owners with templates that post, from the index partition (strongly consistent: a
   * template created a moment ago is posted on this run). Entries whose count went back to 0 are
   * dropped on the way, each only while still 0.
   */
  async owners(): Promise<Owner[]> {
    const out: Owner[] = [];
    const empty: Owner[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.store.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "PK = :pk",
          ExpressionAttributeValues: { ":pk": keys.recurringOwner({ tenantId: "", userId: "" }).PK },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        const entry = OwnerEntry.parse(item);
        const owner = ownerOfKey(String(item.SK));
        if (!owner) continue;
        (entry.templates > 0 ? out : empty).push(owner);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    for (const owner of empty) {
      await writeOne(this.store.db, {
        item: {
          Delete: {
            TableName: this.table,
            Key: keys.recurringOwner(owner),
            ConditionExpression: "templates = :zero",
            ExpressionAttributeValues: { ":zero": 0 },
          },
        },
        // Counted up again meanwhile: it stays.
        onConditionFailed: () => new CountedAgain(),
      }).catch((err) => {
        if (!(err instanceof CountedAgain)) throw err;
      });
    }
    return out;
  }
}

class CountedAgain extends Error {}
