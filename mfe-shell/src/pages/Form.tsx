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

export interface FieldProps {
  label: string;
  name: string;
  /** Unique on the page; defaults to field-<name>. */
  id?: string;
  type?: string;
  autoComplete?: string;
  required?: boolean;
  minLength?: number;
  hint?: string;
  defaultValue?: string;
  /** What is wrong with the value, shown under the field and announced. */
  error?: string | null;
}

export function Field(props: FieldProps) {
  const id = props.id ?? `field-${props.name}`;
  const described = [props.hint && `${id}-hint`, props.error && `${id}-error`].filter(Boolean).join(" ");
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
        defaultValue={props.defaultValue}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={described || undefined}
      />
      {props.hint && (
        <small id={`${id}-hint`} className="hint">
          {props.hint}
        </small>
      )}
      {props.error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {props.error}
        </p>
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

/** The rules of sign-up, reset and change alike (the auth service checks them). */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_HINT = `At least ${PASSWORD_MIN_LENGTH} characters and hard to guess: a few uncommon words work well. Not your e-mail address.`;

/** Codes that are about one field of a form, and which one. */
const FIELD_OF_CODE: Record<string, string> = {
  REGISTER_INVALID_PASSWORD: "password",
  RESET_PASSWORD_INVALID_PASSWORD: "password",
  UPDATE_USER_INVALID_PASSWORD: "password",
  CURRENT_PASSWORD_REQUIRED: "current_password",
  CURRENT_PASSWORD_INVALID: "current_password",
  REGISTER_USER_ALREADY_EXISTS: "email",
  UPDATE_USER_EMAIL_ALREADY_EXISTS: "email",
};

/** Where to show a failed request's message: next to one of `fields`, or (null) for the form. */
export function fieldOf(error: unknown, fields: readonly string[]): string | null {
  if (!(error instanceof ApiError)) return null;
  const field = FIELD_OF_CODE[error.code] ?? (error.code === "VALIDATION_ERROR" ? error.reason.split(":")[0] : undefined);
  return field && fields.includes(field) ? field : null;
}

export interface FormErrors {
  form: string | null;
  fields: Record<string, string>;
}

export const NO_ERRORS: FormErrors = { form: null, fields: {} };

/** A failed request's message, placed next to the field it is about when there is one. */
export function errorsFor(error: unknown, fields: readonly string[]): FormErrors {
  const field = fieldOf(error, fields);
  const message = messageFor(error);
  return field ? { form: null, fields: { [field]: message } } : { form: message, fields: {} };
}

const MESSAGES: Record<string, string> = {
  LOGIN_BAD_CREDENTIALS: "The e-mail or password is not right.",
  LOGIN_USER_NOT_VERIFIED: "Please verify your e-mail address first: check your inbox.",
  REGISTER_USER_ALREADY_EXISTS: "An account with this e-mail already exists. Sign in instead.",
  RESET_PASSWORD_BAD_TOKEN: "This reset link is invalid or has expired. Ask for a new one.",
  VERIFY_USER_BAD_TOKEN: "This verification link is invalid or has expired.",
  VERIFY_USER_ALREADY_VERIFIED: "Your e-mail address is already verified.",
  UPDATE_USER_EMAIL_ALREADY_EXISTS: "Another account already uses this e-mail address.",
  CURRENT_PASSWORD_REQUIRED: "Enter your current password.",
  CURRENT_PASSWORD_INVALID: "Your current password is not right.",
  SESSION_NOT_FOUND: "That session has already ended.",
};

/** What to tell a person about a failed request. */
export function messageFor(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 429) return "Too many attempts. Wait a few minutes and try again.";
    return MESSAGES[error.code] ?? error.reason;
  }
  return "The server could not be reached. Check your connection and try again.";
}
