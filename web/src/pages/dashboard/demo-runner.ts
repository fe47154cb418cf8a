import type { Account, Budget, Category, ImportRecord } from "@tyche/types";
import { type ApiClient, ApiError } from "../../api/client";
import { type DemoAccount, type DemoAccountKey, type DemoPlan, demoPlan, tycheCsv } from "./demo-data";

export interface DemoProgress {
  /** What is being done, in words. */
  step: string;
  done: number;
  total: number;
}

export interface DemoResult {
  months: string[];
  transactions: number;
}

/**
 * Writes the demo plan through the same public API a person's own use goes through: the accounts
 * (the starter checking account is given its opening balance), a budget per month, then one
 * import of a Tyche CSV per account, which brings its transfers' other legs along. Safe to run
 * again after a failure: an account is found by its name, a planned month is left as it is, and an
 * import adds no row that an earlier one already added.
 */
export async function runDemo(
  client: ApiClient,
  { today, seed, onProgress }: { today: string; seed?: number; onProgress: (p: DemoProgress) => void },
): Promise<DemoResult> {
  const plan: DemoPlan = demoPlan({ today, ...(seed !== undefined ? { seed } : {}) });
  const byAccount = new Map<DemoAccountKey, DemoPlan["rows"]>();
  for (const row of plan.rows) byAccount.set(row.account, [...(byAccount.get(row.account) ?? []), row]);
  const total = 1 + plan.accounts.length + plan.budgets.length + byAccount.size;
  let done = 0;
  const step = (text: string) => onProgress({ step: text, done, total });
  const finished = (text: string) => {
    done += 1;
    step(text);
  };

  step("Reading your categories and accounts");
  const [categories, existing] = await Promise.all([
    client.get<{ items: Category[] }>("/v1/categories").then((r) => r.items.filter((c) => !c.archived)),
    client.get<{ items: Account[] }>("/v1/accounts").then((r) => r.items),
  ]);
  finished("Read your categories and accounts");
  const bySlug = new Map(categories.map((c) => [c.type, c]));

  // Accounts and months are independent of each other: written side by side.
  step("Opening the accounts");
  const accounts = new Map<DemoAccountKey, Account>(
    await Promise.all(
      plan.accounts.map(async (wanted) => {
        const account = await ensureAccount(client, wanted, existing);
        finished(`Opened ${account.name}`);
        return [wanted.key, account] as const;
      }),
    ),
  );

  step("Planning a budget for each month");
  await Promise.all(
    plan.budgets.map(async (budget) => {
      const allocations = Object.entries(budget.limits).flatMap(([slug, limit]) => {
        const category = bySlug.get(slug);
        return category ? [{ categoryId: category.categoryId, limit }] : [];
      });
      try {
        await client.send<Budget>("POST", "/v1/budgets", {
          month: budget.month,
          totalIncome: budget.totalIncome,
          currency: "USD",
          categories: allocations,
        });
      } catch (err) {
        // A month planned already keeps the plan the person made.
        if (!(err instanceof ApiError && err.status === 409)) throw err;
      }
      finished(`Planned ${budget.month}`);
    }),
  );

  const nameOf = (key: DemoAccountKey) => accounts.get(key)?.name ?? key;
  // A slug without a category of the user's is imported under the default name, which creates it.
  const categoryName = (slug: string) =>
    bySlug.get(slug)?.name ?? slug.replace(/-/g, " ").replace(/^./, (c) => c.toUpperCase());
  let transactions = 0;
  for (const [key, rows] of byAccount) {
    const account = accounts.get(key);
    if (!account) continue;
    step(`Importing ${rows.length} transactions into ${account.name}`);
    const form = new FormData();
    form.append(
      "file",
      new Blob([tycheCsv(rows, nameOf, categoryName, account.currency)], { type: "text/csv" }),
      `demo-${key}.csv`,
    );
    const { data } = await client.request<ImportRecord>(
      "POST",
      `/v1/imports?accountId=${encodeURIComponent(account.accountId)}`,
      { raw: form },
    );
    if (data.status === "failed") throw new Error(data.failure ?? `The import into ${account.name} failed.`);
    transactions += data.counts.imported + data.counts.duplicates;
    finished(`Imported ${rows.length} transactions into ${account.name}`);
  }
  onProgress({ step: "Done", done: total, total });
  return { months: plan.months, transactions };
}

async function ensureAccount(client: ApiClient, wanted: DemoAccount, existing: Account[]): Promise<Account> {
  const found = existing.find((a) => a.type === wanted.type && a.name === wanted.name && !a.closed);
  const opening = { openingBalance: wanted.openingBalance, openingDate: wanted.openingDate };
  if (!found)
    return client.send<Account>("POST", "/v1/accounts", { name: wanted.name, type: wanted.type, ...opening });
  // The starter checking account: its opening balance set, unless it is in use already.
  if (found.transactionCount === 0 && found.openingBalance !== wanted.openingBalance)
    return client.send<Account>("PUT", `/v1/accounts/${found.accountId}`, opening, {
      "if-match": `"${found.version}"`,
    });
  return found;
}
