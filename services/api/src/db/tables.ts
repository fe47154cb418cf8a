/**
 * The one place that spells each table's shape. The local launcher creates tables from it and the
 * CDK stack deploys from it, so the two cannot drift. No I/O and no SDK here: plain data.
 */
export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
}

export interface TableDefinition {
  /** Logical name used in code. */
  key: TableKey;
  /** Physical name unless the environment variable overrides it. */
  defaultName: string;
  envVar: string;
  partitionKey: "PK";
  sortKey: "SK";
  indexes: IndexDefinition[];
  /** Attribute holding an epoch-seconds expiry, when items of this table expire. */
  ttlAttribute?: string;
  /** Whether a consumer (analytics refresh on AWS) reads this table's change stream. */
  stream: boolean;
  purpose: string;
}

export type TableKey =
  | "users"
  | "creditCards"
  | "transactions"
  | "goals"
  | "financialSnapshots"
  | "userAnalytics"
  | "auditLogs"
  | "budgets"
  | "transactionDetails"
  | "spendingAnalytics"
  | "budgetGoals";

const gsi = (n: 1 | 2 | 3): IndexDefinition => ({
  name: `GSI${n}`,
  partitionKey: `GSI${n}PK`,
  sortKey: `GSI${n}SK`,
});

export const TABLES: readonly TableDefinition[] = [
  {
    key: "users",
    defaultName: "tyche-users",
    envVar: "USERS_TABLE",
    partitionKey: "PK",
    sortKey: "SK",
    indexes: [gsi(1)],
    ttlAttribute: "ttl",
    stream: false,
    purpose: "Tenants, user profiles, unique e-mail claims and login throttles",
  },
  {
    key: "creditCards",
    defaultName: "tyche-credit-cards",
    envVar: "CREDIT_CARDS_TABLE",
    partitionKey: "PK",
    sortKey: "SK",
    indexes: [gsi(1)],
    stream: false,
    purpose: "Credit cards: balance, APR, minimum payment",
  },
  {
    key: "transactions",
    defaultName: "tyche-transactions",
    envVar: "TRANSACTIONS_TABLE",
    partitionKey: "PK",
    sortKey: "SK",
    indexes: [gsi(1)],
    stream: false,
    purpose: "Card ledger: charges, payments, interest and fees per card",
  },
  {
    key: "goals",
    defaultName: "tyche-goals",
    envVar: "GOALS_TABLE",
    partitionKey: "PK",
    sortKey: "SK",
    indexes: [gsi(1)],
    stream: false,
    purpose: "Debt payoff goals and saved payoff plans",
  },
  {
    key: "financialSnapshots",
    defaultName: "tyche-financial-snapshots",
    envVar: "FINANCIAL_SNAPSHOTS_TABLE",
    partitionKey: "PK",
    sortKey: "SK",
    indexes: [],
    stream: false,
    purpose: "Point-in-time net worth and debt snapshots",
  },
  {
    key: "userAnalytics",
    defaultName: "tyche-user-analytics",
    envVar: "USER_ANALYTICS_TABLE",
    partitionKey: "PK",
    sortKey: "SK",
    indexes: [],
    ttlAttribute: "ttl",
    stream: false,
    purpose: "Per-user debt progress aggregates",
  },
  {
    key: "auditLogs",
    defaultName: "tyche-audit-logs",
    envVar: "AUDIT_LOGS_TABLE",
    partitionKey: "PK",
    sortKey: "SK",
    indexes: [gsi(1)],
    stream: false,
    purpose: "One record per change, written in the change's own transaction",
  },
  {
    key: "budgets",
    defaultName: "tyche-budgets",
    envVar: "BUDGETS_TABLE",
    partitionKey: "PK",
    sortKey: "SK",
    indexes: [gsi(1)],
    stream: true,
    purpose: "Monthly budgets, month totals, categories, accounts, rules and recurring templates",
  },
  {
    key: "transactionDetails",
    defaultName: "tyche-transaction-details",
    envVar: "TRANSACTION_DETAILS_TABLE",
    partitionKey: "PK",
    sortKey: "SK",
    indexes: [gsi(1), gsi(2), gsi(3)],
    ttlAttribute: "ttl",
    stream: true,
    purpose: "Transactions of every account, by date; indexed by category, merchant and account",
  },
  {
    key: "spendingAnalytics",
    defaultName: "tyche-spending-analytics",
    envVar: "SPENDING_ANALYTICS_TABLE",
    partitionKey: "PK",
    sortKey: "SK",
    indexes: [gsi(1)],
    ttlAttribute: "ttl",
    stream: false,
    purpose: "Pre-calculated monthly spending analytics",
  },
  {
    key: "budgetGoals",
    defaultName: "tyche-budget-goals",
    envVar: "BUDGET_GOALS_TABLE",
    partitionKey: "PK",
    sortKey: "SK",
    indexes: [gsi(1)],
    stream: false,
    purpose: "Savings goals and spending reduction targets",
  },
];

export type TableNames = Record<TableKey, string>;

/** Physical table names, each overridable by its environment variable. */
export function tableNames(env: Readonly<Record<string, string | undefined>> = process.env): TableNames {
  return Object.fromEntries(TABLES.map((t) => [t.key, env[t.envVar] || t.defaultName])) as TableNames;
}
