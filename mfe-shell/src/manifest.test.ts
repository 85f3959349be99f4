import { describe, expect, it } from "vitest";
import { basePath, navLinks, parseManifest, sameFragments } from "./manifest";
import { manifestFragment, manifestOf } from "./testManifest";

const fragment = (over: Parameters<typeof manifestFragment>[1] & { name?: string } = {}) =>
  manifestFragment(over.name ?? "dashboard", { nav: { label: "Dashboard", order: 10 }, ...over });

describe("parseManifest", () => {
  it("keeps well-formed fragments and drops broken ones", () => {
    const { css: _, ...withoutCss } = fragment({ name: "nocss" });
    const manifest = parseManifest({
      contract: "1",
      shared: { "@platform/sdk": "^1.0.0" },
      fragments: [fragment(), { name: "x" }, fragment({ name: "bad", routes: ["no-slash"] }), withoutCss, null],
    });
    expect(manifest.fragments.map((f) => f.name)).toEqual(["dashboard"]);
    expect(manifest.shared).toEqual({ "@platform/sdk": "^1.0.0" });
  });
  it("treats anything that is not an object as an empty manifest", () => {
    expect(parseManifest("nope")).toEqual({ contract: "1", shared: {}, fragments: [] });
  });
});

describe("navLinks", () => {
  it("orders entries by their order, then label, and skips fragments without nav", () => {
    const manifest = manifestOf([
      fragment({ name: "admin", routes: ["/admin/*"], nav: { label: "Admin", order: 90 } }),
      fragment(),
      fragment({ name: "reports", routes: ["/reports"], nav: { label: "Reports", order: 10 } }),
      fragment({ name: "widget", routes: ["/widget/*"], nav: null }),
    ]);
    expect(navLinks(manifest).map((l) => [l.label, l.href])).toEqual([
      ["Dashboard", "/dashboard"],
      ["Reports", "/reports"],
      ["Admin", "/admin"],
    ]);
  });
});

describe("basePath", () => {
  it("is the subtree root of the first route", () => expect(basePath(fragment())).toBe("/dashboard"));
  it("is the page itself for an exact route", () => expect(basePath(fragment({ routes: ["/settings"] }))).toBe("/settings"));
});

describe("sameFragments", () => {
  it("compares names and versions, not order", () => {
    const a = manifestOf([fragment(), fragment({ name: "admin" })]);
    const b = manifestOf([fragment({ name: "admin" }), fragment()]);
    expect(sameFragments(a, b)).toBe(true);
    expect(sameFragments(a, manifestOf([fragment({ version: "1.1.0" }), fragment({ name: "admin" })]))).toBe(false);
  });
});
