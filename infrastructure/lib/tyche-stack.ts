import { join } from "node:path";
import { awsConnectSources, webAppCsp } from "@tyche/api/security-headers";
import { TABLES, type TableKey } from "@tyche/api/tables";
import {
  aws_apigatewayv2 as apigw,
  aws_apigatewayv2_authorizers as authorizers,
  CfnOutput,
  aws_cloudfront as cloudfront,
  aws_cloudwatch as cloudwatch,
  aws_cognito as cognito,
  aws_cloudwatch_actions as cwActions,
  Duration,
  aws_dynamodb as dynamodb,
  aws_lambda_event_sources as eventSources,
  aws_events as events,
  aws_iam as iam,
  aws_apigatewayv2_integrations as integrations,
  aws_lambda as lambda,
  aws_logs as logs,
  aws_cloudfront_origins as origins,
  RemovalPolicy,
  Stack,
  type StackProps,
  aws_s3 as s3,
  aws_s3_deployment as s3deploy,
  aws_sns as sns,
  aws_sqs as sqs,
  aws_events_targets as targets,
} from "aws-cdk-lib";
import { AccessLogFormat } from "aws-cdk-lib/aws-apigateway";
import type { Construct } from "constructs";
import { ACCESS, type FunctionKey, type ItemAction } from "./access";
import { API_AFTER_BUNDLING, IMPORT_WORKER_AFTER_BUNDLING, REPO_ROOT, TycheFunction } from "./functions";
import { isProduction, resourceName, type Stage, tableName } from "./stage";

export interface TycheStackProps extends StackProps {
  stage: Stage;
  /** The built web app (default web/dist, which `npm run build` makes). */
  webDist?: string;
  /** Where alarms send e-mail; without it they only change state (and show in the console). */
  alarmEmail?: string;
}

/**
 * Routes anyone may call. Health for probes, the OpenAPI document and Swagger UI for people reading the API.
 * Not local sign-up and login: with Cognito they answer 404 (`lambda.ts` runs `AUTH_MODE=cognito`), so they
 * stay behind the authorizer and an anonymous caller never reaches the function for them.
 */
/** The user pool's, and what the web app's sign-up form tells people. */
export const PASSWORD_MIN_LENGTH = 12;

export const PUBLIC_ROUTES = ["GET /v1/health", "GET /v1/openapi.json", "GET /docs", "GET /docs/{proxy+}"];
/** The API under /v1: API Gateway checks the Cognito ID token before the function runs. */
export const JWT_ROUTES = ["ANY /v1/{proxy+}"];
/**
 * MCP, whose clients hold personal access tokens, which no JWT authorizer can check: a Lambda authorizer
 * (authorizer-lambda.ts) lets a Cognito ID token or a personal access token through.
 */
export const GATED_ROUTES = ["ANY /mcp"];
/** Everything the app serves but the public routes. */
export const PRIVATE_ROUTES = [...JWT_ROUTES, ...GATED_ROUTES];

/**
 * The operations a table's system errors are watched on: those some function sends it (access.ts), under the
 * names CloudWatch gives them. A write that any function may make also arrives inside TransactWriteItems, as
 * most of Tyche's writes do. Alarms are billed per metric, so a table gets no metric it can never have.
 */
export function watchedOperations(key: TableKey): dynamodb.Operation[] {
  const actions = new Set(Object.values(ACCESS).flatMap((fn) => fn[key]?.actions ?? []));
  const ops = [...actions]
    .filter((a) => a !== "ConditionCheckItem")
    .map((a) => a as `${dynamodb.Operation}`) as dynamodb.Operation[];
  const writes = ["PutItem", "UpdateItem", "DeleteItem", "ConditionCheckItem"].some((a) =>
    actions.has(a as ItemAction),
  );
  return writes ? [...ops, dynamodb.Operation.TRANSACT_WRITE_ITEMS] : ops;
}

/** The prefix under which browsers upload bank files and receipts (`uploads/<tenant>/<user>/<uploadId>`). */
export const UPLOADS_PREFIX = "uploads/";

/** How long the import worker may run: Lambda's limit, for the largest file an import takes. */
export const IMPORT_WORKER_TIMEOUT = Duration.minutes(15);

/** A function's key as it appears in names: `importWorker` becomes `import-worker`. */
export const kebab = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export class TycheStack extends Stack {
  public readonly tables: Readonly<Record<TableKey, dynamodb.TableV2>>;
  public readonly functions: Readonly<Record<FunctionKey, TycheFunction>>;
  public readonly httpApi: apigw.HttpApi;
  public readonly userPool: cognito.UserPool;
  public readonly receipts: s3.Bucket;
  /** Async imports the API accepted, one job a message, for the import worker. */
  public readonly importQueue: sqs.Queue;
  /** Jobs the import worker failed twice. */
  public readonly importFailures: sqs.Queue;

  constructor(scope: Construct, id: string, props: TycheStackProps) {
    super(scope, id, props);
    const { stage } = props;
    const prod = isProduction(stage);
    // Production holds users' financial records; every other stage must stay disposable so it tears down in one step.
    const removalPolicy = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const string = dynamodb.AttributeType.STRING;

    // ---- Tables (item 1): exactly the local app's definitions, named for the stage.
    const tables: Partial<Record<TableKey, dynamodb.TableV2>> = {};
    for (const def of TABLES) {
      const table = new dynamodb.TableV2(this, def.key, {
        tableName: tableName(stage, def),
        partitionKey: { name: def.partitionKey, type: string },
        sortKey: { name: def.sortKey, type: string },
        // Nothing to size or autoscale, and an idle stack costs only its storage (docs/DEPLOYMENT.md, cost).
        billing: dynamodb.Billing.onDemand(),
        // Restore points for the last 35 days, against a bad write or a faulty migration.
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        // Unlike an AWS-owned key, the AWS-managed KMS key records each use of the key in CloudTrail.
        encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
        globalSecondaryIndexes: def.indexes.map((index) => ({
          indexName: index.name,
          partitionKey: { name: index.partitionKey, type: string },
          sortKey: { name: index.sortKey, type: string },
          // So a query on an index never needs a second read from the base table.
          projectionType: dynamodb.ProjectionType.ALL,
        })),
        timeToLiveAttribute: def.ttlAttribute,
        // Both images, so the analytics refresh can take back an item's old contribution as well as add its new one.
        dynamoStream: def.stream ? dynamodb.StreamViewType.NEW_AND_OLD_IMAGES : undefined,
        deletionProtection: prod,
        removalPolicy,
      });
      tables[def.key] = table;
      new CfnOutput(this, `${def.key}TableName`, { value: table.tableName });
    }
    // The loop above covers every TableKey because TABLES has one entry per key.
    this.tables = tables as Record<TableKey, dynamodb.TableV2>;

    // ---- Files (item 4): receipts, and bank files and receipts uploaded straight from browsers under uploads/
    // with URLs the API presigns (issue 21, item 3); CORS for those follows the web app's distribution below.
    this.receipts = new s3.Bucket(this, "Receipts", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        // An upload is imported within minutes or abandoned; nothing under uploads/ is meant to stay.
        { id: "abandoned-uploads", prefix: UPLOADS_PREFIX, expiration: Duration.days(2) },
        { id: "incomplete-multipart", abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy,
      autoDeleteObjects: !prod,
    });

    // ---- Identity (item 4): the user pool, and the trigger that founds each new user's tenant.
    const signup = new TycheFunction(this, "Signup", {
      stage,
      name: "signup",
      entry: "signup-trigger-lambda.ts",
      description: "Cognito post-confirmation: founds the new user's tenant and sets custom:tenantId",
      tables: this.tables,
      access: ACCESS.signup,
      // Cognito waits 5 s for a trigger and then retries; memory buys the CPU for a quick cold start.
      memorySize: 512,
      timeout: Duration.seconds(5),
    });
    this.userPool = new cognito.UserPool(this, "Users", {
      userPoolName: resourceName(stage, "users"),
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      standardAttributes: {
        email: { required: true, mutable: true },
        fullname: { required: false, mutable: true },
      },
      // Mutable so that the trigger can set it after the user exists; no app client may write it (below).
      customAttributes: { tenantId: new cognito.StringAttribute({ minLen: 1, maxLen: 64, mutable: true }) },
      // Length only, as NIST SP 800-63B asks: composition rules make passwords weaker, not stronger.
      passwordPolicy: {
        minLength: PASSWORD_MIN_LENGTH,
        requireSymbols: false,
        requireDigits: false,
        requireLowercase: false,
        requireUppercase: false,
      },
      deletionProtection: prod,
      removalPolicy,
    });
    this.userPool.addTrigger(cognito.UserPoolOperation.POST_CONFIRMATION, signup.fn);
    // A policy of its own rather than the role's default one: the function would otherwise depend on the
    // pool's ARN while the pool depends on the function's, a cycle CloudFormation refuses.
    new iam.Policy(this, "SignupSetsTenant", {
      statements: [
        new iam.PolicyStatement({
          actions: ["cognito-idp:AdminUpdateUserAttributes"],
          resources: [this.userPool.userPoolArn],
        }),
      ],
    }).attachToRole(signup.fn.role as iam.IRole);
    const client = this.userPool.addClient("Web", {
      userPoolClientName: resourceName(stage, "web"),
      // A browser (and the CLI for scripts) cannot keep a secret.
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes("tenantId"),
      // Without custom:tenantId, so that no user can choose their own tenant (docs/MULTI_TENANCY.md).
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });

    // ---- Async imports (issue 21, item 3): the API queues a job, the worker runs it in its own invocation.
    this.importFailures = new sqs.Queue(this, "ImportFailures", {
      queueName: resourceName(stage, "imports-failed"),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // A message keeps its first enqueue time in a dead-letter queue, so this counts from when it was sent.
      retentionPeriod: Duration.days(14),
    });
    this.importQueue = new sqs.Queue(this, "Imports", {
      queueName: resourceName(stage, "imports"),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // AWS's advice for a Lambda event source: six times the function's timeout, so a message is not handed
      // out again while the poller is still retrying a throttled invocation of it.
      visibilityTimeout: Duration.seconds(IMPORT_WORKER_TIMEOUT.toSeconds() * 6),
      // Shorter than the uploads' two days, so no job outlives the file it names while it waits here.
      retentionPeriod: Duration.days(1),
      deadLetterQueue: {
        queue: this.importFailures,
        // Two receives: a run cut off midway (timeout, crash) leaves its lease behind, and the second
        // receive repairs what it wrote and marks the import failed (ImportRecovery) rather than writing
        // the file again; a third would find nothing left to do, so the job goes to the dead-letter queue.
        // AWS suggests five against throttled receives; the event source's maximum concurrency keeps the
        // poller from throttling the worker itself, so only an account out of concurrency could cost one.
        maxReceiveCount: 2,
      },
    });

    // ---- Compute (item 2)
    const api = new TycheFunction(this, "Api", {
      stage,
      name: "api",
      entry: "lambda.ts",
      description: "The Tyche API: the Hono app behind the HTTP API",
      tables: this.tables,
      access: ACCESS.api,
      environment: {
        AUTH_MODE: "cognito",
        COGNITO_USER_POOL_ID: this.userPool.userPoolId,
        COGNITO_CLIENT_ID: client.userPoolClientId,
        RECEIPTS_BUCKET: this.receipts.bucketName,
        IMPORT_QUEUE_URL: this.importQueue.queueUrl,
        AI_PROVIDER: "none",
      },
      // Half of it is the bank-file parsing worker's heap bound (lambda.ts).
      memorySize: 1024,
      // An HTTP API integration is cut off at 30 s.
      timeout: Duration.seconds(29),
      afterBundling: API_AFTER_BUNDLING,
    });
    // Receipts are keyed <tenantId>/<userId>/..., uploads uploads/<tenantId>/<userId>/...; the API never lists
    // the bucket. A presigned URL acts with the signer's rights, so these also cover the browsers' uploads
    // (PutObject) and receipt downloads (GetObject); HeadObject, which sizes an upload, is GetObject too. An
    // upload attached as a receipt is read, written to its receipt key and deleted; a CopyObject would need no
    // more (GetObject on the source, PutObject on the target: the bucket is unversioned, uploads untagged).
    api.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
        resources: [this.receipts.arnForObjects("*")],
      }),
    );
    this.importQueue.grantSendMessages(api.fn);
    // "Log out everywhere" also ends the user's Cognito refresh tokens, so no browser can renew its session.
    api.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["cognito-idp:AdminUserGlobalSignOut"],
        resources: [this.userPool.userPoolArn],
      }),
    );

    const importWorker = new TycheFunction(this, "ImportWorker", {
      stage,
      name: "import-worker",
      entry: "import-worker-lambda.ts",
      description: "Runs the bank-file imports the API queued (Prefer: respond-async), one job an invocation",
      tables: this.tables,
      access: ACCESS.importWorker,
      // No Cognito and no AI: the job names its owner, and the worker answers nobody.
      environment: { RECEIPTS_BUCKET: this.receipts.bucketName },
      // Half of it is the parsing worker's heap bound, as in the API (lambda.ts): room for a 10 MB file.
      memorySize: 2048,
      timeout: IMPORT_WORKER_TIMEOUT,
      afterBundling: IMPORT_WORKER_AFTER_BUNDLING,
    });
    // It reads the uploaded file and deletes it once imported; receipts and everything else stay out of reach.
    importWorker.fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ["s3:GetObject", "s3:DeleteObject"],
        resources: [this.receipts.arnForObjects(`${UPLOADS_PREFIX}*`)],
      }),
    );
    importWorker.fn.addEventSource(
      new eventSources.SqsEventSource(this.importQueue, {
        // One file an invocation, so each import has the whole timeout and memory to itself.
        batchSize: 1,
        reportBatchItemFailures: true,
        // Each import writes with eight BatchWriteItem calls in flight: ten at once is already a write burst an
        // on-demand table may throttle, and it leaves the account's concurrency to the API. Imports are rare
        // (a few a user a month) and one user's run one at a time anyway (their lease), so more would only
        // move the queue's wait into DynamoDB's retries; the oldest-job alarm says when ten is not enough.
        maxConcurrency: 10,
      }),
    );

    const analytics = new TycheFunction(this, "Analytics", {
      stage,
      name: "analytics",
      entry: "analytics-lambda.ts",
      description: "Refreshes month analytics from the budgets table's stream",
      tables: this.tables,
      access: ACCESS.analytics,
      memorySize: 512,
      timeout: Duration.minutes(2),
    });
    const failedBatches = new sqs.Queue(this, "AnalyticsFailures", {
      queueName: resourceName(stage, "analytics-failures"),
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
    });
    // The tyche-budgets stream names every month whose analytics change (docs/BUDGET_SPENDING_SCHEMA.md).
    analytics.fn.addEventSource(
      new eventSources.DynamoEventSource(this.tables.budgets, {
        // From the oldest record kept (24 h): a consumer deployed or repaired late still sees every change.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(2),
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        retryAttempts: 10,
        maxRecordAge: Duration.hours(6),
        onFailure: new eventSources.SqsDlq(failedBatches),
      }),
    );

    const recurring = new TycheFunction(this, "Recurring", {
      stage,
      name: "recurring",
      entry: "recurring-lambda.ts",
      description: "Posts every user's due recurring bills, on a schedule",
      tables: this.tables,
      access: ACCESS.recurring,
      memorySize: 512,
      timeout: Duration.minutes(10),
    });
    new events.Rule(this, "RecurringSchedule", {
      ruleName: resourceName(stage, "recurring-hourly"),
      description:
        "Runs the recurring materialiser, as the local server's timer does (TYCHE_RECURRING_INTERVAL_MS)",
      schedule: events.Schedule.rate(Duration.hours(1)),
      // A run never doubles a bill, so a retried or overlapping run is harmless.
      targets: [new targets.LambdaFunction(recurring.fn, { retryAttempts: 2 })],
    });

    // ---- The HTTP API
    const accessLogs = new logs.LogGroup(this, "ApiAccessLogs", {
      logGroupName: `/tyche/${stage}/api-access`,
      retention: prod ? logs.RetentionDays.THREE_MONTHS : logs.RetentionDays.ONE_WEEK,
      removalPolicy,
    });
    this.httpApi = new apigw.HttpApi(this, "HttpApi", {
      apiName: resourceName(stage, "api"),
      description: "Tyche's API; the web app reaches it under the same origin through CloudFront",
      createDefaultStage: false,
    });
    new apigw.HttpStage(this, "DefaultStage", {
      httpApi: this.httpApi,
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            ip: "$context.identity.sourceIp",
            time: "$context.requestTime",
            route: "$context.routeKey",
            status: "$context.status",
            latencyMs: "$context.responseLatency",
            bytes: "$context.responseLength",
            authorizerError: "$context.authorizer.error",
            integrationError: "$context.integrationErrorMessage",
          }),
        ),
      },
    });
    const integration = new integrations.HttpLambdaIntegration("Lambda", api.fn);
    const authorizer = new authorizers.HttpUserPoolAuthorizer("Cognito", this.userPool, {
      authorizerName: "cognito",
      userPoolClients: [client],
      identitySource: ["$request.header.Authorization"],
    });
    const route = (key: string, auth?: apigw.IHttpRouteAuthorizer) => {
      const [method, path] = key.split(" ") as [string, string];
      this.httpApi.addRoutes({
        path,
        methods: [method as apigw.HttpMethod],
        integration,
        ...(auth ? { authorizer: auth } : {}),
      });
    };
    const gate = new TycheFunction(this, "Gate", {
      stage,
      name: "gate",
      entry: "authorizer-lambda.ts",
      description: "The HTTP API's authorizer for /mcp: a Cognito ID token or a personal access token",
      tables: this.tables,
      access: ACCESS.gate,
      environment: {
        AUTH_MODE: "cognito",
        COGNITO_USER_POOL_ID: this.userPool.userPoolId,
        COGNITO_CLIENT_ID: client.userPoolClientId,
      },
      memorySize: 256,
      timeout: Duration.seconds(5),
    });
    const mcpAuthorizer = new authorizers.HttpLambdaAuthorizer("Mcp", gate.fn, {
      authorizerName: "mcp",
      responseTypes: [authorizers.HttpLambdaResponseType.SIMPLE],
      identitySource: ["$request.header.Authorization"],
      // The app verifies the token again on every request, so a token revoked within these minutes
      // still stops at once; the cache only spares the gate's invocation per request.
      resultsCacheTtl: Duration.minutes(5),
    });
    for (const key of PUBLIC_ROUTES) route(key);
    for (const key of JWT_ROUTES) route(key, authorizer);
    for (const key of GATED_ROUTES) route(key, mcpAuthorizer);

    // ---- The web app (item 4): S3 behind CloudFront, the API under the same origin.
    const webBucket = new s3.Bucket(this, "Web", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Rebuilt from web/dist on every deploy, so never worth keeping.
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: true,
    });
    const apiOrigin = new origins.HttpOrigin(
      `${this.httpApi.apiId}.execute-api.${this.region}.${this.urlSuffix}`,
      { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY },
    );
    // The token is part of the cache key, so one caller's answer can never be served to another; with a
    // default TTL of 0 only what the API itself marks cacheable (Swagger UI's files) is kept, and only briefly.
    const apiCache = new cloudfront.CachePolicy(this, "ApiCache", {
      cachePolicyName: resourceName(stage, "api"),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList("Authorization"),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
      cookieBehavior: cloudfront.CacheCookieBehavior.none(),
      defaultTtl: Duration.seconds(0),
      minTtl: Duration.seconds(0),
      maxTtl: Duration.minutes(5),
    });
    const apiBehavior: cloudfront.BehaviorOptions = {
      origin: apiOrigin,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      cachePolicy: apiCache,
      // Everything the API reads (If-Match, Idempotency-Key, Prefer, Content-Type) except Host, which must
      // name the API's own domain for API Gateway to route it.
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };
    // The web app's routes (/budget, /transactions/...) are the app's, not files: as the local server does
    // (local/web-assets.ts), anything without a file extension is answered with index.html.
    const spaRoutes = new cloudfront.Function(this, "SpaRoutes", {
      functionName: resourceName(stage, "spa-routes"),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(
        "function handler(event) { var r = event.request; if (!/\\.[A-Za-z0-9]+$/.test(r.uri)) r.uri = '/index.html'; return r; }",
      ),
    });
    // The same CSP the local server sends with the web app (services/api/src/http/security-headers.ts): its
    // own origin (the API is under it, through the behaviours below), Cognito's API and the uploads bucket.
    const webHeaders = new cloudfront.ResponseHeadersPolicy(this, "WebHeaders", {
      responseHeadersPolicyName: resourceName(stage, "web-headers"),
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: webAppCsp(awsConnectSources(this.region)),
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });
    const distribution = new cloudfront.Distribution(this, "Cdn", {
      comment: resourceName(stage, "web"),
      defaultRootObject: "index.html",
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(webBucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: webHeaders,
        functionAssociations: [
          { function: spaRoutes, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST },
        ],
      },
      additionalBehaviors: {
        "/v1/*": apiBehavior,
        "/mcp": apiBehavior,
        "/docs": apiBehavior,
        "/docs/*": apiBehavior,
      },
    });
    // Browsers PUT uploads and GET receipts with presigned URLs, so the bucket answers the web app's origin.
    // No cycle: the distribution depends on the web bucket and the HTTP API, never on this bucket.
    this.receipts.addCorsRule({
      allowedOrigins: [`https://${distribution.distributionDomainName}`],
      allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
      // A PUT is always preflighted, naming the headers the page set: only Content-Type. Content-Length is
      // the browser's own (a page cannot set it, and a preflight never names it); S3 checks it against the
      // signed one. A presigned URL's other signing parameters travel in its query string.
      allowedHeaders: ["content-type"],
      // For the page to read what S3 stored: a PUT's ETag is the MD5 of the object.
      exposedHeaders: ["ETag"],
      // A preflight is cached per URL, and each upload's URL is new, so this serves retries of one URL and
      // repeated reads of one receipt's; Chromium caps it at two hours anyway.
      maxAge: Duration.hours(1).toSeconds(),
    });
    new s3deploy.BucketDeployment(this, "WebDeployment", {
      sources: [
        s3deploy.Source.asset(props.webDist ?? join(REPO_ROOT, "web/dist")),
        // How the web app signs in (packages/types/src/web-config.ts), beside its files so the
        // deployment's prune keeps it; the app reads it uncached and the deployment invalidates /*.
        s3deploy.Source.jsonData("config.json", {
          auth: "cognito",
          region: this.region,
          userPoolId: this.userPool.userPoolId,
          clientId: client.userPoolClientId,
          passwordMinLength: PASSWORD_MIN_LENGTH,
        }),
      ],
      destinationBucket: webBucket,
      distribution,
      distributionPaths: ["/*"],
      memoryLimit: 512,
      logGroup: new logs.LogGroup(this, "WebDeploymentLogs", {
        retention: logs.RetentionDays.ONE_WEEK,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });

    // ---- Operations (item 5)
    const alarms = new sns.Topic(this, "Alarms", { topicName: resourceName(stage, "alarms") });
    if (props.alarmEmail) {
      new sns.Subscription(this, "AlarmEmail", {
        topic: alarms,
        protocol: sns.SubscriptionProtocol.EMAIL,
        endpoint: props.alarmEmail,
      });
    }
    const alarm = (
      id: string,
      name: string,
      metric: cloudwatch.IMetric,
      threshold: number,
      description: string,
    ) =>
      new cloudwatch.Alarm(this, id, {
        alarmName: resourceName(stage, name),
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new cwActions.SnsAction(alarms));
    const fiveMinutes = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM };

    alarm(
      "Api5xx",
      "api-5xx",
      this.httpApi.metricServerError(fiveMinutes),
      5,
      "The HTTP API answered 5xx at least 5 times in 5 minutes: the API function failed or timed out",
    );
    this.functions = { api, analytics, recurring, signup, importWorker, gate };
    for (const [key, f] of Object.entries(this.functions)) {
      const name = kebab(key);
      alarm(
        `${key}Errors`,
        `${name}-errors`,
        f.fn.metricErrors(fiveMinutes),
        1,
        `${name}: invocations failed`,
      );
      alarm(
        `${key}Throttles`,
        `${name}-throttles`,
        f.fn.metricThrottles(fiveMinutes),
        1,
        `${name}: invocations throttled`,
      );
    }
    // A job the worker reports failed (batchItemFailures) is no Lambda error: these two are what see it.
    alarm(
      "ImportsFailed",
      "imports-failed",
      this.importFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      1,
      "Import jobs failed twice and were given up on: see the import worker's logs; their uploads are kept 2 days",
    );
    // A job counts from when the API sent it, running or not: beyond the worker's timeout and a margin, it is
    // waiting for a worker (all ten busy) or for its retry after a failed run.
    const oldestImport = IMPORT_WORKER_TIMEOUT.plus(Duration.minutes(5));
    alarm(
      "ImportsWaiting",
      "imports-waiting",
      this.importQueue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      oldestImport.toSeconds(),
      `An import job is ${oldestImport.toMinutes()} minutes old or more: the worker is behind, or a job failed and waits for its retry`,
    );
    alarm(
      "AnalyticsIteratorAge",
      "analytics-iterator-age",
      analytics.fn.metric("IteratorAge", {
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      Duration.minutes(5).toMilliseconds(),
      "The analytics consumer is 5 minutes or more behind the budgets stream: month analytics are going stale",
    );
    alarm(
      "AnalyticsFailedBatches",
      "analytics-failed-batches",
      failedBatches.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      1,
      "Stream batches gave up on: their months' analytics are recomputed on read until a later change refreshes them",
    );
    // Per table, and billed per metric: about $7 a month for the nine tables in use. Production only; on other
    // stages a failing table still shows in the API's 5xx and the functions' errors.
    const watchedTables = prod ? TABLES.filter((def) => watchedOperations(def.key).length > 0) : [];
    for (const def of watchedTables) {
      const table = this.tables[def.key];
      const short = def.defaultName.replace(/^tyche-/, "");
      alarm(
        `${def.key}Throttles`,
        `${short}-throttles`,
        new cloudwatch.MathExpression({
          expression: "reads + writes",
          usingMetrics: {
            reads: table.metric("ReadThrottleEvents", fiveMinutes),
            writes: table.metric("WriteThrottleEvents", fiveMinutes),
          },
          period: Duration.minutes(5),
          label: `${def.defaultName} throttle events`,
        }),
        1,
        `${def.defaultName}: requests throttled (on demand, so a hot partition or the account's table limit)`,
      );
      alarm(
        `${def.key}SystemErrors`,
        `${short}-system-errors`,
        table.metricSystemErrorsForOperations({ operations: watchedOperations(def.key), ...fiveMinutes }),
        1,
        `${def.defaultName}: DynamoDB answered 500 (the SDK retries; persistent ones reach users)`,
      );
    }

    new CfnOutput(this, "ApiUrl", { value: this.httpApi.apiEndpoint, description: "The HTTP API itself" });
    new CfnOutput(this, "WebUrl", {
      value: `https://${distribution.distributionDomainName}`,
      description: "The web app, with the API under /v1 and /mcp",
    });
    new CfnOutput(this, "UserPoolId", { value: this.userPool.userPoolId });
    new CfnOutput(this, "UserPoolClientId", { value: client.userPoolClientId });
    new CfnOutput(this, "ReceiptsBucket", { value: this.receipts.bucketName });
    new CfnOutput(this, "ImportQueueUrl", { value: this.importQueue.queueUrl });
    new CfnOutput(this, "ImportFailuresUrl", {
      value: this.importFailures.queueUrl,
      description: "Import jobs given up on, kept 14 days for inspection",
    });
    new CfnOutput(this, "AlarmTopic", { value: alarms.topicArn });
  }
}
