import { ConditionalCheckFailedException } from "@aws-sdk/client-dynamodb";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { type MonthDelta, sumLedger } from "@tyche/core";
import { invalidField } from "../errors";
import { batchGet } from "./batch";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import { queryPrefix } from "./query";
import type { Store } from "./store";
import type { WriteOp } from "./transact";
import { TransactionRecord } from "./transactions";

/** A month's actuals as stored: kept by every transaction write, apart from the plan. */
export interface MonthTotals {
  month: string;
  income: number;
  /** Spending net of refunds. */
  expenses: number;
  /** Paid into card accounts from other accounts. */
  paidToDebt: number;
  count: number;
  spentByCategory: Record<string, number>;
  /** Bumped by every write of the month's transactions: what derived figures were computed from. */
  revision: number;
}

const SPENT = "spent#";

const emptyDelta = (month: string): MonthDelta => ({
  month,
  income: 0,
  expenses: 0,
  paidToDebt: 0,
  count: 0,
  byCategory: {},
});

export const emptyTotals = (month: string): MonthTotals => ({
  month,
  income: 0,
  expenses: 0,
  paidToDebt: 0,
  count: 0,
  spentByCategory: {},
  revision: 0,
});

export function toTotals(item: Record<string, unknown>): MonthTotals {
  const totals = emptyTotals(String(item.month));
  totals.income = Number(item.income ?? 0);
  totals.expenses = Number(item.expenses ?? 0);
  totals.paidToDebt = Number(item.paidToDebt ?? 0);
  totals.count = Number(item.count ?? 0);
  totals.revision = Number(item.revision ?? 0);
  for (const [name, value] of Object.entries(item)) {
    // Categories whose spending went back to zero keep a 0 attribute; they spent nothing.
    if (Number(value) === 0) continue;
    if (name.startsWith(SPENT)) totals.spentByCategory[name.slice(SPENT.length)] = Number(value);
  }
  return totals;
}

/**
 * The flat per-category attributes of a delta or a sum: `spent#<id>` cents. (How many things name
 * a category is counted on the category itself.)
 */
function perCategory(d: Pick<MonthDelta, "byCategory">): [string, number][] {
  return Object.entries(d.byCategory).map(([id, v]): [string, number] => [`${SPENT}${id}`, v]);
}

/**
 * ADDs a delta to a month's totals item, creating it on first use. One flat attribute per category
 * (`spent#<id>`) because ADD can create a top-level number but not a key inside a missing map.
 */
export function totalsDeltaOp(store: Store, owner: Owner, delta: MonthDelta): WriteOp {
  const names: Record<string, string> = {
    "#m": "month",
    "#e": "entity",
    "#i": "income",
    "#x": "expenses",
    "#d": "paidToDebt",
    "#n": "count",
  };
  const values: Record<string, unknown> = {
    ":m": delta.month,
    ":e": "monthTotals",
    ":i": delta.income,
    ":x": delta.expenses,
    ":d": delta.paidToDebt,
    ":n": delta.count,
    ":one": 1,
  };
  const adds = ["#i :i", "#x :x", "#d :d", "#n :n", "revision :one"];
  // Each total that moves must stay a safe integer, or reading it back loses cents (and answers
  // 500). Refunds move spending down, so the bound holds both ways.
  const limits: string[] = [];
  const capped = (name: string, change: number) => {
    if (change === 0) return;
    const bound = `${name.replace("#", ":")}bound`;
    values[bound] = change > 0 ? Number.MAX_SAFE_INTEGER - change : -Number.MAX_SAFE_INTEGER - change;
    limits.push(`(attribute_not_exists(${name}) OR ${name} ${change > 0 ? "<=" : ">="} ${bound})`);
  };
  capped("#i", delta.income);
  capped("#x", delta.expenses);
  capped("#d", delta.paidToDebt);
  perCategory(delta).forEach(([attribute, value], i) => {
    names[`#c${i}`] = attribute;
    values[`:c${i}`] = value;
    adds.push(`#c${i} :c${i}`);
    capped(`#c${i}`, value);
  });
  return {
    item: {
      Update: {
        TableName: store.tables.budgets,
        Key: keys.monthTotals(owner, delta.month),
        UpdateExpression: `SET #m = :m, #e = :e ADD ${adds.join(", ")}`,
        ...(limits.length ? { ConditionExpression: limits.join(" AND ") } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
    onConditionFailed: () => totalsOverflow(delta.month),
  };
}

/**
 * The totals ops of a change: each month's delta, and for a month the change touches without moving
 * any total (a merchant renamed, a note) an op that only bumps its revision, since what the month's
 * analytics show has changed all the same.
 */
export function totalsOps(
  store: Store,
  owner: Owner,
  deltas: readonly MonthDelta[],
  touchedMonths: Iterable<string>,
): WriteOp[] {
  const moved = new Set(deltas.map((d) => d.month));
  const touched = [...new Set(touchedMonths)].filter((m) => !moved.has(m)).map(emptyDelta);
  return [...deltas, ...touched].map((d) => totalsDeltaOp(store, owner, d));
}

/** The answer when a write would take a month's income, expenses or a category's spending past 2^53 - 1 cents. */
export const totalsOverflow = (month: string) =>
  invalidField(
    "amount",
    `would take the totals of ${month} past ${Number.MAX_SAFE_INTEGER} cents, more than can be added up exactly`,
  );

export class MonthTotalsRepository {
  constructor(private readonly store: Store) {}

  /** Totals for the given months, zero for months with no transactions. */
  async getMany(owner: Owner, months: readonly string[]): Promise<Map<string, MonthTotals>> {
    const out = new Map(months.map((m) => [m, emptyTotals(m)]));
    const unique = [...new Set(months)].map((m) => keys.monthTotals(owner, m));
    // Strongly consistent: a budget read right after a transaction write must show it.
    for (const item of await batchGet(this.store.db, this.store.tables.budgets, unique, undefined, true)) {
      out.set(String(item.month), toTotals(item));
    }
    return out;
  }

  /**
   * Rewrites a month's totals from its transactions: the repair after an import was cut off between
   * writing rows and counting them. `revision`, which every ADD bumps, guards the rewrite against
   * a transaction written meanwhile; then it reads again.
   */
  async recompute(owner: Owner, month: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const { Item } = await this.store.db.send(
        new GetCommand({
          TableName: this.store.tables.budgets,
          Key: keys.monthTotals(owner, month),
          ConsistentRead: true,
        }),
      );
      const entries = [];
      for await (const item of queryPrefix(
        this.store.db,
        this.store.tables.transactionDetails,
        ownerKey(owner),
        `${prefixes.transaction}${month}`,
      )) {
        entries.push(TransactionRecord.parse(item));
      }
      const sum = sumLedger(entries).get(month) ?? emptyDelta(month);
      const revision = Item?.revision === undefined ? undefined : Number(Item.revision);
      try {
        await this.store.db.send(
          new PutCommand({
            TableName: this.store.tables.budgets,
            Item: {
              ...keys.monthTotals(owner, month),
              entity: "monthTotals",
              month,
              income: sum.income,
              expenses: sum.expenses,
              paidToDebt: sum.paidToDebt,
              count: sum.count,
              ...Object.fromEntries(perCategory(sum)),
              revision: (revision ?? 0) + 1,
            },
            // Also true when there is no item yet.
            ...(revision === undefined
              ? { ConditionExpression: "attribute_not_exists(revision)" }
              : { ConditionExpression: "revision = :r", ExpressionAttributeValues: { ":r": revision } }),
          }),
        );
        return;
      } catch (err) {
        if (!(err instanceof ConditionalCheckFailedException) || attempt >= 10) throw err;
      }
    }
  }

  /** A check, inside a write, that no transaction is recorded in the month. */
  noTransactionsCheck(owner: Owner, month: string, onConditionFailed: () => Error): WriteOp {
    return {
      item: {
        ConditionCheck: {
          TableName: this.store.tables.budgets,
          Key: keys.monthTotals(owner, month),
          ConditionExpression: "attribute_not_exists(#n) OR #n = :zero",
          ExpressionAttributeNames: { "#n": "count" },
          ExpressionAttributeValues: { ":zero": 0 },
        },
      },
      onConditionFailed,
    };
  }

  async get(owner: Owner, month: string): Promise<MonthTotals> {
    return (await this.getMany(owner, [month])).get(month) ?? emptyTotals(month);
  }
}
