/** The requests behind the Members panel: find an account by e-mail, set or remove a member (If-Match on each). */
import { required, type PlatformClient, type Schemas } from "@platform/api-client";
import { projectAt } from "../api";
import type { ProjectOut, ProjectRole } from "../types";

export type Account = Schemas["DirectoryEntry"];

export function createMemberApi(client: PlatformClient) {
  const member = (project: ProjectOut, user_id: string) => {
    const { path, header } = projectAt(project);
    return { path: { ...path, user_id }, header };
  };
  return {
    /** The active account with exactly this address (auth: 404 EMAIL_LOOKUP_NOT_FOUND otherwise). */
    findByEmail(email: string): Promise<Account> {
      return required(client.GET("/api/auth/users/lookup", { params: { query: { email } } }));
    },
    /** Adds a member or changes their role; answers the project as changed. */
    setRole(project: ProjectOut, userId: string, role: ProjectRole): Promise<ProjectOut> {
      return required(client.PUT("/api/core/projects/{project_id}/members/{user_id}", { params: member(project, userId), body: { role } }));
    },
    remove(project: ProjectOut, userId: string): Promise<ProjectOut> {
      return required(client.DELETE("/api/core/projects/{project_id}/members/{user_id}", { params: member(project, userId) }));
    },
    project(id: string): Promise<ProjectOut> {
      return required(client.GET("/api/core/projects/{project_id}", { params: { path: { project_id: id } } }));
    },
  };
}

export type MemberApi = ReturnType<typeof createMemberApi>;
