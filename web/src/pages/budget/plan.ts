import { type CategoryInfo, summariseBudget } from "@tyche/core";
import {
  type Allocation,
  type Budget,
  BudgetCreate,
  BudgetUpdate,
  CATEGORY_GROUPS,
  type Category,
  type CategoryGroup,
  MAX_CENTS,
} from "@tyche/types";
import { centsToInput, money, parseMoney } from "../../ui/format";

/** One category the form plans: what the API calls it and where it belongs. */
export interface PlanRow {
  categoryId: string;
  name: string;
  group: CategoryGroup;
  color: string;
  archived: boolean;
  /** Spent in the month so far (net of refunds). */
  spent: number;
  /** What the month's recurring bills take from the category (the API's view of a planned month). */
  committed: number;
}

/** What the person typed, kept as typed (a draft survives reloads), and the version it edits. */
export interface PlanDraft {
  /** The plan's version the edits began from; null when the month had no plan. */
  baseVersion: number | null;
  income: string;
  limits: Record<string, string>;
}

export const GROUP_LABELS: Record<CategoryGroup, string> = {
  essential: "Essential",
  discretionary: "Discretionary",
  savings: "Savings",
  debt: "Debt",
};

export const GROUPS = CATEGORY_GROUPS;

const GROUP_ORDER = Object.fromEntries(CATEGORY_GROUPS.map((g, i) => [g, i])) as Record<
  CategoryGroup,
  number
>;

/**
 * The categories the form shows, in the API's order (group, then name): every active category,
 * and an archived one only while this month still gives it a limit (the API lets it keep that).
 */
export function planRows(
  categories: readonly Category[],
  budget: Budget | null,
  unplannedSpending: Readonly<Record<string, number>> = {},
): PlanRow[] {
  const byId = new Map(categories.map((c) => [c.categoryId, c]));
  const inPlan = new Map((budget?.categories ?? []).map((c) => [c.categoryId, c]));
  const rows: PlanRow[] = [];
  for (const c of categories) {
    if (c.archived && !((inPlan.get(c.categoryId)?.limit ?? 0) > 0)) continue;
    rows.push({
      categoryId: c.categoryId,
      name: c.name,
      group: c.group,
      color: c.color,
      archived: c.archived,
      spent: budget ? (inPlan.get(c.categoryId)?.spent ?? 0) : (unplannedSpending[c.categoryId] ?? 0),
      committed: inPlan.get(c.categoryId)?.committed ?? 0,
    });
  }
  // A limit the month keeps for a category no longer listed (archived since) stays in the plan.
  for (const v of budget?.categories ?? []) {
    if (!byId.has(v.categoryId) && v.limit > 0) {
      rows.push({
        categoryId: v.categoryId,
        name: v.name,
        group: v.group,
        color: v.color,
        archived: true,
        spent: v.spent,
        committed: v.committed,
      });
    }
  }
  return rows.sort((a, b) => GROUP_ORDER[a.group] - GROUP_ORDER[b.group] || a.name.localeCompare(b.name));
}

/** The form as the stored plan has it (or, for a new month, each category's default limit). */
export function draftFrom(
  budget: Budget | null,
  rows: readonly PlanRow[],
  categories: readonly Category[],
  currency: string,
): PlanDraft {
  const limits: Record<string, string> = {};
  const planned = new Map((budget?.categories ?? []).map((c) => [c.categoryId, c.limit]));
  const defaults = new Map(categories.map((c) => [c.categoryId, c.limit ?? 0]));
  for (const r of rows) {
    const cents = budget ? (planned.get(r.categoryId) ?? 0) : (defaults.get(r.categoryId) ?? 0);
    limits[r.categoryId] = centsToInput(cents, currency);
  }
  return {
    baseVersion: budget?.version ?? null,
    income: budget ? centsToInput(budget.totalIncome, currency) : "",
    limits,
  };
}

/** The form filled from another month's plan (categories it did not plan get 0). */
export function draftCopiedFrom(
  source: Budget,
  rows: readonly PlanRow[],
  baseVersion: number | null,
  currency: string,
): PlanDraft {
  const limits = new Map(source.categories.map((c) => [c.categoryId, c.limit]));
  return {
    baseVersion,
    income: centsToInput(source.totalIncome, currency),
    limits: Object.fromEntries(
      rows.map((r) => [r.categoryId, centsToInput(limits.get(r.categoryId) ?? 0, currency)]),
    ),
  };
}

/** An amount typed in the form as cents: an empty box is 0, anything unreadable is undefined. */
export function amountOf(text: string | undefined, currency: string): number | undefined {
  if (text === undefined || text.trim() === "") return 0;
  return parseMoney(text, currency);
}

/** A typed amount as the figures may use it: a valid number of cents, else 0 until it is fixed. */
const usable = (cents: number | undefined) =>
  cents !== undefined && Number.isSafeInteger(cents) && cents >= 0 && cents <= MAX_CENTS ? cents : 0;

export interface LiveFigures {
  totalIncome: number;
  totalBudgeted: number;
  unallocated: number;
  availableForDebtPayoff: number;
  /** Each row's limit in cents as the figures count it. */
  limits: Record<string, number>;
}

/**
 * The month's figures as the form stands, computed with the very function the API uses
 * (`summariseBudget` from @tyche/core), so what the page shows is what a save will store.
 */
export function liveFigures(
  draft: PlanDraft,
  rows: readonly PlanRow[],
  budget: Budget | null,
  unplannedSpending: Readonly<Record<string, number>>,
  currency: string,
): LiveFigures {
  const limits: Record<string, number> = {};
  const allocations: Allocation[] = rows.map((r) => {
    const limit = usable(amountOf(draft.limits[r.categoryId], currency));
    limits[r.categoryId] = limit;
    return { categoryId: r.categoryId, limit };
  });
  // The groups as the API sees them: its own view of the month first, then the form's categories.
  const info = new Map<string, CategoryInfo>();
  for (const r of rows) info.set(r.categoryId, { ...r, type: r.categoryId });
  for (const c of budget?.categories ?? []) info.set(c.categoryId, c);
  const spentByCategory = budget
    ? Object.fromEntries(budget.categories.filter((c) => c.spent !== 0).map((c) => [c.categoryId, c.spent]))
    : unplannedSpending;
  const totalIncome = usable(amountOf(draft.income, currency));
  const summary = summariseBudget({ totalIncome, allocations, spentByCategory }, info);
  return {
    totalIncome,
    totalBudgeted: summary.totalBudgeted,
    unallocated: summary.unallocated,
    availableForDebtPayoff: summary.availableForDebtPayoff,
    limits,
  };
}

/** Where a problem is shown: the income box, one category's row, or the form as a whole. */
export type FieldKey = "income" | `limit:${string}` | `category:${string}` | "form";

export type Problems = Partial<Record<FieldKey, string>>;

/** The wording of a message about one field, from the schema's or the API's own words. */
function worded(path: string, message: string, currency: string): string {
  const readable = message.replace(
    /at most (\d+) cents/,
    (_, n: string) => `at most ${money(Number(n), currency)}`,
  );
  if (path === "totalIncome") return `Income ${readable}`;
  if (path.endsWith(".limit")) return `Limit ${readable}`;
  if (path.endsWith(".categoryId")) return `This category ${readable}`;
  return readable;
}

/** An API or schema path (`categories.3.limit`, `totalIncome`) as the form's field. */
export function fieldOf(path: string, rows: readonly PlanRow[]): FieldKey {
  if (path === "totalIncome") return "income";
  const m = /^categories\.(\d+)\.(limit|categoryId)$/.exec(path);
  const row = m ? rows[Number(m[1])] : undefined;
  if (m && row) return m[2] === "limit" ? `limit:${row.categoryId}` : `category:${row.categoryId}`;
  return "form";
}

/** Problems reported for paths (by the schema or the API), placed by their fields. */
export function placeProblems(
  errors: readonly { path: string; message: string }[],
  rows: readonly PlanRow[],
  currency: string,
): Problems {
  const out: Problems = {};
  for (const e of errors) {
    const key = fieldOf(e.path, rows);
    out[key] ??= key === "form" && e.path ? `${e.path} ${e.message}` : worded(e.path, e.message, currency);
  }
  return out;
}

export type Checked =
  | { ok: true; body: { totalIncome: number; categories: Allocation[] } }
  | { ok: false; problems: Problems };

/**
 * The form checked before anything is sent: amounts must read as money, then the request must pass
 * the API's own schema (BudgetCreate for a new month, BudgetUpdate otherwise).
 */
export function checkPlan(
  draft: PlanDraft,
  rows: readonly PlanRow[],
  month: string,
  creating: boolean,
  currency: string,
): Checked {
  const problems: Problems = {};
  const income = draft.income.trim() === "" ? undefined : parseMoney(draft.income, currency);
  if (draft.income.trim() === "") problems.income = "Enter the income you expect this month";
  else if (income === undefined) problems.income = "Income must be an amount such as 2500.00";
  const categories: Allocation[] = rows.map((r) => {
    const cents = amountOf(draft.limits[r.categoryId], currency);
    if (cents === undefined) problems[`limit:${r.categoryId}`] = "Limit must be an amount such as 120.00";
    return { categoryId: r.categoryId, limit: cents ?? 0 };
  });
  const body = { totalIncome: income ?? 0, categories };
  const parsed = creating ? BudgetCreate.safeParse({ month, ...body }) : BudgetUpdate.safeParse(body);
  if (!parsed.success) {
    const placed = placeProblems(
      parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      rows,
      currency,
    );
    for (const [k, v] of Object.entries(placed) as [FieldKey, string][]) problems[k] ??= v;
  }
  return Object.keys(problems).length ? { ok: false, problems } : { ok: true, body };
}

/** The slider's range for a limit: to the larger of the income and twice the limit, in major units. */
export function sliderMax(limitCents: number, incomeCents: number, unit: number): number {
  const floor = 500 * unit;
  return Math.ceil(Math.max(incomeCents, 2 * limitCents, floor) / unit);
}
