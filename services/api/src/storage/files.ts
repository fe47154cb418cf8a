import { mkdir, open, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { type SignedFile, UrlSigner } from "./url-signer";

/** A request a client makes on its own, without the API's bearer header: its URL is its permission. */
export interface SignedUpload {
  method: "PUT";
  /** Absolute (S3), or relative to the API's origin (the local server's stand-in). */
  url: string;
  /** Headers the request must carry as they are: they are part of what was signed. */
  headers: Record<string, string>;
  expiresAt: string;
}

export interface FileDownload {
  contentType: string;
  /** The Content-Disposition to send, e.g. `attachment; filename="receipt.pdf"`. */
  disposition: string;
  expiresIn: number;
}

/**
 * Where files live: receipts, and bank files uploaded to be imported. The data dir locally, S3 on
 * AWS. Keys are built by the API from the owner and ids it made, never from input. A browser sends
 * and fetches the bytes itself, through signed URLs, because a Lambda request and response are
 * limited to 6 MB and receipts and bank files may be 10.
 */
export interface FileStorage {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  /** At most the first `length` bytes, to read a magic number without fetching the whole file. */
  peek(key: string, length: number): Promise<Uint8Array | undefined>;
  /** The stored size, without reading the bytes; undefined when there is nothing at `key`. */
  size(key: string): Promise<number | undefined>;
  delete(key: string): Promise<void>;
  /** Lets its holder PUT exactly `size` bytes of `contentType` at `key`, for `expiresIn` seconds. */
  uploadUrl(
    key: string,
    upload: { size: number; contentType: string; expiresIn: number },
  ): Promise<SignedUpload>;
  /** Lets its holder GET the file at `key`, sent as `contentType` with `disposition`, for `expiresIn` seconds. */
  downloadUrl(key: string, download: FileDownload): Promise<string>;
}

/**
 * The S3 client for files. Checksums only where S3 requires them: by default the SDK signs a
 * CRC32 of the request body into a presigned PUT, and with no body at signing time that is the
 * checksum of nothing, so S3 would refuse every real upload.
 */
export const createS3Client = (config: S3ClientConfig) =>
  new S3Client({ ...config, requestChecksumCalculation: "WHEN_REQUIRED" });

/**
 * Whether S3 said there is nothing at the key. Without s3:ListBucket (which would let the API list
 * every tenant's keys) S3 answers a missing key with 403, not 404; the role may read every key it
 * asks for, so a 403 here means absent.
 */
const isAbsent = (err: unknown) =>
  err instanceof NoSuchKey ||
  err instanceof NotFound ||
  (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 403);

const expiry = (seconds: number) => new Date(Date.now() + seconds * 1000);

/**
 * Files under a folder, with the local server as S3's stand-in for signed URLs: they point at
 * `/v1/files/{token}` (handlers/files.ts), where a token signed with this process's key says what
 * may be put or read, as a presigned URL does for S3.
 */
export class LocalFileStorage implements FileStorage {
  readonly signer: UrlSigner;

  constructor(
    private readonly dir: string,
    signer = new UrlSigner(),
  ) {
    this.signer = signer;
  }

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

  async peek(key: string, length: number): Promise<Uint8Array | undefined> {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(join(this.dir, key), "r");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    try {
      const buffer = new Uint8Array(length);
      const { bytesRead } = await handle.read(buffer, 0, length, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async size(key: string): Promise<number | undefined> {
    try {
      return (await stat(join(this.dir, key))).size;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(join(this.dir, key), { force: true });
  }

  async uploadUrl(
    key: string,
    upload: { size: number; contentType: string; expiresIn: number },
  ): Promise<SignedUpload> {
    const expires = expiry(upload.expiresIn);
    const token = this.signer.sign({
      method: "PUT",
      key,
      size: upload.size,
      contentType: upload.contentType,
      expires: expires.getTime(),
    });
    return {
      method: "PUT",
      url: `/v1/files/${token}`,
      headers: { "content-type": upload.contentType },
      expiresAt: expires.toISOString(),
    };
  }

  async downloadUrl(key: string, download: FileDownload): Promise<string> {
    const token = this.signer.sign({
      method: "GET",
      key,
      contentType: download.contentType,
      disposition: download.disposition,
      expires: expiry(download.expiresIn).getTime(),
    });
    return `/v1/files/${token}`;
  }

  /** Removes the files under `prefix` last written over `ms` ago. */
  async removeOlderThan(prefix: string, ms: number, now = Date.now()): Promise<number> {
    const root = join(this.dir, prefix);
    let names: string[];
    try {
      names = await readdir(root, { recursive: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return 0;
      throw err;
    }
    let removed = 0;
    for (const name of names) {
      const file = join(root, name);
      const info = await stat(file);
      if (info.isFile() && now - info.mtimeMs > ms) {
        await rm(file, { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** What a token allows, if it is this storage's own and has not expired. */
  verify(token: string, method: SignedFile["method"]): SignedFile | undefined {
    return this.signer.verify(token, method);
  }
}

export class S3FileStorage implements FileStorage {
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
      if (isAbsent(err)) return undefined;
      throw err;
    }
  }

  async peek(key: string, length: number): Promise<Uint8Array | undefined> {
    try {
      const res = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${length - 1}` }),
      );
      return res.Body ? await res.Body.transformToByteArray() : undefined;
    } catch (err) {
      if (isAbsent(err)) return undefined;
      throw err;
    }
  }

  async size(key: string): Promise<number | undefined> {
    try {
      const res = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return res.ContentLength;
    } catch (err) {
      // HEAD has no body, so S3's "not found" arrives as NotFound rather than NoSuchKey.
      if (isAbsent(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async uploadUrl(
    key: string,
    upload: { size: number; contentType: string; expiresIn: number },
  ): Promise<SignedUpload> {
    const url = await getSignedUrl(
      this.s3,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ContentType: upload.contentType,
        ContentLength: upload.size,
      }),
      {
        expiresIn: upload.expiresIn,
        // Signed, so S3 refuses a body of another size or type than the API agreed to: a
        // presigned PUT has no other way to bound what is sent.
        signableHeaders: new Set(["content-type", "content-length"]),
      },
    );
    return {
      method: "PUT",
      url,
      headers: { "content-type": upload.contentType },
      expiresAt: expiry(upload.expiresIn).toISOString(),
    };
  }

  /**
   * S3 sends the type and disposition signed into the URL, whatever the object was stored with; it
   * cannot send a CSP, so what may open inline is decided before signing (storage/receipts.ts), and
   * the bucket's own origin keeps anything in it away from the app's.
   */
  async downloadUrl(key: string, download: FileDownload): Promise<string> {
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentType: download.contentType,
        ResponseContentDisposition: download.disposition,
        ResponseCacheControl: "private, max-age=300",
      }),
      { expiresIn: download.expiresIn },
    );
  }
}
