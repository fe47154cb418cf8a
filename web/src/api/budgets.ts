import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { Budget, BudgetCreate, BudgetUpdate, MonthAnalytics } from "@tyche/types";
import { ApiError, api } from "./client";
import { keys, refreshMoney } from "./queries";

/** The If-Match value for a plan at `version` (the API's ETag is the version in quotes). */
export const ifMatch = (version: number) => `"${version}"`;

/** A month's plan as stored now, read past every cache; null when the month has none. */
export async function fetchBudget(month: string, signal?: AbortSignal): Promise<Budget | null> {
  try {
    return await api.get<Budget>(`/v1/budgets/${month}`, signal);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

/** A month's plan with its figures; `null` (not an error) when the month is not planned yet. */
export const useBudget = (month: string) =>
  useQuery({
    queryKey: keys.budget(month),
    queryFn: ({ signal }) => fetchBudget(month, signal),
  });

/**
 * What each category has spent in a month that has no plan yet (a planned month's own figures
 * carry it), so the live figures of a new plan count spending already recorded, as the API will.
 */
export const useUnplannedSpending = (month: string, enabled: boolean) =>
  useQuery({
    queryKey: [...keys.analytics(month), "spent-by-category"],
    queryFn: ({ signal }) => api.get<MonthAnalytics>(`/v1/budgets/${month}/analytics`, signal),
    select: (a): Record<string, number> =>
      Object.fromEntries(a.categories.filter((c) => c.spent !== 0).map((c) => [c.categoryId, c.spent])),
    enabled,
  });

export type SavePlan =
  | { kind: "create"; body: BudgetCreate }
  | { kind: "update"; body: BudgetUpdate; version: number };

/** Saves a month's plan: POST when it has none, PUT with If-Match when it has (412 when stale). */
export function useSaveBudget(month: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (plan: SavePlan) =>
      plan.kind === "create"
        ? api.send<Budget>("POST", "/v1/budgets", plan.body)
        : api.send<Budget>("PUT", `/v1/budgets/${month}`, plan.body, { "if-match": ifMatch(plan.version) }),
    onSuccess: async (budget) => {
      queries.setQueryData(keys.budget(month), budget);
      await refreshMoney(queries);
    },
  });
}

/** Plans a new month as a copy of an earlier one (POST with copyFrom): its income and allocations. */
export function useCopyBudget(month: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (copyFrom: string) => api.send<Budget>("POST", "/v1/budgets", { month, copyFrom }),
    onSuccess: async (budget) => {
      queries.setQueryData(keys.budget(month), budget);
      await refreshMoney(queries);
    },
  });
}
