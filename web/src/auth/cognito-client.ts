import { z } from "zod";

/**
 * Amazon Cognito's user-pool API as the browser calls it, without the AWS SDK: each operation is a
 * JSON POST to the pool's regional endpoint naming itself in `X-Amz-Target`. Sign-up, confirmation,
 * password sign-in, refresh, password reset and revocation need no AWS signature (the app client
 * has no secret), so this is plain `fetch`. Refusals come back as `CognitoError`, in words for the
 * form and naming the field they are about.
 */

export type CognitoField = "email" | "password" | "code" | "name";

/** What the form is doing when Cognito refuses: the same refusal means different things in each. */
export type CognitoStep =
  | "sign-up"
  | "confirm"
  | "resend"
  | "sign-in"
  | "refresh"
  | "forgot"
  | "reset"
  | "revoke";

export class CognitoError extends Error {
  constructor(
    /** Cognito's error type (`NotAuthorizedException`), or `NetworkError` when it was not reached. */
    readonly code: string,
    /** What to tell the person. */
    message: string,
    /** The form field the refusal is about, if it is about one. */
    readonly field?: CognitoField,
    /** Cognito's own message, for the console and the curious. */
    readonly cognitoMessage?: string,
  ) {
    super(message);
    this.name = "CognitoError";
  }
}

export interface CognitoTokens {
  /** The token the API is called with: it carries `custom:tenantId` (the access token does not). */
  idToken: string;
  accessToken: string;
  /** Given at sign-in; a refresh gives none (unless the pool rotates them), and the old one stays good. */
  refreshToken: string | undefined;
  /** Seconds the ID and access tokens live from now (3600 for this stack's app client). */
  expiresIn: number;
}

/** Where a code was sent, masked by Cognito (`a***@e***`), for saying "we e-mailed a code to …". */
export interface CodeDelivery {
  destination: string | undefined;
}

export interface CognitoClientOptions {
  region: string;
  clientId: string;
  /** Defaults to `https://cognito-idp.<region>.amazonaws.com/`. */
  endpoint?: string | undefined;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

type Operation =
  | "SignUp"
  | "ConfirmSignUp"
  | "ResendConfirmationCode"
  | "InitiateAuth"
  | "ForgotPassword"
  | "ConfirmForgotPassword"
  | "RevokeToken";

const Delivery = z.object({
  CodeDeliveryDetails: z.object({ Destination: z.string().optional() }).optional(),
});
const SignUpAnswer = Delivery.extend({
  UserConfirmed: z.boolean().optional(),
  UserSub: z.string().optional(),
});
const AuthAnswer = z.object({
  AuthenticationResult: z
    .object({
      IdToken: z.string(),
      AccessToken: z.string(),
      RefreshToken: z.string().optional(),
      ExpiresIn: z.number().int().positive(),
    })
    .optional(),
  ChallengeName: z.string().optional(),
});

/** Email is the pool's user name (sign-in by e-mail), compared as the API compares it. */
const username = (email: string) => email.trim().toLowerCase();

export class CognitoClient {
  readonly endpoint: string;
  private readonly clientId: string;
  private readonly send: (url: string, init: RequestInit) => Promise<Response>;

  constructor(options: CognitoClientOptions) {
    this.endpoint = options.endpoint ?? `https://cognito-idp.${options.region}.amazonaws.com/`;
    this.clientId = options.clientId;
    // Bound late: `window.fetch` called as a method of something else throws "Illegal invocation".
    this.send = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** Registers the person; the pool e-mails them a code to confirm with (`confirmSignUp`). */
  async signUp(input: {
    email: string;
    password: string;
    name: string;
  }): Promise<CodeDelivery & { confirmed: boolean }> {
    const answer = SignUpAnswer.parse(
      await this.call("sign-up", "SignUp", {
        ClientId: this.clientId,
        Username: username(input.email),
        Password: input.password,
        UserAttributes: [
          { Name: "email", Value: username(input.email) },
          { Name: "name", Value: input.name.trim() },
        ],
      }),
    );
    return { confirmed: answer.UserConfirmed === true, destination: answer.CodeDeliveryDetails?.Destination };
  }

  /**
   * Confirms the sign-up with the e-mailed code; the pool's post-confirmation trigger then founds the
   * person's tenant. Confirming twice (a second tab, a double click) is no failure.
   */
  async confirmSignUp(email: string, code: string): Promise<void> {
    try {
      await this.call("confirm", "ConfirmSignUp", {
        ClientId: this.clientId,
        Username: username(email),
        ConfirmationCode: code.trim(),
      });
    } catch (err) {
      if (err instanceof CognitoError && /current status is confirmed/i.test(err.cognitoMessage ?? ""))
        return;
      throw err;
    }
  }

  async resendCode(email: string): Promise<CodeDelivery> {
    const answer = Delivery.parse(
      await this.call("resend", "ResendConfirmationCode", {
        ClientId: this.clientId,
        Username: username(email),
      }),
    );
    return { destination: answer.CodeDeliveryDetails?.Destination };
  }

  /** USER_PASSWORD_AUTH: the password goes to Cognito over TLS, as it would to Tyche's own login. */
  async signIn(email: string, password: string): Promise<CognitoTokens & { refreshToken: string }> {
    const tokens = await this.initiateAuth("sign-in", "USER_PASSWORD_AUTH", {
      USERNAME: username(email),
      PASSWORD: password,
    });
    if (!tokens.refreshToken) throw unexpected("sign-in", "Cognito gave no refresh token");
    return { ...tokens, refreshToken: tokens.refreshToken };
  }

  /** New ID and access tokens for a refresh token; `NotAuthorizedException` once it has expired or been revoked. */
  refresh(refreshToken: string): Promise<CognitoTokens> {
    return this.initiateAuth("refresh", "REFRESH_TOKEN_AUTH", { REFRESH_TOKEN: refreshToken });
  }

  /** E-mails a code for choosing a new password (`confirmForgotPassword`). */
  async forgotPassword(email: string): Promise<CodeDelivery> {
    const answer = Delivery.parse(
      await this.call("forgot", "ForgotPassword", { ClientId: this.clientId, Username: username(email) }),
    );
    return { destination: answer.CodeDeliveryDetails?.Destination };
  }

  async confirmForgotPassword(email: string, code: string, password: string): Promise<void> {
    await this.call("reset", "ConfirmForgotPassword", {
      ClientId: this.clientId,
      Username: username(email),
      ConfirmationCode: code.trim(),
      Password: password,
    });
  }

  /**
   * Ends this browser's session at the pool: the refresh token (and the access tokens it gave) stop
   * working. The person's other devices keep theirs, which GlobalSignOut would end too. ID tokens
   * already issued stay valid until they expire (an hour at most): JWTs are checked by signature.
   */
  async revoke(refreshToken: string): Promise<void> {
    await this.call("revoke", "RevokeToken", { ClientId: this.clientId, Token: refreshToken });
  }

  private async initiateAuth(
    step: CognitoStep,
    flow: "USER_PASSWORD_AUTH" | "REFRESH_TOKEN_AUTH",
    parameters: Record<string, string>,
  ): Promise<CognitoTokens> {
    const answer = AuthAnswer.parse(
      await this.call(step, "InitiateAuth", {
        ClientId: this.clientId,
        AuthFlow: flow,
        AuthParameters: parameters,
      }),
    );
    const result = answer.AuthenticationResult;
    if (!result) {
      // A new password chosen by an administrator's invitation, MFA, ...: steps this app does not offer.
      throw new CognitoError(
        "ChallengeRequired",
        `This account needs a further step to sign in (${answer.ChallengeName ?? "a challenge"}) that Tyche does not offer. Use "Forgot your password?" or ask whoever runs this Tyche.`,
      );
    }
    return {
      idToken: result.IdToken,
      accessToken: result.AccessToken,
      refreshToken: result.RefreshToken,
      expiresIn: result.ExpiresIn,
    };
  }

  private async call(step: CognitoStep, operation: Operation, body: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await this.send(this.endpoint, {
        method: "POST",
        headers: {
          "content-type": "application/x-amz-json-1.1",
          "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
        },
        body: JSON.stringify(body),
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === "AbortError") throw err;
      throw new CognitoError(
        "NetworkError",
        "The sign-in service could not be reached. Check your connection and try again.",
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = undefined;
    }
    if (res.ok) {
      if (json === undefined)
        throw unexpected(step, `Cognito answered ${res.status} with something that is not JSON`);
      return json;
    }
    const { code, message } = errorOf(res, json);
    const words = describeCognitoError(step, code, message);
    throw new CognitoError(code, words.message, words.field, message);
  }
}

const unexpected = (step: CognitoStep, message: string) =>
  new CognitoError("UnexpectedAnswer", `${failed(step)}: ${message}. Try again.`, undefined, message);

/**
 * Cognito's error type and message, as the AWS SDKs read them: the type from `x-amzn-errortype`
 * or the body's `__type` (`code` in some answers), stripped of a namespace (`...#Type`) and of
 * anything after a colon.
 */
function errorOf(res: Response, json: unknown): { code: string; message: string } {
  const body = json && typeof json === "object" ? (json as Record<string, unknown>) : {};
  const raw = res.headers.get("x-amzn-errortype") ?? body.__type ?? body.code;
  const code =
    typeof raw === "string" && raw ? ((raw.split(/[,:]/)[0] ?? raw).split("#").at(-1) ?? raw) : undefined;
  const message = body.message ?? body.Message;
  return {
    code: code || (res.status >= 500 ? "InternalErrorException" : `HTTP${res.status}`),
    message: typeof message === "string" ? message : "",
  };
}

const failed = (step: CognitoStep) =>
  ({
    "sign-up": "Signing up failed",
    confirm: "Confirming the code failed",
    resend: "Sending a new code failed",
    "sign-in": "Logging in failed",
    refresh: "Renewing your session failed",
    forgot: "Sending a reset code failed",
    reset: "Choosing a new password failed",
    revoke: "Logging out at the sign-in service failed",
  })[step];

/** Cognito's password-policy messages ("Password did not conform with policy: ...") in the form's words. */
function passwordWords(message: string): string {
  const rule = message.replace(/^.*conform with policy:\s*/i, "");
  if (/not long enough/i.test(rule)) return "is too short for this sign-in service";
  if (/uppercase/i.test(rule)) return "must have an upper-case letter";
  if (/lowercase/i.test(rule)) return "must have a lower-case letter";
  if (/numeric/i.test(rule)) return "must have a digit";
  if (/symbol/i.test(rule)) return "must have a symbol such as ! or %";
  if (/previous|history|same as/i.test(rule)) return "must not be one you have used before";
  if (/compromised|breach/i.test(rule)) return "has appeared in a data breach; choose another";
  return rule ? `is not accepted: ${rule}` : "is not accepted by the sign-in service";
}

/**
 * A refusal in words for the person, and the field it is about. With this stack's app client
 * (`preventUserExistenceErrors`), a wrong password and an unknown e-mail are one and the same
 * NotAuthorizedException, so the words do not say which.
 */
export function describeCognitoError(
  step: CognitoStep,
  code: string,
  message: string,
): { message: string; field?: CognitoField } {
  switch (code) {
    case "UsernameExistsException":
      return { field: "email", message: "already has an account. Log in instead, or reset its password." };
    case "AliasExistsException":
      return { field: "email", message: "is already used by another account." };
    case "InvalidPasswordException":
      return { field: "password", message: passwordWords(message) };
    case "UserNotFoundException":
      return { field: "email", message: "has no account here. Check it, or sign up." };
    case "UserNotConfirmedException":
      return {
        field: "email",
        message: "is not confirmed yet. Enter the code we e-mailed you when you signed up.",
      };
    case "PasswordResetRequiredException":
      return {
        field: "password",
        message: 'must be reset before you can log in: use "Forgot your password?".',
      };
    case "CodeMismatchException":
      return { field: "code", message: "is not the code we sent. Check the e-mail and type it again." };
    case "ExpiredCodeException":
      return { field: "code", message: "has expired. Ask for a new one." };
    case "NotAuthorizedException":
      if (step === "refresh") return { message: "Your session has ended. Log in again." };
      if (/attempts exceeded/i.test(message))
        return { message: "Too many wrong passwords. Wait a few minutes, then try again." };
      if (/sign ?up is not permitted/i.test(message))
        return { message: "This Tyche does not take new sign-ups." };
      if (step === "sign-in") return { field: "password", message: "E-mail or password is incorrect." };
      if (step === "forgot" || step === "reset")
        return { message: "The password of this account cannot be reset just now." };
      return { message: `${failed(step)}: ${message || "not allowed"}.` };
    case "InvalidParameterException":
      if (/flow.*not enabled/i.test(message))
        return {
          message: "This sign-in service does not allow password sign-in for the app (USER_PASSWORD_AUTH).",
        };
      if (/no registered\/verified email|verified email/i.test(message))
        return {
          field: "email",
          message: "was never confirmed, so no reset code can be sent to it. Sign up again or ask for help.",
        };
      if (/'?password'?/i.test(message))
        return { field: "password", message: "must not begin or end with a space." };
      if (/email|username/i.test(message)) return { field: "email", message: "must be an email address" };
      return { message: `${failed(step)}: ${message || "the sign-in service refused the request"}.` };
    case "LimitExceededException":
      return { message: "Too many tries for now. Wait a while (it can be up to an hour), then try again." };
    case "TooManyRequestsException":
      return { message: "Too many requests just now. Wait a moment and try again." };
    case "TooManyFailedAttemptsException":
      return { field: "code", message: "was wrong too many times. Wait a while, then ask for a new code." };
    case "CodeDeliveryFailureException":
      return { message: "The e-mail with your code could not be sent. Try again later." };
    case "UserLambdaValidationException":
    case "UnexpectedLambdaException":
    case "InvalidLambdaResponseException":
      return {
        message: `${failed(step)}: your account could not be set up just now. Try again in a minute.`,
      };
    case "ResourceNotFoundException":
    case "InvalidUserPoolConfigurationException":
      return {
        message: `${failed(step)}: this Tyche's sign-in is not set up right (config.json names a user pool or app client that the sign-in service does not know).`,
      };
    case "ForbiddenException":
      return { message: `${failed(step)}: the sign-in service refused the request.` };
    case "InternalErrorException":
      return { message: `${failed(step)}: the sign-in service had a problem. Try again.` };
    default:
      return { message: `${failed(step)} (${code})${message ? `: ${message}` : ""}.` };
  }
}
