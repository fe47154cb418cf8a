import { createRoute, z } from "@hono/zod-openapi";
import {
  AccountId,
  FileLink,
  FromUpload,
  Id,
  IsoDate,
  RuleActions,
  RuleConditions,
  Transaction,
  TransactionCreate,
  TransactionQuery,
  TransactionUpdate,
} from "@tyche/types";
import type { Context } from "hono";
import { requestHash } from "../db/idempotency";
import type { TransactionService } from "../domain/transactions";
import { invalidField } from "../errors";
import { etagOf, expectedVersion } from "../http/etag";
import { validationProblem, zodFieldErrors } from "../http/problem";
import { routes } from "../http/routes";
import { IfMatchHeader, json, jsonBody, problems } from "../http/schemas";
import type { Uploads } from "../storage/uploads";

const tags = ["transactions"];
const security = [{ bearer: [] }];
const IdParam = z.object({ id: Id });

export const IdempotencyKeyHeader = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, { error: "must be printable ASCII without spaces" })
    .optional()
    .describe("A retry with the same key returns the first answer and writes nothing"),
});

const SuggestedRule = z.object({ conditions: RuleConditions, actions: RuleActions });

const create = createRoute({
  operationId: "createTransaction",
  method: "post",
  path: "/v1/transactions",
  tags,
  security,
  summary: "Record a transaction; without a category, rules and merchant history choose one",
  request: { headers: IdempotencyKeyHeader, body: jsonBody(TransactionCreate) },
  responses: {
    401: problems[401],
    201: json(Transaction, "Recorded"),
    400: problems[400],
    422: problems[422],
  },
});

const list = createRoute({
  operationId: "listTransactions",
  method: "get",
  path: "/v1/transactions",
  tags,
  security,
  summary: "Find transactions, newest first",
  description:
    "`category` reads GSI1 month by month and needs `month` or `from` and `to`; `merchant` reads GSI2; " +
    "otherwise the date-ordered table key. Other filters narrow those reads. A page reads at most 5,000 " +
    "items, so a very sparse filter can answer a short page with a `nextCursor`.",
  request: { query: TransactionQuery },
  responses: {
    401: problems[401],
    200: json(z.object({ items: z.array(Transaction), nextCursor: z.string().optional() }), "A page"),
    400: problems[400],
  },
});

const exportCsv = createRoute({
  operationId: "exportTransactions",
  method: "get",
  path: "/v1/transactions/export",
  tags,
  security,
  summary:
    "Download transactions as Tyche's own CSV, which POST /v1/imports reads back: into the same account " +
    "it adds nothing, into another it recreates the transactions with their categories, tags, notes and splits",
  request: {
    query: z.object({
      from: IsoDate,
      to: IsoDate,
      accountId: AccountId.optional().describe(
        "Only this account's transactions (the file to import into one account); without it, every account's",
      ),
    }),
  },
  responses: {
    401: problems[401],
    200: { description: "text/csv, oldest first" },
    400: problems[400],
    422: problems[422],
  },
});

const get = createRoute({
  operationId: "getTransaction",
  method: "get",
  path: "/v1/transactions/{id}",
  tags,
  security,
  summary: "One transaction",
  request: { params: IdParam },
  responses: {
    401: problems[401],
    200: json(Transaction, "The transaction"),
    404: problems[404],
  },
});

const update = createRoute({
  operationId: "updateTransaction",
  method: "put",
  path: "/v1/transactions/{id}",
  tags,
  security,
  summary: "Change a transaction; a new category comes back with a suggested rule",
  request: { params: IdParam, headers: IfMatchHeader, body: jsonBody(TransactionUpdate) },
  responses: {
    401: problems[401],
    200: json(
      Transaction.extend({
        suggestedRule: SuggestedRule.optional().describe(
          "POST it to /v1/rules to categorise this merchant so",
        ),
      }),
      "Updated",
    ),
    400: problems[400],
    404: problems[404],
    412: problems[412],
    422: problems[422],
  },
});

const remove = createRoute({
  operationId: "deleteTransaction",
  method: "delete",
  path: "/v1/transactions/{id}",
  tags,
  security,
  summary: "Delete a transaction (and its receipt)",
  request: { params: IdParam, headers: IfMatchHeader },
  responses: {
    401: problems[401],
    204: { description: "Deleted" },
    404: problems[404],
    412: problems[412],
  },
});

export const transactionRoutes = (service: TransactionService) =>
  routes()
    .openapi(create, async (c) => {
      const body = c.req.valid("json");
      const key = c.req.valid("header")["idempotency-key"];
      const answer = await service.create(
        c.get("principal"),
        body,
        key ? { key, hash: requestHash(body) } : undefined,
      );
      const transaction = answer.body as Transaction;
      c.header("etag", etagOf(transaction.version));
      c.header("location", `/v1/transactions/${transaction.transactionId}`);
      return c.json(transaction, 201);
    })
    .openapi(list, async (c) => c.json(await service.list(c.get("principal"), c.req.valid("query")), 200))
    // Registered before /{id}, which would otherwise take "export" for an id.
    .openapi(exportCsv, async (c) => {
      const { from, to, accountId } = c.req.valid("query");
      const stream = await service.exportStream(c.get("principal"), from, to, accountId);
      return c.body(stream, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="tyche-${from}-to-${to}.csv"`,
      });
    })
    .openapi(get, async (c) => {
      const transaction = await service.get(c.get("principal"), c.req.valid("param").id);
      c.header("etag", etagOf(transaction.version));
      return c.json(transaction, 200);
    })
    .openapi(update, async (c) => {
      const { transaction, suggestedRule } = await service.update(
        c.get("principal"),
        c.req.valid("param").id,
        c.req.valid("json"),
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      c.header("etag", etagOf(transaction.version));
      return c.json({ ...transaction, ...(suggestedRule ? { suggestedRule } : {}) }, 200);
    })
    .openapi(remove, async (c) => {
      await service.remove(
        c.get("principal"),
        c.req.valid("param").id,
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      return c.body(null, 204);
    });

const receiptTags = ["receipts"];

const UPLOAD_REFERENCE = {
  type: "object" as const,
  required: ["uploadId"],
  additionalProperties: false,
  properties: { uploadId: { type: "string" as const, description: "An upload from POST /v1/uploads" } },
};

/** A receipt named by its upload (JSON), or undefined when the body is the file itself. */
async function uploadOf(c: Context): Promise<FromUpload | undefined> {
  if (!/^application\/json\b/i.test(c.req.header("content-type") ?? "")) return undefined;
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw invalidField("body", "must be JSON naming an uploadId", "malformed");
  }
  const parsed = FromUpload.safeParse(body);
  if (!parsed.success) throw validationProblem(zodFieldErrors(parsed.error));
  return parsed.data;
}

const putReceipt = createRoute({
  operationId: "attachReceipt",
  method: "put",
  path: "/v1/transactions/{id}/receipt",
  tags: receiptTags,
  security,
  summary: "Attach a receipt: a JPEG, PNG, GIF, WebP or HEIC image or a PDF, at most 10 MB",
  description:
    "The file as the raw body, or JSON naming an `uploadId` from POST /v1/uploads (the way for files over 6 MB " +
    "on AWS). Its type is judged by its bytes.",
  request: {
    params: IdParam,
    headers: IfMatchHeader,
    body: {
      content: {
        // A plain schema, not zod, so that the library does not refuse a body without a Content-Type
        // (curl -T sends none): the handler reads JSON itself. Any other body is the file.
        "application/json": { schema: UPLOAD_REFERENCE },
        "*/*": { schema: z.string().openapi({ format: "binary" }) },
      },
    },
  },
  responses: {
    401: problems[401],
    200: json(Transaction, "The transaction with its receiptUrl"),
    404: problems[404],
    412: problems[412],
    413: { description: "Over 10 MB" },
    415: { description: "Not an image or PDF, judged by content" },
  },
});

const getReceipt = createRoute({
  operationId: "getReceipt",
  method: "get",
  path: "/v1/transactions/{id}/receipt",
  tags: receiptTags,
  security,
  summary: "The receipt file, to its owner only: a redirect to a URL that serves it for 5 minutes",
  request: { params: IdParam },
  responses: {
    401: problems[401],
    303: { description: "See Location: the file, without the bearer header" },
    404: problems[404],
  },
});

const getReceiptLink = createRoute({
  operationId: "getReceiptLink",
  method: "get",
  path: "/v1/transactions/{id}/receipt/link",
  tags: receiptTags,
  security,
  summary: "A URL that opens the receipt for 5 minutes, without the bearer header (for a browser tab)",
  request: { params: IdParam },
  responses: {
    401: problems[401],
    200: json(FileLink, "Where the file is"),
    404: problems[404],
  },
});

const deleteReceipt = createRoute({
  operationId: "deleteReceipt",
  method: "delete",
  path: "/v1/transactions/{id}/receipt",
  tags: receiptTags,
  security,
  summary: "Remove the receipt",
  request: { params: IdParam, headers: IfMatchHeader },
  responses: {
    401: problems[401],
    204: { description: "Removed" },
    404: problems[404],
    412: problems[412],
  },
});

export const receiptRoutes = (service: TransactionService, uploads: Uploads) =>
  routes()
    .openapi(putReceipt, async (c) => {
      const principal = c.get("principal");
      const named = await uploadOf(c);
      const upload = named ? await uploads.read(principal, named.uploadId) : undefined;
      const transaction = await service.attachReceipt(
        principal,
        c.req.valid("param").id,
        upload?.bytes ?? new Uint8Array(await c.req.arrayBuffer()),
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      if (upload) await uploads.discard(upload.key);
      c.header("etag", etagOf(transaction.version));
      return c.json(transaction, 200);
    })
    .openapi(getReceipt, async (c) => {
      const { url } = await service.receiptLink(c.get("principal"), c.req.valid("param").id);
      c.header("cache-control", "no-store");
      return c.redirect(url, 303);
    })
    .openapi(getReceiptLink, async (c) => {
      c.header("cache-control", "no-store");
      return c.json(await service.receiptLink(c.get("principal"), c.req.valid("param").id), 200);
    })
    .openapi(deleteReceipt, async (c) => {
      await service.detachReceipt(
        c.get("principal"),
        c.req.valid("param").id,
        expectedVersion(c.req.valid("header")["if-match"]),
      );
      return c.body(null, 204);
    });
