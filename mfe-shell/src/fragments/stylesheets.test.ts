import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ManifestFragment } from "../manifest";
import { manifestFragment } from "../testManifest";
import { FragmentError } from "./loader";
import { fragmentStylesheets, settled, stylesheetLoaded, stylesheetLinks } from "./stylesheets";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const css = ".kpi{font-weight:700}";
const sheet = {
  url: "http://127.0.0.1:4101/1.2.0/entry.css",
  integrity: `sha384-${createHash("sha384").update(css).digest("base64")}`,
};
const fragment: ManifestFragment = manifestFragment("dashboard", { version: "1.2.0", entry: "http://127.0.0.1:4101/1.2.0/entry.js", css: [sheet] });

/** Enough of a document for links: elements that are event targets with properties. */
const fakeDocument = { createElement: () => new EventTarget() } as unknown as Document;

const serving = (body: string, status = 200) => (async () => new Response(body, { status })) as typeof fetch;

function pending(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  return Promise.resolve()
    .then(() => Promise.resolve())
    .then(() => !done);
}

async function outcome(probe: typeof fetch): Promise<unknown> {
  vi.spyOn(console, "warn").mockImplementation(() => {});
  const link = new EventTarget();
  const loaded = stylesheetLoaded(link, sheet, "dashboard 1.2.0", probe);
  link.dispatchEvent(new Event("error"));
  return loaded.then(
    () => "loaded",
    (error: unknown) => error,
  );
}

describe("stylesheetLinks", () => {
  it("links each stylesheet with its integrity and CORS", () => {
    const [link] = stylesheetLinks([sheet], fakeDocument);
    expect(link).toMatchObject({ rel: "stylesheet", href: sheet.url, integrity: sheet.integrity, crossOrigin: "anonymous" });
  });
});

describe("fragmentStylesheets", () => {
  it("never links a stylesheet that carries no integrity", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const unpinned = { ...fragment, css: [sheet, "http://127.0.0.1:4101/old.css", { url: "http://127.0.0.1:4101/x.css", integrity: "" }] } as unknown as ManifestFragment;
    const { links, loads } = fragmentStylesheets(unpinned, fakeDocument);
    expect(links.map((link) => link.href)).toEqual([sheet.url]);
    expect(loads).toHaveLength(1);
    expect(warn).toHaveBeenCalledTimes(2);
  });
});

describe("fragmentStylesheets of a local override", () => {
  const local = { url: "http://localhost:5173/entry.css", integrity: null };
  const override: ManifestFragment = { ...fragment, entry: "http://localhost:5173/entry.js", css: [local], override: true };

  it("links an override's stylesheets without integrity, so its local build is styled", () => {
    const { links, loads } = fragmentStylesheets(override, fakeDocument);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ rel: "stylesheet", href: local.url, crossOrigin: "anonymous" });
    expect("integrity" in links[0]).toBe(false);
    expect(loads).toHaveLength(1);
  });

  it("mounts it when its local stylesheet fails, with no integrity to fail", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const { links, loads } = fragmentStylesheets(override, fakeDocument, serving(".changed{}"));
    links[0].dispatchEvent(new Event("error"));
    await expect(loads[0]).resolves.toBeUndefined();
  });

  it("still refuses a stylesheet without integrity on a fragment that is no override", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    for (const notOverride of [{ ...override, override: undefined }, { ...override, override: "true" }]) {
      const { links } = fragmentStylesheets(notOverride as unknown as ManifestFragment, fakeDocument);
      expect(links).toEqual([]);
    }
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it("links an override's stylesheet only when its integrity is null, not merely missing", () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const missing = { ...override, css: [{ url: local.url }] } as unknown as ManifestFragment;
    expect(fragmentStylesheets(missing, fakeDocument).links).toEqual([]);
  });
});

describe("stylesheetLoaded", () => {
  it("resolves when the stylesheet loaded", async () => {
    const link = new EventTarget();
    const loaded = stylesheetLoaded(link, sheet, "dashboard 1.2.0", serving(css));
    link.dispatchEvent(new Event("load"));
    await expect(loaded).resolves.toBeUndefined();
  });

  it("rejects with an integrity failure when the served bytes differ from the published ones", async () => {
    const error = await outcome(serving("body{background:url(//evil.example/?leak)}"));
    expect(error).toBeInstanceOf(FragmentError);
    expect(error).toMatchObject({ kind: "integrity" });
    expect((error as FragmentError).message).toContain(sheet.url);
  });

  it("goes on when the host fails, so the fragment still mounts", async () => {
    expect(await outcome(serving("not found", 404))).toBe("loaded");
    const unreachable = (async () => {
      throw new TypeError("network");
    }) as typeof fetch;
    expect(await outcome(unreachable)).toBe("loaded");
  });

  it("does not call an unexplained failure of an intact file tampering", async () => {
    expect(await outcome(serving(css))).toBe("loaded");
  });
});

describe("settled", () => {
  it("waits until every stylesheet has ended", async () => {
    let first!: () => void;
    let second!: () => void;
    const ready = settled([new Promise<void>((r) => (first = r)), new Promise<void>((r) => (second = r))]);
    first();
    expect(await pending(ready)).toBe(true);
    second();
    await expect(ready).resolves.toBeUndefined();
  });

  it("fails as soon as a stylesheet is refused", async () => {
    const refused = Promise.reject(new FragmentError("integrity", "tampered"));
    await expect(settled([new Promise<void>(() => {}), refused])).rejects.toMatchObject({ kind: "integrity" });
  });

  it("stops waiting for a stylesheet whose host hangs", async () => {
    vi.useFakeTimers();
    const ready = settled([new Promise<void>(() => {})], 1_000);
    expect(await pending(ready)).toBe(true);
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(ready).resolves.toBeUndefined();
  });

  it("resolves at once when there is nothing to link", async () => {
    await expect(settled([])).resolves.toBeUndefined();
  });
});
