import { Cents, Month, PayoffStrategyName } from "@tyche/types";
import { z } from "zod";
import type { Services } from "../../services";
import { defineTool } from "./tool";
import { monthOf } from "./user-context";

/** Enough months of balance for a chart; a plan longer than this is summarised by its totals. */
const SERIES_MONTHS = 240;

const Input = z.strictObject({
  month: Month.optional().describe("The budget month to plan from (YYYY-MM); defaults to the current month"),
  strategy: PayoffStrategyName.exclude(["custom", "minimum-only"])
    .optional()
    .describe("The strategy to lay out month by month; defaults to the best (least interest)"),
  monthly: Cents.optional().describe(
    "Cents a month for all card payments, minimums included, instead of the budget's availableForDebtPayoff",
  ),
  extraMonthly: Cents.optional().describe(
    "What-if: cents a month more for debt, on top of the monthly amount",
  ),
  snowflake: z
    .strictObject({ month: Month, amount: Cents })
    .optional()
    .describe("What-if: a one-off payment (a bonus, a tax refund) in a month"),
});

/**
 * The payoff engine on the user's real numbers: every strategy compared, the chosen one laid out
 * (what to pay each card this month, the balance month by month), and a what-if when asked.
 */
export const calculatePayoffTool = (s: Services) =>
  defineTool({
    name: "calculate_payoff",
    description:
      "Plans paying off the credit cards with the money the budget leaves (availableForDebtPayoff) or a given " +
      "monthly amount: compares avalanche (highest APR first), snowball (smallest balance first) and highest-interest " +
      "against paying only the minimums (debt-free month, months, total interest, interest saved), names the best, " +
      "gives this month's payment for each card and the total balance month by month. With extraMonthly or a " +
      "snowflake it also answers what that change saves (months and interest). When the money is below the " +
      "minimums, `shortfall` says by how much and which over-budget categories would close it.",
    input: Input,
    write: false,
    async run(ctx, input) {
      const month = monthOf(ctx, input.month);
      const basis = { month, ...(input.monthly !== undefined ? { monthly: input.monthly } : {}) };
      const whatIfAsked = input.extraMonthly !== undefined || input.snowflake !== undefined;
      // One read of the cards and the budget for the comparison, the plan and the what-if.
      const { comparison, plan, whatIf } = await s.debt.advise(ctx.owner, {
        ...basis,
        ...(input.strategy ? { strategy: input.strategy } : {}),
        ...(whatIfAsked ? { whatIf: { extra: input.extraMonthly ?? 0, snowflake: input.snowflake } } : {}),
      });
      const strategy = plan.plan.strategy;
      const names = new Map(comparison.cards.map((c) => [c.cardId, c.name]));
      const nameOf = (cardId: string) => names.get(cardId) ?? cardId;
      const first = plan.plan.schedule[0];
      return {
        month,
        currency: comparison.currency,
        monthlyAmount: comparison.monthlyAmount,
        source: comparison.source,
        availableForDebtPayoff: comparison.availableForDebtPayoff,
        minimumsDue: comparison.minimumsDue,
        totalOwed: comparison.totalOwed,
        cards: comparison.cards,
        excluded: comparison.excluded,
        shortfall: comparison.shortfall,
        minimumOnly: {
          end: comparison.baseline.end,
          monthsToDebtFree: comparison.baseline.monthsToDebtFree,
          debtFreeMonth: comparison.baseline.debtFreeMonth,
          totalInterest: comparison.baseline.totalInterest,
        },
        strategies: comparison.strategies
          .filter((x) => x.strategy !== "minimum-only" && x.strategy !== "custom")
          .map((x) => ({
            strategy: x.strategy,
            feasible: x.feasible,
            end: x.end,
            monthsToDebtFree: x.monthsToDebtFree,
            debtFreeMonth: x.debtFreeMonth,
            totalInterest: x.totalInterest,
            totalPaid: x.totalPaid,
            interestSaved: x.interestSaved,
            monthsSaved: x.monthsSaved,
            payoffOrder: [...x.cards]
              .sort((a, b) => (a.payoffMonth ?? "9999-99").localeCompare(b.payoffMonth ?? "9999-99"))
              .map((c) => ({
                cardId: c.cardId,
                name: nameOf(c.cardId),
                payoffMonth: c.payoffMonth,
                interest: c.interest,
              })),
          })),
        best: comparison.best,
        chosen: {
          strategy,
          end: plan.plan.end,
          monthsToDebtFree: plan.plan.monthsToDebtFree,
          debtFreeMonth: plan.plan.debtFreeMonth,
          totalInterest: plan.plan.totalInterest,
          interestSaved: plan.interestSaved,
          thisMonth: first
            ? {
                month: first.month,
                payments: first.cards.map((c) => ({
                  cardId: c.cardId,
                  name: nameOf(c.cardId),
                  payment: c.payment,
                  interest: c.interest,
                  balanceAfter: c.balance,
                })),
              }
            : null,
          balances: plan.plan.schedule.slice(0, SERIES_MONTHS).map((m) => ({
            month: m.month,
            total: m.cards.reduce((sum, c) => sum + c.balance, 0),
          })),
        },
        whatIf: whatIf
          ? {
              extraMonthly: whatIf.extraMonthly,
              snowflake: whatIf.snowflake,
              current: whatIf.current,
              withChange: whatIf.withChange,
              monthsSaved: whatIf.monthsSaved,
              interestSaved: whatIf.interestSaved,
            }
          : null,
      };
    },
  });
