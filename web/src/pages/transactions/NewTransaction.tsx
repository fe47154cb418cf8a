import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Account, Category, Transaction } from "@tyche/types";
import { type Ref, useEffect, useRef } from "react";
import { refreshMoney } from "../../api/queries";
import { createTransaction } from "../../api/transactions";
import { useDraft } from "../../ui/useDraft";
import { type Checked, createBody, emptyForm, type FormState, openAccounts } from "./form";
import { newKey } from "./keys";
import { TransactionForm } from "./TransactionForm";

/** The add form; what is typed survives a reload or an expired session (a draft) until it is saved. */
export function NewTransaction({
  accounts,
  categories,
  firstFieldRef,
  onDone,
}: {
  accounts: readonly Account[];
  categories: readonly Category[];
  firstFieldRef: Ref<HTMLSelectElement>;
  onDone: (created: Transaction | undefined) => void;
}) {
  const queries = useQueryClient();
  const open = openAccounts(accounts);
  const [state, setState, clear] = useDraft<FormState>("transactions.new", emptyForm(open[0]?.accountId));
  // One key per transaction being entered: a retry after a lost answer records it once.
  const key = useRef(newKey());
  useEffect(() => {
    if (!state.accountId && open[0]) setState((s) => ({ ...s, accountId: open[0]?.accountId ?? "" }));
  }, [state.accountId, open, setState]);
  const create = useMutation({
    mutationFn: ({ state, checked }: { state: FormState; checked: Checked }) =>
      createTransaction(createBody(state, checked), key.current),
    onSuccess: (created) => {
      key.current = newKey();
      clear();
      setState(emptyForm(open[0]?.accountId));
      void refreshMoney(queries);
      onDone(created);
    },
  });
  return (
    <section id="new-transaction" className="card new-transaction" aria-labelledby="new-transaction-title">
      <h2 id="new-transaction-title">New transaction</h2>
      {open.length === 0 ? (
        <p className="notice">Open an account first: every transaction belongs to one.</p>
      ) : (
        <TransactionForm
          mode="new"
          state={state}
          setState={setState}
          accounts={accounts}
          categories={categories}
          submitting={create.isPending}
          error={create.error}
          onSubmit={(s, checked) => create.mutate({ state: s, checked })}
          onCancel={() => {
            clear();
            setState(emptyForm(open[0]?.accountId));
            onDone(undefined);
          }}
          firstFieldRef={firstFieldRef}
        />
      )}
    </section>
  );
}
