/** /account: the signed-in user's own page (the shell owns it, like /login). */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import * as api from "../api";
import { usePageTitle } from "../pageTitle";
import type { SignInNotice } from "../routes";
import type { Session } from "../session";
import { formatWhen, nameChange, verificationState } from "./account";
import { errorsFor, Field, FormError, type FormErrors, formValues, messageFor, NO_ERRORS, PASSWORD_HINT, PASSWORD_MIN_LENGTH } from "./Form";

interface Props {
  session: Session;
  /** Ends this browser's session and goes to the sign-in page. */
  onSignOut(notice?: SignInNotice): void;
  /** The account as loaded or changed here (the header shows its display name). */
  onAccountChange(account: api.Account): void;
}

export function AccountPage({ session, onSignOut, onAccountChange }: Props) {
  usePageTitle("Account");
  const heading = useRef<HTMLHeadingElement>(null);
  const [account, setAccountHere] = useState<api.Account | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const accounts = useMemo(() => api.createAccountApi(session), [session]);
  const setAccount = useCallback(
    (changed: api.Account) => {
      setAccountHere(changed);
      onAccountChange(changed);
    },
    [onAccountChange],
  );

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    accounts.get().then(setAccount, (reason: unknown) => setLoadError(messageFor(reason)));
  }, [accounts, setAccount]);

  return (
    <div className="page account">
      <h1 ref={heading} tabIndex={-1}>
        Account
      </h1>
      <FormError error={loadError} />
      {!account && !loadError && <p role="status">Loading your account…</p>}
      {account && (
        <>
          <Profile account={account} accounts={accounts} onChanged={setAccount} />
          <Email account={account} accounts={accounts} onChanged={setAccount} />
          <Password accounts={accounts} onChanged={() => onSignOut("password-changed")} />
          <Sessions accounts={accounts} onSignedOutHere={() => onSignOut()} />
        </>
      )}
    </div>
  );
}

/** A form's errors, success message and busy state, and a submit handler that sets them. */
function useSubmit(fields: readonly string[], work: (values: Record<string, string>, form: HTMLFormElement) => Promise<string | null>) {
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    const form = event.currentTarget;
    const values = formValues(event);
    setBusy(true);
    setErrors(NO_ERRORS);
    setDone(null);
    try {
      setDone(await work(values, form));
    } catch (reason) {
      setErrors(errorsFor(reason, fields));
    } finally {
      setBusy(false);
    }
  };
  return { errors, done, busy, onSubmit };
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}

function Done({ message }: { message: string | null }) {
  return message ? (
    <p className="notice" role="status">
      {message}
    </p>
  ) : null;
}

function Profile({ account, accounts, onChanged }: { account: api.Account; accounts: api.AccountApi; onChanged(account: api.Account): void }) {
  const { errors, done, busy, onSubmit } = useSubmit(["full_name"], async ({ full_name }) => {
    onChanged(await accounts.change(nameChange(full_name)));
    return "Your display name was saved.";
  });
  return (
    <Section id="profile" title="Profile">
      <form onSubmit={onSubmit}>
        <Field label="Display name" name="full_name" autoComplete="name" required={false} defaultValue={account.full_name ?? ""} hint="Shown to the people you work with." error={errors.fields.full_name} />
        <FormError error={errors.form} />
        <Done message={done} />
        <button type="submit" disabled={busy}>
          Save name
        </button>
      </form>
    </Section>
  );
}

function Email({ account, accounts, onChanged }: { account: api.Account; accounts: api.AccountApi; onChanged(account: api.Account): void }) {
  const [resent, setResent] = useState<string | null>(null);
  const { errors, done, busy, onSubmit } = useSubmit(["email", "current_password"], async ({ email, current_password }, form) => {
    const changed = await accounts.change({ email, current_password });
    onChanged(changed);
    form.reset();
    return `Your e-mail address is now ${changed.email}. We sent a confirmation link there; until you open it, the address is not verified.`;
  });
  const resend = async () => {
    try {
      await api.requestVerification(account.email);
      setResent(`We sent a new confirmation link to ${account.email}.`);
    } catch (reason) {
      setResent(messageFor(reason));
    }
  };
  return (
    <Section id="email" title="E-mail">
      <p>
        <strong>{account.email}</strong>
        <br />
        <span className={account.is_verified ? "verified" : "unverified"}>{verificationState(account.is_verified)}</span>
      </p>
      {!account.is_verified && (
        <p>
          <button type="button" onClick={() => void resend()}>
            Resend verification e-mail
          </button>
        </p>
      )}
      <Done message={resent} />
      <form onSubmit={onSubmit}>
        <Field label="New e-mail" name="email" id="field-new-email" type="email" autoComplete="email" error={errors.fields.email} />
        <Field label="Current password" name="current_password" id="field-email-current-password" type="password" autoComplete="current-password" error={errors.fields.current_password} />
        <FormError error={errors.form} />
        <Done message={done} />
        <button type="submit" disabled={busy}>
          Change e-mail
        </button>
      </form>
    </Section>
  );
}

function Password({ accounts, onChanged }: { accounts: api.AccountApi; onChanged(): void }) {
  const { errors, busy, onSubmit } = useSubmit(["current_password", "password"], async ({ current_password, password }) => {
    await accounts.change({ current_password, password });
    onChanged();
    return null;
  });
  return (
    <Section id="password" title="Password">
      <p className="hint">Changing it signs you out on every device, this one included.</p>
      <form onSubmit={onSubmit}>
        <Field label="Current password" name="current_password" id="field-password-current-password" type="password" autoComplete="current-password" error={errors.fields.current_password} />
        <Field label="New password" name="password" id="field-new-password" type="password" autoComplete="new-password" minLength={PASSWORD_MIN_LENGTH} hint={PASSWORD_HINT} error={errors.fields.password} />
        <FormError error={errors.form} />
        <button type="submit" disabled={busy}>
          Change password
        </button>
      </form>
    </Section>
  );
}

function Sessions({ accounts, onSignedOutHere }: { accounts: api.AccountApi; onSignedOutHere(): void }) {
  const [sessions, setSessions] = useState<api.AccountSession[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setSessions(await accounts.sessions());
    } catch (reason) {
      setError(messageFor(reason));
    }
  }, [accounts]);
  useEffect(() => void load(), [load]);

  const end = async (ended: api.AccountSession) => {
    setError(null);
    setDone(null);
    try {
      await accounts.endSession(ended.id);
      if (ended.current) return onSignedOutHere();
      setDone(`Signed out ${ended.device}.`);
      await load();
    } catch (reason) {
      setError(messageFor(reason));
    }
  };
  const endAll = async () => {
    try {
      await accounts.signOutEverywhere();
      onSignedOutHere();
    } catch (reason) {
      setError(messageFor(reason));
    }
  };
  const now = Date.now();
  return (
    <Section id="sessions" title="Where you are signed in">
      <FormError error={error} />
      <Done message={done} />
      {sessions && (
        <ul className="sessions">
          {sessions.map((item) => (
            <li key={item.id}>
              <div>
                <strong>{item.device}</strong>
                {item.current && <span className="badge"> This device</span>}
                <br />
                <small>
                  Signed in <time dateTime={item.created_at}>{formatWhen(item.created_at, now)}</time> · last used{" "}
                  <time dateTime={item.last_used_at}>{formatWhen(item.last_used_at, now)}</time>
                </small>
              </div>
              <button type="button" aria-label={item.current ? "Sign out this device" : `Sign out ${item.device}, last used ${formatWhen(item.last_used_at, now)}`} onClick={() => void end(item)}>
                Sign out
              </button>
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="danger" onClick={() => void endAll()}>
        Sign out everywhere
      </button>
    </Section>
  );
}
