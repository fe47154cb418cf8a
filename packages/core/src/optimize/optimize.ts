import type { CategoryGroup } from "@tyche/types";
import { availableForDebtPayoff } from "../budget-math";
import { checkCents, FieldRangeError } from "../forecast/field-error";
import { type BeforeAfter, beforeAfter } from "../forecast/forecast";
import { formatCents } from "../money";

/** A month's budget category with what the optimiser weighs: its spending, history and bills. */
export interface OptimizeCategory {
  categoryId: string;
  name: string;
  group: CategoryGroup;
  limit: number;
  /** Spent so far this month, net of refunds. */
  spent: number;
  /**
   * Average spending of the months before that had any transaction (the month analytics'
   * threeMonthAverage, up to three months); null when there is no such month.
   */
  historyAverage: number | null;
  historyMonths: number;
  /** The month's recurring bills in the category: fixed costs a limit must leave room for. */
  bills: number;
}

export interface OptimizeInput {
  currency: string;
  /** The month's planned income. */
  income: number;
  categories: readonly OptimizeCategory[];
  /** Category ids never lowered, each with why (the user asked; it saves toward the goal funded). */
  protect?: ReadonlyMap<string, string>;
  /** Cents to free at most; without it, as much as the rules allow. */
  target?: number;
}

/**
 * How deep a cut went. `unused`: limit above what the category needs by its history (and its
 * spending and bills), which the month is not expected to use. `habit`: a discretionary category
 * below its own history, down to what it has spent: spending less than usual.
 */
export type CutKind = "unused" | "habit";

export interface CategoryProposal {
  categoryId: string;
  name: string;
  group: CategoryGroup;
  from: number;
  to: number;
  /** to − from: 0 or below (the optimiser only cuts). */
  change: number;
  spent: number;
  historyAverage: number | null;
  bills: number;
  /** The least this category could be given under the rules; equal to `from` when it is kept. */
  floor: number;
  cuts: CutKind[];
  reason: string;
}

export interface Optimization {
  /** Every category, in the order given. */
  categories: CategoryProposal[];
  /** What the cuts free a month: the sum of from − to. */
  freed: number;
  target: number | null;
  /** Whether `freed` reaches the target; null without one. */
  targetMet: boolean | null;
  /** target − freed when the rules cannot free the target, else 0. */
  shortBy: number;
  /** This month: each category commits max(limit, spent). */
  availableThisMonth: BeforeAfter;
  /** A later month with the budget kept: each category commits its limit. */
  availableLaterMonths: BeforeAfter;
}

export const OPTIMIZE_RULES: readonly string[] = [
  "The debt group is never changed: it is not committed spending, so cutting it frees nothing.",
  "A protected category is never lowered.",
  "No limit goes below what the category has already spent this month, nor below its recurring bills due this month.",
  "A savings category is kept: it is money set aside, not spending, so its spending history says nothing about what it needs.",
  "An essential category is lowered only to its recent need: the largest of its spending so far, its bills and its average spending over the last three months; with no history it is kept.",
  "A discretionary category is first lowered to that same recent need; only if that is not enough is it cut below its history, down to what it has spent: a real change of habit, and the reason says so.",
  "Unused limit goes first, the largest first; cuts below history come after, the largest first (ties by name, then id). With a target, cutting stops as soon as the target is freed.",
];

// Code-unit order rather than localeCompare: the same budget gives the same proposal everywhere.
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Room {
  index: number;
  amount: number;
}

function validate(input: OptimizeInput): void {
  checkCents("income", input.income);
  if (input.target !== undefined) checkCents("target", input.target);
  const ids = new Set<string>();
  for (const c of input.categories) {
    if (ids.has(c.categoryId)) throw new FieldRangeError("categories", `lists ${c.categoryId} twice`);
    ids.add(c.categoryId);
    checkCents(`limit of ${c.categoryId}`, c.limit);
    checkCents(`spent of ${c.categoryId}`, c.spent, Number.MIN_SAFE_INTEGER);
    checkCents(`bills of ${c.categoryId}`, c.bills);
    if (c.historyAverage !== null)
      checkCents(`historyAverage of ${c.categoryId}`, c.historyAverage, Number.MIN_SAFE_INTEGER);
    if (!Number.isInteger(c.historyMonths) || c.historyMonths < 0) {
      throw new FieldRangeError(
        `historyMonths of ${c.categoryId}`,
        `must be a whole number from 0, not ${c.historyMonths}`,
      );
    }
  }
}

/** A category no rule lowers: the debt group, savings, and what the caller protects. */
const neverLowered = (c: OptimizeCategory, protect: ReadonlyMap<string, string>) =>
  c.group === "debt" || c.group === "savings" || protect.has(c.categoryId);

/** The two floors of a category: never below `hard`; below `need` only for a discretionary one. */
function floorsOf(c: OptimizeCategory) {
  // Refunds beyond spending leave nothing spent: a limit has nothing below 0 to respect.
  const hard = Math.max(0, c.spent, c.bills);
  const history = c.historyMonths > 0 && c.historyAverage !== null ? Math.max(0, c.historyAverage) : null;
  return { hard, history, need: history === null ? null : Math.max(hard, history) };
}

/**
 * A reallocation of category limits that frees money for the objective (docs/AI.md): every limit
 * above what the category needs by its history comes down to that need, and discretionary
 * categories may then be cut below their history, never below what they have spent; essentials
 * stay at their need, and bills, savings, protected categories and the debt group are kept
 * (OPTIMIZE_RULES). Deterministic: the
 * same budget always gives the same proposal, with a reason a person can read for every category.
 */
export function optimizeCategories(input: OptimizeInput): Optimization {
  validate(input);
  const money = (cents: number) => formatCents(cents, input.currency);
  const protect = input.protect ?? new Map<string, string>();
  const cats = input.categories;

  const unused: Room[] = [];
  const habit: Room[] = [];
  cats.forEach((c, index) => {
    if (neverLowered(c, protect)) return;
    const { hard, need } = floorsOf(c);
    if (need !== null && c.limit > need) unused.push({ index, amount: c.limit - need });
    if (c.group === "discretionary") {
      const top = Math.min(c.limit, need ?? c.limit);
      if (top > hard) habit.push({ index, amount: top - hard });
    }
  });
  const order = (a: Room, b: Room) => {
    const x = cats[a.index] as OptimizeCategory;
    const y = cats[b.index] as OptimizeCategory;
    return b.amount - a.amount || byText(x.name, y.name) || byText(x.categoryId, y.categoryId);
  };
  unused.sort(order);
  habit.sort(order);

  const cut = new Array<number>(cats.length).fill(0);
  const kinds = cats.map((): CutKind[] => []);
  const partial = new Array<boolean>(cats.length).fill(false);
  let left = input.target ?? Number.POSITIVE_INFINITY;
  for (const [kind, rooms] of [
    ["unused", unused],
    ["habit", habit],
  ] as const) {
    for (const r of rooms) {
      if (left <= 0) break;
      const take = Math.min(r.amount, left);
      cut[r.index] = (cut[r.index] ?? 0) + take;
      kinds[r.index]?.push(kind);
      if (take < r.amount) partial[r.index] = true;
      left -= take;
    }
  }

  const proposals = cats.map((c, i): CategoryProposal => {
    const by = cut[i] ?? 0;
    const to = c.limit - by;
    const { hard, history, need } = floorsOf(c);
    const floor = neverLowered(c, protect)
      ? c.limit
      : c.group === "discretionary"
        ? Math.min(c.limit, hard)
        : Math.min(c.limit, need ?? c.limit);
    return {
      categoryId: c.categoryId,
      name: c.name,
      group: c.group,
      from: c.limit,
      to,
      change: to - c.limit,
      spent: c.spent,
      historyAverage: history,
      bills: c.bills,
      floor,
      cuts: kinds[i] ?? [],
      reason: reasonFor(
        c,
        { to, by, hard, history, need, kinds: kinds[i] ?? [], partial: partial[i] ?? false },
        protect,
        money,
      ),
    };
  });

  const freed = cut.reduce((a, b) => a + b, 0);
  const after = cats.map((c, i) => ({ ...c, limit: proposals[i]?.to ?? c.limit }));
  const kept = (list: readonly OptimizeCategory[]) => list.map((c) => ({ ...c, spent: c.limit }));
  const target = input.target ?? null;
  return {
    categories: proposals,
    freed,
    target,
    targetMet: target === null ? null : freed >= target,
    shortBy: target === null ? 0 : Math.max(0, target - freed),
    availableThisMonth: beforeAfter(
      availableForDebtPayoff(input.income, cats),
      availableForDebtPayoff(input.income, after),
    ),
    availableLaterMonths: beforeAfter(
      availableForDebtPayoff(input.income, kept(cats)),
      availableForDebtPayoff(input.income, kept(after)),
    ),
  };
}

interface Decision {
  to: number;
  by: number;
  hard: number;
  history: number | null;
  need: number | null;
  kinds: readonly CutKind[];
  partial: boolean;
}

function reasonFor(
  c: OptimizeCategory,
  d: Decision,
  protect: ReadonlyMap<string, string>,
  money: (cents: number) => string,
): string {
  if (c.group === "debt") {
    return "Kept: a debt-group category is not committed spending, so cutting it would free nothing.";
  }
  const why = protect.get(c.categoryId);
  if (why !== undefined) return `Kept at ${money(c.limit)}: ${why}.`;
  if (c.group === "savings") {
    return (
      `Kept at ${money(c.limit)}: ${c.name} is money set aside, not spending, so what it spent says nothing ` +
      "about what it needs; lower it yourself to put it towards the objective instead."
    );
  }

  const spentSoFar = `it has spent ${money(Math.max(0, c.spent))} so far`;
  const bills = c.bills > 0 ? ` and has ${money(c.bills)} of bills this month` : "";
  const avg =
    d.history === null
      ? "it has no spending history yet"
      : `it spent ${money(d.history)} a month on average over the last ${c.historyMonths === 1 ? "month" : `${c.historyMonths} months`} with spending`;
  const enough = d.partial ? "; that is enough to reach the target" : "";

  if (d.by > 0) {
    const cutTo = `Cut by ${money(d.by)}, from ${money(c.limit)} to ${money(d.to)}`;
    if (!d.kinds.includes("habit")) {
      return `${cutTo}, more than it needs: ${avg}, and ${spentSoFar}${bills}${enough}.`;
    }
    if (d.history === null) {
      return (
        `${cutTo}: ${c.name} is discretionary and has no spending history yet, so it is cut towards what it ` +
        `has spent; ${spentSoFar}${bills}, and no limit goes below that${enough}.`
      );
    }
    return (
      `${cutTo}: ${c.name} is discretionary, so it is cut below its usual ${money(d.history)} a month, which ` +
      `means spending less than usual. For reference, ${avg}; ${spentSoFar}${bills}, and no limit goes below that${enough}.`
    );
  }

  if (c.limit === 0 && d.hard === 0) return `Kept at ${money(0)}: nothing is planned or spent in it.`;
  if (c.limit <= d.hard) {
    return `Kept at ${money(c.limit)}: ${spentSoFar}${bills}, which is already its whole limit or more.`;
  }
  if (c.group === "essential") {
    if (d.need === null) {
      return `Kept at ${money(c.limit)}: ${c.name} is an essential with no spending history yet, so nothing shows it needs less.`;
    }
    if (c.limit <= d.need) {
      return `Kept at ${money(c.limit)}: ${c.name} is an essential, lowered only to its recent need; ${avg}, and ${spentSoFar}${bills}.`;
    }
  }
  return `Kept at ${money(c.limit)}: the target was reached without it.`;
}
