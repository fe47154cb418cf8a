import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { User } from "@tyche/types";
import { conflict } from "../errors";
import { keys, type Owner, tenantKey } from "./keys";
import type { Store } from "./store";
import { type WriteOp, writeAudited } from "./transact";

export interface NewAccount {
  owner: Owner;
  email: string;
  name: string;
  /** Set for local accounts; Cognito users have their credentials in the user pool. */
  passwordHash?: string;
  /** Local sign-up founds a tenant; a Cognito user joins the tenant its pool assigned. */
  foundsTenant: boolean;
}

const toUser = (item: Record<string, unknown>): User => User.parse(item);

export class UserRepository {
  constructor(private readonly store: Store) {}

  /**
   * One transaction: the tenant, the profile, the claim that keeps the e-mail unique, what the
   * caller adds (the default categories) and the audit record. A taken e-mail or an existing
   * profile leaves nothing behind.
   */
  async create(account: NewAccount, alongside: WriteOp[]): Promise<User> {
    const now = new Date().toISOString();
    const { owner, email, name } = account;
    const user: User = { userId: owner.userId, tenantId: owner.tenantId, email, name, createdAt: now };
    const table = this.store.tables.users;
    const ops: WriteOp[] = [
      {
        item: {
          Put: {
            TableName: table,
            Item: {
              ...keys.profile(owner),
              GSI1PK: tenantKey(owner.tenantId),
              GSI1SK: `USER#${owner.userId}`,
              entity: "user",
              ...user,
              ...(account.passwordHash ? { passwordHash: account.passwordHash } : {}),
            },
            ConditionExpression: "attribute_not_exists(PK)",
          },
        },
        onConditionFailed: () => conflict("This user already exists"),
      },
    ];
    if (account.foundsTenant) {
      ops.push(
        {
          item: {
            Put: {
              TableName: table,
              Item: {
                ...keys.tenant(owner.tenantId),
                entity: "tenant",
                tenantId: owner.tenantId,
                name,
                createdAt: now,
              },
              ConditionExpression: "attribute_not_exists(PK)",
            },
          },
        },
        {
          item: {
            Put: {
              TableName: table,
              Item: { ...keys.emailClaim(email), entity: "emailClaim", email, ...owner, createdAt: now },
              ConditionExpression: "attribute_not_exists(PK)",
            },
          },
          onConditionFailed: () => conflict("An account with this email already exists; log in instead"),
        },
      );
    }
    ops.push(...alongside);
    await writeAudited(
      this.store.db,
      this.store.tables.auditLogs,
      {
        owner,
        action: "user.create",
        entityId: owner.userId,
        after: user,
      },
      ops,
    );
    return user;
  }

  async get(owner: Owner): Promise<User | undefined> {
    const { Item } = await this.store.db.send(
      new GetCommand({ TableName: this.store.tables.users, Key: keys.profile(owner) }),
    );
    return Item ? toUser(Item) : undefined;
  }

  /** The account behind an e-mail, with its password hash, for login only. */
  async findCredentials(email: string): Promise<{ user: User; passwordHash: string } | undefined> {
    const { Item: claim } = await this.store.db.send(
      new GetCommand({ TableName: this.store.tables.users, Key: keys.emailClaim(email) }),
    );
    if (!claim) return undefined;
    const owner = { tenantId: String(claim.tenantId), userId: String(claim.userId) };
    const { Item } = await this.store.db.send(
      new GetCommand({ TableName: this.store.tables.users, Key: keys.profile(owner), ConsistentRead: true }),
    );
    if (!Item || typeof Item.passwordHash !== "string") return undefined;
    return { user: toUser(Item), passwordHash: Item.passwordHash };
  }
}
