import type { CategoryGroup } from "@tyche/types";

/** A budget category as the month has it: its limit and what was spent in it, in cents. */
export interface ShortfallCategory {
  categoryId: string;
  name: string;
  group: CategoryGroup;
  limit: number;
  spent: number;
}

/** An over-budget category, and what cutting it back to its limit frees. */
export interface ShortfallCut {
  categoryId: string;
  name: string;
  limit: number;
  spent: number;
  /** spent − limit. */
  overBy: number;
}

export interface ShortfallCuts {
  cuts: ShortfallCut[];
  cutsTotal: number;
  /** Whether cutting every listed category back to its limit frees at least `missing`. */
  closesGap: boolean;
}

// Code-unit order rather than localeCompare: the same month gives the same cuts wherever it runs.
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function cents(value: number, what: string, min = Number.MIN_SAFE_INTEGER) {
  if (!Number.isSafeInteger(value) || value < min) {
    const from = min === 0 ? " from 0" : "";
    throw new RangeError(`${what} must be a whole number of cents${from}, not ${value}`);
  }
}

/**
 * Where a month short of its cards' minimums by `missing` cents could find them. The month's
 * availableForDebtPayoff takes, for each category outside the debt group, the larger of its limit
 * and what was spent, so an over-budget category cut back to its limit frees spent − limit and
 * nothing else does: spending under a limit is already counted at the limit. The largest overruns
 * come first (ties by name, then id), as few as close the gap, or all of them when they cannot.
 */
export function shortfallCuts(missing: number, categories: readonly ShortfallCategory[]): ShortfallCuts {
  cents(missing, "missing");
  const over: ShortfallCut[] = [];
  for (const c of categories) {
    // A limit of at least 0 keeps spent − limit a safe integer; spent may be negative (refunds).
    cents(c.limit, `limit of ${c.categoryId}`, 0);
    cents(c.spent, `spent of ${c.categoryId}`);
    if (c.group === "debt" || c.spent <= c.limit) continue;
    const { categoryId, name, limit, spent } = c;
    over.push({ categoryId, name, limit, spent, overBy: spent - limit });
  }
  if (missing <= 0) return { cuts: [], cutsTotal: 0, closesGap: true };
  over.sort((a, b) => b.overBy - a.overBy || byText(a.name, b.name) || byText(a.categoryId, b.categoryId));

  const cuts: ShortfallCut[] = [];
  let cutsTotal = 0;
  for (const cut of over) {
    if (cutsTotal >= missing) break;
    cuts.push(cut);
    cutsTotal += cut.overBy;
  }
  // Only the last cut can take the total past 2^53 (every earlier total was below `missing`).
  if (!Number.isSafeInteger(cutsTotal)) throw new RangeError(`cuts total past whole cents: ${cutsTotal}`);
  return { cuts, cutsTotal, closesGap: cutsTotal >= missing };
}
