import { normalizeMerchant } from "@tyche/core";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { AnalyticsService } from "./analytics/analytics-service";
import { type RefreshHold, type RefreshOptions, RefreshQueue } from "./analytics/refresh-queue";
import { watchMonthWrites } from "./analytics/write-watcher";
import { LocalTokens } from "./auth/local-tokens";
import { requireAuth } from "./auth/middleware";
import { PersonalAccessTokenVerifier, WithPersonalAccessTokens } from "./auth/personal-access-tokens";
import type { Authenticator } from "./auth/principal";
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
import { RecurringRepository } from "./db/recurring";
import { RecurringDismissalRepository } from "./db/recurring-dismissals";
import { RuleRepository } from "./db/rules";
import { SnapshotRepository } from "./db/snapshots";
import type { Store } from "./db/store";
import { TokenRepository } from "./db/tokens";
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
import { TokenService } from "./domain/tokens";
import { TransactionService } from "./domain/transactions";
import { accountRoutes } from "./handlers/accounts";
import { analyticsRoutes } from "./handlers/analytics";
import { authRoutes } from "./handlers/auth";
import { budgetRoutes } from "./handlers/budgets";
import { cardRoutes } from "./handlers/cards";
import { categoryRoutes } from "./handlers/categories";
import { dashboardRoutes } from "./handlers/dashboard";
import { debtRoutes } from "./handlers/debt";
import { registerDocs } from "./handlers/docs";
import { goalRoutes } from "./handlers/goals";
import { healthRoutes } from "./handlers/health";
import { importRoutes } from "./handlers/imports";
import { merchantRoutes } from "./handlers/merchants";
import { recurringRoutes } from "./handlers/recurring";
import { recurringSuggestionRoutes } from "./handlers/recurring-suggestions";
import { ruleRoutes } from "./handlers/rules";
import { tokenRoutes } from "./handlers/tokens";
import { receiptRoutes, transactionRoutes } from "./handlers/transactions";
import { ProblemError, renderProblem, toProblem } from "./http/problem";
import { routes } from "./http/routes";
import { ImportService } from "./imports/import-service";
import { ImportRecovery } from "./imports/recovery";
import { StatementPool, type StatementReader } from "./imports/statement-reader";
import { ImportUndo } from "./imports/undo";
import { FirstAccountMigration } from "./migrations/first-account";
import { Materialiser, type MaterialiserDeps } from "./recurring/materialiser";
import { RecurringSuggestionService } from "./recurring/suggestions";
import { MAX_RECEIPT_BYTES, type ReceiptStorage } from "./storage/receipts";

export interface AppDeps extends Store {
  authenticator: Authenticator;
  receipts: ReceiptStorage;
  /** False until the tables exist; health answers 503 meanwhile. */
  isReady?: () => boolean;
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
}

/** JSON bodies here are small plans and forms; anything larger is a mistake or an attack. */
export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_FILE_BODY_BYTES = MAX_RECEIPT_BYTES + 64 * 1024;

const PUBLIC_PATHS = new Set(["/v1/health", "/v1/openapi.json", "/v1/auth/signup", "/v1/auth/login"]);

export function createApp(deps: AppDeps) {
  const base = routes();

  const store: Store = { db: deps.db, tables: deps.tables };
  const users = new UserRepository(store);
  const categoryRepo = new CategoryRepository(store);
  const categories = new CategoryService(store, categoryRepo);
  const accountRepo = new AccountRepository(store);
  const transactionRepo = new TransactionRepository(store);
  const accounts = new AccountService(store, accountRepo, transactionRepo);
  const starter = (owner: Owner, now: string) => [
    ...categories.defaultCategoryOps(owner, now),
    ...accounts.starterOps(owner, now),
  ];
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
    receipts: deps.receipts,
  });
  const recovery = new ImportRecovery({
    store,
    transactions: transactionRepo,
    categories: categoryRepo,
    accounts: accountRepo,
    totals,
    records,
    leases,
  });
  const imports = new ImportService({
    store,
    transactions: transactionRepo,
    service: transactions,
    categories: categoryRepo,
    accounts: accountRepo,
    rules: ruleRepo,
    merchants,
    records,
    leases,
    recovery,
    idempotency,
    totals,
    statements: deps.statements ?? new StatementPool(),
    ...(deps.refresh ? { refresh: deps.refresh } : {}),
  });
  const analytics = createAnalytics(store);
  const cards = new CardService({
    store,
    cards: new CardRepository(store),
    accounts: accountRepo,
    transactions: transactionRepo,
    service: transactions,
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
  const currentMonth = () => new Date().toISOString().slice(0, 7);

  base.onError((err) => renderProblem(toProblem(err)));
  base.notFound((c) =>
    renderProblem(new ProblemError(404, "not-found", "Not found", `No route for ${c.req.path}`)),
  );

  base.use("*", secureHeaders({ contentSecurityPolicy: undefined }));
  const limit = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ProblemError(
          413,
          "payload-too-large",
          "Payload too large",
          `Bodies are limited to ${maxSize} bytes`,
        );
      },
    });
  const jsonLimit = limit(MAX_BODY_BYTES);
  // Files: a receipt as the raw body, a bank file inside multipart (whose framing adds a little).
  const fileLimit = limit(MAX_FILE_BODY_BYTES);
  base.use("/v1/*", (c, next) =>
    /\/receipt$|^\/v1\/imports$/.test(c.req.path) ? fileLimit(c, next) : jsonLimit(c, next),
  );
  // Session tokens (local JWTs or Cognito ID tokens) and, in either mode, personal access tokens.
  const authenticator = new WithPersonalAccessTokens(
    deps.authenticator,
    new PersonalAccessTokenVerifier(store),
  );
  const auth = requireAuth(authenticator, provisioner ? (p) => provisioner.ensure(p) : undefined);
  // Authenticated, then held to the token's scope (a read token may only GET and HEAD).
  base.use("/v1/*", async (c, next) => (PUBLIC_PATHS.has(c.req.path) ? next() : auth(c, next)));

  // Chained, so the app's type carries every route for the web app's typed client (`hc<App>`).
  const app = base
    .route("/", healthRoutes(deps.isReady ?? (() => true)))
    .route("/", authRoutes(identity, new Profiles(users)))
    .route("/", categoryRoutes(categories))
    .route("/", accountRoutes(accounts))
    .route("/", cardRoutes(cards))
    // Before any /v1/recurring/{id} group: a route matches in the order it was added, and
    // "suggestions" must never be read as a template id.
    .route("/", recurringSuggestionRoutes(suggestions))
    .route(
      "/",
      debtRoutes(
        new DebtService(debtBasis),
        new SnapshotService({
          cards,
          budgets: budgetService,
          transactions: transactionRepo,
          snapshots: new SnapshotRepository(store),
        }),
        new DebtGoalService(store, new DebtGoalRepository(store), debtBasis, currentMonth),
      ),
    )
    .route(
      "/",
      goalRoutes(
        new GoalService({ store, goals: new GoalRepository(store), categories: categoryRepo, idempotency }),
      ),
    )
    .route("/", budgetRoutes(budgetService))
    .route("/", transactionRoutes(transactions))
    .route("/", receiptRoutes(transactions))
    .route(
      "/",
      importRoutes(
        imports,
        new ImportUndo({
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
      ),
    )
    .route("/", analyticsRoutes(analytics))
    .route(
      "/",
      dashboardRoutes(
        new DashboardService({
          analytics,
          accounts: accountRepo,
          transactions: transactionRepo,
          recurring: recurringRepo,
        }),
      ),
    )
    .route("/", recurringRoutes(recurring))
    .route("/", ruleRoutes(new RuleService(store, ruleRepo, categoryRepo)))
    .route("/", merchantRoutes(transactions))
    .route("/", tokenRoutes(new TokenService(store, new TokenRepository(store))));
  registerDocs(app);
  app.get("/", (c) => c.redirect("/docs"));
  return app;
}

export type App = ReturnType<typeof createApp>;

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
const noReceipts: ReceiptStorage = {
  put: () => Promise.reject(new Error("No receipt storage where recurring bills are posted")),
  get: async () => undefined,
  delete: async () => undefined,
};

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
      receipts: noReceipts,
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
