import { fileTypeFromBuffer } from "file-type";
import type { Owner } from "../db/keys";
import { DomainError, invalidField } from "../errors";

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
  return type.mime;
}
