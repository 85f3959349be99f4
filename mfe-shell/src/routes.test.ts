import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { noticeIn, ownerOf, redirectFor, routeMatches, safeNext, signInPageWith } from "./routes";

interface RouteVector {
  path: string;
  owners: Record<string, string[]>;
  owner: string | null;
}

// The one table of route-matching cases, also run by the gateway's pytest (test_route_matching.py).
const { cases } = createRequire(import.meta.url)("@platform/sdk/contract/route-matching.json") as { cases: RouteVector[] };

describe("the platform's route-matching rule (shared test vectors)", () => {
  it.each(cases)("$path is owned by $owner", ({ path, owners, owner }) => {
    const fragments = Object.entries(owners).map(([name, routes]) => ({ name, routes }));
    expect(ownerOf(fragments, path)?.name ?? null).toBe(owner);
  });
});

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

describe("safeNext", () => {
  it("follows a path on this site", () => expect(safeNext("?next=/admin/users%3Fq%3Da")).toBe("/admin/users?q=a"));
  it("refuses other origins and protocol-relative URLs", () => {
    expect(safeNext("?next=https://evil.example")).toBe("/");
    expect(safeNext("?next=//evil.example")).toBe("/");
    expect(safeNext("?next=/\\evil.example")).toBe("/");
  });
  it("refuses paths the URL parser turns into another origin (tab, newline)", () => {
    expect(safeNext("?next=/%09/evil.example")).toBe("/");
    expect(safeNext("?next=/%0A/evil.example")).toBe("/");
  });
});

describe("redirectFor", () => {
  const base = { search: "", isPublicPage: false, owned: false, firstLink: "/dashboard" };
  it("sends anonymous visitors of a private page to sign in and back", () => {
    expect(redirectFor({ ...base, pathname: "/admin/users", search: "?q=a", signedIn: false })).toBe("/login?next=%2Fadmin%2Fusers%3Fq%3Da");
  });
  it("lets anonymous visitors see public fragments and the sign-in pages", () => {
    expect(redirectFor({ ...base, pathname: "/status", signedIn: false, owned: true })).toBeNull();
    expect(redirectFor({ ...base, pathname: "/login", signedIn: false, isPublicPage: true })).toBeNull();
  });
  it("sends a signed-in user from the start page to the first navigation entry", () => {
    expect(redirectFor({ ...base, pathname: "/", signedIn: true })).toBe("/dashboard");
  });
  it("sends a signed-in user away from the sign-in page to where they were going", () => {
    expect(redirectFor({ ...base, pathname: "/login", search: "?next=/admin", signedIn: true, isPublicPage: true })).toBe("/admin");
  });
  it("leaves unknown pages of signed-in users to the not-found page", () => {
    expect(redirectFor({ ...base, pathname: "/nope", signedIn: true })).toBeNull();
  });
});

describe("sign-in notices", () => {
  it("shows the text of a known notice", () => {
    expect(noticeIn(new URL(signInPageWith("session-ended"), "http://x").search)).toBe("Your session has ended. Please sign in again.");
  });
  it("shows nothing for text a link brings along", () => {
    expect(noticeIn("?notice=Your+account+is+locked.+Call+us.")).toBeUndefined();
    expect(noticeIn("?notice=toString")).toBeUndefined();
  });
});
