import { fileTypeFromBuffer } from "file-type";
import type { Owner } from "../db/keys";
import { DomainError, invalidField } from "../errors";
import { activeContent } from "./receipt-content";

export const MAX_RECEIPT_BYTES = 10 * 1024 * 1024;
const ACCEPTED = new Set([
  "image/jpeg",
  "image/png",
  "image/gif",
  "image/webp",
  "image/heic",
  "image/heif",
  "application/pdf",
]);

export const receiptKey = (owner: Owner, transactionId: string, uploadId: string) =>
  [owner.tenantId, owner.userId, transactionId, uploadId]
    .map((part) => part.replace(/[^A-Za-z0-9_-]/g, "_"))
    .join("/");

/** The file's real type, read from its bytes; a name or a Content-Type header proves nothing. */
export async function receiptType(bytes: Uint8Array): Promise<string> {
  if (bytes.byteLength === 0) {
    throw invalidField("body", "is empty", "malformed");
  }
  if (bytes.byteLength > MAX_RECEIPT_BYTES) {
    throw new DomainError("too-large", "Receipts are limited to 10 MB");
  }
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !ACCEPTED.has(type.mime)) {
    throw new DomainError(
      "unsupported-media",
      "A receipt must be a JPEG, PNG, GIF, WebP or HEIC image, or a PDF",
    );
  }
  const active = activeContent(bytes, type.mime);
  if (active) throw new DomainError("unsupported-media", `The receipt ${active}; send a plain image or PDF`);
  return type.mime;
}

const EXTENSIONS: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/heic": "heic",
  "image/heif": "heif",
  "application/pdf": "pdf",
};

/** How a stored receipt is sent: its type and its Content-Disposition. */
export interface ReceiptServing {
  contentType: string;
  disposition: string;
}

/**
 * Decided again when it is served, from the stored bytes' own magic number (`sniffed`): a file
 * that is not what was recorded, or not a receipt type at all, goes as bytes to save, never as
 * something a browser would render. Images open inline (the bytes cannot become a page: nosniff,
 * and a sandbox CSP where the server sets headers); a PDF is saved, because a browser's viewer
 * would run what a PDF carries.
 */
export function receiptServing(stored: string, sniffed: string | undefined): ReceiptServing {
  const extension = EXTENSIONS[stored];
  if (!extension || sniffed !== stored) {
    return { contentType: "application/octet-stream", disposition: 'attachment; filename="receipt.bin"' };
  }
  const how = stored.startsWith("image/") ? "inline" : "attachment";
  return { contentType: stored, disposition: `${how}; filename="receipt.${extension}"` };
}

/** Enough of a file's start for its magic number. */
export const SNIFF_BYTES = 64 * 1024;

export async function sniffType(bytes: Uint8Array | undefined): Promise<string | undefined> {
  if (!bytes || bytes.byteLength === 0) return undefined;
  return (await fileTypeFromBuffer(bytes))?.mime;
}

/**
 * What a browser is told about a file it may be shown: GitHub's policy for user content, so that
 * nothing in it runs or loads, and its type is never guessed from the bytes.
 */
export const UNTRUSTED_FILE_HEADERS = {
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  "x-content-type-options": "nosniff",
} as const;
