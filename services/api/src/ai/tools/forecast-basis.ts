import {
  addMonths,
  FieldRangeError,
  type ForecastCategory,
  type ForecastGoal,
  type PayoffCard,
} from "@tyche/core";
import type { Budget, DebtBasis, Goal } from "@tyche/types";
import { z } from "zod";
import { DebtBasisReader } from "../../debt/debt-basis";
import { DomainError, type FieldError } from "../../errors";
import type { Services } from "../../services";
import type { ToolContext } from "./tool";

/** The strategies a forecast may plan with: each puts money beyond the minimums somewhere. */
export const ForecastStrategy = z
  .enum(["avalanche", "snowball", "highest-interest"])
  .default("avalanche")
  .describe(
    "How the payoff engine orders the cards for extra money; avalanche (highest APR first) by default",
  );

/** What the forecast and the optimiser plan from: the month's budget, the cards and the active goals. */
export interface ForecastBasis {
  month: string;
  currency: string;
  budget: Budget;
  categories: ForecastCategory[];
  cards: PayoffCard[];
  cardsExcluded: DebtBasis["excluded"];
  minimumsDue: number;
  goals: { view: Goal; forecast: ForecastGoal }[];
}

const PAGE = 100;
/** The months a goal's pace averages (docs/GOALS.md): the three before today's. */
const PACE_MONTHS = 3;

/** A "not found" that names the field, so the model knows which id to fix; as the API's 404 does. */
export const notFoundField = (what: string, path: string, message: string) =>
  new DomainError("not-found", `${what} not found`, { errors: [{ path, message }] });

/** A core RangeError about the input, as the domain's invalid-field error, so the model can fix it. */
export function asFieldError(err: unknown): unknown {
  return err instanceof FieldRangeError
    ? new DomainError("invalid", "The input cannot be planned with", {
        errors: [{ path: err.field, message: err.reason }],
      })
    : err;
}

/**
 * A goal's net contributions by month, read newest first. The pace needs only the three months
 * before today's and whether the goal had any earlier month, so reading stops at the first page
 * that reaches before them: a contribution kept from there still moves the goal's start month back.
 */
async function monthlyNetOf(s: Services, ctx: ToolContext, goalId: string): Promise<Record<string, number>> {
  const since = addMonths(ctx.today.slice(0, 7), -PACE_MONTHS);
  const net: Record<string, number> = {};
  let cursor: string | undefined;
  do {
    const page = await s.goals.contributions(ctx.owner, goalId, {
      limit: PAGE,
      ...(cursor ? { cursor } : {}),
    });
    for (const c of page.items) {
      const month = c.date.slice(0, 7);
      net[month] = (net[month] ?? 0) + c.amount;
    }
    const oldest = page.items.at(-1);
    cursor = oldest && oldest.date.slice(0, 7) < since ? undefined : page.nextCursor;
  } while (cursor);
  return net;
}

/** Every active goal of the caller, from the table (consistent, unlike the status index). */
async function activeGoals(s: Services, ctx: ToolContext): Promise<Goal[]> {
  const out: Goal[] = [];
  let cursor: string | undefined;
  do {
    const page = await s.goals.list(ctx.owner, { limit: PAGE, ...(cursor ? { cursor } : {}) });
    out.push(...page.items.filter((g) => g.status === "active"));
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

/**
 * Reads what a forecast plans from, for the caller only: the month's budget and live cards (the
 * debt plan's own reader, so the cards planned and excluded are the same), and the active goals
 * with their contributions by month. A month without a budget has nothing to forecast: an error
 * naming `month`.
 */
export async function readForecastBasis(
  s: Services,
  ctx: ToolContext,
  month: string,
): Promise<ForecastBasis> {
  const [basis, goals] = await Promise.all([
    new DebtBasisReader(s.cards, s.budgets).read(ctx.owner, { month }),
    activeGoals(s, ctx),
  ]);
  if (!basis.budget) {
    throw notFoundField(
      `A budget for ${month}`,
      "month",
      "has no budget: plan the month first (POST /v1/budgets)",
    );
  }
  const nets = await Promise.all(goals.map((g) => monthlyNetOf(s, ctx, g.goalId)));
  return {
    month,
    currency: basis.view.currency,
    budget: basis.budget,
    categories: basis.budget.categories.map((c) => ({
      categoryId: c.categoryId,
      name: c.name,
      group: c.group,
      limit: c.limit,
      spent: c.spent,
    })),
    cards: basis.cards,
    cardsExcluded: basis.view.excluded,
    minimumsDue: basis.view.minimumsDue,
    goals: goals.map((g, i) => ({
      view: g,
      forecast: {
        goalId: g.goalId,
        name: g.name,
        targetAmount: g.targetAmount,
        currentAmount: g.currentAmount,
        targetDate: g.targetDate,
        monthlyNet: nets[i] ?? {},
        createdOn: g.createdAt.slice(0, 10),
      },
    })),
  };
}

/**
 * The categories a change names, checked against the caller's own: one of another user (or none)
 * is not found, an archived one is refused. A category of the caller's that the month has not
 * planned joins the forecast at a limit of 0 with nothing spent, which changes no total.
 */
export async function withNamedCategories(
  s: Services,
  ctx: ToolContext,
  basis: ForecastBasis,
  named: readonly { path: string; categoryId: string }[],
): Promise<ForecastCategory[]> {
  const categories = [...basis.categories];
  const inBudget = new Set(categories.map((c) => c.categoryId));
  const missing = named.filter((n) => !inBudget.has(n.categoryId));
  if (missing.length === 0) return categories;
  const own = new Map((await s.categories.list(ctx.owner, true)).map((c) => [c.categoryId, c]));
  const unknown: FieldError[] = [];
  const archived: FieldError[] = [];
  for (const n of missing) {
    const c = own.get(n.categoryId);
    if (!c) unknown.push({ path: n.path, message: "is not one of your categories" });
    else if (c.archived) archived.push({ path: n.path, message: "is an archived category" });
    else if (!inBudget.has(c.categoryId)) {
      inBudget.add(c.categoryId);
      categories.push({ categoryId: c.categoryId, name: c.name, group: c.group, limit: 0, spent: 0 });
    }
  }
  // Another user's category answers exactly as a missing one does.
  const [errors, failure] = unknown.length ? [unknown, "not-found" as const] : [archived, "invalid" as const];
  if (errors.length) {
    throw new DomainError(failure, failure === "not-found" ? "Category not found" : "Category archived", {
      errors,
    });
  }
  return categories;
}
