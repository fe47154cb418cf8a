import { Problem } from "@tyche/types";
import { z } from "zod";

/*
 * The one way tyche-transfer talks to a Tyche: its public HTTP API with a bearer token. Every
 * answer is parsed with the API's own zod schemas, so a server that answers another shape stops the
 * transfer with the path and the field instead of writing something half understood.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** About 15 s of waiting in all before a request is given up: enough for a Lambda's cold start or a throttle. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

export class ApiError extends Error {
  constructor(
    readonly side: string,
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly problem: Problem | undefined,
    body: string,
  ) {
    const fields = problem?.errors?.map((e) => `${e.path} ${e.message}`).join("; ");
    const what = problem
      ? [problem.title, problem.detail, fields].filter(Boolean).join(": ")
      : body.slice(0, 300) || "(no body)";
    super(`${side}: ${method} ${path} answered ${status}: ${what}`);
  }

  /** The problem type's last segment (`import-running` of `/problems/import-running`). */
  get slug(): string | undefined {
    return this.problem?.type.split("/").pop();
  }
}

/** Thrown when an answer is not the shape the API documents. */
export class UnexpectedAnswer extends Error {}

/**
 * Retry-After as RFC 9110 allows it, delay-seconds or an HTTP date, in milliseconds; undefined when
 * absent or unreadable (the caller then backs off by itself).
 */
export function retryAfterMs(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait before the next attempt after `failures` failed ones: exponential, with jitter between
 * half and all of it, so that several clients throttled together do not come back together.
 */
export function backoffMs(failures: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const full = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1));
  return Math.round(full / 2 + (full / 2) * random());
}

export interface SendOptions {
  query?: Record<string, string | undefined>;
  body?: unknown;
  form?: FormData;
  /** A version read before: the write applies only over it (412 otherwise). */
  ifMatch?: number;
  idempotencyKey?: string;
}

export interface ClientOptions {
  retry?: RetryPolicy;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Where retries are reported. */
  log?: (line: string) => void;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The system's code of a failed fetch (undici puts it on the cause): ECONNREFUSED, ECONNRESET... */
const errorCode = (err: unknown): string | undefined => {
  const code = (err as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === "string" ? code : undefined;
};

/** Errors that mean nothing reached the server, so that even a write may be sent again. */
function neverSent(err: unknown): boolean {
  const code = errorCode(err);
  return code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN";
}

const explain = (err: unknown) =>
  `${err instanceof Error ? err.message : String(err)}${errorCode(err) ? ` (${errorCode(err)})` : ""}`;

export class TycheClient {
  private readonly base: string;
  private readonly retry: RetryPolicy;
  private readonly fetchImpl: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly log: (line: string) => void;

  /** `side` names this server in messages: "source" or "target". */
  constructor(
    readonly side: string,
    baseUrl: string,
    private readonly token: string,
    options: ClientOptions = {},
  ) {
    // Kept as a prefix rather than resolved as a URL, so a base with a path (a stage) keeps it.
    this.base = baseUrl.replace(/\/+$/, "");
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.fetchImpl = options.fetch ?? fetch;
    this.sleep = options.sleep ?? sleepFor;
    this.log = options.log ?? (() => undefined);
  }

  /** A JSON answer parsed with `schema`; any status but 2xx is an ApiError. */
  async json<S extends z.ZodType>(
    method: string,
    path: string,
    schema: S,
    options: SendOptions = {},
  ): Promise<z.output<S>> {
    const answer = await this.send(method, path, options);
    this.check(method, path, answer);
    return this.parse(method, path, schema, answer.text);
  }

  /** A GET whose 404 means "there is none": the month without a plan, the goal never set. */
  async optional<S extends z.ZodType>(
    path: string,
    schema: S,
    query?: Record<string, string | undefined>,
  ): Promise<z.output<S> | undefined> {
    const answer = await this.send("GET", path, query ? { query } : {});
    if (answer.status === 404) return undefined;
    this.check("GET", path, answer);
    return this.parse("GET", path, schema, answer.text);
  }

  /** `{items}` of a list that is not paged. */
  async items<S extends z.ZodType>(
    path: string,
    item: S,
    query?: Record<string, string | undefined>,
  ): Promise<z.output<S>[]> {
    const page = await this.json("GET", path, z.object({ items: z.array(item) }), query ? { query } : {});
    return page.items;
  }

  /** Every page of a paged list, following nextCursor. */
  async pages<S extends z.ZodType>(
    path: string,
    item: S,
    query: Record<string, string | undefined> = {},
  ): Promise<z.output<S>[]> {
    const Page = z.object({ items: z.array(item), nextCursor: z.string().optional() });
    const out: z.output<S>[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.json("GET", path, Page, { query: { ...query, limit: "100", cursor } });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  /** A text answer (the CSV export). */
  async text(path: string, query?: Record<string, string | undefined>): Promise<string> {
    const answer = await this.send("GET", path, query ? { query } : {});
    this.check("GET", path, answer);
    return answer.text;
  }

  /** A write whose answer has no body (204). */
  async none(method: string, path: string, options: SendOptions = {}): Promise<void> {
    const answer = await this.send(method, path, options);
    this.check(method, path, answer);
  }

  /**
   * One request, sent again on 429 (after Retry-After) and, when sending it twice cannot write
   * twice, on a 5xx or a lost connection (with backoff). Reads, PUTs and DELETEs with If-Match
   * (a second copy of a write that landed answers 412, never a second write) and POSTs with an
   * Idempotency-Key are safe; a plain POST is sent again only when it never reached the server,
   * and otherwise fails, to be finished by running the transfer again (it finds what landed).
   */
  async send(method: string, path: string, options: SendOptions = {}): Promise<Answer> {
    const url = new URL(`${this.base}${path}`);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.token}`,
      accept: "application/json",
    };
    if (options.ifMatch !== undefined) headers["if-match"] = `"${options.ifMatch}"`;
    if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
    let body: BodyInit | undefined;
    if (options.form) body = options.form;
    else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    const safe = method !== "POST" || options.idempotencyKey !== undefined;
    const where = `${this.side}: ${method} ${url.pathname}`;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= this.retry.attempts;
      let res: Response;
      try {
        res = await this.fetchImpl(url, { method, headers, ...(body !== undefined ? { body } : {}) });
      } catch (err) {
        if (last || !(safe || neverSent(err))) {
          throw new Error(`${where} failed: ${explain(err)}`, { cause: err });
        }
        const wait = backoffMs(attempt, this.retry);
        this.log(`${where}: no answer (${explain(err)}); trying again in ${wait} ms`);
        await this.sleep(wait);
        continue;
      }
      const retriable = res.status === 429 || (res.status >= 500 && safe);
      if (!retriable || last) return { status: res.status, headers: res.headers, text: await res.text() };
      // Drain the refused answer so the connection can be reused.
      await res.text();
      const wait = retryAfterMs(res.headers.get("retry-after")) ?? backoffMs(attempt, this.retry);
      this.log(`${where} answered ${res.status}; trying again in ${wait} ms`);
      await this.sleep(Math.min(wait, this.retry.maxDelayMs));
    }
  }

  private check(method: string, path: string, answer: Answer): void {
    if (answer.status >= 200 && answer.status < 300) return;
    let problem: Problem | undefined;
    try {
      const parsed = Problem.safeParse(JSON.parse(answer.text));
      if (parsed.success) problem = parsed.data;
    } catch {
      // not JSON: the message shows the text
    }
    throw new ApiError(this.side, method, path, answer.status, problem, answer.text);
  }

  private parse<S extends z.ZodType>(method: string, path: string, schema: S, text: string): z.output<S> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new UnexpectedAnswer(
        `${this.side}: ${method} ${path} did not answer JSON: ${text.slice(0, 200)}`,
      );
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UnexpectedAnswer(
        `${this.side}: ${method} ${path} answered an unexpected shape` +
          (issue ? ` (${issue.path.join(".") || "body"}: ${issue.message})` : ""),
      );
    }
    return parsed.data;
  }
}
