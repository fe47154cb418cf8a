import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { sumLedger } from "@tyche/core";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { ownerKey } from "../src/db/keys";
import { toTotals } from "../src/db/month-totals";
import { TransactionRepository } from "../src/db/transactions";
import { type Account, type Harness, harness, signup } from "./support/harness";

let h: Harness;

beforeAll(() => {
  h = harness();
});

const dates = ["2025-01-01", "2025-01-31", "2025-02-01", "2025-02-14", "2025-03-31"];

type Step =
  | {
      kind: "create";
      date: string;
      amount: number;
      type: "expense" | "income";
      cat: number | null;
      split: boolean;
    }
  | { kind: "update"; slot: number; date?: string; amount?: number; cat?: number | null; split?: boolean }
  | { kind: "delete"; slot: number };

const amount = fc.integer({ min: 1, max: 500_000 });
const catIndex = fc.option(fc.integer({ min: 0, max: 3 }), { nil: null });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant("create" as const),
    date: fc.constantFrom(...dates),
    amount,
    type: fc.constantFrom<"expense" | "income">("expense", "expense", "income"),
    cat: catIndex,
    split: fc.boolean(),
  }),
  fc.record(
    {
      kind: fc.constant("update" as const),
      slot: fc.nat(20),
      date: fc.constantFrom(...dates),
      amount,
      cat: catIndex,
      split: fc.boolean(),
    },
    { requiredKeys: ["kind", "slot"] },
  ),
  fc.record({ kind: fc.constant("delete" as const), slot: fc.nat(20) }),
);

/** Stored totals of every month against a recomputation from the transactions themselves. */
async function checkTotals(account: Account): Promise<void> {
  const repo = new TransactionRepository(h.store);
  const all = [];
  for await (const t of repo.between(account.owner, "0000-00-00", "9999-99-99")) all.push(t);
  const expected = sumLedger(all);
  const { Items = [] } = await h.store.db.send(
    new QueryCommand({
      TableName: h.store.tables.budgets,
      KeyConditionExpression: "PK = :pk AND begins_with(SK, :sk)",
      ExpressionAttributeValues: { ":pk": ownerKey(account.owner), ":sk": "TOTALS#" },
      ConsistentRead: true,
    }),
  );
  const stored = new Map(Items.map((i) => [String(i.month), toTotals(i)]));
  for (const month of new Set([...expected.keys(), ...stored.keys()])) {
    const e = expected.get(month) ?? { income: 0, expenses: 0, count: 0, byCategory: {} };
    const s = stored.get(month);
    expect({ month, income: s?.income ?? 0, expenses: s?.expenses ?? 0, count: s?.count ?? 0 }).toEqual({
      month,
      income: e.income,
      expenses: e.expenses,
      count: e.count,
    });
    expect(s?.spentByCategory ?? {}).toEqual(e.byCategory);
  }
}

describe("month totals under random change", () => {
  it("always equal a recomputation from the transactions", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 40 }), async (steps) => {
        const account = await signup(h);
        const cats = (await h.call("GET", "/v1/categories", { token: account.token })).body.items as {
          type: string;
          categoryId: string;
        }[];
        const pick = ["groceries", "dining", "housing", "debt-payments"].map(
          (t) => cats.find((c) => c.type === t)?.categoryId as string,
        );
        const category = (i: number | null | undefined) => (i === null || i === undefined ? null : pick[i]);
        const splitsOf = (total: number, i: number | null | undefined) =>
          total >= 2
            ? [
                { categoryId: pick[i ?? 0], amount: Math.floor(total / 2) },
                { categoryId: pick[((i ?? 0) + 1) % 4], amount: total - Math.floor(total / 2) },
              ]
            : undefined;
        const live: { id: string; amount: number }[] = [];

        for (const s of steps) {
          if (s.kind === "create") {
            const splits = s.split && s.type === "expense" ? splitsOf(s.amount, s.cat) : undefined;
            const res = await h.call("POST", "/v1/transactions", {
              token: account.token,
              body: {
                date: s.date,
                amount: s.amount,
                type: s.type,
                merchant: `Shop ${s.amount % 3}`,
                ...(splits ? { splits } : { categoryId: category(s.cat) }),
              },
            });
            expect(res.status, JSON.stringify(res.body)).toBe(201);
            live.push({ id: res.body.transactionId, amount: s.amount });
          } else if (live.length) {
            const target = live[s.slot % live.length] as { id: string; amount: number };
            if (s.kind === "delete") {
              expect(
                (await h.call("DELETE", `/v1/transactions/${target.id}`, { token: account.token })).status,
              ).toBe(204);
              live.splice(live.indexOf(target), 1);
            } else {
              const newAmount = s.amount ?? target.amount;
              const splits = s.split ? splitsOf(newAmount, s.cat) : undefined;
              const body = {
                ...(s.date ? { date: s.date } : {}),
                ...(s.amount ? { amount: s.amount } : {}),
                ...(splits
                  ? { splits }
                  : s.cat !== undefined
                    ? { splits: null, categoryId: category(s.cat) }
                    : { splits: null }),
              };
              const res = await h.call("PUT", `/v1/transactions/${target.id}`, {
                token: account.token,
                body,
              });
              expect(res.status, JSON.stringify({ body, answer: res.body })).toBe(200);
              target.amount = newAmount;
            }
          }
          await checkTotals(account);
        }
      }),
      { numRuns: 4 },
    );
  });
});
