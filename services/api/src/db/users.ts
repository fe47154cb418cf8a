import { User } from "@tyche/types";
import { z } from "zod";
import { conflict } from "../errors";
import { Entity } from "./entity";
import { keys, type Owner, tenantKey } from "./keys";
import type { Store } from "./store";
import { commit, type WriteOp } from "./transact";

export interface NewAccount {
  owner: Owner;
  email: string;
  name: string;
  /** Set for local accounts; Cognito users have their credentials in the user pool. */
  passwordHash?: string;
  /**
   * Local sign-up founds a tenant, and so does the user pool's sign-up trigger on AWS; a Cognito
   * user first seen by the API joins the tenant its pool assigned.
   */
  foundsTenant: boolean;
  /**
   * Whether to claim the e-mail, which local login looks accounts up by; unset: as `foundsTenant`.
   * A Cognito user's e-mail is the pool's to keep unique, and may change there.
   */
  claimsEmail?: boolean;
}

const Profile = User.extend({ passwordHash: z.string().optional() });
const Tenant = z.object({ tenantId: z.string(), name: z.string(), createdAt: z.string() });
const EmailClaim = z.object({
  email: z.string(),
  tenantId: z.string(),
  userId: z.string(),
  createdAt: z.string(),
});

export class UserRepository {
  private readonly profiles: Entity<z.infer<typeof Profile>>;
  private readonly tenants: Entity<z.infer<typeof Tenant>>;
  private readonly claims: Entity<z.infer<typeof EmailClaim>>;

  constructor(private readonly store: Store) {
    this.profiles = new Entity(store, {
      name: "user",
      table: "users",
      schema: Profile,
      key: (o) => keys.profile(o),
      indexKeys: (o) => ({ GSI1PK: tenantKey(o.tenantId), GSI1SK: `USER#${o.userId}` }),
    });
    this.tenants = new Entity(store, {
      name: "tenant",
      table: "users",
      schema: Tenant,
      key: (_o, t) => keys.tenant(t.tenantId),
    });
    this.claims = new Entity(store, {
      name: "emailClaim",
      table: "users",
      schema: EmailClaim,
      key: (_o, c) => keys.emailClaim(c.email),
    });
  }

  /**
   * One transaction: the tenant, the profile, the claim that keeps the e-mail unique, what the
   * caller adds (the default categories) and the audit record. A taken e-mail or an existing
   * profile leaves nothing behind.
   */
  async create(account: NewAccount, alongside: WriteOp[]): Promise<User> {
    const now = new Date().toISOString();
    const { owner, email, name } = account;
    const user: User = { userId: owner.userId, tenantId: owner.tenantId, email, name, createdAt: now };
    const ops: WriteOp[] = [
      this.profiles.createOp(
        owner,
        { ...user, ...(account.passwordHash ? { passwordHash: account.passwordHash } : {}) },
        () => conflict("This user already exists"),
      ),
    ];
    if (account.foundsTenant) {
      ops.push(this.tenants.createOp(owner, { tenantId: owner.tenantId, name, createdAt: now }));
    }
    if (account.claimsEmail ?? account.foundsTenant) {
      ops.push(
        this.claims.createOp(owner, { email, ...owner, createdAt: now }, () =>
          conflict("An account with this email already exists; log in instead"),
        ),
      );
    }
    ops.push(...alongside);
    await commit(this.store, { owner, action: "user.create", entityId: owner.userId, after: user }, ops);
    return user;
  }

  async get(owner: Owner): Promise<User | undefined> {
    const profile = await this.profiles.get(keys.profile(owner));
    return profile && User.parse(profile);
  }

  /** The account behind an e-mail, with its password hash, for login only. */
  async findCredentials(email: string): Promise<{ user: User; passwordHash: string } | undefined> {
    const claim = await this.claims.get(keys.emailClaim(email));
    if (!claim) return undefined;
    const profile = await this.profiles.latest(keys.profile(claim));
    if (!profile?.passwordHash) return undefined;
    return { user: User.parse(profile), passwordHash: profile.passwordHash };
  }
}
