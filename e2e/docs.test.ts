import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launch, requireChromium } from "./support/browser";
import { type RunningServer, startServer } from "./support/server";

/** A failed test leaves a screenshot and the page's HTML here, outside the repository. */
const ARTIFACTS = join(tmpdir(), "tyche-e2e-artifacts");

let server: RunningServer;
let browser: Browser;
let context: BrowserContext | undefined;
let page: Page;
/** Everything that went wrong in the page: failed requests, HTTP errors, console errors, page errors. */
let problems: string[] = [];

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ db: "memory" }), launch()]);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

async function openDocs(): Promise<Page> {
  requireChromium();
  problems = [];
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await context.newPage();
  const origin = server.baseUrl;
  p.on("request", (req) => {
    const url = req.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith("data:") && !url.startsWith("blob:"))
      problems.push(`request outside the server: ${req.method()} ${url}`);
  });
  p.on("requestfailed", (req) =>
    problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText ?? "?"})`),
  );
  p.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  p.on("console", (msg) => {
    if (msg.type() !== "error") return;
    problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  p.on("pageerror", (err) => problems.push(`uncaught error in the page: ${err.message}`));
  page = p;
  return p;
}

afterEach(async (ctx) => {
  if (ctx.task.result?.state === "fail" && page && !page.isClosed()) {
    await mkdir(ARTIFACTS, { recursive: true });
    const name = ctx.task.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true }).catch(() => {});
    await writeFile(join(ARTIFACTS, `${name}.html`), await page.content()).catch(() => {});
    console.error(`Screenshot and HTML of the failed page: ${join(ARTIFACTS, name)}.{png,html}`);
  }
  await context?.close();
  context = undefined;
});

interface OpenApiDoc {
  paths: Record<string, Record<string, unknown>>;
}
const METHODS = new Set(["get", "put", "post", "delete", "patch", "head", "options", "trace"]);

/** `METHOD /path` for every operation Swagger UI shows, using the raw path in data-path. */
async function listedOperations(p: Page): Promise<string[]> {
  return p.locator(".opblock").evaluateAll((blocks) =>
    blocks.map((block) => {
      const method = block.querySelector(".opblock-summary-method")?.textContent?.trim().toUpperCase();
      const path = block.querySelector(".opblock-summary-path")?.getAttribute("data-path");
      return `${method} ${path}`;
    }),
  );
}

describe("API docs at /docs (Swagger UI served locally)", () => {
  it("lists every operation of /v1/openapi.json with no failed request or console error", async () => {
    const p = await openDocs();
    const spec = (await (await fetch(`${server.baseUrl}/v1/openapi.json`)).json()) as OpenApiDoc;
    const expected = Object.entries(spec.paths)
      .flatMap(([path, item]) =>
        Object.keys(item)
          .filter((m) => METHODS.has(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
      )
      .sort();

    const response = await p.goto(`${server.baseUrl}/docs`, { waitUntil: "load" });
    expect(response?.status()).toBe(200);
    // Swagger UI renders the operations once it has fetched and resolved the spec.
    await p.locator(".opblock").first().waitFor({ timeout: 30_000 });
    await expect.poll(() => p.locator(".opblock").count()).toBe(expected.length);

    const listed = (await listedOperations(p)).sort();
    expect(listed).toEqual(expected);
    expect(listed).toEqual(
      expect.arrayContaining([
        "POST /v1/auth/signup",
        "POST /v1/budgets",
        "GET /v1/budgets/{month}",
        "PUT /v1/budgets/{month}/categories/{id}",
      ]),
    );
    expect(await p.locator(".info .title").first().textContent()).toContain("Tyche API");
    // Let late requests (fonts, images referenced by the CSS) finish before judging.
    await p.waitForLoadState("networkidle");
    expect(problems).toEqual([]);
  });

  it("authorizes with a bearer token and executes GET /v1/categories from the page", async () => {
    const p = await openDocs();
    const email = `docs-e2e-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
    const signup = await fetch(`${server.baseUrl}/v1/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: "correct horse battery", name: "Docs E2E" }),
    });
    expect(signup.status, await signup.clone().text()).toBe(201);
    const { token } = (await signup.json()) as { token: string };
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);

    await p.goto(`${server.baseUrl}/docs`);
    await p.locator(".opblock").first().waitFor({ timeout: 30_000 });

    // Authorize: the button above the operations opens the dialog with the bearer scheme.
    await p.locator(".auth-wrapper button.authorize").click();
    const dialog = p.locator(".modal-ux");
    await dialog.waitFor();
    await dialog.locator("input#auth-bearer-value").fill(token);
    await dialog.locator(".auth-btn-wrapper button.authorize").click();
    // Once applied, the scheme reads "Authorized" and the dialog offers "Logout" instead.
    await expect.poll(() => dialog.locator(".auth-container h6").textContent()).toBe("Authorized");
    expect(await dialog.getByRole("button", { name: "Remove authorization" }).count()).toBe(1);
    await dialog.locator(".auth-btn-wrapper button.btn-done").click();
    await dialog.waitFor({ state: "detached" });
    await expect.poll(() => p.locator(".auth-wrapper button.authorize.locked").count()).toBe(1);

    // Expand GET /v1/categories, "Try it out", "Execute".
    const op = p
      .locator(".opblock.opblock-get")
      .filter({ has: p.locator('.opblock-summary-path[data-path="/v1/categories"]') });
    await expect.poll(() => op.count()).toBe(1);
    await op.locator(".opblock-summary-control").click();
    await op.locator(".btn.try-out__btn").click();
    const executed = p.waitForResponse(
      (res) => res.url().startsWith(`${server.baseUrl}/v1/categories`) && res.request().method() === "GET",
    );
    await op.locator(".btn.execute").click();
    const res = await executed;
    expect(res.status()).toBe(200);
    expect(res.request().headers().authorization).toBe(`Bearer ${token}`);

    // The live response as Swagger UI shows it.
    const live = op.locator(".responses-wrapper .live-responses-table");
    await expect
      .poll(() => live.locator("tbody tr.response .response-col_status").first().textContent())
      .toContain("200");
    const body = live.locator("tbody tr.response .response-col_description .microlight").first();
    await expect.poll(() => body.textContent()).toContain("groceries");
    expect(problems).toEqual([]);
  });
});
