import { randomBytes } from "node:crypto";

/** One request to the app, answer read as text; the same for the in-process app and a server. */
export type Send = (method: string, path: string, init?: SendInit) => Promise<Answer>;

export interface SendInit {
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

export function sender(fetchFn: (input: string, init: RequestInit) => Promise<Response>, base = "http://x") {
  const send: Send = async (method, path, init = {}) => {
    const res = await fetchFn(`${base}${path}`, {
      method,
      headers: init.headers ?? {},
      ...(init.body !== undefined ? { body: init.body as BodyInit } : {}),
    });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  return send;
}

/** A user and the ids of what was made for them, by the name a path parameter or body field has. */
export interface Tenant {
  token: string;
  tenantId: string;
  userId: string;
  email: string;
  /** Text only this tenant's data carries: must never appear in another's answers. */
  marker: string;
  ids: Record<string, string>;
  /** A cursor the server issued to this tenant. */
  cursor?: string;
}

export const strongPassword = () => `fuzz-${randomBytes(6).toString("hex")}-Str0ng!pass`;

async function ok(send: Send, token: string | undefined, method: string, path: string, body: unknown) {
  const res = await send(method, path, {
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (res.status >= 300)
    throw new Error(`${method} ${path} answered ${res.status}: ${res.text.slice(0, 500)}`);
  return JSON.parse(res.text || "null");
}

/**
 * A user with one of everything: accounts, a card, a goal, a rule, a recurring bill, a budget month,
 * transactions, a token and an import, so that every id-taking route has an id of theirs to aim at.
 */
export async function seedTenant(send: Send, label: string): Promise<Tenant> {
  const marker = `${label}Marker${randomBytes(4).toString("hex")}`;
  const email = `${label.toLowerCase()}.${randomBytes(5).toString("hex")}@example.com`;
  const signed = await ok(send, undefined, "POST", "/v1/auth/signup", {
    email,
    password: strongPassword(),
    name: `${marker} Name`,
  });
  const token: string = signed.token;
  const call = (method: string, path: string, body?: unknown) => ok(send, token, method, path, body);
  const ids: Record<string, string> = {};
  const categories = await call("GET", "/v1/categories");
  ids.categoryId = categories.items[0].categoryId;
  const custom = await call("POST", "/v1/categories", { name: `${marker} Cat`, group: "discretionary" });
  ids.customCategoryId = custom.categoryId;
  const checking = await call("POST", "/v1/accounts", { name: `${marker} Checking`, type: "checking" });
  ids.accountId = checking.accountId;
  const savings = await call("POST", "/v1/accounts", { name: `${marker} Savings`, type: "savings" });
  ids.toAccountId = savings.accountId;
  const card = await call("POST", "/v1/cards", {
    name: `${marker} Card`,
    balance: 120_000,
    aprBasisPoints: 2_299,
    creditLimit: 500_000,
    dueDay: 15,
  });
  ids.cardId = card.cardId ?? card.accountId;
  const goal = await call("POST", "/v1/goals", {
    name: `${marker} Goal`,
    targetAmount: 100_000,
    targetDate: "2030-01-01",
  });
  ids.goalId = goal.goalId;
  const rule = await call("POST", "/v1/rules", {
    conditions: { merchant: { op: "contains", value: marker } },
    actions: { categoryId: ids.categoryId },
  });
  ids.ruleId = rule.ruleId;
  const recurring = await call("POST", "/v1/recurring", {
    name: `${marker} Rent`,
    amount: 150_000,
    accountId: ids.accountId,
    schedule: { frequency: "monthly", startDate: "2024-03-01" },
    autoPost: false,
  });
  ids.recurringId = recurring.recurringId;
  await call("POST", "/v1/budgets", { month: "2024-03", totalIncome: 500_000 });
  ids.month = "2024-03";
  for (let i = 0; i < 3; i++) {
    const t = await call("POST", "/v1/transactions", {
      date: `2024-03-1${i}`,
      amount: 1_000 + i,
      merchant: `${marker} Shop`,
      accountId: ids.accountId,
    });
    ids.transactionId = t.transactionId;
  }
  const pat = await call("POST", "/v1/tokens", { name: `${marker} token`, scope: "read" });
  ids.tokenId = pat.tokenId;
  const form = new FormData();
  form.set("file", new File([`Date,Description,Amount\n2024-03-20,${marker} BANK,-3.50\n`], "bank.csv"));
  const encoded = new Response(form);
  const imported = await send("POST", `/v1/imports?accountId=${ids.accountId}`, {
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": encoded.headers.get("content-type") ?? "",
    },
    body: new Uint8Array(await encoded.arrayBuffer()),
  });
  if (imported.status >= 300) throw new Error(`import answered ${imported.status}: ${imported.text}`);
  ids.importId = JSON.parse(imported.text).importId;
  const page = await call("GET", "/v1/transactions?limit=1");
  const tenant: Tenant = {
    token,
    tenantId: signed.user.tenantId,
    userId: signed.user.userId,
    email,
    marker,
    ids,
    ...(page.nextCursor ? { cursor: page.nextCursor } : {}),
  };
  return tenant;
}

/** What must never show up in an answer to anyone but this tenant. */
export function secretsOf(t: Tenant): string[] {
  const ids = Object.entries(t.ids)
    .filter(([k]) => k !== "month" && k !== "categoryId")
    .map(([, v]) => v);
  return [t.marker, t.tenantId, t.userId, t.email, ...ids];
}
