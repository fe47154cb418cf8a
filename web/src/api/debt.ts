import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  Card,
  CardCreate,
  CardPaymentCreate,
  CardPaymentResult,
  CardUpdate,
  DebtComparison,
  DebtGoal,
  DebtGoalInput,
  DebtPlan,
  DebtProgress,
  DebtWhatIf,
  PayoffStrategyName,
} from "@tyche/types";
import { ApiError, api, ifMatch } from "./client";
import { keys, refreshMoney } from "./queries";

/** A query string from the parameters that are set, in a fixed order (it is also the query key). */
function queryOf(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== "") search.set(name, String(value));
  return search.toString();
}

/** The open cards, with what is owed, their terms, utilisation and this month's minimum. */
export const useCards = () =>
  useQuery({
    queryKey: keys.cards,
    queryFn: ({ signal }) => api.get<{ items: Card[] }>("/v1/cards", signal),
    select: (r) => r.items,
  });

export function useCreateCard() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (input: CardCreate) => api.send<Card>("POST", "/v1/cards", input),
    onSuccess: () => refreshMoney(queries),
  });
}

/** Changes a card's name or terms; a card without terms is at version 0 and gets them here. */
export function useUpdateCard() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ card, patch }: { card: Card; patch: CardUpdate }) =>
      api.send<Card>("PUT", `/v1/cards/${card.cardId}`, patch, ifMatch(card.version)),
    onSuccess: () => refreshMoney(queries),
  });
}

/** Deletes a card without transactions; the API closes one that has some, and says which it did. */
export function useDeleteCard() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (card: Card) =>
      api.send<{ result: "deleted" | "closed" }>(
        "DELETE",
        `/v1/cards/${card.cardId}`,
        undefined,
        ifMatch(card.version),
      ),
    onSuccess: () => refreshMoney(queries),
  });
}

/**
 * Records a payment into a card. `key` is the Idempotency-Key: the same for a retry of the same
 * payment (a double click, a lost answer), so it is recorded once.
 */
export function usePayCard() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ card, payment, key }: { card: Card; payment: CardPaymentCreate; key: string }) =>
      api.send<CardPaymentResult>("POST", `/v1/cards/${card.cardId}/payments`, payment, {
        "idempotency-key": key,
      }),
    onSuccess: (result) => {
      queries.setQueryData<{ items: Card[] }>(keys.cards, (old) =>
        old ? { items: old.items.map((c) => (c.cardId === result.card.cardId ? result.card : c)) } : old,
      );
      return refreshMoney(queries);
    },
  });
}

export interface DebtParams {
  month: string;
  /** The monthly amount typed by the person, in cents; the budget's when undefined. */
  monthly?: number | undefined;
}

/** One strategy's plan, month by month (its schedule is the balance-over-time chart). */
export const useDebtPlan = (params: DebtParams & { strategy: PayoffStrategyName }, enabled = true) => {
  const query = queryOf({ strategy: params.strategy, month: params.month, monthly: params.monthly });
  return useQuery({
    queryKey: keys.debt("plan", query),
    queryFn: ({ signal }) => api.get<DebtPlan>(`/v1/debt/plan?${query}`, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
};

/** Every strategy side by side, against the minimums alone. */
export const useDebtComparison = (params: DebtParams, enabled = true) => {
  const query = queryOf({ month: params.month, monthly: params.monthly });
  return useQuery({
    queryKey: keys.debt("compare", query),
    queryFn: ({ signal }) => api.get<DebtComparison>(`/v1/debt/compare?${query}`, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
};

export interface WhatIfParams extends DebtParams {
  strategy: PayoffStrategyName;
  /** Cents more every month. */
  extra: number;
  /** A one-off payment, in cents, in `snowflakeMonth`. */
  snowflake?: { amount: number; month: string } | undefined;
}

/** The plan as it is against the plan with more a month or a one-off payment. */
export const useDebtWhatIf = (params: WhatIfParams, enabled = true) => {
  const query = queryOf({
    strategy: params.strategy,
    month: params.month,
    monthly: params.monthly,
    extra: params.extra,
    snowflake: params.snowflake?.amount,
    snowflakeMonth: params.snowflake?.month,
  });
  return useQuery({
    queryKey: keys.debt("what-if", query),
    queryFn: ({ signal }) => api.get<DebtWhatIf>(`/v1/debt/what-if?${query}`, signal),
    // The slider's previous answer stays in view until the next one arrives.
    placeholderData: keepPreviousData,
    enabled,
  });
};

/** How the debt went, a snapshot per month from `from` to `to`. */
export const useDebtProgress = (from: string, to: string, enabled = true) => {
  const query = queryOf({ from, to });
  return useQuery({
    queryKey: keys.debt("progress", query),
    queryFn: ({ signal }) => api.get<DebtProgress>(`/v1/debt/progress?${query}`, signal),
    enabled,
  });
};

/** The debt-free goal with the plan's assessment of it; null (not an error) when none is set. */
export const useDebtGoal = (enabled = true) =>
  useQuery({
    queryKey: keys.debtGoal,
    queryFn: async ({ signal }) => {
      try {
        return await api.get<DebtGoal>("/v1/debt/goal", signal);
      } catch (err) {
        if (err instanceof ApiError && err.status === 404) return null;
        throw err;
      }
    },
    enabled,
  });

export function useSaveDebtGoal() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (input: DebtGoalInput) => api.send<DebtGoal>("PUT", "/v1/debt/goal", input),
    onSuccess: (goal) => queries.setQueryData(keys.debtGoal, goal),
  });
}

export function useDeleteDebtGoal() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () => api.send<unknown>("DELETE", "/v1/debt/goal"),
    onSuccess: () => queries.setQueryData(keys.debtGoal, null),
  });
}
