import { mapLimit } from "../../../src/db/batch";
import type { Send } from "../fuzz/world";
import { checkBooks } from "./books";
import { client, Recorder } from "./client";
import { type LoadUser, runUser, startUser } from "./session";

const SIGNING_UP_AT_ONCE = 4;

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
 * then every user's books are checked. Sign-ups go four at a time before the mix starts: each
 * costs two scrypt runs (sign-up, sign-in), of which one process does about a dozen a second on an
 * idle core, and a burst beyond the hashing queue is shed with 503 busy by design
 * (auth/password-hasher.ts). Fifty arriving at once would measure that bound, not the mix, whose
 * own sign-ins still meet it.
 */
export async function load(send: Send, opts: { users: number; seconds: number }): Promise<LoadReport> {
  const rec = new Recorder();
  const call = client(send, rec);
  const users = await mapLimit(
    Array.from({ length: opts.users }, (_, i) => i),
    SIGNING_UP_AT_ONCE,
    (i) => startUser(call, i),
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
