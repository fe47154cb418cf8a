import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";

/** What a signed URL of the local server allows: one method on one key, until it expires. */
const SignedFile = z.object({
  method: z.enum(["PUT", "GET"]),
  key: z.string().min(1),
  contentType: z.string(),
  /** GET only: the Content-Disposition to send. */
  disposition: z.string().optional(),
  /** PUT only: the exact number of bytes, as S3 checks a signed Content-Length. */
  size: z.number().int().positive().optional(),
  /** Epoch milliseconds. */
  expires: z.number().int(),
});
export type SignedFile = z.infer<typeof SignedFile>;

/**
 * Signs and checks the local server's file URLs, as S3 does its presigned ones: the token is the
 * grant itself, readable but not forgeable. The key is this process's own unless given, so a
 * restart voids the URLs it had handed out (they live minutes, and the client asks for another).
 */
export class UrlSigner {
  constructor(private readonly secret: Uint8Array = randomBytes(32)) {}

  sign(grant: SignedFile): string {
    const body = Buffer.from(JSON.stringify(grant)).toString("base64url");
    return `${body}.${this.mac(body)}`;
  }

  verify(token: string, method: SignedFile["method"], now = Date.now()): SignedFile | undefined {
    const [body, mac, extra] = token.split(".");
    if (!body || !mac || extra !== undefined) return undefined;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
    } catch {
      return undefined;
    }
    const grant = SignedFile.safeParse(parsed);
    if (!grant.success || grant.data.method !== method || grant.data.expires <= now) return undefined;
    return grant.data;
  }

  private mac(body: string): string {
    return createHmac("sha256", this.secret).update(body).digest("base64url");
  }
}
