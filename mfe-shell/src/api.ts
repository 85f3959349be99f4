/** Every HTTP call the shell makes, in one place (the fragments make their own), through the generated client. */
import { createPlatformClient, required, type PlatformClient, type Schemas } from "@platform/api-client";
import { ApiError, type TokenSource } from "@platform/sdk";
import type { Manifest } from "./manifest";
import { forgetSessionMarker } from "./session";

export type TokenPair = Pick<Schemas["TokenResponse"], "access_token" | "expires_in">;
/** The signed-in user's own account, as the auth service keeps it. */
export type Account = Schemas["UserRead"];
/** One signed-in session of the user's (a device), newest use first. */
export type AccountSession = Schemas["SessionRead"];
/** What a person may change of their own account (the current password proves it is them). */
export type AccountChange = Pick<Schemas["UserUpdate"], "full_name" | "email" | "password" | "current_password">;
export type HealthReport = Schemas["HealthReportIn"];

/** The public operations (sign-in, sign-up, renewal) carry no token; the refresh cookie goes along (same origin). */
let publicClient: PlatformClient | undefined;
const open = () => (publicClient ??= createPlatformClient(null));

/** A client that sends this token as it is (no renewal); the public one without a token. */
function withToken(accessToken: string | null): PlatformClient {
  return accessToken ? createPlatformClient({ getToken: async () => accessToken }) : open();
}

export function signIn(email: string, password: string): Promise<TokenPair> {
  return required(
    open().POST("/api/auth/jwt/login", {
      body: { username: email, password, scope: "" },
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
    }),
  );
}

/** Renews the access token with the httpOnly refresh cookie (which the answer rotates). */
export async function refresh(): Promise<TokenPair> {
  try {
    return await required(open().POST("/api/auth/jwt/refresh", {}));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) forgetSessionMarker(document);
    throw error;
  }
}

export async function signOut(): Promise<void> {
  await open().POST("/api/auth/jwt/logout", {});
}

export async function register(email: string, password: string, fullName: string): Promise<void> {
  await open().POST("/api/auth/register", { body: { email, password, ...(fullName ? { full_name: fullName } : {}) } });
}

export async function forgotPassword(email: string): Promise<void> {
  await open().POST("/api/auth/forgot-password", { body: { email } });
}

export async function resetPassword(token: string, password: string): Promise<void> {
  await open().POST("/api/auth/reset-password", { body: { token, password } });
}

export async function verifyEmail(token: string): Promise<void> {
  await open().POST("/api/auth/verify", { body: { token } });
}

export async function requestVerification(email: string): Promise<void> {
  await open().POST("/api/auth/request-verify-token", { body: { email } });
}

/** The signed-in user's account and sessions, with a token from `tokens` (renewed when due) on every call. */
export function createAccountApi(tokens: TokenSource) {
  const client = createPlatformClient(tokens);
  return {
    get(): Promise<Account> {
      return required(client.GET("/api/auth/users/me"));
    },
    change(change: AccountChange): Promise<Account> {
      return required(client.PATCH("/api/auth/users/me", { body: change }));
    },
    sessions(): Promise<AccountSession[]> {
      return required(client.GET("/api/auth/jwt/sessions"));
    },
    async endSession(id: string): Promise<void> {
      await client.DELETE("/api/auth/jwt/sessions/{session_id}", { params: { path: { session_id: id } } });
    },
    async signOutEverywhere(): Promise<void> {
      await client.POST("/api/auth/jwt/logout-all");
    },
  };
}

export type AccountApi = ReturnType<typeof createAccountApi>;

export async function fetchManifest(accessToken: string | null): Promise<Manifest> {
  return required(withToken(accessToken).GET("/api/core/fragments/manifest"));
}

/** Tells the registry whether a fragment version worked here (an unhealthy canary gets
 * aborted from these); best effort, never throws. Anonymous visitors cannot report. */
export async function reportHealth(report: HealthReport, accessToken: string | null): Promise<void> {
  if (!accessToken) return;
  try {
    await withToken(accessToken).POST("/api/core/fragments/health-reports", { body: report, keepalive: true });
  } catch {
    // The user already sees the error card; the registry hears from the next load.
  }
}
