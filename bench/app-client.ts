import type { createApp } from "../services/api/src/app";

/** The app the benches drive in-process, through Hono's fetch. */
export type App = ReturnType<typeof createApp>;

export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the benches read arbitrary JSON answers and check them
  body: any;
  /** Wall time of the request, answer read included. */
  ms: number;
}

export interface CallOptions {
  token?: string;
  json?: unknown;
  form?: FormData;
}

/** One request to the in-process app, timed, the answer parsed when it is JSON. */
export class AppClient {
  constructor(readonly app: App) {}

  async call(method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: BodyInit | undefined = opts.form;
    if (opts.json !== undefined) {
      body = JSON.stringify(opts.json);
      headers["content-type"] = "application/json";
    }
    const t0 = performance.now();
    const res = await this.app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    const ms = performance.now() - t0;
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, ms };
  }

  /** Fails loudly on any answer but the expected one. */
  async expect(status: number, method: string, path: string, opts: CallOptions = {}): Promise<Reply> {
    const res = await this.call(method, path, opts);
    if (res.status !== status) {
      throw new Error(
        `${method} ${path} answered ${res.status}, not ${status}: ${JSON.stringify(res.body).slice(0, 2000)}`,
      );
    }
    return res;
  }
}
