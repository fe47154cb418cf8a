import { z } from "zod";
import { CategoryGroup, CategoryType } from "./category";
import { Cents, CurrencyCode, Id, Instant, Month, Version } from "./primitives";

export const Allocation = z.strictObject({ categoryId: Id, limit: Cents });
export type Allocation = z.infer<typeof Allocation>;

const Allocations = z
  .array(Allocation)
  .max(200)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((a, i) => {
      if (seen.has(a.categoryId)) {
        ctx.addIssue({ code: "custom", path: [i, "categoryId"], message: "appears more than once" });
      }
      seen.add(a.categoryId);
    });
  });

export const BudgetCreate = z
  .strictObject({
    month: Month,
    totalIncome: Cents.optional().describe("Required unless copyFrom is given"),
    currency: CurrencyCode.optional().describe("Defaults to USD, or the copied month's currency"),
    categories: Allocations.optional().describe(
      "Category limits; defaults to the copied month's, else to each category's default limit",
    ),
    copyFrom: Month.optional().describe("An earlier month whose allocations (and income) are copied"),
  })
  .superRefine((body, ctx) => {
    if (body.totalIncome === undefined && body.copyFrom === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["totalIncome"],
        message: "is required unless copyFrom is given",
      });
    }
    // Only compare months that are months; a malformed one already has its own message.
    const valid = (m: string | undefined) => m !== undefined && Month.safeParse(m).success;
    if (valid(body.copyFrom) && valid(body.month) && (body.copyFrom as string) >= body.month) {
      ctx.addIssue({ code: "custom", path: ["copyFrom"], message: "must be a month before month" });
    }
  });
export type BudgetCreate = z.infer<typeof BudgetCreate>;

export const BudgetUpdate = z.strictObject({
  totalIncome: Cents.optional(),
  currency: CurrencyCode.optional(),
  categories: Allocations.optional().describe("Replaces every allocation of the month"),
});
export type BudgetUpdate = z.infer<typeof BudgetUpdate>;

export const BudgetCategoryUpdate = z.strictObject({ limit: Cents });

export const BudgetCategoryStatus = z.enum(["under", "near", "over"]);

export const BudgetCategoryView = z.object({
  categoryId: Id,
  name: z.string(),
  type: CategoryType,
  group: CategoryGroup,
  color: z.string(),
  archived: z.boolean(),
  limit: z.number().int(),
  spent: z.number().int(),
  remaining: z.number().int().describe("limit - spent; negative when over"),
  percentUsed: z.number().nullable().describe("spent / limit in percent, two decimals; null when limit is 0"),
  status: BudgetCategoryStatus,
  refundsExceedSpending: z
    .boolean()
    .describe("Refunds this month were more than the spending: spent is below zero"),
  committed: z
    .number()
    .int()
    .describe(
      "Committed to recurring bills: the month's occurrences of active expense templates in this category " +
        "(posted or not, so part of it may already be in spent). Not the 'committed' of availableForDebtPayoff",
    ),
});
export type BudgetCategoryView = z.infer<typeof BudgetCategoryView>;

export const Budget = z.object({
  month: Month,
  currency: z.string(),
  status: z.enum(["active", "archived"]),
  totalIncome: z.number().int(),
  actualIncome: z.number().int(),
  totalBudgeted: z.number().int(),
  totalActualExpenses: z.number().int(),
  unallocated: z.number().int().describe("totalIncome - totalBudgeted; negative when over-allocated"),
  availableForDebtPayoff: z.number().int(),
  paidToDebt: z
    .number()
    .int()
    .describe(
      "Paid into credit-card accounts this month (transfers into cards), beside what the plan allows",
    ),
  categories: z.array(BudgetCategoryView),
  version: Version,
  createdAt: Instant,
  updatedAt: Instant,
});
export type Budget = z.infer<typeof Budget>;

export const BudgetListItem = Budget.omit({ categories: true });
