import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readlinkSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDynamoClient } from "../src/db/client";
import { startDynamoDbLocal, waitForDynamo } from "../src/local/dynamodb-local";

const METADATA = "dynamodb-local-metadata.json";
const REPO_ROOT = resolve(import.meta.dirname, "../../..");
const dataDir = mkdtempSync(join(tmpdir(), "tyche-dynamodb-test-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function commandLine(pid: number | undefined): string {
  return spawnSync("ps", ["-o", "args=", "-p", String(pid)], { encoding: "utf8" }).stdout.trim();
}

/** When the metadata file was last written in each place the app may be started from, if it is there. */
function metadataOutsideItsDir(): Record<string, number | undefined> {
  return Object.fromEntries(
    [REPO_ROOT, process.cwd()].map((dir) => {
      const file = join(dir, METADATA);
      return [dir, existsSync(file) ? statSync(file).mtimeMs : undefined];
    }),
  );
}

async function answers(endpoint: string): Promise<void> {
  const client = createDynamoClient({ endpoint });
  try {
    await waitForDynamo(client);
  } finally {
    client.destroy();
  }
}

describe("DynamoDB Local as a guest", () => {
  it("runs in memory without telemetry, in a temp dir of its own that goes when it stops", async () => {
    const before = metadataOutsideItsDir();
    const dynamo = await startDynamoDbLocal({});
    try {
      await answers(dynamo.endpoint);
      const args = commandLine(dynamo.pid);
      expect(args).toContain("DynamoDBLocal.jar");
      expect(args).toContain("-disableTelemetry");
      expect(args).toContain("-inMemory");
      expect(dynamo.cwd.startsWith(tmpdir())).toBe(true);
      expect(readlinkSync(`/proc/${dynamo.pid}/cwd`)).toBe(dynamo.cwd);
      expect(metadataOutsideItsDir()).toEqual(before);
    } finally {
      await dynamo.stop();
    }
    expect(existsSync(dynamo.cwd)).toBe(false);
    expect(metadataOutsideItsDir()).toEqual(before);
  });

  it("runs a file database in its data dir, which it keeps", async () => {
    const before = metadataOutsideItsDir();
    const dbPath = join(dataDir, "dynamodb");
    const dynamo = await startDynamoDbLocal({ dbPath });
    try {
      await answers(dynamo.endpoint);
      const args = commandLine(dynamo.pid);
      expect(args).toContain("-disableTelemetry");
      expect(args).toContain(`-dbPath ${dbPath}`);
      expect(dynamo.cwd).toBe(dbPath);
      expect(readlinkSync(`/proc/${dynamo.pid}/cwd`)).toBe(dbPath);
    } finally {
      await dynamo.stop();
    }
    expect(existsSync(dbPath)).toBe(true);
    expect(metadataOutsideItsDir()).toEqual(before);
  });
});
