/**
 * The books, checked through the API alone: every month's totals and every account's balance
 * against a recount of the transactions themselves. Shared by the fault tests and `npm run faults`,
 * which reach the app in-process or over HTTP.
 */
export interface Answer {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: read as arbitrary JSON and checked field by field
  body: any;
}

export type Caller = (
  method: string,
  path: string,
  opts?: { body?: unknown; headers?: Record<string, string> },
) => Promise<Answer>;

export interface Txn {
  transactionId: string;
  accountId: string;
  date: string;
  amount: number;
  type: "expense" | "income" | "refund" | "transfer";
  description?: string;
  merchant?: string;
}

/** A caller over HTTP with a bearer token, for a server in another process. */
export function httpCaller(baseUrl: string, token?: string): Caller {
  return async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body };
  };
}

async function ok(call: Caller, path: string) {
  const res = await call("GET", path);
  if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function everyTransaction(call: Caller): Promise<Txn[]> {
  const out: Txn[] = [];
  let cursor = "";
  do {
    const page = await ok(call, `/v1/transactions?limit=500${cursor ? `&cursor=${cursor}` : ""}`);
    out.push(...page.items);
    cursor = page.nextCursor ?? "";
  } while (cursor);
  return out;
}

/**
 * What differs between the stored figures and a recount, in words; empty when the books are
 * exact. Only plain expenses and income are recounted (what the fault runs write).
 */
export async function booksDiscrepancies(call: Caller, months: readonly string[]): Promise<string[]> {
  const all = await everyTransaction(call);
  const wrong: string[] = [];
  for (const month of months) {
    const rows = all.filter((t) => t.date.startsWith(month));
    const sum = (type: Txn["type"]) => rows.filter((t) => t.type === type).reduce((n, t) => n + t.amount, 0);
    const budget = await ok(call, `/v1/budgets/${month}`);
    if (budget.totalActualExpenses !== sum("expense"))
      wrong.push(`${month} expenses ${budget.totalActualExpenses}, recount ${sum("expense")}`);
    if (budget.actualIncome !== sum("income"))
      wrong.push(`${month} income ${budget.actualIncome}, recount ${sum("income")}`);
  }
  for (const account of (await ok(call, "/v1/accounts")).items) {
    const rows = all.filter((t) => t.accountId === account.accountId);
    const net = rows.reduce((n, t) => n + (t.type === "expense" ? -t.amount : t.amount), 0);
    // A card's balance is what is owed: an expense raises it.
    const expected = account.openingBalance + (account.type === "credit-card" ? -net : net);
    if (account.balance !== expected)
      wrong.push(`account ${account.name} balance ${account.balance}, recount ${expected}`);
    if (account.transactionCount !== rows.length)
      wrong.push(`account ${account.name} counts ${account.transactionCount}, listed ${rows.length}`);
  }
  return wrong;
}
