import { useMutation } from "@tanstack/react-query";
import { type AuthResponse, LoginInput, SignupInput } from "@tyche/types";
import { type FormEvent, useState } from "react";
import type { z } from "zod";
import { api } from "../api/client";
import { ErrorMessage, fieldError } from "../ui/ErrorMessage";
import { InputField } from "../ui/Field";
import { useAuth } from "./AuthProvider";
import { type AuthMode, OtherForm, useAfterSignIn } from "./auth-links";
import { CognitoAuthForm } from "./CognitoAuthForm";

/** Log in or sign up, with local accounts or the user pool config.json names; afterwards back to where the user was. */
export function AuthPage({ mode }: { mode: AuthMode }) {
  const auth = useAuth();
  return (
    <main className="auth-page" id="main">
      <h1>Tyche</h1>
      <p className="tagline">Budget for real, and get out of credit-card debt.</p>
      {auth.cognito ? (
        // Keyed: going from log in to sign up starts the steps afresh.
        <CognitoAuthForm key={mode} mode={mode} cognito={auth.cognito} expired={auth.expired} />
      ) : (
        <LocalAuthForm mode={mode} />
      )}
    </main>
  );
}

/** Local accounts: the API's own sign-up and login. */
function LocalAuthForm({ mode }: { mode: AuthMode }) {
  const auth = useAuth();
  const done = useAfterSignIn();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const submit = useMutation({
    mutationFn: () =>
      api.send<z.infer<typeof AuthResponse>>(
        "POST",
        mode === "login" ? "/v1/auth/login" : "/v1/auth/signup",
        mode === "login" ? { email, password } : { email, password, name },
      ),
    onSuccess: (session) => {
      auth.signIn(session);
      done();
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    // The API's own schema, checked here first so a mistake is named before anything is sent.
    const checked = (mode === "login" ? LoginInput : SignupInput).safeParse(
      mode === "login" ? { email, password } : { email, password, name },
    );
    const problems: Record<string, string> = {};
    if (!checked.success) for (const i of checked.error.issues) problems[i.path.join(".")] ??= i.message;
    setInvalid(problems);
    if (checked.success) submit.mutate();
  };
  const err = submit.error;
  const message = (path: string) => invalid[path] ?? fieldError(err, path);
  return (
    <form onSubmit={onSubmit} className="card auth-form" noValidate>
      <h2>{mode === "login" ? "Log in" : "Create your account"}</h2>
      {auth.expired && mode === "login" && (
        <p role="status" className="notice">
          Your session has ended. Log in again; what you were typing is kept.
        </p>
      )}
      {mode === "signup" && (
        <InputField
          label="Your name"
          error={message("name")}
          autoComplete="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
        />
      )}
      <InputField
        label="E-mail"
        error={message("email")}
        type="email"
        autoComplete="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        required
      />
      <InputField
        label="Password"
        error={message("password")}
        {...(mode === "signup" ? { hint: "At least 10 characters; a passphrase is best." } : {})}
        type="password"
        autoComplete={mode === "login" ? "current-password" : "new-password"}
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required
      />
      <ErrorMessage
        error={err && !fieldError(err, "email") && !fieldError(err, "password") ? err : undefined}
      />
      <button type="submit" className="primary" disabled={submit.isPending}>
        {submit.isPending ? "One moment…" : mode === "login" ? "Log in" : "Sign up"}
      </button>
      <OtherForm mode={mode} />
    </form>
  );
}
