import { createHash } from "node:crypto";
import { keyPart } from "./key-part";

/**
 * Every key Tyche writes, spelled once. Owner-scoped keys begin with the tenant and user taken from
 * the verified token, so a query built here cannot reach another tenant's partition. Every part
 * that comes from user text goes through `keyPart`, so no input can push a key past its byte limit.
 */
export interface Owner {
  tenantId: string;
  userId: string;
}

export const ownerKey = ({ tenantId, userId }: Owner) => `TENANT#${tenantId}#USER#${userId}`;
/** The owner a partition key names, or undefined for a key that is not an owner's partition. */
export function ownerOfKey(pk: string): Owner | undefined {
  const m = /^TENANT#([^#]+)#USER#([^#]+)$/.exec(pk);
  return m ? { tenantId: m[1] as string, userId: m[2] as string } : undefined;
}

export const tenantKey = (tenantId: string) => `TENANT#${tenantId}`;

export const prefixes = {
  account: "ACCOUNT#",
  category: "CATEGORY#",
  categoryTypeClaim: "CATEGORY_TYPE#",
  budget: "BUDGET#",
  monthTotals: "TOTALS#",
  rule: "RULE#",
  audit: "AUDIT#",
  transaction: "TXN#",
  transactionPointer: "TXNID#",
  transactionPart: "TXNPART#",
  merchant: "MERCHANT#",
  idempotency: "IDEMPOTENCY#",
  importRecord: "IMPORT#",
  analytics: "ANALYTICS#",
  card: "CARD#",
  snapshot: "SNAPSHOT#",
  goal: "GOAL#",
  recurring: "RECURRING#",
  goalContribution: "CONTRIB#",
  token: "PAT#",
  /** A conversation with the advisor (tyche-users): its title and times. */
  conversation: "CONVO#",
  /** One question and answer of a conversation, after its conversation's id (tyche-users). */
  chatTurn: "CHAT#",
  /** A suggestion of a recurring charge the user dismissed (tyche-budgets); not `RECURRING#`, the templates'. */
  recurringDismissed: "RECURRING_DISMISSED#",
} as const;

export const keys = {
  tenant: (tenantId: string) => ({ PK: tenantKey(tenantId), SK: "TENANT" }),
  profile: (o: Owner) => ({ PK: ownerKey(o), SK: "PROFILE" }),
  emailClaim: (email: string) => ({ PK: `EMAIL#${keyPart(email)}`, SK: "EMAIL" }),
  /** A login counter of one scope (db/login-throttle.ts): an account, a client, or the pair. */
  loginCounter: (scope: string, id: string) => ({ PK: `LOGIN#${keyPart(id)}`, SK: `THROTTLE#${scope}` }),
  /** When the user last logged out everywhere, and the session tokens logged out one by one. */
  sessions: (o: Owner) => ({ PK: ownerKey(o), SK: "SESSIONS" }),
  /**
   * A personal access token's hash and owner, found from the token alone (its id is in it) with one
   * GetItem, before there is a principal. `tokenId` is a ULID checked by the token's format.
   */
  tokenCredential: (tokenId: string) => ({ PK: `${prefixes.token}${tokenId}`, SK: "PAT" }),
  /** What its owner sees of a personal access token: listed with one Query of the owner's partition. */
  token: (o: Owner, tokenId: string) => ({ PK: ownerKey(o), SK: `${prefixes.token}${tokenId}` }),
  account: (o: Owner, accountId: string) => ({ PK: ownerKey(o), SK: `${prefixes.account}${accountId}` }),
  conversation: (o: Owner, conversationId: string) => ({
    PK: ownerKey(o),
    SK: `${prefixes.conversation}${conversationId}`,
  }),
  /** Turn ids are ULIDs: a conversation's turns are one key range, in the order they were asked. */
  chatTurn: (o: Owner, conversationId: string, turnId: string) => ({
    PK: ownerKey(o),
    SK: `${prefixes.chatTurn}${conversationId}#${turnId}`,
  }),
  /** Marks a partition whose transactions from before accounts all belong to an account now. */
  accountsMigrated: (o: Owner) => ({ PK: ownerKey(o), SK: "MIGRATED#accounts" }),
  category: (o: Owner, categoryId: string) => ({ PK: ownerKey(o), SK: `${prefixes.category}${categoryId}` }),
  categoryTypeClaim: (o: Owner, type: string) => ({
    PK: ownerKey(o),
    SK: `${prefixes.categoryTypeClaim}${keyPart(type)}`,
  }),
  budget: (o: Owner, month: string) => ({ PK: ownerKey(o), SK: `${prefixes.budget}${month}` }),
  monthTotals: (o: Owner, month: string) => ({ PK: ownerKey(o), SK: `${prefixes.monthTotals}${month}` }),
  analytics: (o: Owner, month: string) => ({ PK: ownerKey(o), SK: `${prefixes.analytics}${month}` }),
  /** A card's terms, in tyche-credit-cards, under its account's id. */
  card: (o: Owner, accountId: string) => ({ PK: ownerKey(o), SK: `${prefixes.card}${accountId}` }),
  /** A month's debt snapshot, in tyche-financial-snapshots. */
  snapshot: (o: Owner, month: string) => ({ PK: ownerKey(o), SK: `${prefixes.snapshot}${month}` }),
  /** The debt-free goal, in tyche-goals: one a user. */
  debtGoal: (o: Owner) => ({ PK: ownerKey(o), SK: `${prefixes.goal}debt-free` }),
  /** A savings goal, in tyche-budget-goals. */
  savingsGoal: (o: Owner, goalId: string) => ({ PK: ownerKey(o), SK: `${prefixes.goal}${goalId}` }),
  /**
   * One contribution to a savings goal, beside the goal in its partition: the goal's id first, so
   * a goal's contributions are one key range, then the date and the id, so they sort by date.
   */
  goalContribution: (o: Owner, goalId: string, date: string, contributionId: string) => ({
    PK: ownerKey(o),
    SK: `${prefixes.goalContribution}${goalId}#${date}#${contributionId}`,
  }),
  rule: (o: Owner, ruleId: string) => ({ PK: ownerKey(o), SK: `${prefixes.rule}${ruleId}` }),
  /** A dismissed recurring suggestion, by its key (16 hex digits, validated before it gets here). */
  recurringDismissed: (o: Owner, key: string) => ({
    PK: ownerKey(o),
    SK: `${prefixes.recurringDismissed}${key}`,
  }),
  audit: (o: Owner, at: string, id: string) => ({ PK: ownerKey(o), SK: `${prefixes.audit}${at}#${id}` }),
  /** Time-series: date first, then the order within the day, so a page is a key range, newest first. */
  transaction: (o: Owner, date: string, recordedAt: number, id: string) => ({
    PK: ownerKey(o),
    SK: `${prefixes.transaction}${date}#${String(recordedAt).padStart(13, "0")}#${id}`,
  }),
  /**
   * One category's share of a split transaction, indexed under that category (GSI1): its sort key
   * is the transaction's with `TXNPART#` for `TXN#` and the category id after it, outside every
   * range of transactions, so lists, recounts and exports never see it.
   */
  transactionPart: (o: Owner, transactionSk: string, categoryId: string) => ({
    PK: ownerKey(o),
    SK: `${prefixes.transactionPart}${transactionSk.slice(prefixes.transaction.length)}#${categoryId}`,
  }),
  /** Finds a transaction's time-series key from its id alone. */
  transactionPointer: (o: Owner, id: string) => ({
    PK: ownerKey(o),
    SK: `${prefixes.transactionPointer}${id}`,
  }),
  merchant: (o: Owner, merchantKey: string) => ({
    PK: ownerKey(o),
    SK: `${prefixes.merchant}${keyPart(merchantKey)}`,
  }),
  idempotency: (o: Owner, scope: string, key: string) => ({
    PK: ownerKey(o),
    SK: `${prefixes.idempotency}${scope}#${keyPart(key)}`,
  }),
  importRecord: (o: Owner, importId: string) => ({
    PK: ownerKey(o),
    SK: `${prefixes.importRecord}${importId}`,
  }),
  /**
   * The import lease of each user, all in one partition: the only items that partition holds are
   * imports in flight, so a restarted server finds every interrupted import with one query. No
   * request of a user reads it; only the lease's own owner key is ever written there.
   */
  importLease: (o: Owner) => ({ PK: "IMPORT_LEASE", SK: ownerKey(o) }),
  /** A recurring template (rent, a subscription, a card payment), in tyche-budgets. */
  recurring: (o: Owner, recurringId: string) => ({
    PK: ownerKey(o),
    SK: `${prefixes.recurring}${recurringId}`,
  }),
  /**
   * The index of owners with templates that post, one item each in a partition of its own (like
   * the import leases), holding how many: the materialiser reads who has bills to post with one
   * query instead of scanning every user. Only an owner's own template writes move its item.
   */
  recurringOwner: (o: Owner) => ({ PK: "RECURRING_OWNERS", SK: ownerKey(o) }),
};

/** GSI keys of transactions: by month and category slug (GSI1), by merchant (GSI2), by account (GSI3). */
export const transactionIndexKeys = {
  byAccount: (o: Owner, accountId: string) => `${ownerKey(o)}#${prefixes.account}${accountId}`,
  byCategory: (o: Owner, month: string, categoryType: string) =>
    `${ownerKey(o)}#${prefixes.budget}${month}#CATEGORY#${keyPart(categoryType)}`,
  byMerchant: (o: Owner, merchantKey: string) => `${ownerKey(o)}#${prefixes.merchant}${keyPart(merchantKey)}`,
};

/**
 * GSI1 of tyche-budget-goals: a user's goals by status, then target date. The goal's id ends the
 * sort key so two goals with one status and date are two index entries in a stable order.
 */
export const goalIndexKeys = {
  byStatusPrefix: (status: string) => `${prefixes.goal}${status}#`,
  byStatus: (status: string, targetDate: string, goalId: string) =>
    `${prefixes.goal}${status}#${targetDate}#${goalId}`,
};

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * The id of a user's first account, derived from the partition: sign-up creates it under this id,
 * and a transaction stored before accounts existed (it has none) belongs to it. A ULID whose time
 * part is zero, so it also sorts first.
 */
export function firstAccountId(partitionKey: string): string {
  const hash = createHash("sha256").update(partitionKey).digest();
  let random = "";
  for (let i = 0; i < 16; i++) random += CROCKFORD[(hash[i] as number) % 32];
  return `0000000000${random}`;
}
