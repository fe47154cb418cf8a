import { createRoute, z } from "@hono/zod-openapi";
import {
  AccountId,
  Card,
  CardCreate,
  CardPayment,
  CardPaymentCreate,
  CardPaymentResult,
  CardUpdate,
} from "@tyche/types";
import { requestHash } from "../db/idempotency";
import type { CardService } from "../domain/cards";
import { etagOf, expectedVersion } from "../http/etag";
import { routes } from "../http/routes";
import { IfMatchHeader, json, jsonBody, PageQuery, problems } from "../http/schemas";
import { IdempotencyKeyHeader } from "./transactions";

const tags = ["cards"];
const security = [{ bearer: [] }];
const IdParam = z.object({ id: AccountId });

const list = createRoute({
  operationId: "listCards",
  method: "get",
  path: "/v1/cards",
  tags,
  security,
  summary: "Your credit cards: what is owed, the terms, utilisation and this month's minimum",
  request: {
    query: z.object({
      includeClosed: z
        .enum(["true", "false"])
        .optional()
        .transform((v) => v === "true")
        .describe("Also return closed cards"),
    }),
  },
  responses: { 200: json(z.object({ items: z.array(Card) }), "Cards"), 401: problems[401] },
});

const create = createRoute({
  operationId: "createCard",
  method: "post",
  path: "/v1/cards",
  tags,
  security,
  summary: "Add a credit card: a credit-card account owing the balance given, and its terms",
  request: { body: jsonBody(CardCreate) },
  responses: { 401: problems[401], 201: json(Card, "Created"), 400: problems[400], 422: problems[422] },
});

const get = createRoute({
  operationId: "getCard",
  method: "get",
  path: "/v1/cards/{id}",
  tags,
  security,
  summary: "One card",
  request: { params: IdParam },
  responses: { 401: problems[401], 200: json(Card, "The card"), 404: problems[404] },
});

const update = createRoute({
  operationId: "updateCard",
  method: "put",
  path: "/v1/cards/{id}",
  tags,
  security,
  summary: "Change a card's name or terms (APR, limit, due day, minimum rule, promotion)",
  description:
    "A credit-card account without terms gets them here (then aprBasisPoints, creditLimit and dueDay are " +
    'required; its ETag is "0"). What is owed follows the account\'s transactions and is not set here.',
  request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(CardUpdate) },
  responses: {
    401: problems[401],
    200: json(Card, "Updated"),
    400: problems[400],
    404: problems[404],
    412: problems[412],
    422: problems[422],
  },
});

const remove = createRoute({
  operationId: "deleteCard",
  method: "delete",
  path: "/v1/cards/{id}",
  tags,
  security,
  summary: "Delete a card without transactions; one with transactions is closed and keeps its history",
  request: { params: IdParam, headers: IfMatchHeader },
  responses: {
    401: problems[401],
    200: json(z.object({ result: z.enum(["deleted", "closed"]) }), "What happened"),
    404: problems[404],
    412: problems[412],
  },
});

const pay = createRoute({
  operationId: "payCard",
  method: "post",
  path: "/v1/cards/{id}/payments",
  tags,
  security,
  summary: "Record a payment: a transfer into the card from one of your accounts",
  description:
    "The transfer, both balances, the month's paidToDebt and the audit record are one DynamoDB transaction.",
  request: { params: IdParam, headers: IdempotencyKeyHeader, body: jsonBody(CardPaymentCreate) },
  responses: {
    401: problems[401],
    201: json(CardPaymentResult, "Recorded"),
    400: problems[400],
    404: problems[404],
    409: problems[409],
    422: problems[422],
  },
});

const payments = createRoute({
  operationId: "listCardPayments",
  method: "get",
  path: "/v1/cards/{id}/payments",
  tags,
  security,
  summary: "The card's payments, newest first",
  request: { params: IdParam, query: z.object(PageQuery) },
  responses: {
    401: problems[401],
    200: json(
      z.object({ items: z.array(CardPayment), nextCursor: z.string().optional() }),
      "A page of payments",
    ),
    400: problems[400],
    404: problems[404],
  },
});

export const cardRoutes = (cards: CardService) =>
  routes()
    .openapi(list, async (c) =>
      c.json({ items: await cards.list(c.get("principal"), c.req.valid("query").includeClosed) }, 200),
    )
    .openapi(create, async (c) => {
      const card = await cards.create(c.get("principal"), c.req.valid("json"));
      c.header("etag", etagOf(card.version));
      c.header("location", `/v1/cards/${card.cardId}`);
      return c.json(card, 201);
    })
    .openapi(get, async (c) => {
      const card = await cards.get(c.get("principal"), c.req.valid("param").id);
      c.header("etag", etagOf(card.version));
      return c.json(card, 200);
    })
    .openapi(update, async (c) => {
      const card = await cards.update(
        c.get("principal"),
        c.req.valid("param").id,
        c.req.valid("json"),
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      c.header("etag", etagOf(card.version));
      return c.json(card, 200);
    })
    .openapi(remove, async (c) => {
      const result = await cards.remove(
        c.get("principal"),
        c.req.valid("param").id,
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      return c.json({ result }, 200);
    })
    .openapi(pay, async (c) => {
      const cardId = c.req.valid("param").id;
      const body = c.req.valid("json");
      const key = c.req.valid("header")["idempotency-key"];
      const result = await cards.pay(
        c.get("principal"),
        cardId,
        body,
        key ? { key, hash: requestHash({ payment: cardId, ...body }) } : undefined,
      );
      c.header("location", `/v1/transactions/${result.transaction.transactionId}`);
      return c.json(result, 201);
    })
    .openapi(payments, async (c) =>
      c.json(await cards.payments(c.get("principal"), c.req.valid("param").id, c.req.valid("query")), 200),
    );
