import { Cents, Month } from "@tyche/types";
import { z } from "zod";
import type { Services } from "../../services";
import { defineTool } from "./tool";
import { monthOf } from "./user-context";

/**
 * Where the month is overspent, what the analytics recommend cutting, and, given an amount to free,
 * the fewest of those cuts (largest first) that free it.
 */
export const analyzeBudgetTool = (s: Services) =>
  defineTool({
    name: "analyze_budget",
    description:
      "Analyses a month's budget (default: the current month): the categories over their limit and by how much, " +
      "those near it, and the recommended changes with reasons: move unused limit onto an overspent category " +
      "(reallocate) or cut a limit (over budget, or above the category's three-month history). Each frees its amount " +
      "for debt. Give `free` (cents a month) to get the fewest changes, largest first, that free that much, and " +
      "whether they are enough. Use it for 'where am I overspending' and 'how can I find $X'.",
    input: z.strictObject({
      month: Month.optional().describe("YYYY-MM; defaults to the current month"),
      free: Cents.optional().describe("Cents a month the user wants to free"),
    }),
    write: false,
    async run(ctx, input) {
      const month = monthOf(ctx, input.month);
      const a = await s.analytics.get(ctx.owner, month);
      const names = new Map(a.categories.map((c) => [c.categoryId, c.name]));
      const overspent = a.categories
        .filter((c) => c.group !== "debt" && c.spent > c.budgeted && c.budgeted >= 0 && a.hasBudget)
        .map((c) => ({
          categoryId: c.categoryId,
          name: c.name,
          limit: c.budgeted,
          spent: c.spent,
          overBy: c.spent - c.budgeted,
        }))
        .sort((x, y) => y.overBy - x.overBy || x.name.localeCompare(y.name));
      const near = a.categories
        .filter((c) => c.status === "near")
        .map((c) => ({
          categoryId: c.categoryId,
          name: c.name,
          limit: c.budgeted,
          spent: c.spent,
          left: c.remaining,
        }));
      const recommendations = a.recommendations.map((r) => ({
        ...r,
        name: names.get(r.categoryId) ?? r.categoryId,
        ...(r.fromCategoryId ? { fromName: names.get(r.fromCategoryId) ?? r.fromCategoryId } : {}),
      }));
      // Each recommendation frees its amount for the cards: a reallocation moves unused limit onto
      // spending already counted at what it spent, a cut lowers a limit (docs/ANALYTICS.md).
      const freeing = recommendations.filter((r) => r.amount > 0).sort((x, y) => y.amount - x.amount);
      const toFree = input.free === undefined ? null : fewestThatFree(freeing, input.free);
      return {
        month,
        currency: a.currency,
        hasBudget: a.hasBudget,
        asOf: a.asOf,
        totals: {
          plannedIncome: a.totals.plannedIncome,
          actualIncome: a.totals.actualIncome,
          budgeted: a.totals.budgeted,
          expenses: a.totals.expenses,
          availableForDebtPayoff: a.totals.availableForDebtPayoff,
          paidToDebt: a.totals.paidToDebt,
          savingsRatePercent: a.totals.savingsRate,
        },
        overspent,
        totalOverspent: overspent.reduce((sum, c) => sum + c.overBy, 0),
        nearLimit: near,
        recommendations,
        potentialSavings: a.potentialSavings,
        toFree,
      };
    },
  });

/** The largest changes first, as few as free `target` cents (all of them when they cannot). */
function fewestThatFree<T extends { amount: number }>(changes: readonly T[], target: number) {
  const chosen: T[] = [];
  let freed = 0;
  for (const change of changes) {
    if (freed >= target) break;
    chosen.push(change);
    freed += change.amount;
  }
  return { target, changes: chosen, freed, enough: freed >= target, missing: Math.max(0, target - freed) };
}
