import { normalizeMerchant } from "@tyche/core";
import type { Advisor } from "./ai/advisor";
import { AnalyticsService } from "./analytics/analytics-service";
import { type RefreshHold, type RefreshOptions, RefreshQueue } from "./analytics/refresh-queue";
import { watchMonthWrites } from "./analytics/write-watcher";
import { COGNITO_MAX_ID_TOKEN_SECONDS } from "./auth/cognito";
import { LocalTokens } from "./auth/local-tokens";
import type { Authenticator } from "./auth/principal";
import type { AiConfig } from "./config";
import { AccountRepository } from "./db/accounts";
import { AnalyticsRepository } from "./db/analytics";
import { BudgetRepository } from "./db/budgets";
import { CardRepository } from "./db/cards";
import { CategoryRepository } from "./db/categories";
import { DebtGoalRepository } from "./db/debt-goals";
import { GoalRepository } from "./db/goals";
import { IdempotencyStore } from "./db/idempotency";
import { ImportLeases, ImportRecordRepository } from "./db/imports";
import type { Owner } from "./db/keys";
import { LoginThrottle } from "./db/login-throttle";
import { MerchantRepository } from "./db/merchants";
import { MonthLedgerReader } from "./db/month-ledger";
import { MonthTotalsRepository } from "./db/month-totals";
import { startingCounters } from "./db/quotas";
import { RecurringRepository } from "./db/recurring";
import { RecurringDismissalRepository } from "./db/recurring-dismissals";
import { RuleRepository } from "./db/rules";
import { SessionRepository } from "./db/sessions";
import { SnapshotRepository } from "./db/snapshots";
import type { Store } from "./db/store";
import { TokenRepository } from "./db/tokens";
import type { WriteOp } from "./db/transact";
import { TransactionRepository } from "./db/transactions";
import { UserRepository } from "./db/users";
import { DebtBasisReader } from "./debt/debt-basis";
import { DebtGoalService } from "./debt/debt-goal";
import { DebtService } from "./debt/debt-service";
import { SnapshotService } from "./debt/snapshots";
import { AccountService } from "./domain/accounts";
import { BudgetService } from "./domain/budgets";
import { CardService } from "./domain/cards";
import { CategoryService } from "./domain/categories";
import { DashboardService } from "./domain/dashboard";
import { GoalService } from "./domain/goals";
import { CognitoProvisioner, Identity, Profiles } from "./domain/identity";
import { RecurringService } from "./domain/recurring";
import { RuleService } from "./domain/rules";
import { SessionService } from "./domain/sessions";
import { TokenService } from "./domain/tokens";
import { TransactionService } from "./domain/transactions";
import type { ImportQueue } from "./imports/import-job";
import { ImportService } from "./imports/import-service";
import { ImportRecovery } from "./imports/recovery";
import { StatementPool, type StatementReader } from "./imports/statement-reader";
import { ImportUndo } from "./imports/undo";
import type { Logger } from "./log";
import { FirstAccountMigration } from "./migrations/first-account";
import { Materialiser, type MaterialiserDeps } from "./recurring/materialiser";
import { RecurringSuggestionService } from "./recurring/suggestions";
import type { FileStorage } from "./storage/files";
import { Uploads } from "./storage/uploads";

export interface AppDeps extends Store {
  /** Where request and error lines go (log.ts); the process's own logger unless given. */
  log?: Logger;
  /** Browser origins other than the API's own that may call it (http/cors.ts); none by default. */
  corsOrigins?: readonly string[];
  authenticator: Authenticator;
  /** Receipts and uploaded bank files. */
  files: FileStorage;
  /** Where imports answered with 202 are written, on AWS (import-job.ts); in this process without one. */
  importQueue?: ImportQueue;
  /** False until the tables exist; health answers 503 meanwhile. */
  isReady?: () => boolean;
  /** How long a request may take before it answers 503 (http/deadline.ts); TYCHE_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number;
  /**
   * Where bank files are parsed. Whoever passes one closes it on the way out; without one, the app
   * makes a pool of its own, whose idle workers do not keep the process alive.
   */
  statements?: StatementReader;
  /**
   * The in-process analytics refresh (startAnalyticsRefresh), which imports hold while they run.
   * Without one (on AWS, the table's stream refreshes), reads compute what is stale.
   */
  refresh?: RefreshHold;
  /** Today as `YYYY-MM-DD` for recurring templates; UTC by default (tests set a day of their own). */
  today?: () => string;
  /** Who answers the assistant; by default the one `ai` configures (the built-in advisor without it). */
  advisor?: Advisor;
  /** AI_PROVIDER and its companions (config.ts); the built-in advisor when unset. */
  ai?: AiConfig;
  /** The AWS region, for a Bedrock model. */
  region?: string;
  /**
   * With Cognito, when the function may call it: AdminUserGlobalSignOut for a user (cognito.ts's
   * cognitoGlobalSignOut), so log-out-everywhere also ends the pool's refresh tokens.
   */
  globalSignOut?: (userId: string) => Promise<void>;
  /** Believe X-Forwarded-For's last address as the client's (one trusted proxy in front). */
  trustProxy?: boolean;
}

/**
 * The composition root: every repository and service, built once per app. The routes and the AI
 * tools (chat, built-in advisor, MCP) are handed the same instances, so a tool reads and writes
 * exactly as the API does.
 */
export function createServices(deps: AppDeps) {
  const store: Store = { db: deps.db, tables: deps.tables };
  const users = new UserRepository(store);
  const categoryRepo = new CategoryRepository(store);
  const categories = new CategoryService(store, categoryRepo);
  const accountRepo = new AccountRepository(store);
  const transactionRepo = new TransactionRepository(store);
  const accounts = new AccountService(store, accountRepo, transactionRepo);
  const starter = starterKit(store, categories, accounts);
  const budgets = new BudgetRepository(store);
  const totals = new MonthTotalsRepository(store);
  const ruleRepo = new RuleRepository(store);
  const merchants = new MerchantRepository(store);
  const idempotency = new IdempotencyStore(store);
  const records = new ImportRecordRepository(store);
  const leases = new ImportLeases(store);
  const local = deps.authenticator instanceof LocalTokens ? deps.authenticator : undefined;
  const identity = local ? new Identity(users, starter, new LoginThrottle(store), local) : undefined;
  const provisioner = local
    ? undefined
    : new CognitoProvisioner(users, starter, new FirstAccountMigration(store, accounts));
  const transactions = new TransactionService({
    store,
    transactions: transactionRepo,
    categories: categoryRepo,
    accounts: accountRepo,
    rules: ruleRepo,
    merchants,
    idempotency,
    files: deps.files,
  });
  const recovery = createRecovery(store);
  const uploads = new Uploads(deps.files);
  const imports = createImportService(store, {
    files: deps.files,
    statements: deps.statements ?? new StatementPool(),
    ...(deps.refresh ? { refresh: deps.refresh } : {}),
    ...(deps.importQueue ? { queue: deps.importQueue } : {}),
  });
  const analytics = createAnalytics(store);
  const cards = new CardService({
    store,
    cards: new CardRepository(store),
    accounts: accountRepo,
    transactions: transactionRepo,
    service: transactions,
    ...(deps.today ? { today: deps.today } : {}),
  });
  const recurringRepo = new RecurringRepository(store);
  // The same materialiser the timer and the Lambda run: an edit's catch-up posts as they do.
  const materialiser = createMaterialiser(store, deps.today ? { today: deps.today } : {});
  const recurring = new RecurringService({
    store,
    recurring: recurringRepo,
    accounts: accountRepo,
    categories: categoryRepo,
    materialiser,
    ...(deps.today ? { today: deps.today } : {}),
  });
  const budgetService = new BudgetService(store, budgets, categoryRepo, totals, recurringRepo);
  const debtBasis = new DebtBasisReader(cards, budgetService);
  const suggestions = new RecurringSuggestionService({
    store,
    transactions: transactionRepo,
    dismissals: new RecurringDismissalRepository(store),
    // A merchant a template already names needs no suggestion: the user has it in hand.
    covered: async (owner) =>
      new Set(
        (await recurringRepo.list(owner))
          .filter((t) => t.merchant)
          .map((t) => normalizeMerchant(t.merchant as string).key),
      ),
    ...(deps.today ? { today: deps.today } : {}),
  });

  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10));
  const currentMonth = () => today().slice(0, 7);
  const sessionRecords = new SessionRepository(store, local?.ttlSeconds ?? COGNITO_MAX_ID_TOKEN_SECONDS);
  return {
    store,
    identity,
    sessionRecords,
    sessions: new SessionService(sessionRecords, deps.globalSignOut),
    provisioner,
    profiles: new Profiles(users),
    categories,
    accounts,
    cards,
    suggestions,
    debt: new DebtService(debtBasis),
    snapshots: new SnapshotService({
      cards,
      budgets: budgetService,
      transactions: transactionRepo,
      snapshots: new SnapshotRepository(store),
    }),
    debtGoal: new DebtGoalService(store, new DebtGoalRepository(store), debtBasis, currentMonth),
    goals: new GoalService({
      store,
      goals: new GoalRepository(store),
      categories: categoryRepo,
      idempotency,
      ...(deps.today ? { today: deps.today } : {}),
    }),
    budgets: budgetService,
    transactions,
    uploads,
    imports,
    importUndo: new ImportUndo({
      store,
      transactions: transactionRepo,
      categories: categoryRepo,
      accounts: accountRepo,
      merchants,
      records,
      leases,
      recovery,
      ...(deps.refresh ? { refresh: deps.refresh } : {}),
    }),
    analytics,
    dashboard: new DashboardService({
      analytics,
      accounts: accountRepo,
      transactions: transactionRepo,
      recurring: recurringRepo,
    }),
    recurring,
    rules: new RuleService(store, ruleRepo, categoryRepo),
    tokens: new TokenService(store, new TokenRepository(store)),
    today,
    currentMonth,
  };
}

export type Services = ReturnType<typeof createServices>;

/** What every new user starts with, at local sign-up and for a Cognito user alike. */
function starterKit(store: Store, categories: CategoryService, accounts: AccountService) {
  return (owner: Owner, now: string): WriteOp[] => {
    const ops = [...categories.defaultCategoryOps(owner, now), ...accounts.starterOps(owner, now)];
    return [...ops, ...startingCounters(store.tables.budgets, owner, ops)];
  };
}

/** Cognito users' provisioning outside the app: what the user pool's sign-up trigger runs. */
export function createCognitoProvisioner(store: Store): CognitoProvisioner {
  const accounts = new AccountService(store, new AccountRepository(store), new TransactionRepository(store));
  return new CognitoProvisioner(
    new UserRepository(store),
    starterKit(store, new CategoryService(store, new CategoryRepository(store)), accounts),
    new FirstAccountMigration(store, accounts),
  );
}

/** The move of transactions from before accounts into each user's first account. */
export function createFirstAccountMigration(store: Store): FirstAccountMigration {
  const accounts = new AccountRepository(store);
  return new FirstAccountMigration(
    store,
    new AccountService(store, accounts, new TransactionRepository(store)),
  );
}

/** What the server needs beside the app: the repair of imports a stopped process cut off. */
export function createRecovery(store: Store): ImportRecovery {
  const transactions = new TransactionRepository(store);
  return new ImportRecovery({
    store,
    transactions,
    categories: new CategoryRepository(store),
    accounts: new AccountRepository(store),
    totals: new MonthTotalsRepository(store),
    records: new ImportRecordRepository(store),
    leases: new ImportLeases(store),
  });
}

/** Posting bills never touches a receipt: a storage that refuses, should that ever change. */
const noFiles: FileStorage = {
  put: () => Promise.reject(new Error("No file storage where recurring bills are posted")),
  get: async () => undefined,
  peek: async () => undefined,
  size: async () => undefined,
  delete: async () => undefined,
  uploadUrl: () => Promise.reject(new Error("No file storage where recurring bills are posted")),
  downloadUrl: () => Promise.reject(new Error("No file storage where recurring bills are posted")),
};

/**
 * Bank-file imports over a store: the API's (with the local refresh, or the queue on AWS), and the
 * import worker's (import-worker-lambda.ts), which writes what the queue hands it.
 */
export function createImportService(
  store: Store,
  deps: { files: FileStorage; statements: StatementReader; refresh?: RefreshHold; queue?: ImportQueue },
): ImportService {
  const transactions = new TransactionRepository(store);
  const categories = new CategoryRepository(store);
  const accounts = new AccountRepository(store);
  const rules = new RuleRepository(store);
  const merchants = new MerchantRepository(store);
  const idempotency = new IdempotencyStore(store);
  return new ImportService({
    store,
    transactions,
    service: new TransactionService({
      store,
      transactions,
      categories,
      accounts,
      rules,
      merchants,
      idempotency,
      files: deps.files,
    }),
    categories,
    accounts,
    rules,
    merchants,
    records: new ImportRecordRepository(store),
    leases: new ImportLeases(store),
    recovery: createRecovery(store),
    idempotency,
    totals: new MonthTotalsRepository(store),
    uploads: new Uploads(deps.files),
    statements: deps.statements,
    ...(deps.refresh ? { refresh: deps.refresh } : {}),
    ...(deps.queue ? { queue: deps.queue } : {}),
  });
}

/**
 * The recurring materialiser over a store: what the local server runs at start and on a timer,
 * the Lambda on a schedule (`recurring-lambda.ts`) and an edit before it changes a template.
 * `leases`: the users' import leases, unless given (tests give one that is always granted).
 */
export function createMaterialiser(
  store: Store,
  { leases, ...options }: Pick<MaterialiserDeps, "today" | "log"> & { leases?: ImportLeases } = {},
): Materialiser {
  const transactions = new TransactionRepository(store);
  const categories = new CategoryRepository(store);
  const accounts = new AccountRepository(store);
  return new Materialiser({
    store,
    recurring: new RecurringRepository(store),
    transactions,
    service: new TransactionService({
      store,
      transactions,
      categories,
      accounts,
      rules: new RuleRepository(store),
      merchants: new MerchantRepository(store),
      idempotency: new IdempotencyStore(store),
      files: noFiles,
    }),
    accounts,
    categories,
    leases: leases ?? new ImportLeases(store),
    recovery: createRecovery(store),
    ...options,
  });
}

/** Month analytics over a store: what the routes, the local refresh and the stream handler compute with. */
export function createAnalytics(store: Store, now?: () => Date): AnalyticsService {
  return new AnalyticsService({
    store,
    categories: new CategoryRepository(store),
    ledger: new MonthLedgerReader(store),
    analytics: new AnalyticsRepository(store),
    ...(now ? { now } : {}),
  });
}

/**
 * The local analytics refresh: every successful write through `store.db` that changes a month's
 * totals or plan queues that month (and the ones whose comparisons read it) for a background
 * recomputation. Its caller closes it on the way out.
 */
export function startAnalyticsRefresh(store: Store, options: RefreshOptions = {}): RefreshQueue {
  const analytics = createAnalytics(store);
  const queue = new RefreshQueue(async (owner, month) => {
    await analytics.generate(owner, month);
  }, options);
  watchMonthWrites(store.db, store.tables.budgets, (changes) => {
    for (const c of changes) queue.enqueue(c.owner, analytics.affectedBy(c.month));
  });
  return queue;
}
