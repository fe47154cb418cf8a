import { createHash } from "node:crypto";
import { normalizeMerchant, type ParsedRow } from "@tyche/core";

const SEP = "\u001f";
const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

function collapseLower(s: string): string {
  return s.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * One fingerprint per CSV row, in order: a hash of date, amount, type, the merchant key and the
 * description, plus which occurrence of that same content the row is within the file. Two identical
 * coffees on one day are two transactions (occurrences 1 and 2), and importing the same file again
 * gives every row the fingerprint it had the first time.
 */
export function csvFingerprints(rows: readonly ParsedRow[]): string[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    const content = [
      row.date,
      String(row.amount),
      row.type,
      normalizeMerchant(row.merchantRaw).key,
      collapseLower(row.description),
    ].join(SEP);
    const occurrence = (seen.get(content) ?? 0) + 1;
    seen.set(content, occurrence);
    return sha256(["csv", content, String(occurrence)].join(SEP)).toString("hex");
  });
}

/** The fingerprint of an OFX transaction: the bank's FITID, unique within its account. */
export function ofxFingerprint(accountId: string | null, fitId: string): string {
  return sha256(["ofx", accountId ?? "", fitId.trim()].join(SEP)).toString("hex");
}

/**
 * A deterministic ULID for an imported transaction: the 48-bit time is the date at 00:00 UTC, the
 * 80-bit "random" part the first 10 bytes of sha256(fingerprint). Re-importing finds the same id.
 */
export function importTransactionId(date: string, fingerprint: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date || ms < 0) {
    throw new RangeError(`not a date as YYYY-MM-DD: ${date}`);
  }
  let time = "";
  let t = ms;
  for (let i = 0; i < 10; i++) {
    time = (CROCKFORD[t % 32] ?? "0") + time;
    t = Math.floor(t / 32);
  }
  const bytes = sha256(fingerprint).subarray(0, 10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let random = "";
  for (let i = 0; i < 16; i++) {
    random = (CROCKFORD[Number(bits & 31n)] ?? "0") + random;
    bits >>= 5n;
  }
  return time + random;
}
