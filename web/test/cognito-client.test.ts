import { describe, expect, it } from "vitest";
import { CognitoClient, CognitoError, type CognitoStep } from "../src/auth/cognito-client";

/** What the client sent: where, how and the JSON body, one entry per call. */
interface Sent {
  url: string;
  method: string | undefined;
  headers: Record<string, string>;
  body: unknown;
}

/** A Cognito that answers every call with `answer` and remembers what it was sent. */
function pool(answer: () => Response | Promise<Response>, options: { endpoint?: string } = {}) {
  const sent: Sent[] = [];
  const client = new CognitoClient({
    region: "eu-west-1",
    clientId: "webclient123",
    ...options,
    fetch: async (url, init) => {
      sent.push({
        url,
        method: init.method,
        headers: init.headers as Record<string, string>,
        body: JSON.parse(String(init.body)),
      });
      return answer();
    },
  });
  return { client, sent };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/x-amz-json-1.1", ...headers },
  });
const ok =
  (body: unknown = {}) =>
  () =>
    json(200, body);
const refusal = (type: string, message: string) => () => json(400, { __type: type, message });

const TOKENS = {
  AuthenticationResult: {
    IdToken: "id.token.jwt",
    AccessToken: "access.token.jwt",
    RefreshToken: "refresh-token",
    ExpiresIn: 3600,
    TokenType: "Bearer",
  },
  ChallengeParameters: {},
};

describe("the Cognito client's requests", () => {
  it("posts each operation as JSON 1.1 to the regional endpoint, naming it in X-Amz-Target", async () => {
    const { client, sent } = pool(
      ok({ UserConfirmed: false, UserSub: "sub-1", CodeDeliveryDetails: { Destination: "a***@e***" } }),
    );
    await expect(
      client.signUp({ email: " Ann@Example.com ", password: "a long passphrase", name: " Ann " }),
    ).resolves.toEqual({ confirmed: false, destination: "a***@e***" });
    expect(sent).toEqual([
      {
        url: "https://cognito-idp.eu-west-1.amazonaws.com/",
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": "AWSCognitoIdentityProviderService.SignUp",
        },
        body: {
          ClientId: "webclient123",
          Username: "ann@example.com",
          Password: "a long passphrase",
          UserAttributes: [
            { Name: "email", Value: "ann@example.com" },
            { Name: "name", Value: "Ann" },
          ],
        },
      },
    ]);
  });

  it("sends the confirmation, a new code, a reset and a revocation with the client id and the e-mail", async () => {
    const { client, sent } = pool(ok({ CodeDeliveryDetails: { Destination: "a***@e***" } }));
    await client.confirmSignUp("ann@example.com", " 123456 ");
    await expect(client.resendCode("ann@example.com")).resolves.toEqual({ destination: "a***@e***" });
    await expect(client.forgotPassword("ann@example.com")).resolves.toEqual({ destination: "a***@e***" });
    await client.confirmForgotPassword("ann@example.com", "654321", "another long passphrase");
    await client.revoke("refresh-token");
    expect(sent.map((s) => [s.headers["x-amz-target"], s.body])).toEqual([
      [
        "AWSCognitoIdentityProviderService.ConfirmSignUp",
        { ClientId: "webclient123", Username: "ann@example.com", ConfirmationCode: "123456" },
      ],
      [
        "AWSCognitoIdentityProviderService.ResendConfirmationCode",
        { ClientId: "webclient123", Username: "ann@example.com" },
      ],
      [
        "AWSCognitoIdentityProviderService.ForgotPassword",
        { ClientId: "webclient123", Username: "ann@example.com" },
      ],
      [
        "AWSCognitoIdentityProviderService.ConfirmForgotPassword",
        {
          ClientId: "webclient123",
          Username: "ann@example.com",
          ConfirmationCode: "654321",
          Password: "another long passphrase",
        },
      ],
      ["AWSCognitoIdentityProviderService.RevokeToken", { ClientId: "webclient123", Token: "refresh-token" }],
    ]);
  });

  it("signs in with USER_PASSWORD_AUTH and refreshes with REFRESH_TOKEN_AUTH, at the endpoint it was given", async () => {
    const { client, sent } = pool(ok(TOKENS), { endpoint: "http://127.0.0.1:9229/" });
    await expect(client.signIn("Ann@example.com", "a long passphrase")).resolves.toEqual({
      idToken: "id.token.jwt",
      accessToken: "access.token.jwt",
      refreshToken: "refresh-token",
      expiresIn: 3600,
    });
    const { RefreshToken: _, ...renewed } = TOKENS.AuthenticationResult;
    const refreshed = pool(ok({ AuthenticationResult: renewed }), { endpoint: "http://127.0.0.1:9229/" });
    // A refresh gives no new refresh token: the old one stays good.
    await expect(refreshed.client.refresh("refresh-token")).resolves.toEqual({
      idToken: "id.token.jwt",
      accessToken: "access.token.jwt",
      refreshToken: undefined,
      expiresIn: 3600,
    });
    expect([...sent, ...refreshed.sent].map((s) => [s.url, s.headers["x-amz-target"], s.body])).toEqual([
      [
        "http://127.0.0.1:9229/",
        "AWSCognitoIdentityProviderService.InitiateAuth",
        {
          ClientId: "webclient123",
          AuthFlow: "USER_PASSWORD_AUTH",
          AuthParameters: { USERNAME: "ann@example.com", PASSWORD: "a long passphrase" },
        },
      ],
      [
        "http://127.0.0.1:9229/",
        "AWSCognitoIdentityProviderService.InitiateAuth",
        {
          ClientId: "webclient123",
          AuthFlow: "REFRESH_TOKEN_AUTH",
          AuthParameters: { REFRESH_TOKEN: "refresh-token" },
        },
      ],
    ]);
  });

  it("takes confirming an account confirmed already as done", async () => {
    const { client } = pool(
      refusal("NotAuthorizedException", "User cannot be confirmed. Current status is CONFIRMED"),
    );
    await expect(client.confirmSignUp("ann@example.com", "123456")).resolves.toBeUndefined();
  });
});

/** The error a call made in `step` gets for `answer`. */
async function refused(step: CognitoStep, answer: () => Response | Promise<Response>): Promise<CognitoError> {
  const { client } = pool(answer);
  const calls: Record<CognitoStep, () => Promise<unknown>> = {
    "sign-up": () => client.signUp({ email: "ann@example.com", password: "a long passphrase", name: "Ann" }),
    confirm: () => client.confirmSignUp("ann@example.com", "123456"),
    resend: () => client.resendCode("ann@example.com"),
    "sign-in": () => client.signIn("ann@example.com", "a long passphrase"),
    refresh: () => client.refresh("refresh-token"),
    forgot: () => client.forgotPassword("ann@example.com"),
    reset: () => client.confirmForgotPassword("ann@example.com", "123456", "a long passphrase"),
    revoke: () => client.revoke("refresh-token"),
  };
  const err = await calls[step]().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof CognitoError)) throw new Error(`expected a CognitoError, got ${String(err)}`);
  return err;
}

describe("the Cognito client's refusals, in words and on their field", () => {
  const cases: [CognitoStep, string, string, string | undefined, RegExp][] = [
    [
      "sign-up",
      "UsernameExistsException",
      "An account with the given email already exists.",
      "email",
      /already has an account/,
    ],
    [
      "sign-up",
      "InvalidPasswordException",
      "Password did not conform with policy: Password must have uppercase characters",
      "password",
      /^must have an upper-case letter$/,
    ],
    [
      "sign-up",
      "InvalidPasswordException",
      "Password did not conform with policy: Password not long enough",
      "password",
      /too short/,
    ],
    ["sign-up", "InvalidParameterException", "Invalid email address format.", "email", /email address/],
    [
      "sign-up",
      "NotAuthorizedException",
      "SignUp is not permitted for this user pool",
      undefined,
      /new sign-ups/,
    ],
    [
      "sign-in",
      "NotAuthorizedException",
      "Incorrect username or password.",
      "password",
      /^E-mail or password is incorrect\.$/,
    ],
    [
      "sign-in",
      "NotAuthorizedException",
      "Password attempts exceeded",
      undefined,
      /Too many wrong passwords/,
    ],
    ["sign-in", "UserNotConfirmedException", "User is not confirmed.", "email", /not confirmed yet/],
    [
      "sign-in",
      "PasswordResetRequiredException",
      "Password reset required for the user",
      "password",
      /reset/,
    ],
    ["sign-in", "UserNotFoundException", "User does not exist.", "email", /no account/],
    [
      "confirm",
      "CodeMismatchException",
      "Invalid verification code provided, please try again.",
      "code",
      /not the code we sent/,
    ],
    [
      "confirm",
      "ExpiredCodeException",
      "Invalid code provided, please request a code again.",
      "code",
      /expired/,
    ],
    ["confirm", "TooManyFailedAttemptsException", "Too many failed attempts.", "code", /too many times/],
    ["confirm", "UnexpectedLambdaException", "PostConfirmation failed", undefined, /could not be set up/],
    ["refresh", "NotAuthorizedException", "Refresh Token has expired", undefined, /session has ended/],
    [
      "resend",
      "LimitExceededException",
      "Attempt limit exceeded, please try after some time.",
      undefined,
      /Too many tries/,
    ],
    ["forgot", "CodeDeliveryFailureException", "Unable to deliver", undefined, /could not be sent/],
    [
      "reset",
      "InvalidPasswordException",
      "Password did not conform with policy: Password must have numeric characters",
      "password",
      /digit/,
    ],
    [
      "sign-in",
      "ResourceNotFoundException",
      "User pool client abc does not exist.",
      undefined,
      /not set up right/,
    ],
    [
      "sign-in",
      "SomethingNewException",
      "A thing Cognito added later",
      undefined,
      /^Logging in failed \(SomethingNewException\): A thing/,
    ],
  ];
  it.each(cases)("%s: %s (%s)", async (step, type, message, field, words) => {
    const err = await refused(step, refusal(type, message));
    expect(err.code).toBe(type);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(words);
    expect(err.cognitoMessage).toBe(message);
  });

  it("reads the type from x-amzn-errortype or a namespaced __type, as the AWS SDKs do", async () => {
    const header = await refused("confirm", () =>
      json(
        400,
        { message: "Invalid verification code provided, please try again." },
        {
          "x-amzn-errortype":
            "CodeMismatchException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
        },
      ),
    );
    expect([header.code, header.field]).toEqual(["CodeMismatchException", "code"]);
    const namespaced = await refused(
      "sign-in",
      refusal(
        "com.amazonaws.cognito.identity.idp.model#NotAuthorizedException",
        "Incorrect username or password.",
      ),
    );
    expect([namespaced.code, namespaced.field]).toEqual(["NotAuthorizedException", "password"]);
  });

  it("says when the pool cannot be reached or answers what is not JSON", async () => {
    const offline = await refused("sign-in", () => Promise.reject(new TypeError("Failed to fetch")));
    expect([offline.code, offline.field, offline.message]).toEqual([
      "NetworkError",
      undefined,
      "The sign-in service could not be reached. Check your connection and try again.",
    ]);
    const broken = await refused("sign-in", () => new Response("<html>Bad gateway</html>", { status: 502 }));
    expect(broken.code).toBe("InternalErrorException");
    expect(broken.message).toMatch(/had a problem/);
  });

  it("refuses a sign-in that asks for a step the app does not offer (a challenge)", async () => {
    const err = await refused("sign-in", ok({ ChallengeName: "NEW_PASSWORD_REQUIRED", Session: "s" }));
    expect(err.code).toBe("ChallengeRequired");
    expect(err.message).toMatch(/NEW_PASSWORD_REQUIRED/);
  });
});
