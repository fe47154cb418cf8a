import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { LocalTokens } from "./auth/local-tokens";
import { requireAuth } from "./auth/middleware";
import type { Authenticator } from "./auth/principal";
import type { AppEnv } from "./context";
import { BudgetRepository } from "./db/budgets";
import { CategoryRepository } from "./db/categories";
import { IdempotencyStore } from "./db/idempotency";
import { ImportLock, ImportRecordRepository } from "./db/imports";
import { LoginThrottle } from "./db/login-throttle";
import { MerchantRepository } from "./db/merchants";
import { MonthTotalsRepository } from "./db/month-totals";
import { RuleRepository } from "./db/rules";
import type { Store } from "./db/store";
import { TransactionRepository } from "./db/transactions";
import { UserRepository } from "./db/users";
import { Accounts, CognitoProvisioner } from "./domain/accounts";
import { BudgetService } from "./domain/budgets";
import { TransactionService } from "./domain/transactions";
import { registerAuth, registerMe } from "./handlers/auth";
import { registerBudgets } from "./handlers/budgets";
import { registerCategories } from "./handlers/categories";
import { registerDocs } from "./handlers/docs";
import { registerHealth } from "./handlers/health";
import { registerImports } from "./handlers/imports";
import { registerMerchants } from "./handlers/merchants";
import { registerRules } from "./handlers/rules";
import { registerReceipts, registerTransactions } from "./handlers/transactions";
import { ProblemError, renderProblem, toProblem, validationProblem, zodFieldErrors } from "./http/problem";
import { ImportService } from "./imports/import-service";
import { MAX_RECEIPT_BYTES, type ReceiptStorage } from "./storage/receipts";

export interface AppDeps extends Store {
  authenticator: Authenticator;
  receipts: ReceiptStorage;
  /** False until the tables exist; health answers 503 meanwhile. */
  isReady?: () => boolean;
}

/** JSON bodies here are small plans and forms; anything larger is a mistake or an attack. */
export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_FILE_BODY_BYTES = MAX_RECEIPT_BYTES + 64 * 1024;

const PUBLIC_PATHS = new Set(["/v1/health", "/v1/openapi.json", "/v1/auth/signup", "/v1/auth/login"]);

export function createApp(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(zodFieldErrors(result.error));
    },
  });

  const store: Store = { db: deps.db, tables: deps.tables };
  const users = new UserRepository(store);
  const categories = new CategoryRepository(store);
  const budgets = new BudgetRepository(store);
  const monthTotals = new MonthTotalsRepository(store);
  const local = deps.authenticator instanceof LocalTokens ? deps.authenticator : undefined;
  const accounts = local ? new Accounts(users, new LoginThrottle(store), local) : undefined;
  const provisioner = local ? undefined : new CognitoProvisioner(users);

  app.onError((err) => renderProblem(toProblem(err)));
  app.notFound((c) =>
    renderProblem(new ProblemError(404, "not-found", "Not found", `No route for ${c.req.path}`)),
  );

  app.use("*", secureHeaders({ contentSecurityPolicy: undefined }));
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
  app.use("/v1/*", (c, next) =>
    /\/receipt$|^\/v1\/imports$/.test(c.req.path) ? fileLimit(c, next) : jsonLimit(c, next),
  );
  const auth = requireAuth(deps.authenticator, provisioner ? (p) => provisioner.ensure(p) : undefined);
  app.use("/v1/*", async (c, next) => (PUBLIC_PATHS.has(c.req.path) ? next() : auth(c, next)));

  registerHealth(app, deps.isReady ?? (() => true));
  registerAuth(app, accounts);
  registerMe(app, users);
  registerCategories(app, categories, budgets);
  registerBudgets(app, new BudgetService(budgets, categories, monthTotals), budgets);
  const rules = new RuleRepository(store);
  const merchants = new MerchantRepository(store);
  const transactionRepo = new TransactionRepository(store);
  const idempotency = new IdempotencyStore(store);
  const transactions = new TransactionService({
    store,
    transactions: transactionRepo,
    categories,
    rules,
    merchants,
    idempotency,
    receipts: deps.receipts,
  });
  registerTransactions(app, transactions);
  registerReceipts(app, transactions);
  const importRecords = new ImportRecordRepository(store);
  registerImports(
    app,
    new ImportService({
      store,
      transactions: transactionRepo,
      service: transactions,
      categories,
      rules,
      merchants,
      records: importRecords,
      lock: new ImportLock(store),
      totals: monthTotals,
    }),
    importRecords,
    idempotency,
  );
  registerRules(app, rules, categories);
  registerMerchants(app, merchants);
  registerDocs(app);
  app.get("/", (c) => c.redirect("/docs"));
  return app;
}

export type App = ReturnType<typeof createApp>;
