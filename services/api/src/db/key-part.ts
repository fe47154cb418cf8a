import { createHash } from "node:crypto";

/**
 * Longest user text kept as it is inside a key. DynamoDB allows 2048 bytes in a partition key and
 * 1024 in a sort key, but a schema's character limit says little about bytes: NFKC turns one
 * U+FDFA into 33 bytes. 512 bytes keeps every e-mail (254 ASCII), idempotency key (200 ASCII) and
 * slug as it is, and with its owner prefix still leaves a bounded key far below either limit.
 */
export const MAX_KEY_TEXT_BYTES = 512;

/** Between the kept prefix and the hash: what tells a bounded part from a text kept whole. */
const SEPARATOR = "~";
/** base64url of a SHA-256: 43 characters. */
const HASH_LENGTH = 43;

/** The most bytes `keyPart` ever returns. */
export const MAX_KEY_PART_BYTES = MAX_KEY_TEXT_BYTES + SEPARATOR.length + HASH_LENGTH;

const encoder = new TextEncoder();

/** The longest prefix of `text` that fits `maxBytes` of UTF-8 without splitting a character. */
export function utf8Prefix(text: string, maxBytes: number): string {
  const bytes = encoder.encode(text);
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Continuation bytes are 10xxxxxx: step back to the first byte of the character cut in two.
  while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
  return new TextDecoder().decode(bytes.subarray(0, end));
}

/**
 * User text made fit for a DynamoDB key. Up to MAX_KEY_TEXT_BYTES it is returned unchanged, so
 * keys written before stay where they were; longer text keeps its first MAX_KEY_TEXT_BYTES (so a
 * `begins_with` on a typed prefix still finds it) followed by a hash of the whole text, so two
 * texts that differ only in their tail stay two keys, and equal texts always give equal keys.
 * A bounded part is always longer than any text kept whole, so the two can never coincide.
 * Attributes keep the full text; only keys use this.
 */
export function keyPart(text: string): string {
  if (encoder.encode(text).length <= MAX_KEY_TEXT_BYTES) return text;
  const hash = createHash("sha256").update(text, "utf8").digest("base64url");
  return `${utf8Prefix(text, MAX_KEY_TEXT_BYTES)}${SEPARATOR}${hash}`;
}
