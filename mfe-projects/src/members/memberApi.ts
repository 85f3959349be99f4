/** The requests behind the Members panel: find an account by e-mail, set or remove a member (If-Match on each). */
import type { ApiClient } from "@platform/sdk";
import { ifMatch } from "../api";
import type { ProjectOut, ProjectRole } from "../types";

export interface Account {
  id: string;
  display_name: string;
}

export function createMemberApi(client: ApiClient) {
  const members = (project: ProjectOut, userId: string) => `/api/core/projects/${encodeURIComponent(project.id)}/members/${encodeURIComponent(userId)}`;
  return {
    /** The active account with exactly this address (auth: 404 EMAIL_LOOKUP_NOT_FOUND otherwise). */
    findByEmail(email: string): Promise<Account> {
      return client.request("/api/auth/users/lookup", { query: { email } });
    },
    /** Adds a member or changes their role; answers the project as changed. */
    setRole(project: ProjectOut, userId: string, role: ProjectRole): Promise<ProjectOut> {
      return client.request(members(project, userId), { method: "PUT", body: { role }, headers: ifMatch(project.version) });
    },
    remove(project: ProjectOut, userId: string): Promise<ProjectOut> {
      return client.request(members(project, userId), { method: "DELETE", headers: ifMatch(project.version) });
    },
    project(id: string): Promise<ProjectOut> {
      return client.request(`/api/core/projects/${encodeURIComponent(id)}`);
    },
  };
}

export type MemberApi = ReturnType<typeof createMemberApi>;
