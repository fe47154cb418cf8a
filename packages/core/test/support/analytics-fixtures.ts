import type { CategoryAnalytics, CategoryGroup } from "@tyche/types";
import {
  type AnalyticsInput,
  type AnalyticsTransaction,
  computeMonthAnalytics,
  type MonthFigures,
} from "../../src/analytics";
import type { CategoryInfo } from "../../src/budget-math";
import { type AccountKind, transferLegs } from "../../src/ledger";

/** June 2025: a 30-day month, the one the worked example of docs/ANALYTICS.md assumes. */
export const MONTH = "2025-06";

const info = (categoryId: string, name: string, group: CategoryGroup): CategoryInfo => ({
  categoryId,
  name,
  type: categoryId,
  group,
  color: "#123456",
  archived: false,
});

/** The user's categories: two essentials, three discretionary, a savings and a debt category. */
export const CATEGORIES: ReadonlyMap<string, CategoryInfo> = new Map(
  [
    info("groceries", "Groceries", "essential"),
    info("rent", "Rent", "essential"),
    info("dining", "Dining out", "discretionary"),
    info("entertainment", "Entertainment", "discretionary"),
    info("coffee", "Coffee", "discretionary"),
    info("emergency", "Emergency fund", "savings"),
    info("cards", "Card payments", "debt"),
  ].map((c) => [c.categoryId, c]),
);

let sequence = 0;
const nextId = () => `t${String(++sequence).padStart(4, "0")}`;

type Extra = Partial<Omit<AnalyticsTransaction, "type" | "amount">>;

function entry(type: AnalyticsTransaction["type"], amount: number, extra: Extra): AnalyticsTransaction {
  return {
    transactionId: nextId(),
    date: `${MONTH}-10`,
    amount,
    type,
    categoryId: null,
    splits: null,
    onBudget: true,
    transfer: null,
    merchant: null,
    merchantKey: null,
    ...extra,
  };
}

export const expense = (categoryId: string | null, amount: number, extra: Extra = {}) =>
  entry("expense", amount, { categoryId, ...extra });
export const refund = (categoryId: string | null, amount: number, extra: Extra = {}) =>
  entry("refund", amount, { categoryId, ...extra });
export const income = (amount: number, extra: Extra = {}) => entry("income", amount, extra);

/** An expense (or refund) split over categories, `[categoryId, amount]` each: its amount is their sum. */
export const split = (
  parts: readonly (readonly [string, number])[],
  extra: Extra = {},
  type: "expense" | "refund" = "expense",
) =>
  entry(
    type,
    parts.reduce((sum, [, amount]) => sum + amount, 0),
    { categoryId: null, splits: parts.map(([categoryId, amount]) => ({ categoryId, amount })), ...extra },
  );

export interface Account {
  onBudget: boolean;
  type: AccountKind;
}
export const CHECKING: Account = { onBudget: true, type: "checking" };
export const SAVINGS: Account = { onBudget: true, type: "savings" };
export const CARD: Account = { onBudget: true, type: "credit-card" };
export const OTHER_CARD: Account = { onBudget: true, type: "credit-card" };
export const BROKERAGE: Account = { onBudget: false, type: "savings" };
export const TRACKED_CARD: Account = { onBudget: false, type: "credit-card" };

/** Both legs of a transfer, as the transactions service stores them (transferPair). */
export function transfer(
  from: Account,
  to: Account,
  amount: number,
  extra: Extra = {},
): [AnalyticsTransaction, AnalyticsTransaction] {
  const legs = transferLegs(from, to);
  return [
    entry("transfer", amount, { ...extra, onBudget: from.onBudget, transfer: legs.out }),
    entry("transfer", amount, { ...extra, onBudget: to.onBudget, categoryId: null, transfer: legs.in }),
  ];
}

export interface Setup extends Partial<Omit<AnalyticsInput, "budget">> {
  /** Category limits; with `plannedIncome` they make the month's plan. */
  limits?: Record<string, number>;
  plannedIncome?: number;
  /** No plan at all for the month. */
  unplanned?: boolean;
}

export function analyticsInput(setup: Setup = {}): AnalyticsInput {
  const { limits = {}, plannedIncome = 0, unplanned = false, ...rest } = setup;
  return {
    month: MONTH,
    currency: "USD",
    budget: unplanned
      ? null
      : {
          totalIncome: plannedIncome,
          allocations: Object.entries(limits).map(([categoryId, limit]) => ({ categoryId, limit })),
        },
    categories: CATEGORIES,
    transactions: [],
    history: [],
    priorCharges: [],
    today: `${MONTH}-15`,
    ...rest,
  };
}

export const analyse = (setup: Setup = {}): MonthFigures => computeMonthAnalytics(analyticsInput(setup));

export function categoryOf(figures: MonthFigures, categoryId: string): CategoryAnalytics {
  const found = figures.categories.find((c) => c.categoryId === categoryId);
  if (!found) throw new Error(`no figures for category ${categoryId}`);
  return found;
}
