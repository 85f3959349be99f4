/** Every request the admin fragment makes, in one place: the generated client (@platform/api-client). */
import { createPlatformClient, required, type Schemas } from "@platform/api-client";
import { readEventStream, type FragmentContext, type ServerEvent } from "@platform/sdk";

const CORE = "/api/core";
/** The auth service's admin user list takes at most this many ids (and users per page: 200). */
export const LOOKUP_BATCH = 100;
/** Users per page of the Users section. */
export const USER_PAGE_SIZE = 20;
/** Entries per page of the audit log. */
export const AUDIT_PAGE_SIZE = 25;
/** What the user list can find: user ids, not "client:…" or "system:…" actors. */
const USER_ID = /^[0-9a-f]{24}$/;

export type User = Schemas["UserRead"];
export type UserPage = Schemas["UserPage"];
export type UserChanges = Pick<Schemas["UserUpdate"], "roles" | "is_active">;
export type Client = Schemas["ClientRead"];
export type Fragment = Schemas["FragmentOut"];
export type FragmentVersion = Schemas["VersionOut"];
export type AuditEntry = Schemas["AuditEntryOut"];
export type AuditPage = Schemas["AuditPage"];

export interface AuditFilter {
  actor: string;
  action: string;
  target_type: string;
  since: string;
  until: string;
}

/** A query value with an unset filter ("") left out. */
function given(value: string): string | undefined {
  return value === "" ? undefined : value;
}

export function createAdminApi(context: Pick<FragmentContext, "getToken">) {
  const client = createPlatformClient(context);
  const fragment = (name: string) => ({ params: { path: { name } } });
  return {
    /** One page of the users whose e-mail or name contains `q`, by e-mail; `cursor` is the previous page's `next`. */
    users: (q: string, cursor: string | null, signal?: AbortSignal): Promise<UserPage> =>
      required(client.GET("/api/auth/users", { params: { query: { q: given(q.trim()), limit: USER_PAGE_SIZE, cursor } }, signal })),
    /**
     * E-mail addresses of the users among `ids`, one request per 100 of them; ids the auth
     * service does not know (deleted users) and other actors are left out of the answer.
     */
    async emails(ids: Iterable<string>, signal?: AbortSignal): Promise<Map<string, string>> {
      const wanted = [...new Set(ids)].filter((id) => USER_ID.test(id));
      const batches = [];
      for (let start = 0; start < wanted.length; start += LOOKUP_BATCH) {
        const query = { ids: wanted.slice(start, start + LOOKUP_BATCH).join(","), limit: LOOKUP_BATCH };
        batches.push(required(client.GET("/api/auth/users", { params: { query }, signal })));
      }
      const users = (await Promise.all(batches)).flatMap((page) => page.items);
      return new Map(users.map((user) => [user.id, user.email]));
    },
    updateUser: (id: string, changes: UserChanges): Promise<User> =>
      required(client.PATCH("/api/auth/users/{user_id}", { params: { path: { user_id: id } }, body: changes })),
    clients: (): Promise<Client[]> => required(client.GET("/api/auth/clients")),
    createClient: (name: string, roles: string[]): Promise<Schemas["ClientCreated"]> => required(client.POST("/api/auth/clients", { body: { name, roles } })),
    async deactivateClient(id: string): Promise<void> {
      await client.DELETE("/api/auth/clients/{client_id}", { params: { path: { client_id: id } } });
    },
    fragments: (): Promise<Fragment[]> => required(client.GET("/api/core/fragments")),
    versions: (name: string): Promise<FragmentVersion[]> => required(client.GET("/api/core/fragments/{name}/versions", fragment(name))),
    activate: (name: string, version: string): Promise<Fragment> =>
      required(client.POST("/api/core/fragments/{name}/activate", { ...fragment(name), body: { version } })),
    rollback: (name: string): Promise<Fragment> => required(client.POST("/api/core/fragments/{name}/rollback", fragment(name))),
    canary: (name: string, version: string, percentage: number): Promise<Fragment> =>
      required(client.POST("/api/core/fragments/{name}/canary", { ...fragment(name), body: { version, percentage } })),
    promoteCanary: (name: string): Promise<Fragment> => required(client.POST("/api/core/fragments/{name}/canary/promote", fragment(name))),
    abortCanary: (name: string): Promise<Fragment> => required(client.POST("/api/core/fragments/{name}/canary/abort", fragment(name))),
    setOrigins: (name: string, origins: string[]): Promise<Fragment> =>
      required(client.PUT("/api/core/fragments/{name}/origins", { ...fragment(name), body: { origins } })),
    setEnabled: (name: string, enabled: boolean): Promise<Fragment> =>
      required(client.POST(enabled ? "/api/core/fragments/{name}/enable" : "/api/core/fragments/{name}/disable", fragment(name))),
    audit(filter: AuditFilter, cursor: string | null, signal: AbortSignal): Promise<AuditPage> {
      const query = {
        actor: given(filter.actor),
        action: given(filter.action),
        target_type: given(filter.target_type),
        since: given(isoOrEmpty(filter.since)),
        until: given(isoOrEmpty(filter.until)),
        cursor,
        limit: AUDIT_PAGE_SIZE,
      };
      return required(client.GET("/api/core/audit", { params: { query }, signal }));
    },
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

/** Roles or origins as typed, by commas or lines: "admin, member ,,\n publisher:x" -> ["admin", "member", "publisher:x"]. */
export function parseList(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

/** The sub-page of the admin area a path names ("/admin/audit" -> "audit"). */
export function sectionOf(pathname: string, basePath: string, sections: readonly string[]): string {
  const rest = pathname.startsWith(basePath) ? pathname.slice(basePath.length).replace(/^\/+/, "") : "";
  const first = rest.split("/")[0];
  return sections.includes(first) ? first : sections[0];
}
