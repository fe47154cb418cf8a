import type { Send } from "../fuzz/world";
import { checkBooks } from "./books";
import { client, Recorder } from "./client";
import { type LoadUser, runUser, startUser } from "./session";

export interface LoadReport {
  recorder: Recorder;
  users: LoadUser[];
  /** Seconds the mix ran, sign-ups excluded. */
  seconds: number;
  /** Everything the books check and the run found wrong; empty when the books are exact. */
  failures: string[];
  /** Requests sent during the mix (sign-ups and the books check are not in it). */
  mixRequests: number;
  created: number;
  imported: number;
}

/**
 * `users` people at once, each signing up and in and then going through the mix for `seconds`;
 * then every user's books are checked. Sign-ups are staggered as arrivals are.
 */
export async function load(send: Send, opts: { users: number; seconds: number }): Promise<LoadReport> {
  const rec = new Recorder();
  const call = client(send, rec);
  const users = await Promise.all(
    Array.from({ length: opts.users }, async (_, i) => {
      await new Promise((r) => setTimeout(r, i * 20));
      return startUser(call, i);
    }),
  );
  const before = rec.total;
  const started = performance.now();
  const until = started + opts.seconds * 1000;
  await Promise.all(users.map((u) => runUser(call, u, until)));
  const seconds = (performance.now() - started) / 1000;
  const mixRequests = rec.total - before;
  const failures: string[] = [];
  for (const u of users) failures.push(...u.anomalies, ...(await checkBooks(call, u)));
  failures.push(...rec.serverErrors.map((e) => `5xx: ${e}`));
  return {
    recorder: rec,
    users,
    seconds,
    mixRequests,
    failures,
    created: users.reduce((s, u) => s + u.created.size, 0),
    imported: users.reduce((s, u) => s + [...u.imports.values()].reduce((a, b) => a + b, 0), 0),
  };
}
