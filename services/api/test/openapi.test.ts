import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type Harness, harness } from "./support/harness";

let h: Harness;
// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is arbitrary JSON, asserted on below
let doc: any;
beforeAll(async () => {
  h = harness();
  const res = await h.call("GET", "/v1/openapi.json");
  expect(res.status).toBe(200);
  doc = res.body;
});

describe("the OpenAPI document", () => {
  it("describes every route of the brief", () => {
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops as object).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        "GET /v1/health",
        "GET /v1/ai/assistant",
        "POST /v1/ai/chat",
        "GET /v1/ai/conversations",
        "GET /v1/ai/conversations/{id}",
        "DELETE /v1/ai/conversations/{id}",
        "POST /v1/auth/signup",
        "POST /v1/auth/login",
        "POST /v1/auth/logout",
        "POST /v1/auth/logout-all",
        "GET /v1/me",
        "GET /v1/categories",
        "POST /v1/categories",
        "GET /v1/categories/{id}",
        "PUT /v1/categories/{id}",
        "DELETE /v1/categories/{id}",
        "POST /v1/budgets",
        "GET /v1/budgets",
        "GET /v1/budgets/{month}",
        "PUT /v1/budgets/{month}",
        "DELETE /v1/budgets/{month}",
        "GET /v1/budgets/{month}/categories",
        "GET /v1/budgets/{month}/analytics",
        "POST /v1/budgets/{month}/analytics/generate",
        "GET /v1/analytics",
        "GET /v1/dashboard",
        "PUT /v1/budgets/{month}/categories/{id}",
        "POST /v1/transactions",
        "GET /v1/transactions",
        "GET /v1/transactions/export",
        "GET /v1/transactions/{id}",
        "PUT /v1/transactions/{id}",
        "DELETE /v1/transactions/{id}",
        "PUT /v1/transactions/{id}/receipt",
        "GET /v1/transactions/{id}/receipt",
        "GET /v1/transactions/{id}/receipt/link",
        "POST /v1/uploads",
        "DELETE /v1/transactions/{id}/receipt",
        "GET /v1/merchants",
        "GET /v1/rules",
        "POST /v1/rules",
        "GET /v1/rules/{id}",
        "PUT /v1/rules/{id}",
        "DELETE /v1/rules/{id}",
        "POST /v1/imports",
        "GET /v1/imports/{id}",
        "DELETE /v1/imports/{id}",
        "GET /v1/accounts",
        "POST /v1/accounts",
        "GET /v1/accounts/{id}",
        "PUT /v1/accounts/{id}",
        "DELETE /v1/accounts/{id}",
        "GET /v1/accounts/{id}/transactions",
        "POST /v1/accounts/{id}/reconcile",
        "GET /v1/cards",
        "POST /v1/cards",
        "GET /v1/cards/{id}",
        "PUT /v1/cards/{id}",
        "DELETE /v1/cards/{id}",
        "POST /v1/cards/{id}/payments",
        "GET /v1/cards/{id}/payments",
        "GET /v1/debt/plan",
        "GET /v1/debt/compare",
        "GET /v1/debt/what-if",
        "GET /v1/debt/progress",
        "POST /v1/debt/snapshots",
        "GET /v1/debt/goal",
        "PUT /v1/debt/goal",
        "DELETE /v1/debt/goal",
        "GET /v1/recurring",
        "POST /v1/recurring",
        "GET /v1/recurring/upcoming",
        "GET /v1/recurring/{id}",
        "PUT /v1/recurring/{id}",
        "DELETE /v1/recurring/{id}",
        "GET /v1/goals",
        "POST /v1/goals",
        "GET /v1/goals/{id}",
        "PUT /v1/goals/{id}",
        "DELETE /v1/goals/{id}",
        "POST /v1/goals/{id}/contributions",
        "GET /v1/goals/{id}/contributions",
        "GET /v1/tokens",
        "POST /v1/tokens",
        "DELETE /v1/tokens/{id}",
        "GET /v1/recurring/suggestions",
        "POST /v1/recurring/suggestions/{key}/dismiss",
        "DELETE /v1/recurring/suggestions/{key}/dismiss",
      ].sort(),
    );
  });

  it("documents every import option as a schema, not as free JSON", () => {
    const options = doc.components.schemas.ImportOptions;
    expect(options.additionalProperties).toBe(false);
    for (const name of [
      "signConvention",
      "dateFormat",
      "decimalSeparator",
      "columns",
      "encoding",
      "transferAccountId",
    ]) {
      expect(options.properties[name]?.description, name).toBeTruthy();
    }
    const form = doc.paths["/v1/imports"].post.requestBody.content["multipart/form-data"].schema;
    expect(form.properties.options).toMatchObject({
      contentMediaType: "application/json",
      contentSchema: { $ref: "#/components/schemas/ImportOptions" },
    });
    const preview = doc.paths["/v1/imports"].post.responses["200"].content["application/json"].schema;
    expect(JSON.stringify(preview)).toContain("overrideWith");
  });

  it("is generated from the validating schemas", () => {
    const body = doc.paths["/v1/budgets"].post.requestBody.content["application/json"].schema;
    expect(body.properties.month.pattern).toBe("^(19[7-9]\\d|2\\d{3})-(0[1-9]|1[0-2])$");
    expect(body.required).toEqual(["month"]);
    expect(body.additionalProperties).toBe(false);
    expect(body.properties.categories.items.properties.limit).toMatchObject({ type: "integer", minimum: 0 });
    const signup = doc.paths["/v1/auth/signup"].post.requestBody.content["application/json"].schema;
    expect(signup.properties.password.minLength).toBe(10);
  });

  it("marks every route but health, docs and sign-in as needing a bearer token", () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    const open = new Set(["/v1/health", "/v1/auth/signup", "/v1/auth/login"]);
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const op of Object.values(ops as Record<string, { security?: unknown }>)) {
        expect(op.security, path).toEqual(open.has(path) ? [] : [{ bearer: [] }]);
      }
    }
  });

  it("documents the read scope's 403 on every protected write, and on token management", () => {
    for (const [path, ops] of Object.entries(doc.paths)) {
      // biome-ignore lint/suspicious/noExplicitAny: operation objects, checked field by field
      for (const [method, op] of Object.entries(ops as Record<string, any>)) {
        const where = `${method.toUpperCase()} ${path}`;
        const protectedWrite = op.security?.length > 0 && method !== "get";
        const tokens = path.startsWith("/v1/tokens");
        expect(Object.keys(op.responses).includes("403"), where).toBe(protectedWrite || tokens);
        if (protectedWrite)
          expect(op.responses["403"].content["application/problem+json"], where).toBeTruthy();
      }
    }
    expect(doc.paths["/v1/tokens"].post.responses["403"].description).toMatch(/session-required/);
    const body = doc.paths["/v1/tokens"].post.requestBody.content["application/json"].schema;
    expect(body.additionalProperties).toBe(false);
    expect(body.required).toEqual(["name"]);
    expect(body.properties.scope).toMatchObject({ enum: ["read", "write"], default: "read" });
  });

  it("serves interactive docs from local files", async () => {
    const page = await h.call("GET", "/docs");
    expect(page.status).toBe(200);
    expect(page.body).toContain("/docs/assets/swagger-ui-bundle.js");
    expect(page.body).not.toMatch(/https?:\/\//);
    const bundle = await h.call("GET", "/docs/assets/swagger-ui-bundle.js");
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toContain("javascript");
    expect((await h.call("GET", "/docs/assets/..%2Fpackage.json")).status).toBe(404);
  });

  it("gives every operation an id, its 401 where a token is needed, and public ones no security", () => {
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      // biome-ignore lint/suspicious/noExplicitAny: operation objects, checked field by field
      for (const [method, op] of Object.entries(ops as Record<string, any>)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.operationId, where).toMatch(/^[a-z][A-Za-z]+$/);
        expect(ids.has(op.operationId), `${where}: operationId used twice`).toBe(false);
        ids.add(op.operationId);
        if (op.security?.length === 0) continue;
        expect(op.security, where).toEqual([{ bearer: [] }]);
        expect(Object.keys(op.responses), where).toContain("401");
      }
    }
    expect(doc.paths["/v1/auth/login"].post.security).toEqual([]);
  });

  it("passes Redocly's recommended lint with no errors", () => {
    const dir = mkdtempSync(join(tmpdir(), "tyche-openapi-"));
    try {
      const file = join(dir, "openapi.json");
      writeFileSync(file, JSON.stringify(doc));
      const cli = join(
        dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")),
        "bin/cli.js",
      );
      const run = spawnSync(process.execPath, [cli, "lint", file, "--format=json"], {
        encoding: "utf8",
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
        timeout: 60_000,
      });
      const report = JSON.parse(run.stdout.slice(run.stdout.indexOf("{")));
      // biome-ignore lint/suspicious/noExplicitAny: Redocly's JSON report
      const errors = report.problems.filter((p: any) => p.severity === "error");
      expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
      expect(run.status, run.stderr).toBe(0);
      // The two warnings left: health has no 4xx answer to give, and a receipt's GET only ever
      // redirects (303) to the file's signed URL, which is where its bytes come from.
      // biome-ignore lint/suspicious/noExplicitAny: Redocly's JSON report
      const warnings = report.problems.map((p: any) => `${p.ruleId} ${p.location?.[0]?.pointer ?? ""}`);
      expect(warnings.sort()).toEqual([
        "operation-2xx-response #/paths/~1v1~1transactions~1{id}~1receipt/get/responses",
        "operation-4xx-response #/paths/~1v1~1health/get/responses",
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
