import { type InfiniteData, type QueryClient, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type {
  FileLink,
  Merchant,
  Rule,
  RuleCreate,
  Transaction,
  TransactionCreate,
  TransactionUpdate,
} from "@tyche/types";
import { api, ifMatch } from "./client";
import { keys } from "./queries";

/** Rows per page of the list: a page is one request and at most this many rows of DOM. */
export const PAGE_SIZE = 100;
/**
 * Pages kept at once. Loading a page past this drops the oldest one (and "Show earlier" brings it
 * back), so the list never holds more than PAGE_SIZE * MAX_PAGES rows however far one pages.
 */
export const MAX_PAGES = 3;

/** Where a page starts: the API's opaque cursor, and the page before it (to page back). */
export interface PageParam {
  index: number;
  cursor?: string;
  prev?: PageParam;
}

export interface TransactionPage {
  items: Transaction[];
  nextCursor?: string;
  param: PageParam;
}

export type SuggestedRule = Pick<RuleCreate, "conditions" | "actions">;
export type UpdatedTransaction = Transaction & { suggestedRule?: SuggestedRule };

const FIRST: PageParam = { index: 0 };

/**
 * The transactions matching `query` (a query string without limit or cursor), newest first, a
 * window of at most MAX_PAGES pages.
 */
export const useTransactionPages = (query: string) =>
  useInfiniteQuery({
    queryKey: [...keys.transactions(query), "pages"],
    initialPageParam: FIRST,
    queryFn: async ({ pageParam, signal }): Promise<TransactionPage> => {
      const params = new URLSearchParams(query);
      params.set("limit", String(PAGE_SIZE));
      if (pageParam.cursor) params.set("cursor", pageParam.cursor);
      const page = await api.get<{ items: Transaction[]; nextCursor?: string }>(
        `/v1/transactions?${params}`,
        signal,
      );
      return { ...page, param: pageParam };
    },
    getNextPageParam: (last): PageParam | undefined =>
      last.nextCursor
        ? { index: last.param.index + 1, cursor: last.nextCursor, prev: last.param }
        : undefined,
    getPreviousPageParam: (first) => first.param.prev,
    maxPages: MAX_PAGES,
  });

export type TransactionPages = InfiniteData<TransactionPage, PageParam>;

const isPages = (data: unknown): data is TransactionPages =>
  typeof data === "object" && data !== null && "pages" in data && Array.isArray(data.pages);

/** Changes every loaded page of every transaction list (this page's), before they are refetched. */
export function editLists(queries: QueryClient, edit: (items: Transaction[]) => Transaction[]): void {
  queries.setQueriesData<TransactionPages>(
    { queryKey: ["money", "transactions"], predicate: (q) => q.queryKey[3] === "pages" },
    (data) =>
      isPages(data) ? { ...data, pages: data.pages.map((p) => ({ ...p, items: edit(p.items) })) } : data,
  );
}

export const replaceIn = (queries: QueryClient, next: Transaction) =>
  editLists(queries, (items) => items.map((t) => (t.transactionId === next.transactionId ? next : t)));

export const removeFrom = (queries: QueryClient, id: string) =>
  editLists(queries, (items) => items.filter((t) => t.transactionId !== id));

/** Merchants with a word starting with `q`, most used first; nothing is asked for an empty `q`. */
export const useMerchants = (q: string) =>
  useQuery({
    queryKey: ["merchants", q.trim().toLowerCase()],
    queryFn: ({ signal }) =>
      api.get<{ items: Merchant[] }>(`/v1/merchants?q=${encodeURIComponent(q.trim())}&limit=8`, signal),
    select: (r) => r.items,
    enabled: q.trim().length > 0,
    staleTime: 60_000,
  });

export const createTransaction = (body: TransactionCreate, idempotencyKey: string) =>
  api.send<Transaction>("POST", "/v1/transactions", body, { "idempotency-key": idempotencyKey });

export const updateTransaction = (id: string, version: number, patch: TransactionUpdate) =>
  api.send<UpdatedTransaction>("PUT", `/v1/transactions/${id}`, patch, ifMatch(version));

export const deleteTransaction = (id: string, version: number) =>
  api.send<undefined>("DELETE", `/v1/transactions/${id}`, undefined, ifMatch(version));

export const getTransaction = (id: string) => api.get<Transaction>(`/v1/transactions/${id}`);

export const createRule = (rule: RuleCreate) => api.send<Rule>("POST", "/v1/rules", rule);

/** Attaches a receipt: sent ahead (a file may be larger than one API request can carry), then named. */
export const uploadReceipt = async (id: string, version: number, file: File) => {
  const uploadId = await api.sendAhead(file);
  return (
    await api.request<Transaction>("PUT", `/v1/transactions/${id}/receipt`, {
      body: { uploadId },
      headers: ifMatch(version),
    })
  ).data;
};

/**
 * Where the receipt can be opened: a URL that needs no bearer header (a tab cannot send one),
 * valid for a few minutes, so it is asked for at the click.
 */
export const receiptLink = async (transactionId: string) =>
  (await api.get<FileLink>(`/v1/transactions/${transactionId}/receipt/link`)).url;

/** The fields that re-create a deleted transaction as it was (its receipt excepted). */
export function recreateBody(t: Transaction): TransactionCreate {
  const transfer = t.type === "transfer" && t.transfer;
  return {
    accountId: transfer ? transfer.fromAccountId : t.accountId,
    ...(transfer ? { toAccountId: transfer.toAccountId } : {}),
    date: t.date,
    amount: t.amount,
    type: t.type,
    ...(t.splits ? { splits: t.splits } : { categoryId: t.categoryId }),
    // The name as shown (a bank's raw text typed back in would become the shown name).
    ...(t.merchant || t.merchantRaw ? { merchant: t.merchant ?? t.merchantRaw ?? "" } : {}),
    ...(t.description ? { description: t.description } : {}),
    ...(t.tags.length ? { tags: t.tags } : {}),
    ...(t.notes ? { notes: t.notes } : {}),
  };
}
