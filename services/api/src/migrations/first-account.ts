import { GetCommand, PutCommand, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { accountFlow } from "@tyche/core";
import { AccountRepository } from "../db/accounts";
import { firstAccountId, keys, type Owner, ownerKey, prefixes, transactionIndexKeys } from "../db/keys";
import { queryPrefix } from "../db/query";
import type { Store } from "../db/store";
import { commit, type WriteOp } from "../db/transact";
import { TransactionRepository } from "../db/transactions";
import type { AccountService } from "../domain/accounts";
import { isFailure, versionMismatch } from "../errors";

/** Transactions moved per write: each an update, beside the account's ADD and the audit record. */
const PER_WRITE = 90;

/**
 * Gives users from before accounts their first account and puts every transaction they had in it.
 * Such a transaction already reads as the first account's (its id is derived from the partition);
 * what it lacks is the account's index keys, and the account its balance. Each batch of
 * transactions gets both in one transaction, conditional on the rows still having no account, so
 * running again (or twice at once) never counts a row twice. A marker item ends the work.
 */
export class FirstAccountMigration {
  private readonly accounts: AccountRepository;
  private readonly transactions: TransactionRepository;

  constructor(
    private readonly store: Store,
    private readonly service: AccountService,
  ) {
    this.accounts = new AccountRepository(store);
    this.transactions = new TransactionRepository(store);
  }

  /** Migrates one user; answers how many transactions it moved. */
  async run(owner: Owner): Promise<number> {
    const { Item: done } = await this.store.db.send(
      new GetCommand({
        TableName: this.store.tables.budgets,
        Key: keys.accountsMigrated(owner),
        ConsistentRead: true,
      }),
    );
    if (done) return 0;
    const accountId = firstAccountId(ownerKey(owner));
    if (!(await this.accounts.latest(owner, accountId))) {
      try {
        await commit(
          this.store,
          { owner, action: "account.create", entityId: accountId, after: { migrated: true } },
          [this.service.firstAccountOp(owner, new Date().toISOString())],
        );
      } catch (err) {
        // Created meanwhile (sign-up, or a migration running beside this one).
        if (!isFailure(err, "conflict")) throw err;
      }
    }
    // One pass over the partition, a write per batch as it fills. A batch that lost a race with
    // an edit (which gives its row the account itself) is read again by another pass.
    let moved = 0;
    for (let lost = true; lost; ) {
      lost = false;
      let batch: Record<string, unknown>[] = [];
      const flush = async () => {
        if (!batch.length) return;
        try {
          await commit(
            this.store,
            { owner, action: "account.migrate", entityId: accountId, after: { transactions: batch.length } },
            this.moveOps(owner, accountId, batch),
          );
          moved += batch.length;
        } catch (err) {
          if (!isFailure(err, "version-mismatch") && !isFailure(err, "conflict")) throw err;
          lost = true;
        }
        batch = [];
      };
      for await (const item of queryPrefix(
        this.store.db,
        this.store.tables.transactionDetails,
        ownerKey(owner),
        prefixes.transaction,
        true,
      )) {
        if (item.accountId !== undefined) continue;
        batch.push(item);
        if (batch.length >= PER_WRITE) await flush();
      }
      await flush();
    }
    await this.store.db.send(
      new PutCommand({
        TableName: this.store.tables.budgets,
        Item: { ...keys.accountsMigrated(owner), entity: "migration", at: new Date().toISOString() },
      }),
    );
    return moved;
  }

  private moveOps(owner: Owner, accountId: string, items: Record<string, unknown>[]): WriteOp[] {
    let net = 0;
    const ops: WriteOp[] = items.map((item) => {
      const record = this.transactions.parse(item);
      net += accountFlow(record);
      return {
        item: {
          Update: {
            TableName: this.store.tables.transactionDetails,
            Key: { PK: item.PK, SK: item.SK },
            UpdateExpression: "SET accountId = :a, onBudget = :on, GSI3PK = :pk, GSI3SK = :sk",
            ConditionExpression: "attribute_not_exists(accountId) AND #version = :v",
            ExpressionAttributeNames: { "#version": "version" },
            ExpressionAttributeValues: {
              ":a": accountId,
              ":on": true,
              ":pk": transactionIndexKeys.byAccount(owner, accountId),
              ":sk": item.SK,
              ":v": record.version,
            },
          },
        },
        onConditionFailed: versionMismatch,
      };
    });
    return [
      ...ops,
      ...this.accounts.moveOps(owner, [{ accountId, net, count: items.length, path: "accountId" }]),
    ];
  }

  /** Every user in the users table: what the local server migrates before it reports ready. */
  async runAll(): Promise<number> {
    let moved = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.store.db.send(
        new ScanCommand({
          TableName: this.store.tables.users,
          FilterExpression: "SK = :profile",
          ExpressionAttributeValues: { ":profile": "PROFILE" },
          ProjectionExpression: "tenantId, userId",
          ExclusiveStartKey: start,
        }),
      );
      for (const p of page.Items ?? []) {
        moved += await this.run({ tenantId: String(p.tenantId), userId: String(p.userId) });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return moved;
  }
}
