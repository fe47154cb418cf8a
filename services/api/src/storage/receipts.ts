import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
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

/** Where receipt files live: the data dir locally, S3 on AWS. Keys are built from the owner, never from input. */
export interface ReceiptStorage {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  delete(key: string): Promise<void>;
}

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

export class LocalReceiptStorage implements ReceiptStorage {
  constructor(private readonly dir: string) {}

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const file = join(this.dir, key);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, bytes, { mode: 0o600 });
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(join(this.dir, key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(join(this.dir, key), { force: true });
  }
}

export class S3ReceiptStorage implements ReceiptStorage {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType }),
    );
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return res.Body ? await res.Body.transformToByteArray() : undefined;
    } catch (err) {
      if (err instanceof NoSuchKey) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}
