import { randomBytes, timingSafeEqual } from "node:crypto";
import { PasswordHasher } from "./password-hasher";

/** scrypt with N=2^15, r=8, p=1 (32 MiB, the OWASP floor scaled up one step); parameters travel in the hash. */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

/**
 * One hasher per process: however many apps or requests, one scrypt runs at a time, at low priority
 * (password-hasher.ts), so a login flood cannot take the CPU from other users' requests.
 */
export const hasher = new PasswordHasher(Number(process.env.TYCHE_HASH_QUEUE ?? "") || undefined);

function derive(password: string, salt: Buffer, p: { N: number; r: number; p: number }): Promise<Buffer> {
  return hasher.derive(password.normalize("NFKC"), salt, KEY_LENGTH, p);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS);
  return ["scrypt", PARAMS.N, PARAMS.r, PARAMS.p, salt.toString("base64url"), key.toString("base64url")].join(
    "$",
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  // Parameters read back from a stored hash are bounded: a tampered hash must not ask for gigabytes.
  const [N, R, P] = [Number(n), Number(r), Number(p)];
  if (!(N >= 2 && N <= 2 ** 20 && R >= 1 && R <= 32 && P >= 1 && P <= 4)) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = await derive(password, Buffer.from(salt, "base64url"), { N, r: R, p: P });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A hash of nothing, verified against when the e-mail is unknown so both answers take as long. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(16).toString("hex"));
  return decoy;
}
