import { accountBalance, accountFlow } from "@tyche/core";
import type {
  Account,
  AccountCreateParsed,
  AccountUpdate,
  ReconcileRequest,
  Reconciliation,
  Transaction,
} from "@tyche/types";
import { ulid } from "ulid";
import { type AccountRepository, type StoredAccount, toAccount } from "../db/accounts";
import { firstAccountId, keys, type Owner, ownerKey } from "../db/keys";
import { Quotas } from "../db/quotas";
import type { Store } from "../db/store";
import { commit, type WriteOp } from "../db/transact";
import { type TransactionRecord, type TransactionRepository, toTransaction } from "../db/transactions";
import { invalidField, isFailure, notFound } from "../errors";
import { readCheckWrite } from "./versioned";

const today = () => new Date().toISOString().slice(0, 10);

function newAccount(input: AccountCreateParsed, accountId: string, now: string): StoredAccount {
  return {
    accountId,
    name: input.name,
    type: input.type,
    currency: input.currency,
    openingBalance: input.openingBalance,
    openingDate: input.openingDate ?? today(),
    onBudget: input.onBudget,
    closed: false,
    net: 0,
    count: 0,
    revision: 0,
    lastImportAt: null,
    importOptions: null,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

/** A row of an account's register: the transaction, what it did to the balance, and the balance after it. */
export type RegisterRow = Transaction & { change: number; runningBalance: number };

/** What the register's cursor carries: where the next page starts and the balance just above it. */
interface RegisterCursor {
  /** The list cursor of the next page. */
  next: string;
  /** The balance after the next page's first (newest) row, as of `revision`. */
  balance: number;
  revision: number;
  /** The sort key of the last row shown: the rows above the next page are it and those after it. */
  after: string;
}

export class AccountService {
  constructor(
    private readonly store: Store,
    private readonly accounts: AccountRepository,
    private readonly transactions: TransactionRepository,
  ) {}

  /**
   * The writes that give a new user a checking account, under the id their first account always
   * has, and mark them as needing no move of older transactions into it.
   */
  starterOps(owner: Owner, now: string): WriteOp[] {
    return [
      this.firstAccountOp(owner, now),
      {
        item: {
          Put: {
            TableName: this.store.tables.budgets,
            Item: { ...keys.accountsMigrated(owner), entity: "migration", at: now },
          },
        },
      },
    ];
  }

  /** The write that gives a user a checking account under the id their first account always has. */
  firstAccountOp(owner: Owner, now: string): WriteOp {
    return this.accounts.createOp(
      owner,
      newAccount(
        { name: "Checking", type: "checking", currency: "USD", openingBalance: 0, onBudget: true },
        firstAccountId(ownerKey(owner)),
        now,
      ),
    );
  }

  async list(owner: Owner, includeClosed: boolean): Promise<Account[]> {
    return (await this.accounts.list(owner))
      .filter((a) => includeClosed || !a.closed)
      .map(toAccount)
      .sort((a, b) => a.name.localeCompare(b.name) || a.accountId.localeCompare(b.accountId));
  }

  async get(owner: Owner, accountId: string): Promise<Account> {
    const found = await this.accounts.get(owner, accountId);
    if (!found) throw notFound("Account");
    return toAccount(found);
  }

  async create(owner: Owner, input: AccountCreateParsed): Promise<Account> {
    const account = newAccount(input, ulid(), new Date().toISOString());
    await new Quotas(this.store).take(owner, "accounts", (take) =>
      commit(this.store, { owner, action: "account.create", entityId: account.accountId, after: account }, [
        this.accounts.createOp(owner, account),
        take,
      ]),
    );
    return toAccount(account);
  }

  /**
   * Renames, reopens, closes or re-dates an account. What decided how its transactions counted (a
   * card or not, on budget or not, the currency) may only change while it holds none: the write is
   * conditional on that, so a transaction landing meanwhile refuses the change.
   */
  async update(owner: Owner, accountId: string, patch: AccountUpdate, expected?: number): Promise<Account> {
    return readCheckWrite(
      "Account",
      expected,
      () => this.accounts.latest(owner, accountId),
      async (current) => {
        const next: StoredAccount = {
          ...current,
          ...patch,
          version: current.version + 1,
          updatedAt: new Date().toISOString(),
        };
        const isCard = (a: StoredAccount) => a.type === "credit-card";
        const whileEmpty =
          isCard(next) !== isCard(current) ||
          next.onBudget !== current.onBudget ||
          next.currency !== current.currency;
        if (whileEmpty && current.count > 0) {
          const field =
            next.currency !== current.currency
              ? "currency"
              : next.onBudget !== current.onBudget
                ? "onBudget"
                : "type";
          throw invalidField(
            field,
            `cannot change while the account has transactions (${current.count}): they were counted by it`,
          );
        }
        await commit(
          this.store,
          { owner, action: "account.update", entityId: accountId, before: current, after: next },
          [this.accounts.replaceOp(owner, current, next, whileEmpty)],
        );
        return toAccount(next);
      },
    );
  }

  /** Deletes an account with no transactions; one that has some is closed instead and keeps them. */
  async remove(owner: Owner, accountId: string, expected?: number): Promise<"deleted" | "closed"> {
    return readCheckWrite(
      "Account",
      expected,
      () => this.accounts.latest(owner, accountId),
      async (current): Promise<"deleted" | "closed"> => {
        if (current.count === 0) {
          try {
            await commit(
              this.store,
              { owner, action: "account.delete", entityId: accountId, before: current },
              [
                this.accounts.deleteEmptyOp(owner, current),
                await new Quotas(this.store).releaseOp(owner, "accounts"),
              ],
            );
            return "deleted";
          } catch (err) {
            // A transaction landed (or the account changed) since the read: close it at the version read.
            if (!isFailure(err, "conflict")) throw err;
          }
        }
        if (current.closed) return "closed";
        const next = {
          ...current,
          closed: true,
          version: current.version + 1,
          updatedAt: new Date().toISOString(),
        };
        await commit(
          this.store,
          { owner, action: "account.close", entityId: accountId, before: current, after: next },
          [this.accounts.replaceOp(owner, current, next, false)],
        );
        return "closed";
      },
    );
  }

  /**
   * The account's transactions, newest first, each with the balance after it. The first page
   * starts from the stored balance; each later page from the balance its cursor carries, unless a
   * transaction moved the account meanwhile (its revision changed): then the balance at the cursor
   * is worked out again from the current balance and every row above it.
   */
  async register(
    owner: Owner,
    accountId: string,
    page: { limit: number; cursor?: string },
  ): Promise<{ account: Account; items: RegisterRow[]; nextCursor?: string }> {
    const stored = await this.accounts.latest(owner, accountId);
    if (!stored) throw notFound("Account");
    const account = toAccount(stored);
    const sense = (r: TransactionRecord) => (stored.type === "credit-card" ? -1 : 1) * accountFlow(r);
    let balance = account.balance;
    let listCursor: string | undefined;
    if (page.cursor) {
      const c = parseRegisterCursor(page.cursor);
      listCursor = c.next;
      if (c.revision === stored.revision) balance = c.balance;
      else {
        // Moved since the last page: the balance below the last row shown, from the exact flow.
        const above = await this.transactions.flowFrom(owner, accountId, c.after);
        balance = accountBalance(stored.type, stored.openingBalance, stored.net - above.net);
      }
    }
    const found = await this.transactions.list(owner, {
      accountId,
      limit: page.limit,
      ...(listCursor ? { cursor: listCursor } : {}),
    });
    const items: RegisterRow[] = [];
    let last: TransactionRecord | undefined;
    for (const r of found.items) {
      last = r;
      const change = sense(r);
      items.push({ ...toTransaction(r), change, runningBalance: balance });
      balance -= change;
    }
    return {
      account,
      items,
      ...(found.nextCursor && last
        ? {
            nextCursor: encodeRegisterCursor({
              next: found.nextCursor,
              balance,
              revision: stored.revision,
              after: keys.transaction(owner, last.date, last.recordedAt, last.transactionId).SK,
            }),
          }
        : {}),
    };
  }

  /**
   * Compares the bank's balance on `date` with Tyche's: the opening balance and every transaction
   * of the account dated up to that day. The stored flow is exact; the rows dated after the day
   * (usually a handful) are taken back out of it.
   */
  async reconcile(owner: Owner, accountId: string, input: ReconcileRequest): Promise<Reconciliation> {
    const stored = await this.accounts.latest(owner, accountId);
    if (!stored) throw notFound("Account");
    const later = await this.transactions.flowFrom(owner, accountId, afterDay(input.date));
    const tycheBalance = accountBalance(stored.type, stored.openingBalance, stored.net - later.net);
    const difference = input.balance - tycheBalance;
    return {
      accountId,
      date: input.date,
      bankBalance: input.balance,
      tycheBalance,
      difference,
      matches: difference === 0,
      transactionsCounted: stored.count - later.count,
    };
  }
}

/** A sort key after every transaction of `date`. */
const afterDay = (date: string) => `TXN#${date}#\uffff`;

const encodeRegisterCursor = (c: RegisterCursor) => Buffer.from(JSON.stringify(c)).toString("base64url");

function parseRegisterCursor(raw: string): RegisterCursor {
  let c: unknown;
  try {
    c = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw invalidField("cursor", "is not a cursor this list gave", "malformed");
  }
  const ok =
    typeof c === "object" &&
    c !== null &&
    typeof (c as RegisterCursor).next === "string" &&
    Number.isSafeInteger((c as RegisterCursor).balance) &&
    Number.isSafeInteger((c as RegisterCursor).revision) &&
    typeof (c as RegisterCursor).after === "string" &&
    (c as RegisterCursor).after.startsWith("TXN#");
  if (!ok) throw invalidField("cursor", "is not a cursor this list gave", "malformed");
  return c as RegisterCursor;
}
