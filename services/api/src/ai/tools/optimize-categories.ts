import {
  FORECAST_ASSUMPTIONS,
  forecastChange,
  goalMonthlyGap,
  OPTIMIZE_RULES,
  type OptimizeCategory,
  optimizeCategories,
} from "@tyche/core";
import { Cents, Id, Month } from "@tyche/types";
import { z } from "zod";
import { DomainError, type FieldError } from "../../errors";
import type { Services } from "../../services";
import { asFieldError, ForecastStrategy, notFoundField, readForecastBasis } from "./forecast-basis";
import { defineTool } from "./tool";
import { monthOf } from "./user-context";

export const OptimizeCategoriesInput = z.strictObject({
  month: Month.optional().describe("YYYY-MM; defaults to the current month"),
  objective: z
    .union(
      [
        z.literal("debt").describe("Maximise availableForDebtPayoff"),
        z.strictObject({ goalId: Id }).describe("Free money for this active savings goal"),
      ],
      { error: 'must be "debt" or {"goalId": "<an active goal\'s id>"}' },
    )
    .default("debt")
    .describe('"debt" (the default) or {goalId}'),
  target: Cents.optional().describe(
    "Cents a month to free at most; without it, as much as the rules allow (for a goal: what puts it on track)",
  ),
  protect: z.array(Id).max(200).optional().describe("Category ids whose limits must not be lowered"),
  strategy: ForecastStrategy,
});

/**
 * `optimize_categories`: a reallocation of the month's category limits that frees money for the
 * cards or a goal, keeping essentials, bills, protected categories and history (core's
 * optimizeCategories), with what it does to the debt-free date or the goal (core's forecastChange).
 */
export const optimizeCategoriesTool = (s: Services) =>
  defineTool({
    name: "optimize_categories",
    description:
      "Proposes new category limits for a month that free money for the objective: 'debt' (maximise " +
      "availableForDebtPayoff) or {goalId} (a savings goal). Never touches the debt group or a protected category, " +
      "never goes below what a category has spent this month or its bills, lowers essential and savings categories " +
      "only to their three-month average spending, and cuts discretionary ones below their history only when needed. " +
      "Gives for each category from, to, change and a reason a user can read; the total freed; the new " +
      "availableForDebtPayoff; and the debt-free month and interest, or the goal's completion, before and after. " +
      "Integer cents in `currency`. Nothing is changed: apply a proposal with the budget's own edits.",
    input: OptimizeCategoriesInput,
    write: false,
    async run(ctx, input) {
      const month = monthOf(ctx, input.month);
      const [basis, analytics, own] = await Promise.all([
        readForecastBasis(s, ctx, month),
        s.analytics.get(ctx.owner, month),
        input.protect?.length ? s.categories.list(ctx.owner, true) : Promise.resolve([]),
      ]);

      const objectiveGoalId = input.objective === "debt" ? null : input.objective.goalId;
      const goal =
        objectiveGoalId === null ? null : basis.goals.find((g) => g.view.goalId === objectiveGoalId);
      if (objectiveGoalId !== null && !goal) {
        throw notFoundField("Goal", "objective.goalId", "is not one of your active goals");
      }

      const protect = new Map<string, string>();
      const owned = new Set(own.map((c) => c.categoryId));
      const unknown: FieldError[] = [];
      (input.protect ?? []).forEach((id, i) => {
        if (!owned.has(id)) unknown.push({ path: `protect.${i}`, message: "is not one of your categories" });
        else protect.set(id, "protected at your request");
      });
      if (unknown.length) throw new DomainError("not-found", "Category not found", { errors: unknown });
      const linked = goal?.view.categoryId;
      // Cutting the category a goal saves through would take from the goal what the cuts give it.
      if (goal && linked && !protect.has(linked)) {
        protect.set(
          linked,
          `it is the category ${goal.view.name} saves through, the goal this frees money for`,
        );
      }

      const history = new Map(analytics.categories.map((c) => [c.categoryId, c.threeMonthAverage]));
      const categories: OptimizeCategory[] = basis.budget.categories.map((c) => {
        const h = history.get(c.categoryId);
        return {
          categoryId: c.categoryId,
          name: c.name,
          group: c.group,
          limit: c.limit,
          spent: c.spent,
          historyAverage: h?.average ?? null,
          historyMonths: h?.average === null || h === undefined ? 0 : h.months,
          bills: c.committed,
        };
      });

      const gap = goal ? goalMonthlyGap(goal.forecast, ctx.today) : undefined;
      const target = input.target ?? gap;
      const targetSource =
        input.target !== undefined ? "given" : gap !== undefined ? "goal-on-track" : "none";
      try {
        const o = optimizeCategories({
          currency: basis.currency,
          income: basis.budget.totalIncome,
          categories,
          protect,
          ...(target !== undefined ? { target } : {}),
        });
        // The money a goal can count on every month: this month frees no more than later ones do
        // unless income runs out first, so the smaller of the two.
        const toGoal = Math.max(
          0,
          Math.min(o.availableThisMonth.difference, o.availableLaterMonths.difference),
        );
        const f = forecastChange({
          month,
          today: ctx.today,
          income: basis.budget.totalIncome,
          categories: basis.categories,
          cards: basis.cards,
          strategy: input.strategy,
          goals: goal ? [goal.forecast] : [],
          change: {
            categoryLimits: o.categories
              .filter((c) => c.change !== 0)
              .map((c) => ({ categoryId: c.categoryId, limit: c.to })),
            goalContribution: goal && toGoal > 0 ? [{ goalId: goal.view.goalId, monthly: toGoal }] : [],
          },
          months: 1,
        });
        return {
          month,
          today: ctx.today,
          currency: basis.currency,
          objective: goal
            ? { kind: "goal" as const, goalId: goal.view.goalId, name: goal.view.name }
            : { kind: "debt" as const },
          target: { amount: o.target, source: targetSource },
          targetMet: o.targetMet,
          shortBy: o.shortBy,
          categories: o.categories.map((c) => ({
            categoryId: c.categoryId,
            name: c.name,
            group: c.group,
            from: c.from,
            to: c.to,
            change: c.change,
            spent: c.spent,
            threeMonthAverage: c.historyAverage,
            billsThisMonth: c.bills,
            floor: c.floor,
            reason: c.reason,
          })),
          totals: { freed: o.freed, categoriesCut: o.categories.filter((c) => c.change < 0).length },
          availableForDebtPayoff: { thisMonth: o.availableThisMonth, laterMonths: o.availableLaterMonths },
          toGoalMonthly: goal ? toGoal : 0,
          debt: {
            totalOwed: f.debt.totalOwed,
            minimumsDue: basis.minimumsDue,
            toDebtMonthly: f.toDebtMonthly,
            debtFreeMonth: f.debt.debtFreeMonth,
            monthsToDebtFree: f.debt.monthsToDebtFree,
            totalInterest: f.debt.totalInterest,
            before: f.debt.before,
            after: f.debt.after,
            cardsExcluded: basis.cardsExcluded,
          },
          goal: f.goals[0] ?? null,
          rules: [...OPTIMIZE_RULES],
          assumptions: [...FORECAST_ASSUMPTIONS],
        };
      } catch (err) {
        throw asFieldError(err);
      }
    },
  });
