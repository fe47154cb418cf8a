import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type Harness, harness, type Reply, signup, type Account as User } from "./support/harness";

/*
 * The stored month totals (`TOTALS#<YYYY-MM>` in the budgets table) and the account balances
 * under random changes, some of them sent at the same time: expenses, income, refunds and
 * transfers between a user's accounts, edited through either leg, moved to other accounts, turned
 * from one kind into another, deleted. The expected figures come from a recount written here, from
 * the transactions as the API answered them: sharing no code with the deltas the app applies, so
 * a mistake there shows up as a difference instead of being repeated on both sides.
 */

let h: Harness;

beforeAll(() => {
  h = harness();
});

// ---------------------------------------------------------------------------------------------
// The model

type Kind = "expense" | "income" | "refund" | "transfer";
const KINDS: readonly Kind[] = ["expense", "income", "refund", "transfer"];

interface Part {
  categoryId: string;
  amount: number;
}

interface Link {
  fromAccountId: string;
  toAccountId: string;
  linkedTransactionId: string;
}

/**
 * The fields of one stored record that decide the totals and balances, as the API last answered
 * them. A transfer is two records, one in each account, each linking the other.
 */
interface Known {
  transactionId: string;
  accountId: string;
  toAccountId: string | null;
  transfer: Link | null;
  date: string;
  amount: number;
  type: Kind;
  categoryId: string | null;
  splits: Part[] | null;
  version: number;
}

type AccountType = "checking" | "savings" | "credit-card";

/** One of the user's accounts as the test opened it: what decides how its records count. */
interface Holding {
  accountId: string;
  type: AccountType;
  onBudget: boolean;
  openingBalance: number;
}

interface Totals {
  income: number;
  /** Spending net of refunds. */
  expenses: number;
  paidToDebt: number;
  count: number;
  /** Non-zero spending per category id; `uncategorized` for spending without one. */
  spent: Record<string, number>;
}

interface Balance {
  balance: number;
  transactionCount: number;
}

const UNCATEGORISED = "uncategorized";
const monthOf = (date: string) => date.slice(0, 7);

// biome-ignore lint/suspicious/noExplicitAny: answers are untyped JSON, checked field by field here
function known(body: any): Known {
  const link = body.transfer;
  const t: Known = {
    transactionId: String(body.transactionId),
    accountId: String(body.accountId),
    toAccountId: body.toAccountId ?? null,
    transfer: link
      ? {
          fromAccountId: String(link.fromAccountId),
          toAccountId: String(link.toAccountId),
          linkedTransactionId: String(link.linkedTransactionId),
        }
      : null,
    date: String(body.date),
    amount: Number(body.amount),
    type: body.type,
    categoryId: body.categoryId ?? null,
    splits: Array.isArray(body.splits)
      ? body.splits.map((p: Part) => ({ categoryId: p.categoryId, amount: p.amount }))
      : null,
    version: Number(body.version),
  };
  const shown = JSON.stringify(body);
  expect(KINDS, shown).toContain(t.type);
  expect(t.transfer !== null, `a transfer, and only a transfer, links another leg: ${shown}`).toBe(
    t.type === "transfer",
  );
  if (t.type === "transfer") expect(t.splits, `a transfer is never split: ${shown}`).toBeNull();
  return t;
}

/** A transfer's out leg is the record in the account the money left; the in leg, where it arrived. */
const isOutLeg = (t: Known) => t.transfer !== null && t.accountId === t.transfer.fromAccountId;

/**
 * A month's totals counted from scratch, by these rules (DESIGN.md, "Accounts and money
 * movement"):
 *
 * - Every record dated in the month counts once in `count`: each leg of a transfer is a record.
 * - In an account on the budget, an expense adds to spending (its category's, or each split
 *   part's in its own), a refund takes as much off it (so spending may go below zero), and income
 *   adds to income. In an off-budget (tracking) account, none of the three is the budget's.
 * - A transfer between two on-budget accounts (or two off-budget ones) is neither income nor
 *   spending. Money leaving the budget for an off-budget account is spending, counted on the out
 *   leg in that leg's category; money arriving from an off-budget account is income, on the in leg.
 * - A transfer into a credit card from an account that is not a card pays debt: its in leg adds to
 *   `paidToDebt` (a card paying another card moves debt, it does not pay it).
 */
function recount(
  transactions: Iterable<Known>,
  month: string,
  accounts: ReadonlyMap<string, Holding>,
): Totals {
  const totals: Totals = { income: 0, expenses: 0, paidToDebt: 0, count: 0, spent: {} };
  const account = (id: string) => {
    const a = accounts.get(id);
    if (!a) throw new Error(`the model does not know account ${id}`);
    return a;
  };
  const spend = (t: Known, sign: 1 | -1) => {
    totals.expenses += sign * t.amount;
    const lines: Part[] = t.splits ?? [{ categoryId: t.categoryId ?? UNCATEGORISED, amount: t.amount }];
    for (const line of lines)
      totals.spent[line.categoryId] = (totals.spent[line.categoryId] ?? 0) + sign * line.amount;
  };
  for (const t of transactions) {
    if (monthOf(t.date) !== month) continue;
    totals.count += 1;
    if (t.transfer) {
      const from = account(t.transfer.fromAccountId);
      const to = account(t.transfer.toAccountId);
      if (isOutLeg(t)) {
        if (from.onBudget && !to.onBudget) spend(t, 1);
      } else {
        if (!from.onBudget && to.onBudget) totals.income += t.amount;
        if (to.type === "credit-card" && from.type !== "credit-card") totals.paidToDebt += t.amount;
      }
      continue;
    }
    if (!account(t.accountId).onBudget) continue;
    if (t.type === "income") totals.income += t.amount;
    else spend(t, t.type === "refund" ? -1 : 1);
  }
  for (const [id, cents] of Object.entries(totals.spent)) if (cents === 0) delete totals.spent[id];
  return totals;
}

/**
 * Each account's balance counted from scratch: money in (income, a refund, a transfer's in leg)
 * raises what an account holds, money out (an expense, a transfer's out leg) lowers it. A credit
 * card shows what is owed instead: its opening balance less what came in plus what went out.
 */
function recountBalances(
  transactions: Iterable<Known>,
  accounts: ReadonlyMap<string, Holding>,
): Record<string, Balance> {
  const flow = new Map<string, number>();
  const count = new Map<string, number>();
  for (const t of transactions) {
    const out = t.type === "expense" || (t.type === "transfer" && isOutLeg(t));
    flow.set(t.accountId, (flow.get(t.accountId) ?? 0) + (out ? -t.amount : t.amount));
    count.set(t.accountId, (count.get(t.accountId) ?? 0) + 1);
  }
  const out: Record<string, Balance> = {};
  for (const a of accounts.values()) {
    const net = flow.get(a.accountId) ?? 0;
    out[a.accountId] = {
      balance: a.type === "credit-card" ? a.openingBalance - net : a.openingBalance + net,
      transactionCount: count.get(a.accountId) ?? 0,
    };
  }
  for (const id of flow.keys())
    if (!accounts.has(id)) throw new Error(`a record is in unknown account ${id}`);
  return out;
}

/**
 * Both legs of every transfer are there and agree: each links the other, both name the same two
 * (different) accounts, one leg sits in each, and they share the amount and the date.
 */
function expectPairs(transactions: ReadonlyMap<string, Known>, when: string): void {
  for (const t of transactions.values()) {
    const shown = JSON.stringify(t);
    if (!t.transfer) {
      expect(t.toAccountId, `only a transfer names a toAccountId ${when}: ${shown}`).toBeNull();
      continue;
    }
    const { fromAccountId, toAccountId, linkedTransactionId } = t.transfer;
    expect(fromAccountId, `a transfer between two accounts ${when}: ${shown}`).not.toBe(toAccountId);
    expect([fromAccountId, toAccountId], `a leg in one of its accounts ${when}: ${shown}`).toContain(
      t.accountId,
    );
    expect(t.toAccountId, `toAccountId is where the money went ${when}: ${shown}`).toBe(toAccountId);
    const other = transactions.get(linkedTransactionId);
    expect(other, `the other leg of ${shown} ${when}`).toBeDefined();
    const o = other as Known;
    expect(
      { accountId: o.accountId, transfer: o.transfer, date: o.date, amount: o.amount },
      `the two legs of ${t.transactionId} ${when}`,
    ).toEqual({
      accountId: isOutLeg(t) ? toAccountId : fromAccountId,
      transfer: { fromAccountId, toAccountId, linkedTransactionId: t.transactionId },
      date: t.date,
      amount: t.amount,
    });
  }
}

/** What the test created and changed, and every month any of it was ever dated in. */
class Model {
  readonly transactions = new Map<string, Known>();
  readonly touched = new Set<string>();

  constructor(
    readonly accounts: ReadonlyMap<string, Holding>,
    /** The categories the budget of BUDGET_MONTH plans. */
    readonly planned: ReadonlySet<string>,
  ) {}

  /**
   * Every record, either leg of a transfer included, in the order it was first seen, so that a
   * generated slot number means a stable choice among the live ones.
   */
  ids(): string[] {
    return [...this.transactions.keys()];
  }

  get(id: string): Known {
    const t = this.transactions.get(id);
    if (!t) throw new Error(`the model does not know ${id}`);
    return t;
  }

  /** A month a transaction moved out of must fall back, so it stays among the months checked. */
  put(t: Known): void {
    const old = this.transactions.get(t.transactionId);
    if (old) this.touched.add(monthOf(old.date));
    this.touched.add(monthOf(t.date));
    this.transactions.set(t.transactionId, t);
  }

  remove(id: string): void {
    this.touched.add(monthOf(this.get(id).date));
    this.transactions.delete(id);
  }
}

// ---------------------------------------------------------------------------------------------
// What is stored

const ZERO: Totals = { income: 0, expenses: 0, paidToDebt: 0, count: 0, spent: {} };

/**
 * Every item of the user's partition in `table` whose sort key starts with `prefix`, read from the
 * table itself (strongly consistent) because the items are what is under test; keys spelled out
 * here as DESIGN.md has them, so a change to the data layer's code cannot change what is expected.
 */
async function storedItems(user: User, table: string, prefix: string) {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await h.store.db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "PK = :pk AND begins_with(SK, :sk)",
        ExpressionAttributeValues: {
          ":pk": `TENANT#${user.owner.tenantId}#USER#${user.owner.userId}`,
          ":sk": prefix,
        },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** Every TOTALS item of the user, by month. */
async function storedTotals(user: User): Promise<Map<string, Totals>> {
  const out = new Map<string, Totals>();
  for (const item of await storedItems(user, h.store.tables.budgets, "TOTALS#")) {
    const totals: Totals = {
      income: Number(item.income ?? 0),
      expenses: Number(item.expenses ?? 0),
      paidToDebt: Number(item.paidToDebt ?? 0),
      count: Number(item.count ?? 0),
      spent: {},
    };
    for (const [name, value] of Object.entries(item)) {
      // A category whose spending went back to zero may keep its attribute at 0: it spent nothing.
      if (name.startsWith("spent#") && Number(value) !== 0) totals.spent[name.slice(6)] = Number(value);
    }
    out.set(String(item.SK).slice("TOTALS#".length), totals);
  }
  return out;
}

/** Every category's stored `useCount`: what lets a delete go ahead, so it must be exact. */
async function storedUseCounts(user: User): Promise<Record<string, number>> {
  const items = await storedItems(user, h.store.tables.budgets, "CATEGORY#");
  return Object.fromEntries(items.map((i) => [String(i.categoryId), Number(i.useCount)]));
}

/**
 * How many things name each category: once per record, however many parts name it, and once for
 * the budget that plans it.
 */
function countUses(
  transactions: Iterable<Known>,
  categoryIds: Iterable<string>,
  planned: ReadonlySet<string>,
): Record<string, number> {
  const uses = Object.fromEntries([...categoryIds].map((id) => [id, planned.has(id) ? 1 : 0]));
  for (const t of transactions) {
    const named = new Set([
      ...(t.categoryId ? [t.categoryId] : []),
      ...(t.splits ?? []).map((p) => p.categoryId),
    ]);
    for (const id of named) uses[id] = (uses[id] ?? 0) + 1;
  }
  return uses;
}

/** Every stored split part: which transaction, which category, how much, in which month's index. */
async function storedParts(user: User): Promise<string[]> {
  const items = await storedItems(user, h.store.tables.transactionDetails, "TXNPART#");
  return items
    .map((i) => {
      const part = i.part as { categoryId: string; amount: number };
      const month = String(i.GSI1PK).split("#BUDGET#")[1]?.slice(0, 7);
      return `${i.transactionId} ${part.categoryId} ${part.amount} ${month}`;
    })
    .sort();
}

/** The parts the model expects: one per category a split names, with the amounts there added up. */
function expectedParts(transactions: Iterable<Known>): string[] {
  const out: string[] = [];
  for (const t of transactions) {
    const amounts = new Map<string, number>();
    for (const p of t.splits ?? []) amounts.set(p.categoryId, (amounts.get(p.categoryId) ?? 0) + p.amount);
    for (const [categoryId, amount] of amounts)
      out.push(`${t.transactionId} ${categoryId} ${amount} ${monthOf(t.date)}`);
  }
  return out.sort();
}

/** Balance and transaction count of each of the user's accounts, as the API shows them. */
async function shownBalances(user: User): Promise<Record<string, Balance>> {
  const res = await h.call("GET", "/v1/accounts", { token: user.token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return Object.fromEntries(
    (res.body.items as (Balance & { accountId: string })[]).map((a) => [
      a.accountId,
      { balance: a.balance, transactionCount: a.transactionCount },
    ]),
  );
}

/**
 * Months the model touched and months that have an item, so neither a leftover nor a gap hides;
 * then every account's balance and count, the categories' use counts and the split parts.
 */
async function expectTotals(
  user: User,
  model: Model,
  transactions: Iterable<Known>,
  when: string,
): Promise<void> {
  const all = [...transactions];
  const [stored, useCounts, parts, balances] = await Promise.all([
    storedTotals(user),
    storedUseCounts(user),
    storedParts(user),
    shownBalances(user),
  ]);
  for (const month of [...new Set([...model.touched, ...stored.keys()])].sort()) {
    expect({ month, ...(stored.get(month) ?? ZERO) }, `stored totals ${when}`).toEqual({
      month,
      ...recount(all, month, model.accounts),
    });
  }
  expect(balances, `account balances ${when}`).toEqual(recountBalances(all, model.accounts));
  expect(useCounts, `category use counts ${when}`).toEqual(
    countUses(all, Object.keys(useCounts), model.planned),
  );
  expect(parts, `split parts ${when}`).toEqual(expectedParts(all));
}

async function listAll(user: User): Promise<Known[]> {
  const out: Known[] = [];
  let cursor: string | undefined;
  do {
    const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const res = await h.call("GET", `/v1/transactions?limit=500${query}`, { token: user.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    out.push(...res.body.items.map(known));
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

const byId = (ts: Iterable<Known>) =>
  Object.fromEntries(
    [...ts].map((t) => [t.transactionId, t] as const).sort(([a], [b]) => a.localeCompare(b)),
  );

// ---------------------------------------------------------------------------------------------
// What the test does

/** Month ends and starts next to each other, so moving a day often moves a month, a year once. */
const DATES = ["2024-12-31", "2025-01-01", "2025-01-31", "2025-02-01", "2025-02-28", "2025-03-15"];
const SLUGS = ["groceries", "dining", "housing", "transport", "debt-payments"];
/** The month the user plans a budget for, whose view must show the same income and debt paid. */
const BUDGET_MONTH = "2025-01";

/**
 * The accounts of a run, besides the checking account every user starts with: a credit card and
 * an off-budget savings account always, and maybe a fourth: savings on the budget, so that money
 * moves between budget accounts other than into a card, or a second card, so that a card pays a card.
 */
interface Setup {
  /** Opening balances of checking, the card, the off-budget savings and the fourth account. */
  openings: [number, number, number, number];
  fourth: "none" | "savings" | "credit-card";
}

type Shape =
  | { kind: "category"; cat: number | null }
  | { kind: "split"; cats: number[]; weights: number[] }
  | { kind: "unsplit" };

interface Create {
  kind: "create";
  date: string;
  amount: number;
  type: Kind;
  /**
   * Without a category (no shape, a null one, or a split too small to make) the app may choose one
   * from merchant history: the model takes the category from the answer, never from the request.
   * A transfer given a split is refused.
   */
  shape?: Shape;
  merchant: number;
  /** The account, among the run's; none named means the default, the first (checking) account. */
  account?: number;
  /** For a transfer: which of the other accounts the money goes to. */
  to: number;
}
interface Update {
  kind: "update";
  /** Any record, so either leg of a transfer. */
  slot: number;
  date?: string;
  amount?: number;
  type?: Kind;
  shape?: Shape;
  /** Moves the record (a transfer: its source) to that account. */
  account?: number;
  /** For a transfer: a new destination among the accounts other than the source. */
  to?: number;
}
interface Delete {
  kind: "delete";
  slot: number;
}
type Op = Create | Update | Delete;
/**
 * Racing updates cannot know what the others left, so each says the whole of what decides the
 * totals: kind, amount, shape and accounts. `other` addresses the other leg when it is a transfer.
 */
interface RaceUpdate {
  other: boolean;
  type: Kind;
  amount: number;
  shape: Shape;
  account: number;
  to: number;
  date?: string;
}

/** One request, several independent ones at once, or several updates of one transaction at once. */
type Step =
  | { kind: "one"; op: Op }
  | { kind: "parallel"; ops: Op[] }
  | { kind: "race"; slot: number; transfer: boolean; updates: RaceUpdate[] };

const amountArb = fc.integer({ min: 1, max: 500_000 });
const kindArb = fc.constantFrom<Kind>(
  "expense",
  "expense",
  "expense",
  "income",
  "refund",
  "transfer",
  "transfer",
);
const accountArb = fc.nat(11);
const shapeArb: fc.Arbitrary<Shape> = fc.oneof(
  fc.record({
    kind: fc.constant("category" as const),
    cat: fc.option(fc.nat(SLUGS.length - 1), { nil: null }),
  }),
  fc.record({
    kind: fc.constant("split" as const),
    cats: fc.uniqueArray(fc.nat(SLUGS.length - 1), { minLength: 2, maxLength: 4 }),
    weights: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 4, maxLength: 4 }),
  }),
  fc.constant({ kind: "unsplit" as const }),
);
const setupArb: fc.Arbitrary<Setup> = fc.record({
  openings: fc.tuple(
    fc.integer({ min: -50_000, max: 1_000_000 }),
    fc.integer({ min: -5_000, max: 800_000 }),
    fc.integer({ min: 0, max: 2_000_000 }),
    fc.integer({ min: -50_000, max: 1_000_000 }),
  ),
  fourth: fc.constantFrom<Setup["fourth"]>("none", "savings", "credit-card"),
});
const createArb: fc.Arbitrary<Create> = fc.record(
  {
    kind: fc.constant("create" as const),
    date: fc.constantFrom(...DATES),
    amount: amountArb,
    type: kindArb,
    shape: shapeArb,
    merchant: fc.nat(2),
    account: accountArb,
    to: accountArb,
  },
  { requiredKeys: ["kind", "date", "amount", "type", "merchant", "to"] },
);
const updateArb: fc.Arbitrary<Update> = fc.record(
  {
    kind: fc.constant("update" as const),
    slot: fc.nat(50),
    date: fc.constantFrom(...DATES),
    amount: amountArb,
    // Absent more often than an optional key would be: most edits keep the kind, the account and
    // the destination (and are made through either leg of a transfer).
    type: fc.option(kindArb, { nil: undefined, freq: 3 }),
    shape: shapeArb,
    account: fc.option(accountArb, { nil: undefined, freq: 2 }),
    to: fc.option(accountArb, { nil: undefined, freq: 2 }),
  },
  { requiredKeys: ["kind", "slot", "type", "account", "to"] },
);
const deleteArb: fc.Arbitrary<Delete> = fc.record({ kind: fc.constant("delete" as const), slot: fc.nat(50) });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: createArb, weight: 4 },
  { arbitrary: updateArb, weight: 5 },
  { arbitrary: deleteArb, weight: 1 },
);
const oneArb: fc.Arbitrary<Step> = fc.record({ kind: fc.constant("one" as const), op: opArb });
const parallelArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.constant("parallel" as const),
  ops: fc.array(opArb, { minLength: 2, maxLength: 6 }),
});
const raceArb: fc.Arbitrary<Step> = fc.record({
  kind: fc.constant("race" as const),
  slot: fc.nat(50),
  // Mostly a transfer's legs, where two records move together.
  transfer: fc.constantFrom(true, true, true, false),
  updates: fc.array(
    fc.record(
      {
        other: fc.boolean(),
        type: kindArb,
        amount: amountArb,
        shape: shapeArb,
        account: accountArb,
        to: accountArb,
        date: fc.constantFrom(...DATES),
      },
      { requiredKeys: ["other", "type", "amount", "shape", "account", "to"] },
    ),
    { minLength: 2, maxLength: 6 },
  ),
});

/**
 * Parts adding up to `total`, each at least one cent, in proportion to the weights; null when
 * `total` is too small to give every part a cent.
 */
function splitParts(
  total: number,
  categoryIds: readonly string[],
  weights: readonly number[],
): Part[] | null {
  const n = categoryIds.length;
  if (total < n) return null;
  const spare = total - n;
  const w = categoryIds.map((_, i) => weights[i] ?? 1);
  const sum = w.reduce((a, b) => a + b, 0);
  const parts = categoryIds.map((categoryId, i) => ({
    categoryId,
    amount: 1 + Math.floor((spare * (w[i] ?? 1)) / sum),
  }));
  const last = parts[n - 1] as Part;
  last.amount += total - parts.reduce((s, p) => s + p.amount, 0);
  return parts;
}

interface Planned {
  method: string;
  path: string;
  body?: Record<string, unknown>;
  status: number;
  /** What the answer changes in the model; a refused request changes nothing. */
  apply(reply: Reply): Promise<void>;
}

const REFUSED = async () => undefined;

class Run {
  readonly model: Model;

  constructor(
    readonly user: User,
    /** The run's accounts, checking first. */
    private readonly accounts: readonly Holding[],
    private readonly categoryIds: readonly string[],
    planned: ReadonlySet<string>,
  ) {
    this.model = new Model(new Map(accounts.map((a) => [a.accountId, a])), planned);
  }

  private get checking(): string {
    return (this.accounts[0] as Holding).accountId;
  }

  private account(i: number): string {
    return (this.accounts[i % this.accounts.length] as Holding).accountId;
  }

  /** One of the accounts other than `from`, chosen by `i`: a transfer's destination. */
  private otherThan(from: string, i: number): string {
    const others = this.accounts.filter((a) => a.accountId !== from);
    return (others[i % others.length] as Holding).accountId;
  }

  private category(i: number | null): string | null {
    return i === null ? null : (this.categoryIds[i] as string);
  }

  private parts(total: number, shape: Extract<Shape, { kind: "split" }>): Part[] | null {
    return splitParts(
      total,
      shape.cats.map((i) => this.category(i) as string),
      shape.weights,
    );
  }

  /**
   * A record live now (a transfer's leg, if asked and there is one), by slot; undefined when there
   * is none or the one chosen is taken. Both legs of a transfer are taken together: a write to
   * either writes both.
   */
  private target(slot: number, taken: Set<string>, transfer = false): string | undefined {
    const all = this.model.ids();
    const transfers = all.filter((id) => this.model.get(id).transfer);
    const ids = transfer && transfers.length ? transfers : all;
    const id = ids[slot % Math.max(ids.length, 1)];
    if (id === undefined || taken.has(id)) return undefined;
    taken.add(id);
    const partner = this.model.get(id).transfer?.linkedTransactionId;
    if (partner) taken.add(partner);
    return id;
  }

  private call(p: { method: string; path: string; body?: unknown }): Promise<Reply> {
    return h.call(p.method, p.path, { token: this.user.token, ...(p.body ? { body: p.body } : {}) });
  }

  /** Reads a record (the other leg of a transfer) into the model: an answer shows only the one addressed. */
  private async fetch(id: string): Promise<Known> {
    const res = await this.call({ method: "GET", path: `/v1/transactions/${id}` });
    expect(res.status, `GET ${id}: ${JSON.stringify(res.body)}`).toBe(200);
    const t = known(res.body);
    this.model.put(t);
    return t;
  }

  private async expectGone(id: string): Promise<void> {
    const res = await this.call({ method: "GET", path: `/v1/transactions/${id}` });
    expect(res.status, `${id} is gone: ${JSON.stringify(res.body)}`).toBe(404);
  }

  private create(op: Create): Planned {
    const named = op.account === undefined ? undefined : this.account(op.account);
    const from = named ?? this.checking;
    const body: Record<string, unknown> = {
      date: op.date,
      amount: op.amount,
      type: op.type,
      merchant: `Shop ${op.merchant}`,
      ...(named ? { accountId: named } : {}),
      ...(op.type === "transfer" ? { toAccountId: this.otherThan(from, op.to) } : {}),
    };
    const splits = op.shape?.kind === "split" ? this.parts(op.amount, op.shape) : null;
    if (splits) body.splits = splits;
    else if (op.shape?.kind === "category") body.categoryId = this.category(op.shape.cat);
    if (op.type === "transfer" && splits) {
      return { method: "POST", path: "/v1/transactions", body, status: 400, apply: REFUSED };
    }
    return {
      method: "POST",
      path: "/v1/transactions",
      body,
      status: 201,
      apply: async (r) => {
        const t = known(r.body);
        expect(t.accountId, "a transaction naming no account goes into the first one").toBe(from);
        this.model.put(t);
        if (t.transfer) await this.fetch(t.transfer.linkedTransactionId);
      },
    };
  }

  /**
   * An update's body, made against the record as the model knows it, and whether the app must
   * refuse it: a split given to a transfer, or a transfer's source moved onto its destination.
   */
  private patch(op: Update, current: Known): { body: Record<string, unknown>; refused: boolean } {
    const type = op.type ?? current.type;
    const amount = op.amount ?? current.amount;
    const moved = op.account === undefined ? undefined : this.account(op.account);
    const body: Record<string, unknown> = {
      ...(op.date ? { date: op.date } : {}),
      ...(op.type ? { type: op.type } : {}),
      ...(op.amount ? { amount: op.amount } : {}),
      ...(moved ? { accountId: moved } : {}),
    };
    let refused = false;
    if (type === "transfer") {
      // Whichever leg is addressed, accountId is where the money leaves from.
      const from = moved ?? current.transfer?.fromAccountId ?? current.accountId;
      const kept = current.transfer?.toAccountId;
      if (op.to !== undefined || !kept) body.toAccountId = this.otherThan(from, op.to ?? 0);
      refused ||= (body.toAccountId ?? kept) === from;
    }
    const shape = op.shape;
    if (shape?.kind === "split") {
      const splits = this.parts(amount, shape);
      body.splits = splits;
      refused ||= type === "transfer" && splits !== null;
    } else if (shape?.kind === "category") {
      // Splits left in place would contradict the category, and the app refuses both at once.
      body.categoryId = this.category(shape.cat);
      if (current.splits) body.splits = null;
    } else if (shape?.kind === "unsplit") {
      body.splits = null;
    } else if (current.splits && op.amount !== undefined && type !== "transfer") {
      // Same parts, rescaled to the new amount: splits must always add up to the amount.
      body.splits = splitParts(
        amount,
        current.splits.map((p) => p.categoryId),
        current.splits.map((p) => p.amount),
      );
    }
    return { body, refused };
  }

  /**
   * A body that holds whatever state the record is in when it lands, either leg of a transfer or
   * none: for racing updates.
   */
  private whole(u: RaceUpdate): Record<string, unknown> {
    const from = this.account(u.account);
    const base = { amount: u.amount, type: u.type, accountId: from, ...(u.date ? { date: u.date } : {}) };
    if (u.type === "transfer") {
      const category = u.shape.kind === "category" ? { categoryId: this.category(u.shape.cat) } : {};
      return { ...base, toAccountId: this.otherThan(from, u.to), splits: null, ...category };
    }
    if (u.shape.kind === "split") return { ...base, splits: this.parts(u.amount, u.shape) };
    if (u.shape.kind === "category") return { ...base, splits: null, categoryId: this.category(u.shape.cat) };
    return { ...base, splits: null };
  }

  plan(op: Op, taken: Set<string>): Planned | undefined {
    if (op.kind === "create") return this.create(op);
    const id = this.target(op.slot, taken);
    if (!id) return undefined;
    const current = this.model.get(id);
    const partner = current.transfer?.linkedTransactionId;
    if (op.kind === "delete") {
      return {
        method: "DELETE",
        path: `/v1/transactions/${id}`,
        status: 204,
        // Deleting either leg deletes the pair.
        apply: async () => {
          this.model.remove(id);
          if (partner) this.model.remove(partner);
        },
      };
    }
    const { body, refused } = this.patch(op, current);
    return {
      method: "PUT",
      path: `/v1/transactions/${id}`,
      body,
      status: refused ? 422 : 200,
      apply: refused
        ? REFUSED
        : async (r) => {
            const after = known(r.body);
            expect(after.transactionId, "the record addressed stays").toBe(id);
            this.model.put(after);
            const linked = after.transfer?.linkedTransactionId;
            // A transfer edited as a transfer keeps its in leg; made another kind, the other leg goes.
            if (partner && linked !== partner) {
              this.model.remove(partner);
              await this.expectGone(partner);
            }
            if (linked) await this.fetch(linked);
          },
    };
  }

  async step(s: Step): Promise<void> {
    if (s.kind === "race") return this.race(s);
    const taken = new Set<string>();
    const planned = (s.kind === "one" ? [s.op] : s.ops)
      .map((op) => this.plan(op, taken))
      .filter((p): p is Planned => p !== undefined);
    const replies = await Promise.all(planned.map((p) => this.call(p)));
    // One after another, so the model's order (and so what a slot means) does not depend on timing.
    for (const [i, p] of planned.entries()) {
      const reply = replies[i] as Reply;
      expect(reply.status, JSON.stringify({ request: p, answer: reply.body })).toBe(p.status);
      await p.apply(reply);
    }
  }

  /**
   * Updates of one transaction at once, without If-Match, addressed to either leg when it is a
   * transfer: the database decides their order, so the model takes the records as read back
   * afterwards. Each update that lands is applied on top of all that landed before it, raising
   * the version of the record it addressed by one; so the n-th to land answers its leg's version
   * from before the race plus n, and the last to land is what is stored. One addressed to a leg
   * that an earlier one removed (by making the pair another kind) finds nothing: 404.
   */
  private async race(s: Step & { kind: "race" }): Promise<void> {
    const id = this.target(s.slot, new Set(), s.transfer);
    if (!id) return;
    const partner = this.model.get(id).transfer?.linkedTransactionId;
    const legs = partner ? [id, partner] : [id];
    const versionBefore = new Map(legs.map((leg) => [leg, this.model.get(leg).version]));
    const addressed = s.updates.map((u) => (u.other && partner ? partner : id));
    const bodies = s.updates.map((u) => this.whole(u));
    const replies = await Promise.all(
      bodies.map((body, i) => this.call({ method: "PUT", path: `/v1/transactions/${addressed[i]}`, body })),
    );
    const statuses = new Set(addressed).size > 1 ? [200, 404] : [200];
    const won: { answer: Known; landed: number }[] = [];
    const missed = new Set<string>();
    replies.forEach((r, i) => {
      const leg = addressed[i] as string;
      expect(statuses, JSON.stringify({ leg, body: bodies[i], answer: r.body })).toContain(r.status);
      if (r.status !== 200) {
        missed.add(leg);
        return;
      }
      const answer = known(r.body);
      expect(answer.transactionId, "the record addressed stays").toBe(leg);
      won.push({ answer, landed: answer.version - (versionBefore.get(leg) as number) });
      // Each state that was stored for a while moved the totals in and out of its month.
      this.model.touched.add(monthOf(answer.date));
    });
    expect(
      won.map((w) => w.landed).sort((a, b) => a - b),
      "each update that landed did so on top of all before it",
    ).toEqual(won.map((_, i) => i + 1));

    for (const leg of legs) this.model.remove(leg);
    const finals = new Map<string, Known>();
    for (const leg of legs) {
      const res = await this.call({ method: "GET", path: `/v1/transactions/${leg}` });
      expect([200, 404], JSON.stringify(res.body)).toContain(res.status);
      if (res.status === 200) finals.set(leg, known(res.body));
    }
    for (const leg of missed) expect(finals.has(leg), `${leg} answered 404, so it was removed`).toBe(false);
    for (const t of [...finals.values()]) {
      const linked = t.transfer?.linkedTransactionId;
      if (linked && !finals.has(linked)) finals.set(linked, await this.fetch(linked));
    }
    const last = won.find((w) => w.landed === won.length);
    expect(last, "at least one update landed").toBeDefined();
    const { answer } = last as { answer: Known };
    expect(finals.get(answer.transactionId), "the stored record is the last update that landed").toEqual(
      answer,
    );
    for (const t of finals.values()) this.model.put(t);
  }
}

async function newRun(setup: Setup): Promise<Run> {
  const user = await signup(h);
  const [listed, categories] = await Promise.all([
    h.call("GET", "/v1/accounts", { token: user.token }),
    h.call("GET", "/v1/categories", { token: user.token }),
  ]);
  expect(listed.body.items, "a new user has one checking account").toEqual([
    expect.objectContaining({ type: "checking", onBudget: true, balance: 0 }),
  ]);
  const checking = String(listed.body.items[0].accountId);
  const [checkingOpening, cardOpening, savingsOpening, fourthOpening] = setup.openings;
  const opened = await h.call("PUT", `/v1/accounts/${checking}`, {
    token: user.token,
    body: { openingBalance: checkingOpening },
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(200);
  const wanted: Omit<Holding, "accountId">[] = [
    { type: "credit-card", onBudget: true, openingBalance: cardOpening },
    { type: "savings", onBudget: false, openingBalance: savingsOpening },
    ...(setup.fourth === "none"
      ? []
      : [{ type: setup.fourth, onBudget: true, openingBalance: fourthOpening }]),
  ];
  const accounts: Holding[] = [
    { accountId: checking, type: "checking", onBudget: true, openingBalance: checkingOpening },
  ];
  for (const [i, a] of wanted.entries()) {
    const res = await h.call("POST", "/v1/accounts", {
      token: user.token,
      body: { name: `Account ${i + 2}`, openingDate: "2024-12-01", ...a },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    accounts.push({ ...a, accountId: String(res.body.accountId) });
  }
  const budget = await h.call("POST", "/v1/budgets", {
    token: user.token,
    body: { month: BUDGET_MONTH, totalIncome: 100_000 },
  });
  expect(budget.status, JSON.stringify(budget.body)).toBe(201);
  const planned = new Set((budget.body.categories as { categoryId: string }[]).map((c) => c.categoryId));
  const items = categories.body.items as { type: string; categoryId: string }[];
  const ids = SLUGS.map((slug) => items.find((c) => c.type === slug)?.categoryId);
  expect(
    ids.every((id) => typeof id === "string"),
    JSON.stringify(items),
  ).toBe(true);
  return new Run(user, accounts, ids as string[], planned);
}

/** Checked after every step, so a counterexample shrinks to the step where totals first went wrong. */
async function play({ setup, steps }: { setup: Setup; steps: Step[] }): Promise<void> {
  const run = await newRun(setup);
  const { model } = run;
  for (const [i, s] of steps.entries()) {
    await run.step(s);
    expectPairs(model.transactions, `after step ${i}`);
    await expectTotals(run.user, model, model.transactions.values(), `after step ${i}`);
  }
  // The answers the model was built from must be what is stored; then the totals must be those of
  // the transactions as read back, whatever the model believed.
  const listed = await listAll(run.user);
  expect(byId(listed), "transactions as listed").toEqual(byId(model.transactions.values()));
  await expectTotals(run.user, model, listed, "at the end, against the listed transactions");
  // The month view shows the same income, debt paid and spending per planned category as the
  // totals it is built on; its total spending is that of the categories it plans.
  const view = await h.call("GET", `/v1/budgets/${BUDGET_MONTH}`, { token: run.user.token });
  expect(view.status, JSON.stringify(view.body)).toBe(200);
  const expected = recount(listed, BUDGET_MONTH, model.accounts);
  const categories = view.body.categories as { categoryId: string; spent: number }[];
  const spent = Object.fromEntries(categories.map((c) => [c.categoryId, c.spent]));
  const planned = Object.fromEntries(
    categories.map((c) => [c.categoryId, expected.spent[c.categoryId] ?? 0]),
  );
  expect(
    {
      actualIncome: view.body.actualIncome,
      paidToDebt: view.body.paidToDebt,
      totalActualExpenses: view.body.totalActualExpenses,
      spent,
    },
    `the budget of ${BUDGET_MONTH}`,
  ).toEqual({
    actualIncome: expected.income,
    paidToDebt: expected.paidToDebt,
    totalActualExpenses: Object.values(planned).reduce((a, b) => a + b, 0),
    spent: planned,
  });
}

// Long enough to shrink a failure (each shrink replays a run against the API); fast-check stops
// shrinking before vitest's own timeout so the smallest counterexample so far is still reported.
const SHRINK_LIMIT_MS = 150_000;
const TIMEOUT_MS = 200_000;

describe("stored month totals and account balances", () => {
  it(
    "equal a recount after any sequence of expenses, income, refunds and transfers created, edited, moved, turned into another kind and deleted",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            setup: setupArb,
            // "max": fast-check's default size keeps arrays near ten long, too short to build up state.
            steps: fc.array(oneArb, { minLength: 1, maxLength: 35, size: "max" }),
          }),
          play,
        ),
        { numRuns: 25, interruptAfterTimeLimit: SHRINK_LIMIT_MS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    "equal a recount when several writers change one user's transactions and transfers at once",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            setup: setupArb,
            steps: fc.array(
              fc.oneof(
                { arbitrary: oneArb, weight: 2 },
                { arbitrary: parallelArb, weight: 2 },
                { arbitrary: raceArb, weight: 2 },
              ),
              { minLength: 2, maxLength: 14, size: "max" },
            ),
          }),
          play,
        ),
        { numRuns: 30, interruptAfterTimeLimit: SHRINK_LIMIT_MS },
      );
    },
    TIMEOUT_MS,
  );
});
