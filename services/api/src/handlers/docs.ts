import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { ImportOptions } from "@tyche/types";
import { z } from "zod";
import type { AppEnv } from "../context";
import { DOCS_CSP, PAGE_HEADERS } from "../http/security-headers";

const ASSETS = new Map([
  ["swagger-ui.css", "text/css; charset=utf-8"],
  ["swagger-ui-bundle.js", "text/javascript; charset=utf-8"],
]);

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tyche API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>`;

const INIT = `window.ui = SwaggerUIBundle({ url: "/v1/openapi.json", dom_id: "#swagger-ui", persistAuthorization: true });`;

const WRITES = new Set(["post", "put", "patch", "delete"]);

interface Operation {
  security?: unknown[];
  responses?: Record<string, { description: string; content?: unknown }>;
}

/**
 * Every protected operation that changes something may answer 403 `insufficient-scope` to a read
 * personal access token. `checkScope` refuses those for all routes at once, so the document says
 * so for all of them here rather than in each route.
 */
function withScopeRefusals<T extends { paths?: object }>(doc: T): T {
  for (const ops of Object.values(doc.paths ?? {}) as Record<string, Operation>[]) {
    for (const [method, op] of Object.entries(ops)) {
      if (!WRITES.has(method) || !op.security?.length || !op.responses || op.responses["403"]) continue;
      op.responses["403"] = {
        description: "`insufficient-scope`: a read personal access token may not change anything",
        ...(op.responses["401"]?.content ? { content: op.responses["401"].content } : {}),
      };
    }
  }
  return doc;
}

/**
 * The OpenAPI document and interactive docs. Swagger UI is served from the installed package, not
 * a CDN, so the docs work on a closed network too.
 */
// biome-ignore lint/suspicious/noExplicitAny: any chained app; its route types do not matter here
export function registerDocs(app: OpenAPIHono<AppEnv, any, any>) {
  const config = {
    openapi: "3.1.0",
    info: {
      title: "Tyche API",
      version: "1.0.0",
      // OpenAPI 3.1 names a license by SPDX identifier; the library's types know only 3.0's fields.
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" } as { name: string },
      description:
        "Budgets, categories and spending for getting out of credit-card debt. Money is integer cents; " +
        "months are YYYY-MM. Errors are RFC 9457 problem+json. Send a session token (from login, or a " +
        "Cognito ID token) or a personal access token (`tyche_pat_…`, POST /v1/tokens) as the bearer " +
        "token; a `read` personal access token may only GET.",
    },
    servers: [{ url: "/" }],
  };
  app.get("/v1/openapi.json", (c) => c.json(withScopeRefusals(app.getOpenAPI31Document(config))));
  // Sent as a JSON string inside the multipart import form, so no route names it by schema.
  const { $schema: _draft, ...options } = z.toJSONSchema(ImportOptions);
  app.openAPIRegistry.registerComponent("schemas", "ImportOptions", options as object);
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    description:
      "A session JWT (POST /v1/auth/login, or a Cognito ID token), or a personal access token `tyche_pat_<id>_<secret>` (POST /v1/tokens)",
  });

  const dist = dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
  app.get("/docs", (c) => c.html(PAGE, 200, { "content-security-policy": DOCS_CSP, ...PAGE_HEADERS }));
  app.get("/docs/init.js", (c) => c.body(INIT, 200, { "content-type": "text/javascript; charset=utf-8" }));
  app.get("/docs/assets/:file", async (c) => {
    const file = c.req.param("file");
    const type = ASSETS.get(file);
    if (!type) return c.notFound();
    return c.body(await readFile(join(dist, file)), 200, {
      "content-type": type,
      "cache-control": "public, max-age=86400",
    });
  });
}
