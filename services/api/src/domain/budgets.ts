import { type CategoryInfo, summariseBudget } from "@tyche/core";
import type { Allocation, Budget, BudgetCreate, BudgetUpdate, Category } from "@tyche/types";
import type { BudgetRecord, BudgetRepository, Page } from "../db/budgets";
import type { CategoryRepository } from "../db/categories";
import type { Owner } from "../db/keys";
import { emptyTotals, type MonthTotals, type MonthTotalsRepository } from "../db/month-totals";
import { assertVersion } from "../http/etag";
import { invalidField, notFound } from "../http/problem";
import { currencyChangeOps } from "./currency-lock";

const DEFAULT_CURRENCY = "USD";

export function budgetView(
  record: BudgetRecord,
  totals: MonthTotals,
  categories: ReadonlyMap<string, CategoryInfo>,
): Budget {
  const summary = summariseBudget(
    {
      totalIncome: record.totalIncome,
      allocations: record.allocations,
      spentByCategory: totals.spentByCategory,
    },
    categories,
  );
  return {
    month: record.month,
    currency: record.currency,
    status: record.status,
    totalIncome: record.totalIncome,
    actualIncome: totals.income,
    ...summary,
    version: record.version,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}

/**
 * Checks that every allocation names one of the user's categories. An archived category may keep
 * a limit it already had in this month, but cannot be newly planned.
 */
function checkAllocations(
  allocations: readonly Allocation[],
  categories: ReadonlyMap<string, Category>,
  alreadyPlanned: ReadonlySet<string>,
  path = (i: number) => `categories.${i}.categoryId`,
): void {
  allocations.forEach((a, i) => {
    const category = categories.get(a.categoryId);
    if (!category) throw invalidField(path(i), "is not one of your categories");
    if (category.archived && !alreadyPlanned.has(a.categoryId)) throw invalidField(path(i), "is archived");
  });
}

function mergeAllocations(base: readonly Allocation[], overrides: readonly Allocation[]): Allocation[] {
  const merged = new Map(base.map((a) => [a.categoryId, a.limit]));
  for (const o of overrides) merged.set(o.categoryId, o.limit);
  return [...merged].map(([categoryId, limit]) => ({ categoryId, limit }));
}

export class BudgetService {
  constructor(
    private readonly budgets: BudgetRepository,
    private readonly categories: CategoryRepository,
    private readonly totals: MonthTotalsRepository,
  ) {}

  async get(owner: Owner, month: string, includeArchived = false): Promise<Budget> {
    const [record, totals, categories] = await Promise.all([
      this.budgets.requireActive(owner, month, includeArchived),
      this.totals.get(owner, month),
      this.categories.byId(owner),
    ]);
    return budgetView(record, totals, categories);
  }

  async list(
    owner: Owner,
    opts: { includeArchived: boolean; limit: number; cursor?: string },
  ): Promise<Page<Omit<Budget, "categories">>> {
    const [page, categories] = await Promise.all([
      this.budgets.list(owner, opts),
      this.categories.byId(owner),
    ]);
    const totals = await this.totals.getMany(
      owner,
      page.items.map((r) => r.month),
    );
    return {
      items: page.items.map((r) => {
        const { categories: _omitted, ...rest } = budgetView(
          r,
          totals.get(r.month) ?? emptyTotals(r.month),
          categories,
        );
        return rest;
      }),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  async create(owner: Owner, input: BudgetCreate): Promise<Budget> {
    const [existing, source, categories, totals] = await Promise.all([
      this.budgets.get(owner, input.month),
      input.copyFrom ? this.budgets.get(owner, input.copyFrom) : undefined,
      this.categories.byId(owner),
      this.totals.get(owner, input.month),
    ]);
    if (input.copyFrom && (!source || source.status === "archived")) {
      throw invalidField("copyFrom", `has no budget for ${input.copyFrom}`);
    }
    if (input.categories) checkAllocations(input.categories, categories, new Set());

    const defaults: Allocation[] = source
      ? source.allocations.filter((a) => categories.get(a.categoryId)?.archived === false)
      : [...categories.values()]
          .filter((c) => !c.archived)
          .map((c) => ({ categoryId: c.categoryId, limit: c.limit ?? 0 }));
    const allocations = source
      ? mergeAllocations(defaults, input.categories ?? [])
      : (input.categories ?? defaults);

    const now = new Date().toISOString();
    const record: BudgetRecord = {
      month: input.month,
      currency: input.currency ?? source?.currency ?? existing?.currency ?? DEFAULT_CURRENCY,
      status: "active",
      totalIncome: input.totalIncome ?? source?.totalIncome ?? 0,
      allocations,
      version: (existing?.version ?? 0) + 1,
      createdAt: now,
      updatedAt: now,
    };
    const replacing = existing?.status === "archived" ? existing : undefined;
    // An archived plan is replaced whole; only what was recorded in its currency stays.
    const guard = replacing
      ? currencyChangeOps(
          this.totals,
          owner,
          { ...replacing, totalIncome: 0, allocations: [] },
          record.currency,
          totals,
        )
      : [];
    await this.budgets.create(owner, record, replacing, guard);
    return budgetView(record, totals, categories);
  }

  async update(owner: Owner, month: string, patch: BudgetUpdate, expected?: number): Promise<Budget> {
    const [current, categories, totals] = await Promise.all([
      this.budgets.requireActive(owner, month),
      this.categories.byId(owner),
      this.totals.get(owner, month),
    ]);
    assertVersion(current.version, expected);
    if (patch.categories) {
      checkAllocations(patch.categories, categories, new Set(current.allocations.map((a) => a.categoryId)));
    }
    const next: BudgetRecord = {
      ...current,
      totalIncome: patch.totalIncome ?? current.totalIncome,
      currency: patch.currency ?? current.currency,
      allocations: patch.categories ?? current.allocations,
      version: current.version + 1,
      updatedAt: new Date().toISOString(),
    };
    const guard = currencyChangeOps(this.totals, owner, current, next.currency, totals);
    await this.budgets.replace(owner, current, next, "budget.update", guard);
    return budgetView(next, totals, categories);
  }

  async setCategoryLimit(
    owner: Owner,
    month: string,
    categoryId: string,
    limit: number,
    expected?: number,
  ): Promise<Budget> {
    const [current, categories, totals] = await Promise.all([
      this.budgets.requireActive(owner, month),
      this.categories.byId(owner),
      this.totals.get(owner, month),
    ]);
    if (!categories.has(categoryId)) throw notFound("Category");
    assertVersion(current.version, expected);
    const planned = new Set(current.allocations.map((a) => a.categoryId));
    checkAllocations([{ categoryId, limit }], categories, planned, () => "categoryId");
    const next: BudgetRecord = {
      ...current,
      allocations: mergeAllocations(current.allocations, [{ categoryId, limit }]),
      version: current.version + 1,
      updatedAt: new Date().toISOString(),
    };
    await this.budgets.replace(owner, current, next, "budget.category.update");
    return budgetView(next, totals, categories);
  }
}
