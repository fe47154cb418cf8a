import type { MonthDelta } from "@tyche/core";
import { batchGet } from "./batch";
import { keys, type Owner } from "./keys";
import type { Store } from "./store";
import type { WriteOp } from "./transact";

/** A month's actuals as stored: kept by every transaction write, apart from the plan. */
export interface MonthTotals {
  month: string;
  income: number;
  expenses: number;
  count: number;
  spentByCategory: Record<string, number>;
  /** How many transactions name each category, income included. */
  usesByCategory: Record<string, number>;
}

const SPENT = "spent#";
const USED = "used#";

export const emptyTotals = (month: string): MonthTotals => ({
  month,
  income: 0,
  expenses: 0,
  count: 0,
  spentByCategory: {},
  usesByCategory: {},
});

export function toTotals(item: Record<string, unknown>): MonthTotals {
  const totals = emptyTotals(String(item.month));
  totals.income = Number(item.income ?? 0);
  totals.expenses = Number(item.expenses ?? 0);
  totals.count = Number(item.count ?? 0);
  for (const [name, value] of Object.entries(item)) {
    // Categories whose spending went back to zero keep a 0 attribute; they spent nothing.
    if (Number(value) === 0) continue;
    if (name.startsWith(SPENT)) totals.spentByCategory[name.slice(SPENT.length)] = Number(value);
    if (name.startsWith(USED)) totals.usesByCategory[name.slice(USED.length)] = Number(value);
  }
  return totals;
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
    "#n": "count",
  };
  const values: Record<string, unknown> = {
    ":m": delta.month,
    ":e": "monthTotals",
    ":i": delta.income,
    ":x": delta.expenses,
    ":n": delta.count,
  };
  const adds = ["#i :i", "#x :x", "#n :n"];
  Object.entries(delta.byCategory).forEach(([categoryId, amount], i) => {
    names[`#c${i}`] = `${SPENT}${categoryId}`;
    values[`:c${i}`] = amount;
    adds.push(`#c${i} :c${i}`);
  });
  Object.entries(delta.uses).forEach(([categoryId, count], i) => {
    names[`#u${i}`] = `${USED}${categoryId}`;
    values[`:u${i}`] = count;
    adds.push(`#u${i} :u${i}`);
  });
  return {
    item: {
      Update: {
        TableName: store.tables.budgets,
        Key: keys.monthTotals(owner, delta.month),
        UpdateExpression: `SET #m = :m, #e = :e ADD ${adds.join(", ")}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    },
  };
}

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

  async get(owner: Owner, month: string): Promise<MonthTotals> {
    return (await this.getMany(owner, [month])).get(month) ?? emptyTotals(month);
  }
}
