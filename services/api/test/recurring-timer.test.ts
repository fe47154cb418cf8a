import { describe, expect, it, vi } from "vitest";
import { loadConfig } from "../src/config";
import { log } from "../src/log";
import type { MaterialiseReport } from "../src/recurring/materialiser";
import { startRecurringTimer } from "../src/recurring/timer";

const report = (posted = 0): MaterialiseReport => ({ owners: 1, posted, found: 0, failed: 0, deferred: 0 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A materialiser whose runs take `ms` and are counted, with how many were ever in flight at once. */
function fake(ms: number) {
  const stats = { runs: 0, running: 0, most: 0, finished: 0 };
  return {
    stats,
    runAll: async () => {
      stats.runs += 1;
      stats.running += 1;
      stats.most = Math.max(stats.most, stats.running);
      await sleep(ms);
      stats.running -= 1;
      stats.finished += 1;
      return report(1);
    },
  };
}

describe("the local recurring timer", () => {
  it("runs at once, then every interval, never two runs at a time", async () => {
    const m = fake(60);
    const lines: string[] = [];
    const timer = startRecurringTimer(m, { intervalMs: 25, log: (l) => lines.push(l) });
    expect(m.stats.runs).toBe(1);
    await sleep(400);
    await timer.close();
    expect(m.stats.runs).toBeGreaterThanOrEqual(3);
    expect(m.stats.most).toBe(1);
    expect(lines[0]).toBe("Recurring bills: 1 posted, 0 found already recorded");
  });

  it("asks the run in progress to stop when closed, so a shutdown does not wait for every user", async () => {
    let users = 0;
    const m = {
      runAll: async (opts: { stopping?: () => boolean } = {}) => {
        for (let i = 0; i < 50 && !opts.stopping?.(); i++) {
          await sleep(20);
          users += 1;
        }
        return report();
      },
    };
    const timer = startRecurringTimer(m, { intervalMs: 60_000, log: () => undefined });
    await sleep(70);
    await timer.close();
    // The run saw the stop and left the rest: it did not go on through all fifty.
    expect(users).toBeGreaterThan(0);
    expect(users).toBeLessThan(50);
    const atClose = users;
    await sleep(100);
    expect(users).toBe(atClose);
  });

  it("close stops the timer and waits for the run in progress: nothing runs after it", async () => {
    const m = fake(150);
    const timer = startRecurringTimer(m, { intervalMs: 10, log: () => undefined });
    await sleep(20);
    await timer.close();
    expect(m.stats.running).toBe(0);
    expect(m.stats.finished).toBe(m.stats.runs);
    const runs = m.stats.runs;
    await sleep(100);
    expect(m.stats.runs).toBe(runs);
    expect(await timer.runNow()).toBeUndefined();
  });

  it("a failed run is reported and the next one still comes", async () => {
    let calls = 0;
    const timer = startRecurringTimer(
      {
        runAll: async () => {
          calls += 1;
          if (calls === 1) throw new Error("DynamoDB is down");
          return report();
        },
      },
      { intervalMs: 20, log: () => undefined },
    );
    const errors = vi.spyOn(log(), "error");
    try {
      await sleep(100);
    } finally {
      await timer.close();
    }
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(errors.mock.calls)).toContain("the run failed");
    errors.mockRestore();
  });

  it("takes its interval from TYCHE_RECURRING_INTERVAL_MS: an hour by default, 0 turns it off, nonsense is refused", () => {
    expect(loadConfig({}).recurringIntervalMs).toBe(3_600_000);
    expect(loadConfig({ TYCHE_RECURRING_INTERVAL_MS: "0" }).recurringIntervalMs).toBe(0);
    expect(loadConfig({ TYCHE_RECURRING_INTERVAL_MS: "60000" }).recurringIntervalMs).toBe(60_000);
    for (const bad of ["-1", "1.5", "soon", "99999999999"])
      expect(() => loadConfig({ TYCHE_RECURRING_INTERVAL_MS: bad }), bad).toThrow(
        /TYCHE_RECURRING_INTERVAL_MS/,
      );
  });
});
