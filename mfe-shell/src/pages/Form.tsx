/** Pieces the sign-in, sign-up and password pages share. */
import { ApiError } from "@platform/sdk";
import { useEffect, useRef, type FormEvent, type ReactNode } from "react";
import { usePageTitle } from "../pageTitle";

export function AuthCard({ title, children }: { title: string; children: ReactNode }) {
  const heading = useRef<HTMLHeadingElement>(null);
  usePageTitle(title);
  useEffect(() => heading.current?.focus(), [title]);
  return (
    <div className="auth-card">
      <h1 ref={heading} tabIndex={-1}>
        {title}
      </h1>
      {children}
    </div>
  );
}

export function Field(props: { label: string; name: string; type?: string; autoComplete?: string; required?: boolean; minLength?: number; hint?: string }) {
  const id = `field-${props.name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        autoComplete={props.autoComplete}
        required={props.required ?? true}
        minLength={props.minLength}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
      />
      {props.hint && (
        <small id={`${id}-hint`} className="hint">
          {props.hint}
        </small>
      )}
    </div>
  );
}

export function FormError({ error }: { error: string | null }) {
  return error ? (
    <p className="form-error" role="alert">
      {error}
    </p>
  ) : null;
}

export function formValues(event: FormEvent<HTMLFormElement>): Record<string, string> {
  event.preventDefault();
  return Object.fromEntries([...new FormData(event.currentTarget)].map(([key, value]) => [key, String(value)]));
}

const MESSAGES: Record<string, string> = {
  LOGIN_BAD_CREDENTIALS: "The e-mail or password is not right.",
  LOGIN_USER_NOT_VERIFIED: "Please verify your e-mail address first: check your inbox.",
  REGISTER_USER_ALREADY_EXISTS: "An account with this e-mail already exists. Sign in instead.",
  RESET_PASSWORD_BAD_TOKEN: "This reset link is invalid or has expired. Ask for a new one.",
  VERIFY_USER_BAD_TOKEN: "This verification link is invalid or has expired.",
  VERIFY_USER_ALREADY_VERIFIED: "Your e-mail address is already verified.",
};

/** What to tell a person about a failed request. */
export function messageFor(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429) return "Too many attempts. Wait a few minutes and try again.";
    return MESSAGES[error.code] ?? error.reason;
  }
  return "The server could not be reached. Check your connection and try again.";
}
