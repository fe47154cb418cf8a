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
export const tenantKey = (tenantId: string) => `TENANT#${tenantId}`;

export const keys = {
  tenant: (tenantId: string) => ({ PK: tenantKey(tenantId), SK: "TENANT" }),
  profile: (o: Owner) => ({ PK: ownerKey(o), SK: "PROFILE" }),
  emailClaim: (email: string) => ({ PK: `EMAIL#${keyPart(email)}`, SK: "EMAIL" }),
  loginThrottle: (email: string) => ({ PK: `LOGIN#${keyPart(email)}`, SK: "THROTTLE" }),
  category: (o: Owner, categoryId: string) => ({ PK: ownerKey(o), SK: `CATEGORY#${categoryId}` }),
  categoryTypeClaim: (o: Owner, type: string) => ({
    PK: ownerKey(o),
    SK: `CATEGORY_TYPE#${keyPart(type)}`,
  }),
  budget: (o: Owner, month: string) => ({ PK: ownerKey(o), SK: `BUDGET#${month}` }),
  monthTotals: (o: Owner, month: string) => ({ PK: ownerKey(o), SK: `TOTALS#${month}` }),
  rule: (o: Owner, ruleId: string) => ({ PK: ownerKey(o), SK: `RULE#${ruleId}` }),
  audit: (o: Owner, at: string, id: string) => ({ PK: ownerKey(o), SK: `AUDIT#${at}#${id}` }),
  /** Time-series: date first, then when it was recorded, so a page is a key range, newest first. */
  transaction: (o: Owner, date: string, recordedAt: number, id: string) => ({
    PK: ownerKey(o),
    SK: `TXN#${date}#${String(recordedAt).padStart(13, "0")}#${id}`,
  }),
  /** Finds a transaction's time-series key from its id alone. */
  transactionPointer: (o: Owner, id: string) => ({ PK: ownerKey(o), SK: `TXNID#${id}` }),
  merchant: (o: Owner, merchantKey: string) => ({ PK: ownerKey(o), SK: `MERCHANT#${keyPart(merchantKey)}` }),
  idempotency: (o: Owner, scope: string, key: string) => ({
    PK: ownerKey(o),
    SK: `IDEMPOTENCY#${scope}#${keyPart(key)}`,
  }),
  importRecord: (o: Owner, importId: string) => ({ PK: ownerKey(o), SK: `IMPORT#${importId}` }),
  importLock: (o: Owner) => ({ PK: ownerKey(o), SK: "IMPORT_LOCK" }),
};

/** GSI keys of transactions: by month and category slug (GSI1), by merchant (GSI2). */
export const transactionIndexKeys = {
  byCategory: (o: Owner, month: string, categoryType: string) =>
    `${ownerKey(o)}#BUDGET#${month}#CATEGORY#${keyPart(categoryType)}`,
  byMerchant: (o: Owner, merchantKey: string) => `${ownerKey(o)}#MERCHANT#${keyPart(merchantKey)}`,
};

export const prefixes = {
  category: "CATEGORY#",
  budget: "BUDGET#",
  monthTotals: "TOTALS#",
  rule: "RULE#",
  transaction: "TXN#",
  merchant: "MERCHANT#",
} as const;
