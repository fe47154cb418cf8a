import { useMutation } from "@tanstack/react-query";
import { LoginInput, SignupInput } from "@tyche/types";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { ErrorMessage, fieldError } from "../ui/ErrorMessage";
import { InputField } from "../ui/Field";
import type { CognitoAuth } from "./AuthProvider";
import { type AuthMode, OtherForm, useAfterSignIn } from "./auth-links";
import { CognitoError, type CognitoField } from "./cognito-client";

/**
 * The forms' steps with a user pool: the e-mail and password (and name to sign up), the code the
 * pool e-mailed to confirm the address, and a forgotten password's reset (e-mail, then code and a
 * new one). A confirmed sign-up or a reset signs in at once with the password just typed.
 */
type Step = { kind: "credentials" } | { kind: "confirm" } | { kind: "forgot" } | { kind: "reset" };

const HEADINGS: Record<Step["kind"], Record<AuthMode, string>> = {
  credentials: { login: "Log in", signup: "Create your account" },
  confirm: { login: "Confirm your e-mail", signup: "Confirm your e-mail" },
  forgot: { login: "Reset your password", signup: "Reset your password" },
  reset: { login: "Choose a new password", signup: "Choose a new password" },
};

/** Cognito's longest password; its shortest is the pool's policy (config.json), 8 by Cognito's default. */
const MAX_PASSWORD = 256;

const sentTo = (destination: string | undefined) =>
  destination ? `to ${destination}` : "to your e-mail address";

export function CognitoAuthForm({
  mode,
  cognito,
  expired,
}: {
  mode: AuthMode;
  cognito: CognitoAuth;
  expired: boolean;
}) {
  const done = useAfterSignIn();
  const [step, setStep] = useState<Step>({ kind: "credentials" });
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [invalid, setInvalid] = useState<Partial<Record<CognitoField, string>>>({});
  const [notice, setNotice] = useState(
    expired && mode === "login" ? "Your session has ended. Log in again; what you were typing is kept." : "",
  );
  const heading = useRef<HTMLHeadingElement>(null);
  const minLength = cognito.passwordMinLength ?? 8;

  // Each step says what it wants in its heading; moving focus there tells a screen reader the form
  // changed. Only on a change of step: not when the form first shows (nor when StrictMode runs the
  // effect twice), where focus stays where the person put it.
  const shownStep = useRef(step.kind);
  useEffect(() => {
    if (shownStep.current === step.kind) return;
    shownStep.current = step.kind;
    heading.current?.focus();
  }, [step.kind]);

  /** One submission at a time, whatever the step: its error is shown beside the field it names. */
  const submit = useMutation({ mutationFn: (work: () => Promise<void>) => work() });
  const go = (next: Step, words = "") => {
    submit.reset();
    setInvalid({});
    setCode("");
    setNotice(words);
    setStep(next);
  };
  const signIn = async (pass: string) => {
    await cognito.logIn(email, pass);
    done();
  };

  /** Names a mistake before anything is sent, as the local forms do with the API's schema. */
  const check = (fields: CognitoField[]): boolean => {
    const problems: Partial<Record<CognitoField, string>> = {};
    for (const field of fields) {
      const problem = {
        name: () => issue(SignupInput.shape.name.safeParse(name)),
        email: () => issue(SignupInput.shape.email.safeParse(email)),
        password: () =>
          step.kind === "credentials" && mode === "login"
            ? issue(LoginInput.shape.password.safeParse(password))
            : password.length < minLength
              ? `must be at least ${minLength} characters`
              : password.length > MAX_PASSWORD
                ? `must be at most ${MAX_PASSWORD} characters`
                : undefined,
        code: () => (/^\s*\S+\s*$/.test(code) ? undefined : "must be the code from the e-mail"),
      }[field]();
      if (problem) problems[field] = problem;
    }
    setInvalid(problems);
    return Object.keys(problems).length === 0;
  };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (step.kind === "credentials" && mode === "signup") {
      if (!check(["name", "email", "password"])) return;
      submit.mutate(async () => {
        const signedUp = await cognito.client.signUp({ email, password, name });
        // A pool that confirms by itself (no code) lets the person straight in.
        if (signedUp.confirmed) return signIn(password);
        go(
          { kind: "confirm" },
          `We e-mailed a code ${sentTo(signedUp.destination)}. Enter it here to confirm your address.`,
        );
      });
    } else if (step.kind === "credentials") {
      if (!check(["email", "password"])) return;
      submit.mutate(async () => {
        try {
          await signIn(password);
        } catch (err) {
          if (!(err instanceof CognitoError && err.code === "UserNotConfirmedException")) throw err;
          go(
            { kind: "confirm" },
            "Your e-mail address is not confirmed yet. Enter the code we e-mailed you when you signed up, or ask for a new one.",
          );
        }
      });
    } else if (step.kind === "confirm") {
      if (!check(["code"])) return;
      submit.mutate(async () => {
        await cognito.client.confirmSignUp(email, code);
        await signIn(password);
      });
    } else if (step.kind === "forgot") {
      if (!check(["email"])) return;
      submit.mutate(async () => {
        const sent = await cognito.client.forgotPassword(email);
        setPassword("");
        go(
          { kind: "reset" },
          `If ${email.trim()} has an account, we e-mailed a code ${sentTo(sent.destination)}. Enter it with your new password.`,
        );
      });
    } else {
      if (!check(["code", "password"])) return;
      submit.mutate(async () => {
        await cognito.client.confirmForgotPassword(email, code, password);
        await signIn(password);
      });
    }
  };

  const resend = () =>
    submit.mutate(async () => {
      const sent = await cognito.client.resendCode(email);
      setNotice(`We e-mailed a new code ${sentTo(sent.destination)}.`);
    });

  const err = submit.error;
  const fieldMessage = (field: CognitoField) =>
    invalid[field] ??
    (err instanceof CognitoError && err.field === field ? err.message : fieldError(err, field));
  const shown: CognitoField[] =
    step.kind === "credentials"
      ? mode === "signup"
        ? ["name", "email", "password"]
        : ["email", "password"]
      : step.kind === "forgot"
        ? ["email"]
        : step.kind === "confirm"
          ? ["code"]
          : ["code", "password"];
  // An error about a field not on this step (the e-mail, on the code step) is said under the form.
  const formError = err && !shown.some((f) => fieldMessage(f)) ? err : undefined;
  const busy = submit.isPending;

  const emailField = (
    <InputField
      label="E-mail"
      error={fieldMessage("email")}
      type="email"
      autoComplete={mode === "signup" ? "email" : "username"}
      value={email}
      onChange={(e) => setEmail(e.target.value)}
      required
    />
  );
  const passwordField = (label: string, isNew: boolean) => (
    <InputField
      label={label}
      error={fieldMessage("password")}
      {...(isNew ? { hint: `At least ${minLength} characters; a passphrase is best.` } : {})}
      type="password"
      autoComplete={isNew ? "new-password" : "current-password"}
      value={password}
      onChange={(e) => setPassword(e.target.value)}
      required
    />
  );
  const codeField = (
    <InputField
      label="Code from the e-mail"
      error={fieldMessage("code")}
      inputMode="numeric"
      autoComplete="one-time-code"
      value={code}
      onChange={(e) => setCode(e.target.value)}
      required
    />
  );

  return (
    <form onSubmit={onSubmit} className="card auth-form" noValidate>
      <h2 ref={heading} tabIndex={-1}>
        {HEADINGS[step.kind][mode]}
      </h2>
      {/* Always there, so that what it comes to say is announced. */}
      <p role="status" className={notice ? "notice" : "page-status"}>
        {notice}
      </p>
      {step.kind === "credentials" && (
        <>
          {mode === "signup" && (
            <InputField
              label="Your name"
              error={fieldMessage("name")}
              autoComplete="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              required
            />
          )}
          {emailField}
          {passwordField("Password", mode === "signup")}
        </>
      )}
      {step.kind === "confirm" && codeField}
      {step.kind === "forgot" && emailField}
      {step.kind === "reset" && (
        <>
          {codeField}
          {passwordField("New password", true)}
        </>
      )}
      <ErrorMessage error={formError} />
      <button type="submit" className="primary" disabled={busy}>
        {busy
          ? "One moment…"
          : {
              credentials: mode === "login" ? "Log in" : "Sign up",
              confirm: "Confirm",
              forgot: "Send a code",
              reset: "Save the new password",
            }[step.kind]}
      </button>
      <div className="button-row">
        {step.kind === "confirm" && (
          <button type="button" onClick={resend} disabled={busy}>
            Send a new code
          </button>
        )}
        {step.kind === "credentials" && mode === "login" && (
          <button type="button" onClick={() => go({ kind: "forgot" })} disabled={busy}>
            Forgot your password?
          </button>
        )}
        {step.kind !== "credentials" && (
          <button type="button" onClick={() => go({ kind: "credentials" })} disabled={busy}>
            Back
          </button>
        )}
      </div>
      {step.kind === "credentials" && <OtherForm mode={mode} />}
    </form>
  );
}

const issue = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.success ? undefined : result.error?.issues[0]?.message;
