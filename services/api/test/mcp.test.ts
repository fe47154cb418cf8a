import { spawn } from "node:child_process";
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { type ServerType, serve } from "@hono/node-server";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { createMcpServer, MAX_TOOL_INPUT_ELEMENTS } from "../src/ai/mcp/server";
import type { AnyTool } from "../src/ai/tools";
import { ForecastSavingsInput } from "../src/ai/tools/forecast-savings";
import { defineTool, toolContext } from "../src/ai/tools/tool";
import type { Principal } from "../src/auth/principal";
import { DomainError } from "../src/errors";
import { type Account, auditActions, type Harness, harness, ownerItems, signup } from "./support/harness";

/**
 * The MCP server as its clients meet it: the SDK's own Client over a real HTTP server for the app
 * (streamable HTTP at /mcp) and over stdio through the real launcher (`npx tyche-mcp`, which proxies
 * to that HTTP server). The month is in the future so that no clock changes what it holds.
 */
const MONTH = "2030-01";
const TODAY = "2030-01-15";
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const LAUNCHER = resolve(REPO_ROOT, "services/api/bin/tyche-mcp.js");
const READ_TOOLS = [
  "get_user_context",
  "analyze_budget",
  "calculate_payoff",
  "forecast_savings",
  "optimize_categories",
  "find_transactions",
  "spending_by",
];
const WRITE_TOOLS = ["add_transaction", "set_category_limit", "create_goal"];

let h: Harness;
let http: ServerType;
let baseUrl: string;
const clients: Client[] = [];

beforeAll(async () => {
  h = harness(undefined, { today: () => TODAY });
  const port = await new Promise<number>((done) => {
    http = serve({ fetch: (req) => h.fetch(req), port: 0, hostname: "127.0.0.1" }, (info) => done(info.port));
  });
  baseUrl = `http://127.0.0.1:${port}`;
  expect((http.address() as AddressInfo).port).toBe(port);
});

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await new Promise((done) => http.close(done));
  await h.close();
});

async function ok(u: Account, method: string, path: string, body?: unknown, status = 200) {
  const res = await h.call(method, path, { token: u.token, ...(body !== undefined ? { body } : {}) });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

interface Fixture {
  user: Account;
  ids: Record<string, string>;
  cardId: string;
  accountId: string;
}

/**
 * Income $3,000; housing $1,200, groceries $500, dining $200 planned. Spent: dining $320 (over by
 * $120). Committed = 1,200 + 500 + 320 = $2,020, so availableForDebtPayoff = $980. A card owes
 * `cardBalance` at 24 %.
 */
async function fixture(name: string, cardBalance: number): Promise<Fixture> {
  const user = await signup(h, name);
  const categories = (await ok(user, "GET", "/v1/categories")).items as {
    type: string;
    categoryId: string;
  }[];
  const ids = Object.fromEntries(categories.map((c) => [c.type, c.categoryId])) as Record<string, string>;
  await ok(
    user,
    "POST",
    "/v1/budgets",
    {
      month: MONTH,
      totalIncome: 300_000,
      categories: [
        { categoryId: ids.housing, limit: 120_000 },
        { categoryId: ids.groceries, limit: 50_000 },
        { categoryId: ids.dining, limit: 20_000 },
      ],
    },
    201,
  );
  await ok(
    user,
    "POST",
    "/v1/transactions",
    { date: `${MONTH}-08`, amount: 32_000, type: "expense", categoryId: ids.dining, merchant: "Bistro" },
    201,
  );
  const card = await ok(
    user,
    "POST",
    "/v1/cards",
    { name: `${name}'s Visa`, balance: cardBalance, aprBasisPoints: 2400, creditLimit: 500_000, dueDay: 20 },
    201,
  );
  const accounts = (await ok(user, "GET", "/v1/accounts")).items as { accountId: string; type: string }[];
  const cash = accounts.find((a) => a.type !== "credit-card");
  if (!cash) throw new Error("no cash account");
  return { user, ids, cardId: card.cardId, accountId: cash.accountId };
}

async function createToken(
  u: Account,
  body: Record<string, unknown>,
): Promise<{ token: string; tokenId: string }> {
  return ok(u, "POST", "/v1/tokens", { name: "MCP client", ...body }, 201);
}

/** Moves a token's stored expiry into the past: what the clock does to it, without the wait. */
async function expire(tokenId: string): Promise<void> {
  const key = { PK: `PAT#${tokenId}`, SK: "PAT" };
  const { Item } = await h.store.db.send(
    new GetCommand({ TableName: h.store.tables.users, Key: key, ConsistentRead: true }),
  );
  await h.store.db.send(
    new PutCommand({
      TableName: h.store.tables.users,
      Item: { ...Item, expiresAt: new Date(Date.now() - 1000).toISOString() },
    }),
  );
}

const mcpUrl = () => new URL(`${baseUrl}/mcp`);

async function overHttp(token: string): Promise<Client> {
  const client = new Client({ name: "mcp-test", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(mcpUrl(), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  clients.push(client);
  return client;
}

interface StdioSession {
  client: Client;
  /** What the launcher wrote to stderr (everything but JSON-RPC). */
  stderr(): string;
  /** Transport errors, e.g. a line on stdout that is not JSON-RPC. */
  errors: Error[];
}

/** The real launcher, as an MCP client runs it: `npx tyche-mcp` from the repository, or node and its path. */
function stdioTransport(token: string | undefined, via: "npx" | "node" = "node") {
  const env: Record<string, string> = { ...getDefaultEnvironment(), TYCHE_URL: baseUrl };
  if (token !== undefined) env.TYCHE_TOKEN = token;
  return new StdioClientTransport({
    ...(via === "npx"
      ? { command: "npx", args: ["tyche-mcp"] }
      : { command: process.execPath, args: [LAUNCHER] }),
    env,
    cwd: REPO_ROOT,
    stderr: "pipe",
  });
}

async function overStdio(token: string, via: "npx" | "node" = "node"): Promise<StdioSession> {
  const transport = stdioTransport(token, via);
  let stderr = "";
  transport.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const client = new Client({ name: "mcp-test", version: "1.0.0" });
  const errors: Error[] = [];
  client.onerror = (err) => errors.push(err);
  await client.connect(transport);
  clients.push(client);
  return { client, stderr: () => stderr, errors };
}

const names = async (client: Client) => (await client.listTools()).tools.map((t) => t.name);

async function call(client: Client, name: string, args: Record<string, unknown> = {}) {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

const textOf = (result: CallToolResult) =>
  result.content.map((c) => (c.type === "text" ? c.text : "")).join("");

/** A successful result's output: its JSON text, which structuredContent must equal. */
// biome-ignore lint/suspicious/noExplicitAny: tests assert on tools' JSON outputs field by field
function outputOf(result: CallToolResult): any {
  expect(result.isError, textOf(result)).toBeFalsy();
  const output = JSON.parse(textOf(result));
  expect(result.structuredContent).toEqual(output);
  return output;
}

/** The user's items, without what a token's use may set in the background. */
const itemsOf = async (u: Account) =>
  (await ownerItems(h.store, u.owner)).map(({ lastUsedAt: _used, ...rest }) => rest);

/** POSTs one JSON-RPC message to /mcp as a client would, with this Authorization header. */
const post = (
  authorization: string | undefined,
  body: unknown = initialize(),
  extra: Record<string, string> = {},
) =>
  fetch(mcpUrl(), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...(authorization !== undefined ? { authorization } : {}),
      ...extra,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

const initialize = () => ({
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "curl", version: "1" } },
});

async function expect401(res: Response) {
  expect(res.status).toBe(401);
  expect(res.headers.get("www-authenticate")).toBe("Bearer");
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect((await res.json()).status).toBe(401);
}

let maya: Fixture;
let noah: Fixture;
beforeAll(async () => {
  [maya, noah] = await Promise.all([fixture("Maya", 100_000), fixture("Noah", 250_000)]);
});

describe("over streamable HTTP at /mcp", () => {
  it("lists the tools and answers get_user_context with exactly the figures the API has", async () => {
    const { token } = await createToken(maya.user, { scope: "read" });
    const client = await overHttp(token);
    expect(client.getServerVersion()?.name).toBe("tyche");
    expect(client.getInstructions()).toMatch(/integer count of minor units \(cents\)/);
    expect(client.getInstructions()).toMatch(/do not redo/);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual(READ_TOOLS);
    const context = tools.find((t) => t.name === "get_user_context");
    expect(context?.description).toMatch(/availableForDebtPayoff/);
    expect(context?.inputSchema).toMatchObject({ type: "object", properties: { month: { type: "string" } } });
    expect(context?.annotations).toMatchObject({ readOnlyHint: true });

    const out = outputOf(await call(client, "get_user_context", { month: MONTH }));
    const budget = await ok(maya.user, "GET", `/v1/budgets/${MONTH}`);
    const [card] = (await ok(maya.user, "GET", "/v1/cards")).items;
    expect(out.budget).toMatchObject({
      totalIncome: budget.totalIncome,
      totalExpenses: budget.totalActualExpenses,
      availableForDebtPayoff: budget.availableForDebtPayoff,
    });
    // By hand: 300,000 - (120,000 + 50,000 + max(20,000, 32,000)) = 98,000 cents.
    expect(out.budget).toMatchObject({
      totalIncome: 300_000,
      totalExpenses: 32_000,
      availableForDebtPayoff: 98_000,
    });
    const dining = out.budget.categories.find(
      (c: { categoryId: string }) => c.categoryId === maya.ids.dining,
    );
    expect(dining).toMatchObject({ limit: 20_000, spent: 32_000, status: "over" });
    expect(out.cards).toEqual([
      expect.objectContaining({
        cardId: maya.cardId,
        balance: card.balance,
        aprBasisPoints: 2400,
        minimumDue: card.minimumDue,
        monthlyInterest: card.monthlyInterest,
      }),
    ]);
    expect(out).toMatchObject({ month: MONTH, today: TODAY, currency: "USD", totalOwed: 100_000 });
  });

  it("a write token is offered the write tools too, and add_transaction records through the API's rules", async () => {
    const u = await fixture("Writer", 50_000);
    const { token } = await createToken(u.user, { scope: "write" });
    const client = await overHttp(token);
    expect(client.getInstructions()).not.toMatch(/read-only/);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([...READ_TOOLS, ...WRITE_TOOLS]);
    expect(tools.find((t) => t.name === "add_transaction")?.annotations).toMatchObject({
      readOnlyHint: false,
    });

    const out = outputOf(
      await call(client, "add_transaction", {
        date: `${MONTH}-09`,
        amount: 4_500,
        type: "expense",
        categoryId: u.ids.groceries,
        merchant: "FreshMart",
      }),
    );
    expect(out.created).toMatchObject({ amount: 4_500, merchant: "FreshMart", categoryId: u.ids.groceries });
    const listed = (await ok(u.user, "GET", `/v1/transactions?month=${MONTH}`)).items;
    expect(listed.map((t: { transactionId: string }) => t.transactionId)).toContain(
      out.created.transactionId,
    );
    const budget = await ok(u.user, "GET", `/v1/budgets/${MONTH}`);
    expect(
      budget.categories.find((c: { categoryId: string }) => c.categoryId === u.ids.groceries).spent,
    ).toBe(4_500);
    expect(await auditActions(h.store, u.user.owner)).toContain("transaction.create");

    const limit = outputOf(
      await call(client, "set_category_limit", { month: MONTH, categoryId: u.ids.dining, limit: 40_000 }),
    );
    // Dining now commits its 40,000 limit rather than its 32,000 spent: 98,000 - 8,000 = 90,000.
    expect(limit).toMatchObject({ availableForDebtPayoff: 90_000, category: { limit: 40_000 } });
  });

  it("a session token (the web app's) may use /mcp too, with every tool", async () => {
    const client = await overHttp(maya.user.token);
    expect(await names(client)).toEqual([...READ_TOOLS, ...WRITE_TOOLS]);
  });

  it("a read token is not offered the write tools, is refused them by name, and nothing is written", async () => {
    const u = await fixture("Reader", 50_000);
    const { token } = await createToken(u.user, {});
    const client = await overHttp(token);
    expect(client.getInstructions()).toMatch(/read-only/);
    expect(await names(client)).toEqual(READ_TOOLS);
    const before = await itemsOf(u.user);
    const attempts = {
      add_transaction: { date: `${MONTH}-09`, amount: 4_500, type: "expense", categoryId: u.ids.groceries },
      set_category_limit: { month: MONTH, categoryId: u.ids.dining, limit: 1 },
      create_goal: { name: "Car", targetAmount: 100_000, targetDate: "2031-01-01" },
    };
    for (const [name, args] of Object.entries(attempts)) {
      const result = await call(client, name, args);
      expect(result.isError, name).toBe(true);
      expect(textOf(result)).toMatch(new RegExp(`${name} not found`));
    }
    expect(await itemsOf(u.user)).toEqual(before);
  });

  it("answers bad input and a domain failure as model-readable isError results, not protocol errors", async () => {
    const client = await overHttp(maya.user.token);
    const bad = await call(client, "get_user_context", { month: "2030-13" });
    expect(bad.isError).toBe(true);
    expect(textOf(bad)).toMatch(/month/);
    const unknown = await call(client, "set_category_limit", {
      month: MONTH,
      categoryId: "01J00000000000000000000000",
      limit: 1_000,
    });
    expect(unknown.isError).toBe(true);
    expect(textOf(unknown)).toMatch(/not found/i);
    // The server is still answering.
    expect(outputOf(await call(client, "get_user_context", { month: MONTH })).month).toBe(MONTH);
  });

  it("refuses a missing, malformed, revoked or expired token with 401 and WWW-Authenticate", async () => {
    await expect401(await post(undefined));
    await expect401(await post("Bearer not-a-token"));
    await expect401(await post("Basic dXNlcjpwYXNz"));

    const revoked = await createToken(maya.user, { scope: "write" });
    expect((await post(`Bearer ${revoked.token}`)).status).toBe(200);
    await ok(maya.user, "DELETE", `/v1/tokens/${revoked.tokenId}`, undefined, 204);
    await expect401(await post(`Bearer ${revoked.token}`));

    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const expiring = await createToken(maya.user, { expiresAt });
    expect((await post(`Bearer ${expiring.token}`)).status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(expiresAt) - Date.now()) + 100));
    await expect401(await post(`Bearer ${expiring.token}`));

    // The SDK's client gets the 401 as an error when it connects.
    const client = new Client({ name: "mcp-test", version: "1.0.0" });
    const refused = client.connect(
      new StreamableHTTPClientTransport(mcpUrl(), {
        requestInit: { headers: { authorization: `Bearer ${revoked.token}` } },
      }),
    );
    await expect(refused).rejects.toSatisfy((err) => err instanceof StreamableHTTPError && err.code === 401);
  });

  it("stops a connected client at once when its token is revoked", async () => {
    const created = await createToken(maya.user, {});
    const client = await overHttp(created.token);
    outputOf(await call(client, "get_user_context", { month: MONTH }));
    await ok(maya.user, "DELETE", `/v1/tokens/${created.tokenId}`, undefined, 204);
    await expect(call(client, "get_user_context", { month: MONTH })).rejects.toSatisfy(
      (err) => err instanceof StreamableHTTPError && err.code === 401,
    );
  });

  it("answers a bare tools/call, as the README's curl sends it, in plain JSON", async () => {
    const { token } = await createToken(maya.user, {});
    const res = await post(`Bearer ${token}`, {
      jsonrpc: "2.0",
      id: 1,
      method: "tools/call",
      params: { name: "get_user_context", arguments: { month: MONTH } },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const answer = await res.json();
    expect(answer).toMatchObject({ jsonrpc: "2.0", id: 1, result: { structuredContent: { month: MONTH } } });
    expect(answer.result.structuredContent.budget.availableForDebtPayoff).toBe(98_000);
  });

  it("answers GET and DELETE with 405 (stateless: no stream, no session), after authentication", async () => {
    for (const method of ["GET", "DELETE"]) {
      const res = await fetch(mcpUrl(), { method, headers: { authorization: `Bearer ${maya.user.token}` } });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
      expect(await res.json()).toMatchObject({ jsonrpc: "2.0", error: { code: -32000 } });
      await expect401(await fetch(mcpUrl(), { method }));
    }
  });

  it("keeps the API's body limit", async () => {
    // In process: over a socket, the unread rest of the body would spoil the connection for the next test.
    const res = await h.fetch("http://tyche.test/mcp", {
      method: "POST",
      headers: {
        authorization: `Bearer ${maya.user.token}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ ...initialize(), padding: "x".repeat(300 * 1024) }),
    });
    expect(res.status).toBe(413);
  });
});

describe("one user's token never reaches another's data", () => {
  it("A's context holds only A's figures, and B's ids in A's tool calls are not found", async () => {
    const { token } = await createToken(maya.user, { scope: "write" });
    const client = await overHttp(token);
    const context = await call(client, "get_user_context", { month: MONTH });
    const out = outputOf(context);
    expect(out.cards.map((c: { cardId: string }) => c.cardId)).toEqual([maya.cardId]);
    expect(out.totalOwed).toBe(100_000);
    const text = textOf(context);
    for (const id of [noah.cardId, noah.accountId, ...Object.values(noah.ids)])
      expect(text).not.toContain(id);
    expect(text).not.toContain("Noah");

    const before = await itemsOf(noah.user);
    const missing = "01J00000000000000000000000";
    const expense = { date: `${MONTH}-09`, amount: 1_000, type: "expense" };
    const cases: [tool: string, idOfB: string, args: (id: string) => Record<string, unknown>][] = [
      [
        "set_category_limit",
        noah.ids.dining as string,
        (categoryId) => ({ month: MONTH, categoryId, limit: 1 }),
      ],
      ["add_transaction", noah.accountId, (accountId) => ({ ...expense, accountId })],
      ["add_transaction", noah.ids.groceries as string, (categoryId) => ({ ...expense, categoryId })],
    ];
    for (const [tool, idOfB, args] of cases) {
      const theirs = await call(client, tool, args(idOfB));
      const nobodys = await call(client, tool, args(missing));
      // B's object answers exactly as one that does not exist.
      expect(theirs.isError, textOf(theirs)).toBe(true);
      expect(textOf(theirs)).toBe(textOf(nobodys));
      expect(textOf(theirs)).toMatch(/not found|is not one of your/);
    }
    const found = outputOf(await call(client, "find_transactions", { accountId: noah.accountId }));
    expect(found.items).toEqual([]);
    expect(await itemsOf(noah.user)).toEqual(before);
    // B's own view is B's, through B's own token.
    const theirs = outputOf(
      await call(await overHttp((await createToken(noah.user, {})).token), "get_user_context", {
        month: MONTH,
      }),
    );
    expect(theirs.cards.map((c: { cardId: string }) => c.cardId)).toEqual([noah.cardId]);
    expect(theirs.totalOwed).toBe(250_000);
  });
});

describe("over stdio (npx tyche-mcp, a proxy to /mcp)", () => {
  it("npx tyche-mcp lists and calls the tools with the same answers as HTTP, and writes nothing but JSON-RPC to stdout", async () => {
    const { token } = await createToken(maya.user, { scope: "read" });
    const session = await overStdio(token, "npx");
    expect(session.client.getServerVersion()?.name).toBe("tyche");
    expect(session.client.getInstructions()).toMatch(/minor units \(cents\)/);
    expect(session.client.getInstructions()).toMatch(/read-only/);
    const viaStdio = await session.client.listTools();
    const viaHttp = await (await overHttp(token)).listTools();
    expect(viaStdio.tools).toEqual(viaHttp.tools);
    expect(viaStdio.tools.map((t) => t.name)).toEqual(READ_TOOLS);

    const out = outputOf(await call(session.client, "get_user_context", { month: MONTH }));
    expect(out.budget).toMatchObject({ totalIncome: 300_000, availableForDebtPayoff: 98_000 });
    expect(out.cards.map((c: { cardId: string }) => c.cardId)).toEqual([maya.cardId]);
    const payoff = outputOf(await call(session.client, "calculate_payoff", { month: MONTH }));
    expect(payoff).toMatchObject({ monthlyAmount: 98_000, totalOwed: 100_000 });

    const refused = await call(session.client, "add_transaction", {
      date: `${MONTH}-09`,
      amount: 1,
      type: "expense",
    });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(/add_transaction not found/);
    expect(session.errors).toEqual([]);
    expect(session.stderr()).toMatch(/connected to http:\/\/127\.0\.0\.1:\d+\/mcp/);
  });

  it("a write token sees and calls the write tools through the proxy", async () => {
    const u = await fixture("Proxy writer", 50_000);
    const { token } = await createToken(u.user, { scope: "write" });
    const session = await overStdio(token);
    expect(await names(session.client)).toEqual([...READ_TOOLS, ...WRITE_TOOLS]);
    const out = outputOf(
      await call(session.client, "create_goal", {
        name: "Car",
        targetAmount: 120_000,
        targetDate: "2031-01-01",
      }),
    );
    const goals = (await ok(u.user, "GET", "/v1/goals")).items;
    expect(goals.map((g: { goalId: string }) => g.goalId)).toEqual([out.created.goalId]);
    expect(session.errors).toEqual([]);
  });

  it.each(["a revoked", "an expired"] as const)(
    "%s token: the proxy exits at start with the reason on stderr",
    async (how) => {
      const created = await createToken(maya.user, { scope: "write" });
      if (how === "a revoked") await ok(maya.user, "DELETE", `/v1/tokens/${created.tokenId}`, undefined, 204);
      else await expire(created.tokenId);
      const transport = stdioTransport(created.token);
      let stderr = "";
      transport.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const client = new Client({ name: "mcp-test", version: "1.0.0" });
      await expect(client.connect(transport)).rejects.toThrow();
      await expect.poll(() => stderr).toMatch(/refused TYCHE_TOKEN \(401\).*revoked or has expired/);
    },
  );

  it("a token revoked while connected: the next call is an error naming the refusal, not a hang", async () => {
    const created = await createToken(maya.user, {});
    const session = await overStdio(created.token);
    outputOf(await call(session.client, "get_user_context", { month: MONTH }));
    await ok(maya.user, "DELETE", `/v1/tokens/${created.tokenId}`, undefined, 204);
    const after = await call(session.client, "get_user_context", { month: MONTH });
    expect(after.isError).toBe(true);
    expect(textOf(after)).toMatch(/refused TYCHE_TOKEN \(401\)/);
    await expect(session.client.listTools()).rejects.toThrow(/refused TYCHE_TOKEN \(401\)/);
  });

  it("without TYCHE_TOKEN, npx tyche-mcp exits with a message on stderr and nothing on stdout", async () => {
    const env = { ...getDefaultEnvironment(), TYCHE_URL: baseUrl };
    const child = spawn("npx", ["tyche-mcp"], { cwd: REPO_ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
    });
    const code = await new Promise<number | null>((done) => child.once("close", done));
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/TYCHE_TOKEN is not set/);
  });
});

describe("createMcpServer", () => {
  const principal = (scope: Principal["scope"]): Principal => ({
    tenantId: "t1",
    userId: "u1",
    email: "u1@example.com",
    scope,
    via: "personal-access-token",
  });
  const tools = [
    defineTool({
      name: "list_things",
      description: "A list, not an object",
      input: z.strictObject({ n: z.number().int().min(1) }),
      write: false,
      run: async (_ctx, input) => Array.from({ length: input.n }, (_, i) => i),
    }),
    defineTool({
      name: "sum_things",
      description: "Takes a long list",
      input: z.strictObject({ xs: z.array(z.number()).max(1_000_000) }),
      write: false,
      run: async (_ctx, input) => ({ sum: input.xs.reduce((a, b) => a + b, 0) }),
    }),
    defineTool({
      name: "missing_thing",
      description: "Throws the domain's not-found",
      input: z.strictObject({}),
      write: false,
      run: async () => {
        throw new DomainError("not-found", "Thing was not found");
      },
    }),
    defineTool({
      name: "broken",
      description: "Fails on the server's side",
      input: z.strictObject({}),
      write: false,
      run: async () => {
        throw new Error("connect ECONNREFUSED 10.0.0.7:8000 (tyche-budgets)");
      },
    }),
    defineTool({
      name: "change_thing",
      description: "Writes",
      input: z.strictObject({}),
      write: true,
      run: async (ctx) => ({ changedBy: ctx.principal.userId }),
    }),
  ];

  async function connected(scope: Principal["scope"], served: readonly AnyTool[] = tools) {
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    await createMcpServer(served, toolContext(principal(scope), TODAY)).connect(serverSide);
    const client = new Client({ name: "mcp-test", version: "1.0.0" });
    await client.connect(clientSide);
    clients.push(client);
    return client;
  }

  it("offers a read principal only the read tools, and says why in its instructions", async () => {
    const reader = await connected("read");
    expect(await names(reader)).toEqual(["list_things", "sum_things", "missing_thing", "broken"]);
    expect(reader.getInstructions()).toMatch(/read-only/);
    const refused = await call(reader, "change_thing");
    expect(refused.isError).toBe(true);
    const writer = await connected("write");
    expect(await names(writer)).toEqual([
      "list_things",
      "sum_things",
      "missing_thing",
      "broken",
      "change_thing",
    ]);
    expect(outputOf(await call(writer, "change_thing"))).toEqual({ changedBy: "u1" });
  });

  it("answers a list as JSON text without structuredContent, which the protocol keeps for objects", async () => {
    const result = await call(await connected("read"), "list_things", { n: 3 });
    expect(result.isError).toBeFalsy();
    expect(JSON.parse(textOf(result))).toEqual([0, 1, 2]);
    expect(result.structuredContent).toBeUndefined();
  });

  it("refuses arguments with more elements than MAX_TOOL_INPUT_ELEMENTS before validating them", async () => {
    const client = await connected("read");
    const atCap = Array.from({ length: MAX_TOOL_INPUT_ELEMENTS - 1 }, () => 1);
    // The object's one member and its array's elements: exactly the cap, so it is answered.
    expect(outputOf(await call(client, "sum_things", { xs: atCap }))).toEqual({
      sum: MAX_TOOL_INPUT_ELEMENTS - 1,
    });
    const over = await call(client, "sum_things", { xs: [...atCap, 1] });
    expect(over.isError).toBe(true);
    expect(textOf(over)).toMatch(`more than the maximum of ${MAX_TOOL_INPUT_ELEMENTS} elements`);
    // Members of nested objects count too, wherever they sit.
    const nested = await call(client, "list_things", { n: 1, deep: { a: atCap.map((x) => ({ x })) } });
    expect(textOf(nested)).toMatch(`more than the maximum of ${MAX_TOOL_INPUT_ELEMENTS} elements`);
  });

  it("passes the largest input a real tool takes under MAX_TOOL_INPUT_ELEMENTS", async () => {
    const echo = defineTool({
      name: "forecast_savings",
      description: "forecast_savings's own schema, its output the sizes it was given",
      input: ForecastSavingsInput,
      write: false,
      run: async (_ctx, input) => ({
        limits: input.categoryLimits?.length,
        goals: input.goalContribution?.length,
      }),
    });
    const client = await connected("read", [echo]);
    const id = (i: number) => `01J${String(i).padStart(23, "0")}`;
    const largest = {
      month: MONTH,
      categoryLimits: Array.from({ length: 200 }, (_, i) => ({ categoryId: id(i), limit: 1 })),
      incomeChange: -1,
      extraDebtPayment: 1,
      goalContribution: Array.from({ length: 100 }, (_, i) => ({ goalId: id(i), monthly: 1 })),
      months: 12,
      strategy: "snowball",
    };
    expect(outputOf(await call(client, "forecast_savings", largest))).toEqual({ limits: 200, goals: 100 });
  });

  it("gives bad input, a domain failure and a fault as isError results; a fault's internals stay in the log", async () => {
    const client = await connected("read");
    const bad = await call(client, "list_things", { n: 0 });
    expect(bad.isError).toBe(true);
    // The SDK checks the arguments against the listed schema first, in its own words.
    expect(textOf(bad)).toMatch(/Invalid arguments for tool list_things: .*>=1 at n/);
    const missing = await call(client, "missing_thing");
    expect(missing).toMatchObject({
      isError: true,
      content: [{ type: "text", text: "Thing was not found" }],
    });
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      const broken = await call(client, "broken");
      expect(broken).toMatchObject({
        isError: true,
        content: [{ type: "text", text: "broken failed on Tyche's side; try again later" }],
      });
      expect(logged).toHaveBeenCalledWith("MCP tool broken failed", expect.any(Error));
    } finally {
      logged.mockRestore();
    }
    // Still serving.
    expect(JSON.parse(textOf(await call(client, "list_things", { n: 1 })))).toEqual([0]);
  });
});
