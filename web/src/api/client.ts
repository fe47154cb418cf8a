import type { Problem, Upload } from "@tyche/types";

/** A failed API call: the problem+json the API answered, or a network failure in words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem> & { title: string },
  ) {
    super(problem.detail ?? problem.title);
  }

  /** The message for one field (`path` as the API names it: `categories.0.limit`), if any. */
  fieldError(path: string): string | undefined {
    return this.problem.errors?.find((e) => e.path === path)?.message;
  }
}

/** The header of a write made at the version it was read at (a change made meanwhile answers 412). */
export const ifMatch = (version: number) => ({ "if-match": `"${version}"` });

export interface Session {
  /** The bearer token as it is now. */
  readonly token: string;
  /**
   * A token good for the call about to be made: a Cognito session renews its ID token first when
   * it is about to expire. Throws `SessionEndedError` when it cannot be renewed any more.
   */
  fresh?(): Promise<string>;
  /**
   * After the API refused `rejected` (401): a renewed token to try the call once more with, or
   * undefined when there is none (the session has ended; its owner has been told).
   */
  renew?(rejected: string): Promise<string | undefined>;
}

/** A session whose tokens can no longer be renewed (the refresh token expired or was revoked). */
export class SessionEndedError extends Error {}

type CallOptions = {
  body?: unknown;
  raw?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Call with this token instead of the session's: a sign-in's first call, before it is the session. */
  token?: string;
};

const ENDED = { title: "Your session has ended", detail: "Log in again; what you were typing is kept." };

type Listener = () => void;

/**
 * The one way the app talks to the API: JSON in and out, the bearer token from the session, and
 * RFC 9457 problems turned into `ApiError`. A session that can renew its token (Cognito) is asked
 * for a fresh one before each call, and after a 401 for a renewed one, with which the call is made
 * once more. A 401 that stays ends the session (the token expired); what the user was typing
 * survives in its draft (see useDraft).
 */
export class ApiClient {
  private session: Session | undefined;
  private readonly expiredListeners = new Set<Listener>();

  constructor(private readonly base = "") {}

  /**
   * Sends a file ahead (POST /v1/uploads) and PUTs its bytes to the signed URL the answer gives:
   * S3 on AWS, past the 6 MB a Lambda request may carry; the server itself locally. The PUT goes
   * without the bearer header: the URL is its own permission. Returns the upload's id.
   */
  async sendAhead(file: File, signal?: AbortSignal): Promise<string> {
    const contentType = file.type || "application/octet-stream";
    const { data: upload } = await this.request<Upload>("POST", "/v1/uploads", {
      body: { size: file.size, contentType },
      ...(signal ? { signal } : {}),
    });
    const target = /^https?:/.test(upload.url) ? upload.url : `${this.base}${upload.url}`;
    let res: Response;
    try {
      res = await fetch(target, {
        method: upload.method,
        headers: upload.headers,
        body: file,
        ...(signal ? { signal } : {}),
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") throw err;
      throw new ApiError(0, {
        title: "The file could not be sent",
        detail: "Check your connection and try again.",
      });
    }
    if (!res.ok) throw new ApiError(res.status, { title: `The file could not be sent (${res.status})` });
    return upload.uploadId;
  }

  setSession(session: Session | undefined): void {
    this.session = session;
  }

  onExpired(listener: Listener): () => void {
    this.expiredListeners.add(listener);
    return () => this.expiredListeners.delete(listener);
  }

  /** Ends the session for everyone listening: its tokens cannot be renewed any more. */
  expire(): void {
    for (const l of this.expiredListeners) l();
  }

  async request<T>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<{ data: T; headers: Headers }> {
    const res = await this.call(method, path, "application/json", options);
    const text = await res.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (!res.ok) throw this.failure(res.status, parsed, options.token === undefined);
    return { data: parsed as T, headers: res.headers };
  }

  /**
   * A POST whose answer is read as it arrives (server-sent events): its body's stream once the
   * API accepted the request, or the ApiError of a refusal, exactly as `request` gives it.
   */
  async stream(path: string, body: unknown, signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const res = await this.call("POST", path, "text/event-stream", { body, signal });
    if (!res.ok) {
      const text = await res.text();
      throw this.failure(res.status, text ? safeJson(text) : undefined, true);
    }
    if (!res.body) throw new ApiError(res.status, { title: "The answer came without a body" });
    return res.body;
  }

  private async call(method: string, path: string, accept: string, options: CallOptions): Promise<Response> {
    const headers: Record<string, string> = { accept, ...options.headers };
    let body = options.raw;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    const session = options.token === undefined ? this.session : undefined;
    const send = async (token: string | undefined) => {
      try {
        return await fetch(`${this.base}${path}`, {
          method,
          headers: token ? { ...headers, authorization: `Bearer ${token}` } : headers,
          ...(body !== undefined ? { body } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (err) {
        if (err instanceof DOMException && err.name === "AbortError") throw err;
        throw new ApiError(0, {
          title: "Tyche could not be reached",
          detail: "Check your connection and try again.",
        });
      }
    };
    const token =
      options.token ?? (session ? await this.renewing(() => session.fresh?.() ?? session.token) : undefined);
    const res = await send(token);
    // Once: a token the API refuses although the session thought it good (it expired early, the
    // clocks disagree) is renewed and the call made again. A stream cannot be sent twice.
    if (res.status !== 401 || !token || !session?.renew || body instanceof ReadableStream) return res;
    await res.body?.cancel();
    const renewed = await this.renewing(() => session.renew?.(token));
    if (!renewed) throw new ApiError(401, ENDED);
    return send(renewed);
  }

  /** A session's renewal, its failures in the API's terms: ended (401) or the pool unreachable. */
  private async renewing<T>(renew: () => T | Promise<T>): Promise<T> {
    try {
      return await renew();
    } catch (err) {
      // The session told its listeners itself when it ended.
      if (err instanceof SessionEndedError) throw new ApiError(401, ENDED);
      throw new ApiError(0, {
        title: "Your session could not be renewed",
        detail: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** A refusal as an ApiError; a 401 on a call made with the session also ends the session. */
  private failure(status: number, parsed: unknown, withSession: boolean): ApiError {
    if (status === 401 && withSession && this.session) this.expire();
    const problem =
      parsed && typeof parsed === "object" && "title" in parsed
        ? (parsed as Problem)
        : { title: `The server answered ${status}`, status };
    return new ApiError(status, problem);
  }

  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return (await this.request<T>("GET", path, signal ? { signal } : {})).data;
  }

  async send<T>(
    method: "POST" | "PUT" | "DELETE",
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) {
    return (
      await this.request<T>(method, path, {
        ...(body !== undefined ? { body } : {}),
        ...(headers ? { headers } : {}),
      })
    ).data;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const api = new ApiClient();
