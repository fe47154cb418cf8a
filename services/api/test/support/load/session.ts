import { randomBytes, randomUUID } from "node:crypto";
import type { Call } from "./client";

/** The months the load writes into, so edits can move a transaction from one to the other. */
export const LOAD_MONTHS = ["2024-05", "2024-06"] as const;

/** What a user was told was stored: the books check holds the server to it. */
export interface Expected {
  amount: number;
  date: string;
  type: "expense" | "income" | "refund";
  accountId: string;
  categoryId: string | null;
}

export interface LoadUser {
  email: string;
  password: string;
  token: string;
  accounts: { accountId: string; type: string; openingBalance: number }[];
  categoryIds: string[];
  /** Every transaction whose create answered 201, as last acknowledged (edits answered 200 included). */
  created: Map<string, Expected>;
  /** Imports answered 201, with how many rows each says it stored. */
  imports: Map<string, number>;
  /** Problems seen during the run that are not a status: an idempotent retry that doubled, ... */
  anomalies: string[];
}

const json = (token: string | undefined, body?: unknown) => ({
  headers: {
    ...(body !== undefined ? { "content-type": "application/json" } : {}),
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  },
  ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
});

const parse = (text: string) => (text ? JSON.parse(text) : undefined);
const rand = (n: number) => Math.floor(Math.random() * n);
const choose = <T>(list: readonly T[]): T => list[rand(list.length)] as T;
const dateIn = (month: string) => `${month}-${String(1 + rand(28)).padStart(2, "0")}`;

async function must(call: Call, route: string, method: string, path: string, init: object, status: number) {
  const res = await call(route, method, path, init);
  if (res.status !== status)
    throw new Error(`${method} ${path} answered ${res.status}: ${res.text.slice(0, 300)}`);
  return parse(res.text);
}

/** Signs up (a strong random password: the password policy refuses weak ones), signs in, sets up. */
export async function startUser(call: Call, n: number): Promise<LoadUser> {
  const email = `load.${n}.${randomBytes(5).toString("hex")}@example.com`;
  const password = `load-${randomBytes(8).toString("hex")}-Str0ng!pass`;
  await must(
    call,
    "POST /v1/auth/signup",
    "POST",
    "/v1/auth/signup",
    json(undefined, { email, password, name: `Load ${n}` }),
    201,
  );
  const login = await must(
    call,
    "POST /v1/auth/login",
    "POST",
    "/v1/auth/login",
    json(undefined, { email, password }),
    200,
  );
  const token: string = login.token;
  const checking = await must(
    call,
    "POST /v1/accounts",
    "POST",
    "/v1/accounts",
    json(token, { name: "Checking", type: "checking", openingBalance: 250_000, openingDate: "2024-01-01" }),
    201,
  );
  await must(
    call,
    "POST /v1/cards",
    "POST",
    "/v1/cards",
    json(token, {
      name: "Visa",
      balance: 180_000,
      balanceDate: "2024-01-01",
      aprBasisPoints: 2_399,
      creditLimit: 500_000,
      dueDay: 12,
    }),
    201,
  );
  const accounts = (await must(call, "GET /v1/accounts", "GET", "/v1/accounts", json(token), 200)).items;
  const categories = (await must(call, "GET /v1/categories", "GET", "/v1/categories", json(token), 200))
    .items;
  for (const month of LOAD_MONTHS)
    await must(
      call,
      "POST /v1/budgets",
      "POST",
      "/v1/budgets",
      json(token, { month, totalIncome: 600_000 }),
      201,
    );
  void checking;
  return {
    email,
    password,
    token,
    accounts: accounts.map((a: { accountId: string; type: string; openingBalance: number }) => ({
      accountId: a.accountId,
      type: a.type,
      openingBalance: a.openingBalance,
    })),
    categoryIds: categories
      .filter((c: { group: string }) => c.group !== "debt")
      .map((c: { categoryId: string }) => c.categoryId),
    created: new Map(),
    imports: new Map(),
    anomalies: [],
  };
}

type Action = (call: Call, u: LoadUser) => Promise<void>;

async function create(call: Call, u: LoadUser): Promise<void> {
  const type = choose(["expense", "expense", "expense", "expense", "income", "refund"] as const);
  const body = {
    date: dateIn(choose(LOAD_MONTHS)),
    amount: 100 + rand(20_000),
    type,
    accountId: choose(u.accounts).accountId,
    categoryId: type === "income" ? null : choose(u.categoryIds),
    merchant: choose(["Blue Bottle", "Safeway", "Shell", "Netflix", "Amazon", "Employer"]),
  };
  const key = randomUUID();
  const init = {
    ...json(u.token, body),
    headers: { ...json(u.token, body).headers, "idempotency-key": key },
  };
  const res = await call("POST /v1/transactions", "POST", "/v1/transactions", init);
  if (res.status !== 201) return;
  const t = parse(res.text);
  u.created.set(t.transactionId, {
    amount: body.amount,
    date: body.date,
    type,
    accountId: body.accountId,
    categoryId: body.categoryId,
  });
  // Now and then the same request again, as a client that lost the answer would: the first result.
  if (rand(10) === 0) {
    const again = await call("POST /v1/transactions (retry)", "POST", "/v1/transactions", init);
    const id = again.status < 300 ? parse(again.text).transactionId : undefined;
    if (id !== t.transactionId)
      u.anomalies.push(`retry with the same Idempotency-Key answered ${again.status} ${id}`);
  }
}

async function edit(call: Call, u: LoadUser): Promise<void> {
  const ids = [...u.created.keys()];
  if (!ids.length) return create(call, u);
  const id = choose(ids);
  const got = await call("GET /v1/transactions/{id}", "GET", `/v1/transactions/${id}`, json(u.token));
  if (got.status !== 200) {
    u.anomalies.push(`GET of created transaction ${id} answered ${got.status}`);
    return;
  }
  const before = u.created.get(id) as Expected;
  const change = {
    amount: 100 + rand(20_000),
    date: rand(3) === 0 ? dateIn(choose(LOAD_MONTHS)) : before.date,
  };
  const init = json(u.token, change);
  const res = await call("PUT /v1/transactions/{id}", "PUT", `/v1/transactions/${id}`, {
    ...init,
    headers: { ...init.headers, "if-match": got.headers.get("etag") ?? "" },
  });
  if (res.status === 200) u.created.set(id, { ...before, ...change });
}

async function importFile(call: Call, u: LoadUser): Promise<void> {
  const month = choose(LOAD_MONTHS);
  const tag = randomBytes(4).toString("hex");
  const rows = Array.from(
    { length: 3 },
    (_, i) => `${dateIn(month)},IMPORTED ${tag} ${i},-${1 + rand(90)}.${String(rand(100)).padStart(2, "0")}`,
  );
  const form = new FormData();
  form.set("file", new File([`Date,Description,Amount\n${rows.join("\n")}\n`], "bank.csv"));
  const encoded = new Response(form);
  const res = await call("POST /v1/imports", "POST", `/v1/imports?accountId=${u.accounts[0]?.accountId}`, {
    headers: {
      authorization: `Bearer ${u.token}`,
      "content-type": encoded.headers.get("content-type") ?? "",
      "idempotency-key": randomUUID(),
    },
    body: new Uint8Array(await encoded.arrayBuffer()),
  });
  if (res.status === 201) {
    const body = parse(res.text);
    u.imports.set(body.importId, body.counts.imported);
  }
}

const reads: Record<string, (u: LoadUser) => string> = {
  "GET /v1/dashboard": () => `/v1/dashboard?month=${choose(LOAD_MONTHS)}`,
  "GET /v1/transactions": () => `/v1/transactions?month=${choose(LOAD_MONTHS)}&limit=50`,
  "GET /v1/budgets/{month}": () => `/v1/budgets/${choose(LOAD_MONTHS)}`,
  "GET /v1/analytics": () => `/v1/analytics?from=${LOAD_MONTHS[0]}&to=${LOAD_MONTHS[1]}`,
  "GET /v1/budgets/{month}/analytics": () => `/v1/budgets/${choose(LOAD_MONTHS)}/analytics`,
  "GET /v1/debt/plan": () => "/v1/debt/plan?strategy=avalanche",
};

const read =
  (route: string): Action =>
  async (call, u) => {
    await call(route, "GET", (reads[route] as (u: LoadUser) => string)(u), json(u.token));
  };

async function budget(call: Call, u: LoadUser): Promise<void> {
  const month = choose(LOAD_MONTHS);
  await call(
    "PUT /v1/budgets/{month}/categories/{id}",
    "PUT",
    `/v1/budgets/${month}/categories/${choose(u.categoryIds)}`,
    json(u.token, { limit: rand(100_000) }),
  );
}

async function signIn(call: Call, u: LoadUser): Promise<void> {
  const res = await call(
    "POST /v1/auth/login",
    "POST",
    "/v1/auth/login",
    json(undefined, { email: u.email, password: u.password }),
  );
  if (res.status === 200) u.token = parse(res.text).token;
}

/** A person's week compressed: mostly reading, some entering, an import and a plan now and then. */
const MIX: [number, Action][] = [
  [20, read("GET /v1/dashboard")],
  [14, read("GET /v1/transactions")],
  [8, read("GET /v1/budgets/{month}")],
  [18, create],
  [10, edit],
  [3, importFile],
  [6, budget],
  [6, read("GET /v1/analytics")],
  [4, read("GET /v1/budgets/{month}/analytics")],
  [5, read("GET /v1/debt/plan")],
  [1, signIn],
];
const WEIGHT = MIX.reduce((s, [w]) => s + w, 0);

function nextAction(): Action {
  let r = rand(WEIGHT);
  for (const [w, action] of MIX) {
    if (r < w) return action;
    r -= w;
  }
  return read("GET /v1/dashboard");
}

/** One user's loop until the deadline. */
export async function runUser(call: Call, u: LoadUser, until: number): Promise<void> {
  while (performance.now() < until) await nextAction()(call, u);
}
