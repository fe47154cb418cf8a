import type { Allocation, BudgetCategoryView, CategoryGroup } from "@tyche/types";
import { UNCATEGORIZED } from "./ledger";
import { sumCents } from "./money";
import { percentOf } from "./percent";

export interface CategoryInfo {
  categoryId: string;
  name: string;
  type: string;
  group: CategoryGroup;
  color: string;
  archived: boolean;
}

export interface BudgetFigures {
  totalIncome: number;
  allocations: readonly Allocation[];
  /** Expenses recorded per category id, in cents. */
  spentByCategory: Readonly<Record<string, number>>;
  /** The month's recurring bills per category id, in cents (`committedByCategory`); none when absent. */
  committedByCategory?: Readonly<Record<string, number>>;
}

export interface BudgetSummary {
  totalBudgeted: number;
  totalActualExpenses: number;
  unallocated: number;
  availableForDebtPayoff: number;
  categories: BudgetCategoryView[];
}

/** A category is "near" its limit from this share of it on. */
const NEAR_LIMIT_PERCENT = 80;
const GROUP_ORDER: Record<CategoryGroup, number> = { essential: 0, discretionary: 1, savings: 2, debt: 3 };

export function categoryStatus(limit: number, spent: number): BudgetCategoryView["status"] {
  if (spent > limit) return "over";
  if (limit > 0 && spent * 100 >= limit * NEAR_LIMIT_PERCENT) return "near";
  return "under";
}

/**
 * The month's numbers, from its plan and what was spent. Spending in a category the month did not
 * plan counts against a limit of 0, so nothing spent ever drops out of the totals.
 */
export function summariseBudget(
  figures: BudgetFigures,
  categories: ReadonlyMap<string, CategoryInfo>,
): BudgetSummary {
  const limits = new Map<string, number>();
  for (const a of figures.allocations) limits.set(a.categoryId, a.limit);
  for (const id of Object.keys(figures.spentByCategory)) if (!limits.has(id)) limits.set(id, 0);
  // A category with bills due this month shows them even before it is planned or spent in.
  for (const id of Object.keys(figures.committedByCategory ?? {})) if (!limits.has(id)) limits.set(id, 0);

  const views: BudgetCategoryView[] = [];
  for (const [categoryId, limit] of limits) {
    const spent = figures.spentByCategory[categoryId] ?? 0;
    const info = categories.get(categoryId) ?? unknownCategory(categoryId);
    views.push({
      categoryId,
      name: info.name,
      type: info.type,
      group: info.group,
      color: info.color,
      archived: info.archived,
      limit,
      spent,
      remaining: limit - spent,
      percentUsed: percentOf(spent, limit),
      status: categoryStatus(limit, spent),
      refundsExceedSpending: spent < 0,
      committed: figures.committedByCategory?.[categoryId] ?? 0,
    });
  }
  views.sort((a, b) => GROUP_ORDER[a.group] - GROUP_ORDER[b.group] || a.name.localeCompare(b.name));

  const totalBudgeted = sumCents(views.map((v) => v.limit));
  const totalActualExpenses = sumCents(views.map((v) => v.spent));
  return {
    totalBudgeted,
    totalActualExpenses,
    unallocated: figures.totalIncome - totalBudgeted,
    availableForDebtPayoff: availableForDebtPayoff(figures.totalIncome, views),
    categories: views,
  };
}

/**
 * What the payoff planner may spend on cards this month (DESIGN.md): income less, for every
 * category outside the debt group, the larger of its limit and what was already spent.
 */
export function availableForDebtPayoff(
  totalIncome: number,
  categories: readonly Pick<BudgetCategoryView, "group" | "limit" | "spent">[],
): number {
  let committed = 0;
  for (const c of categories) {
    if (c.group === "debt") continue;
    const share = Math.max(c.limit, c.spent);
    if (!Number.isSafeInteger(share)) throw new RangeError(`not a whole number of cents: ${share}`);
    committed += share;
    // Nothing is left once the income is committed. Stopping here also keeps the answer exact: each
    // figure stays within 2^53 cents, but a month's spending near that plus another limit may not,
    // and a sum past the limit still compares correctly with the (safe) income.
    if (committed >= totalIncome) return 0;
  }
  return Math.max(0, totalIncome - committed);
}

function unknownCategory(categoryId: string): CategoryInfo {
  if (categoryId === UNCATEGORIZED) {
    return {
      categoryId,
      name: "Uncategorised",
      type: UNCATEGORIZED,
      group: "discretionary",
      color: "#999999",
      archived: false,
    };
  }
  return {
    categoryId,
    name: "Unknown category",
    type: "unknown",
    group: "discretionary",
    color: "#999999",
    archived: true,
  };
}
