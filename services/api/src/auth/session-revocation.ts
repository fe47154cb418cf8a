import { isRevoked, type SessionRepository } from "../db/sessions";
import { InvalidTokenError } from "./local-tokens";
import type { Authenticator, Principal } from "./principal";

/**
 * Session tokens are checked against their user's logouts on every request, with one strongly
 * consistent read and nothing cached: a logged-out token must stop at once in every process, and a
 * cache would keep it alive for as long as the cache lasts.
 */
export class WithSessionRevocation implements Authenticator {
  readonly mode: Authenticator["mode"];
  constructor(
    private readonly sessions: Authenticator,
    private readonly records: SessionRepository,
  ) {
    this.mode = sessions.mode;
  }

  async verify(token: string): Promise<Principal> {
    const principal = await this.sessions.verify(token);
    if (principal.session) {
      const record = await this.records.get(principal);
      if (isRevoked(record, principal.session)) throw new InvalidTokenError("session was logged out");
    }
    return principal;
  }
}
