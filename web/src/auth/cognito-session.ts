import { type Session, SessionEndedError } from "../api/client";
import { type CognitoClient, CognitoError, type CognitoTokens } from "./cognito-client";

/** The part of a stored Cognito session that this keeps fresh (the user is kept beside it). */
export interface CognitoTokenState {
  token: string;
  expiresAt: string;
  refreshAt: string;
  refreshToken: string;
}

/** Renew a minute before the ID token expires, or half its life ahead when that is shorter. */
const AHEAD_MS = 60_000;
/** After a renewal that could not reach the pool, when to try again (the session is not over yet). */
const RETRY_MS = 30_000;

/** The token state for tokens just received, timed by this browser's clock (not the token's `exp`). */
export function tokenState(tokens: CognitoTokens, refreshToken: string, now = Date.now()): CognitoTokenState {
  const lifeMs = tokens.expiresIn * 1000;
  return {
    token: tokens.idToken,
    expiresAt: new Date(now + lifeMs).toISOString(),
    refreshAt: new Date(now + lifeMs - Math.min(AHEAD_MS, lifeMs / 2)).toISOString(),
    refreshToken,
  };
}

export interface CognitoSessionDeps {
  client: Pick<CognitoClient, "refresh">;
  /** Called with every renewed state, to keep it (localStorage) for the next reload. */
  save(state: CognitoTokenState): void;
  /** Called once when the pool refuses the refresh token: the person must log in again. */
  onEnded(): void;
  now?: () => number;
}

/**
 * One signed-in Cognito session: hands the API client an ID token that is good, renewing it with
 * the refresh token before it expires (on a timer while the tab is open, and before any call made
 * after `refreshAt`, since a sleeping tab's timers are late) and once more after a 401. Renewals
 * run one at a time: the calls that need one meanwhile wait for the same one.
 */
export class CognitoSession implements Session {
  private state: CognitoTokenState;
  private renewal: Promise<string> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ended = false;
  private readonly now: () => number;

  constructor(
    state: CognitoTokenState,
    private readonly deps: CognitoSessionDeps,
  ) {
    this.state = state;
    this.now = deps.now ?? Date.now;
  }

  get token(): string {
    return this.state.token;
  }

  get refreshToken(): string {
    return this.state.refreshToken;
  }

  async fresh(): Promise<string> {
    if (this.ended) throw new SessionEndedError("the session has ended");
    return this.now() < Date.parse(this.state.refreshAt) ? this.state.token : this.refresh();
  }

  async renew(rejected: string): Promise<string | undefined> {
    if (this.ended) return undefined;
    // Renewed already since the refused call was sent (by another call or the timer): try that one.
    if (rejected !== this.state.token) return this.state.token;
    try {
      return await this.refresh();
    } catch (err) {
      if (err instanceof SessionEndedError) return undefined;
      throw err;
    }
  }

  /** Renews on a timer at `refreshAt` until `stop`. */
  start(): void {
    this.schedule(Date.parse(this.state.refreshAt) - this.now());
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(inMs: number): void {
    this.stop();
    this.timer = setTimeout(
      () => {
        this.refresh().catch((err: unknown) => {
          // Ended: the owner has been told. Unreachable: the next call tries again, and so does this.
          if (!(err instanceof SessionEndedError)) this.schedule(RETRY_MS);
        });
      },
      Math.max(0, Math.min(inMs, 2 ** 31 - 1)),
    );
  }

  private refresh(): Promise<string> {
    this.renewal ??= (async () => {
      try {
        const tokens = await this.deps.client.refresh(this.state.refreshToken);
        if (this.ended) throw new SessionEndedError("the session has ended");
        // A pool that rotates refresh tokens sends a new one; otherwise the old one stays good.
        this.state = tokenState(tokens, tokens.refreshToken ?? this.state.refreshToken, this.now());
        this.deps.save(this.state);
        if (this.timer !== undefined) this.start();
        return this.state.token;
      } catch (err) {
        if (err instanceof CognitoError && err.code === "NotAuthorizedException") {
          this.end();
          throw new SessionEndedError(err.message);
        }
        throw err;
      } finally {
        this.renewal = undefined;
      }
    })();
    return this.renewal;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stop();
    this.deps.onEnded();
  }
}
