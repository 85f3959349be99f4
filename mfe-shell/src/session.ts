/**
 * The signed-in session: the access token lives only in memory (never in storage a script
 * could read later); the refresh token is an httpOnly cookie the auth service sets and
 * rotates, which page scripts cannot read at all. The shell renews the access token a
 * little before it expires, and on demand when a timer slept through (a suspended tab).
 * Only the auth service refusing the refresh token (401) ends the session: a renewal it could
 * not answer (offline, overloaded, restarting) is tried again while the user stays signed in.
 */
import { ApiError, type PlatformUser } from "@platform/sdk";
import type { TokenPair } from "./api";

/**
 * The auth service sets `farm_session=1` beside the refresh cookie (same lifetime) and
 * clears it on sign-out. It holds no secret; it only tells page script that there is a
 * session to renew, so a first visit does not ask for one and get a 401.
 */
export const SESSION_MARKER = "farm_session";

export function hasSessionMarker(cookies: string): boolean {
  return cookies.split(";").some((cookie) => cookie.trim() === `${SESSION_MARKER}=1`);
}

/** Drops the marker once the auth service refused the session it stood for. */
export function forgetSessionMarker(doc: { cookie: string }): void {
  doc.cookie = `${SESSION_MARKER}=; Max-Age=0; Path=/; SameSite=Strict`;
}

/** Whether a failed renewal means the session is over, not that the server could not answer now. */
export function sessionEnded(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

/** A renewal the server could not answer is tried again after this, doubling up to a minute. */
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 60_000;
/** At start-up, before showing the signed-out page: a short wait, the page is blank meanwhile. */
const START_RETRIES = 2;

/** The wait before the `failures`-th retry (0-based). */
export function retryDelayMs(failures: number): number {
  return Math.min(RETRY_FIRST_MS * 2 ** failures, RETRY_MAX_MS);
}

/** When to renew a token that lives `lifetimeS` seconds: a minute early, or halfway for short ones. */
export function renewalDelayMs(lifetimeS: number): number {
  return Math.max(lifetimeS * 0.5, lifetimeS - 60) * 1000;
}

/** The user the token names. Reads the payload only: the APIs verify the signature. */
export function userFromToken(token: string): PlatformUser {
  const payload = token.split(".")[1] ?? "";
  const text = atob(payload.replaceAll("-", "+").replaceAll("_", "/").padEnd(Math.ceil(payload.length / 4) * 4, "="));
  const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(text, (c) => c.charCodeAt(0)))) as {
    sub?: string;
    email?: string;
    roles?: unknown;
  };
  return {
    id: String(claims.sub ?? ""),
    email: typeof claims.email === "string" ? claims.email : null,
    roles: Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [],
  };
}

export interface SessionDeps {
  refresh(): Promise<TokenPair>;
  /** Whether this browser has a session to renew (the marker cookie); assumed when absent. */
  hasSession?(): boolean;
  signOut(): Promise<void>;
  now?(): number;
  setTimer?(callback: () => void, ms: number): unknown;
  clearTimer?(handle: unknown): void;
  /** Serialises renewals across tabs: two tabs presenting one rotating refresh token at once
   * would look like token theft to the auth service and revoke the family. */
  exclusive?<T>(work: () => Promise<T>): Promise<T>;
}

export class SignedOutError extends Error {
  constructor() {
    super("The session has ended: sign in again");
    this.name = "SignedOutError";
  }
}

type Listener = (user: PlatformUser | null) => void;

export class Session {
  private token: string | null = null;
  private expiresAt = 0;
  private timer: unknown;
  private renewing: Promise<string> | null = null;
  /** Renewals in a row the server could not answer. */
  private failures = 0;
  private listeners = new Set<Listener>();
  user: PlatformUser | null = null;

  constructor(private readonly deps: SessionDeps) {}

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** At start-up: renews from the refresh cookie if there is one. Resolves to the user or null. */
  async restore(): Promise<PlatformUser | null> {
    if (this.deps.hasSession?.() === false) return null;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.renew();
        return this.user;
      } catch (error) {
        if (sessionEnded(error) || attempt === START_RETRIES) {
          this.clear();
          return null;
        }
        await new Promise<void>((resolve) => this.setTimer(resolve, retryDelayMs(attempt)));
      }
    }
  }

  async signOut(): Promise<void> {
    try {
      await this.deps.signOut();
    } finally {
      this.clear();
    }
  }

  /** A token valid for at least a few more seconds, renewed first if needed. */
  async getToken(): Promise<string> {
    if (this.token && this.expiresAt - this.now() > 5000) return this.token;
    if (!this.token && !this.renewing) throw new SignedOutError();
    return this.renew();
  }

  /** The current token without renewing (null when signed out). */
  peekToken(): string | null {
    return this.token;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets the session here (another tab signed out, or the refresh cookie is gone). */
  clear(): void {
    const wasSignedIn = this.user !== null;
    this.token = null;
    this.user = null;
    this.expiresAt = 0;
    this.cancelTimer();
    if (wasSignedIn) this.emit();
  }

  private renew(): Promise<string> {
    this.renewing ??= (this.deps.exclusive ?? ((work) => work()))(() => this.deps.refresh())
      .then((pair) => {
        this.failures = 0;
        this.accept(pair);
        return pair.access_token;
      })
      .catch((error: unknown) => {
        if (sessionEnded(error)) this.clear();
        else if (this.user) this.scheduleRenewal(retryDelayMs(this.failures++));
        throw error;
      })
      .finally(() => {
        this.renewing = null;
      });
    return this.renewing;
  }

  private accept(pair: TokenPair): void {
    const before = this.user;
    this.token = pair.access_token;
    this.user = userFromToken(pair.access_token);
    this.expiresAt = this.now() + pair.expires_in * 1000;
    this.scheduleRenewal(renewalDelayMs(pair.expires_in));
    if (before?.id !== this.user.id || before.roles.join() !== this.user.roles.join()) this.emit();
  }

  private scheduleRenewal(ms: number): void {
    this.cancelTimer();
    this.timer = this.setTimer(() => void this.renew().catch(() => undefined), ms);
  }

  private setTimer(callback: () => void, ms: number): unknown {
    return (this.deps.setTimer ?? ((run, delay) => setTimeout(run, delay)))(callback, ms);
  }

  private cancelTimer(): void {
    if (this.timer === undefined) return;
    (this.deps.clearTimer ?? ((handle) => clearTimeout(handle as number)))(this.timer);
    this.timer = undefined;
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener(this.user);
  }
}
