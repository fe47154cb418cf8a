import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const DEVICE_COOKIE = "tyche_device";
export const DEVICE_COOKIE_MAX_AGE_SECONDS = 180 * 24 * 60 * 60;

/**
 * OWASP's device cookies: a successful login hands the browser a signed cookie naming the account
 * (`<e-mail>.<nonce>.<signature>`), and a client that shows one is exempt from the account's
 * lock-out (db/login-throttle.ts), so that guesses from elsewhere cannot lock the owner out of a
 * device they have signed in from. It grants nothing else: the password is still checked.
 */
export class DeviceCookies {
  private readonly key: Buffer;
  constructor(signingKey: Uint8Array) {
    // A key of its own, derived: a cookie can never pass for a token or the other way round.
    this.key = createHmac("sha256", signingKey).update("tyche device cookie v1").digest();
  }

  issue(email: string): string {
    const nonce = randomBytes(12).toString("base64url");
    const who = Buffer.from(email).toString("base64url");
    return `${who}.${nonce}.${this.sign(who, nonce)}`;
  }

  /** Whether the cookie is one this server signed for this e-mail. */
  names(cookie: string | undefined, email: string): boolean {
    if (!cookie) return false;
    const [who, nonce, signature, extra] = cookie.split(".");
    if (!who || !nonce || !signature || extra !== undefined) return false;
    if (Buffer.from(who, "base64url").toString() !== email) return false;
    const expected = Buffer.from(this.sign(who, nonce));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  private sign(who: string, nonce: string): string {
    return createHmac("sha256", this.key).update(`${who}.${nonce}`).digest("base64url");
  }
}
