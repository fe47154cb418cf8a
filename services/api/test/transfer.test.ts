import { execFile } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type ServerType, serve } from "@hono/node-server";
import type { Budget, Category, Contribution } from "@tyche/types";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { CognitoAuthenticator } from "../src/auth/cognito";
import type { Owner } from "../src/db/keys";
import { parseTransferArgs } from "../src/transfer/args";
import { cutIntoFiles, readExport } from "../src/transfer/export-files";
import { ApiError, retryAfterMs, TycheClient } from "../src/transfer/http-client";
import { main } from "../src/transfer/main";
import { pairItems, planBudget, planCategories, planContributions } from "../src/transfer/plan";
import { compareFigures } from "../src/transfer/verify";
import { auditActions, type Harness, harness, signup } from "./support/harness";

/**
 * Issue 21, item 6: `tyche-transfer` moves one user's data from one Tyche to another through the
 * API alone. Two real HTTP servers over the app: the source with local sign-in (read through a
 * read-only personal access token), the target in Cognito mode (an ID token signed by a key set
 * made here, the user provisioned on first sight, as in the cloud). The command's main runs in
 * process against their URLs.
 */

const TODAY = "2025-04-10";
const MONTHS = ["2025-01", "2025-02", "2025-03"];
/** The months a snapshot compares: those with transactions, and an archived plan before them. */
const SNAPSHOT_MONTHS = ["2024-12", ...MONTHS];
const FAST = { client: { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 } }, pollMs: 10 };

let source: Harness;
let target: Harness;
let servers: ServerType[] = [];
let sourceUrl: string;
let targetUrl: string;
let sessionToken: string;
let sourcePat: string;
let targetToken: string;
let targetOwner: Owner;

function listen(h: Harness): Promise<string> {
  return new Promise((resolve) => {
    const server = serve({ fetch: (req) => h.fetch(req), port: 0, hostname: "127.0.0.1" }, (info) =>
      resolve(`http://127.0.0.1:${info.port}`),
    );
    servers.push(server);
  });
}

beforeAll(async () => {
  source = harness(undefined, { today: () => TODAY });
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "pool-key", alg: "RS256", use: "sig" };
  const pool = "us-east-1_TransferPool";
  target = harness(
    new CognitoAuthenticator({
      userPoolId: pool,
      clientId: "transferclient",
      jwks: { keys: [jwk as never] },
    }),
    { today: () => TODAY },
  );
  [sourceUrl, targetUrl] = await Promise.all([listen(source), listen(target)]);
  targetOwner = { tenantId: `tenant-transfer-${crypto.randomUUID()}`, userId: crypto.randomUUID() };
  targetToken = await new SignJWT({
    token_use: "id",
    aud: "transferclient",
    sub: targetOwner.userId,
    email: `${targetOwner.userId}@example.com`,
    name: "Ann in the cloud",
    "custom:tenantId": targetOwner.tenantId,
  })
    .setProtectedHeader({ alg: "RS256", kid: "pool-key" })
    .setIssuer(`https://cognito-idp.us-east-1.amazonaws.com/${pool}`)
    .setIssuedAt()
    .setExpirationTime("2h")
    .sign(privateKey);
  sessionToken = (await signup(source, "Ann at home")).token;
  sourcePat = (await ok(source, sessionToken, "POST", "/v1/tokens", { name: "transfer", scope: "read" }))
    .token;
  const t1 = Date.now();
  await fillSource();
  if (process.env.TT) console.log("fill", Date.now() - t1);
  await ok(target, targetToken, "GET", "/v1/me");
});

afterAll(async () => {
  for (const s of servers) s.close();
  servers = [];
  await Promise.all([source.close(), target.close()]);
});

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, asserted on
async function ok(h: Harness, token: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await h.call(method, path, { token, body });
  expect([200, 201, 204], `${method} ${path}: ${JSON.stringify(res.body)}`).toContain(res.status);
  return res.body;
}

const put = (method: string, path: string, body?: unknown) => ok(source, sessionToken, method, path, body);

/** A realistic user: three months of a checking account, a card, savings, a closed wallet. */
async function fillSource(): Promise<void> {
  const cats = new Map<string, string>(
    ((await put("GET", "/v1/categories")).items as Category[]).map((c) => [c.name, c.categoryId]),
  );
  const cat = (name: string) => cats.get(name) as string;
  for (const body of [
    { name: "Pets", group: "essential", color: "#123456", limit: 8000 },
    { name: "Hobbies", group: "discretionary" },
    { name: "Gifts", group: "discretionary", limit: 5000 },
    { name: "Gym", group: "discretionary" },
  ]) {
    cats.set(body.name, (await put("POST", "/v1/categories", body)).categoryId);
  }
  // A default renamed: the target's "Dining" is found by its slug and renamed too, not doubled.
  await put("PUT", `/v1/categories/${cat("Dining")}`, { name: "Eating out", limit: 12000 });
  cats.set("Eating out", cat("Dining"));

  const accounts = (await put("GET", "/v1/accounts")).items as { accountId: string; name: string }[];
  const checking = accounts[0]?.accountId as string;
  await put("PUT", `/v1/accounts/${checking}`, { openingBalance: 250_000, openingDate: "2024-12-31" });
  const savings = (
    await put("POST", "/v1/accounts", {
      name: "Savings",
      type: "savings",
      openingBalance: 100_000,
      openingDate: "2024-12-31",
    })
  ).accountId;
  const visa = (
    await put("POST", "/v1/cards", {
      name: "Visa",
      balance: 120_000,
      balanceDate: "2024-12-31",
      issuer: "Chase",
      aprBasisPoints: 2499,
      creditLimit: 500_000,
      dueDay: 15,
      minimumPayment: { kind: "fixed", amount: 3500 },
      promo: { aprBasisPoints: 0, until: "2025-06-30" },
    })
  ).cardId;
  const wallet = (
    await put("POST", "/v1/accounts", {
      name: "Old wallet",
      type: "cash",
      openingBalance: 5000,
      openingDate: "2024-12-31",
    })
  ).accountId;

  const spend = (body: Record<string, unknown>) => put("POST", "/v1/transactions", body);
  // Each month's writes at once: they are independent, and the month totals add concurrent writes up.
  await Promise.all(
    MONTHS.map((month, i) =>
      Promise.all([
        spend({
          accountId: checking,
          date: `${month}-01`,
          amount: 420_000 + i * 1000,
          type: "income",
          merchant: "ACME PAYROLL",
          categoryId: null,
        }),
        spend({
          accountId: checking,
          date: `${month}-02`,
          amount: 150_000,
          categoryId: cat("Housing"),
          merchant: "Landlord",
        }),
        spend({
          accountId: visa,
          date: `${month}-06`,
          amount: 8423 + i,
          categoryId: cat("Groceries"),
          merchant: "WHOLEFDS MKT 10234",
        }),
        spend({
          accountId: checking,
          date: `${month}-09`,
          amount: 10_000,
          merchant: "PETSMART",
          splits: [
            { categoryId: cat("Groceries"), amount: 6000 },
            { categoryId: cat("Pets"), amount: 4000, note: "food for Rex" },
          ],
        }),
        spend({
          accountId: visa,
          date: `${month}-12`,
          amount: 2350,
          categoryId: cat("Eating out"),
          merchant: "STARBUCKS 123",
          tags: ["coffee", "work"],
        }),
        spend({
          accountId: checking,
          toAccountId: savings,
          date: `${month}-15`,
          amount: 50_000,
          type: "transfer",
        }),
        put("POST", `/v1/cards/${visa}/payments`, {
          amount: 30_000,
          date: `${month}-20`,
          fromAccountId: checking,
        }),
      ]),
    ),
  );
  await Promise.all([
    spend({
      accountId: visa,
      date: "2025-02-08",
      amount: 1200,
      type: "refund",
      categoryId: cat("Groceries"),
      merchant: "WHOLEFDS MKT 10234",
    }),
    spend({
      accountId: checking,
      date: "2025-01-18",
      amount: 4500,
      categoryId: cat("Gym"),
      merchant: "Gold's Gym",
    }),
    spend({
      accountId: wallet,
      date: "2025-01-25",
      amount: 1500,
      categoryId: cat("Hobbies"),
      merchant: '=Craft, "fair"',
      notes: "two lines,\nwith a comma",
    }),
    spend({
      accountId: checking,
      date: "2025-03-21",
      amount: 999,
      categoryId: null,
      merchant: "MYSTERY SHOP",
    }),
  ]);

  // The plans over those transactions, each independent of the others.
  await Promise.all([
    put("POST", "/v1/budgets", {
      month: "2025-01",
      totalIncome: 420_000,
      categories: [
        { categoryId: cat("Housing"), limit: 150_000 },
        { categoryId: cat("Groceries"), limit: 40_000 },
        { categoryId: cat("Pets"), limit: 8000 },
        { categoryId: cat("Eating out"), limit: 10_000 },
        { categoryId: cat("Health"), limit: 0 },
      ],
    }),
    put("POST", "/v1/budgets", {
      month: "2025-02",
      totalIncome: 430_000,
      categories: [
        { categoryId: cat("Housing"), limit: 150_000 },
        { categoryId: cat("Groceries"), limit: 35_000 },
        { categoryId: cat("Gifts"), limit: 5000 },
      ],
    }),
    // A month planned and put away, with no transactions: it must arrive archived.
    (async () => {
      await put("POST", "/v1/budgets", { month: "2024-12", totalIncome: 400_000, categories: [] });
      await put("DELETE", "/v1/budgets/2024-12");
    })(),
    put("POST", "/v1/rules", {
      name: "Coffee",
      priority: 10,
      conditions: { merchant: { op: "contains", value: "STARBUCKS" } },
      actions: { categoryId: cat("Eating out"), tags: ["coffee"] },
    }),
    put("POST", "/v1/recurring", {
      name: "Rent",
      amount: 150_000,
      accountId: checking,
      categoryId: cat("Housing"),
      merchant: "Landlord",
      schedule: { frequency: "monthly", byMonthDay: 2, startDate: "2025-01-02" },
    }),
    put("POST", "/v1/recurring", {
      name: "Visa payment",
      kind: "transfer",
      amount: 30_000,
      accountId: checking,
      toAccountId: visa,
      autoPost: false,
      schedule: { frequency: "monthly", byMonthDay: 20, startDate: "2025-05-20" },
    }),
    (async () => {
      const fund = (
        await put("POST", "/v1/goals", {
          name: "Emergency fund",
          targetAmount: 600_000,
          currentAmount: 20_000,
          targetDate: "2025-12-31",
          priority: 1,
          categoryId: cat("Savings"),
          customMilestones: [10],
        })
      ).goalId;
      for (const c of [
        { amount: 15_000, date: "2025-01-31", note: "January" },
        { amount: 15_000, date: "2025-02-28" },
        { amount: -5000, date: "2025-03-15", note: "car repair" },
      ]) {
        await put("POST", `/v1/goals/${fund}/contributions`, c);
      }
      const trip = (
        await put("POST", "/v1/goals", { name: "Vacation", targetAmount: 200_000, targetDate: "2025-08-01" })
      ).goalId;
      await put("POST", `/v1/goals/${trip}/contributions`, { amount: 10_000, date: "2025-02-01" });
      await put("PUT", `/v1/goals/${trip}`, { status: "cancelled" });
    })(),
  ]);
  await Promise.all([
    put("PUT", "/v1/debt/goal", { targetMonth: "2026-12", strategy: "snowball" }),
    put("PUT", `/v1/accounts/${wallet}`, { closed: true }),
    // Archived once used: it stays on its transactions and must arrive archived.
    put("DELETE", `/v1/categories/${cat("Gym")}`),
  ]);
}

/** Everything of a user a person would compare, ids replaced by names; versions kept apart. */
async function snapshot(h: Harness, token: string) {
  const get = (path: string) => ok(h, token, "GET", path);
  const categories = (await get("/v1/categories?includeArchived=true")).items as Category[];
  const catName = new Map(categories.map((c) => [c.categoryId, c.name]));
  const name = (id: string | null | undefined) => (id ? (catName.get(id) ?? `?${id}`) : null);
  // biome-ignore lint/suspicious/noExplicitAny: answers as JSON
  const accounts: any[] = (await get("/v1/accounts?includeClosed=true")).items;
  const accName = new Map(accounts.map((a) => [a.accountId, a.name]));
  const acc = (id: string | null) => (id ? (accName.get(id) ?? `?${id}`) : null);
  // biome-ignore lint/suspicious/noExplicitAny: answers as JSON
  const byName = <T extends { name: string }>(items: T[], f: (x: T) => any) =>
    Object.fromEntries([...items].sort((a, b) => a.name.localeCompare(b.name)).map((x) => [x.name, f(x)]));
  const versions: Record<string, number> = {};
  const keep = (key: string, v: number) => {
    versions[key] = v;
  };

  const months: Record<string, unknown> = {};
  const readMonth = async (month: string) => {
    // biome-ignore lint/suspicious/noExplicitAny: answers as JSON
    const txns: any[] = [];
    let cursor: string | undefined;
    do {
      const page = await get(`/v1/transactions?month=${month}&limit=500${cursor ? `&cursor=${cursor}` : ""}`);
      txns.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const perCategory: Record<string, number> = {};
    const perType: Record<string, number> = {};
    for (const t of txns) {
      keep(`txn ${t.transactionId}`, t.version);
      perType[t.type] = (perType[t.type] ?? 0) + t.amount;
      for (const part of t.splits ?? [{ categoryId: t.categoryId, amount: t.amount }]) {
        const key = `${t.type} ${name(part.categoryId)}`;
        perCategory[key] = (perCategory[key] ?? 0) + part.amount;
      }
    }
    const res = await h.call("GET", `/v1/budgets/${month}?includeArchived=true`, { token });
    const budget = res.status === 200 ? (res.body as Budget) : null;
    if (budget) keep(`budget ${month}`, budget.version);
    months[month] = {
      count: txns.length,
      perType,
      perCategory,
      transactions: txns
        .map((t) => ({
          date: t.date,
          account: acc(t.accountId),
          amount: t.amount,
          type: t.type,
          category: name(t.categoryId),
          splits:
            t.splits?.map((s: { categoryId: string; amount: number; note?: string }) => ({
              ...s,
              categoryId: name(s.categoryId),
            })) ?? null,
          merchant: t.merchant,
          merchantRaw: t.merchantRaw,
          tags: t.tags,
          notes: t.notes,
          transfer: t.transfer ? [acc(t.transfer.fromAccountId), acc(t.transfer.toAccountId)] : null,
        }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      budget: budget && {
        status: budget.status,
        totalIncome: budget.totalIncome,
        actualIncome: budget.actualIncome,
        totalBudgeted: budget.totalBudgeted,
        totalActualExpenses: budget.totalActualExpenses,
        paidToDebt: budget.paidToDebt,
        availableForDebtPayoff: budget.availableForDebtPayoff,
        categories: byName(budget.categories, (c) => ({
          limit: c.limit,
          spent: c.spent,
          archived: c.archived,
        })),
      },
    };
  };
  await Promise.all(SNAPSHOT_MONTHS.map(readMonth));
  // biome-ignore lint/suspicious/noExplicitAny: answers as JSON
  const goals: any[] = (await get("/v1/goals")).items;
  const goalShapes: Record<string, unknown> = {};
  const readGoal = async (g: (typeof goals)[number]) => {
    keep(`goal ${g.name}`, g.version);
    const contributions = (await get(`/v1/goals/${g.goalId}/contributions`)).items as Contribution[];
    goalShapes[g.name] = {
      targetAmount: g.targetAmount,
      currentAmount: g.currentAmount,
      startingAmount: g.startingAmount,
      targetDate: g.targetDate,
      priority: g.priority,
      status: g.status,
      category: name(g.categoryId),
      currency: g.currency,
      customMilestones: g.customMilestones,
      contributionCount: g.contributionCount,
      contributions: contributions.map((c) => ({
        date: c.date,
        amount: c.amount,
        note: c.note,
        balanceAfter: c.balanceAfter,
      })),
    };
  };
  await Promise.all(goals.map(readGoal));
  const debt = await h.call("GET", "/v1/debt/goal", { token });
  const shape = {
    categories: byName(categories, (c) => {
      keep(`category ${c.name}`, c.version);
      return { type: c.type, group: c.group, color: c.color, limit: c.limit ?? null, archived: c.archived };
    }),
    accounts: byName(accounts, (a) => {
      keep(`account ${a.name}`, a.version);
      return {
        type: a.type,
        currency: a.currency,
        openingBalance: a.openingBalance,
        openingDate: a.openingDate,
        onBudget: a.onBudget,
        closed: a.closed,
        balance: a.balance,
        transactionCount: a.transactionCount,
      };
    }),
    // biome-ignore lint/suspicious/noExplicitAny: answers as JSON
    cards: byName((await get("/v1/cards?includeClosed=true")).items, (c: any) => {
      keep(`card ${c.name}`, c.version);
      return { terms: c.terms, balance: c.balance };
    }),
    months,
    // biome-ignore lint/suspicious/noExplicitAny: answers as JSON
    rules: byName((await get("/v1/rules")).items, (r: any) => {
      keep(`rule ${r.name}`, r.version);
      return {
        priority: r.priority,
        enabled: r.enabled,
        conditions: r.conditions,
        actions: { ...r.actions, categoryId: name(r.actions.categoryId) },
      };
    }),
    // biome-ignore lint/suspicious/noExplicitAny: answers as JSON
    recurring: byName((await get("/v1/recurring")).items, (r: any) => {
      keep(`recurring ${r.name}`, r.version);
      return {
        amount: r.amount,
        kind: r.kind,
        account: acc(r.accountId),
        toAccount: acc(r.toAccountId),
        category: name(r.categoryId),
        merchant: r.merchant,
        schedule: r.schedule,
        autoPost: r.autoPost,
        status: r.status,
        nextOccurrence: r.nextOccurrence,
      };
    }),
    goals: goalShapes,
    debtGoal:
      debt.status === 200 ? { targetMonth: debt.body.targetMonth, strategy: debt.body.strategy } : null,
  };
  return { shape, versions };
}

interface Run {
  code: number;
  out: string[];
  err: string[];
}

async function transfer(extra: string[] = [], env: Record<string, string> = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const t0 = Date.now();
  const code = await main(
    ["--from", sourceUrl, "--to", targetUrl, ...extra],
    { TYCHE_FROM_TOKEN: sourcePat, TYCHE_TO_TOKEN: targetToken, ...env },
    {
      out: (l) => {
        out.push(l);
        if (process.env.TT) console.log(Date.now() - t0, l);
      },
      err: (l) => {
        err.push(l);
        if (process.env.TT) console.log(Date.now() - t0, l);
      },
    },
    FAST,
  );
  return { code, out, err };
}

/** The summary's line for a kind: "  rules  1 created, 0 updated, 0 unchanged". */
const summaryLine = (run: Run, kind: string) =>
  run.out
    .find((l) => new RegExp(`^ {2}${kind} {2,}`).test(l))
    ?.replace(/\s+/g, " ")
    .trim();

describe("tyche-transfer between two servers", () => {
  let first: Awaited<ReturnType<typeof snapshot>>;

  it("dry run: reads both sides, says what it would do and writes nothing", async () => {
    const before = await auditActions(target.store, targetOwner);
    const run = await transfer(["--dry-run"]);
    expect(run.code, run.err.join("\n")).toBe(0);
    expect(run.out).toContain('categories: would create "Pets"');
    expect(summaryLine(run, "accounts")).toBe("accounts 3 to create, 1 to update, 0 unchanged");
    expect(await auditActions(target.store, targetOwner)).toEqual(before);
  });

  it("moves everything, and the target then shows the same figures as the source", async () => {
    const run = await transfer();
    expect(run.code, [...run.err, ...run.out].join("\n")).toBe(0);
    expect(run.out).toContain("Check: every month's figures and every account agree.");
    expect(summaryLine(run, "categories")).toBe("categories 4 created, 1 updated, 10 unchanged");
    expect(summaryLine(run, "accounts")).toBe("accounts 3 created, 1 updated, 0 unchanged");
    expect(summaryLine(run, "card terms")).toBe("card terms 1 created, 0 updated, 0 unchanged");
    expect(summaryLine(run, "budgets")).toBe("budgets 3 created, 0 updated, 0 unchanged");
    expect(summaryLine(run, "rules")).toBe("rules 1 created, 0 updated, 0 unchanged");
    expect(summaryLine(run, "recurring")).toBe("recurring 2 created, 0 updated, 0 unchanged");
    expect(summaryLine(run, "goals")).toBe("goals 2 created, 0 updated, 0 unchanged");
    expect(summaryLine(run, "contributions")).toBe("contributions 4 created, 0 updated, 0 unchanged");
    expect(summaryLine(run, "debt-free goal")).toBe("debt-free goal 1 created, 0 updated, 0 unchanged");
    expect(run.err.filter((l) => l.startsWith("warning"))).toEqual([]);

    const [from, to] = await Promise.all([snapshot(source, sessionToken), snapshot(target, targetToken)]);
    expect(to.shape).toEqual(from.shape);
    // The data set is what it claims to be (so that equality above means something).
    expect(Object.keys(from.shape.categories)).toHaveLength(15);
    expect(from.shape.categories.Gym?.archived).toBe(true);
    expect(from.shape.accounts["Old wallet"]?.closed).toBe(true);
    expect(from.shape.cards.Visa?.terms?.promo).toEqual({ aprBasisPoints: 0, until: "2025-06-30" });
    expect(from.shape.months["2025-02"]).toMatchObject({ count: 10, budget: { totalIncome: 430_000 } });
    expect(from.shape.months["2024-12"]).toMatchObject({ count: 0, budget: { status: "archived" } });
    expect(from.shape.goals.Vacation).toMatchObject({ status: "cancelled", currentAmount: 10_000 });
    first = to;
  });

  it("run again, adds and changes nothing", async () => {
    const audits = (await auditActions(target.store, targetOwner)).length;
    const run = await transfer();
    expect(run.code, [...run.err, ...run.out].join("\n")).toBe(0);
    for (const kind of [
      "categories",
      "accounts",
      "budgets",
      "rules",
      "recurring",
      "goals",
      "contributions",
    ]) {
      expect(summaryLine(run, kind)).toMatch(/ 0 created, 0 updated, \d+ unchanged$/);
    }
    expect(summaryLine(run, "transactions")).toMatch(/^transactions 0 added, 0 already there/);
    expect((await auditActions(target.store, targetOwner)).length).toBe(audits);
    expect(await snapshot(target, targetToken)).toEqual(first);
  });

  it("brings over only what is new in the source", async () => {
    const hobbies = (await put("GET", "/v1/categories")).items.find((c: Category) => c.name === "Hobbies");
    const checking = (await put("GET", "/v1/accounts")).items.find(
      (a: { name: string }) => a.name === "Checking",
    );
    await put("POST", "/v1/transactions", {
      accountId: checking.accountId,
      date: "2025-03-28",
      amount: 777,
      categoryId: hobbies.categoryId,
      merchant: "Yarn shop",
    });
    const run = await transfer();
    expect(run.code, [...run.err, ...run.out].join("\n")).toBe(0);
    expect(summaryLine(run, "transactions")).toMatch(/^transactions 1 added, 17 already there/);
    const [from, to] = await Promise.all([snapshot(source, sessionToken), snapshot(target, targetToken)]);
    expect(to.shape).toEqual(from.shape);
  });

  it("exits 1 naming the month and the figure when the target differs", async () => {
    const gifts = (await ok(target, targetToken, "GET", "/v1/categories")).items.find(
      (c: Category) => c.name === "Gifts",
    );
    await ok(target, targetToken, "POST", "/v1/transactions", {
      date: "2025-02-14",
      amount: 1234,
      categoryId: gifts.categoryId,
      merchant: "Florist",
    });
    const run = await transfer();
    expect(run.code).toBe(1);
    const failures = run.err.join("\n");
    expect(failures).toContain("Check failed");
    expect(failures).toContain('2025-02: spent in "Gifts" is 0 in the source but 1234 in the target');
    expect(failures).toContain('account "Checking": balance');
    // The import found every source row already there: nothing was added to make up for it.
    expect(summaryLine(run, "transactions")).toMatch(/^transactions 0 added/);
  });

  it("refuses a bad command line with exit code 2, and a refused token with 1, each with a reason", async () => {
    const missing = await transfer([], { TYCHE_TO_TOKEN: "" });
    expect(missing.code).toBe(2);
    expect(missing.err[0]).toBe("tyche-transfer: --to-token (or TYCHE_TO_TOKEN) is required");
    const month = await transfer(["--from-month", "2025-13"]);
    expect(month.code).toBe(2);
    expect(month.err[0]).toBe("tyche-transfer: --from-month must be a month as YYYY-MM");
    const refused = await transfer([], { TYCHE_TO_TOKEN: "not-a-token" });
    expect(refused.code).toBe(1);
    expect(refused.err.join("\n")).toMatch(
      /target: GET \/v1\/categories answered 401.*\n.*target's token was refused/,
    );
  });
});

describe("the plan (pure)", () => {
  const category = (name: string, type: string, extra: Partial<Category> = {}): Category => ({
    categoryId: `id-${name}`,
    name,
    type,
    group: "discretionary",
    color: "#000000",
    archived: false,
    version: 1,
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-01T00:00:00.000Z",
    ...extra,
  });

  it("matches categories by name, then by slug; creates the rest; restores one the source uses", () => {
    const steps = planCategories(
      [
        category("Groceries", "groceries"),
        category("Eating out", "dining"),
        category("Pets", "pets", { limit: 5000 }),
        category("Gym", "gym", { archived: true }),
      ],
      [
        category(" groceries", "groceries", { categoryId: "t1" }),
        category("Dining", "dining", { categoryId: "t2" }),
        category("Gym", "gym", { categoryId: "t3", archived: true }),
      ],
    );
    expect(steps.map((s) => s.action)).toEqual(["update", "update", "create", "same"]);
    expect(steps[0]).toMatchObject({ target: { categoryId: "t1" }, patch: { name: "Groceries" } });
    expect(steps[1]).toMatchObject({ target: { categoryId: "t2" }, patch: { name: "Eating out" } });
    expect(steps[2]).toMatchObject({ body: { name: "Pets", type: "pets", limit: 5000 } });
  });

  it("pairs equals first, so two items of one name do not swap", () => {
    const { pairs } = pairItems(
      [
        { n: "a", v: 1 },
        { n: "a", v: 2 },
      ],
      [
        { n: "a", v: 2 },
        { n: "a", v: 1 },
      ],
      [{ source: (x) => x.n, target: (x) => x.n }],
      (s, t) => s.v === t.v,
    );
    expect([pairs.get(0)?.v, pairs.get(1)?.v]).toEqual([1, 2]);
  });

  it("plans a month with its limits remapped, and leaves an equal one alone", () => {
    const view = (
      categories: { categoryId: string; limit: number; spent: number }[],
      extra: Partial<Budget> = {},
    ) =>
      ({
        month: "2025-01",
        currency: "USD",
        status: "active",
        totalIncome: 1000,
        version: 1,
        categories: categories.map((c) => ({ ...c, name: c.categoryId, committed: 0 })),
        ...extra,
      }) as unknown as Budget;
    const map = new Map([
      ["s1", "t1"],
      ["s2", "t2"],
      ["s3", "t3"],
    ]);
    const source = view([
      { categoryId: "s1", limit: 500, spent: 20 },
      { categoryId: "s2", limit: 0, spent: 0 },
      { categoryId: "s3", limit: 0, spent: 99 },
      { categoryId: "uncategorized", limit: 0, spent: 0 },
    ]);
    const created = planBudget(source, undefined, map);
    expect(created.step).toMatchObject({
      action: "create",
      body: {
        month: "2025-01",
        totalIncome: 1000,
        categories: [
          { categoryId: "t1", limit: 500 },
          { categoryId: "t2", limit: 0 },
        ],
      },
    });
    expect(created.unmapped).toEqual(["uncategorized"]);
    expect(planBudget(source, view([{ categoryId: "t1", limit: 500, spent: 20 }]), map).step.action).toBe(
      "same",
    );
    expect(planBudget(source, view([{ categoryId: "t1", limit: 400, spent: 20 }]), map).step.action).toBe(
      "update",
    );
    // An archived month is planned again in place when the source's is active, even if equal.
    const shelved = view([{ categoryId: "t1", limit: 500, spent: 20 }], { status: "archived" });
    expect(planBudget(source, shelved, map)).toMatchObject({ step: { action: "create" }, archive: false });
    const bothShelved = view([{ categoryId: "s1", limit: 500, spent: 20 }], { status: "archived" });
    expect(planBudget(bothShelved, shelved, map)).toMatchObject({ step: { action: "same" }, archive: false });
    expect(planBudget(bothShelved, view([{ categoryId: "t1", limit: 500, spent: 20 }]), map)).toMatchObject({
      step: { action: "same" },
      archive: true,
    });
  });

  it("adds the contributions the target lacks, oldest first, as a multiset", () => {
    const c = (id: string, date: string, amount: number, note: string | null = null) =>
      ({ contributionId: id, date, amount, note, createdAt: `${date}T00:00:00.000Z` }) as Contribution;
    const { missing, extra } = planContributions(
      [c("3", "2025-03-01", -50), c("2", "2025-02-01", 100), c("1", "2025-01-01", 100)],
      [c("x", "2025-01-01", 100), c("y", "2025-04-01", 7)],
    );
    expect(missing.map((m) => m.contributionId)).toEqual(["2", "3"]);
    expect(extra.map((m) => m.contributionId)).toEqual(["y"]);
  });

  it("cuts an export into files by month within the limits, keeping quoted line breaks", () => {
    const header =
      "Tyche Id,Date,Account,Account Id,Kind,Amount,Currency,Category,Splits,Merchant,Merchant Name,Description,Tags,Notes,Pending,Cleared,Bank Id,Transfer Account,Transfer Account Id,Linked Id";
    const row = (id: string, date: string, notes = "") =>
      `${id},${date},Checking,ACC,expense,-1.00,USD,,,Shop,Shop,,,${notes},false,false,,,,`;
    const csv = `${header}\r\n${[
      row("A", "2025-01-05", '"two\r\nlines, ""quoted"""'),
      row("B", "2025-01-06"),
      row("C", "2025-02-01"),
      row("D", "2025-02-02"),
      row("E", "2025-02-03"),
      row("F", "2025-03-01"),
    ].join("\r\n")}\r\n`;
    const records = readExport(csv);
    expect(records.map((r) => r.date)).toEqual([
      "2025-01-05",
      "2025-01-06",
      "2025-02-01",
      "2025-02-02",
      "2025-02-03",
      "2025-03-01",
    ]);
    expect(records[0]?.text).toContain('"two\r\nlines, ""quoted"""');
    const files = cutIntoFiles(records, { maxBytes: 1_000_000, maxRows: 2 });
    expect(files.map((f) => [f.months, f.rows])).toEqual([
      [["2025-01"], 2],
      [["2025-02"], 2],
      [["2025-02", "2025-03"], 2],
    ]);
    for (const f of files) expect(readExport(f.text)).toHaveLength(f.rows);
    expect(cutIntoFiles(records, { maxBytes: 1_000_000, maxRows: 10 })).toHaveLength(1);
    expect(() => readExport("Date,Amount\r\n2025-01-01,1\r\n")).toThrow(/export header/);
  });

  it("names every figure that differs", () => {
    expect(
      compareFigures(
        "2025-01",
        { income: 5, 'spent in "Pets"': 3 },
        { income: 5, 'spent in "pets"': 4, x: 1 },
      ),
    ).toEqual([
      { where: "2025-01", figure: 'spent in "Pets"', source: 3, target: 4 },
      { where: "2025-01", figure: "x", source: null, target: 1 },
    ]);
  });

  it("takes tokens from the environment and refuses copying a user into itself", () => {
    const env = { TYCHE_FROM_TOKEN: "a", TYCHE_TO_TOKEN: "b" };
    expect(parseTransferArgs(["--from", "http://x", "--to", "https://y/", "--dry-run"], env)).toEqual({
      options: {
        from: { url: "http://x", token: "a" },
        to: { url: "https://y/", token: "b" },
        dryRun: true,
        fromMonth: undefined,
      },
    });
    expect(parseTransferArgs(["--from", "http://x", "--to", "http://x/", "--to-token", "a"], env)).toEqual({
      problem: "the source and the target are the same user on the same server",
    });
    expect(parseTransferArgs(["--from", "ftp://x", "--to", "http://y"], env)).toEqual({
      problem: "--from must be an http:// or https:// URL",
    });
  });
});

describe("the launcher", () => {
  it("npx tyche-transfer runs the command and exits with its status", async () => {
    const launcher = resolve(dirname(fileURLToPath(import.meta.url)), "../bin/tyche-transfer.js");
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = execFile(
        process.execPath,
        [launcher, "--to", "http://localhost:1"],
        { env: { PATH: process.env.PATH ?? "" } },
        (_err, _out, stderr) => done({ code: child.exitCode, stderr: String(stderr) }),
      );
    });
    expect(stderr.split("\n")[0]).toBe("tyche-transfer: --from is required");
    expect(code).toBe(2);
  });
});

describe("the HTTP client", () => {
  it("waits out 429 (Retry-After) and 5xx on reads, but sends a plain POST once", async () => {
    const answers = [429, 503, 200];
    let calls = 0;
    const server = createServer((req, res) => {
      calls += 1;
      const status = req.method === "POST" ? 503 : (answers.shift() ?? 200);
      res.writeHead(status, {
        "content-type": "application/json",
        ...(status === 429 ? { "retry-after": "0" } : {}),
      });
      res.end(
        JSON.stringify(status === 200 ? { items: [] } : { type: "/problems/x", title: "Busy", status }),
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const waits: number[] = [];
    const client = new TycheClient("target", url, "t", {
      retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    try {
      await expect(client.items("/v1/rules", z.unknown())).resolves.toEqual([]);
      expect(calls).toBe(3);
      expect(waits[0]).toBe(0);
      calls = 0;
      const post = client.json("POST", "/v1/rules", z.unknown(), { body: {} });
      await expect(post).rejects.toBeInstanceOf(ApiError);
      expect(calls).toBe(1);
    } finally {
      server.close();
    }
    expect(retryAfterMs("120")).toBe(120_000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(retryAfterMs("soon")).toBeUndefined();
  });
});
