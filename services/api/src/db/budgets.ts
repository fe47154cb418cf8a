import { GetCommand, QueryCommand } from "@aws-sdk/lib-dynamodb";
import type { Allocation } from "@tyche/types";
import { assertVersion } from "../http/etag";
import { conflict, notFound, preconditionFailed } from "../http/problem";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import { decodeCursor, encodeCursor, sameAs, startKeyRefused } from "./paging";
import { queryPrefix } from "./query";
import type { Store } from "./store";
import { type WriteOp, writeAudited } from "./transact";

/** A month's plan as stored. What was actually spent lives in the month's totals item. */
export interface BudgetRecord {
  month: string;
  currency: string;
  status: "active" | "archived";
  totalIncome: number;
  allocations: Allocation[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

const ENTITY_FIELDS = ["PK", "SK", "GSI1PK", "GSI1SK", "entity"] as const;

function toRecord(item: Record<string, unknown>): BudgetRecord {
  const copy = { ...item };
  for (const f of ENTITY_FIELDS) delete copy[f];
  return copy as unknown as BudgetRecord;
}

/** A budget list's start key: a month's budget item as GSI1 returns it, in the caller's partition. */
function decodeBudgetCursor(cursor: string | undefined, owner: Owner) {
  return decodeCursor(cursor, {
    PK: ownerKey(owner),
    SK: (sk) => sk.startsWith(prefixes.budget) && /^\d{4}-\d{2}$/.test(sk.slice(prefixes.budget.length)),
    GSI1PK: ownerKey(owner),
    GSI1SK: sameAs("SK"),
  });
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export class BudgetRepository {
  constructor(private readonly store: Store) {}

  private item(owner: Owner, record: BudgetRecord) {
    const key = keys.budget(owner, record.month);
    // GSI1 is sparse: only budget items carry its keys, so the index lists months and nothing else.
    return { ...key, GSI1PK: ownerKey(owner), GSI1SK: key.SK, entity: "budget", ...record };
  }

  async get(owner: Owner, month: string): Promise<BudgetRecord | undefined> {
    const { Item } = await this.store.db.send(
      new GetCommand({ TableName: this.store.tables.budgets, Key: keys.budget(owner, month) }),
    );
    return Item ? toRecord(Item) : undefined;
  }

  async requireActive(owner: Owner, month: string, includeArchived = false): Promise<BudgetRecord> {
    const record = await this.get(owner, month);
    if (!record || (record.status === "archived" && !includeArchived))
      throw notFound(`The budget for ${month}`);
    return record;
  }

  /** The user's months through GSI1, newest first. */
  async list(
    owner: Owner,
    opts: { includeArchived: boolean; limit: number; cursor?: string },
  ): Promise<Page<BudgetRecord>> {
    const items: BudgetRecord[] = [];
    let start: Record<string, unknown> | undefined = decodeBudgetCursor(opts.cursor, owner);
    do {
      const page = await this.store.db
        .send(
          new QueryCommand({
            TableName: this.store.tables.budgets,
            IndexName: "GSI1",
            KeyConditionExpression: "GSI1PK = :pk AND begins_with(GSI1SK, :sk)",
            ...(opts.includeArchived ? {} : { FilterExpression: "#s = :active" }),
            ExpressionAttributeValues: {
              ":pk": ownerKey(owner),
              ":sk": prefixes.budget,
              ...(opts.includeArchived ? {} : { ":active": "active" }),
            },
            ...(opts.includeArchived ? {} : { ExpressionAttributeNames: { "#s": "status" } }),
            ScanIndexForward: false,
            Limit: opts.limit - items.length,
            ExclusiveStartKey: start,
          }),
        )
        .catch(startKeyRefused);
      for (const item of page.Items ?? []) items.push(toRecord(item));
      start = page.LastEvaluatedKey;
    } while (start && items.length < opts.limit);
    return { items, ...(start ? { nextCursor: encodeCursor(start) } : {}) };
  }

  /** Whether any month, archived ones included, plans the category or has transactions in it. */
  async isCategoryUsed(owner: Owner, categoryId: string): Promise<boolean> {
    for (const prefix of [prefixes.budget, prefixes.monthTotals]) {
      for await (const item of queryPrefix(
        this.store.db,
        this.store.tables.budgets,
        ownerKey(owner),
        prefix,
      )) {
        const planned = (item.allocations as Allocation[] | undefined)?.some(
          (a) => a.categoryId === categoryId,
        );
        if (planned || Number(item[`used#${categoryId}`] ?? 0) !== 0) return true;
      }
    }
    return false;
  }

  /** Creates a month, or plans again one the user archived. An active month is never overwritten. */
  /** `checks` ride in the same transaction, e.g. that the month's currency may change. */
  async create(
    owner: Owner,
    record: BudgetRecord,
    replacing?: BudgetRecord,
    checks: WriteOp[] = [],
  ): Promise<void> {
    const audit = {
      owner,
      action: "budget.create",
      entityId: record.month,
      before: replacing,
      after: record,
    };
    const exists = () =>
      conflict(`A budget for ${record.month} already exists; change it with PUT /v1/budgets/${record.month}`);
    const op: WriteOp = replacing
      ? { ...this.planUpdate(owner, record, replacing.version, "archived"), onConditionFailed: exists }
      : {
          item: {
            Put: {
              TableName: this.store.tables.budgets,
              Item: this.item(owner, record),
              ConditionExpression: "attribute_not_exists(PK)",
            },
          },
          onConditionFailed: exists,
        };
    await writeAudited(this.store.db, this.store.tables.auditLogs, audit, [op, ...checks]);
  }

  /** Stores a month's new plan if nobody changed it since `current` was read. */
  async replace(
    owner: Owner,
    current: BudgetRecord,
    next: BudgetRecord,
    action: string,
    checks: WriteOp[] = [],
  ): Promise<void> {
    await writeAudited(
      this.store.db,
      this.store.tables.auditLogs,
      { owner, action, entityId: next.month, before: current, after: next },
      [this.planUpdate(owner, next, current.version), ...checks],
    );
  }

  async archive(owner: Owner, month: string, expected?: number): Promise<void> {
    const current = await this.requireActive(owner, month);
    assertVersion(current.version, expected);
    const next: BudgetRecord = {
      ...current,
      status: "archived",
      version: current.version + 1,
      updatedAt: new Date().toISOString(),
    };
    await this.replace(owner, current, next, "budget.archive");
  }

  /** Sets the plan's fields under the version check. */
  private planUpdate(
    owner: Owner,
    next: BudgetRecord,
    expectedVersion: number,
    requiredStatus?: string,
  ): WriteOp {
    return {
      item: {
        Update: {
          TableName: this.store.tables.budgets,
          Key: keys.budget(owner, next.month),
          UpdateExpression:
            "SET totalIncome = :income, currency = :currency, allocations = :allocations, #s = :status, " +
            "version = :next, updatedAt = :updatedAt, createdAt = :createdAt",
          ConditionExpression: requiredStatus ? "version = :v AND #s = :required" : "version = :v",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: {
            ":income": next.totalIncome,
            ":currency": next.currency,
            ":allocations": next.allocations,
            ":status": next.status,
            ":next": next.version,
            ":updatedAt": next.updatedAt,
            ":createdAt": next.createdAt,
            ":v": expectedVersion,
            ...(requiredStatus ? { ":required": requiredStatus } : {}),
          },
        },
      },
      onConditionFailed: preconditionFailed,
    };
  }
}
