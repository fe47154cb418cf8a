import { readFile } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import type { Config } from "../config";
import { awsConnectSources, PAGE_HEADERS } from "../http/security-headers";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
};

/**
 * Where the locally served web app may send requests besides this server: Cognito's API (or the
 * stand-in COGNITO_ENDPOINT names) when it signs in with a user pool; local accounts need nothing.
 */
export function webConnectSources(config: Pick<Config, "auth" | "region">): string[] {
  if (config.auth.mode !== "cognito") return [];
  if (config.auth.endpoint) return [new URL(config.auth.endpoint).origin];
  return awsConnectSources(config.auth.userPoolId.split("_")[0] ?? config.region).slice(0, 1);
}

/**
 * Serves the built web app from `dist`: a file when one matches (hashed assets cached for a year),
 * else `index.html`, so a reload of any page of the app opens it. Paths cannot leave `dist`.
 */
export function webAssets(dist: string, csp: string): (req: Request) => Promise<Response> {
  const page = { "content-security-policy": csp, ...PAGE_HEADERS };
  const index = async () =>
    new Response(await readFile(join(dist, "index.html")), {
      headers: { "content-type": TYPES[".html"] as string, "cache-control": "no-cache", ...page },
    });
  return async (req) => {
    if (req.method !== "GET" && req.method !== "HEAD")
      return new Response("Method not allowed", { status: 405 });
    const path = decodeURIComponent(new URL(req.url).pathname);
    const file = normalize(join(dist, path));
    if (!file.startsWith(dist + sep)) return new Response("Not found", { status: 404 });
    const type = TYPES[extname(file)];
    if (!type) {
      // An app route (`/transactions`), not a file.
      if (!extname(file)) return index();
      return new Response("Not found", { status: 404 });
    }
    try {
      const body = await readFile(file);
      return new Response(req.method === "HEAD" ? null : body, {
        headers: {
          "content-type": type,
          "cache-control": path.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
          ...page,
        },
      });
    } catch {
      return file.endsWith(".html") ? index() : new Response("Not found", { status: 404 });
    }
  };
}
