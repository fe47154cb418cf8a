import type { LoginInput, SignupInput, User } from "@tyche/types";
import { ulid } from "ulid";
import { DeviceCookies } from "../auth/device-cookie";
import type { LocalTokens } from "../auth/local-tokens";
import { checkPassword } from "../auth/password-policy";
import { decoyHash, hasher, hashPassword, verifyPassword } from "../auth/passwords";
import type { Principal, SessionClaims } from "../auth/principal";
import type { Owner } from "../db/keys";
import type { LoginThrottle } from "../db/login-throttle";
import type { WriteOp } from "../db/transact";
import type { UserRepository } from "../db/users";
import { DomainError, isFailure, notFound } from "../errors";

/** The writes that give a new user what every user starts with (categories, a first account). */
export type StarterKit = (owner: Owner, now: string) => WriteOp[];

export interface Session {
  token: string;
  expiresAt: string;
  user: User;
}

const WRONG_CREDENTIALS = () => new DomainError("wrong-credentials", "Email or password is incorrect");

/** Where a login comes from: the client's address and the device cookie it sent, if any. */
export interface LoginContext {
  client: string;
  deviceCookie?: string | undefined;
}

export class Identity {
  private readonly devices: DeviceCookies;
  constructor(
    private readonly users: UserRepository,
    private readonly starter: StarterKit,
    private readonly throttle: LoginThrottle,
    private readonly tokens: LocalTokens,
  ) {
    this.devices = new DeviceCookies(tokens.signingKey);
  }

  async signup(input: SignupInput): Promise<Session> {
    checkPassword(input.password, input.email);
    const owner = { tenantId: ulid(), userId: ulid() };
    const user = await this.users.create(
      {
        owner,
        email: input.email,
        name: input.name,
        passwordHash: await hashPassword(input.password),
        foundsTenant: true,
      },
      this.starter(owner, new Date().toISOString()),
    );
    return { ...(await this.tokens.issue({ ...owner, email: user.email, name: user.name })), user };
  }

  /**
   * Same answer, and about the same time, whether or not the e-mail exists. The attempt is counted
   * before the password is verified, so parallel guesses cannot outrun the throttle.
   */
  async login(input: LoginInput, from: LoginContext): Promise<Session & { deviceCookie: string }> {
    // Its place in the hashing queue first: a flood beyond it is refused before any DynamoDB call.
    return hasher.admit(async () => {
      const attempt = {
        email: input.email,
        client: from.client,
        trustedDevice: this.devices.names(from.deviceCookie, input.email),
      };
      const wait = await this.throttle.attempt(attempt);
      if (wait > 0) {
        throw new DomainError(
          "too-many-attempts",
          `Too many login attempts; try again in ${Math.ceil(wait / 60)} minutes, or from a device you have logged in from before`,
          { retryAfterSeconds: wait },
        );
      }
      const found = await this.users.findCredentials(input.email);
      const ok = await verifyPassword(input.password, found?.passwordHash ?? (await decoyHash()));
      if (!found || !ok) throw WRONG_CREDENTIALS();
      await this.throttle.succeeded(attempt);
      const { user } = found;
      return {
        ...(await this.tokens.issue({ ...user, email: user.email, name: user.name })),
        user,
        deviceCookie: this.devices.issue(input.email),
      };
    });
  }
}

/**
 * Cognito users sign up in the user pool, so Tyche first meets them on their first request: give
 * them a profile, the default categories and a first account then, once. Remembered per process to cost one read.
 */
export class CognitoProvisioner {
  private readonly known = new Set<string>();
  constructor(
    private readonly users: UserRepository,
    private readonly starter: StarterKit,
    /** Users from before accounts get their first account on their first request to this process. */
    private readonly migration: { run(owner: Owner): Promise<unknown> },
  ) {}

  async ensure(p: Principal): Promise<void> {
    const id = `${p.tenantId}/${p.userId}`;
    if (this.known.has(id)) return;
    const owner = { tenantId: p.tenantId, userId: p.userId };
    if (!(await this.users.get(owner))) {
      try {
        await this.users.create(
          { owner, email: p.email, name: p.name ?? p.email, foundsTenant: false },
          this.starter(owner, new Date().toISOString()),
        );
      } catch (err) {
        // A concurrent first request provisioned the same user: that is the outcome we wanted.
        if (!isFailure(err, "conflict")) throw err;
      }
    } else {
      await this.migration.run(owner);
    }
    this.known.add(id);
  }

  /**
   * The user pool's post-confirmation trigger on AWS (`signup-trigger-lambda.ts`): the new user
   * founds the tenant the trigger assigned, with the profile and starter kit `ensure` would give.
   * Safe to repeat, as Cognito does after a timeout: a user already there is left as it is.
   */
  async found(who: SessionClaims): Promise<void> {
    const owner = { tenantId: who.tenantId, userId: who.userId };
    try {
      await this.users.create(
        { owner, email: who.email, name: who.name ?? who.email, foundsTenant: true, claimsEmail: false },
        this.starter(owner, new Date().toISOString()),
      );
    } catch (err) {
      if (!isFailure(err, "conflict")) throw err;
    }
  }
}

/** The signed-in user's own profile, in either auth mode. */
export class Profiles {
  constructor(private readonly users: UserRepository) {}

  async me(owner: Owner): Promise<User> {
    const user = await this.users.get(owner);
    if (!user) throw notFound("User");
    return user;
  }
}
