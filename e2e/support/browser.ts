import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { expect } from "vitest";
import type { RunningServer } from "./server";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// Without these Chromium stalls on a closed network (it tries to reach Google services).
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Where the tests leave a screenshot of every page at 1280 and 375 px (README, "Screenshots"). */
export const SCREENSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), "..", "screenshots");

/** A missing browser fails every test that needs one, with this; it never skips. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}; the browser tests need a real browser. ` +
        "Install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM_PATH.",
    );
}

export function launch(): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export interface AppPage {
  context: BrowserContext;
  page: Page;
  /** Everything that went wrong in the page so far: failed requests, 5xx, console and page errors. */
  problems: string[];
}

/**
 * A fresh browser context on the app: its own storage (so its own session), a viewport, and the
 * colour scheme to emulate. Problems are collected so a test can assert there were none.
 */
export async function openApp(
  browser: Browser,
  server: RunningServer,
  opts: { width?: number; height?: number; colorScheme?: "light" | "dark"; path?: string } = {},
): Promise<AppPage> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 900 },
    colorScheme: opts.colorScheme ?? "light",
    baseURL: server.baseUrl,
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("requestfailed", (req) => {
    // A navigation away aborts the requests still in flight; that is no failure.
    if (req.failure()?.errorText !== "net::ERR_ABORTED")
      problems.push(`request failed: ${req.method()} ${req.url()} (${req.failure()?.errorText ?? "?"})`);
  });
  page.on("response", (res) => {
    if (res.status() >= 500) problems.push(`HTTP ${res.status()}: ${res.request().method()} ${res.url()}`);
  });
  page.on("console", (msg) => {
    if (msg.type() === "error" && !/status of 4\d\d/.test(msg.text()))
      problems.push(`console error: ${msg.text()} (${msg.location().url})`);
  });
  page.on("pageerror", (err) => problems.push(`uncaught error in the page: ${err.message}`));
  if (opts.path !== undefined) await page.goto(opts.path);
  return { context, page, problems };
}

/** Signs a new user up through the app's own form; resolves once the signed-in shell shows. */
export async function signUpInBrowser(
  page: Page,
  name = "Ann Example",
): Promise<{ email: string; password: string }> {
  const email = `e2e.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = "correct horse battery staple";
  await page.goto("/signup");
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign up" }).click();
  // The navigation itself is folded behind a menu button on a phone; log out is always there.
  await page.getByRole("button", { name: "Log out", exact: true }).waitFor();
  return { email, password };
}

/** The session token the app keeps, for setting up data through the API beside the browser. */
export async function tokenOf(page: Page): Promise<string> {
  const raw = await page.evaluate(() => localStorage.getItem("tyche.session"));
  if (!raw) throw new Error("not signed in");
  return (JSON.parse(raw) as { token: string }).token;
}

/** Asserts axe finds no WCAG 2.1 A/AA violation on the page as it is now. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  const found = result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  expect(found, `axe on ${what}`).toEqual([]);
}

/** Saves the page at its current viewport as `<name>-<width>.png` in SCREENSHOTS. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const width = page.viewportSize()?.width ?? 0;
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
}

/** Checks a page in both themes for axe and takes its screenshots at 1280 and 375 px. */
export async function auditPage(page: Page, name: string): Promise<void> {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await expectAccessible(page, `${name} (${scheme})`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  const size = page.viewportSize() ?? { width: 1280, height: 900 };
  for (const width of [1280, 375]) {
    await page.setViewportSize({ width, height: size.height });
    await screenshot(page, name);
  }
  await page.setViewportSize(size);
}

/**
 * `auditPage`, then axe again in both themes at 375 px, where the page must not scroll sideways;
 * the page is left as it was (its viewport, the light theme).
 */
export async function auditPageAndPhone(page: Page, name: string): Promise<void> {
  await auditPage(page, name);
  const size = page.viewportSize() ?? { width: 1280, height: 900 };
  await page.setViewportSize({ width: 375, height: size.height });
  try {
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await expectAccessible(page, `${name} at 375 px (${scheme})`);
    }
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(375);
  } finally {
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize(size);
  }
}
