import type { TableKey } from "@tyche/api/tables";

/**
 * What each function may do to each table: the DynamoDB actions its code sends there and the indexes it
 * queries, nothing else. Tables a function does not touch are absent, so it gets no statement for them.
 * `TransactWriteItems` is authorised per item as PutItem, UpdateItem, DeleteItem or ConditionCheckItem on the
 * item's own table, so a transaction needs no action of its own. No function may Scan: every read stays in one
 * owner's partition (the one Scan in the code base, the first-account migration's `runAll`, runs only in the
 * local server). A new call on a table in the code needs its action here, or it is refused on AWS.
 */
export type ItemAction =
  | "GetItem"
  | "BatchGetItem"
  | "Query"
  | "ConditionCheckItem"
  | "PutItem"
  | "UpdateItem"
  | "DeleteItem"
  | "BatchWriteItem";

export interface TableAccess {
  actions: readonly ItemAction[];
  /** Indexes the function queries (Query is the only action allowed on an index). */
  indexes?: readonly string[];
}

export type FunctionAccess = Readonly<Partial<Record<TableKey, TableAccess>>>;

export type FunctionKey = "api" | "analytics" | "recurring" | "signup" | "importWorker" | "gate";

/**
 * The brief gave the API every item action plus Scan and DescribeTable on its tables and all their indexes.
 * Here each function has what its code sends, found by recording every DynamoDB call of the API's test suite
 * (44 files, every route, the stream handler and the materialiser) and reading the code paths behind them:
 * no Scan or DescribeTable, only the indexes that are queried, and the audit log append-only, so a
 * compromised function can add records but never rewrite or read back the history.
 */
export const ACCESS: Readonly<Record<FunctionKey, FunctionAccess>> = {
  api: {
    // Profiles, tenants, tokens and conversations (a conversation's turns are deleted in batches).
    users: { actions: ["GetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"] },
    budgets: {
      actions: [
        "GetItem",
        "BatchGetItem",
        "Query",
        "ConditionCheckItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
      ],
      indexes: ["GSI1"],
    },
    // Imports write rows in batches; transactions, pointers, merchants, idempotency and import records.
    transactionDetails: {
      actions: ["GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"],
      indexes: ["GSI1", "GSI2", "GSI3"],
    },
    spendingAnalytics: { actions: ["GetItem", "BatchGetItem", "Query", "PutItem"] },
    budgetGoals: {
      actions: ["GetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"],
      indexes: ["GSI1"],
    },
    creditCards: { actions: ["GetItem", "Query", "PutItem", "UpdateItem", "DeleteItem"] },
    // The debt-free goal.
    goals: { actions: ["GetItem", "PutItem", "UpdateItem", "DeleteItem"] },
    // Closed months' snapshots are written once and read by range.
    financialSnapshots: { actions: ["Query", "PutItem"] },
    auditLogs: { actions: ["PutItem"] },
  },
  // Recomputes a month from its plan and totals (one BatchGetItem), categories and transactions (Query),
  // and stores only the result: read-only everywhere else.
  analytics: {
    budgets: { actions: ["BatchGetItem", "Query"] },
    transactionDetails: { actions: ["Query"] },
    spendingAnalytics: { actions: ["PutItem"] },
  },
  // Posts due bills as POST /v1/transactions does, under the user's import lease, and repairs an import it
  // finds cut off (ImportRecovery, which puts and deletes pointers in batches).
  recurring: {
    budgets: {
      actions: [
        "GetItem",
        "BatchGetItem",
        "Query",
        "ConditionCheckItem",
        "PutItem",
        "UpdateItem",
        "DeleteItem",
      ],
    },
    transactionDetails: {
      actions: ["GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"],
    },
    auditLogs: { actions: ["PutItem"] },
  },
  // Runs a queued import (ImportService.resume: under the lease the API kept for it, the file read and written,
  // or a run cut off before repaired by ImportRecovery) and nothing else. Found by recording, per table and
  // action, every DynamoDB call made under ImportService.resume, .run and .get and ImportRecovery in the
  // uploads, lambda-events, imports, undo-import, tyche-export, export-roundtrip, reconcile-import,
  // concurrency, round-trips and import-crash tests, and reading the code paths behind them. Previews,
  // undo, idempotency and taking the lease stay with the API.
  importWorker: {
    // Accounts, categories and rules read by Query, month totals by BatchGetItem; written: totals, use counts
    // and balances per chunk (UpdateItem), a Tyche export's missing categories (PutItem), a month recounted
    // on repair (GetItem, PutItem). Never a delete or a condition check: an import only adds.
    budgets: { actions: ["GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem"] },
    // Rows and pointers in batches (BatchWriteItem), ids already there and learned merchants (BatchGetItem),
    // the rows around the file's dates and a chunk's key span on repair (Query on the table, no index), the
    // lease (refreshed, released, taken over from a dead holder), the import record (restarted with the
    // worker's counts, progress, finish), merchant counts and the matched rows it links.
    transactionDetails: {
      actions: ["GetItem", "BatchGetItem", "Query", "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem"],
    },
    auditLogs: { actions: ["PutItem"] },
  },
  // The /mcp route's authorizer: a personal access token's credential, one GetItem; it records no use.
  gate: {
    users: { actions: ["GetItem"] },
  },
  // Founds the tenant in one transaction: profile and tenant items, the default categories and the first
  // account, and its audit record. Nothing to read: a repeated call is refused by the writes' own conditions.
  signup: {
    users: { actions: ["PutItem"] },
    budgets: { actions: ["PutItem"] },
    auditLogs: { actions: ["PutItem"] },
  },
};
