import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../src/app";
import { ConfigError, corsOrigins } from "../src/config";
import { DOCS_CSP, webAppCsp } from "../src/http/security-headers";
import { webAssets, webConnectSources } from "../src/local/web-assets";
import { type Account, type Harness, harness, signup } from "./support/harness";

let h: Harness;
let a: Account;

beforeAll(async () => {
  h = harness();
  a = await signup(h);
});
afterAll(() => h.close());

/** A CSP header as directive name -> sources. */
const directives = (csp: string | null) =>
  new Map(
    (csp ?? "")
      .split(";")
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name as string, sources]),
  );

describe("security headers", () => {
  it("sends /docs with a strict CSP that still lets Swagger UI's own files run", async () => {
    const res = await h.call("GET", "/docs");
    expect(res.status).toBe(200);
    const csp = directives(res.headers.get("content-security-policy"));
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("script-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'none'"]);
    expect(res.headers.get("content-security-policy")).toBe(DOCS_CSP);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    // the page has no inline script a hash would have to allow
    expect(String(res.body)).not.toMatch(/<script>(?!<\/script>)/);
    expect(
      String(res.body)
        .match(/<script[^>]*>/g)
        ?.every((tag) => /src="\/docs\//.test(tag)),
    ).toBe(true);
  });

  it("sends every API answer with a CSP that loads nothing, and nosniff", async () => {
    for (const res of [
      await h.call("GET", "/v1/health"),
      await h.call("GET", "/v1/transactions", { token: a.token }),
      await h.call("GET", "/v1/transactions"),
      await h.call("GET", "/v1/nothing-here"),
    ]) {
      const csp = directives(res.headers.get("content-security-policy"));
      expect(csp.get("default-src")).toEqual(["'none'"]);
      expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    }
  });

  it("sends the web app's pages and files with its CSP: itself, plus the user pool's API when it signs in with one", async () => {
    const dist = mkdtempSync(join(tmpdir(), "tyche-dist-"));
    writeFileSync(
      join(dist, "index.html"),
      '<!doctype html><script type="module" src="/assets/a.js"></script>',
    );
    const csp = webAppCsp(webConnectSources({ auth: { mode: "local" }, region: "eu-west-1" }));
    const serve = webAssets(dist, csp);
    for (const path of ["/", "/transactions", "/index.html"]) {
      const res = await serve(new Request(`http://localhost${path}`));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-security-policy")).toBe(csp);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    }
    const local = directives(csp);
    expect(local.get("default-src")).toEqual(["'self'"]);
    expect(local.get("script-src")).toEqual(["'self'"]);
    expect(local.get("connect-src")).toEqual(["'self'"]);
    expect(local.get("object-src")).toEqual(["'none'"]);
    expect(local.get("frame-ancestors")).toEqual(["'none'"]);
    expect(local.get("base-uri")).toEqual(["'none'"]);

    const pool = { mode: "cognito" as const, userPoolId: "eu-west-1_abc", clientId: "c" };
    expect(webConnectSources({ auth: pool, region: "us-east-1" })).toEqual([
      "https://cognito-idp.eu-west-1.amazonaws.com",
    ]);
    expect(
      webConnectSources({ auth: { ...pool, endpoint: "http://127.0.0.1:9229/pool/" }, region: "us-east-1" }),
    ).toEqual(["http://127.0.0.1:9229"]);
  });
});

describe("CORS", () => {
  const APP = "https://app.tyche.example";

  it("is absent by default: no origin is allowed to read an answer", async () => {
    const res = await h.call("GET", "/v1/health", { headers: { origin: "https://evil.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const preflight = await h.call("OPTIONS", "/v1/transactions", {
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows the configured web origin only", async () => {
    const withOrigin = harness(undefined, { corsOrigins: [APP] });
    try {
      const user = await signup(withOrigin);
      const ok = await withOrigin.call("GET", "/v1/transactions", {
        token: user.token,
        headers: { origin: APP },
      });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("access-control-allow-origin")).toBe(APP);
      expect(ok.headers.get("access-control-allow-credentials")).toBeNull();
      expect(ok.headers.get("vary")).toMatch(/origin/i);
      const preflight = await withOrigin.call("OPTIONS", "/v1/transactions", {
        headers: {
          origin: APP,
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization,content-type",
        },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe(APP);
      expect(preflight.headers.get("access-control-allow-headers")).toMatch(/authorization/);

      for (const origin of [
        "https://evil.example",
        `${APP}.evil.example`,
        "null",
        "http://app.tyche.example",
      ]) {
        const other = await withOrigin.call("GET", "/v1/transactions", {
          token: user.token,
          headers: { origin },
        });
        expect(other.headers.get("access-control-allow-origin"), origin).toBeNull();
        const pre = await withOrigin.call("OPTIONS", "/v1/transactions", {
          headers: { origin, "access-control-request-method": "DELETE" },
        });
        expect(pre.headers.get("access-control-allow-origin"), origin).toBeNull();
      }
    } finally {
      await withOrigin.close();
    }
  });

  it("reads TYCHE_WEB_ORIGIN as a list of exact origins", () => {
    expect(corsOrigins({})).toEqual([]);
    expect(corsOrigins({ TYCHE_WEB_ORIGIN: `${APP}, http://localhost:5173` })).toEqual([
      APP,
      "http://localhost:5173",
    ]);
    for (const bad of ["app.tyche.example", `${APP}/`, `${APP}/path`, "*", "null"]) {
      expect(() => corsOrigins({ TYCHE_WEB_ORIGIN: bad }), bad).toThrow(ConfigError);
    }
  });
});

describe("request size limits", () => {
  const count = async () =>
    (await h.call("GET", "/v1/transactions?limit=100", { token: a.token })).body.items.length as number;

  it("answers a JSON body over the limit with 413 problem+json and writes nothing", async () => {
    const before = await count();
    const writes = h.commands.length;
    const res = await h.call("POST", "/v1/transactions", {
      token: a.token,
      raw: JSON.stringify({ date: "2025-01-02", amount: 100, notes: "x".repeat(MAX_BODY_BYTES) }),
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body).toMatchObject({ status: 413 });
    expect(h.commands.slice(writes).filter((c) => /Write|Put|Update|Delete/.test(c.name))).toEqual([]);
    expect(await count()).toBe(before);
  });

  it("answers deeply nested JSON (10,000 levels) with 4xx problem+json, never 5xx, writing nothing", async () => {
    const before = await count();
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const deepObject = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    for (const [path, raw] of [
      ["/v1/transactions", deep],
      ["/v1/transactions", deepObject],
      ["/v1/categories", `{"name":"x","extra":${deepObject}}`],
      ["/v1/rules", deep],
    ] as const) {
      const writes = h.commands.length;
      const res = await h.call("POST", path, {
        token: a.token,
        raw,
        headers: { "content-type": "application/json" },
      });
      expect(res.status, `${path} ${raw.slice(0, 12)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(h.commands.slice(writes).filter((c) => /Write|Put|Update|Delete/.test(c.name))).toEqual([]);
    }
    expect(await count()).toBe(before);
  });
});
