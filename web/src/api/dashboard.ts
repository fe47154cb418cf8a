import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Transaction, TransactionCreate } from "@tyche/types";
import { api } from "./client";
import { refreshMoney } from "./queries";

/** Records one transaction; every figure that shows money follows without a reload. */
export function useAddTransaction() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (input: TransactionCreate) => api.send<Transaction>("POST", "/v1/transactions", input),
    onSuccess: () => refreshMoney(queries),
  });
}
