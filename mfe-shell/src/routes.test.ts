import { describe, expect, it } from "vitest";
import { ownerOf, routeMatches } from "./routes";

describe("routeMatches", () => {
  it("matches a subtree pattern at its base and below", () => {
    expect(routeMatches("/dashboard/*", "/dashboard")).toBe(true);
    expect(routeMatches("/dashboard/*", "/dashboard/tasks/1")).toBe(true);
  });
  it("does not match a sibling that shares a prefix", () => {
    expect(routeMatches("/dashboard/*", "/dashboards")).toBe(false);
  });
  it("matches an exact pattern only exactly", () => {
    expect(routeMatches("/settings", "/settings/x")).toBe(false);
  });
});

describe("ownerOf", () => {
  const owners = [
    { name: "admin", routes: ["/admin/*"] },
    { name: "admin-audit", routes: ["/admin/audit/*"] },
  ];
  it("prefers the most specific pattern", () => {
    expect(ownerOf(owners, "/admin/audit/42")?.name).toBe("admin-audit");
    expect(ownerOf(owners, "/admin/users")?.name).toBe("admin");
  });
  it("returns undefined when nobody owns the path", () => {
    expect(ownerOf(owners, "/nowhere")).toBeUndefined();
  });
});
