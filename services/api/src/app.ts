import { bodyLimit } from "hono/body-limit";
import { secureHeaders } from "hono/secure-headers";
import { advisorFor } from "./ai/advisor-for";
import { ChatService } from "./ai/chat/chat-service";
import { createTools } from "./ai/tools";
import { toolContext } from "./ai/tools/tool";
import { requireAuth } from "./auth/middleware";
import { PersonalAccessTokenVerifier, WithPersonalAccessTokens } from "./auth/personal-access-tokens";
import { WithSessionRevocation } from "./auth/session-revocation";
import { ConversationRepository } from "./db/conversations";
import { Reachability } from "./db/reachability";
import { accountRoutes } from "./handlers/accounts";
import { aiRoutes } from "./handlers/ai";
import { analyticsRoutes } from "./handlers/analytics";
import { authRoutes } from "./handlers/auth";
import { budgetRoutes } from "./handlers/budgets";
import { cardRoutes } from "./handlers/cards";
import { categoryRoutes } from "./handlers/categories";
import { dashboardRoutes } from "./handlers/dashboard";
import { debtRoutes } from "./handlers/debt";
import { registerDocs } from "./handlers/docs";
import { fileRoutes } from "./handlers/files";
import { goalRoutes } from "./handlers/goals";
import { healthRoutes } from "./handlers/health";
import { importRoutes } from "./handlers/imports";
import { MCP_PATH, mcpRoutes } from "./handlers/mcp";
import { merchantRoutes } from "./handlers/merchants";
import { recurringRoutes } from "./handlers/recurring";
import { recurringSuggestionRoutes } from "./handlers/recurring-suggestions";
import { ruleRoutes } from "./handlers/rules";
import { tokenRoutes } from "./handlers/tokens";
import { receiptRoutes, transactionRoutes } from "./handlers/transactions";
import { uploadRoutes } from "./handlers/uploads";
import { corsFor } from "./http/cors";
import { DEFAULT_REQUEST_TIMEOUT_MS, deadline } from "./http/deadline";
import { ProblemError, renderProblem, toProblem } from "./http/problem";
import { requestLog } from "./http/request-log";
import { routes } from "./http/routes";
import { API_CSP } from "./http/security-headers";
import { log } from "./log";
import { type AppDeps, createServices } from "./services";
import { LocalFileStorage } from "./storage/files";
import { MAX_RECEIPT_BYTES } from "./storage/receipts";

export type { AppDeps } from "./services";

/** JSON bodies here are small plans and forms; anything larger is a mistake or an attack. */
export const MAX_BODY_BYTES = 256 * 1024;
export const MAX_FILE_BODY_BYTES = MAX_RECEIPT_BYTES + 64 * 1024;

const PUBLIC_PATHS = new Set(["/v1/health", "/v1/openapi.json", "/v1/auth/signup", "/v1/auth/login"]);

export function createApp(deps: AppDeps) {
  const base = routes();
  const s = createServices(deps);
  const tools = createTools(s);
  const { advisor, suggestions } = advisorFor(deps);
  const chats = new ChatService({
    conversations: new ConversationRepository(s.store),
    tools,
    advisor,
    suggestions: (principal, offered) => suggestions(toolContext(principal, s.today()), offered),
    today: s.today,
  });

  const logger = deps.log ?? log();
  // First, so that its line times and records every answer, refusals by later middleware included.
  base.use("*", requestLog(logger));
  base.onError((err, c) =>
    renderProblem(
      toProblem(err, (e) => logger.error({ err: e, requestId: c.get("requestId") }, "unexpected error")),
    ),
  );
  base.notFound((c) =>
    renderProblem(new ProblemError(404, "not-found", "Not found", `No route for ${c.req.path}`)),
  );

  // Pages (/docs) and files set their own CSP, which stays; every other answer gets the strictest.
  base.use("*", secureHeaders({ overwrite: false, xFrameOptions: "DENY" }));
  base.use("*", async (c, next) => {
    await next();
    if (!c.res.headers.has("content-security-policy")) c.res.headers.set("content-security-policy", API_CSP);
  });
  if (deps.corsOrigins?.length) {
    const cors = corsFor(deps.corsOrigins);
    base.use("/v1/*", cors);
    base.use(MCP_PATH, cors);
  }
  // Outside the body limits and auth, so a login or token check that waits on DynamoDB is bounded too.
  base.use("/v1/*", deadline(deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS));
  base.use(MCP_PATH, deadline(deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS));
  const reachability = new Reachability(s.store);
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
  // Files: a receipt as the raw body, a bank file inside multipart (whose framing adds a little),
  // either sent to a signed file URL of the local server.
  const fileLimit = limit(MAX_FILE_BODY_BYTES);
  base.use("/v1/*", (c, next) =>
    /\/receipt$|^\/v1\/imports$|^\/v1\/files\//.test(c.req.path) ? fileLimit(c, next) : jsonLimit(c, next),
  );
  base.use(MCP_PATH, jsonLimit);
  // Session tokens (local JWTs or Cognito ID tokens) and, in either mode, personal access tokens.
  const authenticator = new WithPersonalAccessTokens(
    new WithSessionRevocation(deps.authenticator, s.sessionRecords),
    new PersonalAccessTokenVerifier(s.store),
  );
  const provisioner = s.provisioner;
  const auth = requireAuth(authenticator, provisioner ? (p) => provisioner.ensure(p) : undefined);
  // Authenticated, then held to the token's scope (a read token may only GET and HEAD).
  // A signed file URL carries its own permission, as a presigned S3 URL does (handlers/files.ts).
  const localFiles = deps.files instanceof LocalFileStorage ? deps.files : undefined;
  const isPublic = (path: string) =>
    PUBLIC_PATHS.has(path) || (localFiles !== undefined && path.startsWith("/v1/files/"));
  base.use("/v1/*", async (c, next) => (isPublic(c.req.path) ? next() : auth(c, next)));

  // Chained, so the app's type carries every route for the web app's typed client (`hc<App>`).
  const app = base
    .route(
      "/",
      healthRoutes({ isReady: deps.isReady ?? (() => true), reachable: () => reachability.reachable() }),
    )
    .route("/", authRoutes(s.identity, s.profiles, s.sessions, { trustProxy: deps.trustProxy ?? false }))
    .route("/", categoryRoutes(s.categories))
    .route("/", accountRoutes(s.accounts))
    .route("/", cardRoutes(s.cards))
    // Before any /v1/recurring/{id} group: a route matches in the order it was added, and
    // "suggestions" must never be read as a template id.
    .route("/", recurringSuggestionRoutes(s.suggestions))
    .route("/", debtRoutes(s.debt, s.snapshots, s.debtGoal))
    .route("/", goalRoutes(s.goals))
    .route("/", budgetRoutes(s.budgets))
    .route("/", transactionRoutes(s.transactions))
    .route("/", receiptRoutes(s.transactions, s.uploads))
    .route("/", uploadRoutes(s.uploads))
    .route("/", importRoutes(s.imports, s.importUndo))
    .route("/", analyticsRoutes(s.analytics))
    .route("/", dashboardRoutes(s.dashboard))
    .route("/", recurringRoutes(s.recurring))
    .route("/", ruleRoutes(s.rules))
    .route("/", merchantRoutes(s.transactions))
    .route("/", tokenRoutes(s.tokens))
    .route("/", aiRoutes(chats));
  if (localFiles) app.route("/", fileRoutes(localFiles));
  app.route("/", mcpRoutes({ tools, today: s.today, auth, maxBodyBytes: MAX_BODY_BYTES }));
  registerDocs(app);
  app.get("/", (c) => c.redirect("/docs"));
  return app;
}

export type App = ReturnType<typeof createApp>;
