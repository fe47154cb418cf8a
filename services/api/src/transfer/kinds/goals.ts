import { Contribution, ContributionResult, DebtGoal, Goal } from "@tyche/types";
import { doing, type RunContext, warn } from "../context";
import { planContributions, planDebtGoal, planGoals } from "../plan";
import type { CategoryState } from "./categories";

/**
 * Savings goals, by name: created with what the source's started with, then the contributions the
 * target lacks, oldest first, then the source's status (a cancelled goal takes no contributions, so
 * it is cancelled last; one the contributions complete completes by itself).
 */
export async function transferGoals(ctx: RunContext, categories: CategoryState): Promise<void> {
  const [source, target] = await Promise.all([
    ctx.source.pages("/v1/goals", Goal),
    ctx.target.pages("/v1/goals", Goal),
  ]);
  const { steps, warnings } = planGoals(source, target, ctx.categories);
  for (const w of warnings) warn(ctx, w);
  for (const step of steps) {
    const name = `"${step.source.name}"`;
    if (step.action === "skip") {
      ctx.tally.count("goals", "skipped");
      warn(ctx, `goal ${name} is left out: ${step.reason}`);
      continue;
    }
    let goal: Goal | undefined = step.action === "create" ? undefined : step.target;
    if (step.action === "same") ctx.tally.count("goals", "unchanged");
    else if (step.action === "create") {
      ctx.io.out(`goals: ${doing(ctx, "creating", "create")} ${name}`);
      ctx.tally.count("goals", "created");
      if (!ctx.dryRun) {
        await categories.ensureActive(step.body.categoryId);
        goal = await ctx.target.json("POST", "/v1/goals", Goal, { body: step.body });
      }
    } else {
      ctx.io.out(
        `goals: ${doing(ctx, "updating", "update")} ${name} (${Object.keys(step.patch).join(", ")})`,
      );
      ctx.tally.count("goals", "updated");
      if (!ctx.dryRun) {
        await categories.ensureActive(step.patch.categoryId);
        goal = await ctx.target.json("PUT", `/v1/goals/${step.target.goalId}`, Goal, {
          body: step.patch,
          ifMatch: step.target.version,
        });
      }
    }
    await contributions(ctx, step.source, goal);
  }
}

async function contributions(ctx: RunContext, source: Goal, target: Goal | undefined): Promise<void> {
  const name = `"${source.name}"`;
  const [had, has] = await Promise.all([
    ctx.source.pages(`/v1/goals/${source.goalId}/contributions`, Contribution),
    target ? ctx.target.pages(`/v1/goals/${target.goalId}/contributions`, Contribution) : Promise.resolve([]),
  ]);
  const { missing, extra } = planContributions(had, has);
  ctx.tally.count("contributions", "unchanged", had.length - missing.length);
  if (extra.length)
    warn(ctx, `goal ${name} has ${extra.length} contribution(s) in the target that the source has not`);
  if (missing.length) {
    ctx.io.out(`goals: ${name}: ${doing(ctx, "adding", "add")} ${missing.length} contribution(s)`);
    ctx.tally.count("contributions", "created", missing.length);
  }
  if (ctx.dryRun || !target) return;
  let goal = target;
  if (missing.length && goal.status === "cancelled") {
    goal = await ctx.target.json("PUT", `/v1/goals/${goal.goalId}`, Goal, {
      body: { status: "active" },
      ifMatch: goal.version,
    });
  }
  for (const c of missing) {
    const answer = await ctx.target.json(
      "POST",
      `/v1/goals/${goal.goalId}/contributions`,
      ContributionResult,
      {
        body: { amount: c.amount, date: c.date, ...(c.note !== null ? { note: c.note } : {}) },
        // Stable across runs: a contribution that landed without its answer is not made twice.
        idempotencyKey: `tyche-transfer-${goal.goalId}-${c.contributionId}`,
      },
    );
    goal = answer.goal;
  }
  if (goal.status !== source.status) {
    ctx.io.out(`goals: ${name}: setting its status to ${source.status}, as the source has it`);
    try {
      await ctx.target.json("PUT", `/v1/goals/${goal.goalId}`, Goal, {
        body: { status: source.status },
        ifMatch: goal.version,
      });
    } catch (err) {
      warn(ctx, `goal ${name} could not be made ${source.status}: ${(err as Error).message}`);
    }
  }
}

/** The debt-free goal (one per user, GET/PUT /v1/debt/goal): its target month and strategy. */
export async function transferDebtGoal(ctx: RunContext): Promise<void> {
  const [source, target] = await Promise.all([
    ctx.source.optional("/v1/debt/goal", DebtGoal),
    ctx.target.optional("/v1/debt/goal", DebtGoal),
  ]);
  const step = planDebtGoal(source, target);
  if (step.action === "none") return;
  if (step.action === "skip") {
    ctx.tally.count("debt-free goal", "skipped");
    warn(ctx, `the debt-free goal is left out: ${step.reason}`);
  } else if (step.action === "same") ctx.tally.count("debt-free goal", "unchanged");
  else {
    ctx.io.out(
      `debt-free goal: ${doing(ctx, "setting", "set")} ${step.body.targetMonth} (${step.body.strategy})`,
    );
    ctx.tally.count("debt-free goal", step.version === 0 ? "created" : "updated");
    if (!ctx.dryRun)
      await ctx.target.json("PUT", "/v1/debt/goal", DebtGoal, { body: step.body, ifMatch: step.version });
  }
}
