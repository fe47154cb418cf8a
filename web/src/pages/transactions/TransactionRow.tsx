import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Account, Category, Transaction } from "@tyche/types";
import { memo, useRef, useState } from "react";
import { refreshMoney } from "../../api/queries";
import {
  deleteTransaction,
  getTransaction,
  replaceIn,
  type SuggestedRule,
  updateTransaction,
} from "../../api/transactions";
import { dateLabel, money } from "../../ui/format";
import { inWords, isStale } from "./errors";
import { type Checked, type FormState, formOf, kindLabel, updatePatch } from "./form";
import { ReceiptUpload, ViewReceipt } from "./Receipt";
import { RuleOffer, type RuleOfferState } from "./RuleOffer";
import { TransactionForm } from "./TransactionForm";

export interface RowEnv {
  accounts: ReadonlyMap<string, Account>;
  accountList: readonly Account[];
  categories: readonly Category[];
  categoryById: ReadonlyMap<string, Category>;
  /** More than one account: each row names its own. */
  manyAccounts: boolean;
  onDeleted: (t: Transaction) => void;
  onCategorised: (t: Transaction, suggested: SuggestedRule | undefined) => void;
  closeOffer: () => void;
}

const BY: Record<string, string> = { rule: "by a rule", "merchant-history": "from history" };

/** What a transaction did to the account it is listed in: money out is shown below zero. */
export function signedAmount(t: Transaction): number {
  if (t.type === "transfer")
    return t.transfer && t.accountId === t.transfer.toAccountId ? t.amount : -t.amount;
  return t.type === "expense" ? -t.amount : t.amount;
}

/** One transaction: read, categorised in place, edited inline, deleted (with undo on the page). */
export const TransactionRow = memo(function TransactionRow({
  t,
  env,
  offer,
}: {
  t: Transaction;
  env: RowEnv;
  offer: RuleOfferState | undefined;
}) {
  const queries = useQueryClient();
  const [editing, setEditing] = useState<FormState | undefined>();
  const [form, setForm] = useState<FormState | undefined>();
  const [problem, setProblem] = useState<unknown>();
  const editButton = useRef<HTMLButtonElement>(null);
  const firstField = useRef<HTMLSelectElement>(null);
  const account = env.accounts.get(t.accountId);
  const currency = account?.currency ?? "USD";
  const leg = t.type === "transfer" && t.transfer;
  const who =
    t.merchant ??
    (t.description ||
      (leg
        ? t.accountId === leg.toAccountId
          ? `Transfer from ${env.accounts.get(leg.fromAccountId)?.name ?? "another account"}`
          : `Transfer to ${env.accounts.get(leg.toAccountId)?.name ?? "another account"}`
        : "No merchant"));
  const when = dateLabel(t.date);
  const about = `${who}, ${when}`;

  const saved = (next: Transaction) => {
    replaceIn(queries, next);
    void refreshMoney(queries);
  };

  const categorise = useMutation({
    mutationFn: (categoryId: string | null) => updateTransaction(t.transactionId, t.version, { categoryId }),
    onMutate: () => setProblem(undefined),
    onSuccess: (next) => {
      const { suggestedRule, ...rest } = next;
      saved(rest);
      env.onCategorised(rest, suggestedRule);
    },
    onError: setProblem,
  });

  const save = useMutation({
    mutationFn: ({ state, checked }: { state: FormState; checked: Checked }) =>
      updateTransaction(t.transactionId, t.version, updatePatch(editing as FormState, state, checked)),
    onSuccess: (next) => {
      const { suggestedRule, ...rest } = next;
      saved(rest);
      setEditing(undefined);
      setForm(undefined);
      if (suggestedRule) env.onCategorised(rest, suggestedRule);
      requestAnimationFrame(() => editButton.current?.focus());
    },
  });

  const remove = useMutation({
    mutationFn: () => deleteTransaction(t.transactionId, t.version),
    onMutate: () => setProblem(undefined),
    onSuccess: () => env.onDeleted(t),
    onError: setProblem,
  });

  const reload = useMutation({
    mutationFn: () => getTransaction(t.transactionId),
    onSuccess: (fresh) => {
      replaceIn(queries, fresh);
      setProblem(undefined);
      save.reset();
      if (editing) {
        const state = formOf(fresh, env.accounts.get(fresh.accountId)?.currency ?? "USD");
        setEditing(state);
        setForm(state);
      }
    },
    onError: setProblem,
  });

  const startEdit = () => {
    const state = formOf(t, currency);
    setEditing(state);
    setForm(state);
    setProblem(undefined);
    requestAnimationFrame(() => firstField.current?.focus());
  };
  const cancel = () => {
    setEditing(undefined);
    setForm(undefined);
    save.reset();
    requestAnimationFrame(() => editButton.current?.focus());
  };

  const stale = isStale(problem) || isStale(save.error);
  const staleNotice = stale && (
    <div role="alert" className="error stale">
      <p>{inWords(problem ?? save.error)}</p>
      <button type="button" onClick={() => reload.mutate()} disabled={reload.isPending}>
        {reload.isPending ? "Reloading…" : "Reload the row"}
      </button>
    </div>
  );

  if (editing && form) {
    return (
      <li className="txn-row editing">
        <h3 className="txn-edit-title">Editing {about}</h3>
        <TransactionForm
          mode="edit"
          state={form}
          setState={(next) => setForm((s) => (typeof next === "function" ? next(s as FormState) : next))}
          accounts={env.accountList}
          categories={env.categories}
          submitting={save.isPending}
          error={isStale(save.error) ? undefined : save.error}
          onSubmit={(state, checked) => save.mutate({ state, checked })}
          onCancel={cancel}
          firstFieldRef={firstField}
        >
          <ReceiptUpload t={t} onStale={setProblem} />
        </TransactionForm>
        {staleNotice}
      </li>
    );
  }

  const transfer = t.type === "transfer" && t.transfer;
  const category = t.categoryId ? env.categoryById.get(t.categoryId) : undefined;
  const usable = env.categories.filter((c) => !c.archived || c.categoryId === t.categoryId);
  const signed = signedAmount(t);
  return (
    <li className="txn-row">
      <div className="txn-line">
        <time className="txn-date" dateTime={t.date}>
          {when}
        </time>
        <div className="txn-what">
          <span className="txn-merchant">{who}</span>
          {t.merchant && t.description && <span className="muted txn-desc">{t.description}</span>}
          <span className="txn-meta muted">
            {kindLabel(t.type)}
            {transfer
              ? ` · ${env.accounts.get(transfer.fromAccountId)?.name ?? "?"} → ${env.accounts.get(transfer.toAccountId)?.name ?? "?"}`
              : env.manyAccounts && account
                ? ` · ${account.name}`
                : ""}
            {t.pending ? " · pending" : ""}
          </span>
          {t.notes && <span className="txn-notes">Note: {t.notes}</span>}
          {t.tags.length > 0 && (
            <ul className="tags" aria-label="Tags">
              {t.tags.map((tag) => (
                <li key={tag} className="tag">
                  #{tag}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="txn-category">
          {t.splits ? (
            <span>
              Split:{" "}
              {t.splits
                .map((s) => `${env.categoryById.get(s.categoryId)?.name ?? "?"} ${money(s.amount, currency)}`)
                .join(", ")}
            </span>
          ) : t.type === "transfer" ? (
            <span className="muted">Transfer</span>
          ) : (
            <>
              <select
                aria-label={`Category of ${about}`}
                value={t.categoryId ?? ""}
                disabled={categorise.isPending}
                onChange={(e) => categorise.mutate(e.target.value || null)}
              >
                <option value="">Uncategorised</option>
                {usable.map((c) => (
                  <option key={c.categoryId} value={c.categoryId}>
                    {c.name}
                  </option>
                ))}
              </select>
              {category && BY[t.categorizedBy] && <span className="muted txn-by">{BY[t.categorizedBy]}</span>}
            </>
          )}
        </div>
        <span className={`amount txn-amount ${signed < 0 ? "out" : "in"}`}>
          <span className="sr-only">{signed < 0 ? "Money out: " : "Money in: "}</span>
          {money(signed, currency)}
        </span>
        <div className="txn-actions">
          {t.receiptUrl && <ViewReceipt t={t} />}
          <button type="button" ref={editButton} onClick={startEdit}>
            Edit<span className="sr-only"> {about}</span>
          </button>
          <button type="button" onClick={() => remove.mutate()} disabled={remove.isPending}>
            {remove.isPending ? "Deleting…" : "Delete"}
            <span className="sr-only"> {about}</span>
          </button>
        </div>
      </div>
      {offer && <RuleOffer offer={offer} onClose={env.closeOffer} />}
      {staleNotice}
      {problem !== undefined && !stale && (
        <p role="alert" className="error">
          {inWords(problem)}
        </p>
      )}
    </li>
  );
});
