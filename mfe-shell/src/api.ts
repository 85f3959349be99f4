/** Every HTTP call the shell makes, in one place (the fragments make their own). */
import { ApiError, errorFromResponse } from "@platform/sdk";
import type { Manifest } from "./manifest";
import { forgetSessionMarker } from "./session";

export const AUTH = "/api/auth";
export const CORE = "/api/core";

export interface TokenPair {
  access_token: string;
  expires_in: number;
}

async function call(path: string, init: RequestInit): Promise<Response> {
  const response = await fetch(path, { credentials: "same-origin", ...init });
  if (!response.ok) throw await errorFromResponse(response);
  return response;
}

async function post(path: string, init: RequestInit): Promise<Response> {
  return call(path, { method: "POST", ...init });
}

function bearer(token: string, init: RequestInit = {}): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string>), Authorization: `Bearer ${token}` } };
}

function json(body: unknown): RequestInit {
  return { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
}

export async function signIn(email: string, password: string): Promise<TokenPair> {
  const form = new URLSearchParams({ username: email, password });
  return (await post(`${AUTH}/jwt/login`, { body: form })).json() as Promise<TokenPair>;
}

/** Renews the access token with the httpOnly refresh cookie (which the answer rotates). */
export async function refresh(): Promise<TokenPair> {
  try {
    return (await post(`${AUTH}/jwt/refresh`, {})).json() as Promise<TokenPair>;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) forgetSessionMarker(document);
    throw error;
  }
}

export async function signOut(): Promise<void> {
  await post(`${AUTH}/jwt/logout`, {});
}

export async function register(email: string, password: string, fullName: string): Promise<void> {
  await post(`${AUTH}/register`, json({ email, password, ...(fullName ? { full_name: fullName } : {}) }));
}

export async function forgotPassword(email: string): Promise<void> {
  await post(`${AUTH}/forgot-password`, json({ email }));
}

export async function resetPassword(token: string, password: string): Promise<void> {
  await post(`${AUTH}/reset-password`, json({ token, password }));
}

export async function verifyEmail(token: string): Promise<void> {
  await post(`${AUTH}/verify`, json({ token }));
}

/** The signed-in user's own account, as the auth service keeps it. */
export interface Account {
  id: string;
  email: string;
  full_name: string | null;
  is_verified: boolean;
  roles: string[];
}

/** One signed-in session of the user's (a device), newest use first. */
export interface AccountSession {
  id: string;
  device: string;
  created_at: string;
  last_used_at: string;
  current: boolean;
}

export interface AccountChange {
  full_name?: string | null;
  email?: string;
  password?: string;
  current_password?: string;
}

export async function fetchAccount(token: string): Promise<Account> {
  return (await call(`${AUTH}/users/me`, bearer(token))).json() as Promise<Account>;
}

export async function changeAccount(token: string, change: AccountChange): Promise<Account> {
  const init = bearer(token, { method: "PATCH", ...json(change) });
  return (await call(`${AUTH}/users/me`, init)).json() as Promise<Account>;
}

export async function fetchSessions(token: string): Promise<AccountSession[]> {
  return (await call(`${AUTH}/jwt/sessions`, bearer(token))).json() as Promise<AccountSession[]>;
}

export async function endSession(token: string, id: string): Promise<void> {
  await call(`${AUTH}/jwt/sessions/${encodeURIComponent(id)}`, bearer(token, { method: "DELETE" }));
}

export async function signOutEverywhere(token: string): Promise<void> {
  await post(`${AUTH}/jwt/logout-all`, bearer(token));
}

export async function requestVerification(email: string): Promise<void> {
  await post(`${AUTH}/request-verify-token`, json({ email }));
}

export async function fetchManifest(accessToken: string | null): Promise<Manifest> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const response = await fetch(`${CORE}/fragments/manifest`, { headers });
  if (!response.ok) throw await errorFromResponse(response);
  return (await response.json()) as Manifest;
}

export interface HealthReport {
  fragment: string;
  version: string;
  outcome: "success" | "failure";
  failure?: "load" | "integrity" | "mount" | "runtime";
}

/** Tells the registry whether a fragment version worked here (an unhealthy canary gets
 * aborted from these); best effort, never throws. Anonymous visitors cannot report. */
export async function reportHealth(report: HealthReport, accessToken: string | null): Promise<void> {
  if (!accessToken) return;
  try {
    await fetch(`${CORE}/fragments/health-reports`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${accessToken}` },
      body: JSON.stringify(report),
      keepalive: true,
    });
  } catch {
    // The user already sees the error card; the registry hears from the next load.
  }
}
