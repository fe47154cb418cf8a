import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { Transaction } from "@tyche/types";
import { useId, useState } from "react";
import { receiptLink, replaceIn, uploadReceipt } from "../../api/transactions";
import { ErrorMessage } from "../../ui/ErrorMessage";
import { inWords, isStale } from "./errors";

const ACCEPT = "image/jpeg,image/png,image/gif,image/webp,image/heic,application/pdf";

/**
 * Opens the receipt in a tab opened at the click (a tab opened after waiting would be taken for a
 * popup), sent to a short-lived URL of the file asked for meanwhile: the file is served without
 * the bearer header, from S3 on AWS. When the browser refuses the tab, a link is offered instead.
 */
export function ViewReceipt({ t }: { t: Transaction }) {
  const [fallback, setFallback] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (!t.receiptUrl) return null;
  const open = async () => {
    setError(undefined);
    setBusy(true);
    const tab = window.open("", "_blank");
    try {
      const url = await receiptLink(t.transactionId);
      if (tab) {
        // The file's own origin (S3) must not be able to reach back into this page.
        tab.opener = null;
        tab.location.href = url;
      } else setFallback(url);
    } catch (err) {
      tab?.close();
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const what = `receipt of ${t.merchant ?? "this transaction"}`;
  return (
    <span className="receipt-view">
      <button
        type="button"
        className="link-button"
        onClick={open}
        disabled={busy}
        aria-label={`View receipt of ${t.merchant ?? "this transaction"}`}
      >
        {busy ? "Opening…" : "View receipt"}
      </button>
      {fallback && (
        <a href={fallback} target="_blank" rel="noreferrer">
          Open the {what}
        </a>
      )}
      {error !== undefined && <ErrorMessage error={new Error(inWords(error))} />}
    </span>
  );
}

/** Attaches (or replaces) a receipt as soon as a file is chosen. */
export function ReceiptUpload({ t, onStale }: { t: Transaction; onStale: (err: unknown) => void }) {
  const id = useId();
  const queries = useQueryClient();
  const upload = useMutation({
    mutationFn: (file: File) => uploadReceipt(t.transactionId, t.version, file),
    onSuccess: (next) => replaceIn(queries, next),
    onError: (err) => {
      if (isStale(err)) onStale(err);
    },
  });
  const error = upload.error;
  return (
    <div className="field receipt-upload">
      <label htmlFor={id}>{t.receiptUrl ? "Replace the receipt" : "Attach a receipt"}</label>
      <input
        id={id}
        type="file"
        accept={ACCEPT}
        aria-describedby={`${id}-hint`}
        disabled={upload.isPending}
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) upload.mutate(file);
          e.target.value = "";
        }}
      />
      <span id={`${id}-hint`} className="hint">
        An image (JPEG, PNG, GIF, WebP, HEIC) or a PDF, at most 10 MB.
      </span>
      <span aria-live="polite" className="muted">
        {upload.isPending ? "Uploading…" : upload.isSuccess ? "Receipt attached." : ""}
      </span>
      {t.receiptUrl && <ViewReceipt t={t} />}
      {error !== null && !isStale(error) && <ErrorMessage error={new Error(uploadError(error))} />}
    </div>
  );
}

function uploadError(error: unknown): string {
  if (error && typeof error === "object" && "status" in error) {
    if (error.status === 413) return "That file is over 10 MB; choose a smaller one.";
    if (error.status === 415) return "That file is not an image or a PDF.";
  }
  return inWords(error);
}
