import { type CategoryInfo, committedByCategory, type RecurringInfo, summariseBudget } from "@tyche/core";
import type { Allocation, Budget, BudgetCreate, BudgetUpdate, Category } from "@tyche/types";
import type { BudgetRecord, BudgetRepository, Page } from "../db/budgets";
import type { CategoryRepository, CategoryUse } from "../db/categories";
import type { Owner } from "../db/keys";
import { readMonthItems } from "../db/month-items";
import { emptyTotals, type MonthTotals, type MonthTotalsRepository } from "../db/month-totals";
import type { RecurringRepository, StoredRecurring } from "../db/recurring";
import type { Store } from "../db/store";
import { commit, MAX_OPS_PER_WRITE } from "../db/transact";
import { conflict, invalidField, notFound } from "../errors";
import { currencyChangeOps } from "./currency-lock";
import { readCheckWrite } from "./versioned";

const DEFAULT_CURRENCY = "USD";

/**
 * A month as the API shows it. `templates`: the user's recurring templates, for what each category
 * is committed to in recurring bills that month (none given: nothing committed).
 */
export function budgetView(
  record: BudgetRecord,
  totals: MonthTotals,
  categories: ReadonlyMap<string, CategoryInfo>,
  templates: readonly RecurringInfo[] = [],
): Budget {
  const summary = summariseBudget(
    {
      totalIncome: record.totalIncome,
      allocations: record.allocations,
      spentByCategory: totals.spentByCategory,
      committedByCategory: committedByCategory(templates, record.month, record.currency),
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
    paidToDebt: totals.paidToDebt,
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

/**
 * How a plan change moves category use counts: a newly planned category is counted (and must
 * still be active when the write lands), one no longer planned is let go.
 */
function planUses(
  before: readonly Allocation[],
  after: readonly Allocation[],
  path: (i: number) => string,
): CategoryUse[] {
  const had = new Set(before.map((a) => a.categoryId));
  const has = new Set(after.map((a) => a.categoryId));
  const uses: CategoryUse[] = [];
  after.forEach((a, i) => {
    if (!had.has(a.categoryId)) uses.push({ categoryId: a.categoryId, delta: 1, fresh: true, path: path(i) });
  });
  for (const a of before) {
    if (!has.has(a.categoryId))
      uses.push({ categoryId: a.categoryId, delta: -1, fresh: false, path: "categories" });
  }
  // The plan, its audit record and one op per category must fit one DynamoDB transaction.
  if (uses.length > MAX_OPS_PER_WRITE - 1) {
    throw invalidField("categories", `can add or drop at most ${MAX_OPS_PER_WRITE - 1} categories at once`);
  }
  return uses;
}

const allocationPath = (i: number) => `categories.${i}.categoryId`;

export class BudgetService {
  constructor(
    private readonly store: Store,
    private readonly budgets: BudgetRepository,
    private readonly categories: CategoryRepository,
    private readonly totals: MonthTotalsRepository,
    /** Recurring templates, for the bills each month commits; without it, nothing is committed. */
    private readonly recurring?: RecurringRepository,
  ) {}

  /**
   * The user's templates, one Query of `RECURRING#`, read beside the month in the same round trip;
   * `consistent` beside a write, whose every read is.
   */
  private templates(owner: Owner, consistent = false): Promise<StoredRecurring[]> {
    return this.recurring ? this.recurring.list(owner, consistent) : Promise.resolve([]);
  }

  async get(owner: Owner, month: string, includeArchived = false): Promise<Budget> {
    const [record, totals, categories, templates] = await Promise.all([
      this.budgets.get(owner, month),
      this.totals.get(owner, month),
      this.categories.byId(owner, false),
      this.templates(owner),
    ]);
    return budgetView(visible(record, month, includeArchived), totals, categories, templates);
  }

  /**
   * Several months at once, for figures over time: one BatchGetItem of their plans and totals,
   * one read of the categories and of the templates. `budgets` holds the active plans' views;
   * `totals` every month asked for (zero for a month without transactions); `categories` as read.
   */
  async views(
    owner: Owner,
    months: readonly string[],
  ): Promise<{
    budgets: Map<string, Budget>;
    totals: Map<string, MonthTotals>;
    categories: Map<string, Category>;
  }> {
    const [items, categories, templates] = await Promise.all([
      readMonthItems(this.store, owner, { budgetMonths: months, totalsMonths: months }),
      this.categories.byId(owner, false),
      this.templates(owner),
    ]);
    const budgets = new Map<string, Budget>();
    for (const [month, record] of items.budgets) {
      if (record.status !== "active") continue;
      budgets.set(
        month,
        budgetView(record, items.totals.get(month) ?? emptyTotals(month), categories, templates),
      );
    }
    return { budgets, totals: items.totals, categories };
  }

  async list(
    owner: Owner,
    opts: { includeArchived: boolean; limit: number; cursor?: string },
  ): Promise<Page<Omit<Budget, "categories">>> {
    const [page, categories, templates] = await Promise.all([
      this.budgets.list(owner, opts),
      this.categories.byId(owner, false),
      this.templates(owner),
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
          templates,
        );
        return rest;
      }),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  async create(owner: Owner, input: BudgetCreate): Promise<Budget> {
    const [existing, source, categories, totals, templates] = await Promise.all([
      this.budgets.latest(owner, input.month),
      input.copyFrom ? this.budgets.get(owner, input.copyFrom) : undefined,
      this.categories.byId(owner, true),
      this.totals.get(owner, input.month),
      this.templates(owner, true),
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
    const exists = () =>
      conflict(`A budget for ${record.month} already exists; change it with PUT /v1/budgets/${record.month}`);
    // A month the user archived is planned again in place; an active one is never overwritten.
    const replacing = existing?.status === "archived" ? existing : undefined;
    if (existing && !replacing) throw exists();
    const planOp = replacing
      ? { ...this.budgets.replaceOp(owner, replacing, record), onConditionFailed: exists }
      : this.budgets.createOp(owner, record, exists);
    await commit(
      this.store,
      { owner, action: "budget.create", entityId: record.month, before: replacing, after: record },
      [
        planOp,
        // An archived plan is replaced whole; only what was recorded in its currency stays.
        ...(replacing
          ? currencyChangeOps(
              this.totals,
              owner,
              { ...replacing, totalIncome: 0, allocations: [] },
              record.currency,
              totals,
            )
          : []),
        ...this.categories.useOps(
          owner,
          planUses(replacing?.allocations ?? [], allocations, (i) =>
            input.categories ? allocationPath(i) : "copyFrom",
          ),
        ),
      ],
    );
    return budgetView(record, totals, categories, templates);
  }

  async update(owner: Owner, month: string, patch: BudgetUpdate, expected?: number): Promise<Budget> {
    return this.change(owner, month, expected, "budget.update", (current, categories) => {
      if (patch.categories) {
        checkAllocations(patch.categories, categories, new Set(current.allocations.map((a) => a.categoryId)));
      }
      return {
        totalIncome: patch.totalIncome ?? current.totalIncome,
        currency: patch.currency ?? current.currency,
        allocations: patch.categories ?? current.allocations,
      };
    });
  }

  async setCategoryLimit(
    owner: Owner,
    month: string,
    categoryId: string,
    limit: number,
    expected?: number,
  ): Promise<Budget> {
    return this.change(
      owner,
      month,
      expected,
      "budget.category.update",
      (current, categories) => {
        if (!categories.has(categoryId)) throw notFound("Category");
        const planned = new Set(current.allocations.map((a) => a.categoryId));
        checkAllocations([{ categoryId, limit }], categories, planned, () => "categoryId");
        return { allocations: mergeAllocations(current.allocations, [{ categoryId, limit }]) };
      },
      () => "categoryId",
    );
  }

  async archive(owner: Owner, month: string, expected?: number): Promise<void> {
    await readCheckWrite(
      `The budget for ${month}`,
      expected,
      async () => active(await this.budgets.latest(owner, month)),
      async (current) => {
        const next: BudgetRecord = {
          ...current,
          status: "archived",
          version: current.version + 1,
          updatedAt: new Date().toISOString(),
        };
        // An archived month still plans its categories: the counts stay.
        await commit(
          this.store,
          { owner, action: "budget.archive", entityId: month, before: current, after: next },
          [this.budgets.replaceOp(owner, current, next)],
        );
      },
    );
  }

  /** Read-check-write of an active month's plan, with the use counts of the categories it adds or drops. */
  private async change(
    owner: Owner,
    month: string,
    expected: number | undefined,
    action: string,
    apply: (current: BudgetRecord, categories: ReadonlyMap<string, Category>) => Partial<BudgetRecord>,
    path: (i: number) => string = allocationPath,
  ): Promise<Budget> {
    // Read beside the plan itself, in the same round trip.
    const context = Promise.all([
      this.categories.byId(owner, true),
      this.totals.get(owner, month),
      this.templates(owner, true),
    ]);
    // Awaited in the write; if the plan's own read fails first, this must not become an unhandled rejection.
    context.catch(() => undefined);
    return readCheckWrite(
      `The budget for ${month}`,
      expected,
      async () => active(await this.budgets.latest(owner, month)),
      async (current) => {
        const [categories, totals, templates] = await context;
        const next: BudgetRecord = {
          ...current,
          ...apply(current, categories),
          version: current.version + 1,
          updatedAt: new Date().toISOString(),
        };
        await commit(this.store, { owner, action, entityId: month, before: current, after: next }, [
          this.budgets.replaceOp(owner, current, next),
          ...currencyChangeOps(this.totals, owner, current, next.currency, totals),
          ...this.categories.useOps(owner, planUses(current.allocations, next.allocations, path)),
        ]);
        return budgetView(next, totals, categories, templates);
      },
    );
  }
}

const active = (record: BudgetRecord | undefined) => (record?.status === "active" ? record : undefined);

function visible(record: BudgetRecord | undefined, month: string, includeArchived: boolean): BudgetRecord {
  if (!record || (record.status === "archived" && !includeArchived))
    throw notFound(`The budget for ${month}`);
  return record;
}
