import { createRoute, z } from "@hono/zod-openapi";
import {
  Account,
  AccountCreate,
  AccountId,
  AccountUpdate,
  ReconcileRequest,
  Reconciliation,
  Transaction,
} from "@tyche/types";
import type { AccountService } from "../domain/accounts";
import { etagOf, expectedVersion } from "../http/etag";
import { routes } from "../http/routes";
import { IfMatchHeader, json, jsonBody, problems } from "../http/schemas";

const tags = ["accounts"];
const security = [{ bearer: [] }];
const IdParam = z.object({ id: AccountId });

const list = createRoute({
  operationId: "listAccounts",
  method: "get",
  path: "/v1/accounts",
  tags,
  security,
  summary: "Your accounts and cards, with their balances",
  request: {
    query: z.object({
      includeClosed: z
        .enum(["true", "false"])
        .optional()
        .transform((v) => v === "true")
        .describe("Also return closed accounts"),
    }),
  },
  responses: { 200: json(z.object({ items: z.array(Account) }), "Accounts"), 401: problems[401] },
});

const create = createRoute({
  operationId: "createAccount",
  method: "post",
  path: "/v1/accounts",
  tags,
  security,
  summary: "Open an account: checking, savings, cash or a credit card",
  request: { body: jsonBody(AccountCreate) },
  responses: {
    401: problems[401],
    201: json(Account, "Created"),
    400: problems[400],
    422: problems[422],
  },
});

const get = createRoute({
  operationId: "getAccount",
  method: "get",
  path: "/v1/accounts/{id}",
  tags,
  security,
  summary: "One account, with its balance",
  request: { params: IdParam },
  responses: { 401: problems[401], 200: json(Account, "The account"), 404: problems[404] },
});

const update = createRoute({
  operationId: "updateAccount",
  method: "put",
  path: "/v1/accounts/{id}",
  tags,
  security,
  summary: "Rename, close or reopen an account, or change its opening balance",
  request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(AccountUpdate) },
  responses: {
    401: problems[401],
    200: json(Account, "Updated"),
    400: problems[400],
    404: problems[404],
    409: problems[409],
    412: problems[412],
    422: problems[422],
  },
});

const remove = createRoute({
  operationId: "deleteAccount",
  method: "delete",
  path: "/v1/accounts/{id}",
  tags,
  security,
  summary: "Delete an account without transactions; one with transactions is closed instead",
  request: { params: IdParam, headers: IfMatchHeader },
  responses: {
    401: problems[401],
    200: json(z.object({ result: z.enum(["deleted", "closed"]) }), "What happened"),
    404: problems[404],
    412: problems[412],
  },
});

const RegisterRow = Transaction.extend({
  change: z.number().int().describe("What this transaction did to the balance (for a card: to what is owed)"),
  runningBalance: z.number().int().describe("The balance right after this transaction"),
});

const register = createRoute({
  operationId: "getAccountRegister",
  method: "get",
  path: "/v1/accounts/{id}/transactions",
  tags,
  security,
  summary: "The account's register: its transactions, newest first, with the running balance",
  description:
    "Read from the account's index (GSI3), one key range. The balance is the account's stored one; " +
    "the index is eventually consistent, so a transaction written a moment ago may show a moment later.",
  request: {
    params: IdParam,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(500).default(50),
      cursor: z.string().max(4096).optional(),
    }),
  },
  responses: {
    401: problems[401],
    200: json(
      z.object({ account: Account, items: z.array(RegisterRow), nextCursor: z.string().optional() }),
      "A page of the register",
    ),
    400: problems[400],
    404: problems[404],
  },
});

const reconcile = createRoute({
  operationId: "reconcileAccount",
  method: "post",
  path: "/v1/accounts/{id}/reconcile",
  tags,
  security,
  summary: "Check the bank's balance on a day against Tyche's",
  request: { params: IdParam, body: jsonBody(ReconcileRequest) },
  responses: {
    401: problems[401],
    200: json(Reconciliation, "Whether they match, and by how much they differ"),
    400: problems[400],
    404: problems[404],
    422: problems[422],
  },
});

export const accountRoutes = (accounts: AccountService) =>
  routes()
    .openapi(list, async (c) => {
      const items = await accounts.list(c.get("principal"), c.req.valid("query").includeClosed);
      return c.json({ items }, 200);
    })
    .openapi(create, async (c) => {
      const account = await accounts.create(c.get("principal"), c.req.valid("json"));
      c.header("etag", etagOf(account.version));
      c.header("location", `/v1/accounts/${account.accountId}`);
      return c.json(account, 201);
    })
    .openapi(get, async (c) => {
      const account = await accounts.get(c.get("principal"), c.req.valid("param").id);
      c.header("etag", etagOf(account.version));
      return c.json(account, 200);
    })
    .openapi(update, async (c) => {
      const account = await accounts.update(
        c.get("principal"),
        c.req.valid("param").id,
        c.req.valid("json"),
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      c.header("etag", etagOf(account.version));
      return c.json(account, 200);
    })
    .openapi(remove, async (c) => {
      const result = await accounts.remove(
        c.get("principal"),
        c.req.valid("param").id,
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      return c.json({ result }, 200);
    })
    .openapi(register, async (c) => {
      const page = await accounts.register(c.get("principal"), c.req.valid("param").id, c.req.valid("query"));
      return c.json(page, 200);
    })
    .openapi(reconcile, async (c) => {
      const result = await accounts.reconcile(
        c.get("principal"),
        c.req.valid("param").id,
        c.req.valid("json"),
      );
      return c.json(result, 200);
    });
