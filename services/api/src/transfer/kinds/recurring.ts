import { Recurring } from "@tyche/types";
import { doing, type RunContext, warn } from "../context";
import { planRecurring } from "../plan";
import type { AccountState } from "./accounts";
import type { CategoryState } from "./categories";

/**
 * Recurring templates, by name, accounts and category remapped. A new one posts from the day it is
 * made on (no backfill): what the source's template posted before came with its account's rows.
 */
export async function transferRecurring(
  ctx: RunContext,
  accounts: AccountState,
  categories: CategoryState,
): Promise<void> {
  const [source, target] = await Promise.all([
    ctx.source.items("/v1/recurring", Recurring),
    ctx.target.items("/v1/recurring", Recurring),
  ]);
  for (const step of planRecurring(source, target, ctx.accounts, ctx.categories)) {
    const name = `"${step.source.name}"`;
    if (step.action === "skip") {
      ctx.tally.count("recurring", "skipped");
      warn(ctx, `recurring template ${name} is left out: ${step.reason}`);
      continue;
    }
    if (step.action === "same") {
      ctx.tally.count("recurring", "unchanged");
      continue;
    }
    const fields = step.action === "create" ? step.body : step.patch;
    ctx.io.out(
      `recurring: ${step.action === "create" ? doing(ctx, "creating", "create") : doing(ctx, "updating", "update")} ${name}`,
    );
    ctx.tally.count("recurring", step.action === "create" ? "created" : "updated");
    if (ctx.dryRun) continue;
    // A template may only name open accounts and active categories.
    await accounts.ensureOpen(fields.accountId);
    await accounts.ensureOpen(fields.toAccountId);
    await categories.ensureActive(fields.categoryId);
    if (step.action === "create")
      await ctx.target.json("POST", "/v1/recurring", Recurring, { body: step.body });
    else
      await ctx.target.json("PUT", `/v1/recurring/${step.target.recurringId}`, Recurring, {
        body: step.patch,
        ifMatch: step.target.version,
      });
  }
}
