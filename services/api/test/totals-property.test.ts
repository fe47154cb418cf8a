import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type Account, type Harness, harness, type Reply, signup } from "./support/harness";

/*
 * The stored month totals (`TOTALS#<YYYY-MM>` in the budgets table) under random changes, some of
 * them sent at the same time. The expected totals come from a recount written here, from the
 * transactions as the API answered them: sharing no code with the deltas the app applies, so a
 * mistake there shows up as a difference instead of being repeated on both sides.
 */

let h: Harness;

beforeAll(() => {
  h = harness();
});

// ---------------------------------------------------------------------------------------------
// The model

interface Part {
  categoryId: string;
  amount: number;
}

/** The fields of a transaction that decide the totals, as the API last answered them. */
interface Known {
  transactionId: string;
  date: string;
  amount: number;
  type: "expense" | "income";
  categoryId: string | null;
  splits: Part[] | null;
  version: number;
}

interface Totals {
  income: number;
  expenses: number;
  count: number;
  /** Non-zero spending per category id; `uncategorized` for expenses without one. */
  spent: Record<string, number>;
}

const UNCATEGORISED = "uncategorized";
const monthOf = (date: string) => date.slice(0, 7);

// biome-ignore lint/suspicious/noExplicitAny: answers are untyped JSON, checked field by field here
function known(body: any): Known {
  const t = {
    transactionId: String(body.transactionId),
    date: String(body.date),
    amount: Number(body.amount),
    type: body.type,
    categoryId: body.categoryId ?? null,
    splits: Array.isArray(body.splits)
      ? body.splits.map((p: Part) => ({ categoryId: p.categoryId, amount: p.amount }))
      : null,
    version: Number(body.version),
  };
  expect(["expense", "income"], JSON.stringify(body)).toContain(t.type);
  return t;
}

/**
 * A month's totals counted from scratch: every transaction dated in it counts once; income adds
 * only to income; an expense adds to expenses and to spending, part by part when it is split.
 */
function recount(transactions: Iterable<Known>, month: string): Totals {
  const totals: Totals = { income: 0, expenses: 0, count: 0, spent: {} };
  for (const t of transactions) {
    if (monthOf(t.date) !== month) continue;
    totals.count += 1;
    if (t.type === "income") {
      totals.income += t.amount;
      continue;
    }
    totals.expenses += t.amount;
    const lines: Part[] = t.splits ?? [{ categoryId: t.categoryId ?? UNCATEGORISED, amount: t.amount }];
    for (const line of lines)
      totals.spent[line.categoryId] = (totals.spent[line.categoryId] ?? 0) + line.amount;
  }
  for (const [id, cents] of Object.entries(totals.spent)) if (cents === 0) delete totals.spent[id];
  return totals;
}

/** What the test created and changed, and every month any of it was ever dated in. */
class Model {
  readonly transactions = new Map<string, Known>();
  readonly touched = new Set<string>();

  /** In creation order, so that a generated slot number means a stable choice among the live ones. */
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

const ZERO: Totals = { income: 0, expenses: 0, count: 0, spent: {} };

/**
 * Every item of the user's partition in `table` whose sort key starts with `prefix`, read from the
 * table itself (strongly consistent) because the items are what is under test; keys spelled out
 * here as DESIGN.md has them, so a change to the data layer's code cannot change what is expected.
 */
async function storedItems(account: Account, table: string, prefix: string) {
  const out: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await h.store.db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: "PK = :pk AND begins_with(SK, :sk)",
        ExpressionAttributeValues: {
          ":pk": `TENANT#${account.owner.tenantId}#USER#${account.owner.userId}`,
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
async function storedTotals(account: Account): Promise<Map<string, Totals>> {
  const out = new Map<string, Totals>();
  for (const item of await storedItems(account, h.store.tables.budgets, "TOTALS#")) {
    const totals: Totals = {
      income: Number(item.income ?? 0),
      expenses: Number(item.expenses ?? 0),
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
async function storedUseCounts(account: Account): Promise<Record<string, number>> {
  const items = await storedItems(account, h.store.tables.budgets, "CATEGORY#");
  return Object.fromEntries(items.map((i) => [String(i.categoryId), Number(i.useCount)]));
}

/** How many transactions name each category: once per transaction, however many parts name it. */
function countUses(transactions: Iterable<Known>, categoryIds: Iterable<string>): Record<string, number> {
  const uses = Object.fromEntries([...categoryIds].map((id) => [id, 0]));
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
async function storedParts(account: Account): Promise<string[]> {
  const items = await storedItems(account, h.store.tables.transactionDetails, "TXNPART#");
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

/** Months the model touched and months that have an item, so neither a leftover nor a gap hides. */
async function expectTotals(
  account: Account,
  transactions: Iterable<Known>,
  touched: Set<string>,
  when: string,
) {
  const all = [...transactions];
  const stored = await storedTotals(account);
  for (const month of [...new Set([...touched, ...stored.keys()])].sort()) {
    expect({ month, ...(stored.get(month) ?? ZERO) }, `stored totals ${when}`).toEqual({
      month,
      ...recount(all, month),
    });
  }
  const useCounts = await storedUseCounts(account);
  expect(useCounts, `category use counts ${when}`).toEqual(countUses(all, Object.keys(useCounts)));
  expect(await storedParts(account), `split parts ${when}`).toEqual(expectedParts(all));
}

async function listAll(account: Account): Promise<Known[]> {
  const out: Known[] = [];
  let cursor: string | undefined;
  do {
    const query = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const res = await h.call("GET", `/v1/transactions?limit=500${query}`, { token: account.token });
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

type Shape =
  | { kind: "category"; cat: number | null }
  | { kind: "split"; cats: number[]; weights: number[] }
  | { kind: "unsplit" };

interface Create {
  kind: "create";
  date: string;
  amount: number;
  type: "expense" | "income";
  /**
   * Without a category (no shape, a null one, or a split too small to make) the app may choose one
   * from merchant history: the model takes the category from the answer, never from the request.
   */
  shape?: Shape;
  merchant: number;
}
interface Update {
  kind: "update";
  slot: number;
  date?: string;
  amount?: number;
  type?: "expense" | "income";
  shape?: Shape;
}
interface Delete {
  kind: "delete";
  slot: number;
}
type Op = Create | Update | Delete;
/** Racing updates cannot know what the others left, so each says the whole shape and amount. */
type RaceUpdate = Required<Pick<Update, "amount" | "shape">> & Pick<Update, "date" | "type">;

/** One request, several independent ones at once, or several updates of one transaction at once. */
type Step =
  | { kind: "one"; op: Op }
  | { kind: "parallel"; ops: Op[] }
  | { kind: "race"; slot: number; updates: RaceUpdate[] };

const amountArb = fc.integer({ min: 1, max: 500_000 });
const typeArb = fc.constantFrom<"expense" | "income">("expense", "expense", "income");
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
const createArb: fc.Arbitrary<Create> = fc.record(
  {
    kind: fc.constant("create" as const),
    date: fc.constantFrom(...DATES),
    amount: amountArb,
    type: typeArb,
    shape: shapeArb,
    merchant: fc.nat(2),
  },
  { requiredKeys: ["kind", "date", "amount", "type", "merchant"] },
);
const updateArb: fc.Arbitrary<Update> = fc.record(
  {
    kind: fc.constant("update" as const),
    slot: fc.nat(50),
    date: fc.constantFrom(...DATES),
    amount: amountArb,
    type: typeArb,
    shape: shapeArb,
  },
  { requiredKeys: ["kind", "slot"] },
);
const deleteArb: fc.Arbitrary<Delete> = fc.record({ kind: fc.constant("delete" as const), slot: fc.nat(50) });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: createArb, weight: 4 },
  { arbitrary: updateArb, weight: 4 },
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
  updates: fc.array(
    fc.record(
      { date: fc.constantFrom(...DATES), amount: amountArb, type: typeArb, shape: shapeArb },
      { requiredKeys: ["amount", "shape"] },
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

/**
 * What an update racing others on one transaction, without If-Match, may answer: only 200. Each is
 * applied on top of the one before (last writer wins), even when another moves the date.
 */
const RACING_UPDATE_STATUSES = [200];

interface Planned {
  method: string;
  path: string;
  body?: Record<string, unknown>;
  status: number;
  apply(reply: Reply): void;
}

class Run {
  readonly model = new Model();

  constructor(
    readonly account: Account,
    private readonly categoryIds: readonly string[],
  ) {}

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

  /** Transactions live now, by slot; undefined when there are none or the one chosen is taken. */
  private target(slot: number, taken: Set<string>): string | undefined {
    const ids = this.model.ids();
    const id = ids[slot % Math.max(ids.length, 1)];
    if (id === undefined || taken.has(id)) return undefined;
    taken.add(id);
    return id;
  }

  /** An update's body, valid against the transaction as the model knows it. */
  private patch(op: Update, current: Known): Record<string, unknown> {
    const body: Record<string, unknown> = {
      ...(op.date ? { date: op.date } : {}),
      ...(op.type ? { type: op.type } : {}),
      ...(op.amount ? { amount: op.amount } : {}),
    };
    const amount = op.amount ?? current.amount;
    const shape = op.shape;
    if (shape?.kind === "split") {
      const splits = this.parts(amount, shape);
      return { ...body, splits: splits ?? null };
    }
    if (shape?.kind === "category") {
      // Splits left in place would contradict the category, and the app refuses both at once.
      return { ...body, categoryId: this.category(shape.cat), ...(current.splits ? { splits: null } : {}) };
    }
    if (shape?.kind === "unsplit") return { ...body, splits: null };
    if (current.splits && op.amount !== undefined) {
      // Same parts, rescaled to the new amount: splits must always add up to the amount.
      const splits = splitParts(
        amount,
        current.splits.map((p) => p.categoryId),
        current.splits.map((p) => p.amount),
      );
      return { ...body, splits };
    }
    return body;
  }

  /** A body that holds whatever state the transaction is in when it lands: for racing updates. */
  private whole(u: RaceUpdate): Record<string, unknown> {
    const base = {
      amount: u.amount,
      ...(u.date ? { date: u.date } : {}),
      ...(u.type ? { type: u.type } : {}),
    };
    if (u.shape.kind === "split") return { ...base, splits: this.parts(u.amount, u.shape) };
    if (u.shape.kind === "category") return { ...base, splits: null, categoryId: this.category(u.shape.cat) };
    return { ...base, splits: null };
  }

  plan(op: Op, taken: Set<string>): Planned | undefined {
    if (op.kind === "create") {
      const body: Record<string, unknown> = {
        date: op.date,
        amount: op.amount,
        type: op.type,
        merchant: `Shop ${op.merchant}`,
      };
      const splits = op.shape?.kind === "split" ? this.parts(op.amount, op.shape) : null;
      if (splits) body.splits = splits;
      else if (op.shape?.kind === "category") body.categoryId = this.category(op.shape.cat);
      return {
        method: "POST",
        path: "/v1/transactions",
        body,
        status: 201,
        apply: (r) => this.model.put(known(r.body)),
      };
    }
    const id = this.target(op.slot, taken);
    if (!id) return undefined;
    if (op.kind === "delete") {
      return {
        method: "DELETE",
        path: `/v1/transactions/${id}`,
        status: 204,
        apply: () => this.model.remove(id),
      };
    }
    return {
      method: "PUT",
      path: `/v1/transactions/${id}`,
      body: this.patch(op, this.model.get(id)),
      status: 200,
      apply: (r) => this.model.put(known(r.body)),
    };
  }

  private call(p: { method: string; path: string; body?: unknown }): Promise<Reply> {
    return h.call(p.method, p.path, { token: this.account.token, ...(p.body ? { body: p.body } : {}) });
  }

  async step(s: Step): Promise<void> {
    if (s.kind === "race") return this.race(s);
    const taken = new Set<string>();
    const planned = (s.kind === "one" ? [s.op] : s.ops)
      .map((op) => this.plan(op, taken))
      .filter((p): p is Planned => p !== undefined);
    const replies = await Promise.all(planned.map((p) => this.call(p)));
    planned.forEach((p, i) => {
      const reply = replies[i] as Reply;
      expect(reply.status, JSON.stringify({ request: p, answer: reply.body })).toBe(p.status);
      p.apply(reply);
    });
  }

  /**
   * Updates of one transaction at once, without If-Match: the database decides their order, so
   * the model takes the transaction as read back afterwards, which must be the last that won.
   */
  private async race(s: Step & { kind: "race" }): Promise<void> {
    const id = this.target(s.slot, new Set());
    if (!id) return;
    const before = this.model.get(id);
    const bodies = s.updates.map((u) => this.whole(u));
    const replies = await Promise.all(
      bodies.map((body) => this.call({ method: "PUT", path: `/v1/transactions/${id}`, body })),
    );
    const won: Known[] = [];
    replies.forEach((r, i) => {
      expect(RACING_UPDATE_STATUSES, JSON.stringify({ body: bodies[i], answer: r.body })).toContain(r.status);
      if (r.status === 200) won.push(known(r.body));
    });
    // Each state that was stored for a while moved the totals in and out of its month.
    for (const w of won) this.model.touched.add(monthOf(w.date));
    expect(new Set(won.map((w) => w.version)).size, "each successful update has its own version").toBe(
      won.length,
    );
    const read = await this.call({ method: "GET", path: `/v1/transactions/${id}` });
    expect(read.status).toBe(200);
    const final = known(read.body);
    const last = won.reduce<Known>((a, b) => (b.version > a.version ? b : a), before);
    expect(final, "the stored transaction is the last update that succeeded").toEqual(last);
    this.model.put(final);
  }
}

async function newRun(): Promise<Run> {
  const account = await signup(h);
  const res = await h.call("GET", "/v1/categories", { token: account.token });
  const categories = res.body.items as { type: string; categoryId: string }[];
  const ids = SLUGS.map((slug) => categories.find((c) => c.type === slug)?.categoryId);
  expect(
    ids.every((id) => typeof id === "string"),
    JSON.stringify(categories),
  ).toBe(true);
  return new Run(account, ids as string[]);
}

/** Checked after every step, so a counterexample shrinks to the step where totals first went wrong. */
async function play(steps: Step[]): Promise<void> {
  const run = await newRun();
  for (const [i, s] of steps.entries()) {
    await run.step(s);
    await expectTotals(run.account, run.model.transactions.values(), run.model.touched, `after step ${i}`);
  }
  // The answers the model was built from must be what is stored; then the totals must be those of
  // the transactions as read back, whatever the model believed.
  const listed = await listAll(run.account);
  expect(byId(listed), "transactions as listed").toEqual(byId(run.model.transactions.values()));
  await expectTotals(run.account, listed, run.model.touched, "at the end, against the listed transactions");
}

// Long enough to shrink a failure (each shrink replays a run against the API); fast-check stops
// shrinking before vitest's own timeout so the smallest counterexample so far is still reported.
const SHRINK_LIMIT_MS = 150_000;
const TIMEOUT_MS = 200_000;

describe("stored month totals", () => {
  it(
    "equal a recount after any sequence of creates, updates and deletes",
    async () => {
      await fc.assert(
        // "max": fast-check's default size keeps arrays near ten long, too short to build up state.
        fc.asyncProperty(fc.array(oneArb, { minLength: 1, maxLength: 35, size: "max" }), play),
        { numRuns: 25, interruptAfterTimeLimit: SHRINK_LIMIT_MS },
      );
    },
    TIMEOUT_MS,
  );

  it(
    "equal a recount when several writers change one user's transactions at once",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.oneof({ arbitrary: oneArb, weight: 2 }, { arbitrary: parallelArb, weight: 2 }, raceArb),
            { minLength: 2, maxLength: 14, size: "max" },
          ),
          play,
        ),
        { numRuns: 15, interruptAfterTimeLimit: SHRINK_LIMIT_MS },
      );
    },
    TIMEOUT_MS,
  );
});
