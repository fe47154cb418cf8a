import { z } from "zod";

/** Bank files and receipts alike: at most 10 MB, the limit each of them has when sent inline. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

export const UploadId = z
  .string()
  .regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "must be an upload id from POST /v1/uploads")
  .describe("An upload made with POST /v1/uploads: yours, and kept for two days unless used");

export const UploadRequest = z.strictObject({
  size: z
    .number()
    .int()
    .positive()
    .max(MAX_UPLOAD_BYTES, "must be at most 10 MB")
    .describe("The file's exact size in bytes: the upload refuses any other"),
  contentType: z
    .string()
    .max(100)
    .regex(/^[\w.+-]+\/[\w.+-]+$/, "must be a media type such as text/csv")
    .default("application/octet-stream")
    .describe("Sent as the upload's Content-Type; what the file is, is judged by its bytes"),
});
export type UploadRequest = z.infer<typeof UploadRequest>;

export const Upload = z.object({
  uploadId: z.string(),
  method: z.literal("PUT"),
  url: z
    .string()
    .describe(
      "Where to PUT the file's bytes, without the bearer header: S3 on AWS, the server itself locally (a path on its origin)",
    ),
  headers: z.record(z.string(), z.string()).describe("Headers the PUT must carry, as given"),
  expiresAt: z.string().describe("The URL works until then (15 minutes)"),
});
export type Upload = z.infer<typeof Upload>;

/** A receipt or bank file whose bytes went up with an upload. */
export const FromUpload = z.strictObject({ uploadId: UploadId });
export type FromUpload = z.infer<typeof FromUpload>;

export const FileLink = z.object({
  url: z.string().describe("Opens the file without the bearer header, until it expires"),
  expiresAt: z.string(),
});
export type FileLink = z.infer<typeof FileLink>;
