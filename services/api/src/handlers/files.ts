import { Hono } from "hono";
import { ProblemError } from "../http/problem";
import type { LocalFileStorage } from "../storage/files";
import { receiptServing, sniffType, UNTRUSTED_FILE_HEADERS } from "../storage/receipts";

const refused = () =>
  new ProblemError(
    403,
    "signature-refused",
    "Signature refused",
    "This URL is not valid (any more); ask for another",
  );

/**
 * What the local server's signed file URLs point at: S3's part, played by the server itself. The
 * token is the permission (no bearer header, as with a presigned URL), and it is held to what was
 * signed exactly as S3 holds a presigned PUT: the same Content-Type, the same number of bytes.
 * Not in the OpenAPI document: clients get these URLs from the API and use them as given.
 */
export function fileRoutes(files: LocalFileStorage) {
  return new Hono()
    .put("/v1/files/:token", async (c) => {
      const grant = files.verify(c.req.param("token"), "PUT");
      if (!grant || c.req.header("content-type") !== grant.contentType) throw refused();
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.byteLength !== grant.size) {
        throw new ProblemError(
          400,
          "validation-error",
          "Invalid request",
          `The body is ${bytes.byteLength} bytes; the upload was signed for ${grant.size}`,
        );
      }
      await files.put(grant.key, bytes);
      return c.body(null, 200);
    })
    .get("/v1/files/:token", async (c) => {
      const grant = files.verify(c.req.param("token"), "GET");
      if (!grant) throw refused();
      const bytes = await files.get(grant.key);
      if (!bytes) throw new ProblemError(404, "not-found", "Not found", "The file is gone");
      // Checked again against the bytes as they are now, whatever the grant says.
      const served = receiptServing(grant.contentType, await sniffType(bytes));
      const disposition = served.contentType === grant.contentType ? grant.disposition : undefined;
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
        "content-type": served.contentType,
        "content-disposition": disposition ?? served.disposition,
        "cache-control": "private, max-age=300",
        ...UNTRUSTED_FILE_HEADERS,
      });
    });
}
