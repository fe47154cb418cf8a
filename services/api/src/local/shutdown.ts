import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { dynamoDbLocalCommitBarrier } from "./dynamodb-local-commits";

/** How long requests in flight have to be answered (a chat stream holding on is cut after it). */
export const IN_FLIGHT_GRACE_MS = 5_000;

export interface RunningServer {
  /** The HTTP server: stops taking connections, calls back once those in flight are answered. */
  server: { close(done: () => void): unknown };
  /** Background work that writes (the recurring timer, the analytics refresh), in the order to stop it. */
  background: readonly ({ close(): Promise<void> } | undefined)[];
  client: DynamoDBClient;
  /**
   * A DynamoDB Local this process started; `barrierTable` when it keeps files, to read from before
   * stopping it (dynamodb-local-commits.ts).
   */
  dynamo?: { stop(): Promise<void>; barrierTable?: string } | undefined;
  statements: { close(): Promise<void> };
  warn: (message: string, err: unknown) => void;
}

/**
 * How `npm start` stops on Ctrl-C or SIGTERM, in the one order that loses nothing it has answered:
 * requests in flight are answered, background runs finish their writes (DynamoDB Local must outlive
 * them), then DynamoDB Local's last commits are waited for, and only then is it stopped. Stopped
 * before its COMMIT has run, it would lose a write Tyche has already acknowledged.
 */
export async function shutDown(p: RunningServer, graceMs = IN_FLIGHT_GRACE_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    new Promise<void>((done) => p.server.close(() => done())),
    new Promise<void>((done) => {
      timer = setTimeout(done, graceMs);
    }),
  ]);
  clearTimeout(timer);
  for (const work of p.background) await work?.close();
  if (p.dynamo?.barrierTable)
    await dynamoDbLocalCommitBarrier(p.client, p.dynamo.barrierTable).catch((err) =>
      p.warn("DynamoDB Local did not answer before it was stopped", err),
    );
  p.client.destroy();
  await Promise.all([p.statements.close(), p.dynamo?.stop()]);
}
