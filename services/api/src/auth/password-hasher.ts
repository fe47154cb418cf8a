import { Worker } from "node:worker_threads";
import { DomainError } from "../errors";

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * The worker's whole program, inline so that it runs the same from source, bundled, and in Lambda.
 * It lowers its own thread's priority (on Linux, setpriority(0) names the calling thread), and
 * derives with scryptSync so the work stays on this thread instead of libuv's pool, which the
 * server's file and DNS work share.
 */
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { scryptSync } = require("node:crypto");
const { setPriority } = require("node:os");
try { setPriority(19); } catch {}
parentPort.on("message", ({ id, password, salt, keyLength, params }) => {
  try {
    const key = scryptSync(password, Buffer.from(salt), keyLength, { ...params, maxmem: 256 * params.N * params.r });
    parentPort.postMessage({ id, key });
  } catch (err) {
    parentPort.postMessage({ id, error: String(err && err.message || err) });
  }
});
`;

export const DEFAULT_MAX_QUEUED = 8;

export const hashingBusy = (retryAfterSeconds = 1) =>
  new DomainError("unavailable", "Too many sign-ins at once; try again in a moment", {
    slug: "busy",
    title: "Busy",
    retryAfterSeconds,
  });

interface Job {
  id: number;
  message: { id: number; password: string; salt: Uint8Array; keyLength: number; params: ScryptParams };
  resolve: (key: Buffer) => void;
  reject: (err: Error) => void;
}

/**
 * Password hashing off the thread that answers requests: one scrypt at a time, in one worker thread
 * at the lowest CPU priority, so a flood of logins takes at most one core's spare time and no
 * other user's request waits behind it. At most `maxQueued` wait; more are refused at once (503
 * busy with Retry-After) rather than queued for ever.
 */
export class PasswordHasher {
  private worker: Worker | undefined;
  private running: Job | undefined;
  private readonly queue: Job[] = [];
  private next = 0;
  /** Logins inside `admit`, hashing or on their way to it. */
  private admitted = 0;

  constructor(private readonly maxQueued = DEFAULT_MAX_QUEUED) {}

  /** Waiting and running derivations, for tests and figures. */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  /**
   * Runs a login's whole work (throttle, credential read, hash) holding one of the places the
   * queue has, taken before anything else. A login refused only when it asks for its hash would
   * already have paid for its DynamoDB round trips, and a flood resending at once would make the
   * server do that work thousands of times a second: refused at the door, it costs next to nothing.
   */
  async admit<T>(work: () => Promise<T>): Promise<T> {
    if (this.admitted > this.maxQueued) throw hashingBusy(Math.max(1, Math.ceil(this.admitted / 8)));
    this.admitted += 1;
    try {
      return await work();
    } finally {
      this.admitted -= 1;
    }
  }

  derive(password: string, salt: Uint8Array, keyLength: number, params: ScryptParams): Promise<Buffer> {
    if (this.running && this.queue.length >= this.maxQueued)
      return Promise.reject(hashingBusy(Math.max(1, Math.ceil(this.queue.length / 8))));
    return new Promise((resolve, reject) => {
      const id = this.next++;
      this.queue.push({ id, message: { id, password, salt, keyLength, params }, resolve, reject });
      this.pump();
    });
  }

  /** Stops the worker; derivations still waiting fail. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    for (const job of this.queue.splice(0)) job.reject(new Error("password hasher closed"));
    this.running?.reject(new Error("password hasher closed"));
    this.running = undefined;
    await w?.terminate();
  }

  private pump(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) {
      // Idle: the worker must not keep the process alive.
      this.worker?.unref();
      return;
    }
    this.running = job;
    const worker = this.ensureWorker();
    worker.ref();
    worker.postMessage(job.message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [] });
    worker.on("message", (m: { id: number; key?: Uint8Array; error?: string }) => {
      const job = this.running;
      if (!job || job.id !== m.id) return;
      this.running = undefined;
      if (m.key) job.resolve(Buffer.from(m.key));
      else job.reject(new Error(m.error ?? "scrypt failed"));
      this.pump();
    });
    const fail = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const job = this.running;
      this.running = undefined;
      job?.reject(err);
      this.pump();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`password hasher exited with ${code}`)));
    this.worker = worker;
    return worker;
  }
}
