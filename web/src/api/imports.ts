import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ImportOptions, ImportPreview, ImportRecord, Transaction } from "@tyche/types";
import { api } from "./client";
import { keys, refreshMoney } from "./queries";

/** A file the user chose, with a number that tells two choices of the same file apart. */
export interface ChosenFile {
  file: File;
  key: number;
}

/**
 * Each chosen file goes up once (POST /v1/uploads), however many times its options change: its
 * dry runs and its import name the upload. Forgotten once imported, which lets the upload go.
 */
const sent = new Map<number, Promise<string>>();
function uploadOf(chosen: ChosenFile): Promise<string> {
  let upload = sent.get(chosen.key);
  if (!upload) {
    upload = api.sendAhead(chosen.file);
    // A failed send is tried again next time, not remembered.
    upload.catch(() => sent.delete(chosen.key));
    sent.set(chosen.key, upload);
  }
  return upload;
}

const importPath = (accountId: string, dryRun: boolean) =>
  `/v1/imports?accountId=${encodeURIComponent(accountId)}${dryRun ? "&dryRun=true" : ""}`;

/**
 * The dry run of a file into an account with the given options: nothing is written. Changing the
 * options asks again; while it does, the reading before stays on screen (for the same file only).
 */
export function useImportPreview(chosen: ChosenFile | undefined, accountId: string, options: ImportOptions) {
  return useQuery({
    queryKey: ["import-preview", accountId, chosen?.key ?? 0, JSON.stringify(options)] as const,
    enabled: chosen !== undefined && accountId !== "",
    queryFn: async ({ signal }) => {
      if (!chosen) throw new Error("no file chosen");
      const uploadId = await uploadOf(chosen);
      const { data } = await api.request<ImportPreview>("POST", importPath(accountId, true), {
        body: { uploadId, fileName: chosen.file.name.slice(0, 255), options },
        signal,
      });
      return data;
    },
    // Another file or account is another preview: only a change of options keeps the one before.
    placeholderData: (previous, query) =>
      query && query.queryKey[1] === accountId && query.queryKey[2] === chosen?.key
        ? keepPreviousData(previous)
        : undefined,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
    retry: false,
    refetchOnWindowFocus: false,
  });
}

/** Starts an import in the background (`Prefer: respond-async`): the answer is its record, running. */
export function useStartImport() {
  return useMutation({
    mutationFn: async (input: { chosen: ChosenFile; accountId: string; options: ImportOptions }) => {
      const uploadId = await uploadOf(input.chosen);
      const { data } = await api.request<ImportRecord>("POST", importPath(input.accountId, false), {
        body: { uploadId, fileName: input.chosen.file.name.slice(0, 255), options: input.options },
        headers: { prefer: "respond-async", "idempotency-key": crypto.randomUUID() },
      });
      sent.delete(input.chosen.key);
      return data;
    },
  });
}

export const importKey = (importId: string) => ["import", importId] as const;

/** An import's record, asked again every half second while it runs; money is refetched once it ends. */
export function useImportRecord(importId: string, initial?: ImportRecord) {
  const queries = useQueryClient();
  return useQuery({
    queryKey: importKey(importId),
    queryFn: async ({ signal }) => {
      const record = await api.get<ImportRecord>(`/v1/imports/${importId}`, signal);
      const before = queries.getQueryData<ImportRecord>(importKey(importId));
      if (record.status !== "running" && before?.status === "running") void refreshMoney(queries);
      return record;
    },
    ...(initial ? { initialData: initial, initialDataUpdatedAt: 0 } : {}),
    refetchInterval: (query) => (query.state.data?.status === "running" ? 500 : false),
    refetchOnWindowFocus: false,
  });
}

/** Takes an import back: what it added is removed, what it matched is unlinked. */
export function useUndoImport(importId: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: () => api.send<ImportRecord>("DELETE", `/v1/imports/${importId}`),
    onSuccess: (record) => {
      queries.setQueryData(importKey(importId), record);
      void refreshMoney(queries);
    },
  });
}

/** A transaction already in the account that a row of the file matches, to show what it is. */
export const useTransaction = (transactionId: string) =>
  useQuery({
    queryKey: keys.transaction(transactionId),
    queryFn: ({ signal }) => api.get<Transaction>(`/v1/transactions/${transactionId}`, signal),
  });

export interface ExportRequest {
  from: string;
  to: string;
  accountId: string;
}

/**
 * Downloads GET /v1/transactions/export as a file: fetched with the session's bearer token (a plain
 * link could not send it), then handed to the browser as an object URL with the file's name.
 */
export function useExportCsv() {
  return useMutation({
    mutationFn: async (input: ExportRequest) => {
      const query = new URLSearchParams({ from: input.from, to: input.to });
      if (input.accountId) query.set("accountId", input.accountId);
      const { data, headers } = await api.request<unknown>("GET", `/v1/transactions/export?${query}`, {
        headers: { accept: "text/csv" },
      });
      // The client parses JSON when it can; a CSV (which always has its header line) stays text.
      const text = typeof data === "string" ? data : data === undefined ? "" : JSON.stringify(data);
      const named = /filename="([^"]+)"/.exec(headers.get("content-disposition") ?? "")?.[1];
      const fileName = named ?? `tyche-${input.from}-to-${input.to}.csv`;
      const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = fileName;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      return { fileName, rows: Math.max(0, text.split(/\r?\n/).filter(Boolean).length - 1) };
    },
  });
}
