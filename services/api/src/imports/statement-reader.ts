import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { DomainError } from "../errors";
import type { ReadRequest, Statement } from "./parse-task";
import type { TaskMessage, WireError, WorkerMessage } from "./statement-worker";

/** Reads bank files into their rows, away from the thread that answers requests. */
export interface StatementReader {
  /**
   * With `transfer`, the file's bytes move to the worker without a copy when they fill their own
   * buffer, and `file.bytes` is empty afterwards: pass it only when nothing reads them later.
   */
  read(
    file: { name?: string; bytes: Uint8Array },
    request: ReadRequest,
    how?: { transfer?: boolean },
  ): Promise<Statement>;
  /** Stops every worker; files still waiting or being read fail. */
  close(): Promise<void>;
}

export interface StatementPoolOptions {
  /** Files read at once. Default: 2, or 1 on a one-core machine. */
  workers?: number;
  /** A file still being read after this is refused and its worker replaced. Default 10 s. */
  timeLimitMs?: number;
  /** Files waiting for a worker beyond this are refused (429). Default 8. */
  maxQueued?: number;
  /** A worker's heap: a file that needs more is refused instead of taking the server down. Default 1 GB. */
  maxHeapMb?: number;
}

export const DEFAULT_PARSE_TIME_LIMIT_MS = 10_000;
export const defaultWorkerCount = () => Math.max(1, Math.min(2, availableParallelism()));

interface Task {
  message: TaskMessage;
  transfer: ArrayBuffer[];
  resolve: (statement: Statement) => void;
  reject: (err: unknown) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  task?: Task;
  timer?: NodeJS.Timeout;
  /** The worker's own uncaught error, reported again when it exits. */
  error?: unknown;
}

const fileTooSlow = (ms: number) => {
  const message = `could not be read within ${Math.max(1, Math.round(ms / 1000))} s; split it into smaller files`;
  return new DomainError("invalid", `file ${message}`, {
    slug: "file-too-slow",
    title: "File took too long to read",
    errors: [{ path: "file", message }],
  });
};

const fileTooBig = () => {
  const message = "needs more memory to read than one import may use; split it into smaller files";
  return new DomainError("invalid", `file ${message}`, { errors: [{ path: "file", message }] });
};

const busy = () =>
  new DomainError("too-many-attempts", "Too many bank files are being read at once; try again shortly", {
    slug: "imports-busy",
    title: "Busy",
    retryAfterSeconds: 2,
  });

function fromWire(e: WireError): Error {
  if (e.domain) return new DomainError(e.failure, e.detail, e.extra);
  // Not the caller's to see: it is logged and answered as a 500 (http/problem.ts), like any bug.
  const err = new Error(e.message);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}

/** Node's own flags for tsx's hooks, which a worker should not inherit (see `workerScript`). */
function withoutTsx(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i] as string;
    const flag = /^--(?:import|require|loader|experimental-loader)(?:=(.*))?$/.exec(arg);
    if (flag) {
      const value = flag[1] ?? execArgv[i + 1] ?? "";
      if (value === "tsx" || value.startsWith("tsx/") || /[\\/]tsx[\\/]/.test(value)) {
        if (flag[1] === undefined) i++;
        continue;
      }
    }
    out.push(arg);
  }
  return out;
}

/**
 * How to start a worker. Bundled (esbuild, for Lambda), the worker is its own bundle beside this
 * one, `statement-worker.mjs`. From source (tsx, vitest), the worker has to load TypeScript itself:
 * on Node 20, tsx's `--import` hooks register only on the main thread and are not inherited by
 * workers, and vitest transforms only its own module graph, so the worker registers tsx's hooks
 * (`tsx/esm/api`) before importing its TypeScript entry. tsx's flags are dropped from the worker's
 * so that newer Node, which does inherit them, does not register the hooks twice.
 */
function workerScript(): { script: string | URL; options: ConstructorParameters<typeof Worker>[1] } {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { script: new URL("./statement-worker.mjs", here), options: {} };
  const entry = new URL("./statement-worker.ts", here).href;
  const tsx = import.meta.resolve("tsx/esm/api");
  return {
    script: `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); });`,
    options: { eval: true, execArgv: withoutTsx(process.execArgv) },
  };
}

/**
 * A fixed number of worker threads that read bank files, started when first needed, with a queue
 * in front. A file that takes longer than the time limit is answered with a 422 on `file` and its
 * worker terminated and replaced, so a pathological file costs its time limit and nothing more.
 * Idle workers do not keep the process alive, so a pool nobody closes does not hang a test run.
 */
export class StatementPool implements StatementReader {
  private readonly size: number;
  private readonly timeLimitMs: number;
  private readonly maxQueued: number;
  private readonly maxHeapMb: number;
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  /** Workers being terminated: `close` waits for them too. */
  private readonly stopping = new Set<Promise<number>>();
  private nextId = 1;
  private closed = false;

  constructor(options: StatementPoolOptions = {}) {
    this.size = options.workers ?? defaultWorkerCount();
    this.timeLimitMs = options.timeLimitMs ?? DEFAULT_PARSE_TIME_LIMIT_MS;
    this.maxQueued = options.maxQueued ?? 8;
    this.maxHeapMb = options.maxHeapMb ?? 1024;
    if (!Number.isInteger(this.size) || this.size < 1) throw new RangeError("workers must be at least 1");
    if (!(this.timeLimitMs > 0)) throw new RangeError("timeLimitMs must be positive");
  }

  /** Workers started (ready or starting), for tests and health checks. */
  get workerCount(): number {
    return this.slots.length;
  }

  read(
    file: { name?: string; bytes: Uint8Array },
    request: ReadRequest,
    how: { transfer?: boolean } = {},
  ): Promise<Statement> {
    if (this.closed) return Promise.reject(new Error("The statement reader is closed"));
    if (this.queue.length >= this.maxQueued) return Promise.reject(busy());
    const { bytes } = file;
    // A view of part of a buffer (a pooled Buffer, say) is copied to its own first: cloning it
    // would copy the whole buffer behind it.
    const owned =
      how.transfer &&
      bytes.buffer instanceof ArrayBuffer &&
      bytes.byteOffset === 0 &&
      bytes.byteLength === bytes.buffer.byteLength
        ? bytes
        : bytes.slice();
    return new Promise<Statement>((resolve, reject) => {
      this.queue.push({
        message: { id: this.nextId++, bytes: owned, fileName: file.name, request },
        transfer: [owned.buffer as ArrayBuffer],
        resolve,
        reject,
      });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const stopped = new Error("The statement reader was closed");
    for (const task of this.queue.splice(0)) task.reject(stopped);
    for (const slot of [...this.slots]) this.retire(slot, stopped);
    await Promise.all(this.stopping);
  }

  /** Hands waiting files to idle workers, and starts workers for the rest, up to the pool's size. */
  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) {
      const task = slot.ready && !slot.task ? this.queue.shift() : undefined;
      if (task) this.run(slot, task);
    }
    const starting = this.slots.filter((s) => !s.ready).length;
    const wanted = Math.min(this.queue.length - starting, this.size - this.slots.length);
    for (let i = 0; i < wanted; i++) this.spawn();
  }

  private run(slot: Slot, task: Task): void {
    slot.task = task;
    // A file being read keeps the process alive, like any request in flight.
    slot.worker.ref();
    slot.timer = setTimeout(() => this.retire(slot, fileTooSlow(this.timeLimitMs)), this.timeLimitMs);
    slot.worker.postMessage(task.message, task.transfer);
  }

  private spawn(): void {
    let worker: Worker;
    try {
      const { script, options } = workerScript();
      worker = new Worker(script, {
        ...options,
        resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
      });
    } catch (err) {
      for (const task of this.queue.splice(0)) task.reject(err);
      return;
    }
    const slot: Slot = { worker, ready: false };
    this.slots.push(slot);
    worker.on("message", (m: WorkerMessage) => this.onMessage(slot, m));
    worker.on("error", (err) => {
      slot.error = err;
    });
    worker.on("exit", (code) => this.onExit(slot, code));
  }

  private onMessage(slot: Slot, m: WorkerMessage): void {
    if (m.type === "ready") slot.ready = true;
    else {
      const task = slot.task;
      if (!task || task.message.id !== m.id) return;
      clearTimeout(slot.timer);
      slot.task = undefined;
      if (m.type === "done") task.resolve(m.statement);
      else task.reject(fromWire(m.error));
    }
    this.pump();
    if (!slot.task) slot.worker.unref();
  }

  /** A worker that died by itself: its file fails, and a replacement starts if files wait. */
  private onExit(slot: Slot, code: number): void {
    const at = this.slots.indexOf(slot);
    if (at < 0) return; // retired on purpose
    this.slots.splice(at, 1);
    clearTimeout(slot.timer);
    const oom = (slot.error as { code?: string } | undefined)?.code === "ERR_WORKER_OUT_OF_MEMORY";
    const err = oom
      ? fileTooBig()
      : (slot.error ?? new Error(`The statement worker stopped unexpectedly (exit code ${code})`));
    slot.task?.reject(err);
    // A worker that could not even start would fail the same way again: the waiting files fail
    // now rather than respawning for ever; the next file tries again.
    if (!slot.ready) for (const task of this.queue.splice(0)) task.reject(err);
    this.pump();
  }

  /** Stops a worker on purpose (time limit, close): its file fails with `reason`. */
  private retire(slot: Slot, reason: unknown): void {
    const at = this.slots.indexOf(slot);
    if (at >= 0) this.slots.splice(at, 1);
    clearTimeout(slot.timer);
    slot.task?.reject(reason);
    slot.task = undefined;
    const stopped = slot.worker.terminate();
    this.stopping.add(stopped);
    void stopped.finally(() => this.stopping.delete(stopped));
    this.pump();
  }
}

/**
 * The pool of a Lambda (the API's, the import worker's): one request at a time per environment, so
 * one worker, there for its time limit and its heap bound, which must leave the function room of
 * its own (half of its memory). Its entry is the bundle `statement-worker.mjs` beside the
 * function's (docs/ARCHITECTURE.md, Bank imports).
 */
export function lambdaStatementPool(options: StatementPoolOptions): StatementPool {
  const memoryMb = Number(process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? 1024);
  return new StatementPool({ ...options, workers: 1, maxHeapMb: Math.max(128, Math.floor(memoryMb / 2)) });
}
