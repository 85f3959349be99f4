import { describe, expect, it } from "vitest";
import { customRoleProblem, knownRoles, MAX_ROLES, offeredRoles, roleChanges, withoutRole, withRole } from "./roles";

const fragment = (publisher_role: string, roles: string[]) => ({ publisher_role, roles });

describe("knownRoles", () => {
  it("are admin, member, then each fragment's publisher role and the roles fragments are shown to", () => {
    const fragments = [fragment("publisher:dashboard", ["member", "admin"]), fragment("publisher:admin", ["admin"]), fragment("reports-team", ["public", "finance"])];
    expect(knownRoles(fragments)).toEqual(["admin", "member", "finance", "publisher:admin", "publisher:dashboard", "reports-team"]);
  });

  it("are admin and member when no fragment is registered (or the registry could not be read)", () => {
    expect(knownRoles([])).toEqual(["admin", "member"]);
  });
});

describe("offeredRoles", () => {
  it("leaves out what the user already holds, keeping the known order", () => {
    expect(offeredRoles(["admin", "member", "publisher:admin"], ["member", "custom"])).toEqual(["admin", "publisher:admin"]);
  });
});

describe("customRoleProblem", () => {
  it.each(["auditor", "team.alpha", "publisher:reports", "a", `r${"x".repeat(63)}`, "  ops-oncall  "])("accepts %j as the auth service does", (role) => {
    expect(customRoleProblem(role, ["member"])).toBeNull();
  });

  it.each(["", "   ", "Admin", "9lives", "two words", "ops/oncall", "émile", `r${"x".repeat(64)}`, "-lead"])("refuses %j with the rule", (role) => {
    expect(customRoleProblem(role, [])).toMatch(/^(Type a role name|A role starts with a lower-case letter)/);
  });

  it("refuses a role the user already holds", () => {
    expect(customRoleProblem(" member ", ["member"])).toBe("The user already has member.");
  });

  it(`refuses a role beyond the ${MAX_ROLES} a user may hold`, () => {
    const full = Array.from({ length: MAX_ROLES }, (_, n) => `role-${n}`);
    expect(customRoleProblem("one-more", full)).toBe(`A user holds at most ${MAX_ROLES} roles.`);
  });
});

describe("a draft of roles", () => {
  it("gains a role once and loses it again", () => {
    expect(withRole(["member"], "admin")).toEqual(["member", "admin"]);
    expect(withRole(["member"], "member")).toEqual(["member"]);
    expect(withoutRole(["member", "admin"], "admin")).toEqual(["member"]);
  });

  it("says what a save would take away and whether it changes anything", () => {
    expect(roleChanges(["member", "admin"], ["member"])).toEqual({ removed: ["admin"], changed: true });
    expect(roleChanges(["member"], ["member", "auditor"])).toEqual({ removed: [], changed: true });
    expect(roleChanges(["member", "admin"], ["admin", "member"])).toEqual({ removed: [], changed: false });
  });
});
