import { log } from "../log";
import type { MaterialiseReport, Materialiser } from "./materialiser";

/** The local schedule of the materialiser: one run now, then one every `intervalMs`. */
export interface RecurringTimer {
  /** A run now, or the one in progress: runs never overlap. */
  runNow(): Promise<MaterialiseReport | undefined>;
  /**
   * Stops the timer and waits for the run in progress to finish the users it has started (the
   * rest wait for the next run), so nothing writes after the server stops.
   */
  close(): Promise<void>;
}

export function startRecurringTimer(
  materialiser: Pick<Materialiser, "runAll">,
  opts: { intervalMs: number; log?: (message: string) => void },
): RecurringTimer {
  const say = opts.log ?? ((m: string) => log().info(m));
  let running: Promise<MaterialiseReport | undefined> | undefined;
  let closed = false;
  const runNow = () => {
    if (closed) return Promise.resolve(undefined);
    running ??= materialiser
      .runAll({ stopping: () => closed })
      .then((r) => {
        if (r.posted || r.found || r.failed)
          say(
            `Recurring bills: ${r.posted} posted, ${r.found} found already recorded` +
              `${r.failed ? `, ${r.failed} could not be posted (see the templates' lastFailure)` : ""}` +
              `${r.deferred ? `; ${r.deferred} users left for the next run` : ""}`,
          );
        return r;
      })
      .catch((err) => {
        log().error({ err }, "Recurring bills: the run failed");
        return undefined;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void runNow(), opts.intervalMs);
  // A timer alone must not keep the process (or a test run) alive.
  timer.unref();
  void runNow();
  return {
    runNow,
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
