import { dictionary } from "@zxcvbn-ts/language-common";
import { invalidField } from "../errors";

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

/**
 * Common and breached passwords, shipped with the app (zxcvbn-ts's list, built from leaked password
 * corpora), so sign-up never asks the network. Shorter ones are refused by length already.
 */
const COMMON = new Set(
  dictionary["passwords-common"]
    .filter((p) => p.length >= MIN_PASSWORD_LENGTH - 2)
    .map((p) => p.toLowerCase()),
);

const SEQUENCES = [
  "0123456789012345678901234567890123456789",
  "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
  "qwertyuiopasdfghjklzxcvbnmqwertyuiopasdfghjklzxcvbnm",
];

/** Whether the password is one character, or one step, repeated (`1234567890`, `aaaaaaaaaa`, `9876543210`). */
function isSimpleRun(p: string): boolean {
  const codes = [...p].map((ch) => ch.codePointAt(0) as number);
  if (codes.length < 2) return true;
  const step = (codes[1] as number) - (codes[0] as number);
  if (Math.abs(step) <= 1 && codes.every((c, i) => i === 0 || c - (codes[i - 1] as number) === step))
    return true;
  const lower = p.toLowerCase();
  const reversed = [...lower].reverse().join("");
  return SEQUENCES.some((s) => s.includes(lower) || s.includes(reversed));
}

/** A short text repeated (`abcabcabcabc`, `passwordpassword`). */
function isRepeatedChunk(p: string): boolean {
  for (let size = 1; size <= p.length / 2; size++) {
    if (p.length % size === 0 && p.slice(0, size).repeat(p.length / size) === p) return true;
  }
  return false;
}

/**
 * NIST SP 800-63B (5.1.1.2) for a chosen password: a length range, NFKC, no composition rules, and
 * refused when it is common or breached, repetitive or sequential, or made from the account's own
 * e-mail. Throws a 400 naming `password`.
 */
export function checkPassword(password: string, email: string): void {
  const p = password.normalize("NFKC");
  const refuse = (message: string) => {
    throw invalidField("password", message, "malformed");
  };
  const length = [...p].length;
  if (length < MIN_PASSWORD_LENGTH) refuse(`must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (length > MAX_PASSWORD_LENGTH) refuse(`must be at most ${MAX_PASSWORD_LENGTH} characters`);
  if (p.trim() === "") refuse("must not be only spaces");
  const lower = p.toLowerCase();
  const compact = lower.replace(/\s+/g, "");
  if (isSimpleRun(compact) || isRepeatedChunk(compact))
    refuse("is a repeated character or a simple sequence; choose a phrase of a few unrelated words");
  if (COMMON.has(lower) || COMMON.has(compact))
    refuse("is on a list of common or breached passwords; choose another");
  const address = email.toLowerCase();
  const local = address.split("@")[0] ?? "";
  if (lower.includes(address) || (local.length >= 3 && lower.includes(local)))
    refuse("must not contain your e-mail address");
}
