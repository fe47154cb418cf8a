import { setTimeout as sleep } from "node:timers/promises";
import { type Running, spawnServer } from "../services/api/test/support/server-spawn";

export type BenchServer = Running;

/**
 * The server as `npm start` runs it, in its own process (server-spawn.ts) so that its work and
 * the bench's clients do not share a thread; resolves once health answers 200, and ends when this
 * process does.
 */
export async function startBenchServer(
  env: Record<string, string>,
  opts: { port?: number; timeoutMs?: number; apiDir?: string } = {},
): Promise<BenchServer> {
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const server = await spawnServer(env, opts);
  const { child } = server;
  process.once("exit", () => child.kill("SIGTERM"));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${server.output()}`);
    try {
      if ((await fetch(`${server.url}/v1/health`, { signal: AbortSignal.timeout(15_000) })).status === 200)
        return server;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  child.kill("SIGTERM");
  throw new Error(`not healthy within ${timeoutMs} ms:\n${server.output()}`);
}
