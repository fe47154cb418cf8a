import { Rule } from "@tyche/types";
import { doing, type RunContext, warn } from "../context";
import { planRules } from "../plan";
import type { CategoryState } from "./categories";

/** Categorisation rules, by name, with the category they set remapped. */
export async function transferRules(ctx: RunContext, categories: CategoryState): Promise<void> {
  const [source, target] = await Promise.all([
    ctx.source.items("/v1/rules", Rule),
    ctx.target.items("/v1/rules", Rule),
  ]);
  for (const step of planRules(source, target, ctx.categories)) {
    const name = `"${step.source.name}"`;
    if (step.action === "skip") {
      ctx.tally.count("rules", "skipped");
      warn(ctx, `rule ${name} is left out: ${step.reason}`);
    } else if (step.action === "same") ctx.tally.count("rules", "unchanged");
    else if (step.action === "create") {
      ctx.io.out(`rules: ${doing(ctx, "creating", "create")} ${name}`);
      ctx.tally.count("rules", "created");
      if (ctx.dryRun) continue;
      await categories.ensureActive(step.body.actions.categoryId);
      await ctx.target.json("POST", "/v1/rules", Rule, { body: step.body });
    } else {
      ctx.io.out(`rules: ${doing(ctx, "updating", "update")} ${name}`);
      ctx.tally.count("rules", "updated");
      if (ctx.dryRun) continue;
      await categories.ensureActive(step.patch.actions?.categoryId);
      await ctx.target.json("PUT", `/v1/rules/${step.target.ruleId}`, Rule, {
        body: step.patch,
        ifMatch: step.target.version,
      });
    }
  }
}
