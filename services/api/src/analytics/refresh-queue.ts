import { type Owner, ownerKey } from "../db/keys";
import { log } from "../log";

export interface RefreshOptions {
  /** How long after the first change of a burst the queued months are computed. */
  delayMs?: number;
  /** Months computed at once. */
  concurrency?: number;
  /** Where a failed refresh is reported; the next read of that month computes it anyway. */
  onError?: (err: unknown, owner: Owner, month: string) => void;
}

/** What writers that change many months in a row use: a hold, released when they are done. */
export interface RefreshHold {
  hold(owner: Owner): () => void;
}

interface Pending {
  owner: Owner;
  month: string;
}

/**
 * Months whose analytics are due, computed in the background and never while the writer waits.
 * A burst of changes (the chunks of an import, a page of edits) is coalesced: a month queued many
 * times before its turn is computed once, and a month changed while it is being computed is
 * computed once more afterwards. While a user is held (an import running), their months wait and
 * are computed once when the hold is released.
 */
export class RefreshQueue implements RefreshHold {
  private readonly pending = new Map<string, Pending>();
  private readonly running = new Set<string>();
  private readonly held = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  /** Months computed so far, for tests and figures. */
  runs = 0;

  private readonly delayMs: number;
  private readonly concurrency: number;
  private readonly onError: NonNullable<RefreshOptions["onError"]>;

  constructor(
    private readonly refresh: (owner: Owner, month: string) => Promise<void>,
    options: RefreshOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 200;
    this.concurrency = options.concurrency ?? 2;
    this.onError =
      options.onError ??
      ((err, _owner, month) => log().error({ err, month }, "refreshing the analytics failed"));
  }

  enqueue(owner: Owner, months: Iterable<string>): void {
    if (this.closed) return;
    for (const month of months) this.pending.set(`${ownerKey(owner)}|${month}`, { owner, month });
    this.schedule();
  }

  /** Holds the owner's months until the returned release is called (once per hold). */
  hold(owner: Owner): () => void {
    const key = ownerKey(owner);
    this.held.set(key, (this.held.get(key) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(key) ?? 1) - 1;
      if (left > 0) this.held.set(key, left);
      else this.held.delete(key);
      this.schedule();
    };
  }

  /** Resolves once nothing is queued (held months aside), waiting or running. */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking changes and waits for what is running. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    await this.idle();
  }

  private ready(): [string, Pending][] {
    return [...this.pending].filter(
      ([key, p]) => !this.held.has(ownerKey(p.owner)) && !this.running.has(key),
    );
  }

  private isIdle(): boolean {
    return this.running.size === 0 && this.timer === undefined && this.ready().length === 0;
  }

  private schedule(): void {
    if (this.timer || this.closed || this.ready().length === 0) {
      this.settle();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain();
    }, this.delayMs);
    // A refresh due is no reason to keep the process alive.
    this.timer.unref();
  }

  private drain(): void {
    while (this.running.size < this.concurrency) {
      const next = this.ready()[0];
      if (!next) break;
      const [key, { owner, month }] = next;
      this.pending.delete(key);
      this.running.add(key);
      this.runs += 1;
      this.refresh(owner, month)
        .catch((err) => this.onError(err, owner, month))
        .finally(() => {
          this.running.delete(key);
          // Changed again while it ran: computed once more, after the usual wait.
          if (this.pending.has(key)) this.schedule();
          this.drain();
        });
    }
    this.settle();
  }

  private settle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
