import { describe, expect, it } from "vitest";
import { RefreshQueue } from "../src/analytics/refresh-queue";
import type { Owner } from "../src/db/keys";

const ann: Owner = { tenantId: "T1", userId: "U1" };
const bob: Owner = { tenantId: "T2", userId: "U2" };

/** A refresh that records each call and finishes when told to. */
function recorder() {
  const calls: string[] = [];
  const finish: (() => void)[] = [];
  const refresh = (owner: Owner, month: string) => {
    calls.push(`${owner.userId}:${month}`);
    return new Promise<void>((resolve) => finish.push(resolve));
  };
  return { calls, finish, refresh };
}

const turn = () => new Promise((r) => setTimeout(r, 30));

describe("the analytics refresh queue", () => {
  it("computes a month queued many times in a burst once", async () => {
    const calls: string[] = [];
    const queue = new RefreshQueue(
      async (o, m) => {
        calls.push(`${o.userId}:${m}`);
      },
      { delayMs: 5 },
    );
    for (let i = 0; i < 500; i++) queue.enqueue(ann, ["2025-01", "2025-02"]);
    queue.enqueue(bob, ["2025-01"]);
    await queue.idle();
    expect(calls.sort()).toEqual(["U1:2025-01", "U1:2025-02", "U2:2025-01"]);
    expect(queue.runs).toBe(3);
  });

  it("computes a month changed while it was being computed once more, never twice at once", async () => {
    const r = recorder();
    const queue = new RefreshQueue(r.refresh, { delayMs: 1, concurrency: 4 });
    queue.enqueue(ann, ["2025-01"]);
    await turn();
    expect(r.calls).toEqual(["U1:2025-01"]);
    queue.enqueue(ann, ["2025-01"]);
    queue.enqueue(ann, ["2025-01"]);
    await turn();
    // Still running: the change waits for it rather than racing it.
    expect(r.calls).toEqual(["U1:2025-01"]);
    r.finish.shift()?.();
    await turn();
    expect(r.calls).toEqual(["U1:2025-01", "U1:2025-01"]);
    r.finish.shift()?.();
    await queue.idle();
    expect(queue.runs).toBe(2);
  });

  it("holds a user's months until every hold is released, others go on", async () => {
    const calls: string[] = [];
    const queue = new RefreshQueue(
      async (o, m) => {
        calls.push(`${o.userId}:${m}`);
      },
      { delayMs: 1 },
    );
    const first = queue.hold(ann);
    const second = queue.hold(ann);
    queue.enqueue(ann, ["2025-01"]);
    queue.enqueue(bob, ["2025-01"]);
    await queue.idle();
    expect(calls).toEqual(["U2:2025-01"]);
    queue.enqueue(ann, ["2025-01", "2025-02"]);
    first();
    first();
    await turn();
    expect(calls).toEqual(["U2:2025-01"]);
    second();
    await queue.idle();
    expect(calls).toEqual(["U2:2025-01", "U1:2025-01", "U1:2025-02"]);
  });

  it("keeps going after a failed refresh and reports it", async () => {
    const failures: string[] = [];
    const done: string[] = [];
    const queue = new RefreshQueue(
      async (_o, m) => {
        if (m === "2025-01") throw new Error("boom");
        done.push(m);
      },
      { delayMs: 1, onError: (err, _o, m) => failures.push(`${m}: ${(err as Error).message}`) },
    );
    queue.enqueue(ann, ["2025-01", "2025-02"]);
    await queue.idle();
    expect(failures).toEqual(["2025-01: boom"]);
    expect(done).toEqual(["2025-02"]);
  });

  it("runs at most `concurrency` months at once", async () => {
    const r = recorder();
    const queue = new RefreshQueue(r.refresh, { delayMs: 1, concurrency: 2 });
    queue.enqueue(ann, ["2025-01", "2025-02", "2025-03"]);
    await turn();
    expect(r.calls).toHaveLength(2);
    r.finish.shift()?.();
    await turn();
    expect(r.calls).toHaveLength(3);
    for (const f of r.finish.splice(0)) f();
    await queue.idle();
  });
});
