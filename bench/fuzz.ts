/**
 * Hostile input (issue 22, item 3): `npm run fuzz -- --cases 1000 --seed 7`. DynamoDB Local in
 * memory and the app in this process (as the bounded run in `services/api/test/fuzz.test.ts`), so
 * every tenant's items can be read before and after each request. Requests come from the app's
 * OpenAPI document (services/api/test/support/fuzz). `--only N` replays one case of a seed.
 * Exits 1 on any finding.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../services/api/src/app";
import { LocalTokens } from "../services/api/src/auth/local-tokens";
import { createDocumentClient, createDynamoClient } from "../services/api/src/db/client";
import { ensureTables } from "../services/api/src/db/create-tables";
import { tableNames } from "../services/api/src/db/tables";
import { StatementPool } from "../services/api/src/imports/statement-reader";
import { startDynamoDbLocal, waitForDynamo } from "../services/api/src/local/dynamodb-local";
import { LocalFileStorage } from "../services/api/src/storage/files";
import { fuzz, printReport } from "../services/api/test/support/fuzz/run";
import { sender } from "../services/api/test/support/fuzz/world";
import { intFlags } from "./flags";

const flags = intFlags({ cases: 1_000, seed: Date.now() % 1_000_000 }, ["only"]);

async function main(): Promise<number> {
  const dynamo = await startDynamoDbLocal({});
  const client = createDynamoClient({ endpoint: dynamo.endpoint });
  const receipts = await mkdtemp(join(tmpdir(), "tyche-fuzz-"));
  const statements = new StatementPool();
  try {
    await waitForDynamo(client);
    const tables = tableNames({});
    await ensureTables(client, tables);
    const store = { db: createDocumentClient(client), tables };
    const tokens = new LocalTokens(randomBytes(32));
    const app = createApp({
      ...store,
      authenticator: tokens,
      files: new LocalFileStorage(receipts),
      statements,
    });
    const started = performance.now();
    const report = await fuzz(
      {
        send: sender(async (input, init) => app.request(input, init)),
        store,
        issueExpired: async (t) => (await tokens.issue(t, new Date(Date.now() - 13 * 60 * 60 * 1000))).token,
      },
      {
        seed: flags.seed,
        cases: flags.cases,
        ...(flags.only !== undefined ? { only: flags.only } : {}),
        log: (l) => console.log(l),
      },
    );
    printReport(report, (l) => console.log(l));
    console.log(`${((performance.now() - started) / 1000).toFixed(1)} s`);
    return report.findings.length ? 1 : 0;
  } finally {
    await statements.close();
    client.destroy();
    await dynamo.stop();
    await rm(receipts, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
