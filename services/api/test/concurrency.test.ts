import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { beforeAll, describe, expect, it } from "vitest";
import { keys } from "../src/db/keys";
import { type Account, type Harness, harness, signup } from "./support/harness";

/**
 * Many requests at once against one user, as two browser tabs (or a tab and an import) make them.
 * DynamoDB Local is always consistent, so what these tests can see is the checks being part of
 * the writes they protect, and the retries of writes that lost a race.
 */
let h: Harness;

beforeAll(() => {
  h = harness();
});

const call = (
  a: Account,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) => h.call(method, path, { token: a.token, ...(body !== undefined ? { body } : {}), headers });

async function newCategory(a: Account, name: string): Promise<string> {
  const res = await call(a, "POST", "/v1/categories", { name, group: "discretionary" });
  expect(res.status).toBe(201);
  return res.body.categoryId;
}

async function allTransactions(a: Account) {
  const res = await call(a, "GET", "/v1/transactions?limit=500");
  return res.body.items as {
    transactionId: string;
    categoryId: string | null;
    amount: number;
    version: number;
  }[];
}

async function storedTotals(a: Account, month: string) {
  const { Item } = await h.store.db.send(
    new GetCommand({
      TableName: h.store.tables.budgets,
      Key: keys.monthTotals(a.owner, month),
      ConsistentRead: true,
    }),
  );
  return { expenses: Number(Item?.expenses ?? 0), count: Number(Item?.count ?? 0) };
}

describe("concurrent writers of one user", () => {
  it("never leaves a transaction naming a category that was deleted under it", async () => {
    const a = await signup(h);
    const later = <T>(ms: number, f: () => Promise<T>) => new Promise<T>((r) => setTimeout(() => r(f()), ms));
    for (let round = 0; round < 10; round++) {
      const categoryId = await newCategory(a, `Race ${round}`);
      // Writes spread over a few milliseconds, so that some read the category before the delete
      // and write after it: the window in which a check outside the write lets one through.
      const writes = Array.from({ length: 8 }, (_, i) =>
        later(i, () =>
          call(a, "POST", "/v1/transactions", {
            date: "2025-05-03",
            amount: 100 + i,
            ...(i % 2
              ? { categoryId }
              : {
                  splits: [
                    { categoryId, amount: 50 },
                    { categoryId, amount: 50 + i },
                  ],
                }),
          }),
        ),
      );
      const [del, ...created] = await Promise.all([
        later(round % 5, () => call(a, "DELETE", `/v1/categories/${categoryId}`)),
        ...writes,
      ]);
      expect(del.status).toBe(200);
      const landed = created.filter((c) => c.status === 201).length;
      for (const c of created) expect([201, 422]).toContain(c.status);
      const stored = await call(a, "GET", `/v1/categories/${categoryId}`);
      if (del.body.result === "deleted") {
        // Deleted: then nothing may name it, and every write that came after was refused.
        expect(stored.status).toBe(404);
        expect(landed).toBe(0);
      } else {
        expect(stored.status).toBe(200);
        expect(stored.body.archived).toBe(true);
        expect(landed).toBeGreaterThan(0);
      }
      for (const c of created.filter((x) => x.status === 422)) {
        expect(c.body.errors[0].path).toMatch(/^(categoryId|splits\.0\.categoryId)$/);
      }
    }
    // Whatever happened, every transaction's category still exists.
    const categories = new Set(
      (await call(a, "GET", "/v1/categories?includeArchived=true")).body.items.map(
        (c: { categoryId: string }) => c.categoryId,
      ),
    );
    for (const t of await allTransactions(a))
      if (t.categoryId) expect(categories.has(t.categoryId)).toBe(true);
  });

  it("never leaves a month planning a category that was deleted under it", async () => {
    const a = await signup(h);
    for (let round = 0; round < 4; round++) {
      const categoryId = await newCategory(a, `Planned ${round}`);
      const month = `2026-0${round + 1}`;
      const [plan, del] = await Promise.all([
        call(a, "POST", "/v1/budgets", {
          month,
          totalIncome: 1_000,
          categories: [{ categoryId, limit: 100 }],
        }),
        call(a, "DELETE", `/v1/categories/${categoryId}`),
      ]);
      if (del.body.result === "deleted") expect(plan.status).toBe(422);
      else expect(plan.status).toBe(201);
    }
  });

  it("answers 412 to all but one of two updates sent with the same version", async () => {
    const a = await signup(h);
    await call(a, "POST", "/v1/budgets", { month: "2025-06", totalIncome: 100_000 });
    let version = 1;
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all(
        [1, 2].map((i) =>
          call(
            a,
            "PUT",
            "/v1/budgets/2025-06",
            { totalIncome: 100_000 + round * 10 + i },
            { "if-match": `"${version}"` },
          ),
        ),
      );
      expect(answers.map((r) => r.status).sort()).toEqual([200, 412]);
      version += 1;
      const winner = answers.find((r) => r.status === 200);
      expect((await call(a, "GET", "/v1/budgets/2025-06")).body).toMatchObject({
        version,
        totalIncome: winner?.body.totalIncome,
      });
    }
  });

  it("applies every one of thirty updates of one transaction sent without If-Match", async () => {
    const a = await signup(h);
    const made = await call(a, "POST", "/v1/transactions", {
      date: "2025-07-09",
      amount: 1_000,
      merchant: "Tab",
    });
    const id = made.body.transactionId;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(a, "PUT", `/v1/transactions/${id}`, { amount: 2_000 + i, notes: `tab ${i}` }),
      ),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(30).fill(200));
    // Each landed once, one after another: versions 2 to 31, each answer its own.
    expect(answers.map((r) => r.body.version).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 30 }, (_, i) => i + 2),
    );
    const final = (await call(a, "GET", `/v1/transactions/${id}`)).body;
    expect(final.version).toBe(31);
    const last = answers.find((r) => r.body.version === 31)?.body;
    expect(final).toMatchObject({ amount: last.amount, notes: last.notes });
    expect(await storedTotals(a, "2025-07")).toEqual({ expenses: final.amount, count: 1 });
  });

  it("applies concurrent plan changes without If-Match one after another", async () => {
    const a = await signup(h);
    await call(a, "POST", "/v1/budgets", { month: "2025-08", totalIncome: 0 });
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => call(a, "PUT", "/v1/budgets/2025-08", { totalIncome: 1_000 + i })),
    );
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect((await call(a, "GET", "/v1/budgets/2025-08")).body.version).toBe(13);
  });

  it("imports the same file sent twice at once exactly once", async () => {
    const a = await signup(h);
    const lines = ["Date,Description,Amount"];
    for (let i = 0; i < 600; i++)
      lines.push(`2025-09-${String(1 + (i % 28)).padStart(2, "0")},Shop ${i},-${i + 1}.00`);
    const file = () => {
      const f = new FormData();
      f.set("file", new File([lines.join("\n")], "same.csv"));
      return f;
    };
    const answers = await Promise.all(
      [0, 1].map(() => h.call("POST", "/v1/imports", { token: a.token, raw: file() })),
    );
    const statuses = answers.map((r) => r.status).sort();
    // Either the second found the first running (409), or it came after and found every row there.
    expect([
      [201, 409],
      [201, 201],
    ]).toContainEqual(statuses);
    const imported = answers.filter((r) => r.status === 201).reduce((n, r) => n + r.body.counts.imported, 0);
    expect(imported).toBe(600);
    let rows = 0;
    let cursor = "";
    let sum = 0;
    do {
      const page = await call(
        a,
        "GET",
        `/v1/transactions?month=2025-09&limit=500${cursor ? `&cursor=${cursor}` : ""}`,
      );
      rows += page.body.items.length;
      sum += page.body.items.reduce((s: number, t: { amount: number }) => s + t.amount, 0);
      cursor = page.body.nextCursor ?? "";
    } while (cursor);
    expect(rows).toBe(600);
    expect(await storedTotals(a, "2025-09")).toEqual({ expenses: sum, count: 600 });
  });
});
