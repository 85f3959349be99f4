/** Every request the admin fragment makes, in one place. */
import { createApiClient, readEventStream, type FragmentContext, type ServerEvent } from "@platform/sdk";

const AUTH = "/api/auth";
const CORE = "/api/core";
/** The auth service's admin user list takes at most this many ids (and users per page). */
export const LOOKUP_BATCH = 100;
/** What the user list can find: user ids, not "client:…" or "system:…" actors. */
const USER_ID = /^[0-9a-f]{24}$/;

export interface User {
  id: string;
  email: string;
  full_name: string | null;
  roles: string[];
  is_active: boolean;
  is_verified: boolean;
  created_at: string | null;
}

export interface UserPage {
  items: User[];
  total: number;
  page: number;
  per_page: number;
}

export interface Client {
  client_id: string;
  roles: string[];
  is_active: boolean;
  created_at: string;
}

export interface Fragment {
  name: string;
  /** Holders may publish and operate it ("publisher:<name>" unless registered otherwise). */
  publisher_role: string;
  description: string;
  roles: string[];
  enabled: boolean;
  active_version: string | null;
  previous_version: string | null;
  canary: { version: string; percentage: number } | null;
  updated_at: string;
}

export interface FragmentVersion {
  version: string;
  entry: string;
  integrity: string;
  routes: string[];
  created_by?: string;
  created_at: string;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

export interface AuditFilter {
  actor: string;
  action: string;
  target_type: string;
  since: string;
  until: string;
}

const name = (value: string) => encodeURIComponent(value);

export function createAdminApi(context: Pick<FragmentContext, "getToken">) {
  const { request } = createApiClient(context);
  const post = <T>(path: string, body: unknown = {}) => request<T>(path, { method: "POST", body });
  return {
    users: (q: string, page: number, perPage = 20) => request<UserPage>(`${AUTH}/users`, { query: { q: q.trim(), page, per_page: perPage } }),
    /**
     * E-mail addresses of the users among `ids`, one request per 100 of them; ids the auth
     * service does not know (deleted users) and other actors are left out of the answer.
     */
    async emails(ids: Iterable<string>, signal?: AbortSignal): Promise<Map<string, string>> {
      const wanted = [...new Set(ids)].filter((id) => USER_ID.test(id));
      const batches = [];
      for (let start = 0; start < wanted.length; start += LOOKUP_BATCH) {
        const batch = wanted.slice(start, start + LOOKUP_BATCH);
        batches.push(request<UserPage>(`${AUTH}/users`, { query: { ids: batch.join(","), per_page: LOOKUP_BATCH }, signal }));
      }
      const users = (await Promise.all(batches)).flatMap((page) => page.items);
      return new Map(users.map((user) => [user.id, user.email]));
    },
    updateUser: (id: string, changes: Partial<Pick<User, "roles" | "is_active">>) => request<User>(`${AUTH}/users/${name(id)}`, { method: "PATCH", body: changes }),
    clients: () => request<Client[]>(`${AUTH}/clients`),
    createClient: (clientName: string, roles: string[]) => post<Client & { client_secret: string }>(`${AUTH}/clients`, { name: clientName, roles }),
    deactivateClient: (id: string) => request<void>(`${AUTH}/clients/${name(id)}`, { method: "DELETE" }),
    fragments: () => request<Fragment[]>(`${CORE}/fragments`),
    versions: (fragment: string) => request<FragmentVersion[]>(`${CORE}/fragments/${name(fragment)}/versions`),
    activate: (fragment: string, version: string) => post<Fragment>(`${CORE}/fragments/${name(fragment)}/activate`, { version }),
    rollback: (fragment: string) => post<Fragment>(`${CORE}/fragments/${name(fragment)}/rollback`),
    canary: (fragment: string, version: string, percentage: number) => post<Fragment>(`${CORE}/fragments/${name(fragment)}/canary`, { version, percentage }),
    promoteCanary: (fragment: string) => post<Fragment>(`${CORE}/fragments/${name(fragment)}/canary/promote`),
    abortCanary: (fragment: string) => post<Fragment>(`${CORE}/fragments/${name(fragment)}/canary/abort`),
    setEnabled: (fragment: string, enabled: boolean) => post<Fragment>(`${CORE}/fragments/${name(fragment)}/${enabled ? "enable" : "disable"}`),
    audit: (filter: AuditFilter, cursor: string | null, signal: AbortSignal) =>
      request<{ items: AuditEntry[]; next: string | null }>(`${CORE}/audit`, {
        query: { ...filter, since: isoOrEmpty(filter.since), until: isoOrEmpty(filter.until), cursor, limit: 25 },
        signal,
      }),
    /** Live registry and data changes until `signal` aborts. */
    events: (onEvent: (event: ServerEvent) => void, signal: AbortSignal) =>
      readEventStream(`${CORE}/events`, { getToken: context.getToken, onEvent, signal }),
  };
}

/** A datetime-local value ("2025-03-14T09:30") as an ISO instant in the browser's zone. */
export function isoOrEmpty(local: string): string {
  if (!local) return "";
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}

export type AdminApi = ReturnType<typeof createAdminApi>;

/** "admin, member ,, publisher:x" -> ["admin", "member", "publisher:x"]. */
export function parseRoles(text: string): string[] {
  return [...new Set(text.split(",").map((role) => role.trim()).filter(Boolean))];
}

/** The sub-page of the admin area a path names ("/admin/audit" -> "audit"). */
export function sectionOf(pathname: string, basePath: string, sections: readonly string[]): string {
  const rest = pathname.startsWith(basePath) ? pathname.slice(basePath.length).replace(/^\/+/, "") : "";
  const first = rest.split("/")[0];
  return sections.includes(first) ? first : sections[0];
}
