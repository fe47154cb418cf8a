import { DEFAULT_FORECAST_MONTHS, forecastChange, MAX_FORECAST_MONTHS } from "@tyche/core";
import { Cents, Id, MAX_CENTS, Month } from "@tyche/types";
import { z } from "zod";
import type { Services } from "../../services";
import {
  asFieldError,
  ForecastStrategy,
  notFoundField,
  readForecastBasis,
  withNamedCategories,
} from "./forecast-basis";
import { defineTool } from "./tool";
import { monthOf } from "./user-context";

const SignedMonthly = z
  .number({ error: "must be a whole number of cents" })
  .int({ error: "must be a whole number of cents" })
  .min(-MAX_CENTS, { error: `must be at least -${MAX_CENTS} cents` })
  .max(MAX_CENTS, { error: `must be at most ${MAX_CENTS} cents` });

export const ForecastSavingsInput = z.strictObject({
  month: Month.optional().describe("YYYY-MM, the first month forecast; defaults to the current month"),
  categoryLimits: z
    .array(z.strictObject({ categoryId: Id, limit: Cents.describe("The new monthly limit, in cents") }))
    .max(200)
    .optional()
    .describe("New limits for categories, from the first month on"),
  incomeChange: SignedMonthly.optional().describe("Cents a month added to income (negative: less income)"),
  extraDebtPayment: Cents.optional().describe(
    "Cents a month paid to the cards on top of availableForDebtPayoff, from money outside the budget",
  ),
  goalContribution: z
    .array(z.strictObject({ goalId: Id, monthly: Cents.describe("Cents a month into this goal") }))
    .max(100)
    .optional()
    .describe("Money a month put into active goals, taken from what would go to debt"),
  months: z
    .number({ error: `must be a whole number from 1 to ${MAX_FORECAST_MONTHS}` })
    .int({ error: `must be a whole number from 1 to ${MAX_FORECAST_MONTHS}` })
    .min(1, { error: `must be a whole number from 1 to ${MAX_FORECAST_MONTHS}` })
    .max(MAX_FORECAST_MONTHS, { error: `must be a whole number from 1 to ${MAX_FORECAST_MONTHS}` })
    .default(DEFAULT_FORECAST_MONTHS)
    .describe(`Months shown one by one (default ${DEFAULT_FORECAST_MONTHS}, at most ${MAX_FORECAST_MONTHS})`),
  strategy: ForecastStrategy,
});

/**
 * `forecast_savings`: what a change to the budget (limits, income, an extra payment, money into
 * goals) does to availableForDebtPayoff, the debt-free month and interest, and each active goal's
 * completion, month by month and in total (docs/AI.md). The arithmetic is core's forecastChange.
 */
export const forecastSavingsTool = (s: Services) =>
  defineTool({
    name: "forecast_savings",
    description:
      "What a change to the budget does, before and after, month by month and in total: new category limits, " +
      "a change of income (signed cents a month), an extra monthly debt payment, and money a month into named " +
      "savings goals. Answers availableForDebtPayoff, the debt-free month and total interest (payoff engine, " +
      "avalanche unless a strategy is given), and each active goal's projected completion and whether it meets " +
      "its target date. Every figure is integer cents in `currency`, given as before, after and difference " +
      "(after - before); `assumptions` lists what the forecast takes as given. Call it for 'what if' questions.",
    input: ForecastSavingsInput,
    write: false,
    async run(ctx, input) {
      const month = monthOf(ctx, input.month);
      const basis = await readForecastBasis(s, ctx, month);
      const categoryLimits = input.categoryLimits ?? [];
      const goalContribution = input.goalContribution ?? [];
      const categories = await withNamedCategories(
        s,
        ctx,
        basis,
        categoryLimits.map((l, i) => ({ path: `categoryLimits.${i}.categoryId`, categoryId: l.categoryId })),
      );
      const active = new Set(basis.goals.map((g) => g.view.goalId));
      goalContribution.forEach((g, i) => {
        if (!active.has(g.goalId))
          throw notFoundField("Goal", `goalContribution.${i}.goalId`, "is not one of your active goals");
      });

      let forecast: ReturnType<typeof forecastChange>;
      try {
        forecast = forecastChange({
          month,
          today: ctx.today,
          income: basis.budget.totalIncome,
          categories,
          cards: basis.cards,
          strategy: input.strategy,
          goals: basis.goals.map((g) => g.forecast),
          change: {
            categoryLimits,
            incomeChange: input.incomeChange ?? 0,
            extraDebtPayment: input.extraDebtPayment ?? 0,
            goalContribution,
          },
          months: input.months,
        });
      } catch (err) {
        throw asFieldError(err);
      }
      const named = new Set(categoryLimits.map((l) => l.categoryId));
      return {
        month,
        today: ctx.today,
        currency: basis.currency,
        months: forecast.months,
        strategy: forecast.strategy,
        change: {
          categoryLimits,
          incomeChange: input.incomeChange ?? 0,
          extraDebtPayment: input.extraDebtPayment ?? 0,
          goalContribution,
        },
        income: forecast.income,
        availableForDebtPayoff: forecast.availableForDebtPayoff,
        toGoalsMonthly: forecast.toGoalsMonthly,
        toDebtMonthly: forecast.toDebtMonthly,
        // Only the categories the change names: the rest keep their limits and add nothing to read.
        categories: forecast.categories.filter((c) => named.has(c.categoryId)),
        debt: {
          ...forecast.debt,
          minimumsDue: basis.minimumsDue,
          cardsPlanned: basis.cards.map((c) => ({ cardId: c.cardId, name: c.name, balance: c.balance })),
          cardsExcluded: basis.cardsExcluded,
        },
        goals: forecast.goals,
        schedule: forecast.schedule,
        totals: forecast.totals,
        assumptions: forecast.assumptions,
      };
    },
  });
