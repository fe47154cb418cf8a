import { createRoute, z } from "@hono/zod-openapi";
import { Merchant } from "@tyche/types";
import type { TransactionService } from "../domain/transactions";
import { routes } from "../http/routes";
import { json, problems } from "../http/schemas";

const autocomplete = createRoute({
  operationId: "autocompleteMerchants",
  method: "get",
  path: "/v1/merchants",
  tags: ["transactions"],
  security: [{ bearer: [] }],
  summary: "Autocomplete from your own merchants, most used first",
  request: {
    query: z.object({
      q: z.string().trim().min(1).max(100),
      limit: z.coerce.number().int().min(1).max(50).default(10),
    }),
  },
  responses: {
    401: problems[401],
    200: json(z.object({ items: z.array(Merchant) }), "Merchants"),
    400: problems[400],
  },
});

export const merchantRoutes = (transactions: TransactionService) =>
  routes().openapi(autocomplete, async (c) => {
    const { q, limit } = c.req.valid("query");
    return c.json({ items: await transactions.merchants(c.get("principal"), q, limit) }, 200);
  });
