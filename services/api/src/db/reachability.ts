import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { Store } from "./store";

export interface ReachabilityOptions {
  /** How long one probe may take before the database counts as unreachable. */
  timeoutMs?: number;
  /** How long an answer is reused, so a flood of health checks costs the database one read a window. */
  cacheMs?: number;
}

/** A key no item ever has: the read costs half a capacity unit and finds nothing. */
const PROBE_KEY = { PK: "HEALTH#PROBE", SK: "HEALTH#PROBE" };

/**
 * Whether DynamoDB answers right now, by one GetItem on the users table (a table the API reads
 * anyway, so its role may). Probes share a result for `cacheMs`, and a probe already in flight is
 * joined rather than repeated.
 */
export class Reachability {
  private last: { at: number; reachable: Promise<boolean> } | undefined;
  private readonly timeoutMs: number;
  private readonly cacheMs: number;

  constructor(
    private readonly store: Store,
    opts: ReachabilityOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 2_000;
    this.cacheMs = opts.cacheMs ?? 2_000;
  }

  reachable(): Promise<boolean> {
    const now = Date.now();
    if (this.last && now - this.last.at < this.cacheMs) return this.last.reachable;
    const reachable = this.probe();
    this.last = { at: now, reachable };
    // Kept from when it was asked, so a probe that took its whole timeout is not reused as fresh.
    return reachable;
  }

  private async probe(): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const abort = new AbortController();
    const late = new Promise<false>((resolve) => {
      timer = setTimeout(() => {
        abort.abort();
        resolve(false);
      }, this.timeoutMs);
    });
    const read = this.store.db
      .send(new GetCommand({ TableName: this.store.tables.users, Key: PROBE_KEY }), {
        abortSignal: abort.signal,
      })
      .then(
        () => true,
        () => false,
      );
    try {
      return await Promise.race([read, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}
