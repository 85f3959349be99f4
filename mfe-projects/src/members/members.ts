/** What the Members panel decides without asking anyone: who to add, and in which order to show people. */
import type { Problem } from "../errors";
import type { Member, ProjectOut, ProjectRole } from "../types";

export const ROLES: readonly ProjectRole[] = ["owner", "editor", "viewer"];
export const ROLE_LABELS: Record<ProjectRole, string> = { owner: "Owner", editor: "Editor", viewer: "Viewer" };
export const CLIENT_PREFIX = "client:";
/** As auth names service accounts (services/auth/auth_service/schemas.py ClientId). */
const CLIENT_ID = /^[a-z0-9][a-z0-9._-]{1,62}$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** Whom the "Add member" field names: a service account (`client:<id>`), an e-mail address, or nothing usable. */
export type Newcomer = { kind: "client"; id: string } | { kind: "email"; email: string } | { kind: "invalid"; message: string };

export function parseNewcomer(text: string): Newcomer {
  const value = text.trim();
  if (value.toLowerCase().startsWith(CLIENT_PREFIX)) {
    const name = value.slice(CLIENT_PREFIX.length);
    if (CLIENT_ID.test(name)) return { kind: "client", id: `${CLIENT_PREFIX}${name}` };
    return { kind: "invalid", message: "A service account is written client:<id>, e.g. client:reporter." };
  }
  if (EMAIL.test(value)) return { kind: "email", email: value };
  return { kind: "invalid", message: "Enter the person's exact e-mail address, or client:<id> for a service account." };
}

/** Owners first, then editors, then viewers; by name within a role. */
export function sortedMembers(members: readonly Member[], labelOf: (id: string) => string): Member[] {
  const rank = (role: ProjectRole) => ROLES.indexOf(role);
  return [...members].sort((a, b) => rank(a.role) - rank(b.role) || labelOf(a.user_id).localeCompare(labelOf(b.user_id)));
}

export function memberOf(project: ProjectOut, userId: string): Member | undefined {
  return project.members.find((m) => m.user_id === userId);
}

/** A change the panel itself refuses (nothing was sent), with what to tell the person. */
export class Refusal extends Error {
  constructor(readonly problem: Problem) {
    super(problem.message);
    this.name = "Refusal";
  }
}
