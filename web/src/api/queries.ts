import { type QueryClient, useQuery } from "@tanstack/react-query";
import type { Account, Category, Dashboard } from "@tyche/types";
import { api } from "./client";

/**
 * Query keys, one family per resource. Every write that moves money invalidates `money` (see
 * `refreshMoney`): balances, budgets, analytics, the dashboard and transaction lists all follow
 * from the same transactions, so they are refetched together.
 */
export const keys = {
  categories: ["categories"] as const,
  /** Savings goals follow from their own contributions, not from transactions: not under money. */
  goals: ["goals"] as const,
  goalList: (status: string) => ["goals", "list", status] as const,
  goalContributions: (goalId: string) => ["goals", "contributions", goalId] as const,
  accounts: ["money", "accounts"] as const,
  /** Every account, closed ones too (the accounts page and the registers). */
  allAccounts: ["money", "accounts", "with-closed"] as const,
  account: (id: string) => ["money", "accounts", id] as const,
  budget: (month: string) => ["money", "budgets", month] as const,
  budgets: ["money", "budgets"] as const,
  dashboard: (month: string) => ["money", "dashboard", month] as const,
  analytics: (month: string) => ["money", "analytics", month] as const,
  transactions: (query: string) => ["money", "transactions", query] as const,
  transaction: (id: string) => ["money", "transaction", id] as const,
  register: (accountId: string) => ["money", "register", accountId] as const,
  imports: ["money", "imports"] as const,
  cards: ["money", "cards"] as const,
  /** Every debt answer follows from the cards and the budget: it is money too. */
  debt: (what: string, query: string) => ["money", "debt", what, query] as const,
  debtGoal: ["money", "debt", "goal"] as const,
  /** Recurring bills: a posted bill is a transaction, and a transaction can make a suggestion. */
  recurring: ["money", "recurring", "templates"] as const,
  upcoming: (days: number) => ["money", "recurring", "upcoming", days] as const,
  suggestions: ["money", "recurring", "suggestions"] as const,
  /** Personal access tokens: nothing to do with money. */
  tokens: ["tokens"] as const,
  /** The assistant: which advisor answers, and the conversations. */
  assistant: ["assistant", "info"] as const,
  conversations: ["assistant", "conversations"] as const,
  conversation: (id: string) => ["assistant", "conversations", id] as const,
};

/** After any change of transactions, budgets or accounts: everything that shows money is refetched. */
export const refreshMoney = (queries: QueryClient) => queries.invalidateQueries({ queryKey: ["money"] });

export const useCategories = () =>
  useQuery({
    queryKey: keys.categories,
    queryFn: ({ signal }) => api.get<{ items: Category[] }>("/v1/categories", signal),
    select: (r) => r.items,
  });

/** The user's accounts, open ones first, as the API lists them. */
export const useAccounts = () =>
  useQuery({
    queryKey: keys.accounts,
    queryFn: ({ signal }) => api.get<{ items: Account[] }>("/v1/accounts", signal),
    select: (r) => r.items,
  });

export const useDashboard = (month: string) =>
  useQuery({
    queryKey: keys.dashboard(month),
    queryFn: ({ signal }) => api.get<Dashboard>(`/v1/dashboard?month=${month}`, signal),
  });
