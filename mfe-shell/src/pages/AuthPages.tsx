import { useEffect, useState } from "react";
import * as api from "../api";
import { Link } from "../Link";
import { noticeIn, safeNext, signInPageWith } from "../routes";
import { AuthCard, errorsFor, Field, FormError, type FormErrors, formValues, messageFor, NO_ERRORS, PASSWORD_HINT, PASSWORD_MIN_LENGTH } from "./Form";

/**
 * Signs in and loads `next` anew, so that the gateway renders this user's import map; that
 * page restores the session from the cookies the sign-in set. This page keeps no session of
 * its own meanwhile, so nothing starts on it (a redirect, the account's name) only to be cut
 * off by the navigation.
 */
async function signInAndEnter(email: string, password: string, next: string): Promise<void> {
  await api.signIn(email, password);
  location.assign(next);
}

export function SignIn({ search }: { search: string }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const notice = noticeIn(search);
  return (
    <AuthCard title="Sign in">
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form
        onSubmit={async (event) => {
          const { email, password } = formValues(event);
          setBusy(true);
          setError(null);
          try {
            await signInAndEnter(email, password, safeNext(search));
          } catch (reason) {
            setError(messageFor(reason));
            setBusy(false);
          }
        }}
      >
        <Field label="E-mail" name="email" type="email" autoComplete="username" />
        <Field label="Password" name="password" type="password" autoComplete="current-password" />
        <FormError error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
      <p>
        <Link href="/forgot-password">Forgot your password?</Link>
      </p>
      <p>
        New here? <Link href="/register">Create an account</Link>
      </p>
    </AuthCard>
  );
}

const SIGN_UP_FIELDS = ["full_name", "email", "password"] as const;

export function SignUp() {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  return (
    <AuthCard title="Create an account">
      <form
        onSubmit={async (event) => {
          const { email, password, full_name } = formValues(event);
          setBusy(true);
          setErrors(NO_ERRORS);
          try {
            await api.register(email, password, full_name);
            await signInAndEnter(email, password, "/");
          } catch (reason) {
            setErrors(errorsFor(reason, SIGN_UP_FIELDS));
            setBusy(false);
          }
        }}
      >
        <Field label="Full name" name="full_name" autoComplete="name" required={false} error={errors.fields.full_name} />
        <Field label="E-mail" name="email" type="email" autoComplete="email" error={errors.fields.email} />
        <Field label="Password" name="password" type="password" autoComplete="new-password" minLength={PASSWORD_MIN_LENGTH} hint={PASSWORD_HINT} error={errors.fields.password} />
        <FormError error={errors.form} />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Creating…" : "Create account"}
        </button>
      </form>
      <p>
        Already have an account? <Link href="/login">Sign in</Link>
      </p>
    </AuthCard>
  );
}

export function ForgotPassword() {
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <AuthCard title="Reset your password">
      {sent ? (
        <p role="status">If an account exists for that address, we have sent it a link to choose a new password.</p>
      ) : (
        <form
          onSubmit={async (event) => {
            const { email } = formValues(event);
            setError(null);
            try {
              await api.forgotPassword(email);
              setSent(true);
            } catch (reason) {
              setError(messageFor(reason));
            }
          }}
        >
          <Field label="E-mail" name="email" type="email" autoComplete="email" />
          <FormError error={error} />
          <button type="submit" className="primary">
            Send reset link
          </button>
        </form>
      )}
      <p>
        <Link href="/login">Back to sign in</Link>
      </p>
    </AuthCard>
  );
}

export function ResetPassword({ search }: { search: string }) {
  const token = new URLSearchParams(search).get("token") ?? "";
  const incomplete = { form: "This reset link is incomplete. Ask for a new one.", fields: {} };
  const [errors, setErrors] = useState<FormErrors>(token ? NO_ERRORS : incomplete);
  return (
    <AuthCard title="Choose a new password">
      <form
        onSubmit={async (event) => {
          const { password } = formValues(event);
          setErrors(NO_ERRORS);
          try {
            await api.resetPassword(token, password);
            location.assign(signInPageWith("password-changed"));
          } catch (reason) {
            setErrors(errorsFor(reason, ["password"]));
          }
        }}
      >
        <Field label="New password" name="password" type="password" autoComplete="new-password" minLength={PASSWORD_MIN_LENGTH} hint={PASSWORD_HINT} error={errors.fields.password} />
        <FormError error={errors.form} />
        <button type="submit" className="primary" disabled={!token}>
          Set password
        </button>
      </form>
    </AuthCard>
  );
}

/** The link in the verification mail lands here. */
export function VerifyEmail({ search }: { search: string }) {
  const token = new URLSearchParams(search).get("token") ?? "";
  const [state, setState] = useState<{ done: boolean; error: string | null }>({ done: false, error: null });
  useEffect(() => {
    if (!token) return setState({ done: false, error: "This verification link is incomplete." });
    api.verifyEmail(token).then(
      () => setState({ done: true, error: null }),
      (reason: unknown) => setState({ done: false, error: messageFor(reason) }),
    );
  }, [token]);
  return (
    <AuthCard title="Verify your e-mail">
      {!state.done && !state.error && <p role="status">Checking your link…</p>}
      {state.done && <p role="status">Your e-mail address is verified.</p>}
      <FormError error={state.error} />
      <p>
        <Link href="/login">Go to sign in</Link>
      </p>
    </AuthCard>
  );
}
