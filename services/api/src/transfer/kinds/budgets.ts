import { Budget, BudgetListItem } from "@tyche/types";
import { doing, type RunContext, warn } from "../context";
import { planBudget } from "../plan";
import type { CategoryState } from "./categories";

/**
 * Budgets, month by month from --from-month on: income, currency and each category's limit, with
 * the categories remapped; archived months archived. What a month spent is not written here: it
 * follows the transactions. Returns the months the source plans, for the check.
 */
export async function transferBudgets(ctx: RunContext, categories: CategoryState): Promise<string[]> {
  const listed = await ctx.source.pages("/v1/budgets", BudgetListItem, { includeArchived: "true" });
  const months = listed
    .map((b) => b.month)
    .filter((m) => !ctx.fromMonth || m >= ctx.fromMonth)
    .sort();
  for (const month of months) {
    const path = `/v1/budgets/${month}`;
    const [source, target] = await Promise.all([
      ctx.source.json("GET", path, Budget, { query: { includeArchived: "true" } }),
      ctx.target.optional(path, Budget, { includeArchived: "true" }),
    ]);
    const { step, archive, unmapped } = planBudget(source, target, ctx.categories);
    if (unmapped.length)
      warn(ctx, `budget ${month}: no target category for ${unmapped.join(", ")}; their limits are left out`);
    let version: number | undefined = target?.version;
    if (step.action === "same") ctx.tally.count("budgets", "unchanged");
    else if (step.action === "create" || step.action === "update") {
      const verb =
        step.action === "create" ? doing(ctx, "planning", "plan") : doing(ctx, "updating", "update");
      ctx.io.out(`budgets: ${verb} ${month}`);
      ctx.tally.count("budgets", step.action === "create" ? "created" : "updated");
      if (!ctx.dryRun) {
        const allocations = step.action === "create" ? step.body.categories : step.patch.categories;
        for (const a of allocations ?? []) await categories.ensureActive(a.categoryId);
        const written =
          step.action === "create"
            ? await ctx.target.json("POST", "/v1/budgets", Budget, { body: step.body })
            : await ctx.target.json("PUT", path, Budget, { body: step.patch, ifMatch: step.target.version });
        version = written.version;
      }
    }
    if (archive) {
      ctx.io.out(`budgets: ${doing(ctx, "archiving", "archive")} ${month}, as the source has it`);
      if (!ctx.dryRun)
        await ctx.target.none("DELETE", path, version !== undefined ? { ifMatch: version } : {});
    }
  }
  return months;
}
