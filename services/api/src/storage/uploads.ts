import { MAX_UPLOAD_BYTES, type Upload, type UploadRequest } from "@tyche/types";
import { ulid } from "ulid";
import type { Owner } from "../db/keys";
import { invalidField } from "../errors";
import { log } from "../log";
import type { FileStorage } from "./files";

/** Long enough to send 10 MB on a slow line; the URL is a bearer grant, so not longer. */
export const UPLOAD_URL_SECONDS = 15 * 60;

/** What the bucket's lifecycle rule keeps under uploads/ (two days), and the local server too. */
export const UPLOADS_KEPT_MS = 2 * 24 * 3600_000;

const safe = (part: string) => part.replace(/[^A-Za-z0-9_-]/g, "_");

/**
 * Under `uploads/`, which the bucket empties after two days (and the local server at start: UPLOADS_KEPT_MS), and
 * in the owner's own folder: an upload id names a file only to the user who made it.
 */
export const uploadKey = (owner: Owner, uploadId: string) =>
  `uploads/${safe(owner.tenantId)}/${safe(owner.userId)}/${safe(uploadId)}`;

/**
 * Files sent ahead of the request that uses them: the client asks for a signed URL, PUTs the bytes
 * there itself (to S3 on AWS, past Lambda's 6 MB request limit), and then names the upload in an
 * import or a receipt. Nothing is recorded: the key is derived from the owner and the id.
 */
export class Uploads {
  constructor(private readonly files: FileStorage) {}

  async create(owner: Owner, request: UploadRequest): Promise<Upload> {
    const uploadId = ulid();
    const signed = await this.files.uploadUrl(uploadKey(owner, uploadId), {
      size: request.size,
      contentType: request.contentType,
      expiresIn: UPLOAD_URL_SECONDS,
    });
    return { uploadId, ...signed };
  }

  /** The upload's bytes, or a 422 naming `field` when it never finished or has gone. */
  async read(
    owner: Owner,
    uploadId: string,
    field = "uploadId",
  ): Promise<{ key: string; bytes: Uint8Array }> {
    const key = uploadKey(owner, uploadId);
    const size = await this.files.size(key);
    if (size === undefined) {
      throw invalidField(
        field,
        "names no upload of yours: its PUT did not finish, or it is over two days old",
      );
    }
    // The signed size bounds it already; this guards a storage that was written some other way.
    if (size > MAX_UPLOAD_BYTES) throw invalidField(field, "is over 10 MB");
    const bytes = await this.files.get(key);
    if (!bytes) throw invalidField(field, "names no upload of yours: it has just gone");
    return { key, bytes };
  }

  /** Keeps bytes that came inline for a worker that reads them later (a queued import). */
  async keep(owner: Owner, id: string, bytes: Uint8Array): Promise<string> {
    const key = uploadKey(owner, id);
    await this.files.put(key, bytes, "application/octet-stream");
    return key;
  }

  get(key: string): Promise<Uint8Array | undefined> {
    return this.files.get(key);
  }

  /** Lets the file go once it has been used; a failure only leaves it to expire. */
  async discard(key: string): Promise<void> {
    await this.files.delete(key).catch((err) => log().warn({ err, key }, "upload was not deleted"));
  }
}
