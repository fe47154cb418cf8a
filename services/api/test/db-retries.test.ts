import {
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createApp } from "../src/app";
import { createDocumentClient, createDynamoClient } from "../src/db/client";
import { tableNames } from "../src/db/tables";
import { LocalFileStorage } from "../src/storage/files";
import { type Account, type Harness, harness, signup } from "./support/harness";

/**
 * Issue 22, item 2: DynamoDB throttling and transaction conflicts are retried with backoff and
 * jitter, then reported (503 with Retry-After), never lost and never doubled. DynamoDB Local never
 * throttles nor conflicts on its own, so a second app on the same real tables has a client whose
 * attempts of TransactWriteItems are refused as DynamoDB refuses them, below the SDK's retries.
 */

type Fault = "throttle" | "conflict";
let h: Harness;
let plan: { fault: Fault; times: number } | undefined;
let attempts = 0;

function faultyApp() {
  const client = createDynamoClient({ endpoint: inject("dynamoEndpoint") });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "TransactWriteItemsCommand") return next(args);
      attempts += 1;
      if (plan && plan.times > 0) {
        plan.times -= 1;
        const $metadata = { httpStatusCode: 400 };
        throw plan.fault === "throttle"
          ? new ProvisionedThroughputExceededException({ message: "Rate exceeded", $metadata })
          : new TransactionCanceledException({
              message: "Transaction cancelled",
              $metadata,
              CancellationReasons: [{ Code: "TransactionConflict" }],
            });
      }
      return next(args);
    },
    // Each attempt passes here: the retry strategy sits above, in finalizeRequest.
    { step: "deserialize", name: "injectFaults" },
  );
  return createApp({
    db: createDocumentClient(client),
    tables: tableNames({}),
    authenticator: h.tokens,
    files: new LocalFileStorage(h.receiptsDir),
  });
}

let app: ReturnType<typeof createApp>;
beforeAll(() => {
  h = harness();
  app = faultyApp();
});
afterAll(() => h.close());

const create = (a: Account, key: string, merchant: string) =>
  app.request("/v1/transactions", {
    method: "POST",
    headers: {
      authorization: `Bearer ${a.token}`,
      "content-type": "application/json",
      "idempotency-key": key,
    },
    body: JSON.stringify({ date: "2026-11-20", amount: 1234, type: "expense", merchant }),
  });

async function stored(a: Account, merchant: string) {
  const list = await h.call("GET", "/v1/transactions?month=2026-11", { token: a.token });
  expect(list.status).toBe(200);
  return (list.body.items as { merchant: string }[]).filter((t) => t.merchant === merchant);
}

describe("DynamoDB throttling", () => {
  it("is retried by the SDK with backoff: two refused attempts, then the create lands once", async () => {
    const a = await signup(h);
    plan = { fault: "throttle", times: 2 };
    attempts = 0;
    const res = await create(a, "throttled-twice", "Throttled Shop");
    expect(res.status).toBe(201);
    expect(attempts).toBe(3);
    expect(await stored(a, "Throttled Shop")).toHaveLength(1);
  });

  it("past the retries answers 503 database-unavailable with Retry-After, writing nothing; the retry with its key lands once", async () => {
    const a = await signup(h);
    plan = { fault: "throttle", times: 1_000 };
    const res = await create(a, "throttled-long", "Busy Shop");
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await res.json()) as { type: string }).type).toMatch(/database-unavailable$/);
    plan = undefined;
    expect(await stored(a, "Busy Shop")).toHaveLength(0);
    const again = await create(a, "throttled-long", "Busy Shop");
    expect(again.status).toBe(201);
    expect((await create(a, "throttled-long", "Busy Shop")).status).toBe(201);
    expect(await stored(a, "Busy Shop")).toHaveLength(1);
  });
});

describe("transaction conflicts", () => {
  it("are retried with jittered backoff until the write lands, once", async () => {
    const a = await signup(h);
    plan = { fault: "conflict", times: 3 };
    attempts = 0;
    const res = await create(a, "conflicted", "Contended Shop");
    expect(res.status).toBe(201);
    expect(attempts).toBe(4);
    expect(await stored(a, "Contended Shop")).toHaveLength(1);
  });

  it("that never end answer 503 write-contention with Retry-After, writing nothing", async () => {
    const a = await signup(h);
    plan = { fault: "conflict", times: 1_000 };
    const res = await create(a, "contended-long", "Never Shop");
    plan = undefined;
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await res.json()) as { type: string }).type).toMatch(/write-contention$/);
    expect(await stored(a, "Never Shop")).toHaveLength(0);
    expect((await create(a, "contended-long", "Never Shop")).status).toBe(201);
    expect(await stored(a, "Never Shop")).toHaveLength(1);
  });
});
