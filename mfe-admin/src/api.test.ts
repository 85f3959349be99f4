import { describe, expect, it } from "vitest";
import { parseRoles, query, sectionOf } from "./api";

describe("parseRoles", () => {
  it("splits, trims and drops empties and duplicates", () => {
    expect(parseRoles(" admin, member ,,member, publisher:dashboard")).toEqual(["admin", "member", "publisher:dashboard"]);
  });
});

describe("query", () => {
  it("leaves out empty values", () => expect(query({ q: "", page: 2, role: null })).toBe("?page=2"));
});

describe("sectionOf", () => {
  const sections = ["users", "clients", "fragments", "audit"] as const;
  it("reads the sub-page from the path", () => expect(sectionOf("/admin/audit", "/admin", sections)).toBe("audit"));
  it("falls back to the first section", () => {
    expect(sectionOf("/admin", "/admin", sections)).toBe("users");
    expect(sectionOf("/admin/nope", "/admin", sections)).toBe("users");
  });
});
