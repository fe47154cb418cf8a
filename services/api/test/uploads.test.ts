import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import type { SQSEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Lease } from "../src/db/imports";
import { keys } from "../src/db/keys";
import type { ImportJob, ImportQueue } from "../src/imports/import-job";
import { createImportWorker } from "../src/imports/import-worker";
import { INTERRUPTED } from "../src/imports/recovery";
import { StatementPool } from "../src/imports/statement-reader";
import { createImportService } from "../src/services";
import { createS3Client, LocalFileStorage, S3FileStorage } from "../src/storage/files";
import { UrlSigner } from "../src/storage/url-signer";
import { type Account, type Harness, harness, signup } from "./support/harness";

const CSV = readFileSync(join(import.meta.dirname, "fixtures", "us-signed.csv"));
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

/** What a browser does: asks for a signed URL, then PUTs the bytes there without the bearer header. */
async function sendAhead(h: Harness, a: Account, bytes: Uint8Array, contentType = "text/csv") {
  const created = await h.call("POST", "/v1/uploads", {
    token: a.token,
    body: { size: bytes.byteLength, contentType },
  });
  expect(created.status).toBe(201);
  const put = await h.call("PUT", created.body.url, { raw: bytes, headers: created.body.headers });
  expect(put.status).toBe(200);
  return created.body as { uploadId: string; url: string; headers: Record<string, string> };
}

const uploadFiles = (h: Harness, a: Account) => {
  const dir = join(h.receiptsDir, "uploads", a.owner.tenantId, a.owner.userId);
  return existsSync(dir) ? readdirSync(dir) : [];
};

const transactionCount = async (h: Harness, a: Account) =>
  (await h.call("GET", "/v1/transactions?limit=100", { token: a.token })).body.items.length;

describe("files sent ahead with POST /v1/uploads", () => {
  let h: Harness;
  let a: Account;
  beforeAll(async () => {
    h = harness();
    a = await signup(h);
  });
  afterAll(() => h.close());

  it("validates the request, naming the field, and needs a token", async () => {
    const tooBig = await h.call("POST", "/v1/uploads", {
      token: a.token,
      body: { size: 10 * 1024 * 1024 + 1 },
    });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.errors[0].path).toBe("size");
    const noSize = await h.call("POST", "/v1/uploads", { token: a.token, body: {} });
    expect(noSize.body.errors[0].path).toBe("size");
    const badType = await h.call("POST", "/v1/uploads", {
      token: a.token,
      body: { size: 10, contentType: "text/csv\r\nx-evil: 1" },
    });
    expect(badType.status).toBe(400);
    expect(badType.body.errors[0].path).toBe("contentType");
    expect((await h.call("POST", "/v1/uploads", { body: { size: 10 } })).status).toBe(401);
    expect(uploadFiles(h, a)).toEqual([]);
  });

  it("imports a bank file from its upload: a dry run and the import name the same one, which then goes", async () => {
    const { uploadId } = await sendAhead(h, a, CSV);
    expect(uploadFiles(h, a)).toEqual([uploadId]);
    const preview = await h.call("POST", "/v1/imports?dryRun=true", { token: a.token, body: { uploadId } });
    expect(preview.status).toBe(200);
    expect(preview.body.counts.rows).toBeGreaterThan(0);
    expect(await transactionCount(h, a)).toBe(0);

    const done = await h.call("POST", "/v1/imports", {
      token: a.token,
      body: { uploadId, fileName: "chase.csv", options: { dateFormat: "us" } },
    });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ status: "completed", fileName: "chase.csv" });
    expect(done.body.counts.imported).toBe(preview.body.counts.rows - preview.body.counts.duplicates);
    expect(await transactionCount(h, a)).toBe(done.body.counts.imported);
    // Used, it is let go: naming it again is a 422 on the field, and nothing is written.
    expect(uploadFiles(h, a)).toEqual([]);
    const again = await h.call("POST", "/v1/imports", { token: a.token, body: { uploadId } });
    expect(again.status).toBe(422);
    expect(again.body.errors[0].path).toBe("uploadId");
    expect(await transactionCount(h, a)).toBe(done.body.counts.imported);
  });

  it("answers 4xx naming the field for a bad body, and never imports another user's upload", async () => {
    const { uploadId } = await sendAhead(h, a, CSV);
    const b = await signup(h);
    const stolen = await h.call("POST", "/v1/imports", { token: b.token, body: { uploadId } });
    expect(stolen.status).toBe(422);
    expect(stolen.body.errors[0].path).toBe("uploadId");
    expect(await transactionCount(h, b)).toBe(0);
    expect(uploadFiles(h, a)).toEqual([uploadId]);
    const notAnId = await h.call("POST", "/v1/imports", { token: a.token, body: { uploadId: "../../etc" } });
    expect(notAnId.status).toBe(400);
    expect(notAnId.body.errors[0].path).toBe("uploadId");
    const badOption = await h.call("POST", "/v1/imports", {
      token: a.token,
      body: { uploadId, options: { dateFormat: "martian" } },
    });
    expect(badOption.status).toBe(400);
    expect(badOption.body.errors[0].path).toBe("options.dateFormat");
    const neither = await h.call("POST", "/v1/imports", { token: a.token, raw: "x", headers: {} });
    expect(neither.status).toBe(415);
    expect(neither.headers.get("content-type")).toBe("application/problem+json");
    const noFile = new FormData();
    noFile.append("options", "{}");
    const empty = await h.call("POST", "/v1/imports", { token: a.token, raw: noFile });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].path).toBe("file");
  });

  it("holds a signed URL to what was signed, as S3 holds a presigned PUT", async () => {
    const created = await h.call("POST", "/v1/uploads", {
      token: a.token,
      body: { size: 4, contentType: "text/csv" },
    });
    const { url } = created.body;
    const before = uploadFiles(h, a);
    const wrongType = await h.call("PUT", url, { raw: "abcd", headers: { "content-type": "image/png" } });
    expect(wrongType.status).toBe(403);
    const wrongSize = await h.call("PUT", url, { raw: "abcde", headers: { "content-type": "text/csv" } });
    expect(wrongSize.status).toBe(400);
    const [body, mac] = url.slice("/v1/files/".length).split(".");
    const grant = JSON.parse(Buffer.from(body, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...grant, size: 5 })).toString("base64url");
    const tampered = await h.call("PUT", `/v1/files/${forged}.${mac}`, {
      raw: "abcde",
      headers: { "content-type": "text/csv" },
    });
    expect(tampered.status).toBe(403);
    // A PUT grant does not read, and nothing of the above was stored.
    expect((await h.call("GET", url)).status).toBe(403);
    expect(uploadFiles(h, a)).toEqual(before);
  });

  it("attaches a receipt from its upload and opens it through a link that needs no bearer header", async () => {
    const t = await h.call("POST", "/v1/transactions", {
      token: a.token,
      body: { date: "2025-01-02", amount: 1_234, merchant: "Hardware Store" },
    });
    const { uploadId } = await sendAhead(h, a, PNG, "image/png");
    const attached = await h.call("PUT", `/v1/transactions/${t.body.transactionId}/receipt`, {
      token: a.token,
      body: { uploadId },
    });
    expect(attached.status).toBe(200);
    expect(attached.body.receiptUrl).toBe(`/v1/transactions/${t.body.transactionId}/receipt`);
    expect(uploadFiles(h, a)).not.toContain(uploadId);
    const link = await h.call("GET", `/v1/transactions/${t.body.transactionId}/receipt/link`, {
      token: a.token,
    });
    expect(link.status).toBe(200);
    expect(Date.parse(link.body.expiresAt) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    const opened = await h.call("GET", link.body.url);
    expect(opened.status).toBe(200);
    expect(opened.headers.get("content-type")).toBe("image/png");
    // An upload that is not an image is refused by its bytes, and the transaction keeps its receipt.
    const text = await sendAhead(h, a, Buffer.from("not a picture"), "image/png");
    const refused = await h.call("PUT", `/v1/transactions/${t.body.transactionId}/receipt`, {
      token: a.token,
      body: { uploadId: text.uploadId },
    });
    expect(refused.status).toBe(415);
    expect(
      (await h.call("GET", `/v1/transactions/${t.body.transactionId}`, { token: a.token })).body.version,
    ).toBe(attached.body.version);
  });
});

/** The queue as the test sees it: what the API sent, in order; failing on demand. */
class RecordingQueue implements ImportQueue {
  readonly jobs: ImportJob[] = [];
  failing = false;
  async send(job: ImportJob): Promise<void> {
    if (this.failing) throw new Error("SQS is unreachable");
    this.jobs.push(JSON.parse(JSON.stringify(job)));
  }
}

const sqsEvent = (...bodies: string[]): SQSEvent => ({
  Records: bodies.map((body, i) => ({
    messageId: `message-${i}`,
    receiptHandle: `handle-${i}`,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: String(Date.now()),
      SenderId: "api",
      ApproximateFirstReceiveTimestamp: String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:tyche-test-imports",
    awsRegion: "us-east-1",
  })),
});

describe("imports answered with 202 where a queue writes them (AWS)", () => {
  let h: Harness;
  const queue = new RecordingQueue();
  const statements = new StatementPool({ workers: 1 });
  let worker: ReturnType<typeof createImportWorker>;
  beforeAll(() => {
    h = harness(undefined, { importQueue: queue });
    // The worker's own service, as import-worker-lambda.ts builds it, over the same files.
    worker = createImportWorker(
      createImportService(h.store, { files: new LocalFileStorage(h.receiptsDir), statements }),
    );
  });
  afterAll(async () => {
    await statements.close();
    await h.close();
  });

  const startAsync = (a: Account, body: FormData | { uploadId: string }) =>
    h.call("POST", "/v1/imports", {
      token: a.token,
      ...(body instanceof FormData ? { raw: body } : { body }),
      headers: { prefer: "respond-async" },
    });
  const form = () => {
    const f = new FormData();
    f.append("file", new Blob([CSV]), "chase.csv");
    return f;
  };
  const record = async (a: Account, importId: string) =>
    (await h.call("GET", `/v1/imports/${importId}`, { token: a.token })).body;

  it("records the import and queues it; the worker writes it under the same record", async () => {
    const a = await signup(h);
    const started = await startAsync(a, form());
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: "running", processed: 0 });
    const job = queue.jobs.at(-1) as ImportJob;
    expect(job).toMatchObject({
      importId: started.body.importId,
      tenantId: a.owner.tenantId,
      fileName: "chase.csv",
    });
    // The inline file waits in storage for the worker; nothing is written yet, and the lease is kept for it.
    expect(uploadFiles(h, a)).toEqual([started.body.importId]);
    expect(await transactionCount(h, a)).toBe(0);
    expect((await record(a, started.body.importId)).status).toBe("running");
    const meanwhile = await h.call("POST", "/v1/imports", { token: a.token, raw: form() });
    expect(meanwhile.status).toBe(409);

    expect(await worker(sqsEvent(JSON.stringify(job)))).toEqual({ batchItemFailures: [] });
    const done = await record(a, started.body.importId);
    expect(done).toMatchObject({
      status: "completed",
      fileName: "chase.csv",
      startedAt: started.body.startedAt,
    });
    expect(done.processed).toBe(done.total);
    expect(done.total).toBe(started.body.total);
    expect(await transactionCount(h, a)).toBe(done.total);
    expect(uploadFiles(h, a)).toEqual([]);

    // Delivered again (SQS is at least once): the import has ended, so nothing more is written.
    expect(await worker(sqsEvent(JSON.stringify(job)))).toEqual({ batchItemFailures: [] });
    expect(await transactionCount(h, a)).toBe(done.total);
    expect((await h.call("POST", "/v1/imports", { token: a.token, raw: form() })).body.counts.imported).toBe(
      0,
    );
  });

  it("queues an upload's import without storing the file again", async () => {
    const a = await signup(h);
    const { uploadId } = await sendAhead(h, a, CSV);
    const started = await startAsync(a, { uploadId });
    expect(started.status).toBe(202);
    const job = queue.jobs.at(-1) as ImportJob;
    expect(job.key).toBe(`uploads/${a.owner.tenantId}/${a.owner.userId}/${uploadId}`);
    expect(uploadFiles(h, a)).toEqual([uploadId]);
    await worker(sqsEvent(JSON.stringify(job)));
    expect((await record(a, started.body.importId)).status).toBe("completed");
    expect(uploadFiles(h, a)).toEqual([]);
  });

  it("repairs, not re-runs, a job whose first run died midway", async () => {
    const a = await signup(h);
    const started = await startAsync(a, form());
    const job = queue.jobs.at(-1) as ImportJob;
    // What a worker killed after it began writing leaves on the lease: the months it writes to.
    const lease: Lease = {
      ...a.owner,
      holder: job.importId,
      importId: job.importId,
      months: ["2025-02"],
      pending: [],
      expiresAt: Date.now() + 60_000,
    };
    const { PutCommand } = await import("@aws-sdk/lib-dynamodb");
    await h.store.db.send(
      new PutCommand({
        TableName: h.store.tables.transactionDetails,
        Item: { ...keys.importLease(a.owner), entity: "importLease", ...lease },
      }),
    );
    await worker(sqsEvent(JSON.stringify(job)));
    const after = await record(a, started.body.importId);
    expect(after).toMatchObject({ status: "failed", failure: INTERRUPTED });
    expect(await transactionCount(h, a)).toBe(0);
    // The lease is let go: the user can import again.
    expect((await h.call("POST", "/v1/imports", { token: a.token, raw: form() })).status).toBe(201);
  });

  it("fails the import, saying why, when its file has gone before the worker came", async () => {
    const a = await signup(h);
    const started = await startAsync(a, form());
    const job = queue.jobs.at(-1) as ImportJob;
    await new LocalFileStorage(h.receiptsDir).delete(job.key);
    await worker(sqsEvent(JSON.stringify(job)));
    const after = await record(a, started.body.importId);
    expect(after.status).toBe("failed");
    expect(after.failure).toContain("gone from storage");
    expect((await h.call("POST", "/v1/imports", { token: a.token, raw: form() })).status).toBe(201);
  });

  it("fails the import at once when the job cannot be queued, and lets the lease go", async () => {
    const a = await signup(h);
    queue.failing = true;
    try {
      const refused = await startAsync(a, form());
      expect(refused.status).toBe(500);
    } finally {
      queue.failing = false;
    }
    const imports = await h.call("POST", "/v1/imports", { token: a.token, raw: form() });
    expect(imports.status).toBe(201);
  });

  it("drops a message that is not a job, and hands back one it could not handle", async () => {
    const failing = createImportWorker({
      resume: () => Promise.reject(new Error("DynamoDB is unreachable")),
    });
    const job: ImportJob = {
      tenantId: "t",
      userId: "u",
      importId: "01JABCDEFGHJKMNPQRSTVWXYZ0",
      key: "uploads/t/u/x",
      fileName: null,
      options: {},
    };
    const result = await failing(sqsEvent("{not json", JSON.stringify({ importId: 1 }), JSON.stringify(job)));
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: "message-2" }] });
  });
});

describe("signed URLs", () => {
  it("are refused when tampered with, expired, or used for another method", () => {
    const signer = new UrlSigner();
    const token = signer.sign({
      method: "GET",
      key: "a/b",
      contentType: "image/png",
      expires: Date.now() + 1000,
    });
    expect(signer.verify(token, "GET")).toMatchObject({ key: "a/b" });
    expect(signer.verify(token, "PUT")).toBeUndefined();
    expect(signer.verify(token, "GET", Date.now() + 2000)).toBeUndefined();
    expect(new UrlSigner().verify(token, "GET")).toBeUndefined();
    expect(signer.verify(`${token}x`, "GET")).toBeUndefined();
    expect(signer.verify("only-one-part", "GET")).toBeUndefined();
  });

  it("for S3 sign the upload's size and type, so S3 refuses any other body", async () => {
    // The client lambda.ts uses: a checksum of the empty body signed into the URL would make S3
    // refuse every real upload.
    const s3 = createS3Client({
      region: "eu-west-1",
      credentials: {
        accessKeyId: "AKIDEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      },
    });
    const files = new S3FileStorage(s3, "tyche-test-receipts");
    const upload = await files.uploadUrl("uploads/t/u/01J", {
      size: 1234,
      contentType: "text/csv",
      expiresIn: 900,
    });
    const url = new URL(upload.url);
    expect(url.hostname).toBe("tyche-test-receipts.s3.eu-west-1.amazonaws.com");
    expect(url.pathname).toBe("/uploads/t/u/01J");
    expect(url.searchParams.get("X-Amz-Expires")).toBe("900");
    expect(url.searchParams.get("X-Amz-SignedHeaders")?.split(";")).toEqual(
      expect.arrayContaining(["content-length", "content-type", "host"]),
    );
    expect([...url.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    expect(upload.headers).toEqual({ "content-type": "text/csv" });
    const download = new URL(
      await files.downloadUrl("t/u/tx/01J", {
        contentType: "image/png",
        disposition: 'inline; filename="receipt.png"',
        expiresIn: 300,
      }),
    );
    expect(download.searchParams.get("response-content-type")).toBe("image/png");
    expect(download.searchParams.get("response-content-disposition")).toBe('inline; filename="receipt.png"');
    expect(download.searchParams.get("X-Amz-Expires")).toBe("300");
    s3.destroy();
  });

  it("take S3's 403 for a missing key (no ListBucket) as absent, and other failures as failures", async () => {
    const failing = (status: number) =>
      new S3FileStorage(
        {
          send: () =>
            Promise.reject(
              new S3ServiceException({
                name: "AccessDenied",
                $fault: "client",
                $metadata: { httpStatusCode: status },
              }),
            ),
        } as unknown as S3Client,
        "tyche-test-receipts",
      );
    expect(await failing(403).size("uploads/t/u/none")).toBeUndefined();
    expect(await failing(403).get("uploads/t/u/none")).toBeUndefined();
    await expect(failing(500).size("uploads/t/u/none")).rejects.toThrow();
  });
});
