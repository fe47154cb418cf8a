import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { createS3Client, S3FileStorage } from "../src/storage/files";
import { receiptServing } from "../src/storage/receipts";
import { type Account, type Harness, harness, signup } from "./support/harness";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const JPEG_HEADER = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const pdf = (body: string) => Buffer.from(`%PDF-1.4\n${body}\ntrailer<</Root 1 0 R>>\n%%EOF\n`);
const PLAIN_PDF = pdf("1 0 obj<</Type/Catalog>>endobj");
const HTML = "<html><body><script>alert(document.domain)</script></body></html>";

/** A PDF 1.5 object stream: the catalog's /OpenAction lives only in deflated bytes. */
function objectStreamPdf(): Buffer {
  const hidden = deflateSync(
    Buffer.from("1 0 <</Type/Catalog/OpenAction 2 0 R>> <</S/JavaScript/JS(app.alert(1))>>"),
  );
  return Buffer.concat([
    Buffer.from("%PDF-1.5\n3 0 obj<</Type/ObjStm/N 2/First 8/Filter/FlateDecode/Length "),
    Buffer.from(`${hidden.length}>>stream\n`),
    hidden,
    Buffer.from("\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"),
  ]);
}

let h: Harness;
let a: Account;

beforeAll(async () => {
  h = harness();
  a = await signup(h);
});

const newTransaction = async () =>
  (
    await h.call("POST", "/v1/transactions", {
      token: a.token,
      body: { date: "2025-01-02", amount: 1_234, merchant: "Hardware Store" },
    })
  ).body.transactionId as string;

const put = (id: string, bytes: Uint8Array) =>
  h.call("PUT", `/v1/transactions/${id}/receipt`, {
    token: a.token,
    raw: bytes,
    headers: { "content-type": "application/octet-stream" },
  });

const open = async (id: string) => {
  const redirect = await h.call("GET", `/v1/transactions/${id}/receipt`, { token: a.token });
  expect(redirect.status).toBe(303);
  return h.call("GET", redirect.headers.get("location") ?? "");
};

const storedFiles = (id: string) => {
  const dir = join(h.receiptsDir, a.owner.tenantId, a.owner.userId, id);
  try {
    return readdirSync(dir).map((name) => join(dir, name));
  } catch {
    return [];
  }
};

describe("hostile receipts", () => {
  it("refuses an image with a web page after its header, and PDFs that act when opened, storing nothing", async () => {
    const id = await newTransaction();
    const hostile: Record<string, Buffer> = {
      "png + html": Buffer.concat([PNG, Buffer.from(HTML)]),
      "jpeg header + html": Buffer.concat([JPEG_HEADER, Buffer.alloc(200), Buffer.from(HTML)]),
      "pdf /OpenAction": pdf(
        "1 0 obj<</Type/Catalog/OpenAction 2 0 R>>endobj 2 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj",
      ),
      "pdf /JS only": pdf("1 0 obj<</Type/Catalog/Names<</X<</S/X/JS 3 0 R>>>>>>endobj"),
      "pdf /Launch": pdf("1 0 obj<</Type/Action/S/Launch/F(calc.exe)>>endobj"),
      "pdf /EmbeddedFile": pdf("1 0 obj<</Type/EmbeddedFile>>endobj"),
      "pdf /AA": pdf("1 0 obj<</Type/Page/AA<</O 4 0 R>>>>endobj"),
      "pdf name spelled in #hex": pdf("1 0 obj<</Type/Catalog/Open#41ction 2 0 R>>endobj"),
      "pdf action in an object stream": objectStreamPdf(),
    };
    for (const [name, bytes] of Object.entries(hostile)) {
      const res = await put(id, bytes);
      expect(res.status, name).toBe(415);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    expect(storedFiles(id)).toEqual([]);
    const after = await h.call("GET", `/v1/transactions/${id}`, { token: a.token });
    expect(after.body.receiptUrl).toBeNull();
    expect(after.body.version).toBe(1);
  });

  it("serves an image inline under a sandbox CSP and nosniff, and a PDF only as a download", async () => {
    const id = await newTransaction();
    expect((await put(id, PNG)).status).toBe(200);
    const image = await open(id);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(image.headers.get("content-disposition")).toBe('inline; filename="receipt.png"');
    expect(image.headers.get("content-security-policy")).toContain("sandbox");
    expect(image.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(image.headers.get("x-content-type-options")).toBe("nosniff");

    expect((await put(id, PLAIN_PDF)).status).toBe(200);
    const doc = await open(id);
    expect(doc.headers.get("content-type")).toBe("application/pdf");
    expect(doc.headers.get("content-disposition")).toBe('attachment; filename="receipt.pdf"');
    expect(doc.headers.get("content-security-policy")).toContain("sandbox");
  });

  it("checks the bytes again when serving: a stored file that is no longer what was recorded is only a download", async () => {
    const id = await newTransaction();
    expect((await put(id, PNG)).status).toBe(200);
    const [file] = storedFiles(id);
    // the bytes changed behind the API's back (a restored backup, a bug, an attacker with the disk)
    writeFileSync(file as string, HTML);
    const got = await open(id);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("application/octet-stream");
    expect(got.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(got.headers.get("x-content-type-options")).toBe("nosniff");
    const link = await h.call("GET", `/v1/transactions/${id}/receipt/link`, { token: a.token });
    expect(link.status).toBe(200);
  });

  it("decides the type and disposition before signing an S3 URL, which S3 then sends as signed", async () => {
    expect(receiptServing("image/png", "image/png")).toEqual({
      contentType: "image/png",
      disposition: 'inline; filename="receipt.png"',
    });
    expect(receiptServing("application/pdf", "application/pdf").disposition).toMatch(/^attachment;/);
    expect(receiptServing("image/png", undefined)).toEqual({
      contentType: "application/octet-stream",
      disposition: 'attachment; filename="receipt.bin"',
    });
    expect(receiptServing("text/html", "text/html").contentType).toBe("application/octet-stream");

    const s3 = createS3Client({
      region: "eu-west-1",
      credentials: {
        accessKeyId: "AKIDEXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      },
    });
    const files = new S3FileStorage(s3, "tyche-test-receipts");
    const url = new URL(
      await files.downloadUrl("t/u/tx/01J", {
        ...receiptServing("application/pdf", "application/pdf"),
        expiresIn: 300,
      }),
    );
    expect(url.searchParams.get("response-content-type")).toBe("application/pdf");
    expect(url.searchParams.get("response-content-disposition")).toBe('attachment; filename="receipt.pdf"');
    s3.destroy();
  });
});
