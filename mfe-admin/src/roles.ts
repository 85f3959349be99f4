/** What the user roles picker offers and accepts. */
import type { Fragment } from "./api";

/** The roles the platform itself gives meaning to (the auth service's and the registry's). */
export const BASE_ROLES = ["admin", "member"] as const;
/** A role the auth service accepts (services/auth schemas.py `Role`), and how many a user may hold. */
export const ROLE_PATTERN = /^[a-z][a-z0-9_.:-]{0,63}$/;
export const MAX_ROLES = 32;
/** Visibility entries of a fragment that are not roles. */
const NOT_ROLES = new Set(["public"]);

/**
 * Every role the platform knows: admin, member, each registered fragment's publisher role
 * (`publisher:<name>` unless registered with another) and the roles fragments are shown to.
 */
export function knownRoles(fragments: readonly Pick<Fragment, "publisher_role" | "roles">[]): string[] {
  const fromFragments = fragments.flatMap((fragment) => [fragment.publisher_role, ...fragment.roles]);
  const extra = [...new Set(fromFragments)].filter((role) => !NOT_ROLES.has(role) && !(BASE_ROLES as readonly string[]).includes(role));
  return [...BASE_ROLES, ...extra.sort()];
}

/** The known roles a user does not hold yet, in the known order. */
export function offeredRoles(known: readonly string[], held: readonly string[]): string[] {
  return known.filter((role) => !held.includes(role));
}

/** Why a typed custom role cannot be added to `held`, or null when it can. */
export function customRoleProblem(typed: string, held: readonly string[]): string | null {
  const role = typed.trim();
  if (!role) return "Type a role name.";
  if (!ROLE_PATTERN.test(role)) {
    return "A role starts with a lower-case letter, then up to 63 lower-case letters, digits or _ . : - (no spaces).";
  }
  if (held.includes(role)) return `The user already has ${role}.`;
  if (held.length >= MAX_ROLES) return `A user holds at most ${MAX_ROLES} roles.`;
  return null;
}

export function withRole(held: readonly string[], role: string): string[] {
  return held.includes(role) ? [...held] : [...held, role];
}

export function withoutRole(held: readonly string[], role: string): string[] {
  return held.filter((r) => r !== role);
}

/** How a draft differs from the saved roles: what a save would take away, and whether it changes anything. */
export function roleChanges(saved: readonly string[], draft: readonly string[]): { removed: string[]; changed: boolean } {
  const removed = saved.filter((role) => !draft.includes(role));
  const added = draft.filter((role) => !saved.includes(role));
  return { removed, changed: removed.length > 0 || added.length > 0 };
}
