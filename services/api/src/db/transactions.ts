import { QueryCommand, type QueryCommandInput } from "@aws-sdk/lib-dynamodb";
import { accountFlow, monthRange, type RecurringInput, SPLIT_SLUG, UNCATEGORIZED } from "@tyche/core";
import { Transaction, type TransactionQuery } from "@tyche/types";
import { z } from "zod";
import { invalidField, notFound } from "../errors";
import { batchGet } from "./batch";
import { Entity } from "./entity";
import { firstAccountId, keys, type Owner, ownerKey, prefixes, transactionIndexKeys } from "./keys";
import {
  badCursor,
  checkStartKey,
  encodeCursor,
  type KeyRule,
  parseCursor,
  sameAs,
  sortKeyBetween,
  startKeyRefused,
} from "./paging";
import { queryFrom, queryRange } from "./query";
import type { Store } from "./store";
import type { WriteOp } from "./transact";

/** A transfer leg as stored: the link the API shows, and how this leg counts (fixed when written). */
const StoredTransfer = z.object({
  fromAccountId: z.string(),
  toAccountId: z.string(),
  linkedTransactionId: z.string(),
  direction: z.enum(["out", "in"]),
  counts: z.enum(["expense", "income"]).nullable(),
  debtPayment: z.boolean(),
});

/**
 * A transaction as stored: the API shape plus what keys and search need. Fields added with
 * accounts have defaults, so a transaction stored before them reads as what it was: settled,
 * in the user's first account, on budget.
 */
/**
 * On a recurring template's occurrence (posted by it, or an existing transaction found to be it):
 * which template and day, and how far a bank row may differ from it and still be it (the
 * template's tolerance and window when it was linked), so an import matches it without reading
 * templates.
 */
export const RecurringLink = z.object({
  recurringId: z.string(),
  date: z.string(),
  matchTolerance: z.number().int(),
  matchWindowDays: z.number().int(),
});
export type RecurringLink = z.infer<typeof RecurringLink>;

export const TransactionRecord = Transaction.omit({
  receiptUrl: true,
  transfer: true,
  recurring: true,
}).extend({
  toAccountId: z.string().nullable().default(null),
  transfer: StoredTransfer.nullable().default(null),
  /** Whether the account was on budget when this was written (its month totals counted it then). */
  onBudget: z.boolean().default(true),
  bankId: z.string().nullable().default(null),
  pending: z.boolean().default(false),
  cleared: z.boolean().default(false),
  /**
   * Set when an import linked this transaction to a row of its file instead of adding the row:
   * which import, and what the link changed, so undoing that import can put it back.
   */
  importLink: z
    .object({
      importId: z.string(),
      previous: z.object({
        cleared: z.boolean(),
        pending: z.boolean(),
        bankId: z.string().nullable(),
        /** A recurring bill's amount before the bank's (within its tolerance) replaced it. */
        amount: z.number().int().optional(),
      }),
    })
    .nullable()
    .default(null),
  merchantKey: z.string().nullable(),
  /**
   * Orders a day's transactions and stays in the sort key: when it was first recorded (epoch ms)
   * for one entered by hand, and a value derived from the row's content for an imported one, so
   * the same bank row always lands on the same key.
   */
  recordedAt: z.number().int(),
  receipt: z.object({ key: z.string(), contentType: z.string(), size: z.number().int() }).nullable(),
  /** The slug of each category a split names, for indexing its parts (storage only). */
  splitTypes: z.record(z.string(), z.string()).nullable().optional(),
  recurring: RecurringLink.optional(),
});
export type TransactionRecord = z.infer<typeof TransactionRecord>;

const Pointer = z.object({ transactionId: z.string(), sk: z.string() });

/** What a row's effect on its account's balance needs. */
const FlowFields = z.object({
  amount: z.number(),
  type: TransactionRecord.shape.type,
  transfer: z
    .object({ direction: z.enum(["out", "in"]) })
    .nullable()
    .default(null),
});

const FlowRow = FlowFields.extend({
  date: z.string(),
  categoryId: z.string().nullable().default(null),
  splits: z
    .array(z.object({ categoryId: z.string() }))
    .nullable()
    .default(null),
});

/**
 * What the recurring detector reads of a transaction: nine small attributes of an item that may
 * hold splits, tags, notes and search text. A transaction from before accounts has no account: it
 * is in the user's first one (`withAccount` needs PK, so that is read too).
 */
const RecurringRow = z.object({
  PK: z.string(),
  transactionId: z.string(),
  date: z.string(),
  amount: z.number().int(),
  type: z.enum(["expense", "income"]),
  merchant: z.string().nullable().default(null),
  merchantKey: z.string().nullable().default(null),
  accountId: z.string().optional(),
  categoryId: z.string().nullable().default(null),
});

/** A split transaction's share in one category: a copy of the transaction, found through GSI1. */
const Part = TransactionRecord.extend({
  part: z.object({ categoryId: z.string(), amount: z.number().int() }),
});
type Part = z.infer<typeof Part>;

/** A transaction as a list returns it; through a category's index, a split one names its part there. */
export type Listed = TransactionRecord & { matchedSplit?: { categoryId: string; amount: number } };

export function toTransaction(r: Listed): Transaction {
  const {
    merchantKey: _k,
    recordedAt: _r,
    splitTypes: _t,
    onBudget: _b,
    importLink: _l,
    receipt,
    transfer,
    recurring,
    ...rest
  } = r;
  return {
    ...rest,
    ...(recurring ? { recurring: { recurringId: recurring.recurringId, date: recurring.date } } : {}),
    transfer: transfer
      ? {
          fromAccountId: transfer.fromAccountId,
          toAccountId: transfer.toAccountId,
          linkedTransactionId: transfer.linkedTransactionId,
        }
      : null,
    receiptUrl: receipt ? `/v1/transactions/${r.transactionId}/receipt` : null,
  };
}

/** A transaction stored before accounts has no account: it is in the user's first one. */
const withAccount = (item: unknown): unknown =>
  typeof item === "object" && item !== null && !("accountId" in item) && "PK" in item
    ? { ...item, accountId: firstAccountId(String(item.PK)) }
    : item;

/** A split transaction's parts, one per category it names (two parts in one category add up). */
function partsOf(r: TransactionRecord): Part[] {
  const amounts = new Map<string, number>();
  for (const s of r.splits ?? []) amounts.set(s.categoryId, (amounts.get(s.categoryId) ?? 0) + s.amount);
  return [...amounts]
    .filter(([categoryId]) => r.splitTypes?.[categoryId])
    .map(([categoryId, amount]) => ({ ...r, part: { categoryId, amount } }));
}

/** The slug a transaction is indexed under in GSI1; the two pseudo-slugs are reserved for categories. */
export const categoryIndexSlug = (r: Pick<TransactionRecord, "splits" | "categoryType">) =>
  r.splits ? SPLIT_SLUG : (r.categoryType ?? UNCATEGORIZED);

/** Lowercased text the `q` filter searches: merchant (both forms), description and notes. */
const searchText = (r: TransactionRecord) =>
  [r.merchant, r.merchantRaw, r.description, r.notes].filter(Boolean).join(" \u0000 ").toLowerCase();

const transactionKey = (o: Owner, r: TransactionRecord) =>
  keys.transaction(o, r.date, r.recordedAt, r.transactionId);

/** Upper bound of items one list request may read, so a sparse filter cannot walk a whole history. */
export const MAX_EVALUATED_PER_PAGE = 5_000;

interface Cursor {
  /** Index into the list of partitions being read (months, for the category filter). */
  i: number;
  k?: Record<string, string>;
}

export class TransactionRepository {
  private readonly transactions: Entity<TransactionRecord>;
  private readonly pointers: Entity<z.infer<typeof Pointer>>;
  private readonly parts: Entity<Part>;

  constructor(private readonly store: Store) {
    this.transactions = new Entity(store, {
      name: "transaction",
      table: "transactionDetails",
      schema: z.preprocess(withAccount, TransactionRecord),
      key: transactionKey,
      indexKeys: (o, r) => {
        const sk = transactionKey(o, r).SK;
        return {
          GSI1PK: transactionIndexKeys.byCategory(o, r.date.slice(0, 7), categoryIndexSlug(r)),
          GSI1SK: sk,
          ...(r.merchantKey ? { GSI2PK: transactionIndexKeys.byMerchant(o, r.merchantKey), GSI2SK: sk } : {}),
          GSI3PK: transactionIndexKeys.byAccount(o, r.accountId),
          GSI3SK: sk,
        };
      },
      derived: (r) => ({ search: searchText(r) }),
    });
    this.parts = new Entity(store, {
      name: "transactionPart",
      table: "transactionDetails",
      schema: z.preprocess(withAccount, Part),
      key: (o, p) => keys.transactionPart(o, transactionKey(o, p).SK, p.part.categoryId),
      indexKeys: (o, p) => ({
        GSI1PK: transactionIndexKeys.byCategory(
          o,
          p.date.slice(0, 7),
          p.splitTypes?.[p.part.categoryId] ?? UNCATEGORIZED,
        ),
        // Beside its transaction's own place in time, so a category's page keeps date order.
        GSI1SK: `${transactionKey(o, p).SK}#${p.part.categoryId}`,
      }),
      derived: (r) => ({ search: searchText(r) }),
    });
    this.pointers = new Entity(store, {
      name: "transactionPointer",
      table: "transactionDetails",
      schema: Pointer,
      key: (o, p) => keys.transactionPointer(o, p.transactionId),
    });
  }

  private get table() {
    return this.store.tables.transactionDetails;
  }

  parse(item: Record<string, unknown>): TransactionRecord {
    return this.transactions.parse(item);
  }

  private parseListed(item: Record<string, unknown>): Listed {
    if (item.entity !== "transactionPart") return this.parse(item);
    const { part, ...record } = this.parts.parse(item);
    return { ...record, matchedSplit: part };
  }

  /** Strongly consistent, pointer then item: what every read-check-write of a transaction starts from. */
  async find(owner: Owner, transactionId: string): Promise<TransactionRecord | undefined> {
    // A change of date moves the item and its pointer in one transaction; read between the two
    // reads here, the pointer names the old key. Read again: the pointer then names the new one.
    for (let attempt = 0; attempt < 5; attempt++) {
      const pointer = await this.pointers.latest(keys.transactionPointer(owner, transactionId));
      if (!pointer) return undefined;
      const found = await this.transactions.latest({ PK: ownerKey(owner), SK: pointer.sk });
      if (found) return found;
    }
    return undefined;
  }

  async require(owner: Owner, transactionId: string): Promise<TransactionRecord> {
    const record = await this.find(owner, transactionId);
    if (!record) throw notFound("Transaction");
    return record;
  }

  /**
   * Which of these ids are already recorded: how an import recognises rows it has seen. Imported
   * ids sort by the transaction's date, so for a whole file one keys-only range read of the id
   * pointers costs far less than looking each id up.
   */
  async existingIds(owner: Owner, ids: readonly string[]): Promise<Set<string>> {
    const wanted = [...new Set(ids)].sort();
    const found = new Set<string>();
    if (wanted.length <= 200) {
      const items = await batchGet(
        this.store.db,
        this.table,
        wanted.map((id) => keys.transactionPointer(owner, id)),
        "SK",
        true,
      );
      for (const i of items) found.add(String(i.SK).slice(prefixes.transactionPointer.length));
      return found;
    }
    for await (const item of queryRange(this.store.db, {
      table: this.table,
      pk: ownerKey(owner),
      low: `${prefixes.transactionPointer}${wanted[0]}`,
      high: `${prefixes.transactionPointer}${wanted[wanted.length - 1]}`,
      projection: "SK",
      consistent: true,
    })) {
      found.add(String(item.SK).slice(prefixes.transactionPointer.length));
    }
    const asked = new Set(wanted);
    return new Set([...found].filter((id) => asked.has(id)));
  }

  /** The items that record a new transaction: the transaction and its id pointer. */
  newItems(owner: Owner, r: TransactionRecord): [Record<string, unknown>, Record<string, unknown>] {
    const item = this.transactions.item(owner, r);
    return [item, this.pointers.item(owner, { transactionId: r.transactionId, sk: String(item.SK) })];
  }

  /** The id pointer of the transaction stored under sort key `sk` (its id is the key's last part). */
  pointerItem(owner: Owner, sk: string): Record<string, unknown> {
    return this.pointers.item(owner, { transactionId: sk.slice(sk.lastIndexOf("#") + 1), sk });
  }

  /** `onExists`: the error when the id (or its key) is already recorded; a generic conflict if not given. */
  createOps(owner: Owner, r: TransactionRecord, onExists?: () => Error): WriteOp[] {
    return [
      this.transactions.createOp(owner, r, onExists),
      this.pointers.createOp(
        owner,
        { transactionId: r.transactionId, sk: transactionKey(owner, r).SK },
        onExists,
      ),
      ...partsOf(r).map((p) => this.putPartOp(owner, p)),
    ];
  }

  /** Parts are copies kept with their transaction, rewritten by each of its writes. */
  private putPartOp(owner: Owner, p: Part): WriteOp {
    return { item: { Put: { TableName: this.table, Item: this.parts.item(owner, p) } } };
  }

  /** The part items `before` had that `after` no longer has, removed; the others rewritten. */
  private partOps(owner: Owner, before: TransactionRecord, after: TransactionRecord | undefined): WriteOp[] {
    const next = after ? partsOf(after) : [];
    const kept = new Set(next.map((p) => this.parts.key(owner, p).SK));
    const gone = partsOf(before)
      .map((p) => this.parts.key(owner, p))
      .filter((key) => !kept.has(key.SK))
      .map((Key): WriteOp => ({ item: { Delete: { TableName: this.table, Key } } }));
    return [...gone, ...next.map((p) => this.putPartOp(owner, p))];
  }

  /** Replaces `before` by `after`; when the date changes, so does the sort key, and the pointer follows. */
  replaceOps(owner: Owner, before: TransactionRecord, after: TransactionRecord): WriteOp[] {
    const sk = transactionKey(owner, after).SK;
    const parts = this.partOps(owner, before, after);
    if (sk === transactionKey(owner, before).SK) {
      return [this.transactions.replaceOp(owner, before, after), ...parts];
    }
    return [
      ...parts,
      this.transactions.deleteOp(owner, before),
      this.transactions.createOp(owner, after),
      // The pointer is rewritten whole: it is this transaction's, and the delete above guards the race.
      {
        item: {
          Put: {
            TableName: this.table,
            Item: this.pointers.item(owner, { transactionId: after.transactionId, sk }),
          },
        },
      },
    ];
  }

  deleteOps(owner: Owner, r: TransactionRecord): WriteOp[] {
    return [
      ...this.partOps(owner, r, undefined),
      this.transactions.deleteOp(owner, r),
      { item: { Delete: { TableName: this.table, Key: keys.transactionPointer(owner, r.transactionId) } } },
    ];
  }

  /**
   * One page, newest first. Category reads GSI1 month by month, merchant reads GSI2, everything
   * else the table's own date-ordered sort key; the other filters narrow what those key ranges
   * return and never widen what is read.
   */
  async list(
    owner: Owner,
    q: TransactionQuery & { merchantKey?: string },
  ): Promise<{ items: Listed[]; nextCursor?: string }> {
    const from = q.month ? `${q.month}-01` : (q.from ?? "0000-00-00");
    const to = q.month ? `${q.month}-31` : (q.to ?? "9999-99-99");
    if (q.month && (q.from || q.to))
      throw invalidField("month", "cannot be combined with from or to", "malformed");
    if (from > to) throw invalidField("from", "must not be after to", "malformed");
    const range = { low: `${prefixes.transaction}${from}`, high: `${prefixes.transaction}${to}#\uffff` };

    // One key range of the table or of an index, newest first, in one partition.
    const read = (
      index: "GSI1" | "GSI2" | "GSI3" | undefined,
      pk: string,
    ): Omit<QueryCommandInput, "TableName"> => ({
      ...(index ? { IndexName: index } : {}),
      KeyConditionExpression: `${index ?? ""}PK = :pk AND ${index ?? ""}SK BETWEEN :low AND :high`,
      ExpressionAttributeValues: { ":pk": pk, ":low": range.low, ":high": range.high },
    });
    let partitions: Omit<QueryCommandInput, "TableName">[];
    if (q.category) {
      if (!q.month && !(q.from && q.to)) {
        throw invalidField("category", "needs month, or from and to", "malformed");
      }
      const months = monthRange(from.slice(0, 7), to.slice(0, 7)).reverse();
      if (months.length > 36) throw invalidField("category", "can span at most 36 months", "malformed");
      partitions = months.map((m) =>
        read("GSI1", transactionIndexKeys.byCategory(owner, m, q.category as string)),
      );
    } else if (q.merchantKey) {
      partitions = [read("GSI2", transactionIndexKeys.byMerchant(owner, q.merchantKey))];
    } else if (q.accountId) {
      partitions = [read("GSI3", transactionIndexKeys.byAccount(owner, q.accountId))];
    } else {
      partitions = [read(undefined, ownerKey(owner))];
    }

    const filters: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    if (q.category && q.merchantKey) {
      // The category's index chose the partition; the merchant narrows within it.
      filters.push("merchantKey = :merchantKey");
      values[":merchantKey"] = q.merchantKey;
    }
    if (q.accountId && (q.category || q.merchantKey)) {
      filters.push("accountId = :accountId");
      values[":accountId"] = q.accountId;
    }
    if (q.type) {
      filters.push("#type = :type");
      names["#type"] = "type";
      values[":type"] = q.type;
    }
    if (q.tag) {
      filters.push("contains(tags, :tag)");
      values[":tag"] = q.tag;
    }
    if (q.q) {
      filters.push("contains(#search, :q)");
      names["#search"] = "search";
      values[":q"] = q.q.toLowerCase();
    }
    if (q.minAmount !== undefined) {
      filters.push("amount >= :min");
      values[":min"] = q.minAmount;
    }
    if (q.maxAmount !== undefined) {
      filters.push("amount <= :max");
      values[":max"] = q.maxAmount;
    }

    const cursor = decodeTransactionCursor(q.cursor, owner, partitions);
    const items: Listed[] = [];
    let evaluated = 0;
    let index = cursor?.i ?? 0;
    let start: Record<string, unknown> | undefined = cursor?.k;
    while (index < partitions.length) {
      const want = q.limit - items.length;
      const page = await this.store.db
        .send(
          new QueryCommand({
            TableName: this.table,
            ...partitions[index],
            ExpressionAttributeValues: { ...partitions[index]?.ExpressionAttributeValues, ...values },
            ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
            ...(filters.length ? { FilterExpression: filters.join(" AND ") } : {}),
            ScanIndexForward: false,
            // Unfiltered, read exactly what the page needs; filtered, read ahead in bigger steps.
            Limit: filters.length ? Math.max(want, 200) : want,
            ExclusiveStartKey: start,
          }),
        )
        .catch(startKeyRefused);
      evaluated += page.ScannedCount ?? 0;
      const got = (page.Items ?? []).map((i) => this.parseListed(i));
      if (got.length > want) {
        // Read past the page: continue after the last item returned, not after the last one read.
        items.push(...got.slice(0, want));
        const last = (page.Items ?? [])[want - 1] as Record<string, string>;
        return { items, nextCursor: encode({ i: index, k: lastKey(last, partitions[index]?.IndexName) }) };
      }
      items.push(...got);
      start = page.LastEvaluatedKey;
      if (!start) {
        index += 1;
      }
      if (items.length >= q.limit || evaluated >= MAX_EVALUATED_PER_PAGE) break;
    }
    const more = index < partitions.length;
    return {
      items,
      ...(more
        ? { nextCursor: encode({ i: index, ...(start ? { k: start as Record<string, string> } : {}) }) }
        : {}),
    };
  }

  /** The latest transactions dated up to `to`, newest first, read strongly (the totals beside them are). */
  async latest(owner: Owner, to: string, limit: number): Promise<TransactionRecord[]> {
    const page = await this.store.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "PK = :pk AND SK BETWEEN :low AND :high",
        ExpressionAttributeValues: {
          ":pk": ownerKey(owner),
          ":low": prefixes.transaction,
          ":high": `${prefixes.transaction}${to}#\uffff`,
        },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (page.Items ?? []).map((i) => this.parse(i));
  }

  /**
   * The account's rows dated `fromDate` or later, oldest first, each with its effect on the balance
   * and the categories it names: what a debt snapshot works balances and charges back from.
   */
  async *flowRowsFrom(
    owner: Owner,
    accountId: string,
    fromDate: string,
  ): AsyncGenerator<{ date: string; flow: number; type: string; amount: number; categoryIds: string[] }> {
    for await (const item of queryFrom(this.store.db, {
      table: this.table,
      index: "GSI3",
      pk: transactionIndexKeys.byAccount(owner, accountId),
      from: `${prefixes.transaction}${fromDate}`,
      projection: "amount, #type, transfer, #date, categoryId, splits",
      names: { "#type": "type", "#date": "date" },
    })) {
      const row = FlowRow.parse(item);
      yield {
        date: row.date,
        flow: accountFlow(row),
        type: row.type,
        amount: row.amount,
        categoryIds: [
          ...(row.categoryId ? [row.categoryId] : []),
          ...(row.splits ?? []).map((s) => s.categoryId),
        ],
      };
    }
  }

  /**
   * How the account's rows from sort key `from` on moved it (their flow and count), read from the
   * account's index: a register page's starting balance, a reconciliation's later rows.
   */
  async flowFrom(owner: Owner, accountId: string, from: string): Promise<{ net: number; count: number }> {
    let net = 0;
    let count = 0;
    for await (const item of queryFrom(this.store.db, {
      table: this.table,
      index: "GSI3",
      pk: transactionIndexKeys.byAccount(owner, accountId),
      from,
      projection: "amount, #type, transfer",
      names: { "#type": "type" },
    })) {
      net += accountFlow(FlowFields.parse(item));
      count++;
    }
    return { net, count };
  }

  /**
   * One account's transactions of a date range, oldest first, from the account's index (GSI3): an
   * account's export reads its own key range, not the user's whole history.
   */
  async *inAccountBetween(
    owner: Owner,
    accountId: string,
    from: string,
    to: string,
  ): AsyncGenerator<TransactionRecord> {
    for await (const item of queryRange(this.store.db, {
      table: this.table,
      index: "GSI3",
      pk: transactionIndexKeys.byAccount(owner, accountId),
      low: `${prefixes.transaction}${from}`,
      high: `${prefixes.transaction}${to}#\uffff`,
    })) {
      yield this.parse(item);
    }
  }

  /**
   * The expenses and income of a date range with what the recurring detector needs, oldest first.
   * One key range of the user's partition with a projection: DynamoDB still reads (and bills) the
   * whole items, but sends only these attributes, and the filter drops transfers and refunds
   * before they cross the wire. Eventually consistent: suggestions decide no write.
   */
  async *recurringRows(owner: Owner, from: string, to: string): AsyncGenerator<RecurringInput> {
    for await (const item of queryRange(this.store.db, {
      table: this.table,
      pk: ownerKey(owner),
      low: `${prefixes.transaction}${from}`,
      high: `${prefixes.transaction}${to}#\uffff`,
      projection: "PK, transactionId, #date, amount, #type, merchant, merchantKey, accountId, categoryId",
      names: { "#date": "date", "#type": "type" },
      filter: {
        expression: "#type IN (:expense, :income)",
        values: { ":expense": "expense", ":income": "income" },
      },
    })) {
      const { PK, accountId, ...row } = RecurringRow.parse(item);
      yield { ...row, accountId: accountId ?? firstAccountId(PK) };
    }
  }

  /**
   * Every transaction of a date range, oldest first, for export and recomputation. `consistent`
   * when what is read decides a write (an import reconciling with what is there).
   */
  async *between(
    owner: Owner,
    from: string,
    to: string,
    consistent = false,
  ): AsyncGenerator<TransactionRecord> {
    for await (const item of queryRange(this.store.db, {
      table: this.table,
      pk: ownerKey(owner),
      low: `${prefixes.transaction}${from}`,
      high: `${prefixes.transaction}${to}#\uffff`,
      consistent,
    })) {
      yield this.parse(item);
    }
  }
}

function lastKey(item: Record<string, string>, index: string | undefined): Record<string, string> {
  const key: Record<string, string> = { PK: String(item.PK), SK: String(item.SK) };
  if (index === "GSI1") Object.assign(key, { GSI1PK: item.GSI1PK, GSI1SK: item.GSI1SK });
  if (index === "GSI2") Object.assign(key, { GSI2PK: item.GSI2PK, GSI2SK: item.GSI2SK });
  if (index === "GSI3") Object.assign(key, { GSI3PK: item.GSI3PK, GSI3SK: item.GSI3SK });
  return key;
}

const encode = (c: Cursor) => encodeCursor(c) as string;

/**
 * A cursor is only accepted for the caller's own partition and the same query shape: `i` names one
 * of the partitions being read, and `k` is a start key of exactly that partition's table or index,
 * inside its date range (see checkStartKey).
 */
function decodeTransactionCursor(
  cursor: string | undefined,
  owner: Owner,
  partitions: Omit<QueryCommandInput, "TableName">[],
): Cursor | undefined {
  if (cursor === undefined) return undefined;
  const c = parseCursor(cursor) as Cursor | null;
  if (typeof c !== "object" || c === null || Array.isArray(c)) throw badCursor();
  if (Object.keys(c).some((name) => name !== "i" && name !== "k")) throw badCursor();
  if (!Number.isInteger(c.i) || c.i < 0 || c.i >= partitions.length) throw badCursor();
  if (c.k === undefined) return { i: c.i };
  const partition = partitions[c.i];
  const values = partition?.ExpressionAttributeValues ?? {};
  const inRange = sortKeyBetween(String(values[":low"]), String(values[":high"]));
  const index = partition?.IndexName;
  const shape: Record<string, KeyRule> = { PK: ownerKey(owner), SK: inRange };
  if (index) Object.assign(shape, { [`${index}PK`]: String(values[":pk"]), [`${index}SK`]: sameAs("SK") });
  if (index === "GSI1") {
    // A category's index holds split parts too: their index key is in range, and their own key
    // is the part's, derived from it.
    Object.assign(shape, {
      GSI1SK: inRangePrefix(inRange),
      SK: (sk: string, key: Record<string, string>) =>
        sk === key.GSI1SK || sk === partKeyOf(String(key.GSI1SK)),
    });
  }
  return { i: c.i, k: checkStartKey(c.k, shape) };
}

/** A GSI1 sort key within the range, or a part's (its transaction's key and a category id after it). */
const inRangePrefix =
  (inRange: (value: string) => boolean) =>
  (value: string): boolean =>
    inRange(value) || (/#[0-9A-HJKMNP-TV-Z]{26}$/.test(value) && inRange(value.slice(0, -27)));

/** The part item's own sort key, from its GSI1 sort key. */
const partKeyOf = (gsi1sk: string) =>
  gsi1sk.startsWith(prefixes.transaction)
    ? `${prefixes.transactionPart}${gsi1sk.slice(prefixes.transaction.length)}`
    : "";
