import { createHash } from "node:crypto";
import { BudgetCategoryUpdate, GoalCreate, Id, Month, TransactionCreate } from "@tyche/types";
import { z } from "zod";
import { requestHash } from "../../db/idempotency";
import type { Services } from "../../services";
import { defineTool, type ToolContext } from "./tool";

/**
 * A tool call's own idempotency key: a client that sends the same call again (a retried stream, an
 * MCP client's retry) gets the first answer, not a second transaction.
 */
const callKey = (ctx: ToolContext, tool: string) =>
  ctx.callId
    ? `ai-${createHash("sha256").update(`${tool}:${ctx.callId}`).digest("base64url").slice(0, 32)}`
    : undefined;

/** Records a transaction exactly as POST /v1/transactions does: the same schema, rules, totals and audit. */
export const addTransactionTool = (s: Services) =>
  defineTool({
    name: "add_transaction",
    description:
      "Records a transaction for the user (amount in positive cents; type expense, income, refund or transfer; date " +
      "YYYY-MM-DD; accountId from get_user_context or the accounts; categoryId optional: rules and merchant history " +
      "categorise it otherwise). Only when the user asked for it in so many words.",
    input: TransactionCreate,
    write: true,
    async run(ctx, input) {
      const key = callKey(ctx, "add_transaction");
      const answer = await s.transactions.create(
        ctx.owner,
        input,
        key ? { key, hash: requestHash(input) } : undefined,
      );
      return { created: answer.body };
    },
  });

/** Sets one category's limit in a month's budget, as PUT /v1/budgets/{month}/categories/{id} does. */
export const setCategoryLimitTool = (s: Services) =>
  defineTool({
    name: "set_category_limit",
    description:
      "Sets the monthly limit (cents) of one category in a month's budget, as the budget page does; answers the " +
      "budget after the change, with the new availableForDebtPayoff. Only when the user asked for the change.",
    input: z.strictObject({ month: Month, categoryId: Id, ...BudgetCategoryUpdate.shape }),
    write: true,
    async run(ctx, input) {
      const budget = await s.budgets.setCategoryLimit(ctx.owner, input.month, input.categoryId, input.limit);
      const category = budget.categories.find((c) => c.categoryId === input.categoryId);
      return {
        month: budget.month,
        currency: budget.currency,
        category: category
          ? {
              categoryId: category.categoryId,
              name: category.name,
              limit: category.limit,
              spent: category.spent,
            }
          : null,
        totalBudgeted: budget.totalBudgeted,
        unallocated: budget.unallocated,
        availableForDebtPayoff: budget.availableForDebtPayoff,
      };
    },
  });

/** Creates a savings goal, as POST /v1/goals does. */
export const createGoalTool = (s: Services) =>
  defineTool({
    name: "create_goal",
    description:
      "Creates a savings goal (name, targetAmount in cents, targetDate YYYY-MM-DD, optional currentAmount already saved, " +
      "priority, categoryId). Answers the goal with what it needs a month. Only when the user asked for it.",
    input: GoalCreate,
    write: true,
    async run(ctx, input) {
      return { created: await s.goals.create(ctx.owner, input) };
    },
  });
