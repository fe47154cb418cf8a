import type { Category } from "@tyche/types";
import type { StoredAccount } from "../../src/db/accounts";
import type { TransactionRecord } from "../../src/db/transactions";

/** Stored records as the repositories hand them over, for pure tests of what reads them. */
export const RECORDED_AT = "2025-03-01T00:00:00.000Z";

export function storedAccount(id: string, name: string, extra: Partial<StoredAccount> = {}): StoredAccount {
  return {
    accountId: id,
    name,
    type: "checking",
    currency: "USD",
    openingBalance: 0,
    openingDate: "2025-01-01",
    onBudget: true,
    closed: false,
    version: 1,
    createdAt: RECORDED_AT,
    updatedAt: RECORDED_AT,
    net: 0,
    count: 0,
    revision: 0,
    lastImportAt: null,
    importOptions: null,
    ...extra,
  };
}

export function storedCategory(id: string, name: string, type: string, archived = false): Category {
  return {
    categoryId: id,
    name,
    type,
    group: "essential",
    color: "#4e79a7",
    archived,
    version: 1,
    createdAt: RECORDED_AT,
    updatedAt: RECORDED_AT,
  };
}

/** A plain expense of $12.34 on 2025-02-03 with no merchant, category or notes, unless `extra` says. */
export function transactionRecord(
  id: string,
  accountId: string,
  extra: Partial<TransactionRecord> = {},
): TransactionRecord {
  return {
    transactionId: id,
    accountId,
    toAccountId: null,
    transfer: null,
    date: "2025-02-03",
    amount: 1234,
    type: "expense",
    categoryId: null,
    categoryType: null,
    merchant: null,
    merchantRaw: null,
    description: "",
    tags: [],
    notes: "",
    splits: null,
    categorizedBy: "none",
    importId: null,
    bankId: null,
    pending: false,
    cleared: false,
    version: 1,
    createdAt: RECORDED_AT,
    updatedAt: RECORDED_AT,
    onBudget: true,
    merchantKey: null,
    recordedAt: 0,
    receipt: null,
    splitTypes: null,
    importLink: null,
    ...extra,
  };
}
