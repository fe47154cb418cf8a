import type { Call } from "./client";
import { LOAD_MONTHS, type LoadUser } from "./session";

interface Stored {
  transactionId: string;
  accountId: string;
  date: string;
  amount: number;
  type: string;
  categoryId: string | null;
  importId: string | null;
}

/**
 * The books of one user after a run, recounted here from the stored transactions and held against
 * what the API says: written for this check, sharing no code with the app's ledger.
 */
export async function checkBooks(call: Call, u: LoadUser): Promise<string[]> {
  const failures: string[] = [];
  const auth = { headers: { authorization: `Bearer ${u.token}` } };
  const get = async (path: string) => {
    const res = await call("books", "GET", path, auth);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${res.text.slice(0, 200)}`);
    return JSON.parse(res.text);
  };

  const stored: Stored[] = [];
  let cursor: string | undefined;
  do {
    const page = await get(
      `/v1/transactions?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    );
    stored.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);

  // Every acknowledged create is stored exactly once, as last acknowledged; nothing else is there
  // but the rows of acknowledged imports.
  const seen = new Map<string, number>();
  for (const t of stored) seen.set(t.transactionId, (seen.get(t.transactionId) ?? 0) + 1);
  for (const [id, n] of seen) if (n > 1) failures.push(`${u.email}: transaction ${id} listed ${n} times`);
  const byId = new Map(stored.map((t) => [t.transactionId, t]));
  for (const [id, want] of u.created) {
    const got = byId.get(id);
    if (!got) failures.push(`${u.email}: transaction ${id} answered 201 and is not stored`);
    else if (
      got.amount !== want.amount ||
      got.date !== want.date ||
      got.type !== want.type ||
      got.accountId !== want.accountId
    )
      failures.push(
        `${u.email}: transaction ${id} stored as ${JSON.stringify(got)}, acknowledged ${JSON.stringify(want)}`,
      );
  }
  const importedRows = new Map<string, number>();
  for (const t of stored) {
    if (t.importId) importedRows.set(t.importId, (importedRows.get(t.importId) ?? 0) + 1);
    else if (!u.created.has(t.transactionId))
      failures.push(`${u.email}: transaction ${t.transactionId} was never acknowledged`);
  }
  for (const [importId, n] of u.imports)
    if ((importedRows.get(importId) ?? 0) !== n)
      failures.push(
        `${u.email}: import ${importId} said ${n} rows, ${importedRows.get(importId) ?? 0} stored`,
      );
  for (const importId of importedRows.keys())
    if (!u.imports.has(importId)) failures.push(`${u.email}: rows of import ${importId}, never acknowledged`);

  // Month totals: income, spending net of refunds, and spending per category.
  for (const month of LOAD_MONTHS) {
    const inMonth = stored.filter((t) => t.date.startsWith(month));
    const sum = (type: string) => inMonth.filter((t) => t.type === type).reduce((s, t) => s + t.amount, 0);
    const income = sum("income");
    const expenses = sum("expense") - sum("refund");
    const budget = await get(`/v1/budgets/${month}`);
    if (budget.actualIncome !== income)
      failures.push(`${u.email} ${month}: actualIncome ${budget.actualIncome}, recount ${income}`);
    if (budget.totalActualExpenses !== expenses)
      failures.push(
        `${u.email} ${month}: totalActualExpenses ${budget.totalActualExpenses}, recount ${expenses}`,
      );
    for (const c of budget.categories as { categoryId: string; spent: number }[]) {
      const spent = inMonth
        .filter((t) => (t.categoryId ?? "uncategorized") === c.categoryId && t.type !== "income")
        .reduce((s, t) => s + (t.type === "refund" ? -t.amount : t.amount), 0);
      if (c.spent !== spent)
        failures.push(`${u.email} ${month}: category ${c.categoryId} spent ${c.spent}, recount ${spent}`);
    }
  }

  // Account balances: a card's balance is what is owed, so spending raises it.
  const accounts = (await get("/v1/accounts")).items as {
    accountId: string;
    type: string;
    openingBalance: number;
    balance: number;
  }[];
  for (const a of accounts) {
    const sign = a.type === "credit-card" ? -1 : 1;
    const moved = stored
      .filter((t) => t.accountId === a.accountId)
      .reduce((s, t) => s + (t.type === "expense" ? -t.amount : t.amount) * sign, 0);
    if (a.balance !== a.openingBalance + moved)
      failures.push(
        `${u.email}: account ${a.accountId} balance ${a.balance}, recount ${a.openingBalance + moved}`,
      );
  }
  return failures;
}
