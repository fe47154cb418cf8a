import { type AccountKind, accountBalance } from "@tyche/core";
import { Account } from "@tyche/types";
import { z } from "zod";
import { conflict, invalidField } from "../errors";
import { Entity } from "./entity";
import { keys, type Owner, ownerKey, prefixes } from "./keys";
import type { Store } from "./store";
import type { WriteOp } from "./transact";

/**
 * An account as stored. `net` (the money its transactions brought in, negative for money out) and
 * `count` are moved with ADD by every transaction write, in that write's own DynamoDB transaction,
 * so the balance is exact without ever summing transactions. `revision` counts those moves: a
 * register page can tell whether the balance it started from is still current.
 */
const StoredAccount = Account.omit({ balance: true, transactionCount: true, lastImportAt: true }).extend({
  net: z.number().int().default(0),
  count: z.number().int().default(0),
  revision: z.number().int().default(0),
  lastImportAt: z.string().nullable().default(null),
  /** The import choices (sign convention, columns...) made for this account's last file. */
  importOptions: z.record(z.string(), z.unknown()).nullable().default(null),
});
export type StoredAccount = z.infer<typeof StoredAccount>;

export const toAccount = (s: StoredAccount): Account => ({
  accountId: s.accountId,
  name: s.name,
  type: s.type,
  currency: s.currency,
  openingBalance: s.openingBalance,
  openingDate: s.openingDate,
  onBudget: s.onBudget,
  closed: s.closed,
  balance: accountBalance(s.type, s.openingBalance, s.net),
  transactionCount: s.count,
  lastImportAt: s.lastImportAt,
  version: s.version,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});

/** A change of one account's flow and transaction count, made by a transaction write. */
export interface AccountMoveOp {
  accountId: string;
  net: number;
  count: number;
  /**
   * What the write assumed of the account when it computed its effects (a transfer's kind, a
   * record's on-budget flag): checked inside the write. `open`: the write adds to it, so it must
   * not be closed.
   */
  expect?: { onBudget: boolean; type: AccountKind; open: boolean };
  /** The request field naming the account, for the error when the check fails. */
  path: string;
  /** An import into the account: when it ran and the choices made for its file. */
  imported?: { at: string; options: Record<string, unknown> };
}

/** Attributes only other writes keep (with ADD or their own SET): an edit of the account never touches them. */
const KEPT_BY_OTHER_WRITES = ["net", "count", "revision", "lastImportAt", "importOptions"] as const;

export class AccountRepository {
  private readonly accounts: Entity<StoredAccount>;

  constructor(store: Store) {
    this.accounts = new Entity(store, {
      name: "account",
      table: "budgets",
      schema: StoredAccount,
      key: (o, a) => keys.account(o, a.accountId),
      counters: KEPT_BY_OTHER_WRITES,
    });
  }

  /** Every account of the user, closed ones too; `consistent` when the list decides a write. */
  async list(owner: Owner, consistent = false): Promise<StoredAccount[]> {
    return this.accounts.query(ownerKey(owner), prefixes.account, consistent);
  }

  async byId(owner: Owner, consistent: boolean): Promise<Map<string, StoredAccount>> {
    return new Map((await this.list(owner, consistent)).map((a) => [a.accountId, a]));
  }

  get(owner: Owner, accountId: string): Promise<StoredAccount | undefined> {
    return this.accounts.get(keys.account(owner, accountId));
  }

  latest(owner: Owner, accountId: string): Promise<StoredAccount | undefined> {
    return this.accounts.latest(keys.account(owner, accountId));
  }

  createOp(owner: Owner, account: StoredAccount, onExists?: () => Error): WriteOp {
    return this.accounts.createOp(owner, account, onExists);
  }

  /**
   * Replaces the account's own fields at the version read. `whileEmpty`: the change is only allowed
   * while no transaction is in the account (its kind or budget status decide how they counted).
   */
  replaceOp(owner: Owner, current: StoredAccount, next: StoredAccount, whileEmpty: boolean): WriteOp {
    const op = this.accounts.replaceOp(
      owner,
      current,
      next,
      whileEmpty
        ? { condition: "#count = :zero", names: { "#count": "count" }, values: { ":zero": 0 } }
        : undefined,
    );
    return whileEmpty ? { ...op, onConditionFailed: () => changedMeanwhile() } : op;
  }

  /** Deletes the account only while it holds no transaction. */
  deleteEmptyOp(owner: Owner, current: StoredAccount): WriteOp {
    return {
      item: {
        Delete: {
          TableName: this.accounts.table,
          Key: keys.account(owner, current.accountId),
          ConditionExpression: "#version = :expectedVersion AND #count = :zero",
          ExpressionAttributeNames: { "#version": "version", "#count": "count" },
          ExpressionAttributeValues: { ":expectedVersion": current.version, ":zero": 0 },
        },
      },
      onConditionFailed: () => changedMeanwhile(),
    };
  }

  /**
   * The account side of a transaction write: ADDs each account's flow and count, each op also the
   * check that the account exists (and is open, and still is what the write assumed).
   */
  moveOps(owner: Owner, moves: readonly AccountMoveOp[]): WriteOp[] {
    return moves.map((m) => {
      const names: Record<string, string> = { "#net": "net", "#count": "count" };
      const values: Record<string, unknown> = { ":net": m.net, ":count": m.count, ":one": 1 };
      const conditions = ["attribute_exists(PK)"];
      // The flow must stay a safe integer, or the balance read back loses cents.
      if (m.net !== 0) {
        values[":low"] = -Number.MAX_SAFE_INTEGER - Math.min(0, m.net);
        values[":high"] = Number.MAX_SAFE_INTEGER - Math.max(0, m.net);
        conditions.push("(attribute_not_exists(#net) OR #net BETWEEN :low AND :high)");
      }
      if (m.expect) {
        names["#type"] = "type";
        values[":onBudget"] = m.expect.onBudget;
        values[":type"] = m.expect.type;
        conditions.push("onBudget = :onBudget AND #type = :type");
        if (m.expect.open) {
          values[":open"] = false;
          conditions.push("closed = :open");
        }
      }
      let set = "";
      if (m.imported) {
        values[":at"] = m.imported.at;
        values[":options"] = m.imported.options;
        set = "SET lastImportAt = :at, importOptions = :options ";
      }
      return {
        item: {
          Update: {
            TableName: this.accounts.table,
            Key: keys.account(owner, m.accountId),
            UpdateExpression: `${set}ADD #net :net, #count :count, revision :one`,
            ConditionExpression: conditions.join(" AND "),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
        onConditionFailed: () => invalidField(m.path, "is not one of your open accounts"),
      };
    });
  }

  /** Records an import into the account: when, and the choices to use for its next file. */
  /**
   * A check, inside a write, that the account is the user's, open, and still in the currency the
   * write assumed (a recurring template keeps its account's currency).
   */
  openCheckOp(owner: Owner, accountId: string, currency: string, path: string): WriteOp {
    return {
      item: {
        ConditionCheck: {
          TableName: this.accounts.table,
          Key: keys.account(owner, accountId),
          ConditionExpression: "attribute_exists(PK) AND closed = :open AND currency = :currency",
          ExpressionAttributeValues: { ":open": false, ":currency": currency },
        },
      },
      onConditionFailed: () => invalidField(path, "is not one of your open accounts"),
    };
  }

  importedOp(owner: Owner, accountId: string, at: string, options: Record<string, unknown>): WriteOp {
    return {
      item: {
        Update: {
          TableName: this.accounts.table,
          Key: keys.account(owner, accountId),
          UpdateExpression: "SET lastImportAt = :at, importOptions = :options",
          ConditionExpression: "attribute_exists(PK)",
          ExpressionAttributeValues: { ":at": at, ":options": options },
        },
      },
      onConditionFailed: () => invalidField("accountId", "is not one of your accounts"),
    };
  }
}

const changedMeanwhile = () =>
  conflict(
    "The account has transactions (or gained one meanwhile); this change is only possible while it has none",
    "account-not-empty",
    "Account has transactions",
  );
