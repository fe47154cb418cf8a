import { DomainError } from "../errors";

/** The longest a refused sign-in is held before it is answered. */
export const MAX_HOLD_MS = 1_000;
/** Refusals held at once, at most; beyond that they are answered at once. */
export const MAX_HELD = 1_024;

/**
 * Answers a refused sign-in (throttled, or beyond the hashing queue) only once its Retry-After has
 * passed, up to MAX_HOLD_MS. A client that resends at once then gets no more answers than one that
 * waits as told: a flood of refusals would otherwise cost the server thousands of answers a second,
 * cheap as each one is, and slow every other user's requests. OWASP's authentication guidance
 * counts delaying the answer among the defences against guessing.
 *
 * Holding costs a timer and an open connection; past MAX_HELD held at once (a client opening
 * ever more connections), refusals go out at once, and only a limit in front of the process
 * (API Gateway's throttle on AWS) helps.
 */
export class RefusalPacer {
  private holding = 0;

  constructor(
    private readonly maxHoldMs = MAX_HOLD_MS,
    private readonly maxHeld = MAX_HELD,
  ) {}

  /** Refusals being held now, for tests and figures. */
  get held(): number {
    return this.holding;
  }

  /** Runs `work`; a refusal with a Retry-After it throws is thrown again once held. */
  async pace<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      const retryAfter = err instanceof DomainError ? err.extra.retryAfterSeconds : undefined;
      if (retryAfter !== undefined && retryAfter > 0)
        await this.hold(Math.min(retryAfter * 1000, this.maxHoldMs));
      throw err;
    }
  }

  private async hold(ms: number): Promise<void> {
    if (ms <= 0 || this.holding >= this.maxHeld) return;
    this.holding += 1;
    try {
      await new Promise((resolve) => setTimeout(resolve, ms));
    } finally {
      this.holding -= 1;
    }
  }
}

/** One per process, as the hasher is: the bound on refusals held is the process's. */
export const refusals = new RefusalPacer();
