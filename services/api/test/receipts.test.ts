import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Account, type Harness, harness, signup } from "./support/harness";

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const PDF = Buffer.from("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

let h: Harness;
let a: Account;
let id: string;

beforeAll(async () => {
  h = harness();
  a = await signup(h);
  const res = await h.call("POST", "/v1/transactions", {
    token: a.token,
    body: { date: "2025-01-02", amount: 1_234, merchant: "Hardware Store" },
  });
  id = res.body.transactionId;
});

/** The stored files of one transaction's receipts: one at most, whatever happened before. */
const files = (account: Account, transactionId: string) => {
  const dir = join(h.receiptsDir, account.owner.tenantId, account.owner.userId, transactionId);
  return existsSync(dir) ? readdirSync(dir) : [];
};

const put = (bytes: Uint8Array, contentType = "application/octet-stream", token = a.token) =>
  h.call("PUT", `/v1/transactions/${id}/receipt`, {
    token,
    raw: bytes,
    headers: { "content-type": contentType },
  });

/**
 * The receipt as a browser gets it: the API redirects to a signed URL (S3's on AWS, the local
 * server's stand-in here), which is fetched without the bearer header.
 */
const open = async (token = a.token, transactionId = id) => {
  const redirect = await h.call("GET", `/v1/transactions/${transactionId}/receipt`, { token });
  if (redirect.status !== 303) return redirect;
  expect(redirect.headers.get("cache-control")).toBe("no-store");
  const location = redirect.headers.get("location") ?? "";
  expect(location).toMatch(/^\/v1\/files\/[\w-]+\.[\w-]+$/);
  return h.call("GET", location);
};

describe("receipts", () => {
  it("stores an image checked by content and serves it to its owner only", async () => {
    const res = await put(PNG, "text/plain");
    expect(res.status).toBe(200);
    expect(res.body.receiptUrl).toBe(`/v1/transactions/${id}/receipt`);
    expect(res.body.version).toBe(2);
    expect(files(a, id)).toHaveLength(1);

    const app = await open();
    expect(app.status).toBe(200);
    expect(app.headers.get("content-type")).toBe("image/png");
    expect(app.headers.get("x-content-type-options")).toBe("nosniff");

    const other = await signup(h);
    expect((await open(other.token)).status).toBe(404);
    expect((await h.call("GET", `/v1/transactions/${id}/receipt/link`, { token: other.token })).status).toBe(
      404,
    );
    expect((await put(PDF, "application/pdf", other.token)).status).toBe(404);
  });

  it("replaces it with a PDF", async () => {
    const first = files(a, id);
    const res = await put(PDF, "application/pdf");
    expect(res.status).toBe(200);
    // the new file replaced the old one
    expect(files(a, id)).toHaveLength(1);
    expect(files(a, id)).not.toEqual(first);
    const stale = await h.call("PUT", `/v1/transactions/${id}/receipt`, {
      token: a.token,
      raw: PNG,
      headers: { "if-match": '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(files(a, id)).toHaveLength(1);
    const got = await open();
    expect(got.headers.get("content-type")).toBe("application/pdf");
    expect(String(got.body)).toContain("%PDF-1.4");
  });

  it("refuses what is not an image or PDF, whatever it is called, and anything over 10 MB", async () => {
    const disguised = await put(Buffer.from("just some text pretending to be a photo"), "image/png");
    expect(disguised.status).toBe(415);
    expect(disguised.headers.get("content-type")).toBe("application/problem+json");
    const html = await put(Buffer.from("<html><script>alert(1)</script></html>"), "application/pdf");
    expect(html.status).toBe(415);
    expect((await put(new Uint8Array(0))).status).toBe(400);
    const huge = Buffer.alloc(10 * 1024 * 1024 + 1);
    PNG.copy(huge);
    expect((await put(huge, "image/png")).status).toBe(413);
    const still = await open();
    expect(still.headers.get("content-type")).toBe("application/pdf");
  });

  it("goes when the transaction goes", async () => {
    expect(files(a, id)).toHaveLength(1);
    expect((await h.call("DELETE", `/v1/transactions/${id}`, { token: a.token })).status).toBe(204);
    expect(files(a, id)).toEqual([]);
    expect((await open()).status).toBe(404);
  });

  it("can be removed on its own", async () => {
    const t = await h.call("POST", "/v1/transactions", {
      token: a.token,
      body: { date: "2025-01-03", amount: 1 },
    });
    const tid = t.body.transactionId;
    await h.call("PUT", `/v1/transactions/${tid}/receipt`, { token: a.token, raw: PNG });
    expect((await h.call("DELETE", `/v1/transactions/${tid}/receipt`, { token: a.token })).status).toBe(204);
    const after = await h.call("GET", `/v1/transactions/${tid}`, { token: a.token });
    expect(after.body.receiptUrl).toBeNull();
    expect(files(a, tid)).toEqual([]);
  });
});
