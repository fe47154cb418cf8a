import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The HS256 key for local tokens, made once and kept in the data dir (mode 0600) so sessions
 * survive restarts. With an in-memory database nothing persists, so neither does the key.
 */
export function loadSigningKey(dataDir: string, persist: boolean): Uint8Array {
  if (!persist) return randomBytes(32);
  const file = join(dataDir, "signing-key");
  try {
    return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  // "wx" fails if another process wrote the key meanwhile; then theirs is the key.
  try {
    writeFileSync(file, key.toString("base64"), { mode: 0o600, flag: "wx" });
    return key;
  } catch {
    return Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  }
}
