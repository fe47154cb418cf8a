import { isContention, isFailure, notFound, versionMismatch } from "../errors";

/** Concurrent writers of one item without If-Match: each retry re-reads and re-applies. */
const MAX_ATTEMPTS = 40;

/**
 * The one read-check-write of a versioned item, and the one place If-Match is checked.
 *
 * `read` must be strongly consistent (`Entity.latest`); `write` must write conditionally on the
 * version it was given, failing with `version-mismatch` (or contention, when DynamoDB gave up on a
 * contended transaction) if another write got there first. With an expected version (If-Match),
 * a mismatch answers 412. Without one the client asked for last-writer-wins: the change is applied
 * again on top of whatever is now stored, until it lands.
 */
export async function readCheckWrite<T extends { version: number }, R>(
  what: string,
  expected: number | undefined,
  read: () => Promise<T | undefined>,
  write: (current: T) => Promise<R>,
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    const current = await read();
    if (!current) throw notFound(what);
    if (expected !== undefined && current.version !== expected) throw versionMismatch();
    try {
      return await write(current);
    } catch (err) {
      const lostRace = isFailure(err, "version-mismatch") || isContention(err);
      if (expected !== undefined || !lostRace || attempt >= MAX_ATTEMPTS) throw err;
      // Spread the retries out so a crowd of writers does not collide again in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(200, 5 * attempt)));
    }
  }
}
