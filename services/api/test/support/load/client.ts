import type { Answer, Send, SendInit } from "../fuzz/world";

/** Every answer of a run, by route, and the waits a real client would have made. */
export class Recorder {
  readonly latencies = new Map<string, number[]>();
  readonly statuses = new Map<string, Map<number, number>>();
  /** Answers 429 or 503 that the client waited for (Retry-After) and sent again. */
  retried = 0;
  /** Requests that got no answer at all (connection refused or reset). */
  unanswered = 0;
  /** Each 5xx, for the report: none is allowed. */
  readonly serverErrors: string[] = [];
  startedAt = performance.now();

  get total(): number {
    let n = 0;
    for (const l of this.latencies.values()) n += l.length;
    return n;
  }

  record(route: string, status: number, ms: number): void {
    const list = this.latencies.get(route) ?? [];
    list.push(ms);
    this.latencies.set(route, list);
    const byStatus = this.statuses.get(route) ?? new Map<number, number>();
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    this.statuses.set(route, byStatus);
  }
}

const MAX_ATTEMPTS = 6;

/** Retry-After in seconds (or an HTTP date), bounded so one answer cannot stall a user for long. */
function waitMs(res: Answer, attempt: number): number {
  const header = res.headers.get("retry-after");
  const seconds = header === null ? Number.NaN : Number(header);
  const ms = Number.isFinite(seconds)
    ? seconds * 1000
    : header
      ? Date.parse(header) - Date.now()
      : Number.NaN;
  const fallback = 100 * 2 ** attempt;
  return Math.min(5_000, Math.max(50, Number.isFinite(ms) ? ms : fallback)) * (0.8 + Math.random() * 0.4);
}

/**
 * A client as the web app is one: waits for Retry-After on 429 and 503 and sends again (a create
 * with the same Idempotency-Key), and times each answer under its route's name.
 */
export function client(send: Send, rec: Recorder) {
  return async function call(
    route: string,
    method: string,
    path: string,
    init: SendInit = {},
  ): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const t0 = performance.now();
      let res: Answer;
      try {
        res = await send(method, path, init);
      } catch (err) {
        rec.unanswered += 1;
        if (attempt + 1 >= MAX_ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        continue;
      }
      rec.record(route, res.status, performance.now() - t0);
      if (res.status >= 500 && res.status !== 503)
        rec.serverErrors.push(`${route}: ${res.status} ${res.text.slice(0, 200)}`);
      if ((res.status === 429 || res.status === 503) && attempt + 1 < MAX_ATTEMPTS) {
        rec.retried += 1;
        await new Promise((r) => setTimeout(r, waitMs(res, attempt)));
        continue;
      }
      if (res.status === 503) rec.serverErrors.push(`${route}: 503 after ${MAX_ATTEMPTS} attempts`);
      return res;
    }
  };
}

export type Call = ReturnType<typeof client>;

export function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

/** `mixRequests`: those sent during the `seconds` of the mix, sign-ups and the books check not counted. */
export function printStats(
  rec: Recorder,
  mixRequests: number,
  seconds: number,
  log: (l: string) => void,
): void {
  log(
    `${mixRequests} requests in the ${seconds.toFixed(1)} s of the mix: ${(mixRequests / seconds).toFixed(1)} requests/s`,
  );
  log(
    `${"route".padEnd(34)} ${"n".padStart(6)} ${"p50 ms".padStart(8)} ${"p95 ms".padStart(8)} ${"p99 ms".padStart(8)}  statuses`,
  );
  for (const [route, list] of [...rec.latencies].sort()) {
    const s = [...list].sort((a, b) => a - b);
    const f = (n: number) => n.toFixed(1).padStart(8);
    const statuses = [...(rec.statuses.get(route) ?? [])]
      .sort(([a], [b]) => a - b)
      .map(([k, n]) => `${k}x${n}`)
      .join(" ");
    log(
      `${route.padEnd(34)} ${String(s.length).padStart(6)} ${f(percentile(s, 50))} ${f(percentile(s, 95))} ${f(percentile(s, 99))}  ${statuses}`,
    );
  }
  log(
    `waited for Retry-After and sent again: ${rec.retried}; unanswered: ${rec.unanswered}; 5xx: ${rec.serverErrors.length}`,
  );
}
