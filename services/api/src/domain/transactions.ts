import {
  accountMoves,
  firstMatchingRule,
  ledgerDeltas,
  mergeDeltas,
  monthOfDate,
  normalizeMerchant,
  normalizeTypedMerchant,
  type RuleSubject,
  ruleFromCorrection,
  transferLegs,
} from "@tyche/core";
import type {
  CategorizedBy,
  Category,
  FileLink,
  Rule,
  Transaction,
  TransactionCreateParsed,
  TransactionQuery,
  TransactionUpdate,
} from "@tyche/types";
import { ulid } from "ulid";
import type { AccountMoveOp, AccountRepository, StoredAccount } from "../db/accounts";
import type { CategoryRepository, CategoryUse } from "../db/categories";
import { type IdempotencyStore, IdempotentReplay, type StoredAnswer } from "../db/idempotency";
import type { Owner } from "../db/keys";
import type { MerchantRepository, MerchantUse } from "../db/merchants";
import { totalsOps } from "../db/month-totals";
import type { RuleRepository } from "../db/rules";
import type { Store } from "../db/store";
import { commit, type WriteOp } from "../db/transact";
import {
  type RecurringLink,
  type TransactionRecord,
  type TransactionRepository,
  toTransaction,
} from "../db/transactions";
import { invalidField, notFound, versionMismatch } from "../errors";
import { exportRows, TYCHE_EXPORT_HEADER_LINE } from "../imports/export-csv";
import type { FileStorage } from "../storage/files";
import { receiptKey, receiptServing, receiptType, SNIFF_BYTES, sniffType } from "../storage/receipts";

/** Long enough to open the file after the click; the URL is a bearer grant, so not longer. */
const RECEIPT_LINK_SECONDS = 5 * 60;

import { readCheckWrite } from "./versioned";

export interface TransactionDeps {
  store: Store;
  transactions: TransactionRepository;
  categories: CategoryRepository;
  accounts: AccountRepository;
  rules: RuleRepository;
  merchants: MerchantRepository;
  idempotency: IdempotencyStore;
  files: FileStorage;
}

export interface Categorisation {
  categoryId: string | null;
  categorizedBy: CategorizedBy;
  tags: string[];
  merchantName: string | null;
}

export type SuggestedRule = ReturnType<typeof ruleFromCorrection>;

/** The user's categories and accounts, read strongly for a write: what a new transaction is checked against. */
export interface WriteContext {
  categories: ReadonlyMap<string, Category>;
  accounts: ReadonlyMap<string, StoredAccount>;
}

/** What a new transaction is built from besides its input. */
interface NewContext extends WriteContext {
  rules: readonly Rule[];
  /** The category learned for the input's merchant, by its key. */
  learned: ReadonlyMap<string, string>;
}

/** Whether rules and merchant history choose the category: only when the input named none. */
const needsCategorising = (input: Pick<TransactionCreateParsed, "categoryId" | "splits" | "type">) =>
  !input.categoryId && !input.splits && input.type !== "transfer";

/** The account a transaction goes to when the request names none: the user's first open one. */
export function defaultAccount(accounts: ReadonlyMap<string, StoredAccount>): StoredAccount | undefined {
  return [...accounts.values()]
    .filter((a) => !a.closed)
    .sort((a, b) => a.accountId.localeCompare(b.accountId))[0];
}

/** An account a write may add to: the user's, and open. */
export function openAccount(
  accounts: ReadonlyMap<string, StoredAccount>,
  id: string | undefined,
  path: string,
): StoredAccount {
  const account = id ? accounts.get(id) : defaultAccount(accounts);
  if (!account) {
    throw invalidField(path, id ? "is not one of your accounts" : "is required: you have no open account");
  }
  if (account.closed) throw invalidField(path, "is a closed account");
  return account;
}

/** Chooses a category for a transaction that came without one: rules first, then merchant history. */
export function categorise(
  subject: RuleSubject,
  ctx: {
    rules: readonly Rule[];
    categories: ReadonlyMap<string, Category>;
    /** The category the user last gave this merchant, if any. */
    learned: string | undefined;
  },
): Categorisation {
  const usable = (id: string | undefined) =>
    id && ctx.categories.get(id)?.archived === false ? id : undefined;
  const rule = firstMatchingRule(ctx.rules, subject);
  const ruleCategory = usable(rule?.actions.categoryId);
  const result: Categorisation = {
    categoryId: null,
    categorizedBy: "none",
    tags: rule?.actions.tags ?? [],
    merchantName: rule?.actions.merchantName ?? null,
  };
  if (ruleCategory) return { ...result, categoryId: ruleCategory, categorizedBy: "rule" };
  const learned = usable(ctx.learned);
  if (learned) return { ...result, categoryId: learned, categorizedBy: "merchant-history" };
  return result;
}

function mergeMerchantUses(uses: MerchantUse[]): MerchantUse[] {
  const byKey = new Map<string, MerchantUse>();
  for (const u of uses) {
    const seen = byKey.get(u.key);
    byKey.set(
      u.key,
      seen
        ? {
            ...seen,
            delta: seen.delta + u.delta,
            ...(u.learnCategoryId ? { learnCategoryId: u.learnCategoryId } : {}),
          }
        : u,
    );
  }
  return [...byKey.values()].filter((u) => u.delta !== 0 || u.learnCategoryId);
}

export class TransactionService {
  constructor(private readonly d: TransactionDeps) {}

  async get(owner: Owner, id: string): Promise<Transaction> {
    const record = await this.d.transactions.find(owner, id);
    if (!record) throw notFound("Transaction");
    return toTransaction(record);
  }

  async list(owner: Owner, q: TransactionQuery): Promise<{ items: Transaction[]; nextCursor?: string }> {
    const merchantKey = q.merchant ? normalizeMerchant(q.merchant).key : undefined;
    const page = await this.d.transactions.list(owner, { ...q, ...(merchantKey ? { merchantKey } : {}) });
    return {
      items: page.items.map(toTransaction),
      ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    };
  }

  /**
   * With an idempotency key, a retry answers as the first call did and writes nothing. Everything
   * the write depends on is read at once (one round trip), then written in one transaction that
   * checks each category it names.
   */
  async create(
    owner: Owner,
    input: TransactionCreateParsed,
    idempotency?: { key: string; hash: string },
  ): Promise<StoredAnswer> {
    const [replay, context] = await Promise.all([
      idempotency && this.d.idempotency.find(owner, "transactions", idempotency.key, idempotency.hash),
      this.readForNew(owner, input),
    ]);
    if (replay) return replay;
    const legs = this.newLegs(input, context, {});
    const record = legs[0] as TransactionRecord;
    const answer: StoredAnswer = { status: 201, body: toTransaction(record) };
    const ops = [
      ...legs.flatMap((leg) => this.d.transactions.createOps(owner, leg)),
      ...this.sideEffects(owner, [], legs, context.accounts),
      ...(idempotency
        ? [this.d.idempotency.recordOp(owner, "transactions", idempotency.key, idempotency.hash, answer)]
        : []),
    ];
    try {
      await this.write(owner, "transaction.create", record.transactionId, undefined, legs, ops);
    } catch (err) {
      if (err instanceof IdempotentReplay && idempotency) {
        const first = await this.d.idempotency.find(owner, "transactions", idempotency.key, idempotency.hash);
        if (first) return first;
      }
      throw err;
    }
    return answer;
  }

  /**
   * Records a transaction under ids its caller derived from what it stands for (a recurring bill's
   * occurrence), with the caller's own ops in the same write. Everything else is as `create`:
   * categorised when it names no category, totals, balances, use counts and audit in one
   * transaction. Answers undefined, having written nothing, when the id is already recorded: the
   * same occurrence posted by an earlier run or by another process at the same moment.
   * `known`: the categories and accounts the caller already read strongly for this run (each
   * write still checks what it relies on of them), so a run of many posts does not read them again.
   */
  async createDerived(
    owner: Owner,
    input: TransactionCreateParsed,
    derived: { transactionId: string; pairId: string; recordedAt: number; recurring?: RecurringLink },
    action: string,
    extraOps: readonly WriteOp[] = [],
    known?: WriteContext,
  ): Promise<TransactionRecord[] | undefined> {
    const context = await this.readForNew(owner, input, known);
    const legs = this.newLegs(input, context, derived);
    const record = legs[0] as TransactionRecord;
    const ops = [
      ...legs.flatMap((leg) => this.d.transactions.createOps(owner, leg, alreadyRecorded)),
      ...this.sideEffects(owner, [], legs, context.accounts),
      ...extraOps,
    ];
    try {
      await this.write(owner, action, record.transactionId, undefined, legs, ops);
    } catch (err) {
      if (err instanceof AlreadyRecorded) return undefined;
      throw err;
    }
    return legs;
  }

  /**
   * Everything recording `input` depends on, read at once (one round trip): the categories and
   * accounts (unless `known` has them), and the rules and the merchant's learned category when it
   * needs categorising.
   */
  private async readForNew(
    owner: Owner,
    input: TransactionCreateParsed,
    known?: WriteContext,
  ): Promise<NewContext> {
    const merchantKey = input.merchant ? normalizeMerchant(input.merchant).key : "";
    const [categories, accounts, rules, learned] = await Promise.all([
      known?.categories ?? this.d.categories.byId(owner, true),
      known?.accounts ?? this.d.accounts.byId(owner, true),
      needsCategorising(input) ? this.d.rules.list(owner) : [],
      needsCategorising(input) && merchantKey
        ? this.d.merchants.learnedCategory(owner, merchantKey)
        : undefined,
    ]);
    return { categories, accounts, rules, learned: new Map(learned ? [[merchantKey, learned]] : []) };
  }

  /** The new record from validated input, and for a transfer both its legs (`pairId`: the other's id). */
  private newLegs(
    input: TransactionCreateParsed,
    context: NewContext,
    ids: { transactionId?: string; pairId?: string; recordedAt?: number; recurring?: RecurringLink },
  ): TransactionRecord[] {
    const account = openAccount(context.accounts, input.accountId, "accountId");
    const record: TransactionRecord = {
      ...this.buildNew(input, context.categories, {
        account,
        rules: context.rules,
        learned: context.learned,
        ...(ids.transactionId ? { transactionId: ids.transactionId } : {}),
        ...(ids.recordedAt !== undefined ? { recordedAt: ids.recordedAt } : {}),
      }),
      ...(ids.recurring ? { recurring: ids.recurring } : {}),
    };
    if (input.type !== "transfer") return [record];
    const to = openAccount(context.accounts, input.toAccountId, "toAccountId");
    if (to.accountId === account.accountId) {
      throw invalidField("toAccountId", "must be another account than accountId");
    }
    return transferPair(record, account, to, ids.pairId ?? ulid());
  }

  merchants(owner: Owner, q: string, limit: number) {
    return this.d.merchants.autocomplete(owner, q, limit);
  }

  async update(
    owner: Owner,
    id: string,
    patch: TransactionUpdate,
    expected?: number,
  ): Promise<{ transaction: Transaction; suggestedRule?: SuggestedRule }> {
    const context = Promise.all([this.d.categories.byId(owner, true), this.d.accounts.byId(owner, true)]);
    // Awaited in the write; if the transaction's own read fails first, this must not go unhandled.
    context.catch(() => undefined);
    // Without If-Match, a write that lost a race is applied again on top of the winner's.
    return readCheckWrite("Transaction", expected, this.reader(owner, id), async (before) => {
      const [categories, accounts] = await context;
      return this.applyUpdate(
        owner,
        before,
        await this.linkedLeg(owner, before),
        patch,
        categories,
        accounts,
      );
    });
  }

  /**
   * The other leg of a transfer, read as strongly as the leg itself. The two legs are only ever
   * written together, so one that is gone or no longer links back was read across a write of the
   * pair that landed between the two reads: a lost race, so the caller reads both again. (Going on
   * rebuilt the pair from the stale leg: an in leg whose out leg had just been removed became both
   * legs of a new pair, a write DynamoDB refuses, answered with a 500.)
   */
  private async linkedLeg(owner: Owner, r: TransactionRecord): Promise<TransactionRecord | undefined> {
    if (!r.transfer) return undefined;
    const linked = await this.d.transactions.find(owner, r.transfer.linkedTransactionId);
    if (linked?.transfer?.linkedTransactionId !== r.transactionId) throw versionMismatch();
    return linked;
  }

  /**
   * A transfer is edited as the pair it is, whichever leg is addressed: both legs take the new
   * amount, date and text, in one write that checks both versions. Turning it into another kind
   * removes the other leg; turning something into a transfer adds one.
   */
  private async applyUpdate(
    owner: Owner,
    addressed: TransactionRecord,
    linked: TransactionRecord | undefined,
    patch: TransactionUpdate,
    categories: ReadonlyMap<string, Category>,
    accounts: ReadonlyMap<string, StoredAccount>,
  ): Promise<{ transaction: Transaction; suggestedRule?: SuggestedRule }> {
    const id = addressed.transactionId;
    // The out leg holds what the pair shares (its category, for one that counts as spending).
    const before = addressed.transfer?.direction === "in" && linked ? linked : addressed;
    const type = patch.type ?? before.type;
    if (type !== "transfer" && patch.toAccountId) throw invalidField("toAccountId", "is only for a transfer");
    if (type === "transfer" && patch.splits) throw invalidField("splits", "cannot be given for a transfer");

    const amount = patch.amount ?? before.amount;
    const splits = type === "transfer" || patch.splits === null ? null : (patch.splits ?? before.splits);
    if (splits) {
      const total = splits.reduce((s, p) => s + p.amount, 0);
      if (total !== amount) throw invalidField("splits", `add up to ${total}, not to amount ${amount}`);
      for (const [i, s] of splits.entries()) {
        this.checkCategory(categories, s.categoryId, `splits.${i}.categoryId`, before);
      }
    }
    let categoryId = patch.categoryId !== undefined ? patch.categoryId : before.categoryId;
    let categorizedBy = before.categorizedBy;
    if (patch.categoryId !== undefined && patch.categoryId !== before.categoryId) {
      if (patch.categoryId) this.checkCategory(categories, patch.categoryId, "categoryId", before);
      categorizedBy = patch.categoryId ? "user" : "none";
    }
    if (splits) {
      if (patch.categoryId) throw invalidField("categoryId", "cannot be set together with splits");
      categoryId = null;
      categorizedBy = "user";
    }

    const merchantRaw = patch.merchant !== undefined ? patch.merchant || null : before.merchantRaw;
    const merchant = merchantRaw ? normalizeTypedMerchant(merchantRaw) : null;
    const keepName = patch.merchant === undefined;
    const fromId =
      patch.accountId ?? (addressed.transfer ? addressed.transfer.fromAccountId : addressed.accountId);
    const account = this.namedAccount(accounts, fromId, "accountId", [addressed, linked]);
    const shared: TransactionRecord = {
      ...before,
      accountId: account.accountId,
      onBudget: account.onBudget,
      toAccountId: null,
      transfer: null,
      pending: patch.pending ?? before.pending,
      date: patch.date ?? before.date,
      amount,
      type,
      categoryId,
      categoryType: splits ? null : categoryId ? (categories.get(categoryId)?.type ?? null) : null,
      categorizedBy,
      splits: splits ?? null,
      splitTypes: splitTypesOf(splits, categories),
      merchantRaw,
      merchant: keepName ? before.merchant : merchant?.name || null,
      merchantKey: keepName ? before.merchantKey : merchant?.key || null,
      description: patch.description ?? before.description,
      tags: patch.tags ?? before.tags,
      notes: patch.notes ?? before.notes,
      version: before.version + 1,
      updatedAt: new Date().toISOString(),
    };
    const befores = [addressed, ...(linked ? [linked] : [])];
    let afters: TransactionRecord[];
    if (type === "transfer") {
      const toId = patch.toAccountId ?? addressed.transfer?.toAccountId;
      if (!toId) throw invalidField("toAccountId", "is required for a transfer");
      if (toId === account.accountId)
        throw invalidField("toAccountId", "must be another account than accountId");
      const to = this.namedAccount(accounts, toId, "toAccountId", befores);
      const out = before.transfer ? before : addressed;
      const inLeg = befores.find((b) => b.transfer?.direction === "in");
      afters = transferPair(
        { ...shared, transactionId: out.transactionId, version: out.version + 1 },
        account,
        to,
        inLeg?.transactionId ?? ulid(),
        inLeg,
      );
    } else {
      // The addressed leg stays; a transfer's other leg goes.
      afters = [
        { ...shared, transactionId: id, recordedAt: addressed.recordedAt, version: addressed.version + 1 },
      ];
    }
    const ops = [
      ...afters.flatMap((a) => {
        const was = befores.find((b) => b.transactionId === a.transactionId);
        return was
          ? this.d.transactions.replaceOps(owner, was, {
              ...a,
              recordedAt: was.recordedAt,
              receipt: was.receipt,
            })
          : this.d.transactions.createOps(owner, a);
      }),
      ...befores
        .filter((b) => !afters.some((a) => a.transactionId === b.transactionId))
        .flatMap((b) => this.d.transactions.deleteOps(owner, b)),
      ...this.sideEffects(owner, befores, afters, accounts),
    ];
    await this.write(owner, "transaction.update", id, befores, afters, ops);

    const after = afters.find((a) => a.transactionId === id) ?? (afters[0] as TransactionRecord);
    const corrected =
      patch.categoryId && patch.categoryId !== before.categoryId && !splits && type !== "transfer";
    return {
      transaction: toTransaction(after),
      ...(corrected
        ? { suggestedRule: ruleFromCorrection(subjectOf(after), patch.categoryId as string) }
        : {}),
    };
  }

  async remove(owner: Owner, id: string, expected?: number): Promise<void> {
    // Deleting either leg of a transfer deletes the pair.
    const before = await readCheckWrite("Transaction", expected, this.reader(owner, id), async (current) => {
      const linked = await this.linkedLeg(owner, current);
      const legs = linked ? [current, linked] : [current];
      const ops = [
        ...legs.flatMap((leg) => this.d.transactions.deleteOps(owner, leg)),
        ...this.sideEffects(owner, legs, [], new Map()),
      ];
      await this.write(owner, "transaction.delete", id, legs, undefined, ops);
      return current;
    });
    if (before.receipt) await this.d.files.delete(before.receipt.key);
  }

  /** The strongly consistent read every read-check-write of a transaction starts from. */
  private reader(owner: Owner, id: string) {
    return () => this.d.transactions.find(owner, id);
  }

  /**
   * The range as Tyche's own CSV (imports/export-csv.ts), streamed a page at a time so a year of
   * spending never sits in memory: one account's rows (from its index), or every account's.
   */
  async exportStream(
    owner: Owner,
    from: string,
    to: string,
    accountId?: string,
  ): Promise<ReadableStream<Uint8Array>> {
    if (from > to) throw invalidField("from", "must not be after to", "malformed");
    const [categories, accounts] = await Promise.all([
      this.d.categories.byId(owner, false),
      this.d.accounts.byId(owner, false),
    ]);
    if (accountId && !accounts.has(accountId)) throw invalidField("accountId", "is not one of your accounts");
    const records = accountId
      ? this.d.transactions.inAccountBetween(owner, accountId, from, to)
      : this.d.transactions.between(owner, from, to);
    const encoder = new TextEncoder();
    let started = false;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        if (!started) {
          started = true;
          controller.enqueue(encoder.encode(`${TYCHE_EXPORT_HEADER_LINE}\r\n`));
        }
        const batch: TransactionRecord[] = [];
        for (let i = 0; i < 500; i++) {
          const next = await records.next();
          if (next.done) break;
          batch.push(next.value);
        }
        if (batch.length)
          controller.enqueue(encoder.encode(`${exportRows(batch, { categories, accounts })}\r\n`));
        if (batch.length < 500) controller.close();
      },
    });
  }

  /**
   * Stores a receipt (checked by its bytes) and links it to the transaction, replacing an earlier
   * one. Each upload gets its own key: the old file stays until the new link is committed, and a
   * refused write leaves no stray file.
   */
  async attachReceipt(owner: Owner, id: string, bytes: Uint8Array, expected?: number): Promise<Transaction> {
    const contentType = await receiptType(bytes);
    if (!(await this.reader(owner, id)())) throw notFound("Transaction");
    const key = receiptKey(owner, id, ulid());
    await this.d.files.put(key, bytes, contentType);
    try {
      const { before, after } = await readCheckWrite(
        "Transaction",
        expected,
        this.reader(owner, id),
        async (current) => {
          const next: TransactionRecord = {
            ...current,
            receipt: { key, contentType, size: bytes.byteLength },
            version: current.version + 1,
            updatedAt: new Date().toISOString(),
          };
          const ops = this.d.transactions.replaceOps(owner, current, next);
          await this.write(owner, "transaction.receipt.attach", id, current, next, ops);
          return { before: current, after: next };
        },
      );
      if (before.receipt) await this.d.files.delete(before.receipt.key);
      return toTransaction(after);
    } catch (err) {
      await this.d.files.delete(key);
      throw err;
    }
  }

  /**
   * A short-lived URL of the receipt, which the browser opens itself: a Lambda could not send a
   * 10 MB file back. Read strongly consistent, so a receipt attached a moment ago is found.
   */
  async receiptLink(owner: Owner, id: string): Promise<FileLink> {
    const record = await this.d.transactions.find(owner, id);
    if (!record) throw notFound("Transaction");
    if (!record.receipt) throw notFound("Receipt");
    const { key, contentType } = record.receipt;
    const served = receiptServing(contentType, await sniffType(await this.d.files.peek(key, SNIFF_BYTES)));
    const url = await this.d.files.downloadUrl(key, {
      ...served,
      expiresIn: RECEIPT_LINK_SECONDS,
    });
    return { url, expiresAt: new Date(Date.now() + RECEIPT_LINK_SECONDS * 1000).toISOString() };
  }

  async detachReceipt(owner: Owner, id: string, expected?: number): Promise<void> {
    const removed = await readCheckWrite("Transaction", expected, this.reader(owner, id), async (before) => {
      if (!before.receipt) throw notFound("Receipt");
      const after = {
        ...before,
        receipt: null,
        version: before.version + 1,
        updatedAt: new Date().toISOString(),
      };
      const ops = this.d.transactions.replaceOps(owner, before, after);
      await this.write(owner, "transaction.receipt.detach", id, before, after, ops);
      return before.receipt;
    });
    await this.d.files.delete(removed.key);
  }

  /** A new record from validated input, categorised when it came without a category. */
  buildNew(
    input: TransactionCreateParsed,
    categories: ReadonlyMap<string, Category>,
    extra: {
      account: StoredAccount;
      rules: readonly Rule[];
      /** Categories learned per merchant key, read by the caller with everything else. */
      learned: ReadonlyMap<string, string>;
      transactionId?: string;
      recordedAt?: number;
      /** What a bank file says of the row. */
      bank?: { bankId: string | null; pending: boolean };
    },
  ): TransactionRecord {
    if (input.categoryId && input.splits)
      throw invalidField("categoryId", "cannot be set together with splits");
    if (input.categoryId) this.checkCategory(categories, input.categoryId, "categoryId");
    for (const [i, s] of (input.splits ?? []).entries()) {
      this.checkCategory(categories, s.categoryId, `splits.${i}.categoryId`);
    }

    const raw = input.merchant || null;
    const normal = raw ? (extra.bank ? normalizeMerchant(raw) : normalizeTypedMerchant(raw)) : null;
    const subject: RuleSubject = {
      merchant: normal?.name || null,
      merchantRaw: raw,
      description: input.description ?? "",
      amount: input.amount,
      type: input.type,
    };
    let cat: Categorisation = {
      categoryId: input.categoryId ?? null,
      categorizedBy: input.categoryId || input.splits ? "user" : "none",
      tags: [],
      merchantName: null,
    };
    if (needsCategorising(input)) {
      cat = categorise(subject, {
        rules: extra.rules,
        categories,
        learned: normal?.key ? extra.learned.get(normal.key) : undefined,
      });
    }
    const merchant = cat.merchantName ? normalizeTypedMerchant(cat.merchantName) : normal;
    const now = Date.now();
    return {
      transactionId: extra.transactionId ?? ulid(now),
      accountId: extra.account.accountId,
      onBudget: extra.account.onBudget,
      toAccountId: null,
      transfer: null,
      bankId: extra.bank?.bankId ?? null,
      pending: extra.bank?.pending ?? false,
      cleared: extra.bank !== undefined,
      importLink: null,
      date: input.date,
      amount: input.amount,
      type: input.type,
      categoryId: cat.categoryId,
      categoryType: cat.categoryId ? (categories.get(cat.categoryId)?.type ?? null) : null,
      categorizedBy: cat.categorizedBy,
      merchant: cat.merchantName ?? (merchant?.name || null),
      merchantKey: merchant?.key || null,
      merchantRaw: raw,
      description: input.description ?? "",
      tags: [...new Set([...(input.tags ?? []), ...cat.tags])],
      notes: input.notes ?? "",
      splits: input.splits ?? null,
      splitTypes: splitTypesOf(input.splits, categories),
      importId: null,
      receipt: null,
      recordedAt: extra.recordedAt ?? now,
      version: 1,
      createdAt: new Date(now).toISOString(),
      updatedAt: new Date(now).toISOString(),
    };
  }

  /**
   * What a change of records (a transaction, or both legs of a transfer) does besides the records:
   * month totals, account balances, merchant counts and category use counts. `accounts` are the
   * ones read for the write: what it assumed of each account it adds to is checked inside it.
   */
  sideEffects(
    owner: Owner,
    before: readonly TransactionRecord[],
    after: readonly TransactionRecord[],
    accounts: ReadonlyMap<string, StoredAccount>,
  ): WriteOp[] {
    const totals = totalsOps(
      this.d.store,
      owner,
      mergeDeltas([
        ...before.flatMap((r) => ledgerDeltas(r, undefined)),
        ...after.flatMap((r) => ledgerDeltas(undefined, r)),
      ]),
      [...before, ...after].map((r) => monthOfDate(r.date)),
    );
    const uses: MerchantUse[] = [];
    // A transfer's merchant is counted once, on the leg the money left from.
    const counted = (r: TransactionRecord) => r.merchantKey && r.transfer?.direction !== "in";
    for (const b of before.filter(counted)) {
      uses.push({ key: b.merchantKey as string, name: b.merchant ?? "", delta: -1 });
    }
    for (const a of after.filter(counted)) {
      const was = before.find((b) => b.transactionId === a.transactionId);
      const learn = a.categorizedBy === "user" && a.categoryId && !a.splits && a.type !== "transfer";
      uses.push({
        key: a.merchantKey as string,
        name: a.merchant ?? "",
        delta: 1,
        ...(learn && a.categoryId !== was?.categoryId ? { learnCategoryId: a.categoryId as string } : {}),
      });
    }
    return [
      ...totals,
      ...this.d.accounts.moveOps(owner, accountMoveOps(before, after, accounts)),
      ...mergeMerchantUses(uses).map((u) => this.d.merchants.useOp(owner, u)),
      ...this.d.categories.useOps(owner, categoryUses(before, after)),
    ];
  }

  /** An account a changed record names: one it already named may be closed; a new one must be open. */
  private namedAccount(
    accounts: ReadonlyMap<string, StoredAccount>,
    id: string,
    path: string,
    before: readonly (TransactionRecord | undefined)[],
  ): StoredAccount {
    const account = accounts.get(id);
    if (!account) throw invalidField(path, "is not one of your accounts");
    if (account.closed && !before.some((b) => b?.accountId === id))
      throw invalidField(path, "is a closed account");
    return account;
  }

  private checkCategory(
    categories: ReadonlyMap<string, Category>,
    id: string,
    path: string,
    before?: TransactionRecord,
  ): void {
    const category = categories.get(id);
    if (!category) throw invalidField(path, "is not one of your categories");
    const hadIt = before && (before.categoryId === id || before.splits?.some((s) => s.categoryId === id));
    if (category.archived && !hadIt) throw invalidField(path, "is archived");
  }

  private async write(
    owner: Owner,
    action: string,
    id: string,
    before: TransactionRecord | readonly TransactionRecord[] | undefined,
    after: TransactionRecord | readonly TransactionRecord[] | undefined,
    ops: WriteOp[],
  ): Promise<void> {
    // A transfer's audit record holds both legs; a single transaction, itself.
    const one = (r: typeof before) => (Array.isArray(r) && r.length === 1 ? r[0] : r);
    await commit(this.d.store, { owner, action, entityId: id, before: one(before), after: one(after) }, ops);
  }
}

/** A derived id's transaction (or its key) is already there: the write it was in did not happen. */
class AlreadyRecorded extends Error {}
const alreadyRecorded = () => new AlreadyRecorded("The transaction is already recorded");

export function subjectOf(r: TransactionRecord): RuleSubject {
  return {
    merchant: r.merchant,
    merchantRaw: r.merchantRaw,
    description: r.description,
    amount: r.amount,
    type: r.type,
  };
}

/** The categories a transaction names, each with the request field that names it. */
export function namedCategories(
  r: { categoryId: string | null; splits: readonly { categoryId: string }[] | null } | undefined,
): Map<string, string> {
  const named = new Map<string, string>();
  if (r?.categoryId) named.set(r.categoryId, "categoryId");
  for (const [i, s] of (r?.splits ?? []).entries()) {
    if (!named.has(s.categoryId)) named.set(s.categoryId, `splits.${i}.categoryId`);
  }
  return named;
}

/** How a change moves category use counts: +1 for each category newly named, -1 for each let go. */
export function categoryUses(
  before: readonly TransactionRecord[],
  after: readonly TransactionRecord[],
): CategoryUse[] {
  const union = (records: readonly TransactionRecord[]) => {
    const named = new Map<string, string>();
    for (const r of records)
      for (const [id, path] of namedCategories(r)) if (!named.has(id)) named.set(id, path);
    return named;
  };
  const had = union(before);
  const has = union(after);
  const uses: CategoryUse[] = [];
  for (const [categoryId, path] of has) {
    if (!had.has(categoryId)) uses.push({ categoryId, delta: 1, fresh: true, path });
  }
  for (const [categoryId, path] of had) {
    if (!has.has(categoryId)) uses.push({ categoryId, delta: -1, fresh: false, path });
  }
  return uses;
}

/** The slug of each category a split names: what its parts are indexed under. */
function splitTypesOf(
  splits: readonly { categoryId: string }[] | null | undefined,
  categories: ReadonlyMap<string, Category>,
): Record<string, string> | null {
  if (!splits) return null;
  const types: Record<string, string> = {};
  for (const s of splits) {
    const type = categories.get(s.categoryId)?.type;
    if (type) types[s.categoryId] = type;
  }
  return types;
}

/**
 * The two legs of a transfer from `from` to `to`: `out` (the request's record, in `from`) and an in
 * leg in `to` with id `inId`. Only the out leg keeps a category; how each counts is fixed here.
 */
export function transferPair(
  out: TransactionRecord,
  from: StoredAccount,
  to: StoredAccount,
  inId: string,
  inBefore?: TransactionRecord,
): [TransactionRecord, TransactionRecord] {
  if (from.currency !== to.currency) {
    throw invalidField("toAccountId", `is in ${to.currency}, not in ${from.currency} like accountId`);
  }
  const legs = transferLegs(from, to);
  const link = { fromAccountId: from.accountId, toAccountId: to.accountId };
  return [
    {
      ...out,
      type: "transfer",
      accountId: from.accountId,
      onBudget: from.onBudget,
      toAccountId: to.accountId,
      splits: null,
      splitTypes: null,
      transfer: { ...link, linkedTransactionId: inId, ...legs.out },
    },
    {
      ...out,
      transactionId: inId,
      type: "transfer",
      accountId: to.accountId,
      onBudget: to.onBudget,
      toAccountId: to.accountId,
      categoryId: null,
      categoryType: null,
      categorizedBy: "none",
      splits: null,
      splitTypes: null,
      receipt: inBefore?.receipt ?? null,
      recordedAt: inBefore?.recordedAt ?? out.recordedAt,
      version: inBefore ? inBefore.version + 1 : 1,
      createdAt: inBefore?.createdAt ?? out.createdAt,
      transfer: { ...link, linkedTransactionId: out.transactionId, ...legs.in },
    },
  ];
}

/**
 * What a change of recorded legs' amounts moves besides the legs: their months' totals and their
 * accounts' balances (merchants and categories stay as they were). `accounts`: the accounts read
 * for the write, whose kind and budget status the write then checks; empty, it assumes nothing.
 */
export function ledgerOps(
  store: Store,
  accountRepo: AccountRepository,
  owner: Owner,
  before: readonly TransactionRecord[],
  after: readonly TransactionRecord[],
  accounts: ReadonlyMap<string, StoredAccount>,
): WriteOp[] {
  return [
    ...totalsOps(
      store,
      owner,
      mergeDeltas([
        ...before.flatMap((r) => ledgerDeltas(r, undefined)),
        ...after.flatMap((r) => ledgerDeltas(undefined, r)),
      ]),
      [...before, ...after].map((r) => monthOfDate(r.date)),
    ),
    ...accountRepo.moveOps(owner, accountMoveOps(before, after, accounts)),
  ];
}

/**
 * The balance side of a change: each account's flow and count moved, and, for every account the
 * change adds to, the kind and budget status the records were computed with (they must still hold
 * when the write lands), and whether it must be open (newly named).
 */
export function accountMoveOps(
  before: readonly TransactionRecord[],
  after: readonly TransactionRecord[],
  accounts: ReadonlyMap<string, StoredAccount>,
): AccountMoveOp[] {
  const path = (accountId: string) =>
    after.find((a) => a.accountId === accountId)?.transfer?.direction === "in" ? "toAccountId" : "accountId";
  return accountMoves(before, after).map((m) => {
    const account = accounts.get(m.accountId);
    const adds = after.some((a) => a.accountId === m.accountId);
    return {
      ...m,
      path: path(m.accountId),
      ...(adds && account
        ? {
            expect: {
              onBudget: account.onBudget,
              type: account.type,
              open: !before.some((b) => b.accountId === m.accountId),
            },
          }
        : {}),
    };
  });
}
