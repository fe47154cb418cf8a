import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  Account,
  AccountCreate,
  AccountUpdate,
  ReconcileRequest,
  Reconciliation,
  Transaction,
} from "@tyche/types";
import { api, ifMatch } from "./client";
import { keys, refreshMoney } from "./queries";

/** One row of an account's register, as GET /v1/accounts/{id}/transactions answers it. */
export type RegisterRow = Transaction & {
  /** What this transaction did to the balance (for a card: to what is owed). */
  change: number;
  /** The balance right after it. */
  runningBalance: number;
};

export interface RegisterPage {
  account: Account;
  items: RegisterRow[];
  nextCursor?: string;
}

/** Rows per page of the register: enough to read, few enough that the first page is quick. */
export const REGISTER_PAGE = 100;

/** Every account, closed ones included (the page hides them behind a toggle). */
export const useAllAccounts = () =>
  useQuery({
    queryKey: keys.allAccounts,
    queryFn: ({ signal }) => api.get<{ items: Account[] }>("/v1/accounts?includeClosed=true", signal),
    select: (r) => r.items,
  });

export function useCreateAccount() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (input: AccountCreate) => api.send<Account>("POST", "/v1/accounts", input),
    onSuccess: () => refreshMoney(queries),
  });
}

export function useUpdateAccount() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ account, patch }: { account: Account; patch: AccountUpdate }) =>
      api.send<Account>("PUT", `/v1/accounts/${account.accountId}`, patch, ifMatch(account.version)),
    onSuccess: () => refreshMoney(queries),
  });
}

/** Deletes an account without transactions; the API closes one that has some, and says which it did. */
export function useDeleteAccount() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (account: Account) =>
      api.send<{ result: "deleted" | "closed" }>(
        "DELETE",
        `/v1/accounts/${account.accountId}`,
        undefined,
        ifMatch(account.version),
      ),
    onSuccess: () => refreshMoney(queries),
  });
}

/** The register, newest first, a page at a time; each later page continues from its cursor. */
export const useRegister = (accountId: string) =>
  useInfiniteQuery({
    queryKey: keys.register(accountId),
    queryFn: ({ pageParam, signal }) =>
      api.get<RegisterPage>(
        `/v1/accounts/${encodeURIComponent(accountId)}/transactions?limit=${REGISTER_PAGE}${
          pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ""
        }`,
        signal,
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor,
  });

/** Checks the bank's balance on a day against Tyche's; reads only, so nothing is refetched. */
export const useReconcile = (accountId: string) =>
  useMutation({
    mutationFn: (input: ReconcileRequest) =>
      api.send<Reconciliation>("POST", `/v1/accounts/${encodeURIComponent(accountId)}/reconcile`, input),
  });
