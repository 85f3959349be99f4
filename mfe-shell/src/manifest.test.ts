import { describe, expect, it } from "vitest";
import { basePath, navLinks, parseManifest, sameFragments, visibleTo, type ManifestFragment } from "./manifest";

const fragment = (over: Partial<ManifestFragment>): ManifestFragment => ({
  name: "dashboard",
  version: "1.0.0",
  entry: "http://127.0.0.1:4101/1.0.0/entry.js",
  routes: ["/dashboard/*"],
  nav: { label: "Dashboard", order: 10 },
  ...over,
});

const member = { id: "u1", email: null, roles: ["member"] };

describe("parseManifest", () => {
  it("keeps well-formed fragments and drops broken ones", () => {
    const manifest = parseManifest({
      contract: "1",
      fragments: [fragment({}), { name: "x" }, fragment({ name: "bad", routes: ["no-slash"] }), null],
    });
    expect(manifest.fragments.map((f) => f.name)).toEqual(["dashboard"]);
  });
  it("treats anything that is not an object as an empty manifest", () => {
    expect(parseManifest("nope").fragments).toEqual([]);
  });
});

describe("navLinks", () => {
  it("orders entries by their order, then label, and skips fragments without nav", () => {
    const manifest = parseManifest({
      contract: "1",
      fragments: [
        fragment({ name: "admin", routes: ["/admin/*"], nav: { label: "Admin", order: 90 } }),
        fragment({}),
        fragment({ name: "reports", routes: ["/reports"], nav: { label: "Reports", order: 10 } }),
        fragment({ name: "widget", routes: ["/widget/*"], nav: null }),
      ],
    });
    expect(navLinks(manifest, member).map((l) => [l.label, l.href])).toEqual([
      ["Dashboard", "/dashboard"],
      ["Reports", "/reports"],
      ["Admin", "/admin"],
    ]);
  });
  it("hides fragments whose roles the user lacks when the manifest names roles", () => {
    const manifest = parseManifest({ contract: "1", fragments: [fragment({ name: "admin", routes: ["/admin/*"], roles: ["admin"] })] });
    expect(navLinks(manifest, member)).toEqual([]);
    expect(navLinks(manifest, { ...member, roles: ["admin"] })).toHaveLength(1);
  });
});

describe("visibleTo", () => {
  it("shows public fragments to anonymous visitors and nothing else", () => {
    expect(visibleTo(fragment({ roles: ["public"] }), null)).toBe(true);
    expect(visibleTo(fragment({ roles: ["member"] }), null)).toBe(false);
  });
});

describe("basePath", () => {
  it("is the subtree root of the first route", () => expect(basePath(fragment({}))).toBe("/dashboard"));
  it("is the page itself for an exact route", () => expect(basePath(fragment({ routes: ["/settings"] }))).toBe("/settings"));
});

describe("sameFragments", () => {
  it("compares names and versions, not order", () => {
    const a = { contract: "1", fragments: [fragment({}), fragment({ name: "admin" })] };
    const b = { contract: "1", fragments: [fragment({ name: "admin" }), fragment({})] };
    expect(sameFragments(a, b)).toBe(true);
    expect(sameFragments(a, { contract: "1", fragments: [fragment({ version: "1.1.0" }), fragment({ name: "admin" })] })).toBe(false);
  });
});
