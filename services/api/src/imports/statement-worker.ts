import { parentPort } from "node:worker_threads";
import { DomainError } from "../errors";
import { parseStatementTask, type ReadRequest, type Statement } from "./parse-task";

/**
 * The parsing worker's entry (run by `StatementPool`, never imported): it reads one file at a time,
 * so however long a file takes, the request thread stays free to answer everyone else.
 */

export interface TaskMessage {
  id: number;
  bytes: Uint8Array;
  fileName: string | undefined;
  request: ReadRequest;
}

/** What went wrong, as plain data: a DomainError's own fields would not survive structured clone. */
export type WireError =
  | { domain: true; failure: DomainError["failure"]; detail: string; extra: DomainError["extra"] }
  | { domain: false; name: string; message: string; stack: string | undefined };

export type WorkerMessage =
  | { type: "ready" }
  | { type: "done"; id: number; statement: Statement }
  | { type: "failed"; id: number; error: WireError };

function toWire(err: unknown): WireError {
  if (err instanceof DomainError)
    return { domain: true, failure: err.failure, detail: err.detail, extra: err.extra };
  const e = err instanceof Error ? err : new Error(String(err));
  return { domain: false, name: e.name, message: e.message, stack: e.stack };
}

const port = parentPort;
if (!port) throw new Error("statement-worker.ts runs as a worker thread, started by StatementPool");

port.on("message", async (task: TaskMessage) => {
  try {
    // Awaited, so the task may become asynchronous without touching the worker.
    const statement = await parseStatementTask(task.bytes, task.fileName, task.request);
    // Cloning the rows can fail too (a value structured clone refuses): that is a failed task.
    port.postMessage({ type: "done", id: task.id, statement } satisfies WorkerMessage);
  } catch (err) {
    port.postMessage({ type: "failed", id: task.id, error: toWire(err) } satisfies WorkerMessage);
  }
});
port.postMessage({ type: "ready" } satisfies WorkerMessage);
