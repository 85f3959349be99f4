import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ManifestFragment } from "../manifest";
import { manifestFragment } from "../testManifest";
import { FragmentError, importFragment, matchesIntegrity } from "./loader";

const body = new TextEncoder().encode("export function mount() {}");
const integrity = `sha384-${createHash("sha384").update(body).digest("base64")}`;
const fragment: ManifestFragment = manifestFragment("dashboard", { version: "1.2.0", entry: "http://127.0.0.1:4101/1.2.0/entry.js", integrity });
const failingImport = async () => {
  throw new TypeError("Failed to fetch dynamically imported module");
};

async function failure(probe: typeof fetch): Promise<FragmentError> {
  return importFragment(fragment, failingImport, probe).then(
    () => {
      throw new Error("expected a failure");
    },
    (error: FragmentError) => error,
  );
}

afterEach(() => vi.unstubAllGlobals());

describe("importFragment", () => {
  it("imports the fragment by its import-map specifier", async () => {
    const seen: string[] = [];
    const module = await importFragment(fragment, async (specifier) => {
      seen.push(specifier);
      return { mount: () => () => undefined };
    });
    expect(seen).toEqual(["@fragment/dashboard"]);
    expect(typeof module.mount).toBe("function");
  });
  it("calls a module without mount() a mount failure", async () => {
    await expect(importFragment(fragment, async () => ({}))).rejects.toMatchObject({ kind: "mount" });
  });
  it("tells a missing entry (404) apart", async () => {
    const error = await failure((async () => new Response("", { status: 404 })) as typeof fetch);
    expect(error.kind).toBe("load");
    expect(error.message).toContain("404");
  });
  it("tells an integrity failure apart", async () => {
    const error = await failure((async () => new Response("tampered")) as typeof fetch);
    expect(error.kind).toBe("integrity");
  });
  it("passes on the browser's reason when the entry is there and intact", async () => {
    const error = await failure((async () => new Response(body)) as typeof fetch);
    expect(error.kind).toBe("load");
    expect(error.message).toBe("dashboard 1.2.0 could not be loaded: Failed to fetch dynamically imported module");
  });
  it("asks the entry's host itself, once, without the cache, when the import map's module fails", async () => {
    const probe = vi.fn(async () => new Response("", { status: 404 }));
    vi.stubGlobal("fetch", probe);
    // No import map here: "@fragment/dashboard" cannot be resolved, as when its file is gone.
    const error = await importFragment(fragment).then(
      () => Promise.reject(new Error("expected a failure")),
      (e: FragmentError) => e,
    );
    expect([error.kind, error.message]).toEqual(["load", "dashboard 1.2.0 could not be loaded: its entry answered 404"]);
    expect(probe).toHaveBeenCalledExactlyOnceWith(fragment.entry, { mode: "cors", cache: "no-store" });
  });
  it("calls an unreachable host a load failure", async () => {
    const error = await failure((async () => {
      throw new TypeError("network");
    }) as typeof fetch);
    expect(error.kind).toBe("load");
  });
});

describe("matchesIntegrity", () => {
  it("accepts the right sha384 and rejects another", async () => {
    expect(await matchesIntegrity(body.buffer as ArrayBuffer, integrity)).toBe(true);
    expect(await matchesIntegrity(new TextEncoder().encode("x").buffer as ArrayBuffer, integrity)).toBe(false);
  });
});
