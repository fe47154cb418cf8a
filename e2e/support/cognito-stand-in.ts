import { randomInt, randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { PostConfirmationTriggerEvent } from "aws-lambda";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import { createSignupTrigger } from "../../services/api/src/auth/cognito-signup";
import { createDocumentClient, createDynamoClient } from "../../services/api/src/db/client";
import { tableNames } from "../../services/api/src/db/tables";
import { freePort } from "../../services/api/src/local/dynamodb-local";
import { createCognitoProvisioner } from "../../services/api/src/services";

/**
 * A small stand-in for a Cognito user pool's API, for the browser test: the operations the web app
 * calls (SignUp, ConfirmSignUp, ResendConfirmationCode, InitiateAuth with USER_PASSWORD_AUTH and
 * REFRESH_TOKEN_AUTH, ForgotPassword, ConfirmForgotPassword, RevokeToken) over an in-memory user
 * list, answering as Cognito does (JSON 1.1, `__type` errors, CORS for a browser on another
 * origin) with the stack's app-client settings (`preventUserExistenceErrors`). ID tokens are RS256
 * JWTs with the real pool's issuer; `custom:tenantId` comes, as on AWS, from running the API's own
 * post-confirmation trigger at ConfirmSignUp, on the test's DynamoDB Local. Codes are not e-mailed:
 * the test reads them with `codeFor`.
 */
export interface CognitoStandIn {
  /** `http://127.0.0.1:<port>/`, what config.json's `endpoint` says. */
  endpoint: string;
  region: string;
  userPoolId: string;
  clientId: string;
  /** The public key set, written to `jwksFile` for the API (COGNITO_JWKS_FILE). */
  jwksFile: string;
  /**
   * How long tokens issued from now on live: `actual` in their `exp`, `reported` in ExpiresIn.
   * Short ones test renewal; a `reported` longer than `actual` is a token the API refuses before
   * the browser expects (clocks that disagree), which only a 401 reveals.
   */
  lifetime: { actualSeconds: number; reportedSeconds: number };
  /** The code last "e-mailed" to this address (sign-up, a new code or a password reset). */
  codeFor(email: string): string | undefined;
  /** The user as the pool keeps them: their attributes, `custom:tenantId` included. */
  user(email: string): { sub: string; status: string; attributes: Record<string, string> } | undefined;
  /** Every operation asked for, in order (`InitiateAuth:REFRESH_TOKEN_AUTH` for the auth flows). */
  calls: string[];
  /** Revokes every refresh token of this user, as an administrator's global sign-out would. */
  revokeAll(email: string): void;
  close(): Promise<void>;
}

interface PoolUser {
  sub: string;
  email: string;
  password: string;
  status: "UNCONFIRMED" | "CONFIRMED";
  attributes: Record<string, string>;
  code?: string;
  resetCode?: string;
}

class Refusal extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

const str = (body: Record<string, unknown>, key: string): string => {
  const value = body[key];
  if (typeof value !== "string" || value === "")
    throw new Refusal(
      "InvalidParameterException",
      `1 validation error detected: Value at '${key}' failed to satisfy constraint: Member must not be null`,
    );
  return value;
};

/** This stack's pool: at least 12 characters (tyche-stack.ts's passwordPolicy), no other rule here. */
const MIN_PASSWORD = 12;
const checkPassword = (password: string) => {
  if (password.length < MIN_PASSWORD)
    throw new Refusal(
      "InvalidPasswordException",
      "Password did not conform with policy: Password not long enough",
    );
};
const mask = (email: string) => `${email[0]}***@${email.split("@")[1]?.[0] ?? ""}***`;
const newCode = () => String(randomInt(100_000, 1_000_000));

export async function startCognitoStandIn(opts: {
  dynamoEndpoint: string;
  region?: string;
  userPoolId?: string;
  clientId?: string;
}): Promise<CognitoStandIn> {
  const region = opts.region ?? "us-east-1";
  const userPoolId = opts.userPoolId ?? `${region}_StandIn1`;
  const clientId = opts.clientId ?? "standinwebclient";
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
  const keys = await generateKeyPair("RS256");
  const jwk: JWK = { ...(await exportJWK(keys.publicKey)), kid: "stand-in-key", alg: "RS256", use: "sig" };
  const dir = await mkdtemp(join(tmpdir(), "tyche-cognito-"));
  const jwksFile = join(dir, "jwks.json");
  await writeFile(jwksFile, JSON.stringify({ keys: [jwk] }));

  const dynamo = createDynamoClient({ endpoint: opts.dynamoEndpoint });
  const users = new Map<string, PoolUser>();
  const refreshTokens = new Map<string, string>();
  const calls: string[] = [];
  let lifetime = { actualSeconds: 3600, reportedSeconds: 3600 };
  // The API's own trigger, as signup-trigger-lambda.ts builds it, with the attribute set here.
  const trigger = createSignupTrigger({
    provisioner: createCognitoProvisioner({ db: createDocumentClient(dynamo), tables: tableNames({}) }),
    setTenant: async (_pool, userName, tenantId) => {
      const user = [...users.values()].find((u) => u.sub === userName);
      if (!user) throw new Error(`no user ${userName}`);
      user.attributes["custom:tenantId"] = tenantId;
    },
  });
  const runTrigger = async (user: PoolUser, source: PostConfirmationTriggerEvent["triggerSource"]) => {
    const event = {
      version: "1",
      region,
      userPoolId,
      userName: user.sub,
      callerContext: { awsSdkVersion: "aws-sdk-unknown-unknown", clientId },
      triggerSource: source,
      request: {
        userAttributes: { ...user.attributes, "cognito:user_status": "CONFIRMED", email_verified: "true" },
      },
      response: {},
    } as PostConfirmationTriggerEvent;
    try {
      await trigger(event);
    } catch (err) {
      throw new Refusal("UnexpectedLambdaException", `PostConfirmation failed with error ${String(err)}.`);
    }
  };

  const issue = async (user: PoolUser, withRefresh: boolean) => {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + lifetime.actualSeconds;
    const jti = randomUUID();
    const idToken = await new SignJWT({
      ...user.attributes,
      email_verified: true,
      "cognito:username": user.sub,
      aud: clientId,
      token_use: "id",
      auth_time: now,
      jti,
    })
      .setProtectedHeader({ alg: "RS256", kid: "stand-in-key" })
      .setSubject(user.sub)
      .setIssuer(issuer)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(keys.privateKey);
    const accessToken = await new SignJWT({
      client_id: clientId,
      token_use: "access",
      scope: "aws.cognito.signin.user.admin",
      username: user.sub,
    })
      .setProtectedHeader({ alg: "RS256", kid: "stand-in-key" })
      .setSubject(user.sub)
      .setIssuer(issuer)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(keys.privateKey);
    let refreshToken: string | undefined;
    if (withRefresh) {
      refreshToken = `standin-refresh-${randomUUID()}`;
      refreshTokens.set(refreshToken, user.email);
    }
    return {
      AuthenticationResult: {
        IdToken: idToken,
        AccessToken: accessToken,
        ...(refreshToken ? { RefreshToken: refreshToken } : {}),
        ExpiresIn: lifetime.reportedSeconds,
        TokenType: "Bearer",
      },
      ChallengeParameters: {},
    };
  };

  const delivery = (email: string) => ({
    CodeDeliveryDetails: { Destination: mask(email), DeliveryMedium: "EMAIL", AttributeName: "email" },
  });

  const operations: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    async SignUp(body) {
      const email = str(body, "Username");
      const password = str(body, "Password");
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email))
        throw new Refusal("InvalidParameterException", "Invalid email address format.");
      checkPassword(password);
      if (users.has(email))
        throw new Refusal("UsernameExistsException", "An account with the given email already exists.");
      const attributes: Record<string, string> = {};
      for (const a of (body.UserAttributes ?? []) as { Name: string; Value: string }[])
        attributes[a.Name] = a.Value;
      // The app client may not write custom:tenantId (tyche-stack.ts's writeAttributes).
      if ("custom:tenantId" in attributes)
        throw new Refusal("NotAuthorizedException", "A client attempted to write unauthorized attribute");
      const sub = randomUUID();
      users.set(email, {
        sub,
        email,
        password,
        status: "UNCONFIRMED",
        attributes: { ...attributes, sub, email },
        code: newCode(),
      });
      return { UserConfirmed: false, UserSub: sub, ...delivery(email) };
    },
    async ConfirmSignUp(body) {
      const user = users.get(str(body, "Username"));
      const code = str(body, "ConfirmationCode");
      // preventUserExistenceErrors: an unknown user is a wrong code.
      if (!user)
        throw new Refusal("CodeMismatchException", "Invalid verification code provided, please try again.");
      if (user.status === "CONFIRMED")
        throw new Refusal("NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED");
      if (code !== user.code)
        throw new Refusal("CodeMismatchException", "Invalid verification code provided, please try again.");
      user.status = "CONFIRMED";
      delete user.code;
      await runTrigger(user, "PostConfirmation_ConfirmSignUp");
      return {};
    },
    async ResendConfirmationCode(body) {
      const email = str(body, "Username");
      const user = users.get(email);
      if (user?.status === "UNCONFIRMED") user.code = newCode();
      return delivery(email);
    },
    async InitiateAuth(body) {
      const flow = str(body, "AuthFlow");
      const params = (body.AuthParameters ?? {}) as Record<string, string>;
      calls[calls.length - 1] = `InitiateAuth:${flow}`;
      if (flow === "USER_PASSWORD_AUTH") {
        const user = users.get(params.USERNAME ?? "");
        if (!user || user.password !== params.PASSWORD)
          throw new Refusal("NotAuthorizedException", "Incorrect username or password.");
        if (user.status !== "CONFIRMED")
          throw new Refusal("UserNotConfirmedException", "User is not confirmed.");
        return issue(user, true);
      }
      if (flow === "REFRESH_TOKEN_AUTH") {
        const email = refreshTokens.get(params.REFRESH_TOKEN ?? "");
        const user = email ? users.get(email) : undefined;
        if (!user) throw new Refusal("NotAuthorizedException", "Invalid Refresh Token");
        return issue(user, false);
      }
      throw new Refusal("InvalidParameterException", `Auth flow ${flow} is not enabled for this client.`);
    },
    async ForgotPassword(body) {
      const email = str(body, "Username");
      const user = users.get(email);
      if (user?.status === "CONFIRMED") user.resetCode = newCode();
      return delivery(email);
    },
    async ConfirmForgotPassword(body) {
      const user = users.get(str(body, "Username"));
      const code = str(body, "ConfirmationCode");
      const password = str(body, "Password");
      if (!user?.resetCode || code !== user.resetCode)
        throw new Refusal("CodeMismatchException", "Invalid verification code provided, please try again.");
      checkPassword(password);
      user.password = password;
      delete user.resetCode;
      // Cognito runs the post-confirmation trigger after a reset too; Tyche's ignores it.
      await runTrigger(user, "PostConfirmation_ConfirmForgotPassword");
      return {};
    },
    async RevokeToken(body) {
      refreshTokens.delete(str(body, "Token"));
      return {};
    },
  };

  const cors = {
    "access-control-allow-origin": "*",
    "access-control-expose-headers": "x-amzn-errortype, x-amzn-requestid",
  };
  const answer = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { "content-type": "application/x-amz-json-1.1", ...cors, ...headers });
    res.end(JSON.stringify(body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        ...cors,
        "access-control-allow-methods": "POST",
        "access-control-allow-headers": "content-type, x-amz-target, x-amz-user-agent",
        "access-control-max-age": "600",
      });
      return res.end();
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const target = /^AWSCognitoIdentityProviderService\.(\w+)$/.exec(
      String(req.headers["x-amz-target"] ?? ""),
    );
    const operation = target?.[1] ? operations[target[1]] : undefined;
    // As strict as the real endpoint about how it is called: the unit tests check the client's
    // shapes against a fake; this checks them against something that refuses the wrong ones.
    if (req.method !== "POST" || req.headers["content-type"] !== "application/x-amz-json-1.1" || !operation) {
      return answer(res, 400, { __type: "UnknownOperationException", message: "Unknown operation" });
    }
    calls.push(target?.[1] ?? "");
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      if (body.ClientId !== clientId)
        throw new Refusal(
          "ResourceNotFoundException",
          `User pool client ${String(body.ClientId)} does not exist.`,
        );
      answer(res, 200, await operation(body));
    } catch (err) {
      if (err instanceof Refusal)
        answer(res, 400, { __type: err.type, message: err.message }, { "x-amzn-errortype": `${err.type}:` });
      else answer(res, 500, { __type: "InternalErrorException", message: String(err) });
    }
  };

  const port = await freePort();
  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });

  return {
    endpoint: `http://127.0.0.1:${port}/`,
    region,
    userPoolId,
    clientId,
    jwksFile,
    get lifetime() {
      return lifetime;
    },
    set lifetime(next) {
      lifetime = { ...next };
    },
    calls,
    codeFor: (email) => {
      const user = users.get(email.toLowerCase());
      return user?.code ?? user?.resetCode;
    },
    user: (email) => {
      const user = users.get(email.toLowerCase());
      return user && { sub: user.sub, status: user.status, attributes: { ...user.attributes } };
    },
    revokeAll: (email) => {
      for (const [token, owner] of refreshTokens)
        if (owner === email.toLowerCase()) refreshTokens.delete(token);
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // The browser keeps connections alive; they must not hold the close up.
      server.closeAllConnections();
      await closed;
      dynamo.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
