/**
 * The Content-Security-Policies Tyche's pages are sent with, in one place: the local server's and
 * the Lambda's responses (app.ts, local/web-assets.ts), and CloudFront's response headers policy
 * for the web app (infrastructure/), which imports this module, so the two cannot drift apart.
 * No page has an inline script or style element, so neither needs 'unsafe-inline' for scripts.
 */

const policy = (directives: Record<string, readonly string[]>) =>
  Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(" "))
    .join("; ");

/** Where the web app's own requests go besides its origin, on AWS in `region`. */
export const awsConnectSources = (region: string) => [
  // Cognito's user-pool API: sign-up, sign-in, token renewal (web/src/auth/cognito-client.ts).
  `https://cognito-idp.${region}.amazonaws.com`,
  // Presigned PUTs of uploads to the receipts bucket (virtual-hosted style).
  `https://*.s3.${region}.amazonaws.com`,
];

/** The web app (React, built by Vite into hashed files under /assets). */
export function webAppCsp(connect: readonly string[] = []): string {
  return policy({
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    // React's style props go through the CSSOM, which a CSP does not govern; no <style> is injected.
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'", ...connect],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
  });
}

/** Swagger UI at /docs: its bundle and init script from this origin, its icons as data: URIs. */
export const DOCS_CSP = policy({
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  // Swagger UI sets style attributes from its markup (its syntax highlighter), not only via CSSOM.
  "style-src": ["'self'", "'unsafe-inline'"],
  "img-src": ["'self'", "data:"],
  "connect-src": ["'self'"],
  "object-src": ["'none'"],
  "frame-ancestors": ["'none'"],
  "base-uri": ["'none'"],
  "form-action": ["'self'"],
});

/** JSON and every other API answer: nothing in one may load or run anything, or be framed. */
export const API_CSP = policy({
  "default-src": ["'none'"],
  "frame-ancestors": ["'none'"],
  "base-uri": ["'none'"],
});

/** What every HTML page gets beside its CSP. */
export const PAGE_HEADERS = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
} as const;
