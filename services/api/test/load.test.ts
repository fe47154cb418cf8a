import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sender } from "./support/fuzz/world";
import { type Harness, harness } from "./support/harness";
import { type LoadReport, load } from "./support/load/run";

/**
 * Issue 22, item 1, short: a few users at once through the whole mix (support/load, as
 * `npm run load` runs it against a server process), then the books.
 */
let h: Harness;
let report: LoadReport;
beforeAll(async () => {
  h = harness(undefined, { refresh: {} });
  report = await load(sender(h.fetch), { users: 4, seconds: 3 });
}, 180_000);
afterAll(() => h.close());

describe("load, short", () => {
  it("went through the mix: creates, edits, imports, reads", () => {
    const routes = [...report.recorder.latencies.keys()];
    for (const route of ["POST /v1/transactions", "GET /v1/dashboard", "GET /v1/transactions"])
      expect(routes).toContain(route);
    expect(report.created).toBeGreaterThan(0);
  });

  it("keeps the books: every 201 stored once, month totals and balances equal a recount, no 5xx", () => {
    expect(report.failures).toEqual([]);
    expect(report.recorder.serverErrors).toEqual([]);
  });
});
