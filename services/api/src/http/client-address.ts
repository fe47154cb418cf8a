import type { Context } from "hono";

interface Env {
  /** @hono/node-server: the request's socket. */
  incoming?: { socket?: { remoteAddress?: string } };
  /** hono/aws-lambda: API Gateway's event, whose sourceIp the gateway itself saw. */
  event?: { requestContext?: { http?: { sourceIp?: string }; identity?: { sourceIp?: string } } };
}

/**
 * Who sent the request, for login throttling: the socket's remote address, or API Gateway's
 * sourceIp. X-Forwarded-For is anyone's to write, so it is believed only with `trustProxy` (one
 * reverse proxy in front, whose own entry is the header's last).
 */
export function clientAddress(c: Context, trustProxy = false): string {
  const env = (c.env ?? {}) as Env;
  const gateway = env.event?.requestContext?.http?.sourceIp ?? env.event?.requestContext?.identity?.sourceIp;
  if (gateway) return gateway;
  if (trustProxy) {
    const last = c.req.header("x-forwarded-for")?.split(",").pop()?.trim();
    if (last) return last;
  }
  return env.incoming?.socket?.remoteAddress ?? "unknown";
}
