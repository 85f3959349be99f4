import { describe, expect, it } from "vitest";
import { parseManifest, type Manifest } from "./manifest";

// The shell's types are the contract's (generated into the SDK from
// platform_common/manifest_contract.py); its guard must keep whatever that contract allows.
const fromTheRegistry: Manifest = {
  contract: "1",
  shared: { "@platform/sdk": "^1.0.0" },
  fragments: [
    {
      name: "reports",
      version: "1.0.0",
      origin: "http://127.0.0.1:4104",
      entry: "http://127.0.0.1:4104/1.0.0/entry.js",
      integrity: "sha384-abc",
      css: [{ url: "http://127.0.0.1:4104/1.0.0/entry.css", integrity: "sha384-def" }],
      preload: [],
      routes: ["/reports/*"],
      nav: { label: "Reports", icon: null, order: 50 },
      canary: false,
    },
  ],
};

describe("the manifest contract", () => {
  it("keeps every fragment of a manifest the registry's schema allows", () => {
    expect(parseManifest(structuredClone(fromTheRegistry)).fragments).toHaveLength(1);
  });
});
