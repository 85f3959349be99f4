// @vitest-environment happy-dom
/**
 * The shell's start-up and session wiring (main.tsx), loaded afresh in each test as a page
 * load would: which requests a first visit, a returning user and an ended session make,
 * the manifest it composes the page from, signing out across tabs and a session ending.
 */
import { errorAnswer, received } from "@platform/api-client/testing";
import { SHELL_EVENTS, type FragmentContext, type FragmentModule } from "@platform/sdk";
import { act } from "react";
import type { Root } from "react-dom/client";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Manifest, ManifestFragment } from "./manifest";
import { manifestFragment, manifestOf } from "./testManifest";

const shell = vi.hoisted(() => ({
  roots: [] as Root[],
  contexts: [] as FragmentContext[],
  /** The fragment module the browser would import for a manifest entry. */
  load: (fragment: { name: string }): Promise<FragmentModule> =>
    Promise.resolve({
      mount(element: HTMLElement, context: FragmentContext) {
        shell.contexts.push(context);
        element.textContent = `${fragment.name} fragment`;
        return () => undefined;
      },
    }),
}));

// Every page load's React root, to unmount it before the next one.
vi.mock("react-dom/client", async (importOriginal) => {
  const original = await importOriginal<typeof import("react-dom/client")>();
  return {
    ...original,
    createRoot: (...args: Parameters<typeof original.createRoot>) => {
      const root = original.createRoot(...args);
      shell.roots.push(root);
      return root;
    },
  };
});
// The import map and the browser's module loader are not here.
vi.mock("./fragments/loader", async (importOriginal) => ({
  ...(await importOriginal<typeof import("./fragments/loader")>()),
  importFragment: (fragment: ManifestFragment) => shell.load(fragment),
}));

const fragment = (name: string): ManifestFragment =>
  manifestFragment(name, { nav: { label: name[0].toUpperCase() + name.slice(1), order: name === "dashboard" ? 10 : 20 } });
/** What the gateway embedded for Ava, and what the registry gives an anonymous visitor. */
const AVA_MANIFEST: Manifest = manifestOf([fragment("dashboard"), fragment("projects")]);
const ANONYMOUS_MANIFEST: Manifest = manifestOf([]);

const token = (claims: object) => `h.${btoa(JSON.stringify(claims)).replace(/=+$/, "")}.s`;
const AVA_TOKEN = token({ sub: "u1", email: "ava@example.com", roles: ["member"] });

interface Call {
  method: string;
  path: string;
  authorization: string | null;
  body: unknown;
}

type Answer = (call: Call) => Response | Promise<Response> | undefined;

/**
 * The gateway: renewal gives Ava's token (lifetime `expiresIn`), the manifest is Ava's
 * for her token and the anonymous one without; `answer` is asked first.
 */
function fakeGateway(answer: Answer = () => undefined, expiresIn = 900) {
  const calls: Call[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = input instanceof Request ? input : new Request(new URL(String(input), location.origin), init);
      const path = new URL(request.url).pathname;
      const body = path === "/api/auth/jwt/login" ? undefined : (await received(request)).body;
      const call = { method: request.method, path, authorization: request.headers.get("Authorization"), body };
      calls.push(call);
      const answered = await answer(call);
      if (answered) return answered;
      if (path === "/api/auth/jwt/refresh") return Response.json({ access_token: AVA_TOKEN, token_type: "bearer", expires_in: expiresIn });
      if (path === "/api/auth/jwt/logout") return new Response(null, { status: 204 });
      if (path === "/api/core/fragments/manifest") return Response.json(call.authorization ? AVA_MANIFEST : ANONYMOUS_MANIFEST);
      if (path === "/api/auth/users/me") return Response.json({ id: "u1", email: "ava@example.com", full_name: "Ava Lind", roles: ["member"], is_active: true, is_superuser: false, is_verified: true });
      if (path === "/api/core/fragments/health-reports") return new Response(null, { status: 204 });
      return errorAnswer(404, "NOT_FOUND", "Not found");
    }),
  );
  return calls;
}

/** BroadcastChannel between this tab and the test, which plays the other tabs. */
class FakeChannel extends EventTarget {
  static opened: FakeChannel[] = [];
  posted: unknown[] = [];
  constructor(readonly name: string) {
    super();
    FakeChannel.opened.push(this);
  }
  postMessage(message: unknown) {
    this.posted.push(message);
  }
  close() {}
}

let assign: ReturnType<typeof vi.spyOn>;
let reload: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  vi.resetModules();
  shell.contexts = [];
  FakeChannel.opened = [];
  vi.stubGlobal("BroadcastChannel", FakeChannel);
  document.cookie = "farm_session=; Max-Age=0; Path=/";
  sessionStorage.clear();
  assign = vi.spyOn(location, "assign").mockImplementation(() => undefined);
  reload = vi.spyOn(location, "reload").mockImplementation(() => undefined);
  vi.spyOn(console, "warn").mockImplementation(() => undefined);
});

afterEach(() => {
  for (const root of shell.roots.splice(0)) act(() => root.unmount());
  document.body.replaceChildren();
  document.getElementById("platform-manifest")?.remove();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

async function settled() {
  for (let round = 0; round < 8; round++) await act(async () => new Promise((resolve) => setTimeout(resolve, 0)));
}

/** Loads the shell at `path` as the gateway serves it: `embedded` in the page, the marker cookie when `marker`. */
async function loadPage(path: string, { marker = true, embedded = AVA_MANIFEST as Manifest | null } = {}) {
  history.replaceState(null, "", path);
  if (marker) document.cookie = "farm_session=1; Path=/";
  document.body.innerHTML = '<div id="root"><p class="boot" role="status">Loading…</p></div>';
  if (embedded) {
    const script = Object.assign(document.createElement("script"), { id: "platform-manifest", type: "application/json", textContent: JSON.stringify(embedded) });
    document.head.append(script);
  }
  await act(async () => void (await import("./main")));
  await settled();
}

const here = () => `${location.pathname}${location.search}`;
const heading = () => document.querySelector("main h1")?.textContent;
const paths = (calls: Call[]) => calls.map((c) => `${c.method} ${c.path}${c.authorization ? " (token)" : ""}`);
const userButton = () => document.querySelector<HTMLButtonElement>(".user-menu > button");

describe("starting the shell", () => {
  it("asks nothing about a session on a first visit and shows the sign-in page", async () => {
    const calls = fakeGateway();
    await loadPage("/dashboard", { marker: false, embedded: ANONYMOUS_MANIFEST });
    expect(paths(calls)).toEqual([]);
    expect(here()).toBe("/login?next=%2Fdashboard");
    expect(heading()).toBe("Sign in");
  });

  it("renews a returning user's session from the cookie and shows their page from the embedded manifest", async () => {
    const calls = fakeGateway();
    await loadPage("/dashboard");
    expect(paths(calls)).toEqual(
      expect.arrayContaining(["POST /api/auth/jwt/refresh", "GET /api/core/fragments/manifest (token)", "GET /api/auth/users/me (token)"]),
    );
    expect(paths(calls)[0]).toBe("POST /api/auth/jwt/refresh");
    expect(document.querySelector(".fragment-host")?.shadowRoot?.textContent).toBe("dashboard fragment");
    expect(userButton()?.textContent).toBe("AAva Lind");
    expect(reload).not.toHaveBeenCalled();
    expect(sessionStorage.getItem("platform:manifest-reload")).toBeNull();
  });

  it("tells the registry a fragment version worked here", async () => {
    const calls = fakeGateway();
    await loadPage("/dashboard");
    const reports = calls.filter((c) => c.path === "/api/core/fragments/health-reports");
    expect(reports.length).toBeGreaterThan(0);
    expect(reports[0]).toMatchObject({ method: "POST", authorization: `Bearer ${AVA_TOKEN}`, body: { fragment: "dashboard", version: "1.0.0", outcome: "success" } });
  });

  it("hands the fragment its context: user, base path, a token, navigation and route changes", async () => {
    fakeGateway();
    await loadPage("/dashboard");
    const context = shell.contexts.at(-1)!;
    expect(context).toMatchObject({ name: "dashboard", version: "1.0.0", basePath: "/dashboard", user: { id: "u1", email: "ava@example.com" } });
    expect(await context.getToken()).toBe(AVA_TOKEN);

    const routes: unknown[] = [];
    context.events.subscribe(SHELL_EVENTS.routeChanged, (payload) => routes.push(payload));
    await act(async () => context.navigate("/dashboard/tasks?status=done"));
    expect(here()).toBe("/dashboard/tasks?status=done");
    expect(routes).toEqual([{ pathname: "/dashboard/tasks", search: "?status=done" }]);
  });

  it("loads the page once more when the embedded manifest was built for someone else, and only once", async () => {
    fakeGateway();
    await loadPage("/dashboard", { embedded: ANONYMOUS_MANIFEST });
    expect(reload).toHaveBeenCalledOnce();
    expect(sessionStorage.getItem("platform:manifest-reload")).toBe("1");

    for (const root of shell.roots.splice(0)) act(() => root.unmount());
    vi.resetModules();
    await loadPage("/dashboard", { embedded: ANONYMOUS_MANIFEST });
    expect(reload).toHaveBeenCalledOnce();
  });

  it("drops the marker when the session was ended elsewhere and reads the anonymous manifest instead of the embedded one", async () => {
    const calls = fakeGateway(({ path }) => (path === "/api/auth/jwt/refresh" ? errorAnswer(401, "REFRESH_TOKEN_INVALID", "Sign in again") : undefined));
    await loadPage("/dashboard");
    expect(paths(calls)).toEqual(["POST /api/auth/jwt/refresh", "GET /api/core/fragments/manifest"]);
    expect(document.cookie).not.toContain("farm_session=1");
    expect(here()).toBe("/login?next=%2Fdashboard");
    expect(userButton()).toBeNull();
  });

  it("starts with no fragments when the manifest cannot be read", async () => {
    fakeGateway(({ path }) => (path === "/api/core/fragments/manifest" ? Promise.reject(new TypeError("Failed to fetch")) : undefined));
    await loadPage("/status", { marker: false, embedded: null });
    expect(here()).toBe("/login?next=%2Fstatus");
  });

  it("renews through the cross-tab lock when the browser has one", async () => {
    const names: string[] = [];
    Object.defineProperty(navigator, "locks", {
      configurable: true,
      value: { request: (name: string, work: () => Promise<unknown>) => (names.push(name), work()) },
    });
    try {
      fakeGateway();
      await loadPage("/dashboard");
      expect(names).toEqual(["farm-session-refresh"]);
      expect(userButton()).not.toBeNull();
    } finally {
      delete (navigator as { locks?: unknown }).locks;
    }
  });
});

describe("signing out", () => {
  it("ends the session, tells the other tabs and opens the sign-in page", async () => {
    const calls = fakeGateway();
    await loadPage("/dashboard");
    await act(async () => userButton()!.click());
    const signOut = [...document.querySelectorAll<HTMLButtonElement>(".user-menu-panel button")].find((b) => b.textContent === "Sign out")!;
    await act(async () => signOut.click());
    await settled();

    expect(paths(calls)).toContain("POST /api/auth/jwt/logout");
    expect(FakeChannel.opened.map((c) => [c.name, c.posted])).toEqual([["farm-session", ["signed-out"]]]);
    expect(assign).toHaveBeenCalledExactlyOnceWith("/login");
  });

  it("still opens the sign-in page when the sign-out request fails", async () => {
    fakeGateway(({ path }) => (path === "/api/auth/jwt/logout" ? Promise.reject(new TypeError("Failed to fetch")) : undefined));
    await loadPage("/dashboard");
    await act(async () => userButton()!.click());
    const signOut = [...document.querySelectorAll<HTMLButtonElement>(".user-menu-panel button")].find((b) => b.textContent === "Sign out")!;
    await act(async () => signOut.click());
    await settled();
    expect(assign).toHaveBeenCalledExactlyOnceWith("/login");
  });

  it("follows another tab that signed out", async () => {
    const calls = fakeGateway();
    await loadPage("/dashboard");
    await act(async () => void FakeChannel.opened[0].dispatchEvent(new MessageEvent("message", { data: "signed-out" })));
    // Forgetting the session first starts the "session ended" navigation too; the later
    // one to /login replaces it, as a second location.assign does in a browser.
    expect(assign.mock.calls.at(-1)).toEqual(["/login"]);
    expect(userButton()).toBeNull();
    expect(paths(calls)).not.toContain("POST /api/auth/jwt/logout");
  });

  it("ignores other messages on the channel", async () => {
    fakeGateway();
    await loadPage("/dashboard");
    await act(async () => void FakeChannel.opened[0].dispatchEvent(new MessageEvent("message", { data: "hello" })));
    expect(assign).not.toHaveBeenCalled();
  });
});

describe("a session that ends", () => {
  it("sends the user to sign in with a notice when a renewal is refused", async () => {
    let refused = false;
    // A token that lives a tenth of a second is renewed after half of that.
    fakeGateway(({ path }) => (path === "/api/auth/jwt/refresh" && refused ? errorAnswer(401, "REFRESH_TOKEN_INVALID", "x") : undefined), 0.1);
    await loadPage("/dashboard");
    expect(userButton()).not.toBeNull();

    refused = true;
    await act(async () => new Promise((resolve) => setTimeout(resolve, 120)));
    await settled();
    expect(assign).toHaveBeenCalledWith("/login?notice=session-ended");
  });

  it("does not interrupt someone on a sign-in page", async () => {
    let refused = false;
    fakeGateway(({ path }) => (path === "/api/auth/jwt/refresh" && refused ? errorAnswer(401, "REFRESH_TOKEN_INVALID", "x") : undefined), 0.1);
    await loadPage("/reset-password?token=t1");
    refused = true;
    await act(async () => new Promise((resolve) => setTimeout(resolve, 120)));
    await settled();
    expect(assign).not.toHaveBeenCalled();
  });
});
