import { TransactionQuery } from "@tyche/types";
import { z } from "zod";
import type { Services } from "../../services";
import { defineTool } from "./tool";

/** A page a model can read: the API allows 500, a conversation needs far fewer. */
const MAX_ITEMS = 50;

const Input = TransactionQuery.pick({
  accountId: true,
  month: true,
  from: true,
  to: true,
  category: true,
  merchant: true,
  type: true,
  q: true,
  minAmount: true,
  maxAmount: true,
  cursor: true,
})
  .extend({ limit: z.number().int().min(1).max(MAX_ITEMS).default(20) })
  .strict();

/** The user's own transactions by the same filters as GET /v1/transactions, newest first. */
export const findTransactionsTool = (s: Services) =>
  defineTool({
    name: "find_transactions",
    description:
      "Finds the user's transactions, newest first, by month or date range (from/to as YYYY-MM-DD), category slug " +
      "(e.g. groceries; needs month or from and to), merchant, type (expense, income, refund, transfer), text (q), " +
      "amount range (minAmount/maxAmount in cents) or account. Answers up to `limit` (at most 50) with the total of " +
      "each type among them, and `nextCursor` for more. For questions about specific purchases.",
    input: Input,
    write: false,
    async run(ctx, input) {
      const page = await s.transactions.list(ctx.owner, input);
      const totals: Record<string, number> = {};
      for (const t of page.items)
        totals[t.type] = (totals[t.type] ?? 0) + (t.matchedSplit?.amount ?? t.amount);
      return {
        items: page.items.map((t) => ({
          transactionId: t.transactionId,
          date: t.date,
          amount: t.amount,
          type: t.type,
          merchant: t.merchant,
          description: t.description,
          category: t.categoryType,
          accountId: t.accountId,
          ...(t.matchedSplit ? { amountInCategory: t.matchedSplit.amount } : {}),
          pending: t.pending,
        })),
        count: page.items.length,
        totals,
        nextCursor: page.nextCursor ?? null,
      };
    },
  });
