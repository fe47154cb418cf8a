import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Transaction, TransactionCreate } from "@tyche/types";
import { useCallback, useMemo, useRef, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { refreshMoney, useAccounts, useCategories } from "../../api/queries";
import {
  createTransaction,
  MAX_PAGES,
  PAGE_SIZE,
  recreateBody,
  removeFrom,
  type SuggestedRule,
  useTransactionPages,
} from "../../api/transactions";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { dateLabel, money } from "../../ui/format";
import { FiltersBar } from "./FiltersBar";
import { FILTER_NAMES, type Filters, hasFilters, readFilters, toApiQuery } from "./filters";
import { newKey } from "./keys";
import { NewTransaction } from "./NewTransaction";
import { RuleOffer, type RuleOfferState } from "./RuleOffer";
import { Shortcuts, useShortcuts } from "./Shortcuts";
import { type RowEnv, TransactionRow } from "./TransactionRow";
import { UndoToast } from "./UndoToast";
import "./transactions.css";

interface Deleted {
  t: Transaction;
  body: TransactionCreate;
  message: string;
}

/** Transactions: find, add, edit in place, categorise, split, tag, attach receipts; delete with undo. */
export default function TransactionsPage() {
  const queries = useQueryClient();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const accounts = useAccounts();
  const categories = useCategories();
  const accountList = accounts.data ?? [];
  const categoryList = categories.data ?? [];
  const currency =
    accountList.find((a) => a.accountId === filters.account)?.currency ?? accountList[0]?.currency ?? "USD";
  const { query, invalid } = toApiQuery(filters, currency);
  const list = useTransactionPages(query);

  const [newOpen, setNewOpen] = useState(false);
  const [offer, setOffer] = useState<RuleOfferState | undefined>();
  const [deleted, setDeleted] = useState<Deleted | undefined>();
  const [announce, setAnnounce] = useState("");
  const searchRef = useRef<HTMLInputElement>(null);
  const newButton = useRef<HTMLButtonElement>(null);
  const newFirstField = useRef<HTMLSelectElement>(null);
  const listHeading = useRef<HTMLHeadingElement>(null);

  // Built from the address as it is now, not as it was at a render: a text filter commits after a
  // pause, and a change made meanwhile (another filter, Clear filters) must not be undone by it.
  const setFilter = useCallback(
    (name: keyof Filters, value: string) => {
      const next = new URLSearchParams(window.location.search);
      if (value) next.set(name, value);
      else next.delete(name);
      setParams(next, { replace: true });
    },
    [setParams],
  );
  const clearFilters = () => {
    const next = new URLSearchParams(window.location.search);
    for (const n of FILTER_NAMES) next.delete(n);
    setParams(next, { replace: true });
  };

  const openNew = useCallback(() => {
    setNewOpen(true);
    requestAnimationFrame(() => newFirstField.current?.focus());
  }, []);
  useShortcuts({ onNew: openNew, onSearch: () => searchRef.current?.focus() });

  const accountMap = useMemo(() => new Map(accountList.map((a) => [a.accountId, a])), [accountList]);
  const categoryMap = useMemo(() => new Map(categoryList.map((c) => [c.categoryId, c])), [categoryList]);

  const onDeleted = useCallback(
    (t: Transaction) => {
      removeFrom(queries, t.transactionId);
      void refreshMoney(queries);
      const cur = accountMap.get(t.accountId)?.currency ?? "USD";
      const what = `${t.merchant ?? (t.description || (t.type === "transfer" ? "Transfer" : "Transaction"))} (${money(t.amount, cur)}, ${dateLabel(t.date)})`;
      setDeleted({
        t,
        body: recreateBody(t),
        message: `Deleted ${what}${t.type === "transfer" ? " from both accounts" : ""}.${t.receiptUrl ? " Undo brings it back without its receipt." : ""}`,
      });
      setOffer((o) => (o?.transactionId === t.transactionId ? undefined : o));
    },
    [queries, accountMap],
  );
  const onCategorised = useCallback(
    (t: Transaction, suggested: SuggestedRule | undefined) => {
      const category = t.categoryId ? categoryMap.get(t.categoryId) : undefined;
      setOffer(
        suggested && t.merchant && category
          ? {
              transactionId: t.transactionId,
              merchant: t.merchant,
              categoryId: category.categoryId,
              categoryName: category.name,
              suggested,
            }
          : undefined,
      );
    },
    [categoryMap],
  );
  const closeOffer = useCallback(() => setOffer(undefined), []);

  const env = useMemo<RowEnv>(
    () => ({
      accounts: accountMap,
      accountList,
      categories: categoryList,
      categoryById: categoryMap,
      manyAccounts: accountList.length > 1,
      onDeleted,
      onCategorised,
      closeOffer,
    }),
    [accountMap, accountList, categoryList, categoryMap, onDeleted, onCategorised, closeOffer],
  );

  const undoKey = useRef(newKey());
  const undo = useMutation({
    mutationFn: (d: Deleted) => createTransaction(d.body, undoKey.current),
    onSuccess: (_t, d) => {
      undoKey.current = newKey();
      setDeleted(undefined);
      setAnnounce(`Restored ${d.t.merchant ?? "the transaction"}.`);
      void refreshMoney(queries);
      listHeading.current?.focus();
    },
  });

  const pages = list.data?.pages ?? [];
  const items = pages.flatMap((p) => p.items);
  const hiddenBefore = (pages[0]?.param.index ?? 0) > 0;
  const loading = list.isPending || accounts.isPending || categories.isPending;
  const offerShown = offer && items.some((t) => t.transactionId === offer.transactionId);

  return (
    <div className="transactions-page">
      <div className="page-head">
        <h1>Transactions</h1>
        <button
          type="button"
          className="primary"
          ref={newButton}
          aria-expanded={newOpen}
          aria-controls="new-transaction"
          onClick={() => (newOpen ? newFirstField.current?.focus() : openNew())}
        >
          New transaction
        </button>
      </div>
      <Shortcuts />
      {newOpen && (
        <NewTransaction
          accounts={accountList}
          categories={categoryList}
          firstFieldRef={newFirstField}
          onDone={(created) => {
            setNewOpen(false);
            if (created) {
              const cat = created.categoryId ? categoryMap.get(created.categoryId)?.name : undefined;
              setAnnounce(
                `Added ${created.merchant ?? "the transaction"}${cat ? `, categorised as ${cat}` : ""}.`,
              );
            }
            requestAnimationFrame(() => newButton.current?.focus());
          }}
        />
      )}
      <FiltersBar
        filters={filters}
        onCommit={setFilter}
        onClear={clearFilters}
        accounts={accountList}
        categories={categoryList}
        currency={currency}
        invalid={invalid}
        searchRef={searchRef}
      />
      <section className="txn-list-section" aria-labelledby="txn-list-heading" aria-busy={list.isFetching}>
        <h2 id="txn-list-heading" ref={listHeading} tabIndex={-1}>
          {loading
            ? "Transactions"
            : items.length === 0
              ? "No transactions"
              : `${items.length} transaction${items.length === 1 ? "" : "s"}${hasFilters(filters) ? " found" : ""}${list.hasNextPage ? ", more to load" : ""}`}
        </h2>
        <ErrorMessage error={list.error ?? accounts.error ?? categories.error} />
        {loading && !list.error && <p className="loading">Loading transactions…</p>}
        {!loading && items.length === 0 && !list.error && (
          <div className="empty card">
            {hasFilters(filters) ? (
              <>
                <p>No transaction matches these filters.</p>
                <button type="button" onClick={clearFilters}>
                  Clear filters
                </button>
              </>
            ) : (
              <p>
                No transactions yet. Add one with <strong>New transaction</strong> (or press <kbd>n</kbd>), or{" "}
                <Link to="/import">import a bank file</Link>.
              </p>
            )}
          </div>
        )}
        {hiddenBefore && (
          <div className="paging">
            <p className="muted">
              Only {PAGE_SIZE * MAX_PAGES} rows are kept on the page at once; newer ones were put away.
            </p>
            <button
              type="button"
              onClick={() => list.fetchPreviousPage()}
              disabled={list.isFetchingPreviousPage}
            >
              {list.isFetchingPreviousPage ? "Loading…" : "Show newer transactions"}
            </button>
          </div>
        )}
        {items.length > 0 && (
          <ul className="txn-list" aria-label="Transactions">
            {items.map((t) => (
              <TransactionRow
                key={t.transactionId}
                t={t}
                env={env}
                offer={offer?.transactionId === t.transactionId ? offer : undefined}
              />
            ))}
          </ul>
        )}
        {list.hasNextPage && (
          <div className="paging">
            <button
              type="button"
              onClick={async () => {
                const before = items.length;
                const r = await list.fetchNextPage();
                const now = (r.data?.pages ?? []).flatMap((p) => p.items).length;
                setAnnounce(
                  `Loaded more transactions; ${now} shown${now < before ? ", the newest put away" : ""}.`,
                );
              }}
              disabled={list.isFetchingNextPage}
            >
              {list.isFetchingNextPage ? "Loading…" : "Load more"}
            </button>
          </div>
        )}
        {!list.hasNextPage && items.length > 0 && <p className="muted end-of-list">That is all of them.</p>}
      </section>
      <div className="notices">
        {offer && !offerShown && <RuleOffer offer={offer} onClose={closeOffer} />}
        {deleted && (
          <UndoToast
            key={deleted.t.transactionId}
            message={deleted.message}
            busy={undo.isPending}
            onUndo={() => undo.mutate(deleted)}
            onClose={() => {
              setDeleted(undefined);
              undo.reset();
            }}
            returnFocus={() => listHeading.current?.focus()}
          />
        )}
        {deleted && undo.error !== null && (
          <div className="toast">
            <ErrorMessage error={undo.error} />
          </div>
        )}
      </div>
      <p className="sr-only" role="status">
        {announce}
      </p>
    </div>
  );
}
