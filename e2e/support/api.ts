import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { type AppPage, launch, openApp, signUpInBrowser, tokenOf } from "./browser";
import { type RunningServer, startServer } from "./server";

/** What the API answered: its status, its JSON (undefined when it sent none) and its ETag. */
export interface Answer<T> {
  status: number;
  data: T;
  etag: string | null;
}

/**
 * One call to the API beside the browser, as the user of `token`: a body is sent as JSON (a
 * FormData as it is), and whatever the API answers is returned, a refusal too.
 */
export async function request<T>(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer<T>> {
  const form = body instanceof FormData;
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && !form ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: form ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    data: (text ? JSON.parse(text) : undefined) as T,
    etag: res.headers.get("etag"),
  };
}

/** The same for a call that must succeed: its JSON, or an error that says what the API answered. */
export async function call<T>(
  baseUrl: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
): Promise<T> {
  const answer = await request<T>(baseUrl, token, method, path, body, headers);
  if (answer.status >= 400)
    throw new Error(`${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.data)}`);
  return answer.data;
}

/** One server (in memory) and one Chromium, shared by the tests of a file. */
export interface SharedServer {
  readonly server: RunningServer;
  readonly browser: Browser;
}

/** And one app page in that browser, with the user signed up on it. */
export interface SharedApp extends SharedServer {
  readonly app: AppPage;
  readonly page: Page;
  /** The session token of the user signed up last (empty before). */
  readonly token: string;
  /** Signs a new user up through the page; `call` is theirs from then on. */
  signUp(name?: string): Promise<{ email: string; password: string }>;
  /** The API beside the browser, as the signed-up user: see `call`. */
  call<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T>;
}

const started = <T>(value: T | undefined): T => {
  if (value === undefined) throw new Error("what the tests share is started in beforeAll");
  return value;
};

/** Starts the server and the browser before the file's tests, and stops them after. */
export function shareServer(): SharedServer {
  return share(false);
}

/** The same with one app page, closed after the file's tests. */
export function shareApp(): SharedApp {
  return share(true);
}

function share(withPage: boolean): SharedApp {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let app: AppPage | undefined;
  let token = "";
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ db: "memory" }), launch()]);
    if (withPage) app = await openApp(browser, server);
  });
  afterAll(async () => {
    await app?.context.close();
    await browser?.close();
    await server?.stop();
  });
  return {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
    get app() {
      return started(app);
    },
    get page() {
      return started(app).page;
    },
    get token() {
      return token;
    },
    async signUp(name) {
      const page = started(app).page;
      const account = await signUpInBrowser(page, name);
      token = await tokenOf(page);
      return account;
    },
    call: (method, path, body, headers) => call(started(server).baseUrl, token, method, path, body, headers),
  };
}

/** The built app as the server serves it: index.html, its entry script, and any chunk by name. */
export async function builtApp(baseUrl: string) {
  const get = async (path: string) => (await fetch(`${baseUrl}${path}`)).text();
  const html = await get("/");
  const entry = /<script[^>]+type="module"[^>]+src="([^"]+)"/.exec(html)?.[1];
  expect(entry, "the entry script in index.html").toBeTruthy();
  const asset = (name: string) => get(`/assets/${name}`);
  return {
    html,
    entryJs: await get(entry ?? ""),
    asset,
    /** A chunk and every chunk it imports statically, as one text. */
    async withImports(name: string): Promise<string> {
      const js = await asset(name);
      const imported = [...js.matchAll(/from"\.\/([\w-]+\.js)"/g)].map((m) => m[1] as string);
      return [js, ...(await Promise.all(imported.map(asset)))].join("\n");
    },
  };
}

/** Cents as the page shows them: the browser's own Intl, in its own language. */
export const moneyIn = (page: Page, cents: number, currency = "USD") =>
  page.evaluate(
    ([c, cur]) =>
      new Intl.NumberFormat(navigator.language, { style: "currency", currency: cur as string }).format(
        (c as number) / 100,
      ),
    [cents, currency] as const,
  );

/** A day as the page writes it in full ("Mar 5, 2026" in en-US), in the browser's own language. */
export const fullDateIn = (page: Page, iso: string) =>
  page.evaluate(
    (x) =>
      new Intl.DateTimeFormat(navigator.language, {
        day: "numeric",
        month: "short",
        year: "numeric",
        timeZone: "UTC",
      }).format(new Date(`${x}T00:00:00Z`)),
    iso,
  );

/** A locator's text, trimmed. */
export const textOf = async (locator: Locator) => ((await locator.textContent()) ?? "").trim();
