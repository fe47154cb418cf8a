import { Month } from "@tyche/types";
import { z } from "zod";
import { DomainError } from "../../errors";
import type { Services } from "../../services";
import { defineTool, type ToolContext } from "./tool";

export const UPCOMING_DAYS = 30;

/** The month a tool works on: the one asked for, else today's. */
export const monthOf = (ctx: ToolContext, month: string | undefined) => month ?? ctx.today.slice(0, 7);

/** The month's budget, or undefined when the month has none (not an error for an advisor). */
export async function budgetOrNone(s: Services, ctx: ToolContext, month: string) {
  try {
    return await s.budgets.get(ctx.owner, month);
  } catch (err) {
    if (err instanceof DomainError && err.failure === "not-found") return undefined;
    throw err;
  }
}

/**
 * The brief's `get_user_context`: the cards (balances, APRs, minimums) and the month's budget
 * (`totalIncome`, `totalExpenses`, `availableForDebtPayoff`, categories), with the goals and the
 * bills of the next 30 days. The first tool an advisor calls.
 */
export const userContextTool = (s: Services) =>
  defineTool({
    name: "get_user_context",
    description:
      "The user's financial picture for a month (default: the current month): the budget (totalIncome, " +
      "totalExpenses, availableForDebtPayoff: the exact monthly amount for card payments, minimums included; " +
      "each category's limit, spent and status), every credit card (balance owed, APR, this month's minimum " +
      "payment and interest, due date, utilisation), savings goals with what they still need, and the bills due " +
      "in the next 30 days. Money is integer cents in `currency`. Call this first.",
    input: z.strictObject({ month: Month.optional().describe("YYYY-MM; defaults to the current month") }),
    write: false,
    async run(ctx, input) {
      const month = monthOf(ctx, input.month);
      const [budget, cards, goals, upcoming] = await Promise.all([
        budgetOrNone(s, ctx, month),
        s.cards.list(ctx.owner),
        s.goals.list(ctx.owner, { status: "active", limit: 100 }),
        s.recurring.upcoming(ctx.owner, UPCOMING_DAYS),
      ]);
      const open = cards.filter((c) => !c.closed);
      return {
        month,
        today: ctx.today,
        currency: budget?.currency ?? open[0]?.currency ?? "USD",
        budget: budget
          ? {
              totalIncome: budget.totalIncome,
              actualIncome: budget.actualIncome,
              totalBudgeted: budget.totalBudgeted,
              totalExpenses: budget.totalActualExpenses,
              unallocated: budget.unallocated,
              availableForDebtPayoff: budget.availableForDebtPayoff,
              paidToDebt: budget.paidToDebt,
              categories: budget.categories
                .filter((c) => !c.archived)
                .map((c) => ({
                  categoryId: c.categoryId,
                  name: c.name,
                  type: c.type,
                  group: c.group,
                  limit: c.limit,
                  spent: c.spent,
                  remaining: c.remaining,
                  status: c.status,
                  committedToBills: c.committed,
                })),
            }
          : null,
        cards: open.map((c) => ({
          cardId: c.cardId,
          name: c.name,
          currency: c.currency,
          balance: c.balance,
          aprBasisPoints: c.currentAprBasisPoints,
          creditLimit: c.terms?.creditLimit ?? null,
          utilisationBasisPoints: c.utilisationBasisPoints,
          minimumDue: c.minimumDue,
          monthlyInterest: c.monthlyInterest,
          nextDueDate: c.nextDueDate,
          paidThisMonth: c.paidThisMonth,
          hasTerms: c.terms !== null,
        })),
        totalOwed: open.reduce((sum, c) => sum + Math.max(0, c.balance), 0),
        totalMinimumDue: open.reduce((sum, c) => sum + (c.minimumDue ?? 0), 0),
        goals: goals.items.map((g) => ({
          goalId: g.goalId,
          name: g.name,
          targetAmount: g.targetAmount,
          currentAmount: g.currentAmount,
          remaining: g.remaining,
          targetDate: g.targetDate,
          requiredMonthly: g.requiredMonthly,
          averageMonthly: g.averageMonthly,
          projectedCompletion: g.projectedCompletion,
          onTrack: g.onTrack,
        })),
        upcomingBills: {
          from: upcoming.from,
          to: upcoming.to,
          items: upcoming.items.map((o) => ({
            recurringId: o.recurringId,
            name: o.name,
            date: o.date,
            amount: o.amount,
            kind: o.kind,
            autoPost: o.autoPost,
          })),
          totals: upcoming.totals,
        },
      };
    },
  });
