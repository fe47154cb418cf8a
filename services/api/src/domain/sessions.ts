import type { Principal } from "../auth/principal";
import type { SessionRepository } from "../db/sessions";

/** Logging out: one session token, or every session of the user. Personal access tokens are not sessions. */
export class SessionService {
  constructor(
    private readonly records: SessionRepository,
    /** With Cognito: also ends the user's refresh tokens in the pool (AdminUserGlobalSignOut). */
    private readonly globalSignOut?: (userId: string) => Promise<void>,
  ) {}

  async logout(p: Principal, now = Date.now()): Promise<void> {
    const session = p.session;
    if (!session) return;
    const nowSeconds = Math.floor(now / 1000);
    // A token without an id can only be revoked with everything issued up to it.
    if (session.jti === "") await this.records.revokeAll(p, session.issuedAt);
    else await this.records.revoke(p, session.jti, session.expiresAt, nowSeconds);
  }

  async logoutAll(p: Principal, now = Date.now()): Promise<void> {
    await this.records.revokeAll(p, Math.floor(now / 1000));
    await this.globalSignOut?.(p.userId);
  }
}
