import { describe, expect, it } from "vitest";
import { isoOrEmpty, parseList, sectionOf } from "./api";

describe("parseList", () => {
  it("splits, trims and drops empties and duplicates", () => {
    expect(parseList(" admin, member ,,member, publisher:dashboard")).toEqual(["admin", "member", "publisher:dashboard"]);
    expect(parseList("https://a.example\n\n  https://b.example:8443 \nhttps://a.example")).toEqual(["https://a.example", "https://b.example:8443"]);
  });
});

describe("isoOrEmpty", () => {
  it("turns a local date-time into the instant it names", () => {
    expect(isoOrEmpty("2025-03-14T09:30")).toBe(new Date(2025, 2, 14, 9, 30).toISOString());
  });
  it("leaves an empty or broken value out", () => {
    expect(isoOrEmpty("")).toBe("");
    expect(isoOrEmpty("not a date")).toBe("");
  });
});

describe("sectionOf", () => {
  const sections = ["users", "clients", "fragments", "audit"] as const;
  it("reads the sub-page from the path", () => expect(sectionOf("/admin/audit", "/admin", sections)).toBe("audit"));
  it("falls back to the first section", () => {
    expect(sectionOf("/admin", "/admin", sections)).toBe("users");
    expect(sectionOf("/admin/nope", "/admin", sections)).toBe("users");
  });
});
