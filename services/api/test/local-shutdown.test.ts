import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetItemCommand, TransactWriteItemsCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDynamoClient } from "../src/db/client";
import { ensureTables } from "../src/db/create-tables";
import { tableNames } from "../src/db/tables";
import { type DynamoDbLocal, startDynamoDbLocal, waitForDynamo } from "../src/local/dynamodb-local";
import { shutDown } from "../src/local/shutdown";

/**
 * `npm start`'s stop, against a DynamoDB Local of its own keeping files. That DynamoDB Local loses
 * an acknowledged write stopped before its COMMIT has run (dynamodb-local-commits.ts), a gap this
 * test cannot make happen on demand: what it holds to is the order that closes the gap, each step
 * after the one it needs.
 */
const tables = tableNames({});
let dbPath: string;

beforeAll(() => {
  dbPath = mkdtempSync(join(tmpdir(), "tyche-shutdown-"));
});
afterAll(() => rmSync(dbPath, { recursive: true, force: true }));

/** A client recording every command it sends into `events`. */
function recordingClient(endpoint: string, events: string[]) {
  const client = createDynamoClient({ endpoint });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ConsistentRead?: boolean; TableName?: string };
      const result = await next(args);
      events.push(
        `${context.commandName}${input.ConsistentRead ? " consistent" : ""}${input.TableName ? ` ${input.TableName}` : ""}`,
      );
      return result;
    },
    { step: "initialize", name: "recordForShutdownTest" },
  );
  return client;
}

const item = (id: string) => ({ PK: { S: `SHUTDOWN#${id}` }, SK: { S: "ITEM" } });

async function started(events: string[], opts: { keepsFiles: boolean }) {
  const dynamo: DynamoDbLocal = await startDynamoDbLocal(opts.keepsFiles ? { dbPath } : {});
  const client = recordingClient(dynamo.endpoint, events);
  await waitForDynamo(client);
  if (opts.keepsFiles) await ensureTables(client, tables);
  // An HTTP server with one request in flight, which must be answered before anything else stops.
  const http = createServer((_req, res) => {
    setTimeout(() => {
      events.push("request answered");
      res.end("ok");
    }, 300);
  });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const inFlight = fetch(`http://127.0.0.1:${(http.address() as AddressInfo).port}/`).then((r) => r.text());
  await new Promise((r) => setTimeout(r, 50));
  return { dynamo, client, http, inFlight };
}

describe("npm start's stop", () => {
  it("answers requests in flight, lets background work finish, waits for DynamoDB Local's commits, then stops it", async () => {
    const events: string[] = [];
    const { dynamo, client, http, inFlight } = await started(events, { keepsFiles: true });
    await client.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: tables.transactions, Item: { ...item("a"), amount: { N: "1234" } } } },
        ],
      }),
    );
    events.length = 0;
    await shutDown({
      server: http,
      background: [{ close: async () => void events.push("background closed") }, undefined],
      client,
      dynamo: {
        stop: async () => {
          events.push("DynamoDB Local stopping");
          await dynamo.stop();
        },
        barrierTable: tables.users,
      },
      statements: { close: async () => void events.push("statements closed") },
      warn: (message) => events.push(`warned: ${message}`),
    });
    expect(await inFlight).toBe("ok");
    expect(events).toEqual([
      "request answered",
      "background closed",
      `GetItemCommand consistent ${tables.users}`,
      "statements closed",
      "DynamoDB Local stopping",
    ]);

    // And what was acknowledged is there after a restart on the same files.
    const again = await startDynamoDbLocal({ dbPath });
    const reader = createDynamoClient({ endpoint: again.endpoint });
    try {
      await waitForDynamo(reader);
      const { Item } = await reader.send(
        new GetItemCommand({ TableName: tables.transactions, Key: item("a"), ConsistentRead: true }),
      );
      expect(Item?.amount).toEqual({ N: "1234" });
    } finally {
      reader.destroy();
      await again.stop();
    }
  });

  it("in memory, where nothing is kept, stops DynamoDB Local without the barrier's read", async () => {
    const events: string[] = [];
    const { dynamo, client, http, inFlight } = await started(events, { keepsFiles: false });
    events.length = 0;
    await shutDown({
      server: http,
      background: [],
      client,
      dynamo: { stop: () => dynamo.stop() },
      statements: { close: async () => {} },
      warn: (message) => events.push(`warned: ${message}`),
    });
    expect(await inFlight).toBe("ok");
    expect(events).toEqual(["request answered"]);
  });

  it("a request that holds on past the grace period does not keep DynamoDB Local running", async () => {
    const events: string[] = [];
    const dynamo = await startDynamoDbLocal({});
    const client = recordingClient(dynamo.endpoint, events);
    const stuck = createServer(() => {}); // never answers
    await new Promise<void>((r) => stuck.listen(0, "127.0.0.1", r));
    let answered = false;
    const hanging = fetch(`http://127.0.0.1:${(stuck.address() as AddressInfo).port}/`)
      .catch(() => {})
      .finally(() => {
        answered = true;
      });
    await new Promise((r) => setTimeout(r, 50));
    await shutDown(
      {
        server: stuck,
        background: [],
        client,
        dynamo: { stop: () => dynamo.stop() },
        statements: { close: async () => {} },
        warn: () => {},
      },
      200,
    );
    await dynamo.exited; // resolves only once Java has exited
    expect(answered).toBe(false); // the request still held on when DynamoDB Local was stopped
    stuck.closeAllConnections();
    await hanging;
  });
});
